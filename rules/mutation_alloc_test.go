package rules

import (
	"errors"
	"strings"
	"testing"
)

// TestEvalAllocatesNothing holds Eval to its promise: once a Result has grown, evaluating a
// set that runs on the fast path into it again allocates nothing, and neither does an
// incremental evaluation after a change of one input (nor the change itself). A set that
// fell back to expr's VM for no reason would allocate its map env.
func TestEvalAllocatesNothing(t *testing.T) {
	s := testSet([]Fact{
		{Name: "adult", Expr: "citizen.age >= params.adult"},
		{Name: "limit", Expr: "params.capacity * 2"},
		{Name: "share", Expr: "doctor.attached / 4"},
		{Name: "in_area", Expr: "hasAnyPrefix(citizen.address_code, clinic.service_area)"},
		{Name: "year_end", Expr: "nextMonthDay(application.date, 101)", Type: DateKind},
	}, "adult", "doctor.attached < limit", "share < 10.0", "in_area", "year_end > application.date")
	s.Params = []Param{{Name: "adult", Value: IntValue(18)}, {Name: "capacity", Value: IntValue(1700)}}
	c, _ := MustCompile(History{s}).At(20180101)
	if c.needVM {
		t.Fatal("the set runs on expr's VM; want the fast path")
	}
	var r Result
	env := envOf(map[string]any{
		"citizen.age": 30, "citizen.address_code": "751110000",
		"clinic.service_area": []string{"75"},
		"doctor.attached":     12,
		"application.date":    20240229, "application.month_day": 229, "application.year": 2024,
	})
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(20, func() {
		if err := c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("Eval into a grown Result allocates %v times, want 0", allocs)
	}
	attached := 12
	if allocs := testing.AllocsPerRun(20, func() {
		attached++
		if err := env.Set("doctor.attached", IntValue(attached)); err != nil {
			t.Fatal(err)
		}
		if err := c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("Set and an incremental Eval into a grown Result allocate %v times, want 0", allocs)
	}
	if want := attached < 3400; r.Passed[1] != want || r.Fact(2).Float() != float64(attached)/4 {
		t.Errorf("after an incremental Eval: share %v, passed %v; want %v, %v", r.Fact(2), r.Passed[1], float64(attached)/4, want)
	}
	// Fact computes a deferred fact (share, which only a rule reads) without allocating.
	if !c.facts[2].deferred {
		t.Fatal("fact share is computed by every evaluation; want it deferred")
	}
	var share Value
	if allocs := testing.AllocsPerRun(20, func() { share = r.Fact(2) }); allocs != 0 || share.Kind() != Float {
		t.Errorf("Fact(share) = %v and allocates %v times, want a float and 0", share, allocs)
	}
}

func TestConcatStringsBound(t *testing.T) {
	concatStrings := concatWithin(maxStringLen)
	half := strings.Repeat("a", maxStringLen/2)
	if got, err := concatStrings(half, half); err != nil || len(got) != maxStringLen {
		t.Errorf("concatStrings(%d + %d bytes) = %d bytes, %v; want %d bytes", len(half), len(half), len(got), err, maxStringLen)
	}
	if got, err := concatStrings(half+"a", half); !errors.Is(err, errArgs) || got != "" {
		t.Errorf("concatStrings(%d + %d bytes) = %d bytes, %v; want %v", len(half)+1, len(half), len(got), err, errArgs)
	}
	if got, err := concatStrings(half+half, "a"); !errors.Is(err, errArgs) || got != "" {
		t.Errorf("concatStrings(%d + 1 bytes) = %d bytes, %v; want %v", maxStringLen, len(got), err, errArgs)
	}
}
