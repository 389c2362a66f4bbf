package attach_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestDecideInvalid: every field validation checks, at its edges: each problem is
// reported, in field order, as "field: message (got value)", and an application without
// problems is decided.
func TestDecideInvalid(t *testing.T) {
	p, err := rules.Compile(rules.Builtin())
	require.NoError(t, err)
	defaults := p.Limits()
	tests := []struct {
		name   string
		reason string
		change func(a *attach.Application)
		want   []string // the problems, "field: message (got value)", in order; nil: valid
		is     error    // an error the problems must wrap, when not nil
	}{
		{"empty id", "an application needs an id to be answered", func(a *attach.Application) { a.ID = "" },
			[]string{"id: must not be empty"}, nil},
		{"zero time", "a submission time that is not set cannot choose a rule set", func(a *attach.Application) { a.SubmittedAt = time.Time{} },
			[]string{"submitted_at: must be set to the instant the application was made"}, nil},
		{"unknown channel", "channels are egov and in_person", func(a *attach.Application) { a.Channel = "fax" },
			[]string{`channel: must be egov or in_person (got "fax")`}, nil},
		{"unknown reason", "reasons are a closed list", func(a *attach.Application) { a.Reason = "bored" },
			[]string{`reason: is not a known reason; want one of residence_change, work_change, study_change, sentence_served, military_service_ended, clinic_reorganized, clinic_liquidated, quality_dissatisfaction, or none (got "bored")`}, nil},
		{"bad check digit", "DOMAIN.md's invalid IIN", func(a *attach.Application) { a.Citizen.IIN = "123456789012" },
			[]string{`citizen.iin: check digit does not match (got "123456789012")`}, nil},
		{"IIN date used", "an IIN whose date does not exist cannot give the age", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("031331500") },
			[]string{`citizen.iin: digits 1-6 are not a birth date YYMMDD, and no citizen.birth_date is given (got "` + mustIINDigits("031331500") + `")`}, nil},
		{"IIN date not used", "with a birth date given, the IIN's date is not read", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = mustIINDigits("031331500"), 19900101
		}, nil, nil},
		{"born after submission", "a birth date after the submission date is impossible", func(a *attach.Application) { a.Citizen.BirthDate = 20270101 },
			[]string{`citizen.birth_date: is after the submission date 2026-10-05 (got "2027-01-01")`}, nil},
		{"unknown residency", "residency is a closed list", func(a *attach.Application) { a.Citizen.Residency = "tourist" },
			[]string{`citizen.residency: must be citizen, permanent_resident, stateless_permanent, kandas, refugee or temporary_resident (got "tourist")`}, nil},
		{"empty address", "the area rules need an address code", func(a *attach.Application) { a.Citizen.AddressCode = "" },
			[]string{"citizen.address_code: must be a KATO code of 9 digits"}, nil},
		{"short address", "a KATO code has 9 digits", func(a *attach.Application) { a.Citizen.AddressCode = "75111" },
			[]string{`citizen.address_code: must be a KATO code of 9 digits (got "75111")`}, nil},
		{"doctor without clinic", "a current doctor needs a current clinic", func(a *attach.Application) { a.Citizen.CurrentClinicID = "" },
			[]string{`citizen.current_doctor_id: is given without citizen.current_clinic_id (got "D9")`, `citizen.attached_since: is given without citizen.current_clinic_id (got "2024-01-01")`}, nil},
		{"clinic without doctor", "a current clinic needs a current doctor", func(a *attach.Application) { a.Citizen.CurrentDoctorID = "" },
			[]string{"citizen.current_doctor_id: must not be empty when citizen.current_clinic_id is given"}, nil},
		{"change without date", "the once-a-year rule needs the date of the present attachment", func(a *attach.Application) { a.Citizen.AttachedSince = 0 },
			[]string{"citizen.attached_since: must be given with citizen.current_clinic_id: the day the present attachment took effect"}, nil},
		{"empty clinic id", "the clinic must be named", func(a *attach.Application) { a.Clinic.ID = "" },
			[]string{"clinic.id: must not be empty"}, nil},
		{"bad area code", "service-area codes are digit prefixes", func(a *attach.Application) { a.Clinic.ServiceArea = []string{"75111", "7a"} },
			[]string{`clinic.service_area[1]: must be a KATO code prefix of 1 to 9 digits (got "7a")`}, nil},
		{"empty doctor id", "the doctor must be named", func(a *attach.Application) { a.Doctor.ID = "" },
			[]string{"doctor.id: must not be empty"}, nil},
		{"unknown specialty", "district doctors are therapists, pediatricians and GPs", func(a *attach.Application) { a.Doctor.Specialty = "surgeon" },
			[]string{`doctor.specialty: must be therapist, pediatrician or general_practitioner (got "surgeon")`}, nil},
		{"negative count", "a doctor cannot have fewer than no people", func(a *attach.Application) { a.Doctor.Attached = -1 },
			[]string{`doctor.attached: must not be negative (got "-1")`}, nil},
		{"count at the bound", "MaxAttached itself is a count an application may give", func(a *attach.Application) { a.Doctor.Attached = attach.MaxAttached }, nil, nil},
		{"count above the bound", "a count above MaxAttached is a mistake in the data, and would let a campaign's sums overflow", func(a *attach.Application) { a.Doctor.Attached = attach.MaxAttached + 1 },
			[]string{`doctor.attached: must be at most 100000 (got "100001")`}, nil},
		{"every problem at once", "all problems are reported, in field order", func(a *attach.Application) {
			a.ID, a.Doctor.Attached, a.Citizen.IIN = "", -5, "12"
		}, []string{"id: must not be empty", `citizen.iin: must be 12 digits (got "12")`, `doctor.attached: must not be negative (got "-5")`}, nil},
		// The date checks at their edges: days that are not calendar days, birth dates on
		// and after the submission day, from citizen.birth_date or from the IIN, and the
		// one-year limit on citizen.attached_since.
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
		}, []string{`citizen.iin: encodes a birth date after the submission date 2026-10-05 (got "` + iinBorn(t, 20261006) + `")`}, iinnum.ErrInvalid},
		{"IIN future date ignored with birth date", "an explicit birth date wins over the IIN's", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = iinBorn(t, 20261006), 19900101
		}, nil, nil},
		{"IIN bad century", "a 7th digit of 0 names no century", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("960510000") },
			[]string{`citizen.iin: 7th digit (century and sex) must be 1-6 (got "` + mustIINDigits("960510000") + `")`}, iinnum.ErrCentury},
		{"IIN bad century with birth date", "the 7th digit is checked even when birth_date gives the age", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = mustIINDigits("960510000"), 19960510
		}, []string{`citizen.iin: 7th digit (century and sex) must be 1-6 (got "` + mustIINDigits("960510000") + `")`}, iinnum.ErrCentury},
		{"IIN 29 Feb 1900", "1900 was not a leap year", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("000229300") },
			[]string{`citizen.iin: digits 1-6 are not a birth date YYMMDD, and no citizen.birth_date is given (got "` + mustIINDigits("000229300") + `")`}, iinnum.ErrInvalid},
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
		{"service area at the bound", "the default rules.Limits.MaxInputListLen codes are allowed", func(a *attach.Application) {
			a.Clinic.ServiceArea = slices.Repeat([]string{"75111"}, defaults.MaxInputListLen)
		}, nil, nil},
		{"service area over the bound", "one code more is refused", func(a *attach.Application) {
			a.Clinic.ServiceArea = slices.Repeat([]string{"75111"}, defaults.MaxInputListLen+1)
		}, []string{`clinic.service_area: must hold at most 1000 codes (rules.Limits.MaxInputListLen) (got "1001 codes")`}, nil},
		{"zero attached", "a doctor with nobody attached is valid", func(a *attach.Application) { a.Doctor.Attached = 0 }, nil, nil},
	}
	e := builtinEngine(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := baseApp(t)
			tt.change(app)
			d, err := e.Decide(app)
			if tt.want == nil {
				require.NoError(t, err, tt.reason)
				assert.NotEqual(t, attach.Undecided, d.Outcome, "a valid application is decided (%s)", tt.reason)
				return
			}
			var inv *attach.InvalidApplicationError
			require.ErrorAs(t, err, &inv, tt.reason)
			var got []string
			for _, p := range inv.Problems {
				got = append(got, p.Error())
			}
			assert.Equal(t, tt.want, got, "problems (%s)", tt.reason)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is, tt.reason)
			}
			assert.Equal(t, attach.Undecided, d.Outcome, "no decision beside the error")
			assert.Nil(t, d.Failed, "no decision beside the error")
		})
	}
}

