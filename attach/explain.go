package attach

import (
	"golang.org/x/text/language"

	"github.com/emkhana/emkhana/rules"
)

// Explanation is a decision told to the citizen in one language.
type Explanation struct {
	// Language is the language of the messages: Kazakh, Russian or English.
	Language language.Tag `json:"lang"`
	// Messages holds, for each rule the application failed, in the set's order, the
	// message a citizen reads. It is empty for an approved or undecided decision.
	Messages []RuleMessage `json:"messages"`
}

// RuleMessage is why the application failed one rule, in words.
type RuleMessage struct {
	Rule    string `json:"rule"`    // the rule's id, as in Decision.Failed
	Message string `json:"message"` // the rule set's message for the rule, with the decision's values
}

// Explain returns the messages of the decision's rejection in the language that best
// matches accept, an Accept-Language value or a tag (see [rules.MatchLanguage]); "" means
// Kazakh.
// The messages are those of the rule set that decided, with the values the decision
// computed: numbers in the language's grouping, plural forms by its plural rules, dates
// with the month's name. A decision the engine did not make has messages that hold only
// the rule ids.
func (e *Engine) Explain(d *Decision, accept string) Explanation {
	x := Explanation{Language: rules.MatchLanguage(accept)}
	if d == nil || d.Outcome != Rejected {
		return x
	}
	c := e.compiled(d)
	if c == nil {
		for _, id := range d.Failed {
			x.Messages = append(x.Messages, RuleMessage{Rule: id, Message: id})
		}
		return x
	}
	msgs := c.Printer(x.Language).Messages(&d.result)
	for i, id := range d.Failed {
		if i < len(msgs) {
			x.Messages = append(x.Messages, RuleMessage{Rule: id, Message: msgs[i]})
		}
	}
	return x
}

// compiled returns the engine's compiled set that made d, or nil when another engine or
// no engine made it.
func (e *Engine) compiled(d *Decision) *rules.Compiled {
	if e.ready() != nil {
		return nil
	}
	if c, ok := e.prog.At(d.Date); ok && d.c != nil && c == d.c {
		return c
	}
	return nil
}
