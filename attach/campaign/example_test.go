package campaign_test

import (
	"fmt"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

// exampleApp is a change of doctor for a qualifying reason, by a person living outside
// the clinic's area who gives up home visits: only the doctor's count can refuse it.
func exampleApp(id, iin string, hour int) attach.Application {
	return attach.Application{
		ID: id, SubmittedAt: time.Date(2026, 3, 10, hour, 0, 0, 0, time.FixedZone("", 5*3600)),
		Channel: attach.Egov, Signed: true, Reason: attach.ResidenceChange, WaivesHomeVisits: true,
		Citizen: attach.Citizen{IIN: iin, Residency: attach.CitizenOfKazakhstan, AddressCode: "751110001",
			CurrentClinicID: "C9", CurrentDoctorID: "D9", AttachedSince: rules.NewDate(2023, 1, 1)},
		Clinic: attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75119"}},
		Doctor: attach.Doctor{ID: "D1", Specialty: attach.Therapist},
	}
}

// A batch is decided in submission order with counts that move: the first approval
// fills the doctor, so the later application is refused for capacity. An invalid
// application gets its error and moves no count.
func ExampleRun() {
	engine, err := attach.New(rules.Builtin())
	if err != nil {
		fmt.Println(err)
		return
	}
	b := &campaign.Batch{Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: 1999}}}
	bad := exampleApp("A3", "123", 9)
	b.Add(exampleApp("A2", "960510300428", 11), exampleApp("A1", "791028302728", 10), bad)
	res, err := campaign.Run(engine, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range res.Len() {
		d := res.Decision(i)
		if d.Err != nil {
			fmt.Println(d.Application, "error:", d.Err)
			continue
		}
		fmt.Println(d.Application, d.Outcome, d.Failed, "read", d.Attached)
	}
	s := res.Summary
	fmt.Println("approved", s.Approved, "rejected", s.Rejected, "invalid", s.Invalid, "doctors", res.Doctors)
	// Output:
	// A2 rejected [capacity] read 2000
	// A1 approved [] read 1999
	// A3 error: attach: invalid application "A3": citizen.iin: must be 12 digits (got "123")
	// approved 1 rejected 1 invalid 1 doctors [{C1 D1 2000}]
}

// A batch that cannot be run is refused whole, with an error matching ErrInvalidBatch.
func ExampleRun_invalidBatch() {
	engine, _ := attach.New(rules.Builtin())
	b := &campaign.Batch{Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: -1}}}
	_, err := campaign.Run(engine, b)
	fmt.Println(err)
	// Output:
	// campaign: doctor "D1" of clinic "C1" has -1 attached; want 0 to 100000
}

// Compare lists the decisions that differ between two runs of one batch: here a norm of
// 1,999 rather than 2,000 refuses the application that took the last place.
func ExampleCompare() {
	before, _ := attach.New(rules.Builtin())
	h := rules.Builtin()
	last := len(h) - 1
	h[last], _ = h[last].WithParam("capacity", rules.ValueOf(1999))
	after, _ := attach.New(h)

	b := &campaign.Batch{Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: 1998}}}
	b.Add(exampleApp("A1", "791028302728", 10), exampleApp("A2", "960510300428", 11))
	r1, _ := campaign.Run(before, b)
	r2, _ := campaign.Run(after, b)
	im, err := campaign.Compare(r1, r2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range im.Changes {
		fmt.Println(ch.Before.Application, ch.Before.Outcome, "->", ch.After.Outcome, "newly failing", ch.NewlyFailing)
	}
	fmt.Println("now rejected:", im.NowRejected, "people affected:", im.PeopleAffected)
	// Output:
	// A2 approved -> rejected newly failing [capacity]
	// now rejected: 1 people affected: 1
}

// Compare measures a change of the law on a generated campaign, run with the law before
// and after it: a norm of 1,700 instead of 2,000.
func ExampleCompare_generated() {
	before, _ := attach.New(rules.Builtin())
	h := rules.Builtin()
	last := len(h) - 1
	h[last], _ = h[last].WithParam("capacity", rules.ValueOf(1700)) // the set in force, with a limit of 1,700
	after, _ := attach.New(h)
	g := campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 100, Applications: 2000})
	b := g.Batch()
	r1, _ := campaign.Run(before, b)
	r2, _ := campaign.Run(after, b)
	im, err := campaign.Compare(r1, r2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("applications approved:", im.Before.Approved, "->", im.After.Approved)
	fmt.Println("people approved:", im.Before.PeopleApproved, "->", im.After.PeopleApproved)
	for _, r := range im.ByRule {
		fmt.Printf("%s: %d newly failing, %d no longer failing\n", r.Rule, r.NewlyFailing, r.NoLongerFailing)
	}
	fmt.Println("people affected:", im.PeopleAffected, "of whom now rejected:", im.PeopleNowRejected)
	// Output:
	// applications approved: 1132 -> 1126
	// people approved: 1081 -> 1075
	// capacity: 19 newly failing, 0 no longer failing
	// people affected: 19 of whom now rejected: 6
}
