package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// Program is a compiled [History]. It never changes after [Compile] returns, so one Program
// may be used by any number of goroutines at once.
type Program struct {
	sets []*Compiled // by EffectiveFrom, ascending
	loc  *time.Location
	cfg  *config // the limits it was compiled with, and what follows from them
}

// Compiled is one compiled rule set.
type Compiled struct {
	set       Set
	facts     []expression // in the set's order
	order     []int        // the order facts are computed in: each after those it reads
	rules     []expression // in the set's order
	ruleFacts [][]int      // per rule: the facts its trace shows, in the set's order
	takes     expression
	until     expression     // effective_until; prog nil when the set has none
	params    map[string]any // for expressions run by expr's VM
	needVM    bool           // some expression runs on expr's VM: Eval builds its map env
	messages  *messages      // the rules' messages, compiled (messages.go)
	index     int            // the set's place in its Program, oldest first
	factIndex map[string]int // the index of each fact in the set's order, by name
	plan      fastPlan       // what the fast path runs; empty when needVM
	digest    string         // "sha256:" and the hex digest of the set's canonical JSON
	reads     inputSet       // the inputs its expressions read
	needs     inputSet       // the inputs it reads that an application must give (not Optional)
	cfg       *config        // the Program's
	worst     uint64         // the worst-case cost of one evaluation (estimateDeferred)
}

// expression is one compiled expression and its result kind.
type expression struct {
	src      string
	prog     *vm.Program
	kind     Kind
	rule     string   // the rule's id, or ""
	fact     string   // the fact's name, or ""
	at       string   // for an expression of the set: "takes_effect" or "effective_until"
	factDep  []int    // facts this expression names, in the set's order
	fast     fastExpr // the expression as Go closures; zero when it runs on the VM
	constant *Value   // the value of a fast expression that reads nothing of the frame
	deferred bool     // a fact computed where it is read, not by every evaluation (compileFast)
	reads    inputSet // the inputs it reads, directly or through facts
	own      uint64   // its worst-case cost (cost.go), reading a fact's value costing 1
	worst    uint64   // own, with the cost of the deferred facts it computes in place
}

var (
	stringsType = reflect.TypeOf([]string(nil))
	intMapType  = reflect.TypeOf(map[string]int(nil))
)

