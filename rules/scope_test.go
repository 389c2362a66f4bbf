package rules

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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

// TestResetEvalIsEval evaluates generated envs one after the other into one Result, Reset
// before each as for another application, and requires what a new Result gives.
func TestResetEvalIsEval(t *testing.T) {
	p := MustCompile(Builtin())
	r := rand.New(rand.NewPCG(13, 14))
	var reused Result
	compared := 0
	for range 12000 {
		env := randomEnv(r)
		date, _ := env.Value("application.date")
		c, ok := p.At(date.Date())
		if !ok {
			continue
		}
		var fresh Result
		freshErr := c.Eval(env, &fresh)
		reused.Reset()
		err := c.Eval(env, &reused)
		require.True(t, sameErr(err, freshErr), "Eval after Reset error %v, into a new Result %v for %s", err, freshErr, envText(env))
		if err == nil {
			compared++
			require.True(t, sameResult(&reused, &fresh), "Eval after Reset = %v %v, into a new Result %v %v for %s", reused.Facts(), reused.Passed, fresh.Facts(), fresh.Passed, envText(env))
		}
	}
	require.Greater(t, compared, 800, "evaluations compared")
}

// TestResetEvaluatesEverything: after Reset, Eval of the same Env computes every rule
// again, even though no input changed (Passed is spoiled here to see it); the next Eval
// without Reset is incremental again and computes none.
func TestResetEvaluatesEverything(t *testing.T) {
	c, _ := MustCompile(Builtin()).At(20260101)
	env := EnvOf(map[string]any{"application.date": Date(20261005), "citizen.residency": "citizen", "application.signed": true})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	want := slices.Clone(r.Passed)
	spoil := func() {
		for i := range r.Passed {
			r.Passed[i] = !r.Passed[i]
		}
	}
	spoil()
	r.Reset()
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, want, r.Passed, "Eval after Reset computes every rule")
	spoil()
	require.NoError(t, c.Eval(env, &r))
	assert.NotEqual(t, want, r.Passed, "Eval of an unchanged Env without Reset computes no rule again")
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
	broken, err := h[1].WithParam("changes_per_year", intValue(5)) // startOfPeriod fails
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

// spoiled is the takes_effect a test writes into a Result to see whether Eval computes it
// again: no evaluation gives it, since it is not a day.
const spoiled Date = 1

// flipsSet is a set whose rules read doctor.attached (r0 itself, r1 through the fact
// full) and citizen.age (r2 through the fact age), and whose takes_effect reads
// application.date.
func flipsSet(t *testing.T) *Compiled {
	t.Helper()
	s := testSet([]Fact{
		{Name: "full", Expr: "doctor.attached >= 10"},
		{Name: "age", Expr: "citizen.age"},
	}, "doctor.attached < 10", "!full", "age >= 18")
	s.TakesEffect = "addMonths(application.date, 1)"
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM, "the set runs on expr's VM; want the fast path")
	return c
}

