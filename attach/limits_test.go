package attach

import (
	"testing"

	"github.com/emkhana/emkhana/rules"
	"github.com/stretchr/testify/require"
)

// TestNewPassesOptions: New gives its options to rules.Compile; without options the
// engine has the default limits.
func TestNewPassesOptions(t *testing.T) {
	e, err := New(rules.Builtin())
	require.NoError(t, err)
	p, err := rules.Compile(rules.Builtin())
	require.NoError(t, err)
	require.Equal(t, p.Limits(), e.prog.Limits())

	l := rules.Limits{MaxStringLen: 100}
	e, err = New(rules.Builtin(), rules.WithLimits(l))
	require.NoError(t, err)
	require.Equal(t, 100, e.prog.Limits().MaxStringLen)

	l.MaxRules = 1
	_, err = New(rules.Builtin(), rules.WithLimits(l))
	require.ErrorContains(t, err, "rules; at most 1 are allowed", "the built-in sets have more than one rule")

	l.MaxRules = -1
	_, err = New(rules.Builtin(), rules.WithLimits(l))
	require.ErrorContains(t, err, "MaxRules is -1")
	_, err = New(rules.Builtin(), nil)
	require.ErrorContains(t, err, "option 0 is nil")
}