// Compile checks every set of the history and compiles its expressions against Env. It
// reports every problem of every set at once, as [Errors]: each with the set, the rule id
// or fact name, the line and column in the expression, and what was expected. Without
// options it uses the default [Limits]; an option that cannot be applied ([WithLimits] with a
// negative limit, a nil [Option]) makes it return that option's error, not Errors, and
// compile nothing.
func Compile(h History, opts ...Option) (*Program, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	errs := h.check(&cfg.limits)
	var zone string
	for i := range h {
		es := h[i].check(&cfg.limits)
		for _, e := range es {
			h[i].place(e)
		}
		errs = append(errs, es...)
		z := h[i].Zone
		if z == "" {
			z = defaultZone
		}
		if i == 0 {
			zone = z
		} else if z != zone {
			errs = append(errs, h[i].placed(&Error{Set: h[i].ID, Field: "zone", Message: fmt.Sprintf("%q differs from %q: the sets of a history share one zone", z, zone)}))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, Errors{h[0].placed(&Error{Set: h[0].ID, Field: "zone", Message: fmt.Sprintf("unknown time zone %q", zone), Err: err})}
	}
	p := &Program{loc: loc, cfg: cfg}
	for i := range h {
		c, es := compileSet(&h[i], cfg)
		for _, e := range es {
			h[i].place(e)
		}
		errs = append(errs, es...)
		p.sets = append(p.sets, c)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	sort.Slice(p.sets, func(a, b int) bool { return p.sets[a].set.EffectiveFrom < p.sets[b].set.EffectiveFrom })
	for i, c := range p.sets {
		c.index = i
	}
	return p, nil
}

// Location returns the zone whose civil dates the history reads.
func (p *Program) Location() *time.Location { return p.loc }

// At returns the compiled set in force on the local day d, or false when d is before the
// first set of the history.
func (p *Program) At(d Date) (*Compiled, bool) {
	for i := len(p.sets) - 1; i >= 0; i-- {
		if p.sets[i].set.EffectiveFrom <= d {
			return p.sets[i], true
		}
	}
	return nil, false
}

// Sets returns the compiled sets, oldest first.
func (p *Program) Sets() []*Compiled { return append([]*Compiled(nil), p.sets...) }

// ID returns the set's id.
func (c *Compiled) ID() string { return c.set.ID }

// Set returns the set as it was compiled. Its slices are shared: do not modify them.
func (c *Compiled) Set() *Set { return &c.set }

// Digest returns "sha256:" and the hex SHA-256 of the set's canonical JSON form (the form
// [Set.MarshalJSON] writes, after any extension): two sets that differ in anything a
// decision reads, even under one id, have different digests. Decisions report it, for
// audit.
func (c *Compiled) Digest() string { return c.digest }

// RuleFacts returns the indexes in Set().Facts of the facts rule i's trace shows.
func (c *Compiled) RuleFacts(i int) []int { return c.ruleFacts[i] }

// FactKind returns the kind of the named fact's value, or false when the set has no such
// fact.
func (c *Compiled) FactKind(name string) (Kind, bool) {
	i, ok := c.factIndex[name]
	if !ok {
		return Invalid, false
	}
	return c.facts[i].kind, true
}

// FactIndex returns the index in Set().Facts of the named fact, or false when the set has
// no such fact.
func (c *Compiled) FactIndex(name string) (int, bool) {
	i, ok := c.factIndex[name]
	return i, ok
}

func compileSet(s *Set, cfg *config) (*Compiled, Errors) {
	var errs Errors
	c := &Compiled{set: *s, params: map[string]any{}, cfg: cfg}
	maxLen := cfg.limits.MaxExprLen
	if b, err := s.MarshalJSON(); err == nil {
		sum := sha256.Sum256(b)
		c.digest = "sha256:" + hex.EncodeToString(sum[:])
	}
	paramTypes := types.Map{}
	for _, p := range s.Params {
		c.params[p.Name] = p.Value.exprAny()
		paramTypes[p.Name] = types.TypeOf(p.Value.exprAny())
	}
	index := map[string]int{}
	for i, f := range s.Facts {
		index[f.Name] = i
	}
	c.factIndex = index
	// Facts: find what each reads, order them, then compile each against the facts before it.
	c.facts = make([]expression, len(s.Facts))
	for i, f := range s.Facts {
		c.facts[i] = expression{src: f.Expr, fact: f.Name}
		if strings.TrimSpace(f.Expr) == "" {
			errs = append(errs, &Error{Set: s.ID, Fact: f.Name, Field: "expr", Message: "must not be empty"})
			continue
		}
		deps, err := names(f.Expr, index, maxLen)
		if err != nil {
			errs = append(errs, exprError(s.ID, "", f.Name, "expr", f.Expr, err))
			continue
		}
		c.facts[i].factDep = deps
	}
	order, cyc := topoOrder(c.facts, s.Facts)
	for _, e := range cyc {
		e.Set = s.ID
	}
	errs = append(errs, cyc...)
	c.order = order
	est := &estimator{limits: &cfg.limits, params: c.params, facts: map[string]factCost{}}
	env := exprEnv()
	env["params"] = paramTypes
	ok := make([]bool, len(s.Facts))
	for _, i := range order {
		e := &c.facts[i]
		if e.factDep == nil { // empty or unparsable: reported above
			continue
		}
		broken := ""
		for _, d := range e.factDep {
			if !ok[d] {
				broken = s.Facts[d].Name
			}
		}
		if broken != "" {
			errs = append(errs, &Error{Set: s.ID, Fact: e.fact, Field: "expr", Message: fmt.Sprintf("reads fact %s, which does not compile", broken)})
			continue
		}
		prog, err := cfg.compileExpr(e.src, env)
		if err != nil {
			errs = append(errs, exprError(s.ID, "", e.fact, "expr", e.src, err))
			continue
		}
		kind, t := kindOf(prog)
		declared := s.Facts[i].Type
		switch {
		case kind == Invalid || kind == IntMap:
			errs = append(errs, &Error{Set: s.ID, Fact: e.fact, Field: "expr", Line: 1, Column: 1,
				Message: fmt.Sprintf("has type %s; a fact must be bool, int, float, string or []string", typeName(t))})
			continue
		case (declared == DateKind || declared == MonthDayKind) && kind == Int:
			kind = declared
		case declared != Invalid && declared != kind:
			errs = append(errs, &Error{Set: s.ID, Fact: e.fact, Field: "type", Message: fmt.Sprintf("is %s, but the expression gives %s", declared, typeName(t))})
			continue
		}
		worst, sz, ferr := est.estimate(prog.Node(), e.src)
		if ferr != nil {
			errs = append(errs, exprError(s.ID, "", e.fact, "expr", e.src, ferr))
			continue
		}
		est.facts[e.fact] = factCost{cost: 1, size: sz}
		e.prog, e.kind, e.own = prog, kind, worst
		env[e.fact] = reflect.Zero(t).Interface()
		ok[i] = true
	}
	// Rules: bool expressions over the application, the parameters and the facts.
	c.rules = make([]expression, len(s.Rules))
	c.ruleFacts = make([][]int, len(s.Rules))
	for i, r := range s.Rules {
		e := &c.rules[i]
		*e = expression{src: r.Expr, rule: r.ID, kind: Bool}
		if strings.TrimSpace(r.Expr) == "" {
			errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: "expr", Message: "must not be empty"})
			continue
		}
		deps, err := names(r.Expr, index, maxLen)
		if err == nil {
			err = brokenDeps(deps, ok, s.Facts)
		}
		if err == nil {
			e.prog, err = cfg.compileExpr(r.Expr, env, expr.AsBool())
		}
		if err == nil {
			err = e.estimate(est)
		}
		if err != nil {
			errs = append(errs, exprError(s.ID, r.ID, "", "expr", r.Expr, err))
			continue
		}
		e.factDep = deps
		shown := map[int]bool{}
		for _, d := range deps {
			shown[d] = true
		}
		for _, name := range r.Facts {
			if j, found := index[name]; found {
				shown[j] = true
			}
		}
		for j := range s.Facts {
			if shown[j] {
				c.ruleFacts[i] = append(c.ruleFacts[i], j)
			}
		}
	}
	// The day an approval takes effect, and the day it ends by itself (optional).
	c.takes = expression{src: s.TakesEffect, kind: DateKind, at: "takes_effect"}
	c.until = expression{src: s.EffectiveUntil, kind: DateKind, at: "effective_until"}
	if strings.TrimSpace(s.TakesEffect) == "" {
		errs = append(errs, &Error{Set: s.ID, Field: "takes_effect", Message: "must be an expression of type Date, such as application.date"})
	}
	for _, x := range []*expression{&c.takes, &c.until} {
		if strings.TrimSpace(x.src) == "" {
			continue
		}
		deps, err := names(x.src, index, maxLen)
		if err == nil {
			err = brokenDeps(deps, ok, s.Facts)
		}
		if err == nil {
			x.prog, err = cfg.compileExpr(x.src, env)
		}
		if err == nil {
			err = x.estimate(est)
		}
		if err != nil {
			errs = append(errs, exprError(s.ID, "", "", x.at, x.src, err))
		} else if k, t := kindOf(x.prog); k != Int {
			errs = append(errs, &Error{Set: s.ID, Field: x.at, Line: 1, Column: 1, Message: fmt.Sprintf("has type %s; want a date, an int YYYYMMDD", typeName(t))})
		}
		x.factDep = deps
	}
	if len(errs) == 0 {
		c.computeReads()
		c.compileFast()
		errs = append(errs, c.estimateDeferred(est)...)
	}
	msgs, merrs := compileMessages(c)
	c.messages = msgs
	errs = append(errs, merrs...)
	return c, errs
}