// TestIncrementalEvalFlips changes one input at a time and requires Eval into the same
// Result to evaluate again exactly what reads it: a rule reading the input itself, a rule
// reading it through a fact, and takes_effect, each flipping, while what does not read
// the input is left as it was. To see what Eval skips, each rule's value in the Result is
// flipped and takes_effect spoiled before the evaluation: what is evaluated again is put
// right, what is skipped stays as the test left it.
func TestIncrementalEvalFlips(t *testing.T) {
	c := flipsSet(t)
	env := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	steps := []struct {
		name, reason string
		input        string
		value        any
		passed       [3]bool
		takes        Date
		kept         [3]bool // the rules that read no changed input, which Eval skips
		keptTakes    bool    // takes_effect reads no changed input
	}{
		{name: "doctor_full", reason: "both rules on the doctor fail, the one on age holds",
			input: "doctor.attached", value: 15, passed: [3]bool{false, false, true}, takes: 20240229, kept: [3]bool{false, false, true}, keptTakes: true},
		{name: "doctor_free", reason: "and hold again",
			input: "doctor.attached", value: 9, passed: [3]bool{true, true, true}, takes: 20240229, kept: [3]bool{false, false, true}, keptTakes: true},
		{name: "minor", reason: "a fact read by a rule changes",
			input: "citizen.age", value: 17, passed: [3]bool{true, true, false}, takes: 20240229, kept: [3]bool{true, true, false}, keptTakes: true},
		{name: "later_day", reason: "takes_effect reads the date, no rule does",
			input: "application.date", value: 20240331, passed: [3]bool{true, true, false}, takes: 20240430, kept: [3]bool{true, true, true}},
		{name: "same_value", reason: "setting an input to the value it had changes nothing",
			input: "doctor.attached", value: 9, passed: [3]bool{true, true, false}, takes: 20240430, kept: [3]bool{true, true, true}, keptTakes: true},
		{name: "read_by_nothing", reason: "no expression reads citizen.insured",
			input: "citizen.insured", value: true, passed: [3]bool{true, true, false}, takes: 20240430, kept: [3]bool{true, true, true}, keptTakes: true},
	}
	for _, st := range steps {
		set(t, env, st.input, st.value)
		before := r.TakesEffect
		for j := range r.Passed {
			r.Passed[j] = !r.Passed[j]
		}
		r.TakesEffect = spoiled
		require.NoError(t, c.Eval(env, &r), st.name)
		var seen [3]bool
		for j := range seen {
			seen[j] = st.passed[j] != st.kept[j] // a kept rule shows its flipped value
		}
		seenTakes := st.takes
		if st.keptTakes {
			seenTakes = spoiled
		}
		assert.Equal(t, seen, [3]bool(r.Passed), "Eval(%s): only the rules reading %s are evaluated again (%s)", st.name, st.input, st.reason)
		assert.Equal(t, seenTakes, r.TakesEffect, "Eval(%s): takes_effect is evaluated again only when it reads %s (%s)", st.name, st.input, st.reason)
		// Put back what Eval rightly skipped: the Result is then what a whole evaluation gives.
		for j := range r.Passed {
			if st.kept[j] {
				r.Passed[j] = !r.Passed[j]
			}
		}
		if st.keptTakes {
			r.TakesEffect = before
		}
		var full Result
		require.NoError(t, c.Eval(env, &full))
		assert.Equal(t, st.passed, [3]bool(r.Passed), "Eval(%s) (%s)", st.name, st.reason)
		assert.Equal(t, st.takes, r.TakesEffect, "Eval(%s) takes effect (%s)", st.name, st.reason)
		assert.True(t, sameResult(&r, &full), "Eval(%s) = %v, takes effect %v; a whole evaluation gives %v, %v (%s)", st.name, r.Passed, r.TakesEffect, full.Passed, full.TakesEffect, st.reason)
	}
}

// TestIncrementalEvalOnVMSet: a set that runs on expr's VM has no plan to evaluate a part
// with: Eval into the same Result after a change evaluates everything again.
func TestIncrementalEvalOnVMSet(t *testing.T) {
	s := testSet(nil, "doctor.attached < 10", "len(clinic.service_area) > 0")
	c, _ := MustCompile(History{s}).At(20180101)
	require.True(t, c.needVM, "len runs on the fast path now: this test needs an expression only the VM runs")
	env := envOf(map[string]any{"doctor.attached": 5, "application.date": 20240131})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	set(t, env, "doctor.attached", 15)
	r.Passed[1] = true // rule r1 reads only clinic.service_area: a part evaluated alone would keep this
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{false, false}, r.Passed, "Eval(attached 15) on a VM set, want every rule evaluated again")
}

// TestIncrementalEvalAfterAnotherSet: a Result last evaluated with another set of the
// Program holds nothing Eval may build on, even when it once held this set's values and
// the Env is the same.
func TestIncrementalEvalAfterAnotherSet(t *testing.T) {
	a := testSet(nil, "citizen.age >= 18", "doctor.attached < 10")
	b := testSet(nil, "citizen.age >= 18", "doctor.attached < 10")
	b.ID, b.EffectiveFrom = "b", 20230101
	p := MustCompile(History{a, b})
	ca, _ := p.At(20180101)
	cb, _ := p.At(20230101)
	for _, sameEnv := range []bool{false, true} {
		var r Result
		adult := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
		require.NoError(t, cb.Eval(adult, &r))
		minor := envOf(map[string]any{"citizen.age": 10, "doctor.attached": 5, "application.date": 20200131})
		if sameEnv { // the adult's Env, changed: only r.last tells that cb's values are stale
			minor = adult
			set(t, minor, "citizen.age", 10)
			set(t, minor, "application.date", 20200131)
		}
		require.NoError(t, ca.Eval(minor, &r))
		set(t, minor, "doctor.attached", 15)
		set(t, minor, "application.date", 20240131)
		require.NoError(t, cb.Eval(minor, &r))
		assert.Equal(t, []bool{false, false}, r.Passed, "Eval(b) after Eval(a), same Env %v: the age is the minor's, not the adult's b last saw", sameEnv)
	}
}

