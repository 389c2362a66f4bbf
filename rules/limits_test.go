package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// defaultConfig is the config of Compile without options.
var defaultConfig, _ = newConfig(nil)

// TestCompileWithoutOptions: Compile(h) uses the default limits, the package's constants;
// so does WithLimits for each field left 0.
func TestCompileWithoutOptions(t *testing.T) {
	p, err := Compile(Builtin())
	require.NoError(t, err)
	assert.Equal(t, defaultLimits(), p.Limits())
	assert.Equal(t, maxRules, p.Limits().MaxRules)
	p, err = Compile(Builtin(), WithLimits(Limits{}))
	require.NoError(t, err)
	assert.Equal(t, defaultLimits(), p.Limits(), "the zero Limits is the defaults")
	p, err = Compile(Builtin(), WithLimits(Limits{MaxRules: 20, MaxCost: 1e6}))
	require.NoError(t, err)
	want := defaultLimits()
	want.MaxRules, want.MaxCost = 20, 1e6
	assert.Equal(t, want, p.Limits(), "the fields given, the defaults for the others")
	p, err = Compile(Builtin(), WithLimits(Limits{MaxRules: 20}), WithLimits(Limits{MaxCost: 1e6}))
	require.NoError(t, err)
	assert.Equal(t, want, p.Limits(), "two options: a field the second leaves 0 keeps what the first set")
	p, err = Compile(Builtin(), WithLimits(Limits{MaxRules: 20}), WithLimits(Limits{MaxRules: 30}))
	require.NoError(t, err)
	assert.Equal(t, 30, p.Limits().MaxRules, "the later of two options setting one field wins")
}

// TestInvalidOptions: an option that cannot be applied is an error naming the field and
// its value, never a panic, and nothing is compiled.
func TestInvalidOptions(t *testing.T) {
	with := func(change func(*Limits)) Option {
		l := defaultLimits()
		change(&l)
		return WithLimits(l)
	}
	tests := []struct {
		name   string
		opts   []Option
		want   []string
		reason string
	}{
		{name: "negative", opts: []Option{with(func(l *Limits) { l.MaxMemory = -5 })}, want: []string{"MaxMemory is -5"},
			reason: "a negative budget would wrap around to a huge one"},
		{name: "every_bad_field", opts: []Option{with(func(l *Limits) { l.MaxSets, l.MaxStringLen = -1, -1<<62 })},
			want: []string{"MaxSets is -1", "MaxStringLen is -4611686018427387904"}, reason: "all problems at once"},
		{name: "negative_beside_zero", opts: []Option{WithLimits(Limits{MaxCost: -1})}, want: []string{"MaxCost is -1", "or 0 for its default"},
			reason: "a zero field is a default, a negative one is a mistake"},
		{name: "nil", opts: []Option{nil}, want: []string{"option 0 is nil"}, reason: "a nil Option does not panic"},
		{name: "nil_after_good", opts: []Option{WithLimits(defaultLimits()), nil}, want: []string{"option 1 is nil"},
			reason: "the position of the nil option is named"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p *Program
			var err error
			require.NotPanics(t, func() { p, err = Compile(Builtin(), tc.opts...) }, tc.reason)
			require.Error(t, err, tc.reason)
			assert.Nil(t, p)
			var es Errors
			assert.False(t, errors.As(err, &es), "an option's error is not a problem of the rule set: %v", err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w, tc.reason)
			}
		})
	}
}

