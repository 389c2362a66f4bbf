package rules_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/emkhana/emkhana/rules"
)

// TestCompileConcurrently compiles several histories at once, each with its own
// parameters, and evaluates each Program from several goroutines: compiling shares no
// mutable state, and a Program never changes. Run it with -race.
func TestCompileConcurrently(t *testing.T) {
	env := &rules.Env{
		Citizen:     rules.EnvCitizen{Residency: "citizen", Age: 40, AddressCode: "751110000", CurrentClinicID: "C9", CurrentDoctorID: "D9", AttachedSince: 20240101},
		Clinic:      rules.EnvClinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75112"}},
		Doctor:      rules.EnvDoctor{ID: "D1", Specialty: "therapist", Attached: 1900},
		Application: rules.EnvApplication{ID: "A", Channel: "egov", Signed: true, Date: 20261005, MonthDay: 1005, Year: 2026},
	}
	const n = 6
	capacityPassed := func(p *rules.Program) (bool, error) {
		c, ok := p.At(20261005)
		if !ok {
			return false, fmt.Errorf("no set in force")
		}
		var r rules.Result
		if err := c.Eval(env, &r); err != nil {
			return false, err
		}
		for i, rule := range c.Set().Rules {
			if rule.ID == "capacity" {
				return r.Passed[i], nil
			}
		}
		return false, fmt.Errorf("no capacity rule")
	}
	var wg sync.WaitGroup
	errs := make(chan error, n*4)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := rules.Builtin()
			capacity := 1800 + 100*i // 1800 .. 2300: full below 2000, free from 2000
			for j := range h {
				s, err := h[j].WithParam("capacity", rules.IntValue(capacity))
				if err != nil {
					errs <- err
					return
				}
				h[j] = s
			}
			p, err := rules.Compile(h)
			if err != nil {
				errs <- err
				return
			}
			var inner sync.WaitGroup
			for range 3 {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for range 20 {
						got, err := capacityPassed(p)
						if err != nil {
							errs <- err
							return
						}
						if want := 1900 < capacity; got != want {
							errs <- fmt.Errorf("Eval(capacity %d) capacity passed = %v, want %v", capacity, got, want)
							return
						}
					}
				}()
			}
			inner.Wait()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
