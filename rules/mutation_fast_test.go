package rules

import (
	"testing"
)

// TestFastPathEveryFactKind runs a set whose facts are of every kind a fact may have, each
// read by later facts and rules, on the fast path and on expr's VM: both must give the same
// values, and the fast path must take the whole set (no expression left to the VM).
func TestFastPathEveryFactKind(t *testing.T) {
	s := testSet([]Fact{
		{Name: "adult", Expr: "citizen.age >= 18"},
		{Name: "age", Expr: "citizen.age"},
		{Name: "share", Expr: "doctor.attached / 4"},
		{Name: "residency", Expr: "citizen.residency"},
		{Name: "area", Expr: "clinic.service_area"},
		{Name: "since", Expr: "citizen.attached_since", Type: DateKind},
		{Name: "day", Expr: "application.month_day", Type: MonthDayKind},
		{Name: "summary", Expr: `residency + (adult ? "+" : "-")`},
		{Name: "in_area", Expr: "hasAnyPrefix(citizen.address_code, area)"},
		{Name: "half", Expr: "share * 2"},
	},
		"adult",
		"share > 1.0",
		`residency == "citizen"`,
		`"19" in area`,
		"since < application.date",
		"day >= 915",
		`summary == "citizen+"`,
		"in_area",
		"half > 1.0",
		"age > 17",
	)
	c, _ := MustCompile(History{s}).At(20180101)
	if c.needVM {
		t.Fatalf("the set runs on expr's VM; want every expression on the fast path")
	}
	envs := []*Env{
		envOf(map[string]any{
			"citizen.age": 18, "citizen.residency": "citizen", "citizen.address_code": "751110000", "citizen.attached_since": 20230101,
			"clinic.service_area": []string{"75", "19"},
			"doctor.attached":     5,
			"application.date":    20240916, "application.month_day": 916, "application.year": 2024,
		}),
		envOf(map[string]any{
			"citizen.age": 17, "citizen.residency": "refugee", "citizen.address_code": "191110000", "citizen.attached_since": 20250101,
			"clinic.service_area": []string{"75"},
			"doctor.attached":     2,
			"application.date":    20240229, "application.month_day": 229, "application.year": 2024,
		}),
	}
	wantPassed := [][]bool{
		{true, true, true, true, true, true, true, true, true, true},
		{false, false, false, false, false, false, false, false, false, false},
	}
	for i, env := range envs {
		var fastR, vmR Result
		if err := c.Eval(env, &fastR); err != nil {
			t.Fatal(err)
		}
		if err := c.evalVMOf(env, &vmR, true); err != nil {
			t.Fatal(err)
		}
		for j := range s.Facts {
			if !fastR.Fact(j).Equal(factsOf(&vmR)[j]) {
				t.Errorf("env %d: fact %s = %v (%v) on the fast path, %v (%v) on the VM", i, s.Facts[j].Name, fastR.Fact(j), fastR.Fact(j).Kind(), factsOf(&vmR)[j], factsOf(&vmR)[j].Kind())
			}
		}
		for j := range s.Rules {
			if fastR.Passed[j] != wantPassed[i][j] || vmR.Passed[j] != wantPassed[i][j] {
				t.Errorf("env %d: rule %s (%s) = %v fast, %v VM, want %v", i, s.Rules[j].ID, s.Rules[j].Expr, fastR.Passed[j], vmR.Passed[j], wantPassed[i][j])
			}
		}
		date, _ := env.Value("application.date")
		if fastR.TakesEffect != date.Date() || vmR.TakesEffect != fastR.TakesEffect {
			t.Errorf("env %d: takes effect %v fast, %v VM, want %v", i, fastR.TakesEffect, vmR.TakesEffect, date)
		}
	}
	kinds := []Kind{Bool, Int, Float, String, Strings, DateKind, MonthDayKind, String, Bool, Float}
	var r Result
	if err := c.Eval(envs[0], &r); err != nil {
		t.Fatal(err)
	}
	for j, k := range kinds {
		if r.Fact(j).Kind() != k {
			t.Errorf("fact %s is of kind %v, want %v", s.Facts[j].Name, r.Fact(j).Kind(), k)
		}
	}
}
