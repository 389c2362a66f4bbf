package rules

import (
	"math"

	"github.com/emkhana/emkhana/rules/internal/fast"
	"github.com/expr-lang/expr/ast"
)

// frame is what the fast path reads while it evaluates one set for one application: a
// copy of the env's values and the facts computed so far. It lives in the caller's [Result],
// so that evaluating allocates nothing, and [Result.Fact] reads the values the evaluation saw.
type frame struct {
	env   envValues
	facts []Value
}

// fastExpr is an expression compiled to Go closures; the zero fastExpr means the
// expression runs on expr's VM.
type fastExpr = fast.Expr[frame]

// fastFuncs are the functions of funcs.go as the fast path calls them; a config adds
// string + bounded by its [Limits.MaxStringLen].
var fastFuncs = map[string]any{
	"hasAnyPrefix":  hasAnyPrefix,
	"adminUnit":     adminUnit,
	"inUnit":        inUnit,
	"addMonths":     addMonths,
	"startOfPeriod": startOfPeriod,
	"nextMonthDay":  nextMonthDay,
	concatName:      concatWithin(maxStringLen),
}

// concatWithin returns string + as compileExpr bounds it to max bytes; on failure the VM
// reports why.
func concatWithin(max int) func(a, b string) (string, error) {
	return func(a, b string) (string, error) {
		if len(a)+len(b) > max {
			return "", errArgs
		}
		return a + b, nil
	}
}

// compileFast compiles every expression of the set to Go closures where it can. An
// expression it cannot compile keeps running on expr's VM, and the set then builds the
// VM's map env for each evaluation.
//
// A fact whose closures cannot fail is deferred: the expressions that read it run its
// closures in place of reading its value, so that an evaluation computes it only when a
// rule needs it (after && and || have had their say, as hand-written Go would), and
// [Result.Fact] computes it for the trace. These are computed by every evaluation instead:
// a fact that may fail, so that a failure is reported whatever the other facts are; one
// that reads a list input (sliceInputs), whose elements the caller may change after the
// evaluation; one that costs more than inlineCost and is read more than once, so that it
// is computed once.
func (c *Compiled) compileFast() {
	facts := map[string]factSlot{}
	for i, f := range c.set.Facts {
		if c.facts[i].prog != nil {
			facts[f.Name] = factSlot{index: i, kind: c.facts[i].kind}
		}
	}
	uses := c.factUses()
	cost := make([]int, len(c.facts))
	r := newResolver(c.params, facts)
	r.Funcs = c.cfg.funcs
	c.needVM = false
	compile := func(e *expression) {
		e.fast, e.constant, e.deferred = fastExpr{}, nil, false
		if e.prog == nil {
			c.needVM = true
			return
		}
		fe, err := fast.Compile(e.prog.Node(), r)
		if err != nil || !fastKindMatches(fe.Kind, e.kind) {
			c.needVM = true
			return
		}
		e.fast = fe
	}
	for _, i := range c.order {
		e := &c.facts[i]
		compile(e)
		if e.fast.Kind == 0 {
			continue
		}
		if e.fast.Const {
			// A fact of parameters only is computed now, once, and the expressions that
			// read it see a constant they can fold.
			if v, ok := e.runFast(nil); ok {
				e.constant = &v
				facts[e.fact] = factSlot{index: i, kind: e.kind, constant: v.exprAny()}
				continue
			}
		}
		cost[i] = c.cost(e, cost, facts)
		if !e.fast.Fails && e.reads&sliceInputs == 0 && (uses[i] <= 1 || cost[i] <= inlineCost) {
			e.deferred = true
			facts[e.fact] = factSlot{index: i, kind: e.kind, inline: fastReader(e.fast)}
		}
	}
	for i := range c.rules {
		compile(&c.rules[i])
	}
	compile(&c.takes)
	if c.until.prog != nil {
		compile(&c.until)
	}
	c.plan = fastPlan{}
	if c.needVM {
		// The VM computes every fact: none is left for [Result.Fact] to compute.
		for i := range c.facts {
			c.facts[i].deferred = false
		}
		return
	}
	// The plan lays out what evalFast runs side by side in memory, in order.
	for _, i := range c.order {
		switch e := &c.facts[i]; {
		case e.constant != nil:
			c.plan.consts = append(c.plan.consts, constFact{i, *e.constant})
		case !e.deferred:
			c.plan.facts = append(c.plan.facts, factStep{index: i, kind: e.kind, reads: e.reads, expr: e.fast})
		}
	}
	for i := range c.rules {
		c.plan.rules = append(c.plan.rules, c.rules[i].fast.Bool)
		c.plan.ruleReads = append(c.plan.ruleReads, c.rules[i].reads)
	}
	c.plan.takes = c.takes.fast.Int
	c.plan.until = c.until.fast.Int // nil when the set has no effective_until
}

