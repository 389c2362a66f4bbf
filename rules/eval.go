package rules

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Result is what evaluating a set gives for one application. Its slices are reused
// between evaluations when the caller passes the same Result again: a copy of a Result
// shares them with the original, and reads what the next evaluation into the original
// writes. A copy evaluated into takes storage of its own first, so that it never
// changes the original. Evaluating into a
// Result that holds the last evaluation of the same set is incremental: Eval compares the
// Env's values with those it kept and recomputes only what reads a changed input. [Result.Reset]
// skips the comparison when the Env is known to be another application's.
//
// The values of the facts are read with Fact and Facts: an evaluation computes the facts
// its rules need, and Fact computes the others from the copy of the Env's values that the
// evaluation kept in r.
type Result struct {
	// Passed holds, for each rule in the set's order, whether it held.
	Passed []bool
	// TakesEffect is the value of the set's takes_effect expression.
	TakesEffect Date
	// EffectiveUntil is the value of the set's effective_until expression: the last day
	// of an attachment that ends by itself; 0 when it does not, or the set has none.
	EffectiveUntil Date

	frame frame       // what the compiled closures read: the values of the last evaluation
	sets  []setValues // the storage of the facts and Passed, one per set of the Program
	last  *Compiled   // the set of the last successful evaluation into r
	whole bool        // the next Eval evaluates everything (Reset)
	// lists are copies of the Env's lists as the last incremental evaluation saw them,
	// when listsKept: an incremental evaluation compares them to see what changed.
	lists     [numListSlots][]string
	listsKept bool
	self      *Result // r once r has storage of its own; a copy of r has another address
}

// Reset makes the next evaluation into r evaluate every fact and rule without comparing
// the Env with the last one, as for an Env of another application; r keeps its storage,
// and its values until then.
func (r *Result) Reset() { r.whole = true }

// setValues is a [Result]'s storage for one compiled set.
type setValues struct {
	owner  *Compiled // the set whose values these are; nil when they must be set up anew
	facts  []Value
	passed []bool
}

// Fact returns the value of fact i (in the set's order) as the last successful evaluation
// into r gives it, computing it now if the evaluation did not need it. It returns the
// zero Value when r holds no successful evaluation or i is not a fact of its set. Fact
// does not change r: it may be called from any number of goroutines at once, as long as
// none evaluates into r or changes its Env meanwhile.
func (r *Result) Fact(i int) Value {
	c := r.last
	if c == nil || i < 0 || i >= len(c.facts) {
		return Value{}
	}
	if e := &c.facts[i]; e.deferred {
		// A deferred fact cannot fail (compileFast): its closures run with no recover,
		// and a panic would be a bug.
		return e.value(&r.frame)
	}
	return r.frame.facts[i]
}

// Facts returns the values of every fact of the set of the last successful evaluation
// into r, in the set's order, in a new slice; nil when r holds no successful evaluation.
func (r *Result) Facts() []Value {
	if r.last == nil {
		return nil
	}
	out := make([]Value, len(r.last.facts))
	for i := range out {
		out[i] = r.Fact(i)
	}
	return out
}

// Eval evaluates every rule and takes_effect of the set for env into r, reusing r's
// storage, with the facts they need and every fact that can fail; [Result.Fact] computes the
// others when asked. When r holds a successful evaluation of this set, only what reads
// the inputs whose values differ from that evaluation's is evaluated again (a list
// differs when its elements do, even changed in place in the same slice: r keeps a copy of
// them); the result is always the one a whole evaluation gives.
//
// An env that does not give an input the set reads and an application must give
// ([Compiled.Missing]) is refused with a *[MissingInputError]. A fact or rule that fails
// while it runs makes Eval return a *[RuntimeError]; so does, with
// its Field set, an env whose lists or strings are longer than [Limits.MaxInputListLen] or
// MaxInputStringLen, when the set runs on expr's VM, whose loops could multiply their
// length. In all these cases r is incomplete and must not be read as a decision.
//
// Eval reads env and writes only r: it is safe for concurrent use with distinct Results.
//
// Expressions run as Go closures compiled from expr's checked AST where they can (and then
// Eval allocates nothing), on expr's VM otherwise. A failure is always reported by the VM,
// so both paths give the same *RuntimeError.
func (c *Compiled) Eval(env *Env, r *Result) error {
	if m := c.needs &^ env.given; m != 0 {
		r.last = nil
		return &MissingInputError{Set: c.set.ID, Inputs: m.names()}
	}
	if r.self != r { // a copy of a Result (or a new one): the storage is the original's
		*r = Result{frame: frame{env: r.frame.env}, self: r}
	}
	changed := allInputs
	if r.last == c && !c.needVM && !r.whole {
		changed = env.vals.syncTo(&r.frame.env, &r.lists, r.listsKept)
		r.listsKept = true
	} else {
		r.frame.env = env.vals
		r.listsKept = false // a whole evaluation does not spend time on copies
	}
	r.whole = false
	// r keeps the values of each set of the [Program] apart: in a set's own storage each fact
	// keeps its kind, and the facts computed at compile time their values, so that only
	// what the application changes is written.
	for len(r.sets) <= c.index {
		r.sets = append(r.sets, setValues{})
	}
	sv := &r.sets[c.index]
	if sv.owner != c {
		*sv = setValues{owner: c, facts: make([]Value, len(c.facts)), passed: make([]bool, len(c.rules))}
		for _, k := range c.plan.consts {
			sv.facts[k.index] = k.value
		}
		changed = allInputs
	}
	r.frame.facts, r.Passed = sv.facts, sv.passed
	r.last = nil
	if !c.needVM && c.evalFast(r, changed) {
		r.last = c
		return nil
	}
	// The VM writes every value whole: after it the storage is ready again, and after a
	// failure it is set up anew next time.
	sv.owner = nil
	if err := c.evalVM(r, !c.needVM); err != nil {
		return err
	}
	sv.owner, r.last = c, c
	return nil
}

