package rules

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of compile.go pin what Compile promises a rule author: the zone, the order of
// sets, the set in force on a day, and where each problem is placed, for the sets of the
// bad-input catalogue too.

func TestCompileZoneDefault(t *testing.T) {
	a := testSet(nil, "true")
	b := testSet(nil, "true")
	b.ID, b.EffectiveFrom, b.Zone = "u", 20230101, defaultZone
	p, err := Compile(History{a, b})
	require.NoError(t, err, "the empty zone means %s", defaultZone)
	assert.Equal(t, defaultZone, p.Location().String())
	b.Zone = "Asia/Tokyo"
	assert.Equal(t, `rules: u: zone: "Asia/Tokyo" differs from "Asia/Almaty": the sets of a history share one zone`+"\n",
		compileErrors(t, History{a, b}), "Compile(two zones)")
	a.Zone = "Mars/Olympus"
	assert.Equal(t, `rules: t: zone: unknown time zone "Mars/Olympus"`+"\n", compileErrors(t, History{a}), "Compile(unknown zone)")
}

func TestProgramAtAndSetsOrder(t *testing.T) {
	old := testSet(nil, "true")
	mid := testSet(nil, "true")
	mid.ID, mid.EffectiveFrom = "mid", 20230101
	last := testSet(nil, "true")
	last.ID, last.EffectiveFrom = "last", 20240229
	p, err := Compile(History{last, old, mid}) // out of order on purpose
	require.NoError(t, err)
	var ids []string
	for _, c := range p.Sets() {
		ids = append(ids, c.ID())
	}
	assert.Equal(t, []string{"t", "mid", "last"}, ids, "Sets(), oldest first")
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
		assert.Equal(t, tc.want != "", ok, "At(%v): %s", tc.day, tc.reason)
		assert.Equal(t, tc.want, got, "At(%v): %s", tc.day, tc.reason)
		s, ok := (History{last, old, mid}).At(tc.day)
		got = ""
		if ok {
			got = s.ID
		}
		assert.Equal(t, tc.want != "", ok, "History.At(%v): %s", tc.day, tc.reason)
		assert.Equal(t, tc.want, got, "History.At(%v): %s", tc.day, tc.reason)
	}
}

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
			name:   "unknown_member_of_a_variable",
			reason: "a member of a variable is not named as one of an application's part: expr's message stays",
			set:    testSet(nil, "let x = citizen; x.nope == 1"),
			want:   "rules: t: rule r0: expr:1:20: unknown field nope\n | let x = citizen; x.nope == 1\n | ...................^\n",
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
	require.Len(t, long80, 80)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, compileErrors(t, History{tc.set}), tc.reason)
		})
	}
}

// TestCatalogueRuleSets reads the broken rule sets of the bad-input catalogue
// (../testdata/bad/rules.jsonl, the files under ../testdata/bad/rules/) that must fail to
// parse or compile, and checks that ParseSet and Compile give exactly the errors written
// there. The attach package runs the same catalogue through its Engine, with the sets that
// fail while deciding; this test holds the rules package itself to the texts.
func TestCatalogueRuleSets(t *testing.T) {
	const dir = "../testdata/bad"
	data, err := os.ReadFile(filepath.Join(dir, "rules.jsonl"))
	require.NoError(t, err)
	type badCase struct {
		Name, Reason, File, Phase, Error string
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c badCase
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c), "rules.jsonl")
		if c.Phase != "compile" {
			continue // decided by attach's catalogue test, with an application
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(dir, c.File))
			require.NoError(t, err)
			set, err := ParseSet(doc)
			if err == nil {
				_, err = Compile(History{set})
			}
			var es Errors
			require.ErrorAs(t, err, &es, "ParseSet and Compile(%s): %s", c.File, c.Reason)
			require.NotEmpty(t, es)
			assert.Equal(t, c.Error, es.Details(), "ParseSet and Compile(%s): %s", c.File, c.Reason)
		})
	}
	assert.GreaterOrEqual(t, n, 15, "the rule sets of the catalogue that must not compile")
}

// TestDigest: a compiled set names the SHA-256 of its canonical JSON form, the form
// MarshalJSON writes, so that one set compiled twice has one digest and a set changed in
// a parameter, under the same id, another.
func TestDigest(t *testing.T) {
	s := testSet([]Fact{{Name: "cap", Expr: "params.capacity"}}, "doctor.attached < cap")
	s.Params = []Param{{Name: "capacity", Value: intValue(2000)}}
	digest := func(s Set) string {
		t.Helper()
		c, ok := MustCompile(History{s}).At(s.EffectiveFrom)
		require.True(t, ok)
		return c.Digest()
	}
	b, err := s.MarshalJSON()
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), digest(s), "the digest of MarshalJSON's form")
	assert.Equal(t, digest(s), digest(s.clone()), "a copy of the set, compiled apart")
	other, err := s.WithParam("capacity", intValue(1999))
	require.NoError(t, err)
	assert.NotEqual(t, digest(s), digest(other), "the same id with another capacity")
}
