package attach_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestIINBirthDatePrefix pins that IINBirthDate reads only the first seven digits: a
// prefix of seven gives the date, a shorter one ErrIINLength.
func TestIINBirthDatePrefix(t *testing.T) {
	tests := []struct {
		name, reason string
		iin          string
		want         rules.Date
		err          error
	}{
		{"seven digits", "digits 1-7 hold the whole date", "0312315", 20031231, nil},
		{"six digits", "without the 7th digit the century is unknown", "031231", 0, attach.ErrIINLength},
		{"29 February 2000", "2000 is a leap year", "0002295", 20000229, nil},
		{"29 February 1900", "1900 is not a leap year", "0002293", 0, attach.ErrIINBirthDate},
		{"day 00", "there is no day 0", "0001005", 0, attach.ErrIINBirthDate},
		{"century 7", "digit 7 is 1-6", "0001017", 0, attach.ErrIINCentury},
	}
	for _, tt := range tests {
		got, err := attach.IINBirthDate(tt.iin)
		if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("IINBirthDate(%q) = %v, %v; want %v, %v (%s)", tt.iin, got, err, tt.want, tt.err, tt.reason)
		}
	}
}

// TestMakeIINNextSerial pins that MakeIIN keeps the serial asked for when it gives a check
// digit, and otherwise takes the next serial that does (after 9999, 0000).
func TestMakeIINNextSerial(t *testing.T) {
	valid := func(prefix string) bool { // some last digit makes prefix a valid IIN
		for c := '0'; c <= '9'; c++ {
			if attach.CheckIIN(prefix+string(c)) == nil {
				return true
			}
		}
		return false
	}
	skipped := 0
	for _, birth := range []rules.Date{19960510, 20000229} {
		for serial := 0; serial < 10000; serial++ {
			iin, err := attach.MakeIIN(birth, false, serial)
			if err != nil || attach.CheckIIN(iin) != nil {
				t.Fatalf("MakeIIN(%s, %d) = %q, %v; want a valid IIN", birth, serial, iin, err)
			}
			got, _ := strconv.Atoi(iin[7:11])
			for s := serial; s != got; s = (s + 1) % 10000 {
				skipped++
				if p := iin[:7] + strconv.Itoa(10000 + s)[1:]; valid(p) {
					t.Fatalf("MakeIIN(%s, %d) = %s, skipping serial %d which gives a check digit", birth, serial, iin, s)
				}
			}
			if !valid(iin[:11]) {
				t.Fatalf("MakeIIN(%s, %d) = %s", birth, serial, iin)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("MakeIIN skipped no serial: the test does not reach a serial without a check digit")
	}
}

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
