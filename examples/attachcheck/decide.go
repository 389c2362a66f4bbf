package main

import (
	"io"

	"github.com/emkhana/emkhana/attach"
)

// decision is one line of plain mode's output: a decided application.
type decision struct {
	ID             string        `json:"id"`
	Outcome        string        `json:"outcome"`
	RuleSet        string        `json:"rule_set,omitempty"`
	RuleSetDigest  string        `json:"rule_set_digest,omitempty"`
	EffectiveFrom  string        `json:"effective_from,omitempty"`
	EffectiveUntil string        `json:"effective_until,omitempty"`
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
	Date             string          `json:"date,omitempty"`
	EffectiveFrom    string          `json:"effective_from"`
	Message          string          `json:"message"`
}

// decider decides the lines of plain mode, one at a time, reusing one Decision.
type decider struct {
	eng *attach.Engine
	cfg *config
	dec attach.Decision
}

// runPlain decides every input line as it is read and writes its decision or its error
// line at once.
func runPlain(eng *attach.Engine, cfg *config, stdin io.Reader, out *output) error {
	d := &decider{eng: eng, cfg: cfg}
	return eachLine(cfg, stdin, func(l *inputLine) error {
		if l.problem != "" {
			return out.reject(l.errorLine("", l.problem))
		}
		o, err := d.decide(l.data)
		if err != nil {
			return out.reject(l.errorLine(o.ID, errorText(err)))
		}
		return out.line(o)
	})
}

// decide decides one application line. When it cannot, it returns the error with the
// application's id, as far as it could be read, in the decision.
func (c *decider) decide(line []byte) (decision, error) {
	app, err := attach.DecodeApplication(line)
	if err == nil {
		err = c.eng.DecideInto(&c.dec, app)
	}
	if err != nil {
		id := errorID(err)
		if app != nil {
			id = app.ID
		}
		return decision{ID: id}, err
	}
	d := &c.dec
	o := decision{ID: d.Application, Outcome: d.Outcome.String(), RuleSet: d.RuleSet, RuleSetDigest: d.RuleSetDigest, Failed: d.Failed}
	if d.Approved() {
		o.EffectiveFrom = d.EffectiveFrom.String()
	}
	if d.EffectiveUntil != 0 {
		o.EffectiveUntil = d.EffectiveUntil.String()
	}
	for _, m := range c.eng.Explain(d, c.cfg.lang).Messages {
		o.Reasons = append(o.Reasons, reason{Rule: m.Rule, Message: m.Message})
	}
	if !d.Approved() {
		remedies, _ := c.eng.Remedies(app, c.cfg.lang) // app was just decided: no error
		for _, r := range remedies {
			o.Remedies = append(o.Remedies, remedy{WaivesHomeVisits: r.WaivesHomeVisits, Doctor: r.Doctor, Reasons: r.Reasons,
				Date: r.Date.String(), EffectiveFrom: r.Decision.EffectiveFrom.String(), Message: r.Message})
		}
		if len(remedies) == 0 {
			o.NoRemedy = c.eng.NoRemedy(c.cfg.lang)
		}
	}
	if c.cfg.explain {
		o.Trace = d.Trace()
	}
	return o, nil
}