// TestIncrementalEvalTwoResults: the versions an Env counts are its own, and each Result
// remembers the version it saw: evaluating one Env into Result A, changing it and
// evaluating it into B, then into A again, gives A the whole result, every change since
// A's last evaluation included.
func TestIncrementalEvalTwoResults(t *testing.T) {
	c := flipsSet(t)
	env := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
	var a, b Result
	require.NoError(t, c.Eval(env, &a))
	steps := []struct {
		input  string // "" for no change
		value  any
		into   string
		passed []bool
	}{
		{input: "doctor.attached", value: 15, into: "B", passed: []bool{false, false, true}},
		{input: "citizen.age", value: 17, into: "B", passed: []bool{false, false, false}},
		{into: "A", passed: []bool{false, false, false}}, // two changes behind, B evaluated since
		{input: "doctor.attached", value: 3, into: "A", passed: []bool{true, true, false}},
		{input: "citizen.age", value: 40, into: "A", passed: []bool{true, true, true}},
		{into: "B", passed: []bool{true, true, true}},
		{input: "application.date", value: 20240331, into: "B", passed: []bool{true, true, true}},
		{into: "A", passed: []bool{true, true, true}},
	}
	results := map[string]*Result{"A": &a, "B": &b}
	for i, st := range steps {
		if st.input != "" {
			set(t, env, st.input, st.value)
		}
		r := results[st.into]
		require.NoError(t, c.Eval(env, r))
		var full Result
		require.NoError(t, c.Eval(env, &full))
		assert.Equal(t, st.passed, full.Passed, "step %d: a whole evaluation", i)
		assert.True(t, sameResult(r, &full), "step %d (%s = %v): Result %s = %v, takes effect %v; a whole evaluation gives %v, %v", i, st.input, st.value, st.into, r.Passed, r.TakesEffect, full.Passed, full.TakesEffect)
	}
}

// TestIncrementalEvalOfACopy: a copy of an Env evaluated into the Result its original was
// evaluated into gives what a whole evaluation gives: Eval compares values, not Envs.
func TestIncrementalEvalOfACopy(t *testing.T) {
	c := flipsSet(t)
	env := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
	cp := *env
	set(t, env, "citizen.age", 10)
	var r Result
	require.NoError(t, c.Eval(env, &r))
	require.Equal(t, []bool{true, true, false}, r.Passed)
	set(t, &cp, "doctor.attached", 15) // the copy's version is now the original's
	require.NoError(t, c.Eval(&cp, &r))
	assert.Equal(t, []bool{false, false, true}, r.Passed, "Eval(copy) = %v: the copy's age is 30, not the original's 10", r.Passed)
	assert.Equal(t, 30, r.Fact(1).Int(), "fact age of the copy")
	assert.Equal(t, Int, r.Fact(1).Kind(), "fact age of the copy")

	// A copy with no change at all gives what a whole evaluation gives.
	env2 := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
	require.NoError(t, c.Eval(env2, &r))
	cp2 := *env2
	require.NoError(t, c.Eval(&cp2, &r))
	var full Result
	require.NoError(t, c.Eval(&cp2, &full))
	assert.True(t, sameResult(&r, &full), "Eval(unchanged copy) = %v, want %v", r.Passed, full.Passed)
	// And the original after its copy.
	set(t, env2, "citizen.age", 17)
	require.NoError(t, c.Eval(env2, &r))
	assert.Equal(t, []bool{true, true, false}, r.Passed, "Eval(original) after Eval(copy)")
}

