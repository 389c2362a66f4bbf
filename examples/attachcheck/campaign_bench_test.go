package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/campaigngen"
)

// writeCampaign writes a generated campaign as -campaign reads it, as the generator's
// command writes it: one count line per doctor, then the applications. It returns the
// number of lines.
func writeCampaign(b *testing.B, path string, cfg campaigngen.Config) int {
	b.Helper()
	g := campaigngen.Generate(cfg)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	lines := 0
	for _, d := range g.Doctors() {
		if err := enc.Encode(map[string]any{"count": d}); err != nil {
			b.Fatal(err)
		}
		lines++
	}
	for i := range g.Applications {
		if err := enc.Encode(&g.Applications[i]); err != nil {
			b.Fatal(err)
		}
		lines++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return lines
}

// floorLine is the small decision the floor writes for each line.
type floorLine struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
}

// floor is the plain floor of reading JSON Lines: it only decodes each line into an
// attach.Application and writes a small decision with encoding/json, on one goroutine.
// It is this package's own floor program, for the campaign benchmark.
func floor(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(w)
	for sc.Scan() {
		o := floorLine{Outcome: "decoded"}
		app, err := attach.DecodeApplication(sc.Bytes())
		if err != nil {
			o.Outcome = "error"
		} else {
			o.ID = app.ID
		}
		line, err := json.Marshal(o)
		if err != nil {
			return err
		}
		out.Write(append(line, '\n'))
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return out.Flush()
}

// cpuTime returns the CPU time the process has used, user and system: what a benchmark
// costs on a machine shared with other work, where its wall time is what is left over.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkCampaignChecker decides a generated national campaign through
// `attachcheck -campaign` (1,000,000 applications over 10,000 doctors, 1,010,000 lines
// with the counts, written to io.Discard) and, in each iteration just before, reads the
// same lines with the plain floor, so that both meet the same load of a shared machine.
// It reports each one's lines/s and CPU time per run (of the process, user and system),
// and campaign/floor, the campaign's lines/s as a share of the floor's. Writing the file
// takes about ten seconds before the timer starts.
func BenchmarkCampaignChecker(b *testing.B) {
	path := filepath.Join(b.TempDir(), "campaign.jsonl")
	lines := float64(writeCampaign(b, path, campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000}))
	var floorWall, floorCPU, campWall, campCPU time.Duration
	var share float64
	for b.Loop() {
		start, cpu := time.Now(), cpuTime()
		if err := floor(path, io.Discard); err != nil {
			b.Fatal(err)
		}
		fw, fc := time.Since(start), cpuTime()-cpu
		start, cpu = time.Now(), cpuTime()
		if code := run([]string{"-campaign", path}, nil, io.Discard, io.Discard); code != exitDecided {
			b.Fatalf("attachcheck -campaign exits %d", code)
		}
		cw, cc := time.Since(start), cpuTime()-cpu
		floorWall, floorCPU, campWall, campCPU = floorWall+fw, floorCPU+fc, campWall+cw, campCPU+cc
		share += fw.Seconds() / cw.Seconds()
	}
	n := float64(b.N)
	b.ReportMetric(lines*n/floorWall.Seconds(), "floor-lines/s")
	b.ReportMetric(lines*n/campWall.Seconds(), "campaign-lines/s")
	b.ReportMetric(share/n, "campaign/floor")
	b.ReportMetric(float64(floorCPU)/n, "floor-cpu-ns/op")
	b.ReportMetric(float64(campCPU)/n, "campaign-cpu-ns/op")
}
