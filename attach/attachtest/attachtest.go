// Package attachtest makes valid test data for the unit tests of code that calls package
// attach: IINs with a valid check digit, and an application, a clinic and a doctor with
// sensible defaults that the built-in rules approve, to change field by field.
//
//	app := attachtest.Application(t)
//	app.Doctor.Attached = 2000 // a full doctor
//	d, err := engine.Decide(app)
//
// Each call returns new values: a test may change them freely.
package attachtest

import (
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/internal/iin"
	"github.com/emkhana/emkhana/rules"
)

// IIN returns a valid IIN of a person born on birth (years 1800-2099), female or not,
// with the serial number serial (0-9999; the next one when serial gives no check digit).
// It fails the test (t.Fatalf) for a birth date or serial out of range.
func IIN(t testing.TB, birth rules.Date, female bool, serial int) string {
	t.Helper()
	s, err := iin.Make(birth, female, serial)
	if err != nil {
		t.Fatalf("attachtest.IIN: %v", err)
	}
	return s
}

// Application returns an application that the built-in rules (kz-2025) approve:
// on 5 October 2026 at 10:00 in Almaty, inside the campaign, a citizen of Kazakhstan born
// on 10 May 1996 (30 years old), living at KATO 751110000 and attached since 1 January
// 2024 to doctor D9 of clinic C9, asks through eGov, signed, to change to doctor D1 of
// clinic C1 ([Clinic], [Doctor]), without giving a reason and without giving up home
// visits.
func Application(t testing.TB) *attach.Application {
	t.Helper()
	return &attach.Application{
		ID:          "A1",
		SubmittedAt: time.Date(2026, 10, 5, 10, 0, 0, 0, time.FixedZone("+05:00", 5*60*60)),
		Channel:     attach.Egov,
		Signed:      true,
		Citizen: attach.Citizen{
			IIN:             IIN(t, 19960510, false, 42),
			Residency:       attach.CitizenOfKazakhstan,
			AddressCode:     "751110000",
			CurrentClinicID: "C9",
			CurrentDoctorID: "D9",
			AttachedSince:   20240101,
		},
		Clinic: Clinic(),
		Doctor: Doctor(),
	}
}

// Clinic returns clinic C1: a provider of the Fund whose service area is the KATO
// prefixes 75111 and 75112 (a district of Almaty).
func Clinic() attach.Clinic {
	return attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111", "75112"}}
}

// Doctor returns doctor D1: a district therapist with 1,500 people attached, below the
// norm of 2,000.
func Doctor() attach.Doctor {
	return attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: 1500}
}
