package rules

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules/internal/fast"
)

// Pools small enough that generated values often meet each other and the parameters.
var (
	poolStrings = []string{"", "citizen", "refugee", "temporary_resident", "therapist", "pediatrician", "general_practitioner", "C1", "D1", "work_change", "clinic_liquidated", "751110000", "7511", "75"}
	poolInts    = []int{0, 1, -1, 2, 12, 17, 18, 101, 915, 1115, 1999, 2000, 2001, 20180101, 20230228, 20240229, 20261005, math.MaxInt, math.MinInt}
)

func pick[T any](r *rand.Rand, pool []T) T { return pool[r.IntN(len(pool))] }

// randomEnv returns an Env that gives every input of the table, each drawn from the
// pools: strings from poolStrings, numbers (dates and days of the year too) from
// poolInts, lists of up to two strings from poolStrings.
func randomEnv(r *rand.Rand) *Env {
	area := []string{}
	for range r.IntN(3) {
		area = append(area, pick(r, poolStrings))
	}
	env := &Env{}
	for i := range inputs {
		var v Value
		switch inputs[i].Kind {
		case String:
			v = stringValue(pick(r, poolStrings))
		case Bool:
			v = boolValue(r.IntN(2) == 0)
		case Strings:
			v = stringsValue(area)
		default: // Int, DateKind, MonthDayKind
			v = intValue(pick(r, poolInts))
		}
		if err := env.Set(inputs[i].Name, v); err != nil {
			panic(err)
		}
	}
	return env
}

// The expressions of the per-node test: each node kind the fast path compiles, over
// params, facts (fb bool, fi int, ff float, fs string, fl strings) and the env.
var testParams = map[string]any{
	"n": 2000, "zero": 0, "yes": true, "no": false, "s": "citizen",
	"list": []string{"citizen", "refugee", "C1"}, "long": []string{"a", "b", "c", "d", "e", "f", "g", "h", "citizen"},
	"norms": map[string]int{"therapist": 2200, "pediatrician": 900}, "start": 901,
}

var testFacts = map[string]factSlot{"fb": {index: 0, kind: Bool}, "fi": {index: 1, kind: Int}, "ff": {index: 2, kind: Float}, "fs": {index: 3, kind: String}, "fl": {index: 4, kind: Strings}}

var fastCases = []struct {
	name   string
	src    string
	reason string
}{
	{"literals", `true && 1 < 2.5 && "a" != "b"`, "bool, int, float and string literals"},
	{"member", `citizen.age >= 18 && clinic.fund_provider && application.signed`, "env fields of each kind"},
	{"params", `params.n - doctor.attached`, "params are constants"},
	{"param_bool", `params.yes ? citizen.age : params.n`, "a constant condition picks a branch"},
	{"param_and", `params.no && citizen.insured`, "false && x folds"},
	{"param_or", `params.no || citizen.insured`, "false || x is x"},
	{"facts", `fb || fi > 3 || ff < 0.5 || fs == "x" || "citizen" in fl`, "facts of each kind"},
	{"equal_mixed", `fi == ff`, "int == float compares as floats"},
	{"less_mixed", `citizen.age < ff`, "int < float"},
	{"strings_less", `fs < citizen.residency`, "strings order"},
	{"bool_equal", `fb == citizen.insured`, "bools compare"},
	{"not", `!fb && not citizen.insured`, "both spellings of not"},
	{"neg", `-fi + -ff`, "unary minus"},
	{"plus", `+fi`, "unary plus"},
	{"arith_int", `fi + citizen.age * 2 - doctor.attached`, "int arithmetic wraps like Go"},
	{"arith_float", `fi * 0.5 + ff - 1`, "float arithmetic"},
	{"div", `fi / citizen.age`, "/ gives float, also by zero"},
	{"mod", `fi % citizen.age`, "% by zero fails"},
	{"mod_param_zero", `fi % params.zero`, "a constant zero divisor still fails at run time"},
	{"in_list", `citizen.residency in params.list`, "in on a constant list"},
	{"in_long", `citizen.residency in params.long`, "in on a long constant list"},
	{"in_dynamic", `citizen.address_code in clinic.service_area`, "in on a list from the env"},
	{"not_in", `citizen.residency not in params.list`, "not in"},
	{"in_array", `doctor.specialty in ["therapist", "pediatrician"]`, "expr's optimizer makes a set"},
	{"in_map", `doctor.specialty in params.norms`, "in on a map"},
	{"map_index", `params.norms[doctor.specialty]`, "a missing key gives 0"},
	{"ternary", `doctor.specialty in params.norms ? params.norms[doctor.specialty] : params.n`, "ternary of ints"},
	{"ternary_string", `fb ? fs : citizen.residency`, "ternary of strings"},
	{"ternary_list", `fb ? fl : clinic.service_area`, "ternary of lists"},
	{"int", `int(12 / citizen.age)`, "int of a float, +Inf included"},
	{"float", `float(citizen.age) + float(ff)`, "float of numbers"},
	{"hasAnyPrefix", `hasAnyPrefix(citizen.address_code, clinic.service_area)`, "a bool function"},
	{"addMonths", `addMonths(citizen.attached_since, fi)`, "fails on a bad date or count"},
	{"startOfPeriod", `startOfPeriod(application.date, fi)`, "fails when months do not divide 12"},
	{"nextMonthDay", `nextMonthDay(application.date, params.start)`, "fails on a bad date"},
	{"concat", `fs + citizen.residency`, "string + is a bounded function"},
	{"string_ops", `fs contains "it" || fs startsWith "c" || fs endsWith "e"`, "string operators"},
	{"folded", `1 + 2 * 3 == 7 && params.n > 1000`, "constants fold"},
	{"numbers_folded", `fi + (params.n - 1)`, "a folded operand"},
}

