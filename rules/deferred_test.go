package rules

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// deferredSet has a fact that may fail behind a short circuit (until), one that may fail
// and no rule reads (rest), one that cannot fail and only the trace shows (channel), and
// one that reads a deferred fact (next).
func deferredSet(t *testing.T) *Compiled {
	t.Helper()
	msgs := map[string]string{"kk": "k", "ru": "r", "en": "e"}
	s := Set{
		ID: "deferred", EffectiveFrom: 20180101,
		Params: []Param{{Name: "group", Value: IntValue(7)}},
		Facts: []Fact{
			{Name: "first", Expr: `citizen.current_clinic_id == ""`},
			{Name: "until", Expr: "addMonths(citizen.attached_since, 12)", Type: DateKind},
			{Name: "rest", Expr: "citizen.age % params.group"},
			{Name: "channel", Expr: "application.channel"},
			{Name: "next", Expr: "first ? 1 : 2"},
		},
		Rules: []Rule{
			{ID: "once", Expr: "first || application.date >= until", Source: Citation{Doc: "test", Quote: "test"}, Messages: msgs},
		},
		TakesEffect: "application.date",
	}
	p, err := Compile(History{s})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.At(20180101)
	return c
}

// TestDeferredFactsAreComputedByFact requires of every fact the value the VM gives, and
// that the facts that cannot fail are left to Fact while those that may are not.
func TestDeferredFactsAreComputedByFact(t *testing.T) {
	c := deferredSet(t)
	wantDeferred := map[string]bool{"first": true, "until": false, "rest": false, "channel": true, "next": true}
	for i, f := range c.Set().Facts {
		if c.facts[i].deferred != wantDeferred[f.Name] {
			t.Errorf("fact %s deferred = %v, want %v", f.Name, c.facts[i].deferred, wantDeferred[f.Name])
		}
	}
	for _, env := range []*Env{
		{Citizen: EnvCitizen{Age: 15, CurrentClinicID: "C1", AttachedSince: 20250301}, Application: EnvApplication{Channel: "egov", Date: 20260228}},
		{Citizen: EnvCitizen{Age: 16, CurrentClinicID: "", AttachedSince: 20250301}, Application: EnvApplication{Channel: "in_person", Date: 20260228}},
	} {
		var r, vm Result
		if err := c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
		if err := c.evalVM(env, &vm, true); err != nil {
			t.Fatal(err)
		}
		got := r.Facts()
		if len(got) != len(c.facts) {
			t.Fatalf("Facts() has %d values, want %d", len(got), len(c.facts))
		}
		for i, f := range c.Set().Facts {
			if !got[i].Equal(vm.frame.facts[i]) || !r.Fact(i).Equal(got[i]) {
				t.Errorf("%+v: fact %s: Facts() %v, Fact %v, VM %v", env.Citizen, f.Name, got[i], r.Fact(i), vm.frame.facts[i])
			}
		}
		if r.Passed[0] != vm.Passed[0] {
			t.Errorf("%+v: rule once passed %v, VM %v", env.Citizen, r.Passed[0], vm.Passed[0])
		}
	}
}

// TestFailingFactIsReportedWhenNoRuleNeedsIt: a fact that may fail is computed by every
// evaluation, so a failure is reported even when the rules short-circuit past it or no
// rule reads it, with the VM's message.
func TestFailingFactIsReportedWhenNoRuleNeedsIt(t *testing.T) {
	c := deferredSet(t)
	zeroGroup, err := c.Set().WithParam("group", IntValue(0))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(History{zeroGroup})
	if err != nil {
		t.Fatal(err)
	}
	c0, _ := p.At(20180101)
	tests := []struct {
		name string
		c    *Compiled
		env  *Env
		fact string
	}{
		{name: "short_circuit", c: c, fact: "until",
			env: &Env{Citizen: EnvCitizen{Age: 30}, Application: EnvApplication{Date: 20260228}}},
		{name: "read_by_no_rule", c: c0, fact: "rest",
			env: &Env{Citizen: EnvCitizen{Age: 30, AttachedSince: 20250301}, Application: EnvApplication{Date: 20260228}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r, vm Result
			err := tc.c.Eval(tc.env, &r)
			vmErr := tc.c.evalVM(tc.env, &vm, true)
			var re *RuntimeError
			if !errors.As(err, &re) || re.Fact != tc.fact || !errors.Is(err, ErrRuntime) {
				t.Fatalf("Eval = %v, want a RuntimeError of fact %s", err, tc.fact)
			}
			if vmErr == nil || err.Error() != vmErr.Error() {
				t.Errorf("Eval = %v, VM = %v, want the same error", err, vmErr)
			}
			if r.Facts() != nil || r.Fact(0).Kind() != Invalid {
				t.Errorf("after a failed Eval: Facts() = %v, Fact(0) = %v, want nil and the zero Value", r.Facts(), r.Fact(0))
			}
		})
	}
}

// TestFactOutsideAnEvaluation: a Result that holds no evaluation, or an index that is no
// fact, gives the zero Value.
func TestFactOutsideAnEvaluation(t *testing.T) {
	var r Result
	if r.Facts() != nil || r.Fact(0).Kind() != Invalid {
		t.Errorf("zero Result: Facts() = %v, Fact(0) = %v", r.Facts(), r.Fact(0))
	}
	c := deferredSet(t)
	env := &Env{Citizen: EnvCitizen{CurrentClinicID: "C1", AttachedSince: 20250301}, Application: EnvApplication{Channel: "egov", Date: 20260228}}
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, len(c.facts)} {
		if v := r.Fact(i); v.Kind() != Invalid {
			t.Errorf("Fact(%d) = %v, want the zero Value", i, v)
		}
	}
	if v := r.Fact(len(c.facts) - 1); v != IntValue(2) {
		t.Errorf("Fact(last) = %v, want 2", v)
	}
}

