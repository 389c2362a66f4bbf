package main

import (
	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// decision is one line of plain mode's output: a decided application.
type decision struct {
	ID             string        `json:"id"`
	Outcome        string        `json:"outcome"`
	RuleSet        string        `json:"rule_set,omitempty"`
	RuleSetDigest  string        `json:"rule_set_digest,omitempty"`
	EffectiveFrom  rules.Date    `json:"effective_from,omitempty"`
	EffectiveUntil rules.Date    `json:"effective_until,omitempty"`
	Failed         []string      `json:"failed,omitempty"`
	Reasons        []reason      `json:"reasons,omitempty"`
	Remedies       []remedy      `json:"remedies,omitempty"`
	NoRemedy       string        `json:"no_remedy,omitempty"` // a rejection no change the applicant controls mends
	Trace          []attach.Step `json:"trace,omitempty"`
}

type reason struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// remedy is a change that would have a rejected application approved, found by the
// engine deciding the changed application.
type remedy struct {
	WaivesHomeVisits bool            `json:"waives_home_visits,omitempty"`
	Doctor           string          `json:"doctor,omitempty"`
	Reasons          []attach.Reason `json:"reasons,omitempty"`
	Date             rules.Date      `json:"date,omitempty"`
	EffectiveFrom    rules.Date      `json:"effective_from"`
	Message          string          `json:"message"`
}

// decider decides the lines of plain mode, one at a time, reusing one Decision and the
// storage of one decision line: each worker of runPlain has its own.
type decider struct {
	eng      *attach.Engine
	cfg      *config
	dec      attach.Decision
	o        decision
	noRemedy string // what NoRemedy says in the language of -lang: the same for every line
}

func newDecider(eng *attach.Engine, cfg *config) *decider {
	return &decider{eng: eng, cfg: cfg, noRemedy: eng.NoRemedy(cfg.lang)}
}

// decide decides one application line. When it cannot, it returns the error with the
// application's id, as far as it could be read, in the decision. The decision is the
// decider's, valid until the next call.
func (c *decider) decide(line []byte) (*decision, error) {
	o := &c.o
	*o = decision{Reasons: o.Reasons[:0], Remedies: o.Remedies[:0]}
	app, err := attach.DecodeApplication(line)
	if err == nil {
		err = c.eng.DecideInto(&c.dec, app)
	}
	if err != nil {
		o.ID = errorID(err)
		if app != nil {
			o.ID = app.ID
		}
		return o, err
	}
	d := &c.dec
	o.ID, o.Outcome, o.RuleSet, o.RuleSetDigest, o.Failed = d.Application, d.Outcome.String(), d.RuleSet, d.RuleSetDigest, d.Failed
	if d.Approved() {
		o.EffectiveFrom = d.EffectiveFrom
	}
	o.EffectiveUntil = d.EffectiveUntil
	for _, m := range c.eng.Explain(d, c.cfg.lang).Messages {
		o.Reasons = append(o.Reasons, reason{Rule: m.Rule, Message: m.Message})
	}
	if !d.Approved() {
		remedies, _ := c.eng.Remedies(app, c.cfg.lang) // app was just decided: no error
		for _, r := range remedies {
			o.Remedies = append(o.Remedies, remedy{WaivesHomeVisits: r.WaivesHomeVisits, Doctor: r.Doctor, Reasons: r.Reasons,
				Date: r.Date, EffectiveFrom: r.EffectiveFrom, Message: r.Message})
		}
		if len(remedies) == 0 {
			o.NoRemedy = c.noRemedy
		}
	}
	if c.cfg.explain {
		o.Trace = d.Trace()
	}
	return o, nil
}
