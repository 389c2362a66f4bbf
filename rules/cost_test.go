package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"

	exprbuiltin "github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compileRule compiles a one-rule set with the facts and parameters given.
func compileRule(src string, facts []Fact, params []Param, opts ...Option) (*Compiled, error) {
	s := testSet(facts, src)
	s.Params = params
	p, err := Compile(History{s}, opts...)
	if err != nil {
		return nil, err
	}
	c, _ := p.At(20180101)
	return c, nil
}

// onlyError returns the one *Error of err, failing the test when there is not exactly one.
func onlyError(t *testing.T, err error) *Error {
	t.Helper()
	var es Errors
	require.ErrorAs(t, err, &es)
	require.Len(t, es, 1, "%s", es.Details())
	return es[0]
}

// TestIssueExpressionRefused: the expression of the issue compiled in 4 ms and then took
// 5 s to decide. It is refused when compiled, placed at the outer loop, with its cost and
// the limit.
func TestIssueExpressionRefused(t *testing.T) {
	src := "let R = 1..9000; application.signed && all(R, all(R, # > 0))"
	_, err := compileRule(src, nil, nil)
	e := onlyError(t, err)
	assert.Equal(t, "t", e.Set)
	assert.Equal(t, "r0", e.Rule)
	assert.Equal(t, "expr", e.Field)
	assert.Equal(t, 1, e.Line)
	assert.Equal(t, strings.Index(src, "all(R, all")+1, e.Column, "the outer all: the inner one alone is within the limit")
	assert.Regexp(t, `^the worst-case cost of this expression is \d{9}, above the limit of 500000 \(Limits\.MaxCost\)$`, e.Message)
	var fe *file.Error
	assert.ErrorAs(t, err, &fe, "the *Error wraps a *file.Error, as for expr's own problems")

	// The inner loop alone compiles: 9,000 steps are within the limit.
	_, err = compileRule("let R = 1..9000; application.signed && all(R, # > 0)", nil, nil)
	require.NoError(t, err)
}

// doubling doubles a string of unknown type 20 times, to 2 MB: + is expr's own, which
// maxStringLen does not bound.
var doubling = func() string {
	var b strings.Builder
	b.WriteString(`let a = first(["xx"]); `)
	for c := 'b'; c <= 't'; c++ {
		b.WriteString("let " + string(c) + " = " + string(c-1) + " + " + string(c-1) + "; ")
	}
	b.WriteString("len(t) > 0")
	return b.String()
}()

// TestCostRefusals: what has no bound, or a bound over the limit, is refused with a
// message saying why, placed at the part that has none.
func TestCostRefusals(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		params []Param
		column int
		want   string
		reason string
	}{
		{name: "regexp_not_literal", src: `application.id matches params.p`, params: []Param{{Name: "p", Value: stringValue("a+")}},
			column: 16, want: "matches needs a pattern written as a string literal", reason: "expr compiles such a pattern on every run"},
		{name: "doubling_unknown_type", src: doubling, column: strings.Index(doubling, "s + s") + 3,
			want: "above the limit", reason: "+ on values of unknown type is not bounded by maxStringLen: t has 2^20 bytes"},
		{name: "nested_service_area", src: `all(clinic.service_area, all(clinic.service_area, # != ""))`,
			column: 1, want: "above the limit", reason: "1,000 × 1,000 elements of the application"},
		{name: "nested_unknown_range", src: `all(1..citizen.age, all(1..citizen.age, # > 0))`,
			column: 1, want: "above the limit", reason: "a range of unknown ends is bounded by maxMemory: 10,000 × 10,000"},
		{name: "env_pointer", src: `all($env.citizen.age..1, # > 0)`, column: 5, want: "has no known size",
			reason: "the env as a whole has no size the estimate knows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileRule(tc.src, nil, tc.params)
			require.Error(t, err, tc.reason)
			e := onlyError(t, err)
			assert.Equal(t, "r0", e.Rule)
			assert.Contains(t, e.Message, tc.want, tc.reason)
			assert.Equal(t, tc.column, e.Column, "%s\n%s", tc.reason, e.Snippet)
		})
	}
}

