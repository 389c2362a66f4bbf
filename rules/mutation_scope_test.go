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

// TestEvalChangedOnVMSet requires EvalChanged of a set that runs on expr's VM to give what
// Eval gives: it has no plan to re-evaluate a part with.
func TestEvalChangedOnVMSet(t *testing.T) {
	s := testSet(nil, "doctor.attached < 10", "len(clinic.service_area) > 0")
	c, _ := MustCompile(History{s}).At(20180101)
	if !c.needVM {
		t.Fatal("len runs on the fast path now: this test needs an expression only the VM runs")
	}
	env := &Env{Doctor: EnvDoctor{Attached: 5}, Application: EnvApplication{Date: 20240131}}
	var r Result
	if err := c.Eval(env, &r); err != nil {
		t.Fatal(err)
	}
	env.Doctor.Attached = 15
	doctor, _ := FieldsOf("doctor")
	if err := c.EvalChanged(env, &r, doctor); err != nil {
		t.Fatal(err)
	}
	if r.Passed[0] || r.Passed[1] {
		t.Errorf("EvalChanged(attached 15) on a VM set = %v, want [false false]", r.Passed)
	}
}

// TestEvalChangedAfterAnotherSet: a Result last evaluated with another set of the Program
// holds nothing EvalChanged may build on, even when it once held this set's values.
func TestEvalChangedAfterAnotherSet(t *testing.T) {
	a := testSet(nil, "citizen.age >= 18", "doctor.attached < 10")
	b := testSet(nil, "citizen.age >= 18", "doctor.attached < 10")
	b.ID, b.EffectiveFrom = "b", 20230101
	p := MustCompile(History{a, b})
	ca, _ := p.At(20180101)
	cb, _ := p.At(20230101)
	var r Result
	adult := &Env{Citizen: EnvCitizen{Age: 30}, Doctor: EnvDoctor{Attached: 5}, Application: EnvApplication{Date: 20240131}}
	if err := cb.Eval(adult, &r); err != nil {
		t.Fatal(err)
	}
	minor := &Env{Citizen: EnvCitizen{Age: 10}, Doctor: EnvDoctor{Attached: 5}, Application: EnvApplication{Date: 20200131}}
	if err := ca.Eval(minor, &r); err != nil {
		t.Fatal(err)
	}
	minor.Doctor.Attached, minor.Application.Date = 15, 20240131
	changed, _ := FieldsOf("doctor", "application.date")
	if err := cb.EvalChanged(minor, &r, changed); err != nil {
		t.Fatal(err)
	}
	if r.Passed[0] || r.Passed[1] {
		t.Errorf("EvalChanged(b) after Eval(a) = %v, want [false false]: the age is the minor's, not the adult's b last saw", r.Passed)
	}
}

func TestReadsNamesFields(t *testing.T) {
	tests := []struct {
		name, reason string
		expr         string
		fields       []string
	}{
		{name: "member", reason: "obj.field reads that field only", expr: "citizen.age >= 18", fields: []string{"citizen.age"}},
		{name: "two_members", reason: "each field read", expr: "citizen.age >= 18 && doctor.attached < 10", fields: []string{"citizen.age", "doctor.attached"}},
		{name: "whole", reason: "an object passed whole reads every field of it", expr: "[citizen][0].age >= 18", fields: []string{"citizen"}},
		{name: "whole_and_member", reason: "one whole use is enough", expr: "citizen.age >= 18 && [citizen][0].insured", fields: []string{"citizen"}},
	}
	for _, tc := range tests {
		prog, err := defaultConfig.compileExpr(tc.expr, map[string]any{"citizen": EnvCitizen{}, "doctor": EnvDoctor{}})
		if err != nil {
			t.Fatal(err)
		}
		want, err := FieldsOf(tc.fields...)
		if err != nil {
			t.Fatal(err)
		}
		if got := reads(prog.Node()); got != want {
			t.Errorf("reads(%s) = %b, want %b (%s)", tc.expr, got, want, tc.reason)
		}
	}
}
