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

// benchDir is the temporary directory of benchFile, removed by TestMain; "" until made.
var benchDir string

// benchFile is the benchmarks' input, written once per process into a temporary
// directory by the seeded generator, so that every benchmark reads the same lines.
var benchFile = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "attachcheck-bench")
	if err != nil {
		return "", err
	}
	benchDir = dir
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

// runFloor runs the floor once over the benchmarks' input.
func runFloor(b *testing.B) {
	f := openBench(b)
	defer f.Close()
	if err := floor(f, io.Discard); err != nil {
		b.Fatal(err)
	}
}

// runChecker runs the checker once over the benchmarks' input, as the command does with
// the input on its standard input.
func runChecker(b *testing.B, args ...string) {
	f := openBench(b)
	defer f.Close()
	if code := run(args, f, io.Discard, io.Discard); code != exitDecided {
		b.Fatalf("attachcheck %v: exit status %d, want 0", args, code)
	}
}

// tally adds up the runs of one program over the benchmarks' input: their time, and the
// CPU time of the process meanwhile (on Unix), which a busy machine disturbs less.
type tally struct {
	wall, cpu time.Duration
	runs      int
}

func (t *tally) time(run func()) {
	c, w := cpuTime(), time.Now()
	run()
	t.wall += time.Since(w)
	t.cpu += cpuTime() - c
	t.runs++
}

// report reports the lines per second of the runs, and their CPU time per line.
func (t *tally) report(b *testing.B) {
	lines := float64(benchLines * t.runs)
	b.ReportMetric(lines/t.wall.Seconds(), "lines/s")
	if t.cpu > 0 {
		b.ReportMetric(float64(t.cpu.Nanoseconds())/1e3/lines, "cpu-µs/line")
	}
	b.ReportMetric(0, "ns/op") // a run is the whole file: lines/s says more
}

// ratio reports the ratio of two tallies' times, as unit, and of their CPU times, as
// unit-cpu.
func ratio(b *testing.B, num, den *tally, unit string) {
	b.ReportMetric(num.wall.Seconds()/den.wall.Seconds(), unit)
	if num.cpu > 0 && den.cpu > 0 {
		b.ReportMetric(num.cpu.Seconds()/den.cpu.Seconds(), unit+"-cpu")
	}
}

// untimed runs a baseline with b's timer stopped.
func untimed(b *testing.B, t *tally, run func()) {
	b.StopTimer()
	t.time(run)
	b.StartTimer()
}

// BenchmarkCheckerFloor is the floor alone, over the same lines as BenchmarkChecker.
func BenchmarkCheckerFloor(b *testing.B) {
	var t tally
	for b.Loop() {
		t.time(func() { runFloor(b) })
	}
	t.report(b)
}

// BenchmarkChecker runs the whole checker, in plain mode and with -explain, over the
// generated input as standard input, its output discarded: what a user waits for. Each
// timed run has untimed runs of its baselines over the same lines next to it, before it
// and after it in turn, so that the ratios compare runs made side by side on a busy
// machine: x-floor is the checker's lines/s over the floor's (at least 1 is the target),
// and for -explain x-plain is its time over plain mode's (at most 2). The same ratios of
// CPU time, x-floor-cpu and x-plain-cpu, say what a machine too busy to give the checker
// its cores would show, and vary less from run to run.
func BenchmarkChecker(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		var chk, base tally
		for i := 0; b.Loop(); i++ {
			if i%2 == 1 {
				untimed(b, &base, func() { runFloor(b) })
			}
			chk.time(func() { runChecker(b) })
			if i%2 == 0 {
				untimed(b, &base, func() { runFloor(b) })
			}
		}
		chk.report(b)
		ratio(b, &base, &chk, "x-floor")
	})
	b.Run("explain", func(b *testing.B) {
		var chk, base, plain tally
		for i := 0; b.Loop(); i++ {
			if i%2 == 1 {
				untimed(b, &base, func() { runFloor(b) })
				untimed(b, &plain, func() { runChecker(b) })
			}
			chk.time(func() { runChecker(b, "-explain") })
			if i%2 == 0 {
				untimed(b, &plain, func() { runChecker(b) })
				untimed(b, &base, func() { runFloor(b) })
			}
		}
		chk.report(b)
		ratio(b, &base, &chk, "x-floor")
		ratio(b, &chk, &plain, "x-plain")
	})
}