// TestCostBounds: the sizes the estimate takes for what a loop ranges over, checked by how
// the cost grows with them.
func TestCostBounds(t *testing.T) {
	cost := func(src string, params []Param, change func(*Limits)) uint64 {
		t.Helper()
		l := defaultLimits()
		l.MaxCost = 1 << 40
		if change != nil {
			change(&l)
		}
		c, err := compileRule(src, nil, params, WithLimits(l))
		require.NoError(t, err, src)
		return c.rules[0].worst
	}
	area := `all(clinic.service_area, # startsWith "75")`
	full := cost(area, nil, nil)
	tenth := cost(area, nil, func(l *Limits) { l.MaxInputListLen = maxInputListLen / 10 })
	assert.InDelta(t, 10, float64(full)/float64(tenth), 0.5, "the service area's bound is maxInputListLen: %d and %d", full, tenth)
	long := cost(`all(clinic.service_area, # == application.id)`, nil, func(l *Limits) { l.MaxInputStringLen = 100 * maxInputStringLen })
	short := cost(`all(clinic.service_area, # == application.id)`, nil, nil)
	assert.Greater(t, long, 10*short, "comparing longer strings costs more")

	list := []Param{{Name: "l", Value: stringsValue([]string{"a", "b", "c", "d"})}, {Name: "from", Value: intValue(10)}, {Name: "to", Value: intValue(409)}}
	four := cost(`all(params.l, # != "x")`, list, nil)
	range400 := cost(`all(params.from..params.to, # > 0)`, list, nil)
	range4 := cost(`all(1..4, # > 0)`, list, nil)
	assert.InDelta(t, 100, float64(range400-range4)/float64(range4-cost(`all(1..0, # > 0)`, list, nil)), 2, "a range of parameters: 400 elements")
	assert.Less(t, four, range400, "a list parameter of 4 elements")
	unknown := cost(`all(1..citizen.age, # > 0)`, nil, nil)
	assert.Greater(t, unknown, uint64(maxMemory), "a range the application ends is bounded by maxMemory")
}

// TestFactCosts: a deferred fact costs what computing it costs, where it is read; a fact
// computed once per evaluation costs 1 to read; an evaluation's cost is the sum.
func TestFactCosts(t *testing.T) {
	s := testSet([]Fact{
		{Name: "cheap", Expr: `citizen.residency == "citizen" || citizen.insured`},
		{Name: "in_area", Expr: `hasAnyPrefix(citizen.address_code, clinic.service_area)`},
	}, "cheap && cheap && cheap", "in_area && in_area")
	c, _ := MustCompile(History{s}).At(20180101)
	require.False(t, c.needVM)
	require.True(t, c.facts[0].deferred)
	require.False(t, c.facts[1].deferred, "a fact reading the service area is computed by every evaluation")
	cheap, area := c.facts[0].worst, c.facts[1].worst
	assert.Equal(t, c.rules[0].own-3+3*cheap, c.rules[0].worst, "cheap is computed where each of its 3 reads is")
	assert.Equal(t, c.rules[1].own, c.rules[1].worst, "in_area is read, not computed")
	assert.Greater(t, area, uint64(maxInputListLen), "in_area ranges over the service area")
	assert.Equal(t, cheap+area+c.rules[0].worst+c.rules[1].worst+c.takes.worst, c.worst)
}

