package fast

import (
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// The operators of expr on the kinds Compile supports, with expr's semantics: mixed
// int and float operands compare and compute as float64, / always gives a float64, % by
// zero fails, a missing map key reads as 0.

// floats returns readers of both operands as float64, when both are numbers.
func floats[F any](l, r val[F]) (func(*F) float64, func(*F) float64, bool) {
	conv := func(v val[F]) func(*F) float64 {
		switch v.k {
		case Float:
			return v.f
		case Int:
			i := v.i
			return func(f *F) float64 { return float64(i(f)) }
		}
		return nil
	}
	a, b := conv(l), conv(r)
	return a, b, a != nil && b != nil
}

func compare[F any](op string, l, r val[F]) (val[F], bool) {
	switch {
	case l.k == Int && r.k == Int:
		return val[F]{k: Bool, b: ordered(op, l, r, l.i, r.i)}, true
	case l.k == String && r.k == String:
		return val[F]{k: Bool, b: ordered(op, l, r, l.s, r.s)}, true
	case l.k == Bool && r.k == Bool && (op == "==" || op == "!="):
		a, b := l.b, r.b
		if op == "==" {
			return val[F]{k: Bool, b: func(f *F) bool { return a(f) == b(f) }}, true
		}
		return val[F]{k: Bool, b: func(f *F) bool { return a(f) != b(f) }}, true
	}
	if a, b, ok := floats(l, r); ok {
		return val[F]{k: Bool, b: cmp(op, a, b)}, true
	}
	return val[F]{}, false
}

// ordered compares two operands of one kind, a and b their readers: a Field on the left
// in place, against a constant (fieldCmpConst) or a Field (fieldCmp); a constant on the
// right taken once, one call fewer per run (cmpConst); else both read (cmp).
func ordered[F any, T int | string](op string, l, r val[F], a, b func(*F) T) func(*F) bool {
	var zero *F
	switch {
	case l.field && r.c:
		return fieldCmpConst[F](op, l.off, b(zero))
	case l.field && r.field:
		return fieldCmp[F, T](op, l.off, r.off)
	case r.c && !l.c:
		return cmpConst(op, a, b(zero))
	}
	return cmp(op, a, b)
}

func cmp[F any, T int | float64 | string](op string, a, b func(*F) T) func(*F) bool {
	switch op {
	case "==":
		return func(f *F) bool { return a(f) == b(f) }
	case "!=":
		return func(f *F) bool { return a(f) != b(f) }
	case "<":
		return func(f *F) bool { return a(f) < b(f) }
	case "<=":
		return func(f *F) bool { return a(f) <= b(f) }
	case ">":
		return func(f *F) bool { return a(f) > b(f) }
	}
	return func(f *F) bool { return a(f) >= b(f) }
}

// cmpConst is cmp with a constant right operand.
func cmpConst[F any, T int | string](op string, a func(*F) T, k T) func(*F) bool {
	switch op {
	case "==":
		return func(f *F) bool { return a(f) == k }
	case "!=":
		return func(f *F) bool { return a(f) != k }
	case "<":
		return func(f *F) bool { return a(f) < k }
	case "<=":
		return func(f *F) bool { return a(f) <= k }
	case ">":
		return func(f *F) bool { return a(f) > k }
	}
	return func(f *F) bool { return a(f) >= k }
}

func arith[F any](n *ast.BinaryNode, l, r val[F]) (val[F], bool) {
	op := n.Operator
	switch {
	case op == "+" && l.k == String && r.k == String:
		a, b := l.s, r.s
		return val[F]{k: String, s: func(f *F) string { return a(f) + b(f) }}, true
	case op == "%" && l.k == Int && r.k == Int:
		a, b := l.i, r.i
		return val[F]{k: Int, i: func(f *F) int {
			x, y := a(f), b(f)
			if y == 0 {
				panic(fail(n, "integer divide by zero"))
			}
			return x % y
		}}, true
	case op != "/" && op != "%" && l.k == Int && r.k == Int:
		a, b := l.i, r.i
		switch op {
		case "+":
			return val[F]{k: Int, i: func(f *F) int { return a(f) + b(f) }}, true
		case "-":
			return val[F]{k: Int, i: func(f *F) int { return a(f) - b(f) }}, true
		}
		return val[F]{k: Int, i: func(f *F) int { return a(f) * b(f) }}, true
	}
	a, b, ok := floats(l, r)
	if !ok || op == "%" {
		return val[F]{}, false
	}
	switch op {
	case "+":
		return val[F]{k: Float, f: func(f *F) float64 { return a(f) + b(f) }}, true
	case "-":
		return val[F]{k: Float, f: func(f *F) float64 { return a(f) - b(f) }}, true
	case "*":
		return val[F]{k: Float, f: func(f *F) float64 { return a(f) * b(f) }}, true
	}
	return val[F]{k: Float, f: func(f *F) float64 { return a(f) / b(f) }}, true
}

func in[F any](l, r val[F]) (val[F], bool) {
	if l.k != String {
		return val[F]{}, false
	}
	a := l.s
	switch r.k {
	case Strings:
		if r.c { // a constant list: a set, unless it is short enough to scan
			var zero *F
			list := r.l(zero)
			if len(list) > 8 {
				set := make(map[string]struct{}, len(list))
				for _, s := range list {
					set[s] = struct{}{}
				}
				return val[F]{k: Bool, b: func(f *F) bool { _, ok := set[a(f)]; return ok }}, true
			}
		}
		if r.c { // a short constant list: scanned without calling its reader
			var zero *F
			list := r.l(zero)
			if l.field {
				off := l.off
				return val[F]{k: Bool, b: func(f *F) bool { return slices.Contains(list, *at[F, string](f, off)) }}, true
			}
			return val[F]{k: Bool, b: func(f *F) bool { return slices.Contains(list, a(f)) }}, true
		}
		b := r.l
		return val[F]{k: Bool, b: func(f *F) bool { return slices.Contains(b(f), a(f)) }}, true
	case IntMap:
		b := r.m
		return val[F]{k: Bool, b: func(f *F) bool { _, ok := b(f)[a(f)]; return ok }}, true
	case stringSet:
		b := r.set
		return val[F]{k: Bool, b: func(f *F) bool { _, ok := b(f)[a(f)]; return ok }}, true
	}
	return val[F]{}, false
}

func stringOp[F any](op string, l, r val[F]) (val[F], bool) {
	if l.k != String || r.k != String {
		return val[F]{}, false
	}
	a, b := l.s, r.s
	switch op {
	case "contains":
		return val[F]{k: Bool, b: func(f *F) bool { return strings.Contains(a(f), b(f)) }}, true
	case "startsWith":
		return val[F]{k: Bool, b: func(f *F) bool { return strings.HasPrefix(a(f), b(f)) }}, true
	}
	return val[F]{k: Bool, b: func(f *F) bool { return strings.HasSuffix(a(f), b(f)) }}, true
}