// TestFactFromManyGoroutines reads the facts of one Result from several goroutines at
// once: Fact writes nothing. Run it with -race.
func TestFactFromManyGoroutines(t *testing.T) {
	c := deferredSet(t)
	var r Result
	env := &Env{Citizen: EnvCitizen{Age: 12, CurrentClinicID: "C1", AttachedSince: 20250301}, Application: EnvApplication{Channel: "egov", Date: 20260228}}
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	want := r.Facts()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				for i, v := range r.Facts() {
					if !v.Equal(want[i]) {
						t.Errorf("fact %d = %v, want %v", i, v, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestDeferredFactsDoNotMultiply: a chain of facts each reading the one before twice
// would run 2^n times if every fact were computed where it is read; a fact that costs
// more than inlineCost and is read more than once is computed once instead, so
// evaluating the chain finishes, with the VM's values.
func TestDeferredFactsDoNotMultiply(t *testing.T) {
	const n = 60
	facts := []Fact{{Name: "f0", Expr: "citizen.age"}}
	for i := 1; i <= n; i++ {
		prev := "f" + strconv.Itoa(i-1)
		facts = append(facts, Fact{Name: "f" + strconv.Itoa(i), Expr: prev + " + " + prev + " - " + prev})
	}
	s := Set{
		ID: "chain", EffectiveFrom: 20180101, Facts: facts, TakesEffect: "application.date",
		Rules: []Rule{{ID: "last", Expr: "f" + strconv.Itoa(n) + " == citizen.age", Source: Citation{Doc: "test", Quote: "test"},
			Messages: map[string]string{"kk": "k", "ru": "r", "en": "e"}}},
	}
	p, err := Compile(History{s})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.At(20180101)
	computed := 0
	for i := range c.facts {
		if !c.facts[i].deferred {
			computed++
		}
	}
	if computed < n/3 {
		t.Errorf("%d of %d facts are computed by each evaluation; the chain needs one in every three", computed, n+1)
	}
	var r Result
	env := &Env{Citizen: EnvCitizen{Age: 41}, Application: EnvApplication{Date: 20260228}}
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Passed[0] || r.Fact(n) != IntValue(41) {
		t.Errorf("chain: passed %v, f%d = %v, want true and 41", r.Passed[0], n, r.Fact(n))
	}
}

// TestDeferredAtTheCostBoundary: a fact read more than once is deferred up to inlineCost
// (32) nodes, a call counting as callCost (8) and a deferred fact as its own cost; past it
// the fact is computed once per evaluation. A fact read once or never is deferred whatever
// it costs. The values are the VM's either way.
func TestDeferredAtTheCostBoundary(t *testing.T) {
	const sum8 = "citizen.age + doctor.attached + citizen.age + doctor.attached + citizen.age + doctor.attached + citizen.age + doctor.attached" // 8 * 3 + 7 = 31 nodes
	s := testSet([]Fact{
		{Name: "f32", Expr: "-" + sum8},                                    // 32
		{Name: "f33", Expr: "-" + strings.Replace(sum8, "+ c", "+ -c", 1)}, // 33
		{Name: "once33", Expr: "-" + strings.Replace(sum8, "+ c", "+ -c", 1)},
		{Name: "unread33", Expr: "-" + strings.Replace(sum8, "+ c", "+ -c", 1)},
		{Name: "g", Expr: "hasAnyPrefix(citizen.address_code, clinic.service_area)"}, // 8 + 1 + 2 * 3 = 15
		{Name: "h", Expr: "g && g"},                                                  // 1 + 15 + 15 = 31
		{Name: "h3", Expr: "g && g && g"},                                            // 47
	}, "f32 > 0", "f32 < 1000000", "f33 > 0", "f33 < 1000000", "once33 > 0", "h", "h || h3", "h3")
	c, _ := MustCompile(History{s}).At(20180101)
	want := map[string]bool{"f32": true, "f33": false, "once33": true, "unread33": true, "g": true, "h": true, "h3": false}
	for i, f := range c.Set().Facts {
		if c.facts[i].deferred != want[f.Name] {
			t.Errorf("fact %s deferred = %v, want %v", f.Name, c.facts[i].deferred, want[f.Name])
		}
	}
	for _, env := range []*Env{
		{Citizen: EnvCitizen{Age: 30, AddressCode: "751110000"}, Clinic: EnvClinic{ServiceArea: []string{"7511"}}, Doctor: EnvDoctor{Attached: 1999}, Application: EnvApplication{Date: 20260228}},
		{Citizen: EnvCitizen{Age: 2, AddressCode: "191110000"}, Clinic: EnvClinic{ServiceArea: []string{"7511"}}, Doctor: EnvDoctor{Attached: 7}, Application: EnvApplication{Date: 20260228}},
	} {
		var r, vm Result
		err := c.Eval(env, &r)
		if vmErr := c.evalVM(env, &vm, true); err != nil || vmErr != nil || !sameResult(&r, &vm) {
			t.Errorf("Eval = %v, %v; VM = %v, %v", r.Facts(), err, factsOf(&vm), vmErr)
		}
	}
}