// TestSetCostLimit: expressions each within the limit, over it together, make a set that
// does not compile, with one error in its costliest expression.
func TestSetCostLimit(t *testing.T) {
	loop := `all(clinic.service_area, # startsWith "7")`
	c, err := compileRule(loop, nil, nil)
	require.NoError(t, err)
	one := c.worst
	n := int(uint64(maxCost)/one) + 1
	exprs := make([]string, n)
	for i := range exprs {
		exprs[i] = loop
	}
	heavy := `citizen.insured && all(clinic.service_area, # startsWith "7" && # endsWith "1" && # != "")`
	exprs[n/2] = heavy // the costliest
	s := testSet(nil)
	for i, src := range exprs {
		s.Rules = append(s.Rules, Rule{ID: "r" + itoa(i), Expr: src, Source: Citation{Publisher: "test", Quote: "test"}, Messages: testMessages})
	}
	_, err = Compile(History{s})
	e := onlyError(t, err)
	assert.Equal(t, "r"+itoa(n/2), e.Rule)
	assert.Contains(t, e.Message, "the worst-case cost of an evaluation of this set is")
	assert.Contains(t, e.Message, "above the limit of 500000 (Limits.MaxCost)")
	assert.Equal(t, strings.Index(heavy, "all(")+1, e.Column, "the part holding more than half the expression's cost: the loop")
}

// TestEveryBuiltinHasACost: every builtin of expr that an expression may call has a cost,
// so that a new builtin of a newer expr is not silently refused (or let through).
func TestEveryBuiltinHasACost(t *testing.T) {
	samples := map[string]string{
		"all": `all(params.l, # != "")`, "none": `none(params.l, # == "")`, "any": `any(params.l, # == "")`,
		"one": `one(params.l, # == "")`, "filter": `len(filter(params.l, # != "")) > 0`,
		"map": `len(map(params.l, # + "x")) > 0`, "find": `find(params.l, # != "") != ""`,
		"findIndex": `findIndex(params.l, # != "") > 0`, "findLast": `findLast(params.l, # != "") != ""`,
		"findLastIndex": `findLastIndex(params.l, # != "") > 0`, "count": `count(params.l, # != "") > 0`,
		"sum": `sum(params.l, len(#)) > 0`, "groupBy": `len(groupBy(params.l, len(#))) > 0`,
		"sortBy": `len(sortBy(params.l, len(#), "desc")) > 0`, "len": `len(application.id) > 0`,
		"type": `type(1) == "int"`, "abs": `abs(citizen.age) > 0`, "ceil": `ceil(1.5) > 0`, "floor": `floor(1.5) > 0`,
		"round": `round(1.5) > 0`, "int": `int("12") > 0`, "float": `float("1.5") > 0`,
		"trim": `trim(application.id) != ""`, "trimPrefix": `trimPrefix(application.id, "a") != ""`,
		"trimSuffix": `trimSuffix(application.id, "a") != ""`, "upper": `upper(application.id) != ""`,
		"lower": `lower(application.id) != ""`, "split": `len(split(application.id, "-")) > 0`,
		"splitAfter": `len(splitAfter(application.id, "-")) > 0`, "indexOf": `indexOf(application.id, "-") > 0`,
		"lastIndexOf": `lastIndexOf(application.id, "-") > 0`, "hasPrefix": `hasPrefix(application.id, "a")`,
		"hasSuffix": `hasSuffix(application.id, "a")`, "max": `max(1, citizen.age) > 0`, "min": `min(1, citizen.age) > 0`,
		"mean": `mean([1, 2]) > 0`, "median": `median([1, 2]) > 0`, "toBase64": `toBase64(application.id) != ""`,
		"fromBase64": `fromBase64(application.id) != ""`, "first": `first(params.l) != ""`, "last": `last(params.l) != ""`,
		"get": `get(params.l, 1) != ""`, "take": `len(take(params.l, 1)) > 0`, "keys": `len(keys(params.m)) > 0`,
		"values": `len(values(params.m)) > 0`, "toPairs": `len(toPairs(params.m)) > 0`,
		"fromPairs": `len(fromPairs([["a", 1]])) > 0`, "reverse": `len(reverse(params.l)) > 0`,
		"uniq": `len(uniq(params.l)) > 0`, "concat": `len(concat(params.l, params.l)) > 0`,
		"sort": `len(sort(params.l)) > 0`, "bitnot": `bitnot(citizen.age) > 0`, "bitand": `bitand(citizen.age, 3) > 0`,
		"bitor": `bitor(citizen.age, 3) > 0`, "bitxor": `bitxor(citizen.age, 3) > 0`, "bitnand": `bitnand(citizen.age, 3) > 0`,
		"bitshl": `bitshl(citizen.age, 3) > 0`, "bitshr": `bitshr(citizen.age, 3) > 0`, "bitushr": `bitushr(citizen.age, 3) > 0`,
	}
	params := []Param{{Name: "l", Value: stringsValue([]string{"a", "b"})}, {Name: "m", Value: intMapValue(map[string]int{"a": 1})}}
	for _, name := range exprbuiltin.Names {
		if slices.Contains(disabledBuiltins, name) {
			continue
		}
		src, ok := samples[name]
		if !assert.True(t, ok, "builtin %s has no sample: give it one, and a cost in cost_builtin.go", name) {
			continue
		}
		c, err := compileRule(src, nil, params)
		if assert.NoError(t, err, "%s: %s", name, src) {
			assert.Positive(t, c.rules[0].worst, src)
		}
	}
}

