package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

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

// BenchmarkCampaignChecker decides a generated national campaign through
// `attachcheck -campaign` (1,000,000 applications over 10,000 doctors, 1,010,000 lines
// with the counts, written to io.Discard). Each timed run has an untimed run of the floor
// (bench_test.go) over the same lines next to it, before it and after it in turn, so
// that x-floor, the campaign's lines/s over the floor's, compares runs made side by side
// on a busy machine (at least 0.5 is the target); x-floor-cpu is the same ratio of CPU
// times. It reports the lines/s and CPU time per line of both. Writing the file takes
// about ten seconds before the timer starts.
func BenchmarkCampaignChecker(b *testing.B) {
	path := filepath.Join(b.TempDir(), "campaign.jsonl")
	lines := float64(writeCampaign(b, path, campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000}))
	runOn := func(run func(f *os.File)) {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		run(f)
	}
	campaign := func() {
		runOn(func(f *os.File) {
			if code := run([]string{"-campaign"}, f, io.Discard, io.Discard); code != exitDecided {
				b.Fatalf("attachcheck -campaign: exit status %d, want 0", code)
			}
		})
	}
	base := func() {
		runOn(func(f *os.File) {
			if err := floor(f, io.Discard); err != nil {
				b.Fatal(err)
			}
		})
	}
	var chk, fl tally
	for i := 0; b.Loop(); i++ {
		if i%2 == 1 {
			untimed(b, &fl, base)
		}
		chk.time(campaign)
		if i%2 == 0 {
			untimed(b, &fl, base)
		}
	}
	for _, t := range []struct {
		name string
		t    *tally
	}{{"", &chk}, {"floor-", &fl}} {
		runs := lines * float64(t.t.runs)
		b.ReportMetric(runs/t.t.wall.Seconds(), t.name+"lines/s")
		if t.t.cpu > 0 {
			b.ReportMetric(float64(t.t.cpu.Nanoseconds())/1e3/runs, t.name+"cpu-µs/line")
		}
	}
	ratio(b, &fl, &chk, "x-floor")
}
