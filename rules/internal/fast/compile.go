package fast

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
)

// val is a compiled node: the reader of its kind, and its value when it is a constant.
type val[F any] struct {
	k   Kind
	c   bool // a constant: the readers ignore the frame
	b   func(*F) bool
	i   func(*F) int
	f   func(*F) float64
	s   func(*F) string
	l   func(*F) []string
	m   func(*F) map[string]int
	set func(*F) map[string]struct{}
	// terms, for a Bool made of && (and true) or || (and false), are its operands with
	// the nested ones of the same operator flattened, so that a chain runs as one closure.
	terms []func(*F) bool
	and   bool
	// field is true when the val reads a Field of the frame, at off.
	field bool
	off   uintptr
}

type compiler[F any] struct {
	r     *Resolver[F]
	fails bool // a closure compiled so far may panic with *Error
}

// constant returns the val of a Go constant of a supported type.
func constant[F any](x any) (val[F], bool) {
	switch x := x.(type) {
	case bool:
		return val[F]{k: Bool, c: true, b: func(*F) bool { return x }}, true
	case int:
		return val[F]{k: Int, c: true, i: func(*F) int { return x }}, true
	case float64:
		return val[F]{k: Float, c: true, f: func(*F) float64 { return x }}, true
	case string:
		return val[F]{k: String, c: true, s: func(*F) string { return x }}, true
	case []string:
		return val[F]{k: Strings, c: true, l: func(*F) []string { return x }}, true
	case map[string]int:
		return val[F]{k: IntMap, c: true, m: func(*F) map[string]int { return x }}, true
	case map[string]struct{}:
		return val[F]{k: stringSet, c: true, set: func(*F) map[string]struct{} { return x }}, true
	}
	return val[F]{}, false
}

// reader returns the val of what a Resolver gave: a constant or a typed reader.
func reader[F any](x any) (val[F], bool) {
	switch x := x.(type) {
	case func(*F) bool:
		return val[F]{k: Bool, b: x}, true
	case func(*F) int:
		return val[F]{k: Int, i: x}, true
	case func(*F) float64:
		return val[F]{k: Float, f: x}, true
	case func(*F) string:
		return val[F]{k: String, s: x}, true
	case func(*F) []string:
		return val[F]{k: Strings, l: x}, true
	case func(*F) map[string]int:
		return val[F]{k: IntMap, m: x}, true
	}
	return constant[F](x)
}

// fold evaluates a val whose operands are all constants once, at compile time. A val
// that fails (panics with an *Error) is left to fail at run time, where the caller reports
// it; any other panic is a bug and goes on.
func fold[F any](v val[F]) (out val[F]) {
	out = v
	defer func() {
		if p := recover(); p != nil {
			if !IsFailure(p) {
				panic(p)
			}
			out = v
		}
	}()
	var zero *F
	switch v.k {
	case Bool:
		out, _ = constant[F](v.b(zero))
	case Int:
		out, _ = constant[F](v.i(zero))
	case Float:
		out, _ = constant[F](v.f(zero))
	case String:
		out, _ = constant[F](v.s(zero))
	}
	return out
}

func (c *compiler[F]) compile(node ast.Node) (val[F], error) {
	v, err := c.node(node)
	if err != nil {
		return v, err
	}
	// The kind must be the one expr's checker gave the node, or the VM would see another
	// value than the closure computes.
	if want := KindOf(node.Type()); want != v.k {
		return val[F]{}, fmt.Errorf("fast: %s has type %s", ast.Dump(node), typeName(node.Type()))
	}
	return v, nil
}

func unsupported(node ast.Node) error {
	return fmt.Errorf("fast: %T is not supported (%s)", node, typeName(node.Type()))
}