// TestCheckInput: Eval refuses an Env longer than the limits before it runs expressions on
// expr's VM; the fast path, linear in the Env's sizes, takes it.
func TestCheckInput(t *testing.T) {
	vmSet, err := compileRule(`any(clinic.service_area, # == citizen.address_code)`, nil, nil)
	require.NoError(t, err)
	require.True(t, vmSet.needVM)
	fastSet, err := compileRule(`hasAnyPrefix(citizen.address_code, clinic.service_area)`, nil, nil)
	require.NoError(t, err)
	require.False(t, fastSet.needVM)

	tests := []struct {
		name  string
		env   map[string]any
		field string
		want  string
	}{
		{name: "within", env: map[string]any{"clinic.service_area": append(make([]string, maxInputListLen-1), strings.Repeat("7", maxInputStringLen)), "application.id": strings.Repeat("a", maxInputStringLen)}},
		{name: "long_list", env: map[string]any{"clinic.service_area": make([]string, maxInputListLen+1)},
			field: "clinic.service_area", want: "has 1001 elements; at most 1000 are allowed (Limits.MaxInputListLen)"},
		{name: "long_string", env: map[string]any{"application.id": strings.Repeat("a", maxInputStringLen+1)},
			field: "application.id", want: "is 257 bytes; at most 256 are allowed (Limits.MaxInputStringLen)"},
		{name: "long_element", env: map[string]any{"clinic.service_area": []string{"75", strings.Repeat("7", maxInputStringLen+1)}},
			field: "clinic.service_area[1]", want: "is 257 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["application.date"] = 20180105
			env := envOf(tc.env)
			err := vmSet.Eval(env, &Result{})
			require.NoError(t, fastSet.Eval(env, &Result{}), "the fast path has no loops")
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var re *RuntimeError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, tc.field, re.Field)
			assert.Contains(t, re.Message, tc.want)
			assert.Equal(t, "rules: t: "+tc.field+": "+re.Message, err.Error())
		})
	}
}