// vmTestEnv is the map env the VM reads for the per-node test: each part of the
// application a map of its inputs' values, as Env.Value gives them, dates as numbers.
func vmTestEnv(env *Env, facts []Value, params map[string]any) map[string]any {
	m := map[string]any{"params": params}
	for _, in := range inputs {
		obj, field, _ := strings.Cut(in.Name, ".")
		if m[obj] == nil {
			m[obj] = map[string]any{}
		}
		v, _ := env.Value(in.Name)
		x := v.Any()
		switch in.Kind {
		case DateKind, MonthDayKind:
			x = v.Int()
		}
		m[obj].(map[string]any)[field] = x
	}
	for name, f := range testFacts {
		m[name] = facts[f.index].exprAny()
	}
	return m
}

func compileTestExpr(t testing.TB, src string) (*vm.Program, error) {
	t.Helper()
	pt := types.Map{}
	for k, v := range testParams {
		pt[k] = types.TypeOf(v)
	}
	env := exprEnv()
	env["params"] = pt
	for k, v := range map[string]any{"fb": false, "fi": 0, "ff": 0.0, "fs": "", "fl": []string{}} {
		env[k] = v
	}
	return defaultConfig.compileExpr(src, env)
}

func randomFacts(r *rand.Rand) []Value {
	floats := []float64{0, 0.5, -1.5, 18, 2000, math.Inf(1), math.NaN()}
	l := []string{}
	for range r.IntN(3) {
		l = append(l, pick(r, poolStrings))
	}
	return []Value{boolValue(r.IntN(2) == 0), intValue(pick(r, poolInts)), floatValue(pick(r, floats)), stringValue(pick(r, poolStrings)), stringsValue(l)}
}

// runBoth runs one expression on the VM and as closures.
func runBoth(prog *vm.Program, fe fastExpr, env *Env, facts []Value) (vmOut any, vmErr error, fastOut any, fastErr error) {
	var machine vm.VM
	machine.MemoryBudget = uint(maxMemory)
	vmOut, vmErr = machine.Run(prog, vmTestEnv(env, facts, testParams))
	func() {
		defer func() {
			if p := recover(); p != nil {
				fastErr = fmt.Errorf("%v", p)
			}
		}()
		f := &frame{env: env.vals, facts: facts}
		switch fe.Kind {
		case fast.Bool:
			fastOut = fe.Bool(f)
		case fast.Int:
			fastOut = fe.Int(f)
		case fast.Float:
			fastOut = fe.Float(f)
		case fast.String:
			fastOut = fe.String(f)
		case fast.Strings:
			fastOut = fe.Strings(f)
		}
	}()
	return
}

func sameOut(a, b any) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	}
	return reflect.DeepEqual(a, b)
}

func TestFastMatchesVMPerNode(t *testing.T) {
	r := newResolver(testParams, testFacts)
	for _, tc := range fastCases {
		t.Run(tc.name, func(t *testing.T) {
			prog, err := compileTestExpr(t, tc.src)
			if err != nil {
				t.Fatalf("compile %q: %v", tc.src, err)
			}
			compiled, err := fast.Compile(prog.Node(), r)
			if err != nil {
				t.Fatalf("fast.Compile(%q) = %v, want it compiled (%s)", tc.src, err, tc.reason)
			}
			rnd := rand.New(rand.NewPCG(1, uint64(len(tc.src))))
			for i := range 500 {
				env, facts := randomEnv(rnd), randomFacts(rnd)
				vo, ve, fo, fe := runBoth(prog, compiled, env, facts)
				if (ve != nil) != (fe != nil) || ve == nil && !sameOut(vo, fo) {
					t.Fatalf("case %d: %q: VM gave (%v, %v), fast gave (%v, %v) (%s)", i, tc.src, vo, ve, fo, fe, tc.reason)
				}
				if fe != nil && !compiled.Fails {
					t.Fatalf("case %d: %q failed (%v), but Compile said it cannot (%s)", i, tc.src, fe, tc.reason)
				}
			}
		})
	}
}

