package rules

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// The cost of an expression is an upper bound, known when the set is compiled, of the
// work one evaluation of it does, as cel-go's checker estimates it (checker/cost.go). One
// unit is about one step of expr's VM, at most about 10 ns: a literal, an operator, one
// iteration of a loop builtin. Reading a field of the application costs costEnv; a string
// operation a unit more per costScan bytes it compares or searches, per costRead bytes it
// reads rune by rune, and per costWrite bytes it writes; building a list or map costs
// costAlloc (costMap) and costElem per element (costReflect where expr copies it element
// by element with reflection); a loop builtin (all, filter, map, count, ...) costs its
// body once per element of the longest list it can range over. The weights come from
// timing each construct on expr's VM (TestCostMatchesTime).
// A deferred fact costs what computing it costs, where it is read; another fact costs 1
// to read, and its own cost once per evaluation.
//
// Sizes come from what the set says: a literal, a parameter's value, a range whose ends
// are numbers or parameters. Lists and strings of the application are bounded by
// [Limits.MaxInputListLen] and [Limits.MaxInputStringLen], which Eval checks before an
// expression that depends on them runs on expr's VM. Where no bound is known the cost
// is unbounded, and the expression is refused.
//
// The estimate is the only bound on the number of steps: expr's VM (v1.17.8) has no hook
// to stop a run after so many steps (its MemoryBudget counts the lists it builds, not
// the steps), and the fast path, which has no loops, takes time linear in its expression
// and the Env. A builtin the estimate does not know has no bound, and is refused.

const (
	costScan    = 64             // a string operation costs a unit per costScan bytes it compares,
	costRead    = 10             // per costRead bytes it reads rune by rune
	costWrite   = 2              // and per costWrite bytes it writes
	costFetch   = 3              // a parameter, an element, an index, a builtin's call
	costEnv     = 8              // a field of the application (expr's VM reads it with reflection)
	costAlloc   = 10             // a list or string built
	costMap     = 30             // a map built
	costElem    = 4              // each element of a list or map built
	costReflect = 12             // each element of a list expr copies with reflection (concat, reverse, ...)
	costCall    = 16             // a call of addMonths, startOfPeriod or nextMonthDay
	costRegexp  = 1              // matches costs a unit per costRegexp (byte, instruction) pairs
	unbounded   = math.MaxUint64 // a cost or size with no bound
	maxRuneSize = 4              // bytes in one rune: what indexing a string gives
)

// size bounds a value: the bytes of a string, the elements of a list or the entries of a
// map, with the size of each element (of each value of a map) and of each key of a map.
// A nil *size is a value of no size (a number, a bool); unknownSize is a value of unknown
// size.
type size struct {
	n         uint64
	elem, key *size
}

var unknownSize = &size{n: unbounded, elem: nil}

func (s *size) len() uint64 {
	if s == nil {
		return 0
	}
	return s.n
}

// elemOf returns the size of the elements of a list or values of a map of size s.
func elemOf(s *size) *size {
	if s == nil || s.n == unbounded && s.elem == nil {
		return unknownSize
	}
	return s.elem
}

// maxSize returns a size that bounds both a and b.
func maxSize(a, b *size) *size {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a == unknownSize || b == unknownSize:
		return unknownSize
	}
	return &size{n: max(a.n, b.n), elem: maxSize(a.elem, b.elem), key: maxSize(a.key, b.key)}
}

func add(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return unbounded
	}
	return s
}

func mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return unbounded
	}
	return lo
}

// strCost is the cost of reading n bytes of a string rune by rune.
func strCost(n uint64) uint64 {
	if n == unbounded {
		return unbounded
	}
	return n/costRead + 1
}

// scanCost is the cost of comparing, searching or hashing n bytes of a string.
func scanCost(n uint64) uint64 {
	if n == unbounded {
		return unbounded
	}
	return n/costScan + 1
}

// build is the cost of building a list or map of n elements, each costing per.
func build(n, per uint64) uint64 { return add(costAlloc, mul(n, per)) }

// buildStr is the cost of building a string of n bytes.
func buildStr(n uint64) uint64 {
	if n == unbounded {
		return unbounded
	}
	return costAlloc + n/costWrite
}

// log2 returns the number of halvings of n: what sorting costs per element.
func log2(n uint64) uint64 { return uint64(bits.Len64(n)) + 1 }

// factCost is what the estimate knows of a fact that compiled: its cost and the size of
// its value.
type factCost struct {
	cost uint64
	size *size
}

// estimator estimates the cost of the expressions of one set.
type estimator struct {
	limits *Limits
	params map[string]any
	facts  map[string]factCost

	limit uint64     // the cost over which a node is remembered as worst
	vars  []scopeVar // the let variables in scope, innermost last
	loops []*size    // the collections of the enclosing loop builtins, innermost last
	worst ast.Node   // the first node, in the order costs are computed, whose cost is over limit
	why   string     // why worst has no bound, when it has none
}

type scopeVar struct {
	name string
	size *size
}

// estimate returns the worst-case cost of the checked tree of an expression and the size
// of its value. When the cost is over [Limits.MaxCost] it also returns the *file.Error
// placing the smallest part of the expression already over the limit.
func (e *estimator) estimate(node ast.Node, src string) (uint64, *size, *file.Error) {
	cost, sz, at := e.walk(node, uint64(e.limits.MaxCost))
	if cost <= e.limit {
		return cost, sz, nil
	}
	var msg string
	if cost == unbounded {
		msg = "the worst-case cost of this expression has no bound"
		if e.why != "" {
			msg += ": " + e.why
		}
	} else {
		msg = fmt.Sprintf("the worst-case cost of this expression is %d, above the limit of %d (Limits.MaxCost)", cost, e.limit)
	}
	return cost, sz, placed(at, src, msg)
}

