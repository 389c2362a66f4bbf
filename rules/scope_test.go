package rules

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestEnvFieldsMatchMembers(t *testing.T) {
	if len(envFields) != numFields {
		t.Fatalf("envFields has %d names, numFields says %d", len(envFields), numFields)
	}
	names := make([]string, 0, len(envMembers))
	for n := range envMembers {
		names = append(names, n)
	}
	slices.Sort(names)
	sorted := slices.Sorted(slices.Values(envFields))
	if !slices.Equal(names, sorted) {
		t.Fatalf("envFields %v\n differ from the fast path's readers %v", sorted, names)
	}
}

func TestFieldsOf(t *testing.T) {
	clinic, err := FieldsOf("clinic")
	if err != nil || clinic != 0b111<<7 {
		t.Errorf("FieldsOf(clinic) = %b, %v; want the 3 bits of clinic.id, fund_provider, service_area", clinic, err)
	}
	one, _ := FieldsOf("doctor.attached")
	both, _ := FieldsOf("doctor.attached", "clinic")
	if both != one|clinic || one == 0 || one&clinic != 0 {
		t.Errorf("FieldsOf(doctor.attached, clinic) = %b, want %b", both, one|clinic)
	}
	for _, bad := range []string{"doctor.atached", "clin", "params", ""} {
		if f, err := FieldsOf(bad); err == nil {
			t.Errorf("FieldsOf(%q) = %b, want an error", bad, f)
		}
	}
}

func TestReadsOfBuiltin(t *testing.T) {
	p := MustCompile(Builtin())
	c, _ := p.At(20261005)
	clinicDoctor, _ := FieldsOf("clinic", "doctor")
	for i, r := range c.set.Rules {
		reads := c.rules[i].reads
		switch r.ID {
		case "residency", "signature", "specialty_age", "campaign", "once_a_year":
			// specialty_age reads doctor.specialty; the others only the person and application.
			if want := r.ID == "specialty_age"; (reads&clinicDoctor != 0) != want {
				t.Errorf("rule %s reads clinic or doctor = %v, want %v (reads %b)", r.ID, reads&clinicDoctor != 0, want, reads)
			}
		case "fund_provider", "already_attached", "home_visits", "capacity":
			if reads&clinicDoctor == 0 {
				t.Errorf("rule %s reads no field of clinic or doctor (reads %b)", r.ID, reads)
			}
		}
	}
}

// TestEvalChangedIsEval changes parts of generated envs and requires EvalChanged, which
// re-evaluates only what reads them, to give what a full Eval gives: the clinic, the
// doctor and the waiver (what a query over many doctors changes), and the day the current
// attachment began, which change_allowed_from reads, a fact computed by every evaluation
// because addMonths may fail.
func TestEvalChangedIsEval(t *testing.T) {
	p := MustCompile(Builtin())
	tests := []struct {
		name   string
		reason string
		fields []string
		change func(env, other *Env)
	}{
		{name: "choices", reason: "a query over many doctors changes these", fields: []string{"clinic", "doctor", "application.waives_home_visits"}, change: func(env, other *Env) {
			env.Clinic, env.Doctor = other.Clinic, other.Doctor
			env.Application.WaivesHomeVisits = other.Application.WaivesHomeVisits
		}},
		{name: "attached_since", reason: "change_allowed_from reads it and is computed by every evaluation", fields: []string{"citizen.attached_since"}, change: func(env, other *Env) {
			env.Citizen.AttachedSince = 20250000 + (1+int(other.Doctor.Attached)%12)*100 + 1 + other.Citizen.Age%28
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changed, err := FieldsOf(tc.fields...)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(11, 12))
			var partial Result
			compared, differ := 0, 0
			for i := 0; i < 8000; i++ {
				env := randomEnv(r)
				c, ok := p.At(Date(env.Application.Date))
				if !ok {
					continue
				}
				if err := c.Eval(env, &partial); err != nil {
					continue
				}
				for k := 0; k < 4; k++ {
					before := slices.Clone(partial.Passed)
					tc.change(env, randomEnv(r))
					var full Result
					fullErr := c.Eval(env, &full)
					err := c.EvalChanged(env, &partial, changed)
					if !sameErr(err, fullErr) {
						t.Fatalf("EvalChanged error %v, Eval error %v for %+v (%s)", err, fullErr, env, tc.reason)
					}
					if err != nil {
						break
					}
					compared++
					if !slices.Equal(before, full.Passed) {
						differ++
					}
					if !sameResult(&partial, &full) {
						t.Fatalf("EvalChanged = %+v %v %v\nEval = %+v %v %v\nfor %+v (%s)", partial.Facts(), partial.Passed, partial.TakesEffect, full.Facts(), full.Passed, full.TakesEffect, env, tc.reason)
					}
				}
			}
			if compared < 2500 || differ < compared/50 {
				t.Fatalf("%d evaluations compared, %d of them changing a rule; the generator must give more", compared, differ)
			}
		})
	}
}

// TestSliceFieldsAreEnvSlices: sliceFields names every field of Env that holds a slice,
// and no other, so that no deferred fact reads memory the caller may change.
func TestSliceFieldsAreEnvSlices(t *testing.T) {
	var want Fields
	env := reflect.TypeOf(Env{})
	for i := range env.NumField() {
		part := env.Field(i)
		for j := range part.Type.NumField() {
			f := part.Type.Field(j)
			if f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map {
				g, err := FieldsOf(part.Tag.Get("expr") + "." + f.Tag.Get("expr"))
				if err != nil {
					t.Fatal(err)
				}
				want |= g
			}
		}
	}
	if want == 0 || sliceFields != want {
		t.Errorf("sliceFields = %b, want %b", sliceFields, want)
	}
}