// TestCostLimitIsInclusive: an expression, and a set, whose worst-case cost is exactly
// Limits.MaxCost compile, and a limit one unit lower refuses them; a refused expression
// is placed at its smallest part over the limit, and a refused set names its costliest
// expression, the first of those that cost the most.
func TestCostLimitIsInclusive(t *testing.T) {
	withMax := func(n uint64) Option {
		l := defaultLimits()
		l.MaxCost = int(n)
		return WithLimits(l)
	}
	loop := `all(clinic.service_area, # startsWith "7")`
	c, err := compileRule(loop, nil, nil)
	require.NoError(t, err)
	rule, total := c.rules[0].worst, c.worst
	require.Less(t, rule, total, "the set costs its rule and its takes_effect")

	_, err = compileRule(loop, nil, nil, withMax(total))
	assert.NoError(t, err, "a set whose cost is the limit")
	_, err = compileRule(loop, nil, nil, withMax(total-1))
	assert.Contains(t, onlyError(t, err).Message, "the worst-case cost of an evaluation of this set is "+itoa(int(total))+", above the limit of "+itoa(int(total-1)))

	_, err = compileRule(loop, nil, nil, withMax(rule))
	assert.Contains(t, onlyError(t, err).Message, "of an evaluation of this set", "an expression whose cost is the limit passes; the set with it does not")
	_, err = compileRule(loop, nil, nil, withMax(rule-1))
	assert.Contains(t, onlyError(t, err).Message, "the worst-case cost of this expression is "+itoa(int(rule))+", above the limit of "+itoa(int(rule-1)))

	// The loop, a part of a larger expression, costs what it costs alone. At a limit of
	// exactly its cost no part but the whole is over the limit: the error is placed at the
	// whole, whose node is the operator &&; one unit lower, at the loop.
	wider := `citizen.insured && ` + loop
	_, err = compileRule(wider, nil, nil, withMax(rule))
	e := onlyError(t, err)
	assert.Contains(t, e.Message, "the worst-case cost of this expression is")
	assert.Equal(t, strings.Index(wider, "&&")+1, e.Column, "no part of %s is over a limit of its loop's cost", wider)
	_, err = compileRule(wider, nil, nil, withMax(rule-1))
	assert.Equal(t, strings.Index(wider, "all(")+1, onlyError(t, err).Column, "the loop is over a limit below its cost")

	// Two rules that cost the same: the set's error names the first.
	s := testSet(nil, loop, loop)
	p, err := Compile(History{s})
	require.NoError(t, err)
	two := p.Sets()[0].worst
	_, err = Compile(History{s}, withMax(two-1))
	assert.Equal(t, "r0", onlyError(t, err).Rule, "of two costliest rules, the first is named")
}

// TestCostErrorField: a refused expression's error names the field of the set it is:
// expr for a rule or a fact, takes_effect for takes_effect, whether the expression alone
// is over the limit or it is the costliest of a set that is.
func TestCostErrorField(t *testing.T) {
	costly := `all(1..100000000, # > 0)`
	_, err := compileRule(costly, nil, nil)
	assert.Equal(t, "expr", onlyError(t, err).Field)
	s := testSet(nil, "true")
	s.TakesEffect = costly + ` ? application.date : application.date`
	_, err = Compile(History{s})
	e := onlyError(t, err)
	assert.Equal(t, "takes_effect", e.Field)
	assert.Contains(t, e.Message, "the worst-case cost of this expression")

	s.TakesEffect = `all(clinic.service_area, # startsWith "7") ? application.date : application.date`
	p, err := Compile(History{s})
	require.NoError(t, err)
	total := p.Sets()[0].worst
	require.Greater(t, p.Sets()[0].takes.worst, total/2, "takes_effect is the costliest expression")
	l := defaultLimits()
	l.MaxCost = int(total - 1)
	_, err = Compile(History{s}, WithLimits(l))
	e = onlyError(t, err)
	assert.Contains(t, e.Message, "of an evaluation of this set")
	assert.Equal(t, "takes_effect", e.Field, "the costliest expression of the set")
	assert.Empty(t, e.Rule)
}

// TestCostOfAnElement: first of a list parameter is a string of its elements' size, so
// reading it rune by rune has a bound; an element of a list of unknown size has none.
func TestCostOfAnElement(t *testing.T) {
	list := []Param{{Name: "l", Value: stringsValue([]string{"ab", "c"})}}
	_, err := compileRule(`len(first(params.l)) > 0`, nil, list)
	assert.NoError(t, err, "the elements of a list parameter have a known size")
}