func TestInvalidApplicationErrorWraps(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.Citizen.IIN = "123456789012"
	_, err := e.Decide(app)
	require.ErrorIs(t, err, iinnum.ErrCheckDigit)
	var inv *attach.InvalidApplicationError
	require.ErrorAs(t, err, &inv)
	p, ok := inv.Field("citizen.iin")
	require.True(t, ok, "Field(citizen.iin)")
	assert.Equal(t, "123456789012", p.Value)
	_, err = e.Decide(nil)
	assert.Error(t, err, "Decide(nil)")
}

// TestDecideYearLimits pins the first and last years of a submission that validation
// accepts: 1900 (decided by no set of the built-in history) and 9998.
func TestDecideYearLimits(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "1900-01-01T12:00:00+06:00")
	app.Citizen.BirthDate, app.Citizen.AttachedSince = 18800101, 18990101
	_, err := e.Decide(app)
	assert.ErrorAs(t, err, new(*attach.NoRuleSetError), "Decide(1900-01-01): the date is valid")
	app = baseApp(t)
	app.SubmittedAt = at(t, "9998-06-01T12:00:00+05:00")
	d, err := e.Decide(app)
	require.NoError(t, err, "Decide(9998-06-01)")
	assert.NotEqual(t, attach.Undecided, d.Outcome, "Decide(9998-06-01)")
	assert.Equal(t, rules.Date(99980601), d.Date)
}

// mustIINDigits completes 9 leading digits (a date YYMMDD that may not exist, and the
// century digit, which may be out of range) into an IIN with a valid check digit.
func mustIINDigits(prefix string) string {
	for serial := 0; serial < 100; serial++ {
		s := prefix + string(rune('0'+serial/10)) + string(rune('0'+serial%10))
		for c := '0'; c <= '9'; c++ {
			if err := attach.CheckIIN(s + string(c)); err == nil || errors.Is(err, iinnum.ErrCentury) {
				return s + string(c)
			}
		}
	}
	panic("no IIN with prefix " + prefix)
}
