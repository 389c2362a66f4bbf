package fast

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// frame is what the test expressions read: a whole number, a text and a fraction through
// readers; a number, a flag, two texts and a list as Fields, read in place.
type frame struct {
	n  int
	s  string
	x  float64
	fn int
	fb int // a Bool Field: 0 or 1
	fs string
	ft string
	fl []string
}

// fields are the Fields of frame, by name.
var fields = map[string]Field{
	"fn": {Kind: Int, Offset: unsafe.Offsetof(frame{}.fn)},
	"fb": {Kind: Bool, Offset: unsafe.Offsetof(frame{}.fb)},
	"fs": {Kind: String, Offset: unsafe.Offsetof(frame{}.fs)},
	"ft": {Kind: String, Offset: unsafe.Offsetof(frame{}.ft)},
	"fl": {Kind: Strings, Offset: unsafe.Offsetof(frame{}.fl)},
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
		f, ok := fields[name]
		return f, ok
	},
	Funcs: map[string]any{"half": half, "hasPrefix": hasPrefix},
}

// envTypes declares the names of the test expressions to expr's checker.
var envTypes = map[string]any{"n": 0, "s": "", "x": 0.0, "limit": 10, "area": []string{},
	"fn": 0, "fb": false, "fs": "", "ft": "", "fl": []string{}}

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
	// Fields, read in place: alone, against a constant, each other or a reader, in a
	// list, in a chain of two and under !. Each that gives a bool gives both on the grid.
	fieldExprs := []string{
		"fn", "fb", "fs", "ft", "fl", "fn + n", `fs + "!"`, "hasPrefix(fs, fl)", `s in fl`,
		"fn == 2", "fn != 2", "fn < 2", "fn <= 2", "fn > 2", "fn >= 2", "2 < fn", "fn >= limit - 7",
		`fs == "a"`, `fs != "a"`, `fs < "b"`, `fs <= "b"`, `fs > "b"`, `fs >= "b"`, `"b" > fs`,
		"fn == n", "fn != n", "fn < n", "fn <= n", "fn > n", "fn >= n", "n < fn", "fn == fn",
		"fs == ft", "fs != ft", "fs < ft", "fs <= ft", "fs > ft", "fs >= ft", "fs == s", "s < fs",
		`fs in ["a", "b"]`, `fs in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]`, "fs in area",
		"!fb", "not fb", "!!fb", "fb == (n > 0)",
		"fb && n > 0", "fb || n > 0", "n > 0 && fb", "n > 0 || fb", "fb && fb", "fb || fb",
		`fb && n > 0 && fs == "a"`, `n > 0 || fb || fs == "a"`, "limit > 5 && fb", "limit < 5 || fb",
		"fb ? fn : n", `fs == "" ? fn < 2 : fn >= 2`,
		// Calls whose operands after the first are read in place (constants, Fields)
		// or not (computed).
		"half(fn, 3)", "half(n, fn)", "half(n, n + 1)", "half(fn + 1, fn)",
		"hasPrefix(s, fl)", "hasPrefix(fs, area)", `hasPrefix(s, n > 0 ? area : fl)`,
	}
	for i, src := range append(exprs, fieldExprs...) {
		e, prog := compileBoth(t, src)
		outcomes := map[bool]bool{}
		for _, n := range []int{-3, -1, 0, 1, 2, 3, 4, 10} {
			for _, s := range []string{"", "a", "b", "ab", "ba", "7511"} {
				for _, x := range []float64{-1.5, 0, 1, 1.5, 2.5} {
					f := fieldsOf(n, s, x)
					want, vmErr := expr.Run(prog, map[string]any{"n": n, "s": s, "x": x, "limit": 10, "area": []string{"75", "a"},
						"fn": f.fn, "fb": f.fb != 0, "fs": f.fs, "ft": f.ft, "fl": f.fl})
					got, err := run(e, f)
					if (vmErr != nil) != (err != nil) || vmErr == nil && !same(got, want) {
						t.Fatalf("%q with n=%d s=%q x=%v: closures give %v (%v), the VM %v (%v)", src, n, s, x, got, err, want, vmErr)
					}
					if b, ok := got.(bool); ok {
						outcomes[b] = true
					}
				}
			}
		}
		if i >= len(exprs) && e.Kind == Bool && src != "fn == fn" && len(outcomes) != 2 {
			t.Errorf("%q gives only %v on the grid: a wrong closure could pass", src, outcomes)
		}
	}
}

