package attach_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
)

func TestDecideInvalid(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		change func(a *attach.Application)
		want   []string // the problems, "field: message (got value)", in order
	}{
		{"empty id", "an application needs an id to be answered", func(a *attach.Application) { a.ID = "" },
			[]string{"id: must not be empty"}},
		{"zero time", "a submission time that is not set cannot choose a rule set", func(a *attach.Application) { a.SubmittedAt = time.Time{} },
			[]string{"submitted_at: must be set to the instant the application was made"}},
		{"unknown channel", "channels are egov and in_person", func(a *attach.Application) { a.Channel = "fax" },
			[]string{`channel: must be egov or in_person (got "fax")`}},
		{"unknown reason", "reasons are a closed list", func(a *attach.Application) { a.Reason = "bored" },
			[]string{`reason: is not a known reason; want one of residence_change, work_change, study_change, sentence_served, military_service_ended, clinic_reorganized, clinic_liquidated, quality_dissatisfaction, or none (got "bored")`}},
		{"bad check digit", "DOMAIN.md's invalid IIN", func(a *attach.Application) { a.Citizen.IIN = "123456789012" },
			[]string{`citizen.iin: check digit does not match (got "123456789012")`}},
		{"IIN date used", "an IIN whose date does not exist cannot give the age", func(a *attach.Application) { a.Citizen.IIN = mustIINDigits("031331500") },
			[]string{`citizen.iin: digits 1-6 are not a birth date YYMMDD, and no citizen.birth_date is given (got "` + mustIINDigits("031331500") + `")`}},
		{"IIN date not used", "with a birth date given, the IIN's date is not read", func(a *attach.Application) {
			a.Citizen.IIN, a.Citizen.BirthDate = mustIINDigits("031331500"), 19900101
		}, nil},
		{"born after submission", "a birth date after the submission date is impossible", func(a *attach.Application) { a.Citizen.BirthDate = 20270101 },
			[]string{`citizen.birth_date: is after the submission date 2026-10-05 (got "2027-01-01")`}},
		{"unknown residency", "residency is a closed list", func(a *attach.Application) { a.Citizen.Residency = "tourist" },
			[]string{`citizen.residency: must be citizen, permanent_resident, stateless_permanent, kandas, refugee or temporary_resident (got "tourist")`}},
		{"empty address", "the area rules need an address code", func(a *attach.Application) { a.Citizen.AddressCode = "" },
			[]string{"citizen.address_code: must be a KATO code of 9 digits"}},
		{"short address", "a KATO code has 9 digits", func(a *attach.Application) { a.Citizen.AddressCode = "75111" },
			[]string{`citizen.address_code: must be a KATO code of 9 digits (got "75111")`}},
		{"doctor without clinic", "a current doctor needs a current clinic", func(a *attach.Application) { a.Citizen.CurrentClinicID = "" },
			[]string{`citizen.current_doctor_id: is given without citizen.current_clinic_id (got "D9")`, `citizen.attached_since: is given without citizen.current_clinic_id (got "2024-01-01")`}},
		{"clinic without doctor", "a current clinic needs a current doctor", func(a *attach.Application) { a.Citizen.CurrentDoctorID = "" },
			[]string{"citizen.current_doctor_id: must not be empty when citizen.current_clinic_id is given"}},
		{"change without date", "the once-a-year rule needs the date of the present attachment", func(a *attach.Application) { a.Citizen.AttachedSince = 0 },
			[]string{"citizen.attached_since: must be given with citizen.current_clinic_id: the day the present attachment took effect"}},
		{"empty clinic id", "the clinic must be named", func(a *attach.Application) { a.Clinic.ID = "" },
			[]string{"clinic.id: must not be empty"}},
		{"bad area code", "service-area codes are digit prefixes", func(a *attach.Application) { a.Clinic.ServiceArea = []string{"75111", "7a"} },
			[]string{`clinic.service_area[1]: must be a KATO code prefix of 1 to 9 digits (got "7a")`}},
		{"empty doctor id", "the doctor must be named", func(a *attach.Application) { a.Doctor.ID = "" },
			[]string{"doctor.id: must not be empty"}},
		{"unknown specialty", "district doctors are therapists, pediatricians and GPs", func(a *attach.Application) { a.Doctor.Specialty = "surgeon" },
			[]string{`doctor.specialty: must be therapist, pediatrician or general_practitioner (got "surgeon")`}},
		{"negative count", "a doctor cannot have fewer than no people", func(a *attach.Application) { a.Doctor.Attached = -1 },
			[]string{`doctor.attached: must not be negative (got "-1")`}},
		{"count at the bound", "MaxAttached itself is a count an application may give", func(a *attach.Application) { a.Doctor.Attached = attach.MaxAttached }, nil},
		{"count above the bound", "a count above MaxAttached is a mistake in the data, and would let a campaign's sums overflow", func(a *attach.Application) { a.Doctor.Attached = attach.MaxAttached + 1 },
			[]string{`doctor.attached: must be at most 100000 (got "100001")`}},
		{"every problem at once", "all problems are reported, in field order", func(a *attach.Application) {
			a.ID, a.Doctor.Attached, a.Citizen.IIN = "", -5, "12"
		}, []string{"id: must not be empty", `citizen.iin: must be 12 digits (got "12")`, `doctor.attached: must not be negative (got "-5")`}},
	}
	e := builtinEngine(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := baseApp(t)
			tt.change(app)
			d, err := e.Decide(app)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Decide(%s) error = %v, want none (%s)", tt.name, err, tt.reason)
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
				t.Errorf("Decide(%s) problems:\n got %q\nwant %q\n(%s)", tt.name, got, tt.want, tt.reason)
			}
			if d.Outcome != attach.Undecided || d.Failed != nil {
				t.Errorf("Decide(%s) = %v, want no decision beside the error", tt.name, d.Outcome)
			}
		})
	}
}

func TestInvalidApplicationErrorWraps(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.Citizen.IIN = "123456789012"
	_, err := e.Decide(app)
	if !errors.Is(err, iinnum.ErrCheckDigit) {
		t.Fatalf("errors.Is(%v, iinnum.ErrCheckDigit) = false", err)
	}
	var inv *attach.InvalidApplicationError
	errors.As(err, &inv)
	if p, ok := inv.Field("citizen.iin"); !ok || p.Value != "123456789012" {
		t.Fatalf("Field(citizen.iin) = %v, %v", p, ok)
	}
	if _, err := e.Decide(nil); err == nil {
		t.Fatal("Decide(nil) gave no error")
	}
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
