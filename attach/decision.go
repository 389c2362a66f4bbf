package attach

import (
	"encoding/json"

	"github.com/emkhana/emkhana/rules"
)

// Outcome is whether an application is approved.
type Outcome uint8

// The outcomes. The zero [Outcome] is Undecided: a [Decision] that was not made.
const (
	Undecided Outcome = iota
	Approved
	Rejected
)

// String returns "approved", "rejected" or "undecided".
func (o Outcome) String() string {
	switch o {
	case Approved:
		return "approved"
	case Rejected:
		return "rejected"
	}
	return "undecided"
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Decision is the answer to one application and its explanation.
type Decision struct {
	// Application is the application's id.
	Application string  `json:"id"`
	Outcome     Outcome `json:"outcome"`
	// Date is the local civil date of submission, which chose the rule set.
	Date rules.Date `json:"date"`
	// EffectiveFrom is the day the attachment takes effect when approved: 1 January of the
	// next year for a change chosen in the campaign, the submission date for a first
	// attachment or a change for a qualifying reason. Zero when rejected.
	EffectiveFrom rules.Date `json:"effective_from,omitempty"`
	// EffectiveUntil, when not zero, is the last day of an approved attachment that ends
	// by itself: a temporary resident's, with the end of their contract or insurance.
	EffectiveUntil rules.Date `json:"effective_until,omitempty"`
	// RuleSet is the id of the rule set that decided.
	RuleSet string `json:"rule_set"`
	// RuleSetDigest is "sha256:" and the digest of the content of that set
	// (rules.Compiled.Digest), so that two edited sets of one id never look alike in a log.
	RuleSetDigest string `json:"rule_set_digest,omitempty"`
	// Failed holds the ids of the rules that did not hold, in the set's order; empty when
	// approved. Every failing rule is reported, not only the first.
	Failed []string `json:"failed"`

	env    rules.Env       // what the rules read, filled by DecideInto
	result rules.Result    // storage reused by DecideInto: fact values, rule results
	c      *rules.Compiled // the set that decided; nil when no decision was made
	self   *Decision       // d once DecideInto gave d storage of its own; a copy has another address
}

// Step is one rule of a decision's trace.
type Step struct {
	Rule   string         `json:"rule"`
	Passed bool           `json:"passed"`
	Facts  []Fact         `json:"facts"` // the facts the rule read, with their values
	Source rules.Citation `json:"-"`     // the text the rule comes from
}

// Fact is a named value a rule read.
type Fact struct {
	Name  string      `json:"name"`
	Value rules.Value `json:"value"`
}

// Approved reports whether the decision approves the application.
func (d *Decision) Approved() bool { return d.Outcome == Approved }

// Trace returns every rule of the set that decided, in order, with whether it held and
// the facts it read. It builds the trace anew on each call, so deciding costs nothing for
// callers that never read it; the result is the caller's to keep.
func (d *Decision) Trace() []Step {
	if d.c == nil {
		return nil
	}
	set := d.c.Set()
	steps := make([]Step, len(set.Rules))
	n := 0
	for i := range set.Rules {
		n += len(d.c.RuleFacts(i))
	}
	facts := make([]Fact, n) // the steps' facts, one after the other: one allocation
	for i := range set.Rules {
		k := len(d.c.RuleFacts(i))
		steps[i] = d.stepInto(i, facts[:k:k])
		facts = facts[k:]
	}
	return steps
}

// Step returns the trace step of the rule with that id.
func (d *Decision) Step(rule string) (Step, bool) {
	if d.c == nil {
		return Step{}, false
	}
	for i := range d.c.Set().Rules {
		if d.c.Set().Rules[i].ID == rule {
			return d.step(i), true
		}
	}
	return Step{}, false
}

// step builds the trace step of rule i.
func (d *Decision) step(i int) Step {
	return d.stepInto(i, make([]Fact, len(d.c.RuleFacts(i))))
}

// stepInto builds the trace step of rule i with its facts in facts, as long as they are.
func (d *Decision) stepInto(i int, facts []Fact) Step {
	set := d.c.Set()
	r := &set.Rules[i]
	idx := d.c.RuleFacts(i)
	for k, j := range idx {
		facts[k] = Fact{Name: set.Facts[j].Name, Value: d.result.Fact(j)}
	}
	return Step{Rule: r.ID, Passed: d.result.Passed[i], Facts: facts, Source: r.Source}
}

// Fact returns the value of the named fact as the decision computed it.
func (d *Decision) Fact(name string) (rules.Value, bool) {
	if d.c == nil {
		return rules.Value{}, false
	}
	i, ok := d.c.FactIndex(name)
	if !ok {
		return rules.Value{}, false
	}
	return d.result.Fact(i), true
}

// MarshalJSON writes the decision with its trace.
func (d Decision) MarshalJSON() ([]byte, error) {
	type fields Decision // the same fields without this method
	return json.Marshal(struct {
		fields
		Trace []Step `json:"trace,omitempty"`
	}{fields(d), d.Trace()})
}

// MarshalJSON writes the facts of a step as one object {"name": value, ...} in order.
func (s Step) MarshalJSON() ([]byte, error) {
	b := []byte(`{"rule":`)
	b, _ = appendJSON(b, s.Rule)
	b = append(b, `,"passed":`...)
	b, _ = appendJSON(b, s.Passed)
	b = append(b, `,"facts":{`...)
	for i, f := range s.Facts {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = appendJSON(b, f.Name)
		b = append(b, ':')
		v, err := f.Value.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, "}}"...), nil
}

func appendJSON(b []byte, v any) ([]byte, error) {
	j, err := json.Marshal(v)
	return append(b, j...), err
}
