package fast

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// frame is what the test expressions read: a whole number, a text and a fraction.
type frame struct {
	n int
	s string
	x float64
}

var errOdd = errors.New("odd")

// half fails on odd numbers, as the functions of a rule set may fail.
func half(a, b int) (int, error) {
	if a%2 != 0 {
		return 0, errOdd
	}
	return a / 2 * b, nil
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var resolver = &Resolver[frame]{
	Ident: func(name string) (any, bool) {
		switch name {
		case "n":
			return func(f *frame) int { return f.n }, true
		case "s":
			return func(f *frame) string { return f.s }, true
		case "x":
			return func(f *frame) float64 { return f.x }, true
		case "limit":
			return 10, true
		case "area":
			return []string{"75", "a"}, true
		}
		return nil, false
	},
	Funcs: map[string]any{"half": half, "hasPrefix": hasPrefix},
}

// envTypes declares the names of the test expressions to expr's checker.
var envTypes = map[string]any{"n": 0, "s": "", "x": 0.0, "limit": 10, "area": []string{}}

func compile(t *testing.T, src string) Expr[frame] {
	t.Helper()
	e, _ := compileBoth(t, src)
	return e
}

// compileBoth compiles src with expr and then to closures.
func compileBoth(t *testing.T, src string) (Expr[frame], *vm.Program) {
	t.Helper()
	prog, err := expr.Compile(src,
		expr.Env(envTypes),
		expr.Function("half", func(p ...any) (any, error) { return half(p[0].(int), p[1].(int)) }, new(func(int, int) int)),
		expr.Function("hasPrefix", func(p ...any) (any, error) { return hasPrefix(p[0].(string), p[1].([]string)), nil }, new(func(string, []string) bool)),
	)
	if err != nil {
		t.Fatalf("expr.Compile(%q): %v", src, err)
	}
	e, err := Compile(prog.Node(), resolver)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return e, prog
}

// TestFails: an expression that holds a modulo or calls a function that returns an error
// may fail, and fails on some input here; one that holds neither never does, whatever it
// reads.
func TestFails(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		fails  bool
		reason string
	}{
		{name: "modulo", src: "n % (n - 1) == 0", fails: true, reason: "n = 1 divides by zero"},
		{name: "call", src: "half(n, 3) > 1", fails: true, reason: "half fails on odd numbers"},
		{name: "call_in_branch", src: `n > 2 || s == "x" ? half(n, 1) > 0 : false`, fails: true, reason: "n = 7 takes the branch that calls half"},
		{name: "arithmetic", src: "n + 1 > limit", fails: false, reason: "+ and > never fail"},
		{name: "float_division", src: "n / 0 > 1.5", fails: false, reason: "/ gives a float: +Inf, not a failure"},
		{name: "call_without_error", src: "hasPrefix(s, area)", fails: false, reason: "hasPrefix returns no error"},
		{name: "in_and_negation", src: `s in ["a", "b"] && -n < 3`, fails: false, reason: "in, && and - never fail"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := compile(t, tc.src)
			if e.Fails != tc.fails {
				t.Errorf("%q: Fails = %v, want %v (%s)", tc.src, e.Fails, tc.fails, tc.reason)
			}
			failed := 0
			for _, n := range []int{0, 1, 7, -3} {
				func() {
					defer func() {
						if recover() != nil {
							failed++
						}
					}()
					e.Bool(&frame{n: n, s: "7511"})
				}()
			}
			if (failed > 0) != tc.fails {
				t.Errorf("%q failed on %d of 4 inputs, want failures %v (%s)", tc.src, failed, tc.fails, tc.reason)
			}
		})
	}
}

// TestFailurePanicsWithError: a failing closure panics with an *Error placed at the node
// that failed.
func TestFailurePanicsWithError(t *testing.T) {
	e := compile(t, "n > 0 && half(n, 2) > 0")
	if got := e.Bool(&frame{n: 4}); !got {
		t.Errorf("half(4, 2) > 0 = false, want true")
	}
	defer func() {
		fe, ok := recover().(*Error)
		if !ok || fe.Message != "odd" || fe.Offset != 9 {
			t.Errorf("half(3, 2) panicked with %#v, want an *Error \"odd\" at 9", fe)
		}
	}()
	e.Bool(&frame{n: 3})
	t.Error("half(3, 2) did not fail")
}

// TestConst: an expression of constants only is folded and reads no frame.
func TestConst(t *testing.T) {
	if e := compile(t, "limit * 2 + 1"); !e.Const || e.Int(nil) != 21 {
		t.Errorf("limit * 2 + 1: Const %v, value %d; want true, 21", e.Const, e.Int(nil))
	}
	if e := compile(t, "n * 2"); e.Const {
		t.Error("n * 2: Const = true, want false")
	}
}

