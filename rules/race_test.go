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
	env := rules.EnvOf(map[string]any{
		"citizen.residency": "citizen", "citizen.age": 40, "citizen.address_code": "751110000",
		"citizen.current_clinic_id": "C9", "citizen.current_doctor_id": "D9", "citizen.attached_since": 20240101,
		"clinic.id": "C1", "clinic.fund_provider": true, "clinic.service_area": []string{"75112"},
		"doctor.id": "D1", "doctor.specialty": "therapist", "doctor.attached": 1900,
		"application.id": "A", "application.channel": "egov", "application.signed": true,
		"application.date": 20261005, "application.month_day": 1005, "application.year": 2026,
	})
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
				s, err := h[j].WithParam("capacity", rules.ValueOf(capacity))
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