func brokenDeps(deps []int, ok []bool, facts []Fact) error {
	for _, d := range deps {
		if !ok[d] {
			return fmt.Errorf("reads fact %s, which does not compile", facts[d].Name)
		}
	}
	return nil
}

// compileSafe runs expr.Compile and turns a panic inside expr into an error, so that no
// rule set, however broken, can crash the caller.
func compileSafe(src string, opts []expr.Option) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("expression cannot be compiled: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

// names returns the facts an expression names, in the set's order; it fails on a syntax error.
func names(src string, index map[string]int, maxLen int) ([]int, error) {
	if len(src) > maxLen {
		return nil, fmt.Errorf("expression is %d bytes; at most %d are allowed", len(src), maxLen)
	}
	tree, err := parseSafe(src)
	if err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	eachFact(tree.Node, index, func(i int) { seen[i] = true })
	deps := []int{}
	for i := range len(index) {
		if seen[i] {
			deps = append(deps, i)
		}
	}
	return deps, nil
}

// eachFact calls fn with the index of each fact that node names, once per time it is named.
func eachFact(node ast.Node, index map[string]int, fn func(i int)) {
	ast.Find(node, func(n ast.Node) bool {
		if id, ok := n.(*ast.IdentifierNode); ok {
			if i, ok := index[id.Value]; ok {
				fn(i)
			}
		}
		return false
	})
}

func parseSafe(src string) (tree *parser.Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, fmt.Errorf("expression cannot be parsed: %v", r)
		}
	}()
	return parser.ParseWithConfig(src, nil)
}

