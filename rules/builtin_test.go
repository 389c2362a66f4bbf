package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
)

// Builtin gives a copy each time: changing a set's rules in place changes no other
// caller's sets.
func TestBuiltinIsACopy(t *testing.T) {
	a := rules.Builtin()
	a[2].Rules[0].Expr = "false"
	a[2].Rules[0].Messages["kk"] = "x"
	a[2].Rules[0].Facts = append(a[2].Rules[0].Facts[:0], "x")
	a[2].Params[0].Value = rules.ValueOf(1)
	var bounded, worded int // a parameter with a bound, a code with a plural
	for i, p := range a[2].Params {
		if p.Min != nil {
			bounded = i
			*p.Min = -777
		}
	}
	for i, c := range a[2].Codes["residency"] {
		if len(c.Plural) > 0 {
			worded = i
			c.Words["kk"], c.Plural["kk"] = "ZZ", "ZZ"
		}
	}
	b := rules.Builtin()
	require.NotNil(t, b[2].Params[bounded].Min)
	assert.NotEqual(t, -777, *b[2].Params[bounded].Min, "a parameter's bound")
	assert.NotEqual(t, "ZZ", b[2].Codes["residency"][worded].Words["kk"], "a code's words")
	assert.NotEqual(t, "ZZ", b[2].Codes["residency"][worded].Plural["kk"], "a code's plural")
	assert.NotEqual(t, "false", b[2].Rules[0].Expr)
	assert.NotEqual(t, "x", b[2].Rules[0].Messages["kk"])
	assert.NotContains(t, b[2].Rules[0].Facts, "x")
	assert.NotEqual(t, a[2].Params[0].Value.String(), b[2].Params[0].Value.String())
}
