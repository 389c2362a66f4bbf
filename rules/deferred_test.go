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
func deferredSet(t *testing.T, group int) *Compiled {
	t.Helper()
	s := testSet([]Fact{
		{Name: "first", Expr: `citizen.current_clinic_id == ""`},
		{Name: "until", Expr: "addMonths(citizen.attached_since, 12)", Type: DateKind},
		{Name: "rest", Expr: "citizen.age % params.group"},
		{Name: "channel", Expr: "application.channel"},
		{Name: "next", Expr: "first ? 1 : 2"},
	}, "first || application.date >= until")
	s.Params = []Param{{Name: "group", Value: intValue(group)}}
	c, _ := MustCompile(History{s}).At(20180101)
	return c
}

// TestDeferredFactsAreComputedByFact requires of every fact the value the VM gives, and
// that the facts that cannot fail are left to Fact while those that may are not.
func TestDeferredFactsAreComputedByFact(t *testing.T) {
	c := deferredSet(t, 7)
	wantDeferred := map[string]bool{"first": true, "until": false, "rest": false, "channel": true, "next": true}
	for i, f := range c.Set().Facts {
		if c.facts[i].deferred != wantDeferred[f.Name] {
			t.Errorf("fact %s deferred = %v, want %v", f.Name, c.facts[i].deferred, wantDeferred[f.Name])
		}
	}
	for _, env := range []*Env{
		envOf(map[string]any{"citizen.age": 15, "citizen.current_clinic_id": "C1", "citizen.attached_since": 20250301, "application.channel": "egov", "application.date": 20260228}),
		envOf(map[string]any{"citizen.age": 16, "citizen.current_clinic_id": "", "citizen.attached_since": 20250301, "application.channel": "in_person", "application.date": 20260228}),
	} {
		var r, vm Result
		if err := c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
		if err := c.evalVMOf(env, &vm, true); err != nil {
			t.Fatal(err)
		}
		got := r.Facts()
		if len(got) != len(c.facts) {
			t.Fatalf("Facts() has %d values, want %d", len(got), len(c.facts))
		}
		for i, f := range c.Set().Facts {
			if !got[i].Equal(vm.frame.facts[i]) || !r.Fact(i).Equal(got[i]) {
				t.Errorf("%s: fact %s: Facts() %v, Fact %v, VM %v", envText(env), f.Name, got[i], r.Fact(i), vm.frame.facts[i])
			}
		}
		if r.Passed[0] != vm.Passed[0] {
			t.Errorf("%s: rule passed %v, VM %v", envText(env), r.Passed[0], vm.Passed[0])
		}
	}
}