// topoOrder orders facts so that each comes after those it reads, reporting cycles.
func topoOrder(exprs []expression, facts []Fact) ([]int, Errors) {
	var errs Errors
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(exprs))
	var order []int
	var stack []int
	var visit func(i int) bool
	visit = func(i int) bool {
		switch color[i] {
		case grey:
			var path []string
			start := 0
			for k, j := range stack {
				if j == i {
					start = k
				}
			}
			for _, j := range stack[start:] {
				path = append(path, facts[j].Name)
			}
			path = append(path, facts[i].Name)
			errs = append(errs, &Error{Fact: facts[i].Name, Field: "expr", Message: "facts read each other in a cycle: " + strings.Join(path, " -> ")})
			return false
		case black:
			return true
		}
		color[i] = grey
		stack = append(stack, i)
		good := true
		for _, d := range exprs[i].factDep {
			if !visit(d) {
				good = false
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		if good {
			order = append(order, i)
		}
		return good
	}
	for i := range exprs {
		if color[i] == white {
			visit(i)
		}
	}
	return order, errs
}

// kindOf returns the kind of a compiled expression's result.
func kindOf(prog *vm.Program) (Kind, reflect.Type) {
	t := prog.Node().Type()
	if t == nil {
		return Invalid, nil
	}
	switch t {
	case stringsType:
		return Strings, t
	case intMapType:
		return IntMap, t
	}
	switch t.Kind() {
	case reflect.Bool:
		return Bool, t
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int, t
	case reflect.Float32, reflect.Float64:
		return Float, t
	case reflect.String:
		return String, t
	}
	return Invalid, t
}

func typeName(t reflect.Type) string {
	if t == nil || t.Kind() == reflect.Interface {
		return "unknown (any)"
	}
	return t.String()
}

// exprError turns an error of expr into a positioned *Error. A problem of the whole
// expression (its type, its size) is placed at line 1, column 1.
func exprError(set, rule, fact, field, src string, err error) *Error {
	e := &Error{Set: set, Rule: rule, Fact: fact, Field: field, Message: err.Error(), Err: err, Line: 1, Column: 1}
	var fe *file.Error
	if errors.As(err, &fe) && fe.Line > 0 {
		e.Message = unknownMember(fe.Message, src, fe.Line, fe.Column)
		e.Line, e.Column = fe.Line, fe.Column+1
		e.Snippet = fe.Snippet
		return e
	}
	if errors.As(err, &fe) {
		e.Message = fe.Message
	}
	line, _, _ := strings.Cut(src, "\n")
	if len(line) > 80 {
		line = line[:80] + "..."
	}
	e.Snippet = "\n | " + line + "\n | ^"
	return e
}
