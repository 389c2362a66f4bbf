package rules

import (
	"testing"
)

// TestEvalChangedFlips changes one field at a time and requires EvalChanged to re-evaluate
// exactly what reads it: a rule reading the field itself, a rule reading it through a fact,
// and takes_effect, each flipping, while what does not read the field keeps its value.
func TestEvalChangedFlips(t *testing.T) {
	s := testSet([]Fact{
		{Name: "full", Expr: "doctor.attached >= 10"},
		{Name: "age", Expr: "citizen.age"},
	}, "doctor.attached < 10", "!full", "age >= 18")
	s.TakesEffect = "addMonths(application.date, 1)"
	c, _ := MustCompile(History{s}).At(20180101)
	if c.needVM {
		t.Fatal("the set runs on expr's VM; want the fast path")
	}
	env := &Env{Citizen: EnvCitizen{Age: 30}, Doctor: EnvDoctor{Attached: 5}, Application: EnvApplication{Date: 20240131}}
	var r Result
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, reason string
		change       func(*Env)
		field        string
		passed       [3]bool
		takes        Date
	}{
		{name: "doctor_full", reason: "both rules on the doctor fail, the one on age holds",
			change: func(e *Env) { e.Doctor.Attached = 15 }, field: "doctor.attached", passed: [3]bool{false, false, true}, takes: 20240229},
		{name: "doctor_free", reason: "and hold again",
			change: func(e *Env) { e.Doctor.Attached = 9 }, field: "doctor", passed: [3]bool{true, true, true}, takes: 20240229},
		{name: "minor", reason: "a fact read by a rule changes",
			change: func(e *Env) { e.Citizen.Age = 17 }, field: "citizen.age", passed: [3]bool{true, true, false}, takes: 20240229},
		{name: "later_day", reason: "takes_effect reads the date",
			change: func(e *Env) { e.Application.Date = 20240331 }, field: "application.date", passed: [3]bool{true, true, false}, takes: 20240430},
	}
	for _, st := range steps {
		st.change(env)
		changed, err := FieldsOf(st.field)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.EvalChanged(env, &r, changed); err != nil {
			t.Fatal(err)
		}
		got := [3]bool(r.Passed)
		if got != st.passed || r.TakesEffect != st.takes {
			t.Errorf("EvalChanged(%s) = %v, takes effect %v; want %v, %v (%s)", st.name, got, r.TakesEffect, st.passed, st.takes, st.reason)
		}
	}
}
