package attach_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emkhana/emkhana/attach"
)

// TestFirstAttachment pins that a person is attached for the first time exactly when no
// current clinic is named.
func TestFirstAttachment(t *testing.T) {
	for _, tt := range []struct {
		clinic string
		want   bool
	}{{"", true}, {"C9", false}} {
		c := attach.Citizen{CurrentClinicID: tt.clinic}
		assert.Equal(t, tt.want, c.FirstAttachment(), "Citizen{CurrentClinicID: %q}.FirstAttachment()", tt.clinic)
	}
}