// evalVM evaluates the set with expr's VM and its map env: every expression when vmOnly,
// else those the fast path does not compile.
func (c *Compiled) evalVM(r *Result, vmOnly bool) error {
	f := &r.frame
	if err := c.checkInput(f); err != nil {
		return err
	}
	f.facts = resize(f.facts, len(c.facts))
	r.Passed = resize(r.Passed, len(c.rules))
	m := c.vmEnv(&f.env)
	var machine vm.VM
	machine.MemoryBudget = uint(c.cfg.limits.MaxMemory)
	for _, i := range c.order {
		e := &c.facts[i]
		if !vmOnly && e.fast.Kind != 0 {
			if v, ok := e.runFast(f); ok {
				f.facts[i] = v
				m[e.fact] = v.exprAny()
				continue
			}
		}
		out, err := machine.Run(e.prog, m)
		if err != nil {
			return c.runtimeError(e, err)
		}
		v, err := resultValue(e.kind, out)
		if err != nil {
			return c.runtimeError(e, err)
		}
		f.facts[i] = v
		m[e.fact] = v.exprAny()
	}
	for i := range c.rules {
		e := &c.rules[i]
		if !vmOnly && e.fast.Kind != 0 {
			if v, ok := e.runFast(f); ok {
				r.Passed[i] = v.Bool()
				continue
			}
		}
		out, err := machine.Run(e.prog, m)
		if err != nil {
			return c.runtimeError(e, err)
		}
		b, ok := out.(bool)
		if !ok {
			return c.runtimeError(e, fmt.Errorf("rule gave %T, not bool", out))
		}
		r.Passed[i] = b
	}
	out, err := machine.Run(c.takes.prog, m)
	if err != nil {
		return c.runtimeError(&c.takes, err)
	}
	d, ok := asInt(out)
	if !ok || !Date(d).Valid() {
		return c.runtimeError(&c.takes, fmt.Errorf("takes_effect gave %v, which is not a day of the calendar", out))
	}
	r.TakesEffect = Date(d)
	r.EffectiveUntil = 0
	if c.until.prog != nil {
		out, err := machine.Run(c.until.prog, m)
		if err != nil {
			return c.runtimeError(&c.until, err)
		}
		d, ok := asInt(out)
		if !ok || d != 0 && !Date(d).Valid() {
			return c.runtimeError(&c.until, fmt.Errorf("effective_until gave %v, which is neither 0 nor a day of the calendar", out))
		}
		r.EffectiveUntil = Date(d)
	}
	return nil
}

// vmEnv is the environment expr's VM reads.
func (c *Compiled) vmEnv(env *envValues) map[string]any {
	m := make(map[string]any, 5+len(c.facts))
	env.vmObjects(m)
	m["params"] = c.params
	return m
}

func (c *Compiled) runtimeError(e *expression, err error) error {
	re := &RuntimeError{Set: c.set.ID, Rule: e.rule, Fact: e.fact, Field: e.at, Message: err.Error(), Err: err, Line: 1, Column: 1}
	var fe *file.Error
	if errors.As(err, &fe) {
		re.Message = fe.Message
		if fe.Line > 0 {
			re.Line, re.Column = fe.Line, fe.Column+1
		}
	}
	return re
}

// resultValue converts what an expression gave into a Value of the expected kind.
func resultValue(k Kind, v any) (Value, error) {
	switch k {
	case Bool:
		if b, ok := v.(bool); ok {
			return boolValue(b), nil
		}
	case Int:
		if n, ok := asInt(v); ok {
			return intValue(n), nil
		}
	case Float:
		switch f := v.(type) {
		case float64:
			return floatValue(f), nil
		case float32:
			return floatValue(float64(f)), nil
		}
	case String:
		if r := reflect.ValueOf(v); r.Kind() == reflect.String {
			return stringValue(r.String()), nil
		}
	case Strings:
		switch l := v.(type) {
		case []string:
			return stringsValue(l), nil
		case []any:
			out := make([]string, len(l))
			for i, x := range l {
				s, ok := x.(string)
				if !ok {
					return Value{}, fmt.Errorf("list holds %T, not string", x)
				}
				out[i] = s
			}
			return stringsValue(out), nil
		}
	case DateKind:
		if n, ok := asInt(v); ok {
			return dateValue(Date(n)), nil
		}
	case MonthDayKind:
		if n, ok := asInt(v); ok {
			return monthDayValue(MonthDay(n)), nil
		}
	}
	return Value{}, fmt.Errorf("gave %v (%T), not a %s", v, v, k)
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
