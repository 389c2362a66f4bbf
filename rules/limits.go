package rules

import (
	"fmt"
	"maps"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// The default limits. [Compile] uses them for every field of [Limits] left 0, or when it
// is given no [WithLimits]; the fields of Limits say what each bounds.
const (
	maxSets      = 32   // Limits.MaxSets
	maxRules     = 64   // Limits.MaxRules
	maxFacts     = 64   // Limits.MaxFacts
	maxParams    = 64   // Limits.MaxParams
	maxExprLen   = 4096 // Limits.MaxExprLen
	maxExprNodes = 500  // Limits.MaxExprNodes
	maxMemory    = 1e4  // Limits.MaxMemory
	maxStringLen = 4096 // Limits.MaxStringLen

	maxCost           = 500_000 // Limits.MaxCost
	maxInputListLen   = 1000    // Limits.MaxInputListLen
	maxInputStringLen = 256     // Limits.MaxInputStringLen

	maxNameLength = 64 // bytes in a set id, rule id, fact or parameter name (not a limit one sets)
)

// Limits bound what a rule history can make compiling it or deciding with it cost, so that
// no history, however written, can stall a caller or exhaust its memory. [Compile] refuses a
// history over a limit with an *Error naming what is over and by how much. A field left 0
// takes its default, which its comment gives, or what an earlier [WithLimits] set; a
// negative field is an error. Set what you
// need:
//
//	p, err := rules.Compile(h, rules.WithLimits(rules.Limits{MaxRules: 100}))
//
// [Program.Limits] returns the limits a program was compiled with, defaults included.
type Limits struct {
	// MaxSets is the most sets in one history (default 32).
	MaxSets int
	// MaxRules is the most rules in one set (default 64).
	MaxRules int
	// MaxFacts is the most facts in one set (default 64).
	MaxFacts int
	// MaxParams is the most parameters in one set (default 64).
	MaxParams int
	// MaxExprLen is the most bytes in one expression (default 4096).
	MaxExprLen int
	// MaxExprNodes is the most nodes in one expression's syntax tree, as expr.MaxNodes
	// counts them (default 500).
	MaxExprNodes int
	// MaxMemory is the memory budget of one run of an expression on expr's VM, in
	// vm.MemoryBudget units (default 10,000; with MaxStringLen, at most about
	// 40 MB). A run over it fails with a *[RuntimeError].
	MaxMemory int
	// MaxStringLen is the most bytes in a string an expression builds with + (default
	// 4096). A + over it fails with a *[RuntimeError].
	MaxStringLen int
	// MaxCost is the most one evaluation of a set (one decision) may cost in the worst
	// case, as [Compile] estimates it: every fact, rule and takes_effect together (default
	// 500,000: about 5 ms on expr's VM, much less where the set runs as Go
	// closures). A unit is about one step of expr's VM; a loop builtin (all, filter, map,
	// ...) costs its body once per element of the longest list it can range over: a list
	// literal, a parameter, a range whose ends are numbers or parameters, a list of the
	// application (MaxInputListLen). An expression over the limit, or whose cost has no
	// bound (a loop over a list of unknown length, matches with a pattern that is not a
	// literal), is refused with an *Error placing the smallest part of it over the limit;
	// a set whose expressions are over it together, with one placed in its costliest
	// expression.
	MaxCost int
	// MaxInputListLen is the most elements in a list of the application, as the cost
	// estimate assumes: clinic.service_area (default 1000). Eval refuses
	// an Env with a longer list (a *[RuntimeError] naming the field) before it runs an
	// expression on expr's VM; a caller should refuse it before.
	MaxInputListLen int
	// MaxInputStringLen is the most bytes in a string of the application, as the cost
	// estimate assumes: an id, a code, an element of clinic.service_area (default
	// 256). Eval refuses an Env with a longer string as it does a
	// longer list.
	MaxInputStringLen int
}

// defaultLimits returns the limits [Compile] uses when it is given no [WithLimits] option.
func defaultLimits() Limits {
	return Limits{
		MaxSets:      maxSets,
		MaxRules:     maxRules,
		MaxFacts:     maxFacts,
		MaxParams:    maxParams,
		MaxExprLen:   maxExprLen,
		MaxExprNodes: maxExprNodes,
		MaxMemory:    maxMemory,
		MaxStringLen: maxStringLen,

		MaxCost:           maxCost,
		MaxInputListLen:   maxInputListLen,
		MaxInputStringLen: maxInputStringLen,
	}
}

// fields returns the limits by name, in the order of the struct, each with a pointer to it.
func (l *Limits) fields() []struct {
	name string
	v    *int
} {
	return []struct {
		name string
		v    *int
	}{
		{"MaxSets", &l.MaxSets}, {"MaxRules", &l.MaxRules}, {"MaxFacts", &l.MaxFacts},
		{"MaxParams", &l.MaxParams}, {"MaxExprLen", &l.MaxExprLen}, {"MaxExprNodes", &l.MaxExprNodes},
		{"MaxMemory", &l.MaxMemory}, {"MaxStringLen", &l.MaxStringLen},
		{"MaxCost", &l.MaxCost}, {"MaxInputListLen", &l.MaxInputListLen}, {"MaxInputStringLen", &l.MaxInputStringLen},
	}
}

// check returns an error naming every negative field, or nil.
func (l *Limits) check() error {
	var bad []string
	for _, f := range l.fields() {
		if *f.v < 0 {
			bad = append(bad, fmt.Sprintf("%s is %d", f.name, *f.v))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("rules: WithLimits: %s; a limit is at least 1, or 0 for its default", strings.Join(bad, ", "))
}

// or returns l with each field left 0 set to that of d.
func (l Limits) or(d Limits) Limits {
	def := d.fields()
	for i, f := range l.fields() {
		if *f.v == 0 {
			*f.v = *def[i].v
		}
	}
	return l
}

// Option configures [Compile]. Applying an option may fail: Compile then returns the
// option's error and compiles nothing. The zero Option (nil) is an error, never a panic.
type Option func(*config) error

// WithLimits makes [Compile] use the limits l sets; a field of l left 0 keeps the value
// it had, its default or what an earlier WithLimits set, so that options stack:
// WithLimits(Limits{MaxRules: 100}), WithLimits(Limits{MaxCost: 1e6}) sets both. A
// negative field makes Compile fail with an error naming each such field and its value.
func WithLimits(l Limits) Option {
	return func(c *config) error {
		if err := l.check(); err != nil {
			return err
		}
		c.limits = l.or(c.limits)
		return nil
	}
}

// config is what [Compile]'s options set, and what follows from it for every expression.
type config struct {
	limits   Limits
	exprOpts []expr.Option  // the options every expression is compiled with
	funcs    map[string]any // the functions the fast path calls (fastFuncs, + bounded)
}

// newConfig applies opts to the default limits.
func newConfig(opts []Option) (*config, error) {
	c := &config{limits: defaultLimits()}
	for i, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("rules: Compile: option %d is nil", i)
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	c.exprOpts = append(append([]expr.Option{expr.MaxNodes(uint(c.limits.MaxExprNodes))}, exprFunctions...), limitOptions(c.limits.MaxStringLen)...)
	c.funcs = maps.Clone(fastFuncs)
	c.funcs[concatName] = concatWithin(c.limits.MaxStringLen)
	return c, nil
}

// Limits returns the limits the program was compiled with.
func (p *Program) Limits() Limits { return p.cfg.limits }

// compileExpr compiles one expression with the options every expression gets.
func (cfg *config) compileExpr(src string, env map[string]any, extra ...expr.Option) (*vm.Program, error) {
	if len(src) > cfg.limits.MaxExprLen {
		return nil, fmt.Errorf("expression is %d bytes; at most %d are allowed", len(src), cfg.limits.MaxExprLen)
	}
	opts := append([]expr.Option{expr.Env(env)}, cfg.exprOpts...)
	opts = append(opts, extra...)
	return compileSafe(src, opts)
}

// disabledBuiltins are expr builtins an expression may not call: now, date, duration and
// timezone read the clock or the host's zone files (a decision depends on the application
// alone); repeat, replace, join, string, toJSON and flatten can build a result far larger
// than their arguments before expr's memory budget sees it; reduce and fromJSON give values
// of unknown type, whose + the bound on strings cannot see.
var disabledBuiltins = []string{"now", "date", "duration", "timezone", "repeat", "replace", "join", "string", "toJSON", "flatten", "reduce", "fromJSON"}

// concatName is the function string + is compiled to; its name cannot be written in an
// expression.
const concatName = "string +"

// limitOptions bound what one expression may build: no amplifying builtins, and + on
// strings gives at most maxString bytes.
func limitOptions(maxString int) []expr.Option {
	opts := []expr.Option{
		expr.Function(concatName, func(p ...any) (any, error) {
			a, ok1 := p[0].(string)
			b, ok2 := p[1].(string)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("invalid operation: %T + %T", p[0], p[1])
			}
			if len(a)+len(b) > maxString {
				return nil, fmt.Errorf("string + gives %d bytes; at most %d are allowed", len(a)+len(b), maxString)
			}
			return a + b, nil
		}, new(func(string, string) string)),
		expr.Operator("+", concatName),
	}
	for _, name := range disabledBuiltins {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	return opts
}
