package attach_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestCompareCounts pins how Compare classifies each kind of differing decision and
// counts it per rule and per person, on batches written out by hand.
func TestCompareCounts(t *testing.T) {
	approved := func(id string, from rules.Date) attach.CampaignDecision {
		return attach.CampaignDecision{Application: id, Outcome: attach.Approved, EffectiveFrom: from, RuleSet: "kz-2023"}
	}
	rejected := func(id string, failed ...string) attach.CampaignDecision {
		return attach.CampaignDecision{Application: id, Outcome: attach.Rejected, Failed: failed, RuleSet: "kz-2023"}
	}
	superseded := func(id, by string) attach.CampaignDecision {
		d := approved(id, 20270101)
		d.SupersededBy = by
		return d
	}
	invalid := func(id string) attach.CampaignDecision {
		return attach.CampaignDecision{Application: id, Err: errors.New("bad")}
	}
	tests := []struct {
		name, reason  string
		before, after attach.CampaignDecision
		want          attach.Impact // Applications, NowApproved, NowRejected, EffectiveChanged, Invalid, ByRule
		newly, no     []string      // the change's NewlyFailing and NoLongerFailing; unused when no change
		changed       bool
	}{
		{name: "same approval", reason: "equal decisions are no change",
			before: approved("A", 20270101), after: approved("A", 20270101),
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{}}},
		{name: "same rejection", reason: "equal failed rules are no change",
			before: rejected("A", "capacity", "home_visits"), after: rejected("A", "capacity", "home_visits"),
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{}}},
		{name: "other rule set", reason: "the set's id and the count read are not compared",
			before: approved("A", 20270101), after: attach.CampaignDecision{Application: "A", Outcome: attach.Approved, EffectiveFrom: 20270101, RuleSet: "kz-2023b", Attached: 7},
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{}}},
		{name: "both invalid", reason: "two undecided applications do not differ",
			before: invalid("A"), after: invalid("A"),
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{}}},
		{name: "now approved", reason: "a rejection that becomes an approval no longer fails its rules",
			before: rejected("A", "capacity", "home_visits"), after: approved("A", 20261005), changed: true, no: []string{"capacity", "home_visits"},
			want: attach.Impact{Applications: 1, NowApproved: 1, PeopleNowApproved: 1, ByRule: []attach.RuleImpact{{Rule: "capacity", NoLongerFailing: 1}, {Rule: "home_visits", NoLongerFailing: 1}}}},
		{name: "now rejected", reason: "an approval that becomes a rejection newly fails its rules",
			before: approved("A", 20270101), after: rejected("A", "home_visits", "capacity"), changed: true, newly: []string{"home_visits", "capacity"},
			want: attach.Impact{Applications: 1, NowRejected: 1, PeopleNowRejected: 1, ByRule: []attach.RuleImpact{{Rule: "capacity", NewlyFailing: 1}, {Rule: "home_visits", NewlyFailing: 1}}}},
		{name: "effective date", reason: "an approval taking effect on another day is a change of no rule",
			before: approved("A", 20270101), after: approved("A", 20261005), changed: true,
			want: attach.Impact{Applications: 1, EffectiveChanged: 1, ByRule: []attach.RuleImpact{}}},
		{name: "other rules", reason: "a rejection for other rules changes the rules, not the outcome",
			before: rejected("A", "campaign", "capacity"), after: rejected("A", "capacity", "once_a_year"), changed: true,
			newly: []string{"once_a_year"}, no: []string{"campaign"},
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{{Rule: "campaign", NoLongerFailing: 1}, {Rule: "once_a_year", NewlyFailing: 1}}}},
		{name: "now invalid", reason: "an application decided in one run only is invalid, whatever it failed before",
			before: rejected("A", "signature"), after: invalid("A"), changed: true, no: []string{"signature"},
			want: attach.Impact{Applications: 1, Invalid: 1, ByRule: []attach.RuleImpact{{Rule: "signature", NoLongerFailing: 1}}}},
		{name: "now valid", reason: "an approval of an application invalid before is counted as invalid, not approved; its person had no approval before and has one after",
			before: invalid("A"), after: approved("A", 20261005), changed: true,
			want: attach.Impact{Applications: 1, Invalid: 1, PeopleNowApproved: 1, ByRule: []attach.RuleImpact{}}},
		{name: "no longer superseded", reason: "an approval that stands after and was superseded before: the person holds another place",
			before: superseded("A", "B"), after: approved("A", 20270101), changed: true,
			want: attach.Impact{Applications: 1, SupersededChanged: 1, ByRule: []attach.RuleImpact{}}},
		{name: "superseded by another", reason: "an approval superseded by another application of the person",
			before: superseded("A", "B"), after: superseded("A", "C"), changed: true,
			want: attach.Impact{Applications: 1, SupersededChanged: 1, ByRule: []attach.RuleImpact{}}},
		{name: "same supersession", reason: "superseded by the same application in both runs: no change",
			before: superseded("A", "B"), after: superseded("A", "B"),
			want: attach.Impact{Applications: 1, ByRule: []attach.RuleImpact{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := &attach.CampaignResult{Decisions: []attach.CampaignDecision{tt.before}, Summary: attach.CampaignSummary{Applications: 1, Approved: 1}}
			after := &attach.CampaignResult{Decisions: []attach.CampaignDecision{tt.after}, Summary: attach.CampaignSummary{Applications: 1, Rejected: 1}}
			im, err := attach.Compare(before, after)
			if err != nil {
				t.Fatalf("Compare(%s): %v", tt.name, err)
			}
			want := tt.want
			want.Before, want.After = before.Summary, after.Summary
			if tt.changed {
				want.PeopleAffected = 1 // results built by hand: each application is a person
				want.Changes = []attach.DecisionChange{{Index: 0, Before: tt.before, After: tt.after, NewlyFailing: tt.newly, NoLongerFailing: tt.no}}
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
	dec := func(id string, o attach.Outcome, failed ...string) attach.CampaignDecision {
		return attach.CampaignDecision{Application: id, Outcome: o, Failed: failed}
	}
	before := &attach.CampaignResult{Decisions: []attach.CampaignDecision{
		dec("A", attach.Rejected, "signature"), dec("B", attach.Rejected, "capacity"), dec("C", attach.Approved), dec("D", attach.Rejected, "capacity"),
	}}
	after := &attach.CampaignResult{Decisions: []attach.CampaignDecision{
		dec("A", attach.Rejected, "capacity", "signature"), dec("B", attach.Approved), dec("C", attach.Rejected, "capacity"), dec("D", attach.Rejected, "capacity"),
	}}
	im, err := attach.Compare(before, after)
	noError(t, err)
	equal(t, []attach.RuleImpact{{Rule: "capacity", NewlyFailing: 2, NoLongerFailing: 1}}, im.ByRule, "Compare(batch of 4).ByRule")
	var idx []int
	for _, ch := range im.Changes {
		idx = append(idx, ch.Index)
	}
	equal(t, []int{0, 1, 2}, idx, "Compare(batch of 4) changed indexes")
	if im.Applications != 4 || im.NowApproved != 1 || im.NowRejected != 1 {
		t.Errorf("Compare(batch of 4) = %d applications, %d now approved, %d now rejected; want 4, 1, 1", im.Applications, im.NowApproved, im.NowRejected)
	}
}

// TestCompareEnginesError pins that CompareEngines returns the campaign's own error.
func TestCompareEnginesError(t *testing.T) {
	e := builtinEngine(t, nil)
	app := *baseApp(t)
	twice := []attach.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: 1}, {ClinicID: "C1", DoctorID: "D1", Attached: 2}}
	_, err := attach.CompareEngines(e, e, &attach.Campaign{Doctors: twice, Applications: []attach.Application{app}})
	if err == nil || err.Error() != `attach: campaign: doctor "D1" of clinic "C1" is listed twice` {
		t.Errorf("CompareEngines(doctor listed twice) error = %v, want the campaign's error", err)
	}
}
