package rules

import (
	"errors"
	"strings"
	"testing"
)

// These tests pin what Compile promises a rule author: the zone, the order of sets, the
// set in force on a day, the size limits at their exact bounds, and where each problem is
// placed.

var testMessages = map[string]string{"kk": "k", "ru": "r", "en": "e"}

// testSet is a set in force from 2018-01-01 with the given facts and one rule per
// expression (ids r0, r1, ...).
func testSet(facts []Fact, ruleExprs ...string) Set {
	s := Set{ID: "t", EffectiveFrom: 20180101, Facts: facts, TakesEffect: "application.date"}
	for i, e := range ruleExprs {
		s.Rules = append(s.Rules, Rule{ID: "r" + string(rune('0'+i)), Expr: e,
			Source: Citation{Publisher: "test", Quote: "test"}, Messages: testMessages})
	}
	return s
}

// compileErrors compiles h and returns the details of its errors, "" when it compiles.
func compileErrors(t *testing.T, h History) string {
	t.Helper()
	_, err := Compile(h)
	if err == nil {
		return ""
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Compile = %T %v, want Errors", err, err)
	}
	return es.Details()
}

func TestCompileZoneDefault(t *testing.T) {
	a := testSet(nil, "true")
	b := testSet(nil, "true")
	b.ID, b.EffectiveFrom, b.Zone = "u", 20230101, defaultZone
	p, err := Compile(History{a, b})
	if err != nil {
		t.Fatalf("Compile(zone \"\" then %s) = %v, want the empty zone to mean %s", defaultZone, err, defaultZone)
	}
	if got := p.Location().String(); got != defaultZone {
		t.Errorf("Compile(zone \"\").Location() = %s, want %s", got, defaultZone)
	}
	b.Zone = "Asia/Tokyo"
	want := `rules: u: zone: "Asia/Tokyo" differs from "Asia/Almaty": the sets of a history share one zone` + "\n"
	if got := compileErrors(t, History{a, b}); got != want {
		t.Errorf("Compile(two zones) = %q, want %q", got, want)
	}
	a.Zone = "Mars/Olympus"
	want = `rules: t: zone: unknown time zone "Mars/Olympus"` + "\n"
	if got := compileErrors(t, History{a}); got != want {
		t.Errorf("Compile(unknown zone) = %q, want %q", got, want)
	}
}

func TestProgramAtAndSetsOrder(t *testing.T) {
	old := testSet(nil, "true")
	mid := testSet(nil, "true")
	mid.ID, mid.EffectiveFrom = "mid", 20230101
	last := testSet(nil, "true")
	last.ID, last.EffectiveFrom = "last", 20240229
	p, err := Compile(History{last, old, mid}) // out of order on purpose
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range p.Sets() {
		ids = append(ids, c.ID())
	}
	if got := strings.Join(ids, " "); got != "t mid last" {
		t.Errorf("Sets() = %s, want oldest first: t mid last", got)
	}
	tests := []struct {
		name, reason string
		day          Date
		want         string // "" when no set is in force
	}{
		{name: "before", reason: "before the first set nothing decides", day: 20171231, want: ""},
		{name: "first_day", reason: "a set decides from its first day", day: 20180101, want: "t"},
		{name: "inside_oldest", reason: "the oldest set decides until the next begins", day: 20221231, want: "t"},
		{name: "second_first_day", reason: "the next set takes over on its first day", day: 20230101, want: "mid"},
		{name: "leap_day", reason: "the newest set from 29 February 2024", day: 20240229, want: "last"},
		{name: "far_future", reason: "the newest set stays in force", day: 99991231, want: "last"},
	}
	for _, tc := range tests {
		c, ok := p.At(tc.day)
		got := ""
		if ok {
			got = c.ID()
		}
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("At(%v) = %q, %v, want %q (%s)", tc.day, got, ok, tc.want, tc.reason)
		}
		if s, ok := (History{last, old, mid}).At(tc.day); (ok && s.ID != tc.want) || ok != (tc.want != "") {
			t.Errorf("History.At(%v) = %v, %v, want %q (%s)", tc.day, s, ok, tc.want, tc.reason)
		}
	}
}

func TestExpressionLengthBound(t *testing.T) {
	exact := "true" + strings.Repeat(" ", maxExprLen-4)
	if got := compileErrors(t, History{testSet(nil, exact)}); got != "" {
		t.Errorf("Compile(rule of exactly %d bytes) = %q, want it to compile", maxExprLen, got)
	}
	over := exact + " "
	want := "rules: t: rule r0: expr:1:1: expression is 4097 bytes; at most 4096 are allowed\n | true" + strings.Repeat(" ", 76) + "...\n | ^\n"
	if got := compileErrors(t, History{testSet(nil, over)}); got != want {
		t.Errorf("Compile(rule of %d bytes) = %q, want %q", len(over), got, want)
	}
}