// fieldsOf returns the frame of n, s and x with Fields that vary with them and with each
// other, so that the grid of TestMatchesExpr meets every outcome of every operator.
func fieldsOf(n int, s string, x float64) *frame {
	texts := []string{"", "a", "b", "ab", "ba", "7511"}
	lists := [][]string{nil, {"a"}, {"75", "b"}, {"ab", "", "ba"}}
	k := n + len(s) + int(x*2) + 8 // 0 or more
	return &frame{n: n, s: s, x: x,
		fn: k%7 - 2, fb: k % 2, fs: texts[k%len(texts)], ft: texts[(k/2)%len(texts)], fl: lists[k%len(lists)]}
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

// TestFieldsFuse: what reads a Field reads it in place, and the common forms around one
// (against a constant, against another Field, in a chain of two, under !, in a short
// constant list) are one closure: the name of the closure Compile gives says which.
func TestFieldsFuse(t *testing.T) {
	tests := []struct{ src, closure string }{
		{`fs == "a"`, "fast.fieldCmpConst["},
		{"fn >= 2", "fast.fieldCmpConst["},
		{"fs < ft", "fast.fieldCmp["},
		{"fn == fn", "fast.fieldCmp["},
		{"fb || n > 0", "fast.fieldChain["},
		{"n > 0 && fb", "fast.fieldChain["},
		{"!fb", ").unary.func1"},
		{`fs in ["a", "b"]`, "fast.in["},
		{"fb", "fast.field["},
		{"fn == n", "fast.cmp["}, // a reader on one side: not fused
	}
	for _, tc := range tests {
		e := compile(t, tc.src)
		fn := reflect.ValueOf(e.Bool)
		require.Equal(t, Bool, e.Kind, tc.src)
		name := runtime.FuncForPC(fn.Pointer()).Name()
		assert.Contains(t, name, tc.closure, "%q runs as %s", tc.src, name)
	}
	if e := compile(t, "fs"); e.Field != fields["fs"] {
		t.Errorf("fs: Expr.Field = %+v, want %+v: a name for it would not read it in place", e.Field, fields["fs"])
	}
	if e := compile(t, `fs + "!"`); e.Field != (Field{}) {
		t.Errorf(`fs + "!": Expr.Field = %+v, want none`, e.Field)
	}
}

// TestFieldOutsideTheFrame: a Field that does not lie inside the frame, aligned for its
// kind, or of a kind a Field cannot hold, is refused by Compile with an error, never read.
func TestFieldOutsideTheFrame(t *testing.T) {
	size := unsafe.Sizeof(frame{})
	for _, f := range []Field{
		{Kind: Int, Offset: size},
		{Kind: String, Offset: size - unsafe.Sizeof("")/2},
		{Kind: Strings, Offset: ^uintptr(0) - 7},
		{Kind: Int, Offset: unsafe.Offsetof(frame{}.fn) + 1},
		{Kind: Float, Offset: unsafe.Offsetof(frame{}.x)},
		{Kind: Invalid},
	} {
		r := &Resolver[frame]{Ident: func(string) (any, bool) { return f, true }}
		for _, src := range []string{"v", "o.v"} {
			prog, err := expr.Compile(src, expr.Env(map[string]any{"v": 0, "o": map[string]any{"v": 0}}))
			require.NoError(t, err)
			r.Member = func(string, string) (any, bool) { return f, true }
			_, err = Compile(prog.Node(), r)
			assert.ErrorContains(t, err, "does not lie in a frame", "%s as %+v", src, f)
		}
	}
}
