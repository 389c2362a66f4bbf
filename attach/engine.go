package attach

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// Engine decides applications with a compiled rule history. It never changes after New
// returns: one Engine may decide from any number of goroutines at once.
type Engine struct {
	prog  *rules.Program
	known *codebook // the codes of the history: what validation accepts
	gaps  []Gap     // the features the sets give up (contract.go)
	// reach holds, for each set, what each of its rules reads of what an applicant may
	// change: what Remedies and Options need not try.
	reach map[*rules.Compiled]*ruleReach
}

// ruleReach says, for each rule of a set, whether the changes Remedies tries can reach it
// (it reads the waiver, the doctor, the reason or the day) and whether giving up home
// visits can: a rule that reads none of them fails whatever they become.
type ruleReach struct {
	mendable, waivable []bool
}

// newReach finds the reach of every rule of every set of p.
func newReach(p *rules.Program) map[*rules.Compiled]*ruleReach {
	changeable := map[string]bool{}
	for i, f := range fields {
		if remedyFields&(1<<i) != 0 && f.input >= 0 {
			changeable[rules.Inputs()[f.input].Name] = true
		}
	}
	for _, name := range derivedInputs { // a later day changes the day and the age
		changeable[name] = true
	}
	waiver := rules.Inputs()[in.waives].Name
	out := map[*rules.Compiled]*ruleReach{}
	for _, c := range p.Sets() {
		r := &ruleReach{}
		for i := range c.Set().Rules {
			reads := c.RuleReads(i)
			r.mendable = append(r.mendable, slices.ContainsFunc(reads, func(n string) bool { return changeable[n] }))
			r.waivable = append(r.waivable, slices.Contains(reads, waiver))
		}
		out[c] = r
	}
	return out
}

// canMend reports whether a change of what an applicant controls could have d approved
// under the set that decided it: whether every rule d fails reads something those
// changes change (the waiver alone, when onlyWaiver). A later day may fall under another
// set: remedySearch.canMend sees to that.
func (e *Engine) canMend(d *Decision, onlyWaiver bool) bool {
	r := e.reach[d.c]
	if r == nil {
		return true
	}
	reaches := r.mendable
	if onlyWaiver {
		reaches = r.waivable
	}
	for i, passed := range d.result.Passed {
		if !passed && !reaches[i] {
			return false
		}
	}
	return true
}

// New compiles the history with [rules.Compile] and the options given ([rules.WithLimits]
// to set limits other than the defaults of [rules.Limits]) and returns an engine for it.
// A broken history gives a [rules.Errors] listing every problem, each with the rule id, line and
// column; an option that cannot be applied gives that option's error. So does a history
// that declares no codes for an input every application gives, or a set with a fact the
// engine reads by name (change_reasons, campaign_start, free_places, capacity, ...) of
// another kind than the engine reads it as. A set without such a fact gives up the
// engine's feature that reads it: Gaps lists them.
func New(h rules.History, opts ...rules.Option) (*Engine, error) {
	p, err := rules.Compile(h, opts...)
	if err != nil {
		return nil, err
	}
	known := newCodebook(p)
	var errs rules.Errors
	for _, in := range rules.Inputs() {
		if in.Codes != "" && in.Required == rules.RequiredAlways && len(p.Codes(in.Codes)) == 0 {
			errs = append(errs, &rules.Error{Field: "codes." + in.Codes, Message: fmt.Sprintf(
				"no set of the history declares codes of kind %s, which every application gives in %s; declare them in a set's codes, or extend a built-in set", in.Codes, in.Name)})
		}
	}
	contract, gaps := checkContract(p)
	errs = append(errs, contract...)
	if len(errs) > 0 {
		return nil, errs
	}
	return &Engine{prog: p, known: known, gaps: gaps, reach: newReach(p)}, nil
}

