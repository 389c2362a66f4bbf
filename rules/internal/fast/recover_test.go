package fast

import (
	"errors"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/stretchr/testify/require"
)

// errBug is what a broken function panics with: not a failure of an expression.
var errBug = errors.New("bug")

// TestForeignPanicsPropagate: a panic that is not an *Error is a bug; folding constants at
// compile time must not swallow it, while a failure (*Error) is left to run time.
func TestForeignPanicsPropagate(t *testing.T) {
	r := &Resolver[frame]{
		Ident: resolver.Ident,
		Funcs: map[string]any{"half": half, "broken": func(int, int) (int, error) { panic(errBug) }},
	}
	compile := func(src string) (Expr[frame], error) {
		prog, err := expr.Compile(src, expr.Env(envTypes),
			expr.Function("half", func(p ...any) (any, error) { return half(p[0].(int), p[1].(int)) }, new(func(int, int) int)),
			expr.Function("broken", func(p ...any) (any, error) { return 0, nil }, new(func(int, int) int)),
		)
		require.NoError(t, err)
		return Compile(prog.Node(), r)
	}

	require.PanicsWithValue(t, errBug, func() { _, _ = compile("broken(limit, 2) > 0") },
		"a constant call that panics with a foreign value is folded at compile time: the panic must go on")

	e, err := compile("half(limit + 1, 2) > 0")
	require.NoError(t, err, "a constant call that fails with an *Error is left to run time")
	require.False(t, e.Const, "half(11, 2) fails: it cannot be folded into a constant")
	require.Panics(t, func() { e.Bool(nil) })
	func() {
		defer func() { require.True(t, IsFailure(recover()), "the failure is an *Error") }()
		e.Bool(nil)
	}()

	e, err = compile("broken(n, 2) > 0")
	require.NoError(t, err)
	require.PanicsWithValue(t, errBug, func() { e.Bool(&frame{n: 1}) })
}

// TestIsFailure: only an *Error is a failure of the closures.
func TestIsFailure(t *testing.T) {
	require.True(t, IsFailure(&Error{Message: "x"}))
	require.False(t, IsFailure(errBug))
	require.False(t, IsFailure("x"))
	require.False(t, IsFailure(nil))
}
