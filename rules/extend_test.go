package rules_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
)

func parseOne(t *testing.T, doc string) rules.Set {
	t.Helper()
	h, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: []byte(doc)})
	require.NoError(t, err)
	require.Len(t, h, 1)
	return h[0]
}

func ruleIDs(s rules.Set) []string {
	var ids []string
	for _, r := range s.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

const newRule = `{"id":"pilot_age","after":"capacity","expr":"citizen.age < 100","source":{"publisher":"a pilot order","lang":"en","quote":"under 100"},
	"messages":{"kk":"Жасы 100-ден кіші болуы керек.","ru":"Возраст должен быть меньше 100 лет.","en":"You must be under 100."}}`

func TestExtendBuiltin(t *testing.T) {
	base, _ := rules.Builtin()[1], 0
	s := parseOne(t, `{"id":"pilot-1700","extends":"kz-2023","effective_from":"2026-01-01","title":"pilot",
		"values":{"capacity":1700},
		"params":[{"name":"max_age","type":"int","value":100}],
		"rules":[`+newRule+`],
		"remove":["once_a_year"],
		"codes":{"reason":[{"code":"family_relocation","kk":"отбасымен бірге көшу","ru":"переезд вслед за семьёй","en":"moving with one's family"}]}}`)
	assert.Equal(t, "kz-2023", s.Extends)
	assert.Equal(t, rules.NewDate(2026, 1, 1), s.EffectiveFrom)
	p, ok := s.Param("capacity")
	require.True(t, ok)
	assert.Equal(t, 1700, p.Value.Int())
	_, ok = s.Param("max_age")
	assert.True(t, ok, "a new parameter")
	want := []string{"residency", "fund_provider", "signature", "already_attached", "specialty_age", "home_visits", "capacity", "pilot_age", "campaign"}
	assert.Equal(t, want, ruleIDs(s), "a new rule after capacity, once_a_year removed")
	assert.Len(t, s.Codes["reason"], len(base.Codes["reason"])+1)
	// The base is untouched.
	bp, _ := rules.Builtin()[1].Param("capacity")
	assert.Equal(t, 2000, bp.Value.Int())
	assert.Len(t, rules.Builtin()[1].Rules, 9)
	_, err := rules.Compile(rules.History{s})
	require.NoError(t, err)
}

func TestExtendReplacesAndMoves(t *testing.T) {
	s := parseOne(t, `{"id":"v","extends":"kz-2023",
		"rules":[{"id":"capacity","expr":"true","source":{"publisher":"d","lang":"en","quote":"q"},"messages":{"kk":"-","ru":"-","en":"-"}},
		         {"id":"signature","after":"campaign","expr":"signed","source":{"publisher":"d","lang":"en","quote":"q"},"messages":{"kk":"-","ru":"-","en":"-"}}]}`)
	ids := ruleIDs(s)
	assert.Equal(t, []string{"residency", "fund_provider", "already_attached", "specialty_age", "home_visits", "capacity", "campaign", "signature", "once_a_year"}, ids)
	r, _ := s.Rule("capacity")
	assert.Equal(t, "true", r.Expr, "replaced in its place")
	assert.Equal(t, rules.NewDate(2023, 1, 1), s.EffectiveFrom, "the base's date when none is given")
}

// An extending set's mistakes are named with the document and placed in it.
func TestExtendErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown base", `{"id":"x","extends":"kz-2099","rules":[]}`,
			"rules: pilot.json:1:21: x: extends: extends \"kz-2099\", which is neither a built-in set (kz-2018, kz-2023, kz-2025) nor a set of the history\n"},
		{"unknown value", "{\"id\":\"x\",\"extends\":\"kz-2023\",\n \"values\":{\"capacty\":1700}}",
			"rules: pilot.json:2:22: x: values.capacty: kz-2023 has no parameter capacty; its parameters are capacity, capacity_by_specialty, eligible_residency, temporary_if_insured, adult_age, campaign_start, campaign_end, campaign_end_inclusive, campaign_takes_effect, change_reasons, changes_per_year, change_period_calendar, once_a_year_exempt_reasons, reason_takes_effect_on_the_day\n"},
		{"value of another type", `{"id":"x","extends":"kz-2023","values":{"capacity":"many"}}`,
			"rules: pilot.json:1:52: x: values.capacity: value \"many\" is not of type int\n"},
		{"value out of bounds", `{"id":"x","extends":"kz-2023","values":{"capacity":0}}`,
			"rules: pilot.json:1:52: x: params.capacity: 0 is below the minimum 1\n"},
		{"parameter declared again", `{"id":"x","extends":"kz-2023","params":[{"name":"capacity","type":"int","value":1}]}`,
			"rules: pilot.json:1:81: x: params.capacity: kz-2023 already has parameter capacity: give its value under values\n"},
		{"remove unknown", `{"id":"x","extends":"kz-2023","remove":["capcity"]}`,
			"rules: pilot.json:1:41: x: remove[0]: names rule \"capcity\", which the set does not have; its rules are residency, fund_provider, signature, already_attached, specialty_age, home_visits, capacity, campaign, once_a_year\n"},
		{"after unknown", `{"id":"x","extends":"kz-2023","rules":[{"id":"r","after":"nope","expr":"true","source":{"publisher":"d","lang":"en","quote":"q"}}]}`,
			"rules: pilot.json:1:58: x: rules[0].after: names rule \"nope\", which the set does not have; its rules are residency, fund_provider, signature, already_attached, specialty_age, home_visits, capacity, campaign, once_a_year\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: []byte(tc.doc)})
			var es rules.Errors
			require.ErrorAs(t, err, &es)
			assert.Equal(t, tc.want, rules.WithoutSnippets(es.Details()))
		})
	}
}