// TestLimitsApply: each limit given with WithLimits is the one Compile and Eval enforce,
// in place of the default.
func TestLimitsApply(t *testing.T) {
	limits := func(change func(*Limits)) Option {
		l := defaultLimits()
		change(&l)
		return WithLimits(l)
	}
	twoRules := History{testSet(nil, "true", "true")}
	_, err := Compile(twoRules, limits(func(l *Limits) { l.MaxRules = 1 }))
	require.ErrorContains(t, err, "2 rules; at most 1 are allowed")

	twoSets := History{testSet(nil, "true"), testSet(nil, "true")}
	twoSets[1].ID, twoSets[1].EffectiveFrom = "u", 20190101
	_, err = Compile(twoSets, limits(func(l *Limits) { l.MaxSets = 1 }))
	require.ErrorContains(t, err, "2 sets; at most 1 are allowed")

	_, err = Compile(History{testSet([]Fact{{Name: "a", Expr: "1"}, {Name: "b", Expr: "2"}}, "a < b")}, limits(func(l *Limits) { l.MaxFacts = 1 }))
	require.ErrorContains(t, err, "2 facts; at most 1 are allowed")

	_, err = Compile(History{testSet(nil, "citizen.age > 17")}, limits(func(l *Limits) { l.MaxExprLen = 10 }))
	require.ErrorContains(t, err, "expression is 16 bytes; at most 10 are allowed")

	_, err = Compile(History{testSet(nil, "citizen.age > 17 && citizen.insured")}, limits(func(l *Limits) { l.MaxExprNodes = 3 }))
	require.ErrorContains(t, err, "exceeds maximum allowed nodes")

	// More rules than the default: ParseSet leaves the count to Compile, which takes the
	// limit it is given.
	var b strings.Builder
	b.WriteString(`{"id": "big", "effective_from": "2018-01-01", "takes_effect": "application.date", "rules": [`)
	for i := range maxRules + 1 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id": "r` + itoa(i) + `", "expr": "true", "source": {"publisher": "d", "quote": "q"},
			"messages": {"kk": "x", "ru": "x", "en": "x"}}`)
	}
	b.WriteString("]}")
	big, err := ParseSet([]byte(b.String()))
	require.NoError(t, err, "ParseSet does not count rules")
	_, err = Compile(History{big})
	require.ErrorContains(t, err, "65 rules; at most 64 are allowed")
	_, err = Compile(History{big}, limits(func(l *Limits) { l.MaxRules = maxRules + 1 }))
	require.NoError(t, err)
}

// TestRunTimeLimitsApply: maxStringLen and maxMemory given with WithLimits bound what an
// expression builds while it runs, on the fast path and on expr's VM alike.
func TestRunTimeLimitsApply(t *testing.T) {
	small := defaultLimits()
	small.MaxStringLen, small.MaxMemory = 8, 100
	concat := History{testSet(nil, `application.id + application.id != ""`)}
	memory := History{testSet(nil, `len(1..application.year) > 0`)}
	env := envOf(map[string]any{"application.id": "abcde", "application.date": 20180105, "application.year": 500})
	for _, vmOnly := range []bool{false, true} {
		for _, h := range []History{concat, memory} {
			c, _ := MustCompile(h).At(20180101)
			require.NoError(t, evalOn(c, env, &Result{}, vmOnly), "default limits: %s", h[0].Rules[0].Expr)
			c, _ = MustCompile(h, WithLimits(small)).At(20180101)
			err := evalOn(c, env, &Result{}, vmOnly)
			require.ErrorAs(t, err, new(*RuntimeError), "small limits: %s", h[0].Rules[0].Expr)
		}
	}
	c, _ := MustCompile(concat, WithLimits(small)).At(20180101)
	require.ErrorContains(t, c.Eval(env, &Result{}), "string + gives 10 bytes; at most 8 are allowed")
	c, _ = MustCompile(memory, WithLimits(small)).At(20180101)
	require.ErrorContains(t, c.Eval(env, &Result{}), "memory budget exceeded")
}

// TestExpressionLengthBound: maxExprLen bytes are allowed, one more is refused, and the
// snippet of the refused expression is cut.
func TestExpressionLengthBound(t *testing.T) {
	exact := "true" + strings.Repeat(" ", maxExprLen-4)
	assert.Equal(t, "", compileErrors(t, History{testSet(nil, exact)}), "a rule of exactly %d bytes compiles", maxExprLen)
	over := exact + " "
	want := "rules: t: rule r0: expr:1:1: expression is 4097 bytes; at most 4096 are allowed\n | true" + strings.Repeat(" ", 76) + "...\n | ^\n"
	assert.Equal(t, want, compileErrors(t, History{testSet(nil, over)}), "Compile(rule of %d bytes)", len(over))
}

// TestStringConcatBound: string + builds at most maxStringLen bytes, on both evaluators.
func TestStringConcatBound(t *testing.T) {
	s := testSet([]Fact{{Name: "joined", Expr: "application.id + citizen.address_code"}}, "len(joined) > 0")
	l := defaultLimits()
	l.MaxInputStringLen = maxStringLen // the application's strings may be as long as what + builds
	p, err := Compile(History{s}, WithLimits(l))
	require.NoError(t, err)
	c, _ := p.At(20180101)
	tests := []struct {
		name, reason string
		a, b         int // lengths of the two strings
		fails        bool
	}{
		{name: "exact", reason: "MaxStringLen bytes are allowed", a: maxStringLen - 100, b: 100},
		{name: "one_over", reason: "one byte more is refused", a: maxStringLen - 100, b: 101, fails: true},
		{name: "long_short", reason: "the lengths add up", a: maxStringLen - 50, b: 100, fails: true},
		{name: "empty", reason: "empty strings join", a: 0, b: 0},
	}
	for _, tc := range tests {
		env := envOf(map[string]any{"application.id": strings.Repeat("a", tc.a), "application.date": 20180101, "citizen.address_code": strings.Repeat("7", tc.b)})
		for _, vmOnly := range []bool{false, true} {
			var r Result
			err := evalOn(c, env, &r, vmOnly)
			if tc.fails {
				var re *RuntimeError
				if assert.ErrorAs(t, err, &re, "%s, vm only %v: %s", tc.name, vmOnly, tc.reason) {
					assert.Equal(t, "joined", re.Fact)
					assert.Equal(t, "string + gives "+itoa(tc.a+tc.b)+" bytes; at most 4096 are allowed", re.Message, "%s, vm only %v", tc.name, vmOnly)
				}
				continue
			}
			if assert.NoError(t, err, "%s, vm only %v: %s", tc.name, vmOnly, tc.reason) {
				assert.Len(t, factsOf(&r)[0].Str(), tc.a+tc.b, "%s, vm only %v: %s", tc.name, vmOnly, tc.reason)
			}
		}
	}
}
