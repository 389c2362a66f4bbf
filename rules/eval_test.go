package rules

import (
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of eval.go pin evaluation: a Result reused across programs, the text of each
// runtime failure, the conversion of what expr gives, and that evaluating into a grown
// Result allocates nothing.

func TestResultReusedAcrossPrograms(t *testing.T) {
	program := func(capacity int) *Compiled {
		s := testSet([]Fact{{Name: "cap", Expr: "params.capacity"}, {Name: "age", Expr: "citizen.age"}}, "age < cap")
		s.Params = []Param{{Name: "capacity", Value: intValue(capacity)}}
		c, _ := MustCompile(History{s}).At(20180101)
		return c
	}
	a, b := program(10), program(20)
	env := envOf(map[string]any{"citizen.age": 15, "application.date": 20180101})
	var r Result
	for i, tc := range []struct {
		c    *Compiled
		cap  int
		pass bool
	}{{a, 10, false}, {b, 20, true}, {a, 10, false}, {a, 10, false}} {
		require.NoError(t, tc.c.Eval(env, &r))
		// A Result must not keep another program's values.
		assert.Equal(t, tc.cap, r.Fact(0).Int(), "Eval #%d with one Result: cap", i)
		assert.Equal(t, tc.pass, r.Passed[0], "Eval #%d with one Result: passed", i)
	}
}

func TestRuntimeErrorTexts(t *testing.T) {
	tests := []struct {
		name, reason string
		set          Set
		want         string
		rule, fact   string
		line, column int
	}{
		{
			name:   "fact",
			reason: "a fact's failure names the fact and the place in its expression",
			set:    testSet([]Fact{{Name: "share", Expr: "100 /\n doctor.attached"}, {Name: "n", Expr: "clinic.service_area[5]"}}, "true"),
			want:   "rules: t: fact n: 1:20: index out of range: 5 (array length is 0)",
			fact:   "n", line: 1, column: 20,
		},
		{
			name:   "rule",
			reason: "a rule's failure names the rule",
			set:    testSet(nil, "true", "len(clinic.service_area[1]) > 0"),
			want:   "rules: t: rule r1: 1:24: index out of range: 1 (array length is 0)",
			rule:   "r1", line: 1, column: 24,
		},
		{
			name:   "takes_effect",
			reason: "takes_effect must give a day of the calendar",
			set: func() Set {
				s := testSet(nil, "true")
				s.TakesEffect = "application.date + 30"
				return s
			}(),
			want: "rules: t: takes_effect: 1:1: takes_effect gave 20240259, which is not a day of the calendar",
			line: 1, column: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := MustCompile(History{tc.set}).At(20180101)
			env := envOf(map[string]any{"application.date": 20240229})
			for _, vmOnly := range []bool{false, true} {
				var r Result
				err := evalOn(c, env, &r, vmOnly)
				var re *RuntimeError
				require.ErrorAs(t, err, &re, "vm only %v: %s", vmOnly, tc.reason)
				require.EqualError(t, err, tc.want, "vm only %v: %s", vmOnly, tc.reason)
				assert.ErrorContains(t, re.Err, re.Message, "vm only %v: the cause Eval wraps is the failure it names", vmOnly)
				assert.Equal(t, [3]string{"t", tc.rule, tc.fact}, [3]string{re.Set, re.Rule, re.Fact}, "set, rule and fact")
				assert.Equal(t, [2]int{tc.line, tc.column}, [2]int{re.Line, re.Column}, "line and column")
				assert.NotErrorIs(t, err, io.EOF)
			}
		})
	}
}

func TestResultValue(t *testing.T) {
	tests := []struct {
		name string
		k    Kind
		in   any
		want Value
		err  string
	}{
		{name: "bool", k: Bool, in: true, want: boolValue(true)},
		{name: "int", k: Int, in: int64(7), want: intValue(7)},
		{name: "float64", k: Float, in: 0.5, want: floatValue(0.5)},
		{name: "float32", k: Float, in: float32(0.25), want: floatValue(0.25)},
		{name: "string", k: String, in: "egov", want: stringValue("egov")},
		{name: "strings", k: Strings, in: []string{"a"}, want: stringsValue([]string{"a"})},
		{name: "any_list", k: Strings, in: []any{"a", "b"}, want: stringsValue([]string{"a", "b"})},
		{name: "date", k: DateKind, in: 20240229, want: dateValue(20240229)},
		{name: "month_day", k: MonthDayKind, in: 229, want: monthDayValue(229)},
		{name: "mixed_list", k: Strings, in: []any{"a", 1}, err: "list holds int, not string"},
		{name: "bool_for_int", k: Int, in: true, err: "gave true (bool), not a int"},
		{name: "int_for_bool", k: Bool, in: 1, err: "gave 1 (int), not a bool"},
		{name: "int_for_float", k: Float, in: 1, err: "gave 1 (int), not a float"},
		{name: "int_for_string", k: String, in: 1, err: "gave 1 (int), not a string"},
		{name: "string_for_date", k: DateKind, in: "2024-02-29", err: "gave 2024-02-29 (string), not a date"},
		{name: "string_for_month_day", k: MonthDayKind, in: "02-29", err: "gave 02-29 (string), not a month_day"},
		{name: "int_map", k: IntMap, in: map[string]int{}, err: "gave map[] (map[string]int), not a int_map"},
	}
	for _, tc := range tests {
		got, err := resultValue(tc.k, tc.in)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, "resultValue(%v, %#v)", tc.k, tc.in)
			continue
		}
		assert.NoError(t, err, "resultValue(%v, %#v)", tc.k, tc.in)
		assert.True(t, got.Equal(tc.want), "resultValue(%v, %#v) = %v, want %v", tc.k, tc.in, got, tc.want)
	}
}

