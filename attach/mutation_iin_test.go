package attach_test

import (
	"errors"
	"testing"

	"github.com/emkhana/emkhana/attach"
)

// TestDecodeApplicationEmpty pins the message for input with no JSON value.
func TestDecodeApplicationEmpty(t *testing.T) {
	for _, in := range []string{"", "  \n"} {
		_, err := attach.DecodeApplication([]byte(in))
		if err == nil || err.Error() != "attach: invalid application: empty input; want a JSON object" {
			t.Errorf("DecodeApplication(%q) error = %v, want the empty input message", in, err)
		}
	}
}

// TestFirstAttachment pins that a person is attached for the first time exactly when no
// current clinic is named.
func TestFirstAttachment(t *testing.T) {
	for _, tt := range []struct {
		clinic string
		want   bool
	}{{"", true}, {"C9", false}} {
		c := attach.Citizen{CurrentClinicID: tt.clinic}
		if got := c.FirstAttachment(); got != tt.want {
			t.Errorf("Citizen{CurrentClinicID: %q}.FirstAttachment() = %v, want %v", tt.clinic, got, tt.want)
		}
	}
}

// TestDecideYearLimits pins the first and last years of a submission that validation
// accepts: 1900 (decided by no set of the built-in history) and 9998.
func TestDecideYearLimits(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "1900-01-01T12:00:00+06:00")
	app.Citizen.BirthDate, app.Citizen.AttachedSince = 18800101, 18990101
	if _, err := e.Decide(app); !errors.Is(err, attach.ErrNoRuleSet) {
		t.Errorf("Decide(1900-01-01) error = %v, want ErrNoRuleSet: the date is valid", err)
	}
	app = baseApp(t)
	app.SubmittedAt = at(t, "9998-06-01T12:00:00+05:00")
	if d, err := e.Decide(app); err != nil || d.Outcome == attach.Undecided || d.Date != 99980601 {
		t.Errorf("Decide(9998-06-01) = %v on %s, %v; want a decision", d.Outcome, d.Date, err)
	}
}
