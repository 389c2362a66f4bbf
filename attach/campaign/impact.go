package campaign

import (
	"slices"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// Impact is what a change of the rules does to a batch of applications: the decisions
// that differ between two runs of the same batch, grouped by rule.
type Impact struct {
	Applications int `json:"applications"`
	// Before and After summarize each run.
	Before Summary `json:"before"`
	After  Summary `json:"after"`
	// NowApproved counts the applications rejected before and approved after;
	// NowRejected the reverse; EffectiveChanged those approved in both runs with another
	// effective date; SupersededChanged those approved in both runs on the same day and
	// superseded in one run only, or by another application; Invalid those decided in
	// one run and not in the other.
	NowApproved       int `json:"now_approved"`
	NowRejected       int `json:"now_rejected"`
	EffectiveChanged  int `json:"effective_changed"`
	SupersededChanged int `json:"superseded_changed"`
	Invalid           int `json:"invalid"`
	// People counts people (told apart by citizen.iin), where the counts above count
	// applications: PeopleAffected those with a decision that differs; PeopleNowApproved
	// those with no approved application before and one after; PeopleNowRejected the
	// reverse. A person who applied twice and is now approved on the second application
	// rather than the first is affected, and neither now approved nor now rejected.
	PeopleAffected    int `json:"people_affected"`
	PeopleNowApproved int `json:"people_now_approved"`
	PeopleNowRejected int `json:"people_now_rejected"`
	// ByRule lists, by rule id, how many decisions fail the rule after and not before, and
	// the reverse; rules whose failures did not change are left out.
	ByRule []RuleImpact `json:"by_rule"`
	// Changes are the differing decisions, in the batch's order.
	Changes []Change `json:"-"`
}

// RuleImpact is how often one rule's verdict changed.
type RuleImpact struct {
	Rule            string `json:"rule"`
	NewlyFailing    int    `json:"newly_failing"`
	NoLongerFailing int    `json:"no_longer_failing"`
}

// Change is one application decided differently.
type Change struct {
	Index  int      `json:"index"` // the application's index in the batch
	Before Decision `json:"before"`
	After  Decision `json:"after"`
	// NewlyFailing and NoLongerFailing are the rules this decision fails only after, and
	// only before, in the order of the rule set.
	NewlyFailing    []string `json:"newly_failing,omitempty"`
	NoLongerFailing []string `json:"no_longer_failing,omitempty"`
}

// Compare reports how the decisions of after differ from those of before, two runs of
// the same batch (by [Run], with two engines). A decision differs when its outcome, failed
// rules, effective date or SupersededBy differ, or it was decided in one run only. The
// rule set ids and the counts read are not compared: a change of the rules renames the
// set, and a change of live capacity moves the counts. It fails, with an error matching
// [ErrNotComparable], when either is nil or their applications differ in number or in
// ids, in order: it tells runs apart by the ids of their applications, nothing else.
func Compare(before, after *Result) (*Impact, error) {
	if before == nil || after == nil {
		return nil, kindErrorf(ErrNotComparable, "campaign: compare: nil result")
	}
	if before.Len() != after.Len() {
		return nil, kindErrorf(ErrNotComparable, "campaign: compare: %d decisions before and %d after; want the same batch", before.Len(), after.Len())
	}
	im := &Impact{Applications: before.Len(), Before: before.Summary, After: after.Summary, ByRule: []RuleImpact{}}
	byRule := map[string]*RuleImpact{}
	rule := func(id string) *RuleImpact {
		r, ok := byRule[id]
		if !ok {
			r = &RuleImpact{Rule: id}
			byRule[id] = r
		}
		return r
	}
	var marks map[int32]uint8 // by person with more than one application: the marks of their decisions
	for i := range before.Len() {
		b, a := before.Decision(i), after.Decision(i)
		if b.Application != a.Application {
			return nil, kindErrorf(ErrNotComparable, "campaign: compare: decision %d is of %q before and of %q after; want the same batch", i, b.Application, a.Application)
		}
		var m uint8
		if b.Err == nil && b.Outcome == attach.Approved {
			m |= markApprovedBefore
		}
		if a.Err == nil && a.Outcome == attach.Approved {
			m |= markApprovedAfter
		}
		if !same(&b, &a) {
			m |= markDiffers
			im.change(i, b, a, rule)
		}
		if P := before.recs[i].person; P >= 0 {
			if marks == nil {
				marks = map[int32]uint8{}
			}
			marks[P] |= m
		} else {
			im.countPerson(m)
		}
	}
	for _, m := range marks {
		im.countPerson(m)
	}
	for _, r := range byRule {
		im.ByRule = append(im.ByRule, *r)
	}
	slices.SortFunc(im.ByRule, func(x, y RuleImpact) int { return strings.Compare(x.Rule, y.Rule) })
	return im, nil
}

// same reports whether two decisions of one application do not differ (see Compare).
func same(b, a *Decision) bool {
	return (b.Err == nil) == (a.Err == nil) && b.Outcome == a.Outcome && b.EffectiveFrom == a.EffectiveFrom &&
		slices.Equal(b.Failed, a.Failed) && b.SupersededBy == a.SupersededBy
}

// change records that the i-th decision differs, b before and a after.
func (im *Impact) change(i int, b, a Decision, rule func(string) *RuleImpact) {
	ch := Change{Index: i, Before: b, After: a}
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
	case b.Outcome == attach.Rejected && a.Outcome == attach.Approved:
		im.NowApproved++
	case b.Outcome == attach.Approved && a.Outcome == attach.Rejected:
		im.NowRejected++
	case b.Outcome == attach.Approved && b.EffectiveFrom != a.EffectiveFrom:
		im.EffectiveChanged++
	case b.Outcome == attach.Approved:
		im.SupersededChanged++
	}
	im.Changes = append(im.Changes, ch)
}

// The marks of a person's decisions in two runs.
const (
	markDiffers        = 1 << iota // a decision differs
	markApprovedBefore             // an application is approved before
	markApprovedAfter              // an application is approved after
)

// countPerson counts one person with the marks of their decisions.
func (im *Impact) countPerson(m uint8) {
	if m&markDiffers != 0 {
		im.PeopleAffected++
	}
	switch m &^ markDiffers {
	case markApprovedAfter:
		im.PeopleNowApproved++
	case markApprovedBefore:
		im.PeopleNowRejected++
	}
}