// TestIncrementalEvalOfAnOverwrittenEnv: an Env overwritten whole by another (*env =
// other, or *env = Env{} and filled again) is the same pointer with other values;
// evaluating it into the Result it was evaluated into must still give what a whole
// evaluation gives.
func TestIncrementalEvalOfAnOverwrittenEnv(t *testing.T) {
	c := flipsSet(t)
	tests := []struct {
		name      string
		overwrite func(env *Env)
	}{
		{name: "assigned", overwrite: func(env *Env) {
			*env = *envOf(map[string]any{"citizen.age": 10, "doctor.attached": 5, "application.date": 20240131})
		}},
		{name: "reset_and_filled", overwrite: func(env *Env) {
			*env = Env{}
			for name, x := range map[string]any{"citizen.age": 10, "doctor.attached": 5, "application.date": 20240131} {
				set(t, env, name, x)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := envOf(map[string]any{"citizen.age": 30, "doctor.attached": 5, "application.date": 20240131})
			var r Result
			require.NoError(t, c.Eval(env, &r))
			require.Equal(t, []bool{true, true, true}, r.Passed)
			tc.overwrite(env)
			require.NoError(t, c.Eval(env, &r))
			var full Result
			require.NoError(t, c.Eval(env, &full))
			assert.Equal(t, []bool{true, true, false}, full.Passed)
			assert.Equal(t, full.Passed, r.Passed, "Eval of the overwritten Env (age 10) into its Result: want a whole evaluation's")
		})
	}
}

func TestReadsNamesInputs(t *testing.T) {
	tests := []struct {
		name, reason string
		expr         string
		inputs       []string
	}{
		{name: "member", reason: "obj.field reads that input only", expr: "citizen.age >= 18", inputs: []string{"citizen.age"}},
		{name: "two_members", reason: "each input read", expr: "citizen.age >= 18 && doctor.attached < 10", inputs: []string{"citizen.age", "doctor.attached"}},
		{name: "whole", reason: "an object passed whole reads every input of it", expr: "[citizen][0].age >= 18", inputs: []string{"citizen"}},
		{name: "whole_and_member", reason: "one whole use is enough", expr: "citizen.age >= 18 && [citizen][0].insured", inputs: []string{"citizen"}},
		{name: "params", reason: "params and literals are no inputs", expr: "params.n > 1", inputs: nil},
	}
	env := exprEnv()
	env["params"] = map[string]any{"n": 2}
	for _, tc := range tests {
		prog, err := defaultConfig.compileExpr(tc.expr, env)
		require.NoError(t, err, tc.expr)
		var want inputSet
		for _, name := range tc.inputs {
			s, ok := inputsNamed(name)
			require.True(t, ok, name)
			want |= s
		}
		got := reads(prog.Node())
		assert.Equal(t, want, got, "reads(%s) = %v, want %v: %s", tc.expr, got.names(), want.names(), tc.reason)
	}
}

// TestIncrementalEvalOfAStringThatSharesItsBytes: a string input given as another string
// that starts at the same address (a prefix of the last one, or the last one a prefix of
// it) is a change an incremental evaluation sees: only the very same string, same address
// and length, is passed over without comparing.
func TestIncrementalEvalOfAStringThatSharesItsBytes(t *testing.T) {
	s := testSet(nil, `clinic.id == "C1"`)
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM)
	long := "C123"
	env := envOf(map[string]any{"clinic.id": long, "application.date": 20240131})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	require.Equal(t, []bool{false}, r.Passed)
	env.SetString(inputIndex["clinic.id"], long[:2])
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{true}, r.Passed, "C1, the first bytes of C123")
	env.SetString(inputIndex["clinic.id"], long[:2])
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{true}, r.Passed, "the very same string again")
	env.SetString(inputIndex["clinic.id"], long[:3])
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{false}, r.Passed, "C12, longer, from the same bytes")
	env.SetString(inputIndex["clinic.id"], strings.Clone(long[:2]))
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{true}, r.Passed, "C1 again, in other bytes")
}

