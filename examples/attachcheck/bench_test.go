package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/campaigngen"
)

// benchLines is how many applications the checker benchmarks read: a generated campaign
// of that many, one a line, decided by both built-in sets, about a third of them rejected.
const benchLines = 20000

// benchFile is the benchmarks' input, written once per process into a temporary
// directory by the seeded generator, so that every benchmark reads the same lines.
var benchFile = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "attachcheck-bench")
	if err != nil {
		return "", err
	}
	name := filepath.Join(dir, "applications.jsonl")
	f, err := os.Create(name)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	g := campaigngen.Generate(campaigngen.Config{Seed: 16, Doctors: 200, Applications: benchLines})
	for i := range g.Applications {
		if err := enc.Encode(&g.Applications[i]); err != nil {
			return "", err
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return name, f.Close()
})

// openBench opens the benchmarks' input from its start.
func openBench(b *testing.B) *os.File {
	b.Helper()
	name, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// floor is the baseline the checker is held to: a program that only decodes each line
// into an Application and writes a small decision, both with encoding/json, one line
// after the other.
func floor(r io.Reader, w io.Writer) error {
	type small struct {
		ID      string `json:"id"`
		Outcome string `json:"outcome"`
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for sc.Scan() {
		var app attach.Application
		out := small{Outcome: "approved"}
		if err := json.Unmarshal(sc.Bytes(), &app); err != nil {
			out.Outcome = "invalid"
		}
		out.ID = app.ID
		if err := enc.Encode(&out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return bw.Flush()
}

// timeFloor runs the floor once over the benchmarks' input and returns how long it took.
func timeFloor(b *testing.B) time.Duration {
	f := openBench(b)
	defer f.Close()
	start := time.Now()
	if err := floor(f, io.Discard); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// timeChecker runs the checker once over the benchmarks' input, as the command does
// with the input on its standard input, and returns how long it took.
func timeChecker(b *testing.B, args ...string) time.Duration {
	f := openBench(b)
	defer f.Close()
	start := time.Now()
	if code := run(args, f, io.Discard, io.Discard); code != exitDecided {
		b.Fatalf("attachcheck %v: exit status %d, want 0", args, code)
	}
	return time.Since(start)
}

// reportLines reports the lines per second of b's timed runs, each over the whole input.
func reportLines(b *testing.B, timed time.Duration, runs int) {
	b.ReportMetric(float64(benchLines*runs)/timed.Seconds(), "lines/s")
	b.ReportMetric(0, "ns/op") // a run is the whole file: lines/s says more
}

// BenchmarkCheckerFloor is the floor alone, over the same lines as BenchmarkChecker.
func BenchmarkCheckerFloor(b *testing.B) {
	var timed time.Duration
	runs := 0
	for b.Loop() {
		timed += timeFloor(b)
		runs++
	}
	reportLines(b, timed, runs)
}

// BenchmarkChecker runs the whole checker, in plain mode and with -explain, over the
// generated input as standard input, its output discarded: what a user waits for. Each
// timed run is followed by untimed runs of its baselines over the same lines, so that the
// ratios compare runs made side by side on a busy machine: x-floor is the checker's
// lines/s over the floor's (at least 1 is the target), and for -explain x-plain is its
// time over plain mode's (at most 2).
func BenchmarkChecker(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		var timed, base time.Duration
		runs := 0
		for b.Loop() {
			timed += timeChecker(b)
			b.StopTimer()
			base += timeFloor(b)
			b.StartTimer()
			runs++
		}
		reportLines(b, timed, runs)
		b.ReportMetric(base.Seconds()/timed.Seconds(), "x-floor")
	})
	b.Run("explain", func(b *testing.B) {
		var timed, base, plain time.Duration
		runs := 0
		for b.Loop() {
			timed += timeChecker(b, "-explain")
			b.StopTimer()
			base += timeFloor(b)
			plain += timeChecker(b)
			b.StartTimer()
			runs++
		}
		reportLines(b, timed, runs)
		b.ReportMetric(base.Seconds()/timed.Seconds(), "x-floor")
		b.ReportMetric(timed.Seconds()/plain.Seconds(), "x-plain")
	})
}
