package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testLimits are the limits Compile uses without options.
var testLimits = defaultLimits()

// The tests of set.go pin the structural checks of a set and a history: every limit at
// its exact bound, every name rule, and the text of each problem.

func TestSetCheckLimits(t *testing.T) {
	name64 := "a" + strings.Repeat("b", 63)
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	withRules := func(n int) Set {
		s := testSet(nil)
		for _, id := range many(n, func(i int) string { return fmt.Sprintf("r%d", i) }) {
			s.Rules = append(s.Rules, Rule{ID: id, Expr: "true", Source: Citation{Publisher: "d", Quote: "q"}, Messages: testMessages})
		}
		return s
	}
	withFacts := func(n int) Set {
		s := testSet(nil, "true")
		for _, name := range many(n, func(i int) string { return fmt.Sprintf("f%d", i) }) {
			s.Facts = append(s.Facts, Fact{Name: name, Expr: "1"})
		}
		return s
	}
	withParams := func(n int) Set {
		s := testSet(nil, "true")
		for _, name := range many(n, func(i int) string { return fmt.Sprintf("p%d", i) }) {
			s.Params = append(s.Params, Param{Name: name, Value: intValue(1)})
		}
		return s
	}
	tests := []struct {
		name, reason string
		set          Set
		want         string // the details of check's errors
	}{
		{name: "id_64", reason: "an id of 64 bytes is allowed", set: func() Set { s := testSet(nil, "true"); s.ID = name64; return s }()},
		{name: "id_65", reason: "an id of 65 bytes is not", set: func() Set { s := testSet(nil, "true"); s.ID = name64 + "c"; return s }(),
			want: "rules: " + name64 + "c: id: must be at most 64 bytes\n"},
		{name: "no_id", reason: "a set needs an id", set: func() Set { s := testSet(nil, "true"); s.ID = ""; return s }(),
			want: "rules: id: must not be empty\n"},
		{name: "no_day", reason: "a set given in Go without a first day", set: func() Set { s := testSet(nil, "true"); s.EffectiveFrom = 0; return s }(),
			want: "rules: t: effective_from: must be a day of the calendar, got 0\n"},
		{name: "no_rules", reason: "a set without rules approves everyone", set: testSet(nil),
			want: "rules: t: rules: a set needs at least one rule\n"},
		{name: "rules_64", reason: "MaxRules rules are allowed", set: withRules(maxRules)},
		{name: "rules_65", reason: "one more is not", set: withRules(maxRules + 1),
			want: "rules: t: rules: 65 rules; at most 64 are allowed\n"},
		{name: "facts_64", reason: "MaxFacts facts are allowed", set: withFacts(maxFacts)},
		{name: "facts_65", reason: "one more is not", set: withFacts(maxFacts + 1),
			want: "rules: t: facts: 65 facts; at most 64 are allowed\n"},
		{name: "params_64", reason: "MaxParams parameters are allowed", set: withParams(maxParams)},
		{name: "params_65", reason: "one more is not", set: withParams(maxParams + 1),
			want: "rules: t: params: 65 parameters; at most 64 are allowed\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.set.check(&testLimits).Details(), tc.reason)
		})
	}
}

