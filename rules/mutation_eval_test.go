package rules

import (
	"errors"
	"io"
	"testing"
)

// These tests pin evaluation (eval.go) and its errors (errors.go): a Result reused across
// programs, the text of each runtime failure, and the conversion of what expr gives.

func TestResultReusedAcrossPrograms(t *testing.T) {
	program := func(capacity int) *Compiled {
		s := testSet([]Fact{{Name: "cap", Expr: "params.capacity"}, {Name: "age", Expr: "citizen.age"}}, "age < cap")
		s.Params = []Param{{Name: "capacity", Value: IntValue(capacity)}}
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
		if err := tc.c.Eval(env, &r); err != nil {
			t.Fatal(err)
		}
		if r.Fact(0).Int() != tc.cap || r.Passed[0] != tc.pass {
			t.Errorf("Eval #%d with one Result: cap %v, passed %v; want %d, %v: a Result must not keep another program's values", i, r.Fact(0), r.Passed[0], tc.cap, tc.pass)
		}
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
				if !errors.As(err, &re) || err.Error() != tc.want {
					t.Fatalf("Eval(%s, vm only %v) = %v, want %q (%s)", tc.name, vmOnly, err, tc.want, tc.reason)
				}
				if re.Set != "t" || re.Rule != tc.rule || re.Fact != tc.fact || re.Line != tc.line || re.Column != tc.column {
					t.Errorf("Eval(%s) = %+v, want set t, rule %q, fact %q at %d:%d", tc.name, re, tc.rule, tc.fact, tc.line, tc.column)
				}
				if !errors.Is(err, ErrRuntime) || errors.Is(err, io.EOF) {
					t.Errorf("errors.Is(%v): ErrRuntime %v, io.EOF %v; want true, false", err, errors.Is(err, ErrRuntime), errors.Is(err, io.EOF))
				}
			}
		})
	}
}

func TestRuntimeErrorIsOnlyErrRuntime(t *testing.T) {
	cause := errors.New("cause")
	re := &RuntimeError{Set: "s", Rule: "r", Line: 2, Column: 3, Message: "boom", Err: cause}
	if !re.Is(ErrRuntime) || re.Is(cause) || re.Is(io.EOF) {
		t.Errorf("RuntimeError.Is: ErrRuntime %v, its cause %v, io.EOF %v; want true, false, false", re.Is(ErrRuntime), re.Is(cause), re.Is(io.EOF))
	}
	if !errors.Is(re, cause) || errors.Unwrap(re) != cause {
		t.Errorf("errors.Is(RuntimeError, cause) = false, want the cause reachable through Unwrap")
	}
	if got, want := re.Error(), "rules: s: rule r: 2:3: boom"; got != want {
		t.Errorf("RuntimeError.Error() = %q, want %q", got, want)
	}
}

func TestErrorTexts(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "everything", err: &Error{Set: "s", Rule: "r", Field: "expr", Line: 2, Column: 5, Message: "bad", Snippet: "\n | x\n | ^"},
			want: "rules: s: rule r: expr:2:5: bad\n | x\n | ^"},
		{name: "fact_field_no_line", err: &Error{Set: "s", Fact: "f", Field: "type", Message: "bad"}, want: "rules: s: fact f: type: bad"},
		{name: "line_no_field", err: &Error{Line: 3, Column: 1, Message: "bad"}, want: "rules: 3:1: bad"},
		{name: "message_only", err: &Error{Message: "bad"}, want: "rules: bad"},
		{name: "no_errors", err: Errors{}, want: "rules: no errors"},
		{name: "one", err: Errors{{Message: "a"}}, want: "rules: a"},
		{name: "three", err: Errors{{Message: "a"}, {Message: "b"}, {Message: "c"}}, want: "rules: a, and 2 other error(s)"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
	es := Errors{{Message: "a"}, {Message: "b", Err: cause}}
	if !errors.Is(es, cause) {
		t.Errorf("errors.Is(Errors, %v) = false, want the cause of its second error found", cause)
	}
	var e *Error
	if !errors.As(es, &e) || e.Message != "a" {
		t.Errorf("errors.As(Errors, *Error) = %v, want the first error", e)
	}
	if got := es.Details(); got != "rules: a\nrules: b\n" {
		t.Errorf("Details() = %q, want one line per error", got)
	}
	if Errors(nil).errOrNil() != nil || es.errOrNil() == nil {
		t.Errorf("errOrNil: empty gives %v, two give %v; want nil and the errors", Errors(nil).errOrNil(), es.errOrNil())
	}
}

func TestValueOf(t *testing.T) {
	tests := []struct {
		name string
		k    Kind
		in   any
		want Value
		err  string
	}{
		{name: "bool", k: Bool, in: true, want: BoolValue(true)},
		{name: "int", k: Int, in: int64(7), want: IntValue(7)},
		{name: "float64", k: Float, in: 0.5, want: FloatValue(0.5)},
		{name: "float32", k: Float, in: float32(0.25), want: FloatValue(0.25)},
		{name: "string", k: String, in: "egov", want: StringValue("egov")},
		{name: "strings", k: Strings, in: []string{"a"}, want: StringsValue([]string{"a"})},
		{name: "any_list", k: Strings, in: []any{"a", "b"}, want: StringsValue([]string{"a", "b"})},
		{name: "date", k: DateKind, in: 20240229, want: DateValue(20240229)},
		{name: "month_day", k: MonthDayKind, in: 229, want: MonthDayValue(229)},
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
		got, err := valueOf(tc.k, tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("valueOf(%v, %#v) = %v, %v, want error %q", tc.k, tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("valueOf(%v, %#v) = %v, %v, want %v", tc.k, tc.in, got, err, tc.want)
		}
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
			if err := c.evalVMOf(env, &r, vmOnly); err != nil {
				t.Fatal(err)
			}
			if r.Passed[0] != (age >= 18) || !r.Passed[1] || factsOf(&r)[1].Bool() != (age >= 18) {
				t.Errorf("evalVM(age %d, vm only %v) = facts %v, passed %v", age, vmOnly, factsOf(&r), r.Passed)
			}
		}
	}
}