// The cost of an expression, in nodes of its checked tree; a call of a function counts
// as callCost nodes, a deferred fact as its own cost. A fact read more than once is
// deferred only up to inlineCost: each expression that reads it repeats that work.
const (
	inlineCost = 32
	callCost   = 8
)

// factUses returns, per fact, how many times the compiled expressions name it.
func (c *Compiled) factUses() []int {
	uses := make([]int, len(c.facts))
	count := func(e *expression) {
		if e.prog != nil {
			eachFact(e.prog.Node(), c.factIndex, func(i int) { uses[i]++ })
		}
	}
	for i := range c.facts {
		count(&c.facts[i])
	}
	for i := range c.rules {
		count(&c.rules[i])
	}
	count(&c.takes)
	count(&c.until)
	return uses
}

// cost returns the cost of e, given the costs of the facts before it.
func (c *Compiled) cost(e *expression, costs []int, facts map[string]factSlot) int {
	n := 0
	ast.Find(e.prog.Node(), func(node ast.Node) bool {
		n++
		switch node := node.(type) {
		case *ast.CallNode:
			n += callCost - 1
		case *ast.IdentifierNode:
			if f, ok := facts[node.Value]; ok && f.inline != nil {
				n += costs[f.index] - 1
			}
		}
		return false
	})
	return n
}

// fastReader returns the reader of a compiled expression's kind.
func fastReader(e fastExpr) any {
	if e.Field.Kind != fast.Invalid {
		return e.Field
	}
	switch e.Kind {
	case fast.Bool:
		return e.Bool
	case fast.Int:
		return e.Int
	case fast.Float:
		return e.Float
	case fast.String:
		return e.String
	}
	return e.Strings
}

// fastPlan is what evalFast runs, in order: facts, rules, takes_effect.
type fastPlan struct {
	consts []constFact         // facts computed at compile time
	facts  []factStep          // the other facts, each after those it reads
	rules  []func(*frame) bool // in the set's order
	takes  func(*frame) int    // takes_effect
	until  func(*frame) int    // effective_until; nil when the set has none
	// ruleReads are the fields of Env each rule reads, directly or through facts.
	ruleReads []inputSet
}

// constFact is a fact computed at compile time.
type constFact struct {
	index int
	value Value
}

// factStep computes one fact into its place.
type factStep struct {
	index int
	kind  Kind
	reads inputSet // the inputs the fact reads, directly or through facts
	expr  fastExpr
}

// fill runs the step's expression and writes its result into v, a zero Value or one of
// the same kind, writing only the fields of its kind: a Value's other fields hold
// pointers, and not writing them spares the write barrier. It calls the typed closure
// itself, with no closure in between, and a Value passed to one would escape to the heap.
func (step *factStep) fill(f *frame, v *Value) {
	switch v.kind = step.kind; step.kind {
	case Bool:
		v.n = 0
		if step.expr.Bool(f) {
			v.n = 1
		}
	case Int, DateKind, MonthDayKind:
		v.n = int64(step.expr.Int(f))
	case String:
		v.s = step.expr.String(f)
	case Strings:
		v.l = step.expr.Strings(f)
	case Float:
		v.n = int64(math.Float64bits(step.expr.Float(f)))
	}
}

// factSlot is where a fact's value is in a frame, and its kind.
type factSlot struct {
	index    int
	kind     Kind
	constant any // the value of a fact computed at compile time, as expressions read it; nil when none
	inline   any // the reader of a deferred fact, run in place of reading its value; nil when none
}