func TestSetCheckNames(t *testing.T) {
	src := Citation{Publisher: "d", Quote: "q"}
	rule := func(id string, facts ...string) Rule {
		return Rule{ID: id, Expr: "true", Facts: facts, Source: src, Messages: testMessages}
	}
	tests := []struct {
		name, reason string
		params       []Param
		facts        []Fact
		rules        []Rule
		want         string
	}{
		{name: "param_and_fact_share_a_name", reason: "params.x and the fact x do not clash",
			params: []Param{{Name: "capacity", Value: intValue(1)}}, facts: []Fact{{Name: "capacity", Expr: "params.capacity"}}, rules: []Rule{rule("r", "capacity")}},
		{name: "param_twice", reason: "one name, one value",
			params: []Param{{Name: "x", Value: intValue(1)}, {Name: "x", Value: intValue(2)}}, rules: []Rule{rule("r")},
			want: "rules: t: params.x: parameter defined twice\n"},
		{name: "fact_twice", reason: "one name, one expression",
			facts: []Fact{{Name: "x", Expr: "1"}, {Name: "x", Expr: "2"}}, rules: []Rule{rule("r")},
			want: "rules: t: fact x: name: fact defined twice\n"},
		{name: "rule_twice", reason: "services map rule ids to screens",
			rules: []Rule{rule("r"), rule("r")},
			want:  "rules: t: rule r: rules[1].id: rule id used twice\n"},
		{name: "rule_shows_a_param", reason: "a rule's facts name facts, not parameters",
			params: []Param{{Name: "x", Value: intValue(1)}}, rules: []Rule{rule("r", "x")},
			want: "rules: t: rule r: rules[0].facts: names \"x\", which is not a fact of the set\n"},
		{name: "no_doc", reason: "a citation needs its document",
			rules: []Rule{{ID: "r", Expr: "true", Source: Citation{Quote: "q"}, Messages: testMessages}},
			want:  "rules: t: rule r: rules[0].source: every rule cites its source: a publisher and the quoted words, or, for our reading of the sources, the reading\n"},
		{name: "no_quote", reason: "a citation needs its sentence",
			rules: []Rule{{ID: "r", Expr: "true", Source: Citation{Publisher: "d"}, Messages: testMessages}},
			want:  "rules: t: rule r: rules[0].source: every rule cites its source: a publisher and the quoted words, or, for our reading of the sources, the reading\n"},
		{name: "bad_names", reason: "each kind of bad name, at its place",
			params: []Param{{Name: "Capacity", Value: intValue(1)}},
			facts:  []Fact{{Name: "citizen", Expr: "1"}, {Name: "", Expr: "1"}},
			rules:  []Rule{rule("1st"), rule("a" + strings.Repeat("b", 64))},
			want: "rules: t: params.Capacity: name \"Capacity\" must be lower-case letters, digits and _, starting with a letter\n" +
				"rules: t: fact citizen: name: name \"citizen\" is reserved for the application\n" +
				"rules: t: name: name must not be empty\n" +
				"rules: t: rule 1st: rules[0].id: name \"1st\" must be lower-case letters, digits and _, starting with a letter\n" +
				"rules: t: rule a" + strings.Repeat("b", 64) + ": rules[1].id: name \"a" + strings.Repeat("b", 64) + "\" is longer than 64 bytes\n"},
		{name: "name_64", reason: "a name of 64 bytes is allowed",
			facts: []Fact{{Name: "a" + strings.Repeat("b", 63), Expr: "1"}}, rules: []Rule{rule("r")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Set{ID: "t", EffectiveFrom: 20180101, Params: tc.params, Facts: tc.facts, Rules: tc.rules, TakesEffect: "application.date"}
			assert.Equal(t, tc.want, s.check(&testLimits).Details(), tc.reason)
		})
	}
}