// TestRefuses: what Compile does not know is an error naming it, never a closure.
func TestRefuses(t *testing.T) {
	for _, src := range []string{"len(s) > 1", "upper(s) == s", "n ** 2 > 1"} {
		prog, err := expr.Compile(src, expr.Env(map[string]any{"n": 0, "s": ""}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Compile(prog.Node(), resolver); err == nil || !strings.HasPrefix(err.Error(), "fast: ") {
			t.Errorf("Compile(%q) = %v, want a fast: error", src, err)
		}
	}
}

// TestMatchesExpr runs every operator Compile supports, on each kind and with constant and
// non-constant operands, as closures and on expr's VM over a grid of inputs, and requires
// the same value, or a failure from both.
func TestMatchesExpr(t *testing.T) {
	exprs := []string{
		"n == 2", "n != 2", "n < 2", "n <= 2", "n > 2", "n >= 2", "n < limit",
		"2 == n", "2 != n", "2 < n", "2 <= n", "2 > n", "2 >= n", "n < n * 2 - 3",
		`s == "a"`, `s != "a"`, `s < "b"`, `s <= "b"`, `s > "b"`, `s >= "b"`,
		`"b" == s`, `"b" != s`, `"b" < s`, `"b" <= s`, `"b" > s`, `"b" >= s`,
		"x == n", "x != n", "x < n", "x <= n", "x > n", "x >= n", "x < 1.5", "1 >= x",
		"n + 3", "n - 3", "n * 3", "n / 2", "n % 3", "n % (n - 1)", "-n", "+n",
		"x + n", "x - n", "x * n", "x / 2", "n / x", "-x", "+x",
		"int(x)", "float(n)", "int(n)", "float(x)", "int(x * 3) % 2",
		`s in ["a", "b"]`, `s in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]`, "s in area",
		`s contains "a"`, `s startsWith "a"`, `s endsWith "b"`, `s + "!"`, `"<" + s`,
		"n > 0 ? n : -n", "n > 0 ? x : 1.5", `n > 0 ? s : "z"`, `n > 0 ? s == "a" : s == "b"`,
		`n > 0 && s == "a"`, `n > 0 || s == "a"`, "!(n > 0)", "not (n > 0)",
		`(n > 0) == (s == "a")`, `(n > 0) != (s == "a")`, "limit > 5 && n > 0", "limit < 5 || n > 0",
		"half(n, 3)", `hasPrefix(s, area)`,
		// Chains of && and ||, flattened into one closure each: 3, 4 and more terms,
		// mixed, parenthesized, and short-circuiting before a term that would fail.
		`n > 0 && s == "a" && x < 1.5`, `n > 0 || s == "a" || x < 1.5`,
		`n > 0 && s != "b" && x < 1.5 && n < 4`, `n > 0 || s == "a" || x < 0 || n == -3`,
		`n > -3 && s != "b" && x < 2.5 && n < 10 && s != "ba"`, `n == 4 || s == "a" || x < 0 || n == -3 || s == "ab"`,
		`n > 0 && s == "a" || x < 1.5 && n < 3`, `(n > 0 || s == "a") && (x < 1.5 || n < 3) && n != 2`,
		`n > 0 && (s == "a" && (x < 1.5 && n < 3))`, `n > 0 || (s == "a" || (x < 1.5 || n < 3))`,
		`limit > 5 && n > 0 && s == "a"`, `n > 0 && limit < 5 && s == "a"`,
		"n == 1 || half(n, 1) > 0", "n == 3 || n == 1 || half(n, 1) >= 0",
		"n == 3 || n == 7 || n == -3 || n == -1 || n == 1 || half(n, 1) >= 0",
		"n != 3 && n != 1 && n != -1 && n != -3 && n == 2 && half(n, 1) >= 0",
	}
	for _, src := range exprs {
		e, prog := compileBoth(t, src)
		for _, n := range []int{-3, -1, 0, 1, 2, 3, 4, 10} {
			for _, s := range []string{"", "a", "b", "ab", "ba", "7511"} {
				for _, x := range []float64{-1.5, 0, 1, 1.5, 2.5} {
					want, vmErr := expr.Run(prog, map[string]any{"n": n, "s": s, "x": x, "limit": 10, "area": []string{"75", "a"}})
					got, err := run(e, &frame{n: n, s: s, x: x})
					if (vmErr != nil) != (err != nil) || vmErr == nil && !same(got, want) {
						t.Fatalf("%q with n=%d s=%q x=%v: closures give %v (%v), the VM %v (%v)", src, n, s, x, got, err, want, vmErr)
					}
				}
			}
		}
	}
}

// same reports whether two results are equal, NaN being equal to NaN.
func same(a, b any) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	}
	return reflect.DeepEqual(a, b)
}

// run runs a compiled expression and turns a failure into an error.
func run(e Expr[frame], f *frame) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	switch e.Kind {
	case Bool:
		return e.Bool(f), nil
	case Int:
		return e.Int(f), nil
	case Float:
		return e.Float(f), nil
	case String:
		return e.String(f), nil
	}
	return e.Strings(f), nil
}

// TestChainsAreFlat: a chain of one operator is one closure over all its terms, however
// it is nested; another operator, or a parenthesized chain of the other, is one term.
func TestChainsAreFlat(t *testing.T) {
	tests := []struct {
		src   string
		terms int
		and   bool
	}{
		{`n > 0 && s == "a" && x < 1.5 && n < 4`, 4, true},
		{`n > 0 || (s == "a" || (x < 1.5 || n < 3))`, 4, false},
		{`n > 0 && s == "a" || x < 1.5 && n < 3`, 2, false},
		{`(n > 0 || s == "a") && x < 1.5 && n != 2`, 3, true},
	}
	for _, tc := range tests {
		_, prog := compileBoth(t, tc.src)
		c := &compiler[frame]{r: resolver}
		v, err := c.compile(prog.Node())
		if err != nil {
			t.Fatal(err)
		}
		if len(v.terms) != tc.terms || v.and != tc.and {
			t.Errorf("%q: %d terms of and=%v, want %d of and=%v", tc.src, len(v.terms), v.and, tc.terms, tc.and)
		}
	}
}