func TestFastRefusesWhatItDoesNotKnow(t *testing.T) {
	r := newResolver(testParams, testFacts)
	for _, src := range []string{`len(fs) > 2`, `fl[0] == "a"`, `citizen?.age > 1`, `fi ** 2 > 1`, `fs matches "^c"`, `upper(fs)`, `fi in 1..3`} {
		prog, err := compileTestExpr(t, src)
		if err != nil {
			t.Fatalf("compile %q: %v", src, err)
		}
		if _, err := fast.Compile(prog.Node(), r); err == nil {
			t.Errorf("fast.Compile(%q) = nil error, want it left to the VM", src)
		}
	}
}

func TestBuiltinRunsWithoutVM(t *testing.T) {
	p := MustCompile(Builtin())
	for _, c := range p.Sets() {
		if c.needVM {
			for _, e := range append(append([]expression{}, c.facts...), append(c.rules, c.takes)...) {
				if e.fast.Kind == fast.Invalid {
					_, err := fast.Compile(e.prog.Node(), newResolver(c.params, nil))
					t.Errorf("%s: %q runs on the VM: %v", c.ID(), e.src, err)
				}
			}
		}
	}
}

// evalOn evaluates c for env into r with Eval, or with expr's VM alone when vmOnly.
func evalOn(c *Compiled, env *Env, r *Result, vmOnly bool) error {
	if vmOnly {
		return c.evalVMOf(env, r, true)
	}
	return c.Eval(env, r)
}

// evalBoth evaluates a set with Eval and with the VM alone.
func evalBoth(c *Compiled, env *Env) (fastR Result, fastErr error, vmR Result, vmErr error) {
	fastErr = c.Eval(env, &fastR)
	vmErr = c.evalVMOf(env, &vmR, true)
	return
}

func sameResult(a, b *Result) bool {
	fa, fb := factsOf(a), factsOf(b)
	if a.TakesEffect != b.TakesEffect || !reflect.DeepEqual(a.Passed, b.Passed) || len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if !fa[i].Equal(fb[i]) && !(math.IsNaN(fa[i].Float()) && math.IsNaN(fb[i].Float())) {
			return false
		}
	}
	return true
}

// factsOf returns the facts of r: those Eval gave, the deferred ones computed by Fact; or,
// after evalVM called directly (which leaves r.last unset), every value the VM wrote.
func factsOf(r *Result) []Value {
	if r.last == nil {
		return r.frame.facts
	}
	return r.Facts()
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ra, rb *RuntimeError
	return errors.As(a, &ra) && errors.As(b, &rb) && ra.Error() == rb.Error()
}

func TestFastMatchesVMBuiltin(t *testing.T) {
	h := Builtin()
	// Parameters that make functions fail: both paths must give the same RuntimeError.
	broken, err := h[1].WithParam("changes_per_year", intValue(5))
	if err != nil {
		t.Fatal(err)
	}
	broken.ID, broken.EffectiveFrom = "broken", 30000101
	calendar, err := broken.WithParam("change_period_calendar", boolValue(true))
	if err != nil {
		t.Fatal(err)
	}
	calendar.ID, calendar.EffectiveFrom = "calendar", 30010101
	p := MustCompile(append(h, broken, calendar))
	rnd := rand.New(rand.NewPCG(2, 3))
	errs := 0
	for _, c := range p.Sets() {
		for i := range 3000 {
			env := randomEnv(rnd)
			if i%2 == 0 { // mostly valid dates, so that functions succeed
				date := 20260000 + (1+rnd.IntN(12))*100 + 1 + rnd.IntN(28)
				set(t, env, "application.date", date)
				set(t, env, "application.month_day", date%10000)
				set(t, env, "citizen.attached_since", 20250000+(1+rnd.IntN(12))*100+1+rnd.IntN(28))
			}
			fr, fe, vr, ve := evalBoth(c, env)
			if !sameErr(fe, ve) || fe == nil && !sameResult(&fr, &vr) {
				t.Fatalf("%s: case %d: Eval = (%+v, %v), VM = (%+v, %v)", c.ID(), i, fr, fe, vr, ve)
			}
			if fe != nil {
				errs++
			}
		}
	}
	if errs == 0 {
		t.Errorf("no case failed at run time; the error path was not compared")
	}
}

