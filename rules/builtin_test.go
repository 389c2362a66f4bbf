package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

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
	b := rules.Builtin()
	assert.NotEqual(t, "false", b[2].Rules[0].Expr)
	assert.NotEqual(t, "x", b[2].Rules[0].Messages["kk"])
	assert.NotContains(t, b[2].Rules[0].Facts, "x")
	assert.NotEqual(t, a[2].Params[0].Value.String(), b[2].Params[0].Value.String())
}
