package attach

import (
	"slices"
	"strings"
)

// Impact is what a change of the rules does to a batch of applications: the decisions
// that differ between two runs of the same batch, grouped by rule.
type Impact struct {
	Applications int `json:"applications"`
	// Before and After summarize each run.
	Before CampaignSummary `json:"before"`
	After  CampaignSummary `json:"after"`
	// NowApproved counts the applications rejected before and approved after;
	// NowRejected the reverse; EffectiveChanged those approved in both runs with another
	// effective date; Invalid those decided in one run and not in the other.
	NowApproved      int `json:"now_approved"`
	NowRejected      int `json:"now_rejected"`
	EffectiveChanged int `json:"effective_changed"`
	Invalid          int `json:"invalid"`
	// ByRule lists, by rule id, how many decisions fail the rule after and not before, and
	// the reverse; rules whose failures did not change are left out.
	ByRule []RuleImpact `json:"by_rule"`
	// Changes are the differing decisions, in the batch's order.
	Changes []DecisionChange `json:"-"`
}

// RuleImpact is how often one rule's verdict changed.
type RuleImpact struct {
	Rule            string `json:"rule"`
	NewlyFailing    int    `json:"newly_failing"`
	NoLongerFailing int    `json:"no_longer_failing"`
}

// DecisionChange is one application decided differently.
type DecisionChange struct {
	Index  int              `json:"index"` // the application's index in the batch
	Before CampaignDecision `json:"before"`
	After  CampaignDecision `json:"after"`
	// NewlyFailing and NoLongerFailing are the rules this decision fails only after, and
	// only before, in the order of the rule set.
	NewlyFailing    []string `json:"newly_failing,omitempty"`
	NoLongerFailing []string `json:"no_longer_failing,omitempty"`
}

// Compare reports how the decisions of after differ from those of before, two runs of
// the same batch (by RunCampaign, with two engines). A decision differs when its outcome,
// failed rules or effective date differ, or it was decided in one run only. The rule
// set ids and the counts read are not compared: a change of the rules renames the set,
// and a change of live capacity moves the counts. It fails when the runs are not of the
// same applications in the same order.
func Compare(before, after *CampaignResult) (*Impact, error) {
	if before == nil || after == nil {
		return nil, kindErrorf(ErrNotComparable, "attach: compare: nil result")
	}
	if len(before.Decisions) != len(after.Decisions) {
		return nil, kindErrorf(ErrNotComparable, "attach: compare: %d decisions before and %d after; want the same batch", len(before.Decisions), len(after.Decisions))
	}
	im := &Impact{Applications: len(before.Decisions), Before: before.Summary, After: after.Summary, ByRule: []RuleImpact{}}
	byRule := map[string]*RuleImpact{}
	rule := func(id string) *RuleImpact {
		r, ok := byRule[id]
		if !ok {
			r = &RuleImpact{Rule: id}
			byRule[id] = r
		}
		return r
	}
	for i := range before.Decisions {
		b, a := &before.Decisions[i], &after.Decisions[i]
		if b.Application != a.Application {
			return nil, kindErrorf(ErrNotComparable, "attach: compare: decision %d is of %q before and of %q after; want the same batch", i, b.Application, a.Application)
		}
		if (b.Err == nil) == (a.Err == nil) && b.Outcome == a.Outcome && b.EffectiveFrom == a.EffectiveFrom && slices.Equal(b.Failed, a.Failed) {
			continue
		}
		ch := DecisionChange{Index: i, Before: *b, After: *a}
		for _, id := range a.Failed {
			if !slices.Contains(b.Failed, id) {
				ch.NewlyFailing = append(ch.NewlyFailing, id)
				rule(id).NewlyFailing++
			}
		}
		for _, id := range b.Failed {
			if !slices.Contains(a.Failed, id) {
				ch.NoLongerFailing = append(ch.NoLongerFailing, id)
				rule(id).NoLongerFailing++
			}
		}
		switch {
		case (b.Err == nil) != (a.Err == nil):
			im.Invalid++
		case b.Outcome == Rejected && a.Outcome == Approved:
			im.NowApproved++
		case b.Outcome == Approved && a.Outcome == Rejected:
			im.NowRejected++
		case b.Outcome == Approved && b.EffectiveFrom != a.EffectiveFrom:
			im.EffectiveChanged++
		}
		im.Changes = append(im.Changes, ch)
	}
	for _, r := range byRule {
		im.ByRule = append(im.ByRule, *r)
	}
	slices.SortFunc(im.ByRule, func(x, y RuleImpact) int { return strings.Compare(x.Rule, y.Rule) })
	return im, nil
}

// CompareEngines runs the campaign c with each engine and compares the runs: the impact
// of deciding with after's rules rather than before's. With c.Static the applications
// are decided one by one; otherwise with live capacity, so that a lower norm also shows
// the doctors that fill earlier.
func CompareEngines(before, after *Engine, c *Campaign) (*Impact, error) {
	b, err := before.RunCampaign(c)
	if err != nil {
		return nil, err
	}
	a, err := after.RunCampaign(c)
	if err != nil {
		return nil, err
	}
	return Compare(b, a)
}