// newResolver tells the fast compiler the names an expression may use: facts, read from
// the frame; params, constants of the set; the fields of Env; the functions of funcs.go.
func newResolver(params map[string]any, facts map[string]factSlot) *fast.Resolver[frame] {
	return &fast.Resolver[frame]{
		Ident: func(name string) (any, bool) {
			f, ok := facts[name]
			if !ok {
				return nil, false
			}
			if f.constant != nil {
				return f.constant, true
			}
			if f.inline != nil {
				return f.inline, true
			}
			return factReader(f.index, f.kind)
		},
		Member: func(obj, field string) (any, bool) {
			if obj == "params" {
				v, ok := params[field]
				return v, ok
			}
			return reader(obj + "." + field)
		},
		Funcs: fastFuncs,
	}
}

func fastKindMatches(k fast.Kind, want Kind) bool {
	switch want {
	case Bool:
		return k == fast.Bool
	case Int, DateKind, MonthDayKind:
		return k == fast.Int
	case Float:
		return k == fast.Float
	case String:
		return k == fast.String
	case Strings:
		return k == fast.Strings
	}
	return false
}

// factReader returns the reader of fact i, of kind k, as an expression sees it.
func factReader(i int, k Kind) (any, bool) {
	switch k {
	case Bool:
		return func(f *frame) bool { return f.facts[i].n != 0 }, true
	case Int, DateKind, MonthDayKind:
		return func(f *frame) int { return int(f.facts[i].n) }, true
	case Float:
		return func(f *frame) float64 { return f.facts[i].Float() }, true
	case String:
		return func(f *frame) string { return f.facts[i].s }, true
	case Strings:
		return func(f *frame) []string { return f.facts[i].Strings() }, true
	}
	return nil, false
}

// value runs a compiled expression and returns its result as a Value of its kind. It
// calls the typed closure itself: a Value passed to fill would escape to the heap.
func (e *expression) value(f *frame) Value {
	switch e.kind {
	case Bool:
		return boolValue(e.fast.Bool(f))
	case Int:
		return intValue(e.fast.Int(f))
	case DateKind:
		return dateValue(Date(e.fast.Int(f)))
	case MonthDayKind:
		return monthDayValue(MonthDay(e.fast.Int(f)))
	case Float:
		return floatValue(e.fast.Float(f))
	case String:
		return stringValue(e.fast.String(f))
	case Strings:
		return stringsValue(e.fast.Strings(f))
	}
	return Value{}
}

// evalFast evaluates the set with the compiled closures only: everything when changed is
// allInputs, else only the facts, rules and takes_effect that read a changed input (r
// holding a successful evaluation of the set for the rest). r's frame holds the values. It reports false when an
// expression failed (or takes_effect is not a day): the caller then evaluates again on
// expr's VM, which reports the failure with its message and position. A panic that is not
// a failure of the closures (fast.IsFailure) is a bug and goes on to the caller.
func (c *Compiled) evalFast(r *Result, changed inputSet) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if !fast.IsFailure(p) {
				panic(p) // a bug, not a failure of the expression: never hide it behind the VM
			}
			ok = false
		}
	}()
	all := changed == allInputs
	f := &r.frame
	for i := range c.plan.facts {
		if step := &c.plan.facts[i]; all || step.reads&changed != 0 {
			step.fill(f, &f.facts[step.index])
		}
	}
	passed := r.Passed[:len(c.plan.rules)]
	for i, rule := range c.plan.rules {
		if all || c.plan.ruleReads[i]&changed != 0 {
			passed[i] = rule(f)
		}
	}
	if all || c.takes.reads&changed != 0 {
		d := Date(c.plan.takes(f))
		if !d.Valid() {
			return false
		}
		r.TakesEffect = d
	}
	if c.plan.until == nil {
		r.EffectiveUntil = 0
	} else if all || c.until.reads&changed != 0 {
		d := Date(c.plan.until(f))
		if d != 0 && !d.Valid() {
			return false
		}
		r.EffectiveUntil = d
	}
	return true
}

// runFast runs one compiled expression inside an evaluation on the VM; false when it
// failed, and the VM must run it to report why.
func (e *expression) runFast(f *frame) (v Value, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if !fast.IsFailure(p) {
				panic(p)
			}
			v, ok = Value{}, false
		}
	}()
	return e.value(f), true
}