// TestStringBuiltinCosts: what a builtin costs per byte of the application's strings, by
// the weights of cost.go: the difference of the worst cost between maxInputStringLen
// 2,560 and 256. len reads its string rune by rune: strCost(n) = n/10 + 1, 257 - 26 = 231.
// upper maps every byte (n/2) and builds up to 3n/2 bytes (10 + out/2), which len reads:
// (1280-128) + (1920-192) + (385-39) = 3226. toBase64 reads n bytes and builds
// out = (n/3+1)*4 (344 and 3,416), which len reads: 231 + (1718-182) + (342-35) = 2074.
// The length of a list is known without reading it: its cost does not grow.
func TestStringBuiltinCosts(t *testing.T) {
	cost := func(src string, strLen int) uint64 {
		t.Helper()
		l := defaultLimits()
		l.MaxInputStringLen, l.MaxCost = strLen, 1<<40
		c, err := compileRule(src, nil, nil, WithLimits(l))
		require.NoError(t, err, src)
		return c.rules[0].worst
	}
	for src, want := range map[string]uint64{
		`len(application.id) > 0`:           231,
		`len(upper(application.id)) > 0`:    3226,
		`len(lower(application.id)) > 0`:    3226,
		`len(toBase64(application.id)) > 0`: 2074,
		`len(clinic.service_area) > 0`:      0,
	} {
		assert.Equal(t, want, cost(src, 2560)-cost(src, 256), "%s: the cost of 2,304 bytes more", src)
	}
	// At 256 bytes toBase64 itself costs a call (3) and builds out = (256/3+1)*4 = 344
	// bytes (10 + 172), which len then reads (35) where it read the 256 (26) before, and
	// the 26 toBase64 reads instead: 3 + 182 + 35 = 220 more than len alone.
	assert.Equal(t, uint64(220), cost(`len(toBase64(application.id)) > 0`, 256)-cost(`len(application.id) > 0`, 256), "toBase64 of 256 bytes")
}

// TestRangeOfParameterArithmetic: the end of a range written as the sum of two int
// parameters is known when the set is compiled if both are within ±2^31, so that the
// arithmetic cannot overflow: a range of 8 then costs what the same range of small
// parameters costs. A parameter one past either bound leaves the end unknown, bounded
// only by maxMemory: the loop costs much more.
func TestRangeOfParameterArithmetic(t *testing.T) {
	const bound = 1 << 31
	cost := func(src string, a, b int) uint64 {
		t.Helper()
		params := []Param{{Name: "a", Value: intValue(a)}, {Name: "b", Value: intValue(b)}}
		c, err := compileRule(src, nil, params)
		require.NoError(t, err)
		return c.rules[0].worst
	}
	fromA := `all(params.a..(params.a + params.b), # > 0)` // b+1 elements
	fromB := `all(params.b..(params.a + params.b), # > 0)` // a+1 elements
	tests := []struct {
		name   string
		src    string
		a, b   int
		folded bool
	}{
		{"a at the upper bound", fromA, bound, 7, true},
		{"a over the upper bound", fromA, bound + 1, 7, false},
		{"a at the lower bound", fromA, -bound, 7, true},
		{"a under the lower bound", fromA, -bound - 1, 7, false},
		{"b at the upper bound", fromB, 7, bound, true},
		{"b over the upper bound", fromB, 7, bound + 1, false},
		{"b at the lower bound", fromB, 7, -bound, true},
		{"b under the lower bound", fromB, 7, -bound - 1, false},
	}
	eight := map[string]uint64{fromA: cost(fromA, 20, 7), fromB: cost(fromB, 7, 20)}
	for _, tc := range tests {
		got := cost(tc.src, tc.a, tc.b)
		if tc.folded {
			assert.Equal(t, eight[tc.src], got, "%s: the range's end is known", tc.name)
		} else {
			assert.Greater(t, got, 100*eight[tc.src], "%s: the range's end is unknown", tc.name)
		}
	}
}