func TestStringConcatBound(t *testing.T) {
	s := testSet([]Fact{{Name: "joined", Expr: "application.id + citizen.address_code"}}, "len(joined) > 0")
	l := DefaultLimits()
	l.MaxInputStringLen = maxStringLen // the application's strings may be as long as what + builds
	p, err := Compile(History{s}, WithLimits(l))
	if err != nil {
		t.Fatal(err)
	}
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
				want := "string + gives " + itoa(tc.a+tc.b) + " bytes; at most 4096 are allowed"
				if !errors.As(err, &re) || re.Fact != "joined" || re.Message != want {
					t.Errorf("Eval(%d + %d bytes, vm only %v) = %v, want a RuntimeError of fact joined: %s (%s)", tc.a, tc.b, vmOnly, err, want, tc.reason)
				}
				continue
			}
			if err != nil || len(factsOf(&r)[0].Str()) != tc.a+tc.b {
				t.Errorf("Eval(%d + %d bytes, vm only %v) = %v, %d bytes, want %d (%s)", tc.a, tc.b, vmOnly, err, len(factsOf(&r)[0].Str()), tc.a+tc.b, tc.reason)
			}
		}
	}
}

func itoa(n int) string { return IntValue(n).String() }

func TestCompilePlacesProblems(t *testing.T) {
	long80 := "broken == 1 " + strings.Repeat("&& true ", 8) + strings.Repeat(" ", 80-12-64)
	tests := []struct {
		name, reason string
		set          Set
		want         string
	}{
		{
			name:   "cycle_path",
			reason: "the cycle is shown from the fact it returns to, not from where the walk began",
			set: testSet([]Fact{
				{Name: "x", Expr: "a + 1"}, {Name: "a", Expr: "b + 1"}, {Name: "b", Expr: "a + 1"},
			}, "true"),
			want: "rules: t: fact a: expr: facts read each other in a cycle: a -> b -> a\n",
		},
		{
			name:   "rule_reads_broken_fact",
			reason: "a rule reading a fact that does not compile says so, not that the name is unknown",
			set:    testSet([]Fact{{Name: "broken", Expr: "1 +"}}, "broken == 1"),
			want: "rules: t: fact broken: expr:1:3: unexpected token EOF\n | 1 +\n | ..^\n" +
				"rules: t: rule r0: expr:1:1: reads fact broken, which does not compile\n | broken == 1\n | ^\n",
		},
		{
			name:   "takes_effect_reads_broken_fact",
			reason: "so does takes_effect",
			set: func() Set {
				s := testSet([]Fact{{Name: "broken", Expr: "1 +"}}, "true")
				s.TakesEffect = "broken"
				return s
			}(),
			want: "rules: t: fact broken: expr:1:3: unexpected token EOF\n | 1 +\n | ..^\n" +
				"rules: t: takes_effect:1:1: reads fact broken, which does not compile\n | broken\n | ^\n",
		},
		{
			name:   "snippet_of_80",
			reason: "a first line of 80 characters is shown whole",
			set:    testSet([]Fact{{Name: "broken", Expr: "1 +"}}, long80),
			want: "rules: t: fact broken: expr:1:3: unexpected token EOF\n | 1 +\n | ..^\n" +
				"rules: t: rule r0: expr:1:1: reads fact broken, which does not compile\n | " + long80 + "\n | ^\n",
		},
		{
			name:   "snippet_of_81",
			reason: "a longer first line is cut at 80 characters",
			set:    testSet([]Fact{{Name: "broken", Expr: "1 +"}}, long80+" \n&& true"),
			want: "rules: t: fact broken: expr:1:3: unexpected token EOF\n | 1 +\n | ..^\n" +
				"rules: t: rule r0: expr:1:1: reads fact broken, which does not compile\n | " + long80 + "...\n | ^\n",
		},
		{
			name:   "fact_of_any",
			reason: "a fact whose type expr cannot know is refused",
			set:    testSet([]Fact{{Name: "mixed", Expr: `[1, "a"][0]`}}, "true"),
			want:   "rules: t: fact mixed: expr:1:1: has type unknown (any); a fact must be bool, int, float, string or []string\n",
		},
		{
			name:   "takes_effect_text",
			reason: "takes_effect is a date, an int",
			set: func() Set {
				s := testSet(nil, "true")
				s.TakesEffect = "application.id"
				return s
			}(),
			want: "rules: t: takes_effect:1:1: has type string; want a date, an int YYYYMMDD\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := compileErrors(t, History{tc.set}); got != tc.want {
				t.Errorf("Compile(%s) = %q\nwant %q (%s)", tc.name, got, tc.want, tc.reason)
			}
		})
	}
	if len(long80) != 80 {
		t.Fatalf("long80 is %d bytes, want 80", len(long80))
	}
}