func (c *compiler[F]) node(node ast.Node) (val[F], error) {
	switch n := node.(type) {
	case *ast.BoolNode:
		return val[F]{k: Bool, c: true, b: func(*F) bool { return n.Value }}, nil
	case *ast.IntegerNode:
		x := n.Value
		if KindOf(n.Type()) == Float {
			f := float64(x)
			return val[F]{k: Float, c: true, f: func(*F) float64 { return f }}, nil
		}
		return val[F]{k: Int, c: true, i: func(*F) int { return x }}, nil
	case *ast.FloatNode:
		x := n.Value
		return val[F]{k: Float, c: true, f: func(*F) float64 { return x }}, nil
	case *ast.StringNode:
		x := n.Value
		return val[F]{k: String, c: true, s: func(*F) string { return x }}, nil
	case *ast.ConstantNode:
		if v, ok := constant[F](n.Value); ok {
			return v, nil
		}
	case *ast.IdentifierNode:
		if c.r.Ident != nil {
			if x, ok := c.r.Ident(n.Value); ok {
				if f, ok := x.(Field); ok {
					return field[F](f)
				}
				if v, ok := reader[F](x); ok {
					return v, nil
				}
			}
		}
	case *ast.MemberNode:
		return c.member(n)
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.BuiltinNode:
		return c.builtin(n)
	case *ast.CallNode:
		return c.call(n)
	}
	return val[F]{}, unsupported(node)
}

func (c *compiler[F]) member(n *ast.MemberNode) (val[F], error) {
	if n.Optional || n.Method {
		return val[F]{}, unsupported(n)
	}
	if obj, ok := n.Node.(*ast.IdentifierNode); ok && c.r.Member != nil {
		if prop, ok := n.Property.(*ast.StringNode); ok {
			x, ok := c.r.Member(obj.Value, prop.Value)
			if !ok {
				return val[F]{}, fmt.Errorf("fast: unknown member %s.%s", obj.Value, prop.Value)
			}
			if f, ok := x.(Field); ok {
				return field[F](f)
			}
			v, ok := reader[F](x)
			if !ok {
				return val[F]{}, fmt.Errorf("fast: member %s.%s has type %T", obj.Value, prop.Value, x)
			}
			return v, nil
		}
	}
	// A map index: m[key], a missing key gives 0 as in expr.
	m, err := c.compile(n.Node)
	if err != nil {
		return val[F]{}, err
	}
	key, err := c.compile(n.Property)
	if err != nil {
		return val[F]{}, err
	}
	if m.k != IntMap || key.k != String {
		return val[F]{}, unsupported(n)
	}
	mf, kf := m.m, key.s
	return c.maybeFold(val[F]{k: Int, i: func(f *F) int { return mf(f)[kf(f)] }}, m, key), nil
}

func (c *compiler[F]) maybeFold(v val[F], operands ...val[F]) val[F] {
	for _, o := range operands {
		if !o.c {
			return v
		}
	}
	return fold(v)
}

func (c *compiler[F]) unary(n *ast.UnaryNode) (val[F], error) {
	x, err := c.compile(n.Node)
	if err != nil {
		return val[F]{}, err
	}
	var v val[F]
	switch {
	case (n.Operator == "!" || n.Operator == "not") && x.k == Bool && x.field:
		off := x.off
		v = val[F]{k: Bool, b: func(f *F) bool { return *at[F, int](f, off) == 0 }}
	case (n.Operator == "!" || n.Operator == "not") && x.k == Bool:
		b := x.b
		v = val[F]{k: Bool, b: func(f *F) bool { return !b(f) }}
	case n.Operator == "-" && x.k == Int:
		i := x.i
		v = val[F]{k: Int, i: func(f *F) int { return -i(f) }}
	case n.Operator == "-" && x.k == Float:
		g := x.f
		v = val[F]{k: Float, f: func(f *F) float64 { return -g(f) }}
	case n.Operator == "+" && (x.k == Int || x.k == Float):
		return x, nil
	default:
		return val[F]{}, unsupported(n)
	}
	return c.maybeFold(v, x), nil
}

func (c *compiler[F]) conditional(n *ast.ConditionalNode) (val[F], error) {
	cond, err := c.compile(n.Cond)
	if err != nil {
		return val[F]{}, err
	}
	a, err := c.compile(n.Exp1)
	if err != nil {
		return val[F]{}, err
	}
	b, err := c.compile(n.Exp2)
	if err != nil {
		return val[F]{}, err
	}
	if cond.k != Bool || a.k != b.k {
		return val[F]{}, unsupported(n)
	}
	if cond.c { // a condition known at compile time (a parameter) picks its branch once
		var zero *F
		if cond.b(zero) {
			return a, nil
		}
		return b, nil
	}
	p := cond.b
	v := val[F]{k: a.k}
	switch a.k {
	case Bool:
		x, y := a.b, b.b
		v.b = func(f *F) bool {
			if p(f) {
				return x(f)
			}
			return y(f)
		}
	case Int:
		x, y := a.i, b.i
		v.i = func(f *F) int {
			if p(f) {
				return x(f)
			}
			return y(f)
		}
	case Float:
		x, y := a.f, b.f
		v.f = func(f *F) float64 {
			if p(f) {
				return x(f)
			}
			return y(f)
		}
	case String:
		x, y := a.s, b.s
		v.s = func(f *F) string {
			if p(f) {
				return x(f)
			}
			return y(f)
		}
	case Strings:
		x, y := a.l, b.l
		v.l = func(f *F) []string {
			if p(f) {
				return x(f)
			}
			return y(f)
		}
	default:
		return val[F]{}, unsupported(n)
	}
	return v, nil
}