// TestCollectionBuiltinCosts: what the cost of builtins over a parameter's list or map
// tells apart. median sorts a copy, max does not; sum of one list costs what max costs
// (both read each number once), it is not a loop, but sum of a map is; keys and toPairs of a map parameter
// have elements of a known size, so a loop over them has a bound; toPairs copies two
// values per entry, keys one.
func TestCollectionBuiltinCosts(t *testing.T) {
	params := []Param{
		{Name: "l", Value: stringsValue([]string{"a", "b", "c", "d", "e", "f", "g", "h"})},
		{Name: "n", Value: intMapValue(map[string]int{"therapist": 1, "pediatrician": 2, "general_practitioner": 3})},
	}
	cost := func(src string) uint64 {
		t.Helper()
		c, err := compileRule(src, nil, params)
		require.NoError(t, err, src)
		return c.rules[0].worst
	}
	nums := `[1, 2, 3, 4, 5, 6, 7, 8]`
	// median sorts a copy of the 8 numbers: it copies them (build(8, costReflect) =
	// 10 + 96) and compares each log2(8) = bits.Len64(8) + 1 = 5 times (40), and reads the
	// 146 twice, where max reads the 8 numbers twice: 292 - 16 = 276 more.
	assert.Equal(t, uint64(276), cost(`median(`+nums+`) > 0`)-cost(`max(`+nums+`) > 0`), "median sorts a copy of the numbers")
	assert.Equal(t, cost(`max(`+nums+`) > 0`), cost(`sum(`+nums+`) > 0`), "sum of one list reads each number once, as max does")
	// expr makes sum(map(l, f)) one builtin with a map: a loop, costing f for each element.
	assert.Greater(t, cost(`sum(map(params.l, len(# + # + #))) > 0`), cost(`sum(`+nums+`) > 0`), "sum of a map runs its function on each element")
	cost(`all(keys(params.n), # startsWith "t")`)
	cost(`all(toPairs(params.n), len(#) == 2)`)
	assert.Less(t, cost(`len(keys(params.n)) > 0`), cost(`len(toPairs(params.n)) > 0`), "toPairs copies two values per entry")
	// fromPairs builds a map (costMap, 30) of the 3 pairs, copying two values each
	// (2*costReflect, 24) and hashing a key of at most 20 bytes (scanCost(20), 1), on top
	// of a builtin's call (costFetch, 3): 3 + 30 + 3*25 = 108.
	assert.Equal(t, uint64(108), cost(`len(fromPairs(toPairs(params.n))) > 0`)-cost(`len(toPairs(params.n)) > 0`), "fromPairs of 3 pairs")
}

// TestOperatorCosts: + of two numbers costs what - costs, one unit, while + of strings
// builds one; an index into a map hashes its key, a unit per 64 bytes: a key of 200
// bytes costs scanCost(200) - scanCost(1) = 4 - 1 = 3 units more than a key of one.
func TestOperatorCosts(t *testing.T) {
	params := []Param{{Name: "n", Value: intMapValue(map[string]int{"t": 1})}}
	cost := func(src string) uint64 {
		t.Helper()
		c, err := compileRule(src, nil, params)
		require.NoError(t, err, src)
		return c.rules[0].worst
	}
	assert.Equal(t, cost(`citizen.age - doctor.attached > 0`), cost(`citizen.age + doctor.attached > 0`), "+ of numbers")
	assert.Less(t, cost(`citizen.age - doctor.attached > 0`), cost(`application.id + application.id > ""`), "+ of strings")
	long := strings.Repeat("t", 200)
	assert.Equal(t, uint64(3), cost(`params.n["`+long+`"] > 0`)-cost(`params.n["t"] > 0`), "hashing a key of 200 bytes")
}