// TestFailingFactIsReportedWhenNoRuleNeedsIt: a fact that may fail is computed by every
// evaluation, so a failure is reported even when the rules short-circuit past it or no
// rule reads it, with the VM's message.
func TestFailingFactIsReportedWhenNoRuleNeedsIt(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		c      *Compiled
		env    *Env
		fact   string
	}{
		{name: "short_circuit", reason: "a first attachment passes without reading until, whose addMonths(0, 12) fails",
			c: deferredSet(t, 7), fact: "until",
			env: envOf(map[string]any{"citizen.age": 30, "application.date": 20260228})},
		{name: "read_by_no_rule", reason: "rest is shown only in the trace, and % 0 fails",
			c: deferredSet(t, 0), fact: "rest",
			env: envOf(map[string]any{"citizen.age": 30, "citizen.attached_since": 20250301, "application.date": 20260228})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r, vm Result
			err := tc.c.Eval(tc.env, &r)
			vmErr := tc.c.evalVMOf(tc.env, &vm, true)
			var re *RuntimeError
			if !errors.As(err, &re) || re.Fact != tc.fact {
				t.Fatalf("Eval = %v, want a RuntimeError of fact %s (%s)", err, tc.fact, tc.reason)
			}
			if !sameErr(err, vmErr) {
				t.Errorf("Eval = %v, VM = %v, want the same error (%s)", err, vmErr, tc.reason)
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
	c := deferredSet(t, 7)
	env := envOf(map[string]any{"citizen.current_clinic_id": "C1", "citizen.attached_since": 20250301, "application.channel": "egov", "application.date": 20260228})
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, len(c.facts)} {
		if v := r.Fact(i); v.Kind() != Invalid {
			t.Errorf("Fact(%d) = %v, want the zero Value", i, v)
		}
	}
	if v := r.Fact(len(c.facts) - 1); !v.Equal(intValue(2)) {
		t.Errorf("Fact(last) = %v, want 2", v)
	}
	if i, ok := c.FactIndex("next"); !ok || i != len(c.facts)-1 {
		t.Errorf("FactIndex(next) = %d, %v; want %d, true", i, ok, len(c.facts)-1)
	}
	if i, ok := c.FactIndex("nope"); ok {
		t.Errorf("FactIndex(nope) = %d, true; want false", i)
	}
}

// TestFactFromManyGoroutines reads the facts of one Result from several goroutines at
// once: Fact writes nothing. Run it with -race.
func TestFactFromManyGoroutines(t *testing.T) {
	c := deferredSet(t, 7)
	var r Result
	env := envOf(map[string]any{"citizen.age": 12, "citizen.current_clinic_id": "C1", "citizen.attached_since": 20250301, "application.channel": "egov", "application.date": 20260228})
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

// TestFactSeesItsEvaluation: the caller owns the elements of the Env's slices and may
// change them once Eval returns; a fact that reads one is computed by the evaluation, so
// Fact gives what the evaluation saw.
func TestFactSeesItsEvaluation(t *testing.T) {
	s := testSet([]Fact{
		{Name: "in_area", Expr: "hasAnyPrefix(citizen.address_code, clinic.service_area)"},
		{Name: "shown", Expr: "in_area ? 1 : 0"},
	}, "in_area")
	c, _ := MustCompile(History{s}).At(20180101)
	area := []string{"7511"}
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": area, "application.date": 20260228})
	var r Result
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	area[0] = "19" // the caller reuses its storage for the next application
	if !r.Passed[0] || !r.Fact(0).Equal(boolValue(true)) || !r.Fact(1).Equal(intValue(1)) {
		t.Errorf("after the caller changed the service area: passed %v, in_area %v, shown %v; want true, true, 1", r.Passed[0], r.Fact(0), r.Fact(1))
	}
}

// TestDeferredFactsDoNotMultiply: a chain of facts each reading the one before three
// times would run 3^n times if every fact were computed where it is read; a fact that
// costs more than inlineCost and is read more than once is computed once instead, so
// evaluating the chain finishes, with the VM's values.
func TestDeferredFactsDoNotMultiply(t *testing.T) {
	const n = 60
	facts := []Fact{{Name: "f0", Expr: "citizen.age"}}
	for i := 1; i <= n; i++ {
		prev := "f" + strconv.Itoa(i-1)
		facts = append(facts, Fact{Name: "f" + strconv.Itoa(i), Expr: prev + " + " + prev + " - " + prev})
	}
	c, _ := MustCompile(History{testSet(facts, "f"+strconv.Itoa(n)+" == citizen.age")}).At(20180101)
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
	env := envOf(map[string]any{"citizen.age": 41, "application.date": 20260228})
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Passed[0] || !r.Fact(n).Equal(intValue(41)) {
		t.Errorf("chain: passed %v, f%d = %v, want true and 41", r.Passed[0], n, r.Fact(n))
	}
}

// TestDeferredAtTheCostBoundary: a fact read more than once is deferred up to inlineCost
// (32) nodes, a call counting as callCost (8) and a deferred fact as its own cost; past it
// the fact is computed once per evaluation. A fact read once or never is deferred whatever
// it costs. The values are the VM's either way.
func TestDeferredAtTheCostBoundary(t *testing.T) {
	const sum8 = "citizen.age + doctor.attached + citizen.age + doctor.attached + citizen.age + doctor.attached + citizen.age + doctor.attached" // 8 * 3 + 7 = 31 nodes
	sum8neg := strings.Replace(sum8, "+ c", "+ -c", 1)                                                                                           // 32
	s := testSet([]Fact{
		{Name: "f32", Expr: "-" + sum8},
		{Name: "f33", Expr: "-" + sum8neg},
		{Name: "once33", Expr: "-" + sum8neg},
		{Name: "unread33", Expr: "-" + sum8neg},
		{Name: "g", Expr: "hasAnyPrefix(citizen.address_code, params.area)"}, // 8 + 1 + 2 * 3 = 15
		{Name: "h", Expr: "g && g"},                                          // 1 + 15 + 15 = 31
		{Name: "h3", Expr: "g && g && g"},                                    // 47
	}, "f32 > 0", "f32 < 1000000", "f33 > 0", "f33 < 1000000", "once33 > 0", "h", "h || h3", "h3")
	s.Params = []Param{{Name: "area", Value: stringsValue([]string{"7511"})}}
	c, _ := MustCompile(History{s}).At(20180101)
	tests := []struct {
		fact     string
		deferred bool
		reason   string
	}{
		{fact: "f32", deferred: true, reason: "read twice, 32 nodes: at the bound"},
		{fact: "f33", deferred: false, reason: "read twice, 33 nodes: past the bound"},
		{fact: "once33", deferred: true, reason: "read once: never repeated"},
		{fact: "unread33", deferred: true, reason: "read by no expression: computed only for the trace"},
		{fact: "g", deferred: true, reason: "read five times, 15 nodes with its call"},
		{fact: "h", deferred: true, reason: "read three times, 31 nodes with g's cost twice"},
		{fact: "h3", deferred: false, reason: "read twice, 47 nodes with g's cost three times"},
	}
	for _, tc := range tests {
		i, _ := c.FactIndex(tc.fact)
		if c.facts[i].deferred != tc.deferred {
			t.Errorf("fact %s deferred = %v, want %v (%s)", tc.fact, c.facts[i].deferred, tc.deferred, tc.reason)
		}
	}
	for _, env := range []*Env{
		envOf(map[string]any{"citizen.age": 30, "citizen.address_code": "751110000", "doctor.attached": 1999, "application.date": 20260228}),
		envOf(map[string]any{"citizen.age": 2, "citizen.address_code": "191110000", "doctor.attached": 7, "application.date": 20260228}),
	} {
		var r, vm Result
		err := c.Eval(env, &r)
		if vmErr := c.evalVMOf(env, &vm, true); err != nil || vmErr != nil || !sameResult(&r, &vm) {
			t.Errorf("Eval = %v, %v; VM = %v, %v", r.Facts(), err, factsOf(&vm), vmErr)
		}
	}
}