func (c *compiler[F]) builtin(n *ast.BuiltinNode) (val[F], error) {
	if len(n.Arguments) != 1 || n.Map != nil || n.Threshold != nil {
		return val[F]{}, unsupported(n)
	}
	x, err := c.compile(n.Arguments[0])
	if err != nil {
		return val[F]{}, err
	}
	var v val[F]
	switch {
	case n.Name == "int" && x.k == Int:
		return x, nil
	case n.Name == "int" && x.k == Float:
		g := x.f
		v = val[F]{k: Int, i: func(f *F) int { return int(g(f)) }}
	case n.Name == "float" && x.k == Float:
		return x, nil
	case n.Name == "float" && x.k == Int:
		i := x.i
		v = val[F]{k: Float, f: func(f *F) float64 { return float64(i(f)) }}
	default:
		return val[F]{}, unsupported(n)
	}
	return c.maybeFold(v, x), nil
}

func (c *compiler[F]) call(n *ast.CallNode) (val[F], error) {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return val[F]{}, unsupported(n)
	}
	fn, ok := c.r.Funcs[callee.Value]
	if !ok {
		return val[F]{}, fmt.Errorf("fast: unknown function %s", callee.Value)
	}
	args := make([]val[F], len(n.Arguments))
	for i, a := range n.Arguments {
		v, err := c.compile(a)
		if err != nil {
			return val[F]{}, err
		}
		args[i] = v
	}
	var v val[F]
	switch fn := fn.(type) {
	case func(string, []string) bool:
		if len(args) != 2 || args[0].k != String || args[1].k != Strings {
			return val[F]{}, unsupported(n)
		}
		a, b := args[0].s, args[1].l
		v = val[F]{k: Bool, b: func(f *F) bool { return fn(a(f), b(f)) }}
		if rb, ok := refOf(args[1], b); ok {
			v.b = func(f *F) bool { return fn(a(f), rb.get(f)) }
		}
	case func(string, int, []string) string:
		if len(args) != 3 || args[0].k != String || args[1].k != Int || args[2].k != Strings {
			return val[F]{}, unsupported(n)
		}
		a, b, l := args[0].s, args[1].i, args[2].l
		v = val[F]{k: String, s: func(f *F) string { return fn(a(f), b(f), l(f)) }}
		rb, ok1 := refOf(args[1], b)
		rl, ok2 := refOf(args[2], l)
		if ok1 && ok2 {
			v.s = func(f *F) string { return fn(a(f), rb.get(f), rl.get(f)) }
		}
	case func(string, []string, int, []string) bool:
		if len(args) != 4 || args[0].k != String || args[1].k != Strings || args[2].k != Int || args[3].k != Strings {
			return val[F]{}, unsupported(n)
		}
		a, l, b, m := args[0].s, args[1].l, args[2].i, args[3].l
		v = val[F]{k: Bool, b: func(f *F) bool { return fn(a(f), l(f), b(f), m(f)) }}
		rl, ok1 := refOf(args[1], l)
		rb, ok2 := refOf(args[2], b)
		rm, ok3 := refOf(args[3], m)
		if ok1 && ok2 && ok3 {
			v.b = func(f *F) bool { return fn(a(f), rl.get(f), rb.get(f), rm.get(f)) }
		}
	case func(int, int) (int, error):
		if len(args) != 2 || args[0].k != Int || args[1].k != Int {
			return val[F]{}, unsupported(n)
		}
		a, b := args[0].i, args[1].i
		c.fails = true
		v = val[F]{k: Int, i: func(f *F) int {
			r, err := fn(a(f), b(f))
			if err != nil {
				panic(fail(n, "%s", err.Error()))
			}
			return r
		}}
		if rb, ok := refOf(args[1], b); ok {
			v.i = func(f *F) int {
				r, err := fn(a(f), rb.get(f))
				if err != nil {
					panic(fail(n, "%s", err.Error()))
				}
				return r
			}
		}
	case func(string, string) (string, error):
		if len(args) != 2 || args[0].k != String || args[1].k != String {
			return val[F]{}, unsupported(n)
		}
		a, b := args[0].s, args[1].s
		c.fails = true
		v = val[F]{k: String, s: func(f *F) string {
			r, err := fn(a(f), b(f))
			if err != nil {
				panic(fail(n, "%s", err.Error()))
			}
			return r
		}}
	default:
		return val[F]{}, fmt.Errorf("fast: function %s has unsupported type %T", callee.Value, fn)
	}
	return c.maybeFold(v, args...), nil
}