// TestMixedFastAndVM: a set with one expression the fast path does not compile decides
// as the all-VM path does.
func TestMixedFastAndVM(t *testing.T) {
	h := Builtin()
	s := h[1]
	s.Facts = append([]Fact(nil), s.Facts...)
	for i := range s.Facts {
		if s.Facts[i].Name == "attached" {
			s.Facts[i].Expr = "doctor.attached + len(clinic.id) * 0"
		}
	}
	p := MustCompile(History{s})
	c := p.Sets()[0]
	if !c.needVM {
		t.Fatalf("needVM = false, want true: len() is left to the VM")
	}
	for i := range c.facts {
		if c.facts[i].deferred {
			t.Errorf("fact %s is deferred, but the VM computes every fact of a set it runs", c.facts[i].fact)
		}
	}
	rnd := rand.New(rand.NewPCG(4, 5))
	for i := range 2000 {
		env := randomEnv(rnd)
		fr, fe, vr, ve := evalBoth(c, env)
		if !sameErr(fe, ve) || fe == nil && !sameResult(&fr, &vr) {
			t.Fatalf("case %d: Eval = (%+v, %v), VM = (%+v, %v)", i, fr, fe, vr, ve)
		}
	}
}

func FuzzFastMatchesVM(f *testing.F) {
	for _, tc := range fastCases {
		f.Add(tc.src, "citizen", 18, 2.5, true, uint64(1))
	}
	f.Add(`fi % citizen.age == 0`, "", 0, 0.0, false, uint64(7))
	r := newResolver(testParams, testFacts)
	f.Fuzz(func(t *testing.T, src, s string, n int, x float64, b bool, seed uint64) {
		if len(src) > 200 || strings.Contains(src, "..") { // ranges build big arrays on the VM
			return
		}
		prog, err := compileTestExpr(t, src)
		if err != nil {
			return
		}
		fe, err := fast.Compile(prog.Node(), r)
		if err != nil {
			return
		}
		rnd := rand.New(rand.NewPCG(seed, 0))
		env := randomEnv(rnd)
		set(t, env, "citizen.residency", s)
		set(t, env, "citizen.age", n)
		facts := []Value{boolValue(b), intValue(n), floatValue(x), stringValue(s), stringsValue([]string{s})}
		vo, ve, fo, ferr := runBoth(prog, fe, env, facts)
		if (ve != nil) != (ferr != nil) || ve == nil && !sameOut(vo, fo) {
			t.Fatalf("%q: VM gave (%v, %v), fast gave (%v, %v)", src, vo, ve, fo, ferr)
		}
		if ferr != nil && !fe.Fails { // a fact that cannot fail is deferred: it must not
			t.Fatalf("%q failed (%v), but Compile said it cannot", src, ferr)
		}
	})
}

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
	require.False(t, c.needVM, "the set runs on expr's VM; want every expression on the fast path")
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
		require.NoError(t, c.Eval(env, &fastR))
		require.NoError(t, c.evalVMOf(env, &vmR, true))
		for j := range s.Facts {
			f, v := fastR.Fact(j), factsOf(&vmR)[j]
			assert.True(t, f.Equal(v), "env %d: fact %s = %v (%v) on the fast path, %v (%v) on the VM", i, s.Facts[j].Name, f, f.Kind(), v, v.Kind())
		}
		assert.Equal(t, wantPassed[i], fastR.Passed, "env %d: the rules on the fast path", i)
		assert.Equal(t, wantPassed[i], vmR.Passed, "env %d: the rules on the VM", i)
		date, _ := env.Value("application.date")
		assert.Equal(t, date.Date(), fastR.TakesEffect, "env %d: takes effect on the fast path", i)
		assert.Equal(t, date.Date(), vmR.TakesEffect, "env %d: takes effect on the VM", i)
	}
	kinds := []Kind{Bool, Int, Float, String, Strings, DateKind, MonthDayKind, String, Bool, Float}
	var r Result
	require.NoError(t, c.Eval(envs[0], &r))
	for j, k := range kinds {
		assert.Equal(t, k, r.Fact(j).Kind(), "fact %s", s.Facts[j].Name)
	}
}

// TestConcatStringsBound: concatWithin builds at most max bytes.
func TestConcatStringsBound(t *testing.T) {
	concatStrings := concatWithin(maxStringLen)
	half := strings.Repeat("a", maxStringLen/2)
	got, err := concatStrings(half, half)
	require.NoError(t, err)
	assert.Equal(t, half+half, got, "%d + %d bytes", len(half), len(half))
	for _, args := range [][2]string{{half + "a", half}, {half + half, "a"}} {
		got, err := concatStrings(args[0], args[1])
		assert.ErrorIs(t, err, errArgs, "%d + %d bytes", len(args[0]), len(args[1]))
		assert.Empty(t, got, "%d + %d bytes", len(args[0]), len(args[1]))
	}
}
