package attach_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/attachtest"
	"github.com/emkhana/emkhana/rules"
)

// An engine is compiled once from a rule history and decides applications; a rejection
// lists every failed rule and the trace shows the facts each rule read.
func ExampleEngine_Decide() {
	engine, err := attach.New(rules.Builtin())
	if err != nil {
		fmt.Println(err)
		return
	}
	app := &attach.Application{
		ID:          "A1",
		SubmittedAt: time.Date(2026, 10, 5, 10, 0, 0, 0, time.FixedZone("", 5*3600)),
		Channel:     attach.Egov,
		Signed:      true,
		Citizen: attach.Citizen{
			IIN: "960510300428", Residency: attach.CitizenOfKazakhstan, AddressCode: "751130000",
			CurrentClinicID: "C9", CurrentDoctorID: "D9", AttachedSince: rules.NewDate(2024, 1, 1),
		},
		Clinic: attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111"}},
		Doctor: attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: 2000},
	}
	d, err := engine.Decide(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Outcome, d.RuleSet, d.Failed)
	step, _ := d.Step("capacity")
	for _, f := range step.Facts {
		fmt.Printf("  %s: %v\n", f.Name, f.Value)
	}

	app.WaivesHomeVisits, app.Doctor.Attached = true, 1999
	d, _ = engine.Decide(app)
	fmt.Println(d.Outcome, "from", d.EffectiveFrom)
	// Output:
	// rejected kz-2025 [home_visits capacity]
	//   in_area: false
	//   attached: 2000
	//   capacity: 2000
	//   free_places: 0
	// approved from 2027-01-01
}

// An invalid application is not decided: the error names every bad field and its value.
func ExampleEngine_Decide_invalid() {
	engine, _ := attach.New(rules.Builtin())
	_, err := engine.Decide(&attach.Application{
		ID:      "A2",
		Channel: attach.Egov,
		Citizen: attach.Citizen{IIN: "123456789012", Residency: attach.CitizenOfKazakhstan, AddressCode: "751110000"},
		Clinic:  attach.Clinic{ID: "C1"},
		Doctor:  attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: -1},
	})
	var inv *attach.InvalidApplicationError
	if errors.As(err, &inv) {
		for _, p := range inv.Problems {
			fmt.Println(p)
		}
	}
	_, badIIN := inv.Field("citizen.iin")
	fmt.Println(badIIN)
	// Output:
	// submitted_at: must be set to the instant the application was made
	// citizen.iin: check digit does not match (got "123456789012")
	// doctor.attached: must not be negative (got "-1")
	// true
}

// DecodeApplication reads the JSON form the checker reads in one strict pass, naming every
// bad field by its path, with the value given.
func ExampleDecodeApplication() {
	_, err := attach.DecodeApplication([]byte(`{"id":"A3","signed":"yes","signed":true,"doctor":{"attached":"many"}}`))
	var inv *attach.InvalidApplicationError
	if errors.As(err, &inv) {
		for _, p := range inv.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// signed: must be true or false, not a string (got "yes")
	// signed: is given twice; a key may appear once
	// doctor.attached: must be a whole number, not a string (got "many")
	// submitted_at: is missing; every application gives it
	// channel: is missing; every application gives it
	// citizen.iin: is missing; every application gives it
	// citizen.residency: is missing; every application gives it
	// citizen.address_code: is missing; every application gives it
	// clinic.id: is missing; every application gives it
	// doctor.id: is missing; every application gives it
	// doctor.specialty: is missing; every application gives it
}

// CheckIIN validates an IIN by its length, digits and check digit.
func ExampleCheckIIN() {
	for _, iin := range []string{"031231500126", "123456789012", "03123150012"} {
		fmt.Println(iin, attach.CheckIIN(iin))
	}
	// Output:
	// 031231500126 <nil>
	// 123456789012 check digit does not match
	// 03123150012 must be 12 digits
}

// DecideInto reuses a caller's Decision, so deciding many applications allocates little.
func ExampleEngine_DecideInto() {
	engine, _ := attach.New(rules.Builtin())
	var d attach.Decision
	for _, attached := range []int{1999, 2000} {
		app := &attach.Application{
			ID: fmt.Sprint("A", attached), SubmittedAt: time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC),
			Channel: attach.Egov, Signed: true, WaivesHomeVisits: true,
			Citizen: attach.Citizen{IIN: "960510300428", Residency: attach.CitizenOfKazakhstan, AddressCode: "751130000"},
			Clinic:  attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111"}},
			Doctor:  attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: attached},
		}
		if err := engine.DecideInto(&d, app); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d.Application, d.Outcome, d.Failed, d.EffectiveFrom)
	}
	// Output:
	// A1999 approved [] 2026-10-05
	// A2000 rejected [capacity]
}

// New compiles a history: here the built-in sets and a pilot, written by an analyst as a
// few lines that extend kz-2025, in force from 2027: a norm of 1,700 per doctor. The
// same application is decided under kz-2025 in 2026 and under the pilot in 2027.
func ExampleNew() {
	pilot := []byte(`{
	  "id": "pilot-1700",
	  "extends": "kz-2025",
	  "effective_from": "2027-01-01",
	  "title": "A pilot: a norm of 1,700 per district doctor.",
	  "values": {"capacity": 1700}
	}`)
	sets, err := rules.ParseHistory(rules.Document{Name: "pilot-1700.json", Data: pilot})
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := attach.New(append(rules.Builtin(), sets...))
	if err != nil {
		fmt.Println(err)
		return
	}
	app := attachtest.Application(&testing.T{}) // in a test, the test's own t
	app.Citizen.AddressCode = "751130000"       // outside the clinic's area, same city
	app.WaivesHomeVisits = true
	app.Doctor.Attached = 1750
	for _, at := range []string{"2026-10-05T10:00:00+05:00", "2027-10-05T10:00:00+05:00"} {
		app.SubmittedAt, _ = time.Parse(time.RFC3339, at)
		d, _ := engine.Decide(app)
		fmt.Println(d.Date, d.RuleSet, d.Outcome, d.Failed)
	}
	// Output:
	// 2026-10-05 kz-2025 approved []
	// 2027-10-05 pilot-1700 rejected [capacity]
}
