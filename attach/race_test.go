package attach_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
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

// TestTraceConcurrently reads the trace, the facts and the explanation of one decision
// from several goroutines at once: the facts a decision did not need are computed when
// asked, into nothing the Decision shares. Run it with -race.
func TestTraceConcurrently(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	var d attach.Decision
	for d.Outcome != attach.Rejected {
		if d, err = eng.Decide(genApp(r)); err != nil {
			t.Fatal(err)
		}
	}
	want, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	wantMsgs := eng.Explain(&d, "ru").Messages
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				got, err := json.Marshal(d)
				if err != nil || string(got) != string(want) {
					t.Errorf("trace read concurrently = %s, %v; want %s", got, err, want)
					return
				}
				if msgs := eng.Explain(&d, "ru").Messages; !reflect.DeepEqual(msgs, wantMsgs) {
					t.Errorf("Explain concurrently = %v, want %v", msgs, wantMsgs)
					return
				}
			}
		}()
	}
	wg.Wait()
}
