package attach

import (
	"github.com/emkhana/emkhana/rules"
)

// Engine decides applications with a compiled rule history. It never changes after New
// returns: one Engine may decide from any number of goroutines at once.
type Engine struct {
	prog *rules.Program
}

// New compiles the history with rules.Compile and the options given (rules.WithLimits
// to set limits other than rules.DefaultLimits) and returns an engine for it. A broken
// history gives a rules.Errors listing every problem, each with the rule id, line and
// column; an option that cannot be applied gives that option's error.
func New(h rules.History, opts ...rules.Option) (*Engine, error) {
	p, err := rules.Compile(h, opts...)
	if err != nil {
		return nil, err
	}
	return &Engine{prog: p}, nil
}

// Program returns the compiled history.
func (e *Engine) Program() *rules.Program { return e.prog }

// Decide decides one application. It returns an *InvalidApplicationError naming every bad
// field of an invalid application (or saying that app is nil), a *NoRuleSetError when no
// set is in force on the submission date, and a *rules.RuntimeError when a rule fails
// while it runs (a runtime error is never an approval). Otherwise it returns the decision
// and a nil error.
func (e *Engine) Decide(app *Application) (Decision, error) {
	var d Decision
	err := e.DecideInto(&d, app)
	return d, err
}

// DecideInto is Decide writing into d, reusing the storage of d's slices, so that a
// caller deciding many applications with one Decision allocates nothing once the
// slices have grown. The previous contents of d are overwritten; on error d is reset.
func (e *Engine) DecideInto(d *Decision, app *Application) error {
	if app == nil {
		d.reset()
		return nilInput("application")
	}
	env := d.result.Env() // prepared in place: evaluation reads it without a copy
	if err := prepare(app, e.prog.Location(), env); err != nil {
		d.reset()
		return err
	}
	return e.decide(d, env)
}

// decide evaluates the set in force for a prepared env.
func (e *Engine) decide(d *Decision, env *rules.Env) error {
	return e.decideChanged(d, env, 0)
}

// decideChanged is decide for an env that differs from the one d was last decided with
// only in the changed fields (none: decide anew): the facts and rules that read none of
// them keep their values.
func (e *Engine) decideChanged(d *Decision, env *rules.Env, changed rules.Fields) error {
	today := rules.Date(env.Application.Date)
	c, ok := e.prog.At(today)
	if !ok {
		d.reset()
		return &NoRuleSetError{Date: today}
	}
	var err error
	if changed != 0 && d.c == c {
		err = c.EvalChanged(env, &d.result, changed)
	} else {
		err = c.Eval(env, &d.result)
	}
	if err != nil {
		d.reset()
		return err
	}
	set := c.Set()
	d.Application = env.Application.ID
	d.Date = today
	d.RuleSet = set.ID
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
		d.EffectiveFrom = d.result.TakesEffect
	} else {
		d.Outcome = Rejected
		d.EffectiveFrom = 0
	}
}

func (d *Decision) reset() {
	d.Application, d.Outcome, d.Date, d.EffectiveFrom, d.RuleSet, d.c = "", Undecided, 0, 0, "", nil
	d.Failed = d.Failed[:0]
}
