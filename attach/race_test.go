package attach_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestDecideConcurrently decides the same applications from many goroutines with one
// Engine and requires the results of the sequential run: the Engine never changes after
// New. Run it with -race.
func TestDecideConcurrently(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	apps := make([]*attach.Application, 300)
	want := make([]summary, len(apps))
	for i := range apps {
		apps[i] = genApp(r)
		d, err := eng.Decide(apps[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = summarize(d)
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d attach.Decision // each goroutine reuses its own storage
			for k := range apps {
				i := (k*7 + w*37) % len(apps)
				if err := eng.DecideInto(&d, apps[i]); err != nil {
					errs <- err.Error()
					return
				}
				if got := summarize(d); !equalSummary(got, want[i]) {
					errs <- "Decide concurrently differs from sequentially"
					return
				}
				if _, ok := d.Fact("in_area"); !ok {
					errs <- "Decision.Fact(in_area) missing"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