// TestIncrementalEvalOfAListChangedInPlace: a list input whose elements the caller changes
// in place, with the same slice, is evaluated again, after a whole evaluation and after an
// incremental one (which compares the elements with its copy): whatever is changed, an
// element, the length within the same array, or nothing but the slice.
func TestIncrementalEvalOfAListChangedInPlace(t *testing.T) {
	s := testSet(nil, `hasAnyPrefix(citizen.address_code, clinic.service_area)`)
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM)
	backing := []string{"7511", "19"}
	area := backing[:1]
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": area, "application.date": 20240131})
	var r Result
	eval := func(want bool, why string) {
		t.Helper()
		require.NoError(t, c.Eval(env, &r))
		assert.Equal(t, []bool{want}, r.Passed, why)
	}
	eval(true, "whole")
	eval(true, "incremental, nothing changed")
	eval(true, "incremental again, with the copy of the list")
	area[0] = "19"
	eval(false, "an element changed in place")
	eval(false, "nothing changed since")
	area[0] = "7511"
	eval(true, "changed back in place")
	backing[0], backing[1] = "19", "7511"
	env.SetStrings(inputIndex["clinic.service_area"], backing[:2])
	eval(true, "longer, within the same array")
	env.SetStrings(inputIndex["clinic.service_area"], backing[:1])
	eval(false, "shorter again")
	env.SetStrings(inputIndex["clinic.service_area"], []string{"19"})
	eval(false, "another slice of the same elements")
	backing[0] = "19"
	env.SetStrings(inputIndex["clinic.service_area"], backing[:1])
	eval(false, "the first array again")
	r.Reset()
	eval(false, "whole after Reset")
	backing[0] = "75"
	eval(true, "changed in place right after a whole evaluation")
	backing[0] = "19"
	r.Reset()
	eval(false, "whole, with other elements than the incremental one saw")
	backing[0] = "75"
	eval(true, "back in place to the elements of the last incremental evaluation")
}

// TestIncrementalEvalKeepsAnEqualList: an incremental evaluation does not evaluate again
// what reads a list given in the same slice with the same elements: the value the last
// evaluation computed stays. Another slice is a change, even with the same elements.
func TestIncrementalEvalKeepsAnEqualList(t *testing.T) {
	s := testSet([]Fact{{Name: "in_area", Expr: `hasAnyPrefix(citizen.address_code, clinic.service_area)`}}, `in_area`)
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM)
	i, ok := c.FactIndex("in_area")
	require.True(t, ok)
	area := []string{"7511"}
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": area, "application.date": 20240131})
	var r Result
	require.NoError(t, c.Eval(env, &r)) // whole
	require.NoError(t, c.Eval(env, &r)) // incremental: keeps a copy of the list
	require.Equal(t, []bool{true}, r.Passed)
	r.frame.facts[i] = boolValue(false) // what a new evaluation of in_area would overwrite
	env.SetStrings(inputIndex["clinic.service_area"], area)
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, boolValue(false), r.Fact(i), "in_area evaluated again for the same list given again")
	env.SetStrings(inputIndex["clinic.service_area"], []string{"7511"})
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, boolValue(true), r.Fact(i), "in_area not evaluated again for another slice of the same elements")
	env.SetStrings(inputIndex["clinic.service_area"], []string{"7512"})
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, boolValue(false), r.Fact(i), "in_area for another area")
}

// TestIncrementalEvalOfAListFactAfterANewSlice: a fact whose value is a list input holds
// the Env's slice; given another slice of the same elements, the fact takes the new one,
// so that the caller may reuse the old one's array once Eval returns (a review found the
// fact kept the old slice, and read what the caller wrote into it).
func TestIncrementalEvalOfAListFactAfterANewSlice(t *testing.T) {
	s := testSet([]Fact{{Name: "area", Expr: `clinic.service_area`}},
		`citizen.age >= 0 && hasAnyPrefix(citizen.address_code, area)`)
	c, _ := MustCompile(History{s}).At(20180101)
	old := []string{"75"}
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": old, "application.date": 20240131, "citizen.age": 30})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	require.NoError(t, c.Eval(env, &r)) // incremental: keeps a copy of the list
	env.SetStrings(inputIndex["clinic.service_area"], []string{"75"})
	require.NoError(t, c.Eval(env, &r))
	old[0] = "19" // the caller reuses the array it no longer gives
	env.SetInt(inputIndex["citizen.age"], 31)
	require.NoError(t, c.Eval(env, &r))
	incremental := slices.Clone(r.Passed)
	facts := r.Facts()
	r.Reset()
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, r.Passed, incremental, "incremental and whole evaluations disagree")
	assert.Equal(t, r.Facts(), facts, "the facts of the incremental evaluation")
	assert.Equal(t, []bool{true}, incremental)
}
