package attach_test

import (
	"errors"
	"slices"
	"testing"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
)

// TestDecideInvalidDates pins the date checks of validation at their edges: birth dates
// and attachment dates that are not calendar days (29 February of a common year), birth
// dates on and after the submission day, whether they come from citizen.birth_date or
// from the IIN, and the one-year limit on citizen.attached_since.
func TestDecideInvalidDates(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		change func(a *attach.Application)
		want   []string // the problems, "field: message (got value)"; nil: valid
		is     error    // an error the problems must wrap, when not nil
	}{
		{"birth date 29 Feb common year", "2023 has no 29 February", func(a *attach.Application) { a.Citizen.BirthDate = 20230229 },
			[]string{`citizen.birth_date: is not a day of the calendar (got "20230229")`}, nil},
		{"birth date 29 Feb leap year", "2024 has a 29 February", func(a *attach.Application) { a.Citizen.BirthDate = 20240229 }, nil, nil},
		{"birth date month 13", "there is no 13th month", func(a *attach.Application) { a.Citizen.BirthDate = 20001301 },
			[]string{`citizen.birth_date: is not a day of the calendar (got "20001301")`}, nil},
		{"birth date on submission day", "a newborn may apply on the day of birth", func(a *attach.Application) {
			a.Citizen.BirthDate = 20261005
			a.Doctor.Specialty = attach.GeneralPractitioner
		}, nil, nil},
		{"birth date the day after submission", "a birth date one day after the submission date is impossible", func(a *attach.Application) { a.Citizen.BirthDate = 20261006 },
			[]string{`citizen.birth_date: is after the submission date 2026-10-05 (got "2026-10-06")`}, nil},
		{"IIN born on submission day", "an IIN of a child born that day is valid", func(a *attach.Application) {
			a.Citizen.IIN = iinBorn(t, 20261005)
			a.Doctor.Specialty = attach.GeneralPractitioner
		}, nil, nil},
		{"IIN born the day after submission", "the IIN's birth date, when it is the one used, must not be after the submission date", func(a *attach.Application) {
			a.Citizen.IIN = iinBorn(t, 20261006)
		}, []string{`citizen.iin: encodes a birth date after the submission date 2026-10-05 (got "` + iinBorn(t, 20261006) + `")`}, attach.ErrInvalidIIN},
		{"IIN future date ignored with birth date", "an explicit birth date wins over the IIN's", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = iinBorn(t, 20261006), 19900101
		}, nil, nil},
		{"IIN bad century", "a 7th digit of 0 names no century", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("960510000") },
			[]string{`citizen.iin: 7th digit (century and sex) must be 1-6 (got "` + mustIINDigits("960510000") + `")`}, iinnum.ErrCentury},
		{"IIN bad century with birth date", "the 7th digit is checked even when birth_date gives the age", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = mustIINDigits("960510000"), 19960510
		}, []string{`citizen.iin: 7th digit (century and sex) must be 1-6 (got "` + mustIINDigits("960510000") + `")`}, iinnum.ErrCentury},
		{"IIN 29 Feb 1900", "1900 was not a leap year", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("000229300") },
			[]string{`citizen.iin: digits 1-6 are not a birth date YYMMDD, and no citizen.birth_date is given (got "` + mustIINDigits("000229300") + `")`}, attach.ErrInvalidIIN},
		{"IIN 29 Feb 2000", "2000 was a leap year", func(a *attach.Application) {
			a.Citizen.IIN = mustIINDigits("000229500")
		}, nil, nil},
		{"attached since 29 Feb common year", "2025 has no 29 February", func(a *attach.Application) { a.Citizen.AttachedSince = 20250229 },
			[]string{`citizen.attached_since: is not a day of the calendar (got "20250229")`}, nil},
		{"attached since exactly a year ahead", "an attachment taking effect up to a year after the submission is accepted", func(a *attach.Application) { a.Citizen.AttachedSince = 20271005 }, nil, nil},
		{"attached since a year and a day ahead", "no attachment takes effect more than a year ahead", func(a *attach.Application) { a.Citizen.AttachedSince = 20271006 },
			[]string{`citizen.attached_since: is more than a year after the submission date 2026-10-05 (got "2027-10-06")`}, nil},
		{"submitted in 1899", "times before 1900 are refused", func(a *attach.Application) { a.SubmittedAt = at(t, "1899-12-31T12:00:00+05:00") },
			[]string{`submitted_at: must be a time between the years 1900 and 9998 (got "1899-12-31T12:00:00+05:00")`}, nil},
		{"submitted in 9999", "times after 9998 are refused", func(a *attach.Application) { a.SubmittedAt = at(t, "9999-01-01T12:00:00+05:00") },
			[]string{`submitted_at: must be a time between the years 1900 and 9998 (got "9999-01-01T12:00:00+05:00")`}, nil},
		{"KATO with a letter", "a KATO code is digits only", func(a *attach.Application) { a.Citizen.AddressCode = "75111000x" },
			[]string{`citizen.address_code: must be a KATO code of 9 digits (got "75111000x")`}, nil},
		{"KATO of 10 digits", "a KATO code has 9 digits, not more", func(a *attach.Application) { a.Citizen.AddressCode = "7511100000" },
			[]string{`citizen.address_code: must be a KATO code of 9 digits (got "7511100000")`}, nil},
		{"area prefix of 9 digits", "a whole code is a prefix of itself", func(a *attach.Application) { a.Clinic.ServiceArea = []string{"751110000"} }, nil, nil},
		{"area prefix of 10 digits", "no prefix is longer than a code", func(a *attach.Application) { a.Clinic.ServiceArea = []string{"7511100000"} },
			[]string{`clinic.service_area[0]: must be a KATO code prefix of 1 to 9 digits (got "7511100000")`}, nil},
		{"empty area prefix", "an empty prefix would put every address inside", func(a *attach.Application) { a.Clinic.ServiceArea = []string{""} },
			[]string{"clinic.service_area[0]: must be a KATO code prefix of 1 to 9 digits"}, nil},
		{"zero attached", "a doctor with nobody attached is valid", func(a *attach.Application) { a.Doctor.Attached = 0 }, nil, nil},
	}
	e := builtinEngine(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := baseApp(t)
			tt.change(app)
			d, err := e.Decide(app)
			if tt.want == nil {
				if err != nil || d.Outcome == attach.Undecided {
					t.Fatalf("Decide(%s) = %v, %v; want a decision (%s)", tt.name, d.Outcome, err, tt.reason)
				}
				return
			}
			var inv *attach.InvalidApplicationError
			if !errors.As(err, &inv) {
				t.Fatalf("Decide(%s) error = %v, want *InvalidApplicationError (%s)", tt.name, err, tt.reason)
			}
			var got []string
			for _, p := range inv.Problems {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Decide(%s) problems = %q, want %q (%s)", tt.name, got, tt.want, tt.reason)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Decide(%s) error = %v, want it to match %v (%s)", tt.name, err, tt.is, tt.reason)
			}
			if d.Outcome != attach.Undecided || len(d.Failed) != 0 {
				t.Errorf("Decide(%s) = %v %v, want undecided (%s)", tt.name, d.Outcome, d.Failed, tt.reason)
			}
		})
	}
}
