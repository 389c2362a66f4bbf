package campaign_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
)

// national generates the campaign of BenchmarkCampaign1M: 1,000,000 applications to
// 10,000 doctors by people of whom 5% apply two or three times (the generator's default).
func national() *campaigngen.Campaign {
	return campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000})
}

// plainApps are national's applications for loop=plain, kept between its runs and
// dropped while loop=run runs, so that a run's collections do not scan them.
var plainApps []attach.Application

// cpuTime returns the CPU time the process has used, user and system: what a benchmark
// costs on a machine shared with other work, where its wall time is what is left over.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// heap returns the bytes of live heap objects, after a collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkCampaign1M decides a national campaign with live capacity (loop=run; with one
// worker, loop=run1), beside a plain loop deciding the same applications one by one with
// DecideInto on one goroutine (loop=plain), the floor of deciding them: compare them
// with benchstat -col /loop. loop=run reports what a batch and a result keep per
// application (B/app-batch: the packed applications; B/app-result: the decisions),
// measured as live heap after a collection. Generating the campaign takes a few seconds
// and about 1 GiB before each sub-benchmark's timer starts.
func BenchmarkCampaign1M(b *testing.B) {
	e := builtinEngine(b, nil)
	b.Run("loop=plain", func(b *testing.B) {
		if plainApps == nil {
			plainApps = national().Applications
		}
		var d attach.Decision
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			approved := 0
			for i := range plainApps {
				if err := e.DecideInto(&d, &plainApps[i]); err == nil && d.Approved() {
					approved++
				}
			}
			b.ReportMetric(float64(approved), "approved")
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	for _, workers := range []int{0, 1} {
		name := "loop=run"
		if workers > 0 {
			name = "loop=run1"
		}
		b.Run(name, func(b *testing.B) {
			runNational(b, e, workers)
		})
	}
}

// runNational is loop=run of BenchmarkCampaign1M, with Batch.Workers = workers.
func runNational(b *testing.B, e *attach.Engine, workers int) {
	plainApps = nil
	before := heap()
	batch := national().Batch() // only the batch stays
	batch.Workers = workers
	batchBytes := heap() - before
	b.ReportAllocs()
	var res *campaign.Result
	cpu := cpuTime()
	for b.Loop() {
		res = nil
		var err error
		res, err = campaign.Run(e, batch)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	n := float64(batch.Len())
	withResult := heap()
	b.ReportMetric(float64(res.Summary.Approved), "approved")
	b.ReportMetric(float64(res.Summary.Superseded), "superseded")
	runtime.KeepAlive(res)
	res = nil
	resultBytes := withResult - heap()
	b.ReportMetric(float64(batchBytes)/n, "B/app-batch")
	b.ReportMetric(float64(resultBytes)/n, "B/app-result")
	runtime.KeepAlive(batch)
}
