package rules

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

var errBug = errors.New("bug")

// TestFastPathBugPanics: a panic in the fast path that is not a failure of the expression
// (here a function that panics instead of returning an error) is a bug: Eval must let it
// go on, not hide it by evaluating again on expr's VM, whether the whole set runs on the
// fast path or only some expressions do.
func TestFastPathBugPanics(t *testing.T) {
	tests := []struct {
		name   string
		rules  []string
		needVM bool
		reason string
	}{
		{name: "fast_path", rules: []string{"addMonths(application.date, 1) > 0"},
			reason: "evalFast runs the set"},
		{name: "beside_the_vm", rules: []string{"addMonths(application.date, 1) > 0", "len(clinic.service_area) >= 0"}, needVM: true,
			reason: "len is left to the VM: evalVM runs the other rule's closures with runFast"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			saved := fastFuncs["addMonths"]
			fastFuncs["addMonths"] = func(int, int) (int, error) { panic(errBug) }
			p, err := Compile(History{testSet(nil, tc.rules...)})
			fastFuncs["addMonths"] = saved
			require.NoError(t, err)
			c, _ := p.At(20180101)
			require.Equal(t, tc.needVM, c.needVM, tc.reason)
			env := envOf(map[string]any{"application.date": 20180105})
			require.PanicsWithValue(t, errBug, func() { _ = c.Eval(env, &Result{}) }, tc.reason)
		})
	}
}
