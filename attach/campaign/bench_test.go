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

// timed runs fn and returns its wall and CPU time.
func timed(fn func()) (wall, cpu time.Duration) {
	start, c := time.Now(), cpuTime()
	fn()
	return time.Since(start), cpuTime() - c
}

// BenchmarkCampaign1M decides a national campaign: 1,000,000 applications to 10,000
// doctors, with live capacity, by people of whom 5% apply two or three times (the
// generator's default). Each iteration decides the same applications three ways, one
// after the other so that all three meet the same load of a shared machine: plain, a
// loop of DecideInto over them on one goroutine, the floor of deciding them; run,
// campaign.Run with as many workers as cores; run1, campaign.Run with one worker. It
// reports each one's wall and CPU time per run (the process's, user and system), run and
// run1 as multiples of plain, and what a batch and a result keep per application
// (B/app-batch, B/app-result), measured as live heap after a collection. The plain loop's
// applications are restored from the batch before it and dropped before the runs, so
// that no run's collections mark them. Generating the campaign takes a few seconds and
// about 1 GiB before the timer starts.
func BenchmarkCampaign1M(b *testing.B) {
	e := builtinEngine(b, nil)
	before := heap()
	batch := campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000}).Batch()
	batchBytes := heap() - before
	n := float64(batch.Len())
	var wall, cpu [3]time.Duration // plain, run, run1
	var res *campaign.Result
	approved := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		apps := campaign.Applications(batch)
		runtime.GC()
		b.StartTimer()
		w, c := timed(func() {
			var d attach.Decision
			approved = 0
			for i := range apps {
				if err := e.DecideInto(&d, &apps[i]); err == nil && d.Approved() {
					approved++
				}
			}
		})
		wall[0], cpu[0] = wall[0]+w, cpu[0]+c
		b.StopTimer()
		apps = nil
		runtime.GC()
		b.StartTimer()
		for k, workers := range []int{0, 1} {
			batch.Workers = workers
			w, c := timed(func() {
				res = nil
				var err error
				if res, err = campaign.Run(e, batch); err != nil {
					b.Fatal(err)
				}
			})
			wall[k+1], cpu[k+1] = wall[k+1]+w, cpu[k+1]+c
		}
	}
	b.StopTimer()
	N := float64(b.N)
	for k, name := range []string{"plain", "run", "run1"} {
		b.ReportMetric(float64(wall[k])/N, name+"-ns/op")
		b.ReportMetric(float64(cpu[k])/N, name+"-cpu-ns/op")
	}
	b.ReportMetric(wall[1].Seconds()/wall[0].Seconds(), "run/plain")
	b.ReportMetric(wall[2].Seconds()/wall[0].Seconds(), "run1/plain")
	b.ReportMetric(cpu[1].Seconds()/cpu[0].Seconds(), "run/plain-cpu")
	b.ReportMetric(float64(approved), "plain-approved")
	b.ReportMetric(float64(res.Summary.Approved), "approved")
	withResult := heap()
	runtime.KeepAlive(res)
	res = nil
	b.ReportMetric(float64(batchBytes)/n, "B/app-batch")
	b.ReportMetric(float64(withResult-heap())/n, "B/app-result")
	runtime.KeepAlive(batch)
}