// Decide decides one application. It returns an *[InvalidApplicationError] naming every bad
// field of an invalid application (or saying that app is nil), including a field the set
// in force reads that the application's JSON form left out; a *[NoRuleSetError] when no
// set is in force on the submission date; and a *[rules.RuntimeError] when a rule fails
// while it runs (a runtime error is never an approval). Otherwise it returns the decision
// and a nil error.
func (e *Engine) Decide(app *Application) (Decision, error) {
	var d Decision
	err := e.DecideInto(&d, app)
	return d, err
}

// DecideInto is Decide writing into d, reusing the storage of d's slices, so that a
// caller deciding many applications with one [Decision] allocates nothing once the
// slices have grown. The previous contents of d are overwritten; on error d is reset.
// A copy of d made before shares that storage, and so changes too: keep a decision with
// Decide, or decide into the copy, which then takes storage of its own.
func (e *Engine) DecideInto(d *Decision, app *Application) error {
	if d != nil && d.self != d { // a copy (or a new Decision): its Failed is the original's
		d.Failed, d.self = nil, d
	}
	if err := e.ready(); err != nil {
		d.reset()
		return err
	}
	if app == nil {
		d.reset()
		return nilInput("application")
	}
	today, err := prepare(app, e.prog.Location(), e.known, &d.env)
	if err != nil {
		d.reset()
		return err
	}
	d.result.Reset() // another application: nothing to compare with the last one
	return e.decide(d, today, app.ID)
}

// Location returns the time zone of the engine's rule history: an application's civil
// date, which chooses the set in force, is the date of its SubmittedAt there
// ([rules.DateOf]). It returns nil for an [Engine] that [New] did not make.
func (e *Engine) Location() *time.Location {
	if e.ready() != nil {
		return nil
	}
	return e.prog.Location()
}

// ready returns errNoEngine for an [Engine] that New did not make.
func (e *Engine) ready() error {
	if e == nil || e.prog == nil {
		return errNoEngine
	}
	return nil
}

// evalError is the error of a decision whose evaluation failed. Eval refuses an env that
// lacks an input the set reads before it evaluates anything: for an application, a
// field it must give. It stays out of decide's body, which every decision runs.
func evalError(err error, id string) error {
	var missing *rules.MissingInputError
	if !errors.As(err, &missing) {
		return err
	}
	var p problems
	for _, name := range missing.Inputs {
		p.add(fieldPath(name), "", "is missing or null; rule set "+missing.Set+" reads it", nil)
	}
	return &InvalidApplicationError{ID: id, Problems: p}
}

// decide evaluates the set in force on today for d's env, which holds a valid
// application. The evaluation is incremental: what reads only the inputs that did not
// change since d was last decided keeps its value.
func (e *Engine) decide(d *Decision, today rules.Date, id string) error {
	c, ok := e.prog.At(today)
	if !ok {
		d.reset()
		return &NoRuleSetError{Date: today}
	}
	if err := c.Eval(&d.env, &d.result); err != nil {
		d.reset()
		return evalError(err, id)
	}
	set := c.Set()
	d.Application = id
	d.Date = today
	d.RuleSet, d.RuleSetDigest = set.ID, c.Digest()
	d.c = c
	if d.Failed == nil {
		d.Failed = make([]string, 0, len(set.Rules)) // [] rather than null in JSON
	}
	d.Failed = d.Failed[:0]
	for i, passed := range d.result.Passed {
		if !passed {
			d.Failed = append(d.Failed, set.Rules[i].ID)
		}
	}
	d.setOutcome()
	return nil
}

// setOutcome sets the outcome and effective date from the failed rules.
func (d *Decision) setOutcome() {
	if len(d.Failed) == 0 {
		d.Outcome = Approved
		d.EffectiveFrom, d.EffectiveUntil = d.result.TakesEffect, d.result.EffectiveUntil
	} else {
		d.Outcome = Rejected
		d.EffectiveFrom, d.EffectiveUntil = 0, 0
	}
}

func (d *Decision) reset() {
	d.Application, d.Outcome, d.Date, d.EffectiveFrom, d.EffectiveUntil, d.RuleSet, d.RuleSetDigest, d.c = "", Undecided, 0, 0, 0, "", "", nil
	d.Failed = d.Failed[:0]
}