func TestExtendWithinHistory(t *testing.T) {
	a := rules.Document{Name: "a.json", Data: []byte(`{"id":"a","extends":"kz-2023","effective_from":"2026-01-01","values":{"capacity":1800}}`)}
	b := rules.Document{Name: "b.json", Data: []byte(`{"id":"b","extends":"a","effective_from":"2027-01-01","values":{"adult_age":16}}`)}
	h, err := rules.ParseHistory(b, a) // b comes first: extends resolves in any order
	require.NoError(t, err)
	p, _ := h[0].Param("capacity")
	assert.Equal(t, 1800, p.Value.Int(), "b inherits a's value")
	assert.Equal(t, "a", h[0].Extends)

	c1 := rules.Document{Name: "c1.json", Data: []byte(`{"id":"c1","extends":"c2"}`)}
	c2 := rules.Document{Name: "c2.json", Data: []byte(`{"id":"c2","extends":"c1"}`)}
	_, err = rules.ParseHistory(c1, c2)
	var es rules.Errors
	require.ErrorAs(t, err, &es)
	assert.Contains(t, es.Details(), "rules: c2.json:1:22: c2: extends: sets extend each other in a cycle through c1")
}

// An extended set's JSON is the whole set: it reads back as an equal set.
func TestExtendMarshalsWhole(t *testing.T) {
	s := parseOne(t, `{"id":"pilot","extends":"kz-2023","values":{"capacity":1700}}`)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	back, err := rules.ParseSet(b)
	require.NoError(t, err)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	assert.NotContains(t, string(b), `"extends"`)
}

// TestTestdataSets: the rule sets of testdata read and compile: a set of one's own alone
// (as attachcheck -rules decides with it), the 2026 reform added to the built-in history
// (as attachcheck -compare does).
func TestTestdataSets(t *testing.T) {
	files, err := filepath.Glob("../testdata/rules/*.json")
	require.NoError(t, err)
	reforms, err := filepath.Glob("../testdata/reforms/*.json")
	require.NoError(t, err)
	files = append(files, reforms...)
	require.GreaterOrEqual(t, len(files), 3)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		h, err := rules.ParseHistory(rules.Document{Name: f, Data: data})
		require.NoError(t, err, f)
		require.NotEmpty(t, h[0].Extends, "%s extends a built-in set", f)
		hist := h
		if filepath.Base(filepath.Dir(f)) == "reforms" {
			hist = append(rules.Builtin(), h[0])
		}
		_, err = rules.Compile(hist)
		require.NoError(t, err, f)
	}
}

func TestRemoveFacts(t *testing.T) {
	s := parseOne(t, `{"id":"x","extends":"kz-2025","remove":["campaign"],"remove_facts":["campaign_start","campaign_end"],"facts":[{"name":"in_campaign","expr":"false"}]}`)
	_, ok := s.Rule("campaign")
	assert.False(t, ok)
	for _, f := range s.Facts {
		assert.NotContains(t, []string{"campaign_start", "campaign_end"}, f.Name)
	}
	_, err := rules.ParseHistory(rules.Document{Name: "x.json", Data: []byte(`{"id":"x","extends":"kz-2025","remove_facts":["nope"]}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `x.json:1:47: x: remove_facts[0]: names fact "nope", which the set does not have`)
}
