package campaign_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

func TestCompareEngines(t *testing.T) {
	base := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 21, Doctors: 150, Applications: 3000})
	tests := []struct {
		name   string
		reason string
		params map[string]rules.Value
		static bool
		// what must hold of the impact
		check func(im *campaign.Impact) string
	}{
		{
			name: "same rules", reason: "the same history changes nothing",
			check: func(im *campaign.Impact) string {
				if len(im.Changes) != 0 || len(im.ByRule) != 0 {
					return fmt.Sprintf("%d changes, want none", len(im.Changes))
				}
				return ""
			},
		},
		{
			name: "capacity 1700", reason: "a lower norm only adds capacity failures, with live capacity",
			params: map[string]rules.Value{"kz-2023.capacity": rules.ValueOf(1700)},
			check: func(im *campaign.Impact) string {
				if im.NowRejected == 0 || im.NowApproved != 0 || len(im.ByRule) != 1 || im.ByRule[0].Rule != "capacity" || im.ByRule[0].NewlyFailing != im.NowRejected+countOther(im) {
					return fmt.Sprintf("impact %+v %+v, want only newly failing capacity", im.ByRule, im)
				}
				return ""
			},
		},
		{
			name: "campaign end 1 Oct", reason: "a shorter campaign rejects late changes without a reason, decided one by one",
			params: map[string]rules.Value{"kz-2025.campaign_end": rules.ValueOf(rules.MonthDay(1001))},
			static: true,
			check: func(im *campaign.Impact) string {
				for _, r := range im.ByRule {
					if r.Rule == "campaign" && r.NewlyFailing > 0 && r.NoLongerFailing == 0 {
						return ""
					}
				}
				return fmt.Sprintf("by rule %+v, want campaign newly failing", im.ByRule)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alt := builtinEngine(t, tt.params)
			c := inputOf(g)
			c.Static = tt.static
			im, err := compareEngines(base, alt, c.batch())
			noError(t, err)
			if msg := tt.check(im); msg != "" {
				t.Errorf("CompareEngines(%s): %s (%s)", tt.name, msg, tt.reason)
			}
			if im.Applications != 3000 || im.Before.Approved-im.After.Approved != im.NowRejected-im.NowApproved {
				t.Errorf("CompareEngines(%s) = %+v: counts do not add up", tt.name, im)
			}
			b, err := runInput(base, c)
			require.NoError(t, err)
			a, err := runInput(alt, c)
			require.NoError(t, err)
			assert.Equal(t, peopleImpact(c.Applications, b, a), [3]int{im.PeopleAffected, im.PeopleNowApproved, im.PeopleNowRejected},
				"CompareEngines(%s): people affected, now approved, now rejected, counted by IIN", tt.name)
			assert.Equal(t, im.Before.PeopleApproved-im.After.PeopleApproved, im.PeopleNowRejected-im.PeopleNowApproved, "CompareEngines(%s): people approved add up", tt.name)
		})
	}
}

// peopleImpact counts, by the applicants' IINs, the people with a decision that differs
// between two runs, those approved after only, and those approved before only.
func peopleImpact(apps []attach.Application, before, after *campaign.Result) [3]int {
	type marks struct{ differs, before, after bool }
	people := map[string]*marks{}
	for i := range apps {
		m := people[apps[i].Citizen.IIN]
		if m == nil {
			m = &marks{}
			people[apps[i].Citizen.IIN] = m
		}
		b, a := before.Decision(i), after.Decision(i)
		approved := func(d campaign.Decision) bool { return d.Err == nil && d.Outcome == attach.Approved }
		m.before = m.before || approved(b)
		m.after = m.after || approved(a)
		m.differs = m.differs || approved(b) != approved(a) || (b.Err == nil) != (a.Err == nil) || b.EffectiveFrom != a.EffectiveFrom ||
			!slices.Equal(b.Failed, a.Failed) || b.SupersededBy != a.SupersededBy
	}
	var n [3]int
	for _, m := range people {
		if m.differs {
			n[0]++
		}
		switch {
		case m.after && !m.before:
			n[1]++
		case m.before && !m.after:
			n[2]++
		}
	}
	return n
}

// countOther counts the changes that fail capacity after yet did not change outcome (an
// application also rejected for another rule before).
func countOther(im *campaign.Impact) int {
	n := 0
	for _, c := range im.Changes {
		if c.Before.Outcome == attach.Rejected && c.After.Outcome == attach.Rejected {
			n++
		}
	}
	return n
}