func TestParamProblems(t *testing.T) {
	one, ten := 1, 10
	tests := []struct {
		name, reason string
		p            Param
		want         string
	}{
		{name: "no_value", reason: "the zero Value", p: Param{}, want: "has no value"},
		{name: "float", reason: "no float parameters", p: Param{Value: floatValue(1.5)}, want: "parameters are bool, int, string, strings, date, month_day or int_map, not float"},
		{name: "date", reason: "a day that exists", p: Param{Value: dateValue(20240229)}},
		{name: "date_not_a_day", reason: "2025 has no 29 February", p: Param{Value: dateValue(20250229)}, want: "20250229 is not a day of the calendar"},
		{name: "month_day", reason: "29 February recurs", p: Param{Value: monthDayValue(229)}},
		{name: "month_day_bad", reason: "31 April never comes", p: Param{Value: monthDayValue(431)}, want: "431 is not a day of the year MMDD"},
		{name: "at_min", reason: "the minimum itself is allowed", p: Param{Value: intValue(1), Min: &one, Max: &ten}},
		{name: "at_max", reason: "the maximum itself is allowed", p: Param{Value: intValue(10), Min: &one, Max: &ten}},
		{name: "below", reason: "below the minimum", p: Param{Value: intValue(0), Min: &one, Max: &ten}, want: "0 is below the minimum 1"},
		{name: "above", reason: "above the maximum", p: Param{Value: intValue(11), Min: &one, Max: &ten}, want: "11 is above the maximum 10"},
		{name: "only_max", reason: "a bound may stand alone", p: Param{Value: intValue(-5), Max: &ten}},
		{name: "only_min", reason: "a bound may stand alone", p: Param{Value: intValue(500), Min: &one}},
		{name: "int_map_first_key", reason: "the first bad number by key is reported", p: Param{Value: intMapValue(map[string]int{"b": 0, "a": 11, "c": 5}), Min: &one, Max: &ten},
			want: `11 for "a" is above the maximum 10`},
		{name: "int_map_in_bounds", reason: "every number within", p: Param{Value: intMapValue(map[string]int{"a": 1, "b": 10}), Min: &one, Max: &ten}},
		{name: "bounds_on_string", reason: "min and max bound numbers", p: Param{Value: stringValue("x"), Min: &one}, want: "min and max bound only int and int_map parameters"},
		{name: "bounds_on_date", reason: "min and max bound numbers", p: Param{Value: dateValue(20240229), Max: &ten}, want: "min and max bound only int and int_map parameters"},
		{name: "string", reason: "a plain string is fine", p: Param{Value: stringValue("x")}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.p.problem(), "problem(%s): %s", tc.name, tc.reason)
	}
}

func TestHistoryCheck(t *testing.T) {
	set := func(id string, from Date) Set {
		s := testSet(nil, "true")
		s.ID, s.EffectiveFrom = id, from
		return s
	}
	sets := func(n int) History {
		var h History
		for i := range n {
			h = append(h, set(fmt.Sprintf("s%d", i), NewDate(2000+i, 1, 1)))
		}
		return h
	}
	tests := []struct {
		name, reason string
		h            History
		want         string
	}{
		{name: "empty", reason: "nothing could decide", h: nil, want: "rules: a history needs at least one rule set\n"},
		{name: "max_sets", reason: "MaxSets sets are allowed", h: sets(maxSets)},
		{name: "too_many", reason: "one more is not", h: sets(maxSets + 1), want: "rules: 33 sets; at most 32 are allowed\n"},
		{name: "same_id", reason: "decisions name the set by id", h: History{set("a", 20180101), set("a", 20230101)},
			want: "rules: a: id: set id used twice in the history\n"},
		{name: "same_day", reason: "two sets cannot both begin on one day; the later in order is named",
			h:    History{set("b", 20230101), set("a", 20230101)},
			want: "rules: a: effective_from: 2023-01-01 is also the first day of set b\n"},
		{name: "no_ids_no_days", reason: "missing ids and days are each set's own problem, not the history's",
			h: History{set("", 0), set("", 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.h.check(&testLimits).Details(), tc.reason)
		})
	}
}

func TestSetLookups(t *testing.T) {
	s := testSet([]Fact{{Name: "f", Expr: "1"}}, "true", "false")
	s.Params = []Param{{Name: "a", Value: intValue(1)}, {Name: "b", Value: intValue(2)}}
	param := func(s Set, name string) Value {
		t.Helper()
		p, ok := s.Param(name)
		require.True(t, ok, "Param(%s)", name)
		return p.Value
	}
	assert.Equal(t, 2, param(s, "b").Int())
	_, ok := s.Param("c")
	assert.False(t, ok, "Param(c) found a parameter the set lacks")
	r, ok := s.Rule("r1")
	assert.True(t, ok)
	assert.Equal(t, "false", r.Expr, "Rule(r1) gives the second rule")
	_, ok = s.Rule("r9")
	assert.False(t, ok, "Rule(r9) found a rule the set lacks")
	changed, err := s.WithParam("b", intValue(3))
	require.NoError(t, err)
	assert.Equal(t, 3, param(changed, "b").Int(), "WithParam(b, 3)")
	assert.Equal(t, 1, param(changed, "a").Int(), "WithParam(b, 3) keeps a")
	assert.Equal(t, 2, param(s, "b").Int(), "WithParam(b, 3) keeps the original set's b")
}
