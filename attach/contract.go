package attach

import (
	"fmt"

	"github.com/emkhana/emkhana/rules"
)

// The facts the engine's Go code reads from a decision by name: the contract between a
// rule set and the features of the engine beyond deciding. A set may leave any of them
// out and give up the feature; one of the wrong kind is refused by New.
var engineFacts = []struct {
	name    string
	kind    rules.Kind
	feature string // what a set without the fact gives up
}{
	{"change_reasons", rules.Strings, "Remedies proposes no qualifying reason"},
	{"campaign_start", rules.MonthDayKind, "Remedies proposes no next campaign"},
	{"campaign_end", rules.MonthDayKind, "a remedy of the next campaign gives its first day only"},
	{"change_allowed_from", rules.DateKind, "Remedies proposes no day when the limit on changes ends"},
	{"free_places", rules.Int, "a remedy of another doctor shows 0 free places"},
	{"capacity", rules.Int, "campaign.Run's summary lists no doctor reaching the limit"},
}

// Gap is a feature of the engine that a rule set gives up, because it lacks a fact the
// engine reads (see New).
type Gap struct {
	Set     string // the set's id
	Fact    string // the fact the engine reads: change_reasons, campaign_start, ...
	Feature string // what the set gives up
}

// checkContract returns the facts the engine reads that a set has with another kind, as
// errors New refuses the history with, and the features the sets give up.
func checkContract(p *rules.Program) (rules.Errors, []Gap) {
	var errs rules.Errors
	var gaps []Gap
	for _, c := range p.Sets() {
		for _, f := range engineFacts {
			k, ok := c.FactKind(f.name)
			switch {
			case !ok:
				gaps = append(gaps, Gap{Set: c.ID(), Fact: f.name, Feature: f.feature})
			case k != f.kind:
				errs = append(errs, &rules.Error{Set: c.ID(), Fact: f.name, Field: "type", Message: fmt.Sprintf(
					"is %s; the engine reads it as %s (without it, %s)", k, f.kind, f.feature)})
			}
		}
	}
	return errs, gaps
}

// Gaps returns the features of the engine that the sets of its history give up, for
// lacking a fact the engine reads; none for the built-in history.
func (e *Engine) Gaps() []Gap {
	if e.ready() != nil {
		return nil
	}
	return append([]Gap(nil), e.gaps...)
}