// walk estimates node, and returns the first node, in the order costs are computed, whose
// cost is over limit: the smallest part of node already over it (node itself when none
// is).
func (e *estimator) walk(node ast.Node, limit uint64) (uint64, *size, ast.Node) {
	e.limit, e.vars, e.loops, e.worst, e.why = limit, nil, nil, nil, ""
	cost, sz := e.node(node)
	if e.worst == nil {
		return cost, sz, node
	}
	return cost, sz, e.worst
}

// placed returns an error with msg at the place of node in src.
func placed(node ast.Node, src, msg string) *file.Error {
	fe := &file.Error{Location: node.Location(), Message: msg}
	return fe.Bind(file.NewSource(src))
}

// node returns the cost and size of node, and remembers it as the worst when it is the
// first found over the limit.
func (e *estimator) node(node ast.Node) (uint64, *size) {
	cost, sz := e.visit(node)
	if cost > e.limit && e.worst == nil {
		e.worst = node
	}
	return cost, sz
}

// noBound returns an unbounded cost, saying why.
func (e *estimator) noBound(why string, args ...any) (uint64, *size) {
	if e.why == "" {
		e.why = fmt.Sprintf(why, args...)
	}
	return unbounded, unknownSize
}

// inputString and inputList are the sizes of the application's strings and lists.
func (e *estimator) inputString() *size { return &size{n: uint64(e.limits.MaxInputStringLen)} }
func (e *estimator) inputList() *size {
	return &size{n: uint64(e.limits.MaxInputListLen), elem: e.inputString()}
}

// estimate sets the worst-case cost of a compiled rule or takes_effect, each fact it
// reads costing 1; it fails when the cost is over the limit.
func (x *expression) estimate(est *estimator) error {
	own, _, ferr := est.estimate(x.prog.Node(), x.src)
	if ferr != nil {
		x.prog = nil
		return ferr
	}
	x.own = own
	return nil
}

// estimateDeferred sets the worst-case cost of every expression of a set compileFast has
// compiled: a deferred fact costs what computing it costs, where it is read; another fact,
// computed once per evaluation, costs 1 to read. It reports each expression then over the
// limit, and, when there is none, a set whose expressions together are over it: an
// evaluation may compute every fact, rule and takes_effect once (expr's VM computes every
// fact; the fast path computes the others in place of reading them).
func (c *Compiled) estimateDeferred(est *estimator) Errors {
	var errs Errors
	var total uint64
	var costliest *expression
	check := func(x *expression) {
		worst, _, ferr := est.estimate(x.prog.Node(), x.src)
		if ferr != nil {
			errs = append(errs, exprError(c.set.ID, x.rule, x.fact, x.field(), x.src, ferr))
		}
		x.worst, total = worst, add(total, worst)
		if costliest == nil || worst > costliest.worst {
			costliest = x
		}
	}
	for _, i := range c.order {
		f := &c.facts[i]
		check(f)
		if f.deferred {
			est.facts[f.fact] = factCost{cost: f.worst, size: est.facts[f.fact].size}
		}
	}
	for i := range c.rules {
		check(&c.rules[i])
	}
	check(&c.takes)
	if c.until.prog != nil {
		check(&c.until)
	}
	c.worst = total
	if len(errs) > 0 || total <= uint64(c.cfg.limits.MaxCost) {
		return errs
	}
	// The part of the costliest expression that holds more than half its cost.
	x := costliest
	_, _, at := est.walk(x.prog.Node(), x.worst/2)
	msg := fmt.Sprintf("the worst-case cost of an evaluation of this set is %d, above the limit of %d (Limits.MaxCost): its facts, rules and takes_effect together; this expression costs the most, %d", total, c.cfg.limits.MaxCost, x.worst)
	return Errors{exprError(c.set.ID, x.rule, x.fact, x.field(), x.src, placed(at, x.src, msg))}
}

// field returns the field of the set's JSON the expression is: "expr" of a rule or fact,
// or "takes_effect" or "effective_until".
func (x *expression) field() string {
	if x.at != "" {
		return x.at
	}
	return "expr"
}

// checkInput returns a *[RuntimeError] naming the first list or string of the Env in f
// longer than the limits the cost estimate assumes. Eval calls it before running
// expressions on expr's VM, where loops can multiply the cost of a long input; the fast
// path has no loops, and its cost is linear in the Env's sizes.
func (c *Compiled) checkInput(f *frame) error {
	l := &c.cfg.limits
	over := func(field, msg string, args ...any) error {
		err := fmt.Errorf(msg, args...)
		return &RuntimeError{Set: c.set.ID, Field: field, Message: err.Error(), Err: err}
	}
	for i := range inputs {
		name := inputs[i].Name
		switch v := f.env.value(i); v.Kind() {
		case String:
			if n := len(v.Str()); n > l.MaxInputStringLen {
				return over(name, "is %d bytes; at most %d are allowed (Limits.MaxInputStringLen)", n, l.MaxInputStringLen)
			}
		case Strings:
			list := v.Strings()
			if len(list) > l.MaxInputListLen {
				return over(name, "has %d elements; at most %d are allowed (Limits.MaxInputListLen)", len(list), l.MaxInputListLen)
			}
			for i, s := range list {
				if len(s) > l.MaxInputStringLen {
					return over(fmt.Sprintf("%s[%d]", name, i), "is %d bytes; at most %d are allowed (Limits.MaxInputStringLen)", len(s), l.MaxInputStringLen)
				}
			}
		}
	}
	return nil
}