func (c *compiler[F]) binary(n *ast.BinaryNode) (val[F], error) {
	l, err := c.compile(n.Left)
	if err != nil {
		return val[F]{}, err
	}
	r, err := c.compile(n.Right)
	if err != nil {
		return val[F]{}, err
	}
	var v val[F]
	var ok bool
	switch n.Operator {
	case "&&", "and", "||", "or":
		return c.logical(n, l, r)
	case "==", "!=", "<", "<=", ">", ">=":
		v, ok = compare(n.Operator, l, r)
	case "+", "-", "*", "/", "%":
		v, ok = arith(n, l, r)
		c.fails = c.fails || n.Operator == "%"
	case "in":
		v, ok = in(l, r)
	case "contains", "startsWith", "endsWith":
		v, ok = stringOp(n.Operator, l, r)
	}
	if !ok {
		return val[F]{}, unsupported(n)
	}
	return c.maybeFold(v, l, r), nil
}

func (c *compiler[F]) logical(n *ast.BinaryNode, l, r val[F]) (val[F], error) {
	if l.k != Bool || r.k != Bool {
		return val[F]{}, unsupported(n)
	}
	and := n.Operator == "&&" || n.Operator == "and"
	if l.c { // a parameter known at compile time settles or drops the left side
		var zero *F
		if lv := l.b(zero); lv == and {
			return r, nil
		} else {
			return val[F]{k: Bool, c: true, b: func(*F) bool { return lv }}, nil
		}
	}
	terms := append(append([]func(*F) bool(nil), l.chain(and)...), r.chain(and)...)
	b := chain(terms, and)
	if len(terms) == 2 && (l.field || r.field) {
		b = fieldChain(l, r, and)
	}
	return val[F]{k: Bool, b: b, terms: terms, and: and}, nil
}

// chain returns the operands of v as a chain of && (and) or || (not and): its terms when
// it is one, else v itself.
func (v val[F]) chain(and bool) []func(*F) bool {
	if v.terms != nil && v.and == and {
		return v.terms
	}
	return []func(*F) bool{v.b}
}

// chain returns the closure of a chain of && or || over terms, left to right with the
// short circuit, as one call: a && b && c && d runs as one closure, not three nested.
func chain[F any](terms []func(*F) bool, and bool) func(*F) bool {
	switch len(terms) {
	case 2:
		a, b := terms[0], terms[1]
		if and {
			return func(f *F) bool { return a(f) && b(f) }
		}
		return func(f *F) bool { return a(f) || b(f) }
	case 3:
		a, b, c := terms[0], terms[1], terms[2]
		if and {
			return func(f *F) bool { return a(f) && b(f) && c(f) }
		}
		return func(f *F) bool { return a(f) || b(f) || c(f) }
	case 4:
		a, b, c, d := terms[0], terms[1], terms[2], terms[3]
		if and {
			return func(f *F) bool { return a(f) && b(f) && c(f) && d(f) }
		}
		return func(f *F) bool { return a(f) || b(f) || c(f) || d(f) }
	}
	if and {
		return func(f *F) bool {
			for _, t := range terms {
				if !t(f) {
					return false
				}
			}
			return true
		}
	}
	return func(f *F) bool {
		for _, t := range terms {
			if t(f) {
				return true
			}
		}
		return false
	}
}