func TestCompareErrors(t *testing.T) {
	a := campaign.ResultOf(campaign.Summary{}, campaign.Decision{Application: "A1"})
	b := campaign.ResultOf(campaign.Summary{}, campaign.Decision{Application: "A2"})
	tests := []struct {
		name, reason string
		before       *campaign.Result
		after        *campaign.Result
		want         string
	}{
		{"length", "two batches of different sizes", a, campaign.ResultOf(campaign.Summary{}), "campaign: compare: 1 decisions before and 0 after; want the same batch"},
		{"ids", "two batches of other applications", a, b, `campaign: compare: decision 0 is of "A1" before and of "A2" after; want the same batch`},
		{"nil", "nothing to compare", nil, a, "campaign: compare: nil result"},
		{"nil after", "nothing to compare with", a, nil, "campaign: compare: nil result"},
	}
	for _, tt := range tests {
		_, err := campaign.Compare(tt.before, tt.after)
		if err == nil || err.Error() != tt.want || !errors.Is(err, campaign.ErrNotComparable) || errors.Is(err, campaign.ErrInvalidBatch) {
			t.Errorf("Compare(%s) error = %v, want %q matching ErrNotComparable only (%s)", tt.name, err, tt.want, tt.reason)
		}
	}
}

// TestCompareCounts pins how Compare classifies each kind of differing decision and
// counts it per rule and per person, on batches written out by hand.
func TestCompareCounts(t *testing.T) {
	approved := func(id string, from rules.Date) campaign.Decision {
		return campaign.Decision{Application: id, Outcome: attach.Approved, EffectiveFrom: from, RuleSet: "kz-2023"}
	}
	rejected := func(id string, failed ...string) campaign.Decision {
		return campaign.Decision{Application: id, Outcome: attach.Rejected, Failed: failed, RuleSet: "kz-2023"}
	}
	superseded := func(id, by string) campaign.Decision {
		d := approved(id, 20270101)
		d.SupersededBy = by
		return d
	}
	invalid := func(id string) campaign.Decision {
		return campaign.Decision{Application: id, Err: errors.New("bad")}
	}
	tests := []struct {
		name, reason  string
		before, after campaign.Decision
		want          campaign.Impact // Applications, NowApproved, NowRejected, EffectiveChanged, Invalid, ByRule
		newly, no     []string        // the change's NewlyFailing and NoLongerFailing; unused when no change
		changed       bool
	}{
		{name: "same approval", reason: "equal decisions are no change",
			before: approved("A", 20270101), after: approved("A", 20270101),
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "same rejection", reason: "equal failed rules are no change",
			before: rejected("A", "capacity", "home_visits"), after: rejected("A", "capacity", "home_visits"),
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "other rule set", reason: "the set's id and the count read are not compared",
			before: approved("A", 20270101), after: campaign.Decision{Application: "A", Outcome: attach.Approved, EffectiveFrom: 20270101, RuleSet: "kz-2023b", Attached: 7},
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "both invalid", reason: "two undecided applications do not differ",
			before: invalid("A"), after: invalid("A"),
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "now approved", reason: "a rejection that becomes an approval no longer fails its rules",
			before: rejected("A", "capacity", "home_visits"), after: approved("A", 20261005), changed: true, no: []string{"capacity", "home_visits"},
			want: campaign.Impact{Applications: 1, NowApproved: 1, PeopleNowApproved: 1, ByRule: []campaign.RuleImpact{{Rule: "capacity", NoLongerFailing: 1}, {Rule: "home_visits", NoLongerFailing: 1}}}},
		{name: "now rejected", reason: "an approval that becomes a rejection newly fails its rules",
			before: approved("A", 20270101), after: rejected("A", "home_visits", "capacity"), changed: true, newly: []string{"home_visits", "capacity"},
			want: campaign.Impact{Applications: 1, NowRejected: 1, PeopleNowRejected: 1, ByRule: []campaign.RuleImpact{{Rule: "capacity", NewlyFailing: 1}, {Rule: "home_visits", NewlyFailing: 1}}}},
		{name: "effective date", reason: "an approval taking effect on another day is a change of no rule",
			before: approved("A", 20270101), after: approved("A", 20261005), changed: true,
			want: campaign.Impact{Applications: 1, EffectiveChanged: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "other rules", reason: "a rejection for other rules changes the rules, not the outcome",
			before: rejected("A", "campaign", "capacity"), after: rejected("A", "capacity", "once_a_year"), changed: true,
			newly: []string{"once_a_year"}, no: []string{"campaign"},
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{{Rule: "campaign", NoLongerFailing: 1}, {Rule: "once_a_year", NewlyFailing: 1}}}},
		{name: "now invalid", reason: "an application decided in one run only is invalid, whatever it failed before",
			before: rejected("A", "signature"), after: invalid("A"), changed: true, no: []string{"signature"},
			want: campaign.Impact{Applications: 1, Invalid: 1, ByRule: []campaign.RuleImpact{{Rule: "signature", NoLongerFailing: 1}}}},
		{name: "now valid", reason: "an approval of an application invalid before is counted as invalid, not approved; its person had no approval before and has one after",
			before: invalid("A"), after: approved("A", 20261005), changed: true,
			want: campaign.Impact{Applications: 1, Invalid: 1, PeopleNowApproved: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "no longer superseded", reason: "an approval that stands after and was superseded before: the person holds another place",
			before: superseded("A", "B"), after: approved("A", 20270101), changed: true,
			want: campaign.Impact{Applications: 1, SupersededChanged: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "superseded by another", reason: "an approval superseded by another application of the person",
			before: superseded("A", "B"), after: superseded("A", "C"), changed: true,
			want: campaign.Impact{Applications: 1, SupersededChanged: 1, ByRule: []campaign.RuleImpact{}}},
		{name: "same supersession", reason: "superseded by the same application in both runs: no change",
			before: superseded("A", "B"), after: superseded("A", "B"),
			want: campaign.Impact{Applications: 1, ByRule: []campaign.RuleImpact{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := campaign.ResultOf(campaign.Summary{Applications: 1, Approved: 1}, tt.before)
			after := campaign.ResultOf(campaign.Summary{Applications: 1, Rejected: 1}, tt.after)
			im, err := campaign.Compare(before, after)
			if err != nil {
				t.Fatalf("Compare(%s): %v", tt.name, err)
			}
			want := tt.want
			want.Before, want.After = before.Summary, after.Summary
			if tt.changed {
				want.PeopleAffected = 1 // results built by hand: each application is a person
				want.Changes = []campaign.Change{{Index: 0, Before: tt.before, After: tt.after, NewlyFailing: tt.newly, NoLongerFailing: tt.no}}
			}
			if !reflect.DeepEqual(&want, im) {
				t.Errorf("Compare(%s) = %+v, want %+v (%s)", tt.name, im, &want, tt.reason)
			}
		})
	}
}

// TestCompareManyRules pins that the per-rule counts add up over a batch and are listed
// by rule id.
func TestCompareManyRules(t *testing.T) {
	dec := func(id string, o attach.Outcome, failed ...string) campaign.Decision {
		return campaign.Decision{Application: id, Outcome: o, Failed: failed}
	}
	before := campaign.ResultOf(campaign.Summary{},
		dec("A", attach.Rejected, "signature"), dec("B", attach.Rejected, "capacity"), dec("C", attach.Approved), dec("D", attach.Rejected, "capacity"),
	)
	after := campaign.ResultOf(campaign.Summary{},
		dec("A", attach.Rejected, "capacity", "signature"), dec("B", attach.Approved), dec("C", attach.Rejected, "capacity"), dec("D", attach.Rejected, "capacity"),
	)
	im, err := campaign.Compare(before, after)
	noError(t, err)
	equal(t, []campaign.RuleImpact{{Rule: "capacity", NewlyFailing: 2, NoLongerFailing: 1}}, im.ByRule, "Compare(batch of 4).ByRule")
	var idx []int
	for _, ch := range im.Changes {
		idx = append(idx, ch.Index)
	}
	equal(t, []int{0, 1, 2}, idx, "Compare(batch of 4) changed indexes")
	if im.Applications != 4 || im.NowApproved != 1 || im.NowRejected != 1 {
		t.Errorf("Compare(batch of 4) = %d applications, %d now approved, %d now rejected; want 4, 1, 1", im.Applications, im.NowApproved, im.NowRejected)
	}
}