func TestEvalVMGivesFactsToLaterFacts(t *testing.T) {
	// A fact computed by the fast path inside an evaluation on the VM must be seen by the
	// facts and rules the VM runs after it.
	s := testSet([]Fact{
		{Name: "age", Expr: "citizen.age"},
		{Name: "adult", Expr: "age >= 18"},
	}, "adult", `age > 0 && citizen.residency matches "^c"`)
	c, _ := MustCompile(History{s}).At(20180101)
	for _, age := range []int{17, 18} {
		env := envOf(map[string]any{"citizen.age": age, "citizen.residency": "citizen", "application.date": 20180101})
		for _, vmOnly := range []bool{false, true} {
			var r Result
			require.NoError(t, c.evalVMOf(env, &r, vmOnly))
			assert.Equal(t, []bool{age >= 18, true}, r.Passed, "evalVM(age %d, vm only %v)", age, vmOnly)
			assert.Equal(t, age >= 18, factsOf(&r)[1].Bool(), "evalVM(age %d, vm only %v): fact adult", age, vmOnly)
		}
	}
}

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
	s.Params = []Param{{Name: "adult", Value: intValue(18)}, {Name: "capacity", Value: intValue(1700)}}
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM, "the set runs on expr's VM; want the fast path")
	var r Result
	env := envOf(map[string]any{
		"citizen.age": 30, "citizen.address_code": "751110000",
		"clinic.service_area": []string{"75"},
		"doctor.attached":     12,
		"application.date":    20240229, "application.month_day": 229, "application.year": 2024,
	})
	require.NoError(t, c.Eval(env, &r))
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
		if err := env.Set("doctor.attached", intValue(attached)); err != nil {
			t.Fatal(err)
		}
		if err := c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("Set and an incremental Eval into a grown Result allocate %v times, want 0", allocs)
	}
	assert.Equal(t, attached < 3400, r.Passed[1], "after an incremental Eval: passed")
	assert.Equal(t, float64(attached)/4, r.Fact(2).Float(), "after an incremental Eval: share")
	// Fact computes a deferred fact (share, which only a rule reads) without allocating.
	require.True(t, c.facts[2].deferred, "fact share is computed by every evaluation; want it deferred")
	var share Value
	if allocs := testing.AllocsPerRun(20, func() { share = r.Fact(2) }); allocs != 0 || share.Kind() != Float {
		t.Errorf("Fact(share) = %v and allocates %v times, want a float and 0", share, allocs)
	}
}

// TestEvalIntoACopy: a Result copied, then evaluated into, takes storage of its own: the
// original keeps its rules' results and facts.
func TestEvalIntoACopy(t *testing.T) {
	s := testSet([]Fact{{Name: "area", Expr: `hasAnyPrefix(citizen.address_code, clinic.service_area)`}}, `area`, `citizen.insured`)
	c, _ := MustCompile(History{s}).At(20180101)
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": []string{"7511"}, "citizen.insured": true, "application.date": 20240131})
	var r1 Result
	require.NoError(t, c.Eval(env, &r1))
	require.NoError(t, c.Eval(env, &r1)) // incremental: r1 keeps its copies
	want, wantFacts := slices.Clone(r1.Passed), r1.Facts()
	r2 := r1
	other := envOf(map[string]any{"citizen.address_code": "190000000", "clinic.service_area": []string{"7511"}, "citizen.insured": false, "application.date": 20240131})
	require.NoError(t, c.Eval(other, &r2))
	assert.Equal(t, []bool{false, false}, r2.Passed)
	assert.Equal(t, want, r1.Passed, "the original's results, after evaluating into its copy")
	assert.Equal(t, wantFacts, r1.Facts(), "the original's facts")
	require.NoError(t, c.Eval(env, &r1))
	assert.Equal(t, want, r1.Passed, "the original evaluated again, incrementally")
	assert.Equal(t, []bool{false, false}, r2.Passed, "the copy, after the original is evaluated again")
}
