package rules

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadsOfBuiltin(t *testing.T) {
	p := MustCompile(Builtin())
	c, _ := p.At(20261005)
	clinic, _ := inputsNamed("clinic")
	doctor, _ := inputsNamed("doctor")
	clinicDoctor := clinic | doctor
	for i, r := range c.set.Rules {
		reads := c.rules[i].reads
		switch r.ID {
		case "residency", "signature", "specialty_age", "campaign", "once_a_year":
			// specialty_age reads doctor.specialty; the others only the person and application.
			if want := r.ID == "specialty_age"; (reads&clinicDoctor != 0) != want {
				t.Errorf("rule %s reads clinic or doctor = %v, want %v (reads %v)", r.ID, reads&clinicDoctor != 0, want, reads.names())
			}
		case "fund_provider", "already_attached", "home_visits", "capacity":
			if reads&clinicDoctor == 0 {
				t.Errorf("rule %s reads no input of clinic or doctor (reads %v)", r.ID, reads.names())
			}
		}
	}
	// The set reads what its expressions read, and needs what of that is not Optional.
	var all inputSet
	for i := range c.rules {
		all |= c.rules[i].reads
	}
	for i := range c.facts {
		all |= c.facts[i].reads
	}
	all |= c.takes.reads
	require.Equal(t, all.names(), c.Reads())
	for i := range inputs {
		needed := c.needs&(1<<i) != 0
		if want := all&(1<<i) != 0 && inputs[i].Required != Optional; needed != want {
			t.Errorf("input %s (%s) needed = %v, want %v", inputs[i].Name, inputs[i].Required, needed, want)
		}
	}
}

// changeInputs gives env the values other gives the named inputs or parts.
func changeInputs(t *testing.T, env, other *Env, names ...string) {
	t.Helper()
	for _, name := range names {
		s, ok := inputsNamed(name)
		require.True(t, ok, name)
		for _, in := range s.names() {
			v, _ := other.Value(in)
			require.NoError(t, env.Set(in, v))
		}
	}
}

// TestIncrementalEvalIsEval changes inputs of generated envs and requires Eval into the
// Result the Env was last evaluated into, which evaluates again only what reads them, to
// give what a whole evaluation into a new Result gives: the clinic, the doctor and the
// waiver (what a query over many doctors changes), and the day the current attachment
// began, which change_allowed_from reads, a fact computed by every evaluation because
// addMonths may fail.
func TestIncrementalEvalIsEval(t *testing.T) {
	p := MustCompile(Builtin())
	tests := []struct {
		name   string
		reason string
		change func(t *testing.T, env, other *Env)
	}{
		{name: "choices", reason: "a query over many doctors changes these", change: func(t *testing.T, env, other *Env) {
			changeInputs(t, env, other, "clinic", "doctor", "application.waives_home_visits")
		}},
		{name: "attached_since", reason: "change_allowed_from reads it and is computed by every evaluation", change: func(t *testing.T, env, other *Env) {
			attached, _ := other.Value("doctor.attached")
			age, _ := other.Value("citizen.age")
			set(t, env, "citizen.attached_since", 20250000+(1+attached.Int()%12)*100+1+age.Int()%28)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			var partial Result
			compared, differ := 0, 0
			for i := 0; i < 8000; i++ {
				env := randomEnv(r)
				date, _ := env.Value("application.date")
				c, ok := p.At(date.Date())
				if !ok {
					continue
				}
				if err := c.Eval(env, &partial); err != nil {
					continue
				}
				for k := 0; k < 4; k++ {
					before := slices.Clone(partial.Passed)
					tc.change(t, env, randomEnv(r))
					var full Result
					fullErr := c.Eval(env, &full)
					err := c.Eval(env, &partial)
					if !sameErr(err, fullErr) {
						t.Fatalf("incremental Eval error %v, whole Eval error %v for %s (%s)", err, fullErr, envText(env), tc.reason)
					}
					if err != nil {
						break
					}
					compared++
					if !slices.Equal(before, full.Passed) {
						differ++
					}
					if !sameResult(&partial, &full) {
						t.Fatalf("incremental Eval = %+v %v %v\nwhole Eval = %+v %v %v\nfor %s (%s)", partial.Facts(), partial.Passed, partial.TakesEffect, full.Facts(), full.Passed, full.TakesEffect, envText(env), tc.reason)
					}
				}
			}
			if compared < 2500 || differ < compared/50 {
				t.Fatalf("%d evaluations compared, %d of them changing a rule; the generator must give more", compared, differ)
			}
		})
	}
}

// TestIncrementalEvalManyResultsAndSets evaluates a few Envs, changed at random between
// evaluations, into a few Results with the sets of the built-in Program drawn at random,
// and requires every evaluation to give what a whole evaluation into a new Result gives:
// whichever Env, set and version a Result last saw, and whatever failed in between.
func TestIncrementalEvalManyResultsAndSets(t *testing.T) {
	h := Builtin()
	broken, err := h[1].WithParam("changes_per_year", IntValue(5)) // startOfPeriod fails
	require.NoError(t, err)
	broken.ID, broken.EffectiveFrom = "broken", 30000101
	sets := MustCompile(append(h, broken)).Sets()
	rnd := rand.New(rand.NewPCG(21, 22))
	envs := []*Env{randomEnv(rnd), randomEnv(rnd), randomEnv(rnd)}
	results := make([]Result, 3)
	evaluated, failed := 0, 0
	for i := range 20000 {
		env := envs[rnd.IntN(len(envs))]
		other := randomEnv(rnd)
		for range rnd.IntN(4) {
			in := inputs[rnd.IntN(len(inputs))].Name
			if in == "application.date" || in == "citizen.attached_since" {
				if rnd.IntN(2) == 0 { // mostly valid dates, so that functions succeed
					set(t, env, in, 20250000+(1+rnd.IntN(12))*100+1+rnd.IntN(28))
					continue
				}
			}
			changeInputs(t, env, other, in)
		}
		if rnd.IntN(50) == 0 {
			env.Unset(rnd.IntN(len(inputs))) // a Missing input, most often
		}
		c := sets[rnd.IntN(len(sets))]
		r := &results[rnd.IntN(len(results))]
		var full Result
		fullErr := c.Eval(env, &full)
		err := c.Eval(env, r)
		if !sameErr(err, fullErr) && (err == nil || fullErr == nil || err.Error() != fullErr.Error()) {
			t.Fatalf("case %d: Eval into a used Result: %v; into a new one: %v", i, err, fullErr)
		}
		if err != nil {
			failed++
			set(t, env, "application.date", 20260301) // may be unset: give it again
			for j := range inputs {
				if _, ok := env.Value(inputs[j].Name); !ok {
					env.SetInput(j, other.vals.value(j))
				}
			}
			continue
		}
		evaluated++
		if !sameResult(r, &full) {
			t.Fatalf("case %d: %s: Eval into a used Result = %v %v %v\ninto a new one = %v %v %v\nfor %s", i, c.ID(), r.Facts(), r.Passed, r.TakesEffect, full.Facts(), full.Passed, full.TakesEffect, envText(env))
		}
	}
	if evaluated < 5000 || failed < 500 {
		t.Fatalf("%d evaluations compared, %d failed; the generator must give more of both", evaluated, failed)
	}
}
