package attach_test

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// campApp is an application of a campaign test: a change for a qualifying reason from
// prev ("clinic/doctor", "" for a first attachment) to clinic/doctor, out of the clinic's
// area with home visits given up, so that only the doctor's count can refuse it. Each
// call is another person (another IIN): set Citizen.IIN to make two applications one
// person's.
func campApp(id, when, clinic, doctor, prev string, attached int) attach.Application {
	a := attach.Application{
		ID: id, SubmittedAt: at(nil, when), Channel: attach.Egov, Signed: true, Reason: attach.ResidenceChange, WaivesHomeVisits: true,
		Citizen: attach.Citizen{IIN: newPerson(), Residency: attach.CitizenOfKazakhstan, AddressCode: "751110001"},
		Clinic:  attach.Clinic{ID: clinic, FundProvider: true, ServiceArea: []string{"75119"}},
		Doctor:  attach.Doctor{ID: doctor, Specialty: attach.Therapist, Attached: attached},
	}
	if prev != "" {
		i := slices.Index([]byte(prev), '/')
		a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID, a.Citizen.AttachedSince = prev[:i], prev[i+1:], 20230101
	}
	return a
}

// madePeople counts the IINs newPerson has made.
var madePeople atomic.Int32

// newPerson returns an IIN no earlier call returned: an adult born on 28 October 1979,
// or a day after, with serials two apart (attachtest.IIN moves a serial with no check digit to
// the next one).
func newPerson() string {
	n := int(madePeople.Add(1))
	iin, err := iinnum.Make(rules.NewDate(1979, 10, 28+n/5000), false, n%5000*2)
	if err != nil {
		panic(err)
	}
	return iin
}

// readCounts runs the campaign and returns, by application id, the count each decision
// read, or -1 for an application with no decision.
func readCounts(t *testing.T, e *attach.Engine, c *attach.Campaign) map[string]int {
	t.Helper()
	res, err := e.RunCampaign(c)
	noError(t, err)
	got := map[string]int{}
	for _, d := range res.Decisions {
		got[d.Application] = d.Attached
		if d.Err != nil {
			got[d.Application] = -1
		}
	}
	return got
}

// TestRunCampaignStartingCounts pins where a doctor's count starts: from c.Doctors when
// listed, whatever the applications say; otherwise from the doctor.attached of the first
// application in submission order that names the doctor with a count that is not negative.
func TestRunCampaignStartingCounts(t *testing.T) {
	e := builtinEngine(t, nil)
	tests := []struct {
		name    string
		reason  string
		doctors []attach.DoctorCount
		apps    []attach.Application
		want    map[string]int // the count each application read
	}{
		{name: "listed", reason: "a listed count wins over the applications' own",
			doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 100}},
			apps:    []attach.Application{campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 5000)},
			want:    map[string]int{"A1": 100}},
		{name: "listed at zero", reason: "a listed count of zero is a count, not a missing one",
			doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 0}},
			apps:    []attach.Application{campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 5000)},
			want:    map[string]int{"A1": 0}},
		{name: "listed at the bound", reason: "MaxAttached itself is a count a campaign may start from",
			doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached}},
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 0),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 0),
			},
			want: map[string]int{"A1": attach.MaxAttached, "A2": attach.MaxAttached}},
		{name: "first unlisted", reason: "an unlisted doctor starts with the first application's count, then moves with approvals",
			apps: []attach.Application{
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 5000),
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 7),
			},
			want: map[string]int{"A1": 7, "A2": 8}},
		{name: "unlisted at zero", reason: "a first count of zero is kept: later applications do not replace it",
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 0),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 5000),
			},
			want: map[string]int{"A1": 0, "A2": 1}},
		{name: "unlisted after a listed one", reason: "the second doctor, not listed, also starts with its first application's count",
			doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 10}},
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C2", "Y", "", 42),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 5000),
			},
			want: map[string]int{"A1": 42, "A2": 10}},
		{name: "negative first count", reason: "an invalid negative count does not seed the doctor; the next valid one does",
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", -1),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 1999),
				campApp("A3", "2025-03-10T12:00:00+05:00", "C1", "X", "", 5),
			},
			want: map[string]int{"A1": -1, "A2": 1999, "A3": 2000}},
		{name: "first count above the bound", reason: "a count above MaxAttached does not seed the doctor either",
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", attach.MaxAttached+1),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 7),
			},
			want: map[string]int{"A1": -1, "A2": 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readCounts(t, e, &attach.Campaign{Doctors: tt.doctors, Applications: tt.apps, Workers: 1})
			equal(t, tt.want, got, "RunCampaign("+tt.name+") counts read ("+tt.reason+")")
		})
	}
}

// TestRunCampaignDeparturesOnTheirDay pins that a person leaves their previous doctor on
// the day the new attachment takes effect: not before, and before the first application
// of that day is decided.
func TestRunCampaignDeparturesOnTheirDay(t *testing.T) {
	e := builtinEngine(t, nil)
	// P changes from X (full) to Y in the 2026 campaign: it takes effect on 1 January 2027.
	p := campApp("P", "2026-10-05T10:00:00+05:00", "C2", "Y", "C1/X", 10)
	p.Reason = attach.NoReason
	c := &attach.Campaign{
		Doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 2000}, {ClinicID: "C2", DoctorID: "Y", Attached: 10}},
		Applications: []attach.Application{
			p,
			campApp("Q1", "2026-12-31T23:00:00+05:00", "C1", "X", "C5/Z", 0), // X still full
			campApp("Q2", "2027-01-01T00:30:00+05:00", "C1", "X", "C5/Z", 0), // P has left X
			campApp("Q3", "2027-01-01T01:00:00+05:00", "C1", "X", "C5/Z", 0), // Q2 took the place
		},
		Workers: 1,
	}
	res, err := e.RunCampaign(c)
	noError(t, err)
	want := []struct {
		outcome  attach.Outcome
		attached int
		from     rules.Date
	}{{attach.Approved, 10, 20270101}, {attach.Rejected, 2000, 0}, {attach.Approved, 1999, 20270101}, {attach.Rejected, 2000, 0}}
	for i, w := range want {
		d := res.Decisions[i]
		if d.Outcome != w.outcome || d.Attached != w.attached || d.EffectiveFrom != w.from {
			t.Errorf("RunCampaign(%s) = %v with %d attached from %s, want %v with %d from %s", d.Application, d.Outcome, d.Attached, d.EffectiveFrom, w.outcome, w.attached, w.from)
		}
	}
	equal(t, []attach.DoctorCount{{"C1", "X", 2000}, {"C2", "Y", 11}}, res.Doctors, "RunCampaign(departure on 1 January).Doctors")
}

// TestRunCampaignDeparturesInDateOrder pins that departures pending on different days
// are applied by their day, whatever the order they were decided in: with changes that
// take effect a month after they are made, the one due first frees its place first.
func TestRunCampaignDeparturesInDateOrder(t *testing.T) {
	h := rules.Builtin()
	for i := range h {
		h[i].TakesEffect = "addMonths(application.date, 1)"
	}
	e, err := attach.New(h)
	noError(t, err)
	c := &attach.Campaign{
		Doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 2000}, {ClinicID: "C2", DoctorID: "Y", Attached: 10}},
		Applications: []attach.Application{
			campApp("P1", "2025-03-02T10:00:00+05:00", "C2", "Y", "C1/X", 0), // leaves X on 2 April
			campApp("P2", "2025-03-03T10:00:00+05:00", "C2", "Y", "C1/X", 0), // leaves X on 3 April
			campApp("Q1", "2025-04-01T10:00:00+05:00", "C1", "X", "C5/Z", 0), // X still full
			campApp("Q2", "2025-04-02T10:00:00+05:00", "C1", "X", "C5/Z", 0), // P1 has left
		},
		Workers: 1,
	}
	got := readCounts(t, e, c)
	equal(t, map[string]int{"P1": 10, "P2": 11, "Q1": 2000, "Q2": 1999}, got, "RunCampaign(departures a month later) counts read")
}

// TestRunCampaignProgress pins the calls of Campaign.Progress: after each local day with
// the number decided so far, or once for a static campaign.
func TestRunCampaignProgress(t *testing.T) {
	e := builtinEngine(t, nil)
	apps := []attach.Application{
		campApp("A3", "2025-03-11T09:00:00+05:00", "C1", "X", "", 1),
		campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 1),
		campApp("A2", "2025-03-10T23:59:00+05:00", "C1", "X", "", 1),
	}
	for _, static := range []bool{false, true} {
		var calls []int
		_, err := e.RunCampaign(&attach.Campaign{Applications: apps, Static: static, Progress: func(n int) { calls = append(calls, n) }})
		noError(t, err)
		want := []int{2, 3}
		if static {
			want = []int{3}
		}
		equal(t, want, calls, "RunCampaign(static="+map[bool]string{false: "false", true: "true"}[static]+") progress")
	}
}

// TestRunCampaignNoRuleSet pins the decision of an application no rule set decides: its
// error, its date and the count it would have read, and no change to the count.
func TestRunCampaignNoRuleSet(t *testing.T) {
	e := builtinEngine(t, nil)
	early := campApp("A0", "2017-06-01T10:00:00+05:00", "C1", "X", "", 3)
	early.Reason = attach.NoReason
	res, err := e.RunCampaign(&attach.Campaign{
		Doctors:      []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 12}},
		Applications: []attach.Application{early, campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 3)},
	})
	noError(t, err)
	d := res.Decisions[0]
	if !errors.Is(d.Err, attach.ErrNoRuleSet) || d.Outcome != attach.Undecided || d.Date != 20170601 || d.Attached != 12 {
		t.Errorf("RunCampaign(2017) = %+v, want undecided on 2017-06-01 with 12 attached and ErrNoRuleSet", d)
	}
	if res.Decisions[1].Attached != 12 || res.Summary.Invalid != 1 || res.Summary.Approved != 1 {
		t.Errorf("RunCampaign(2017, 2025) = %+v, want the 2025 application to read 12, one invalid, one approved", res.Summary)
	}
}

// TestRunCampaignSharedFailed pins that rejections failing the same rules share one
// Failed slice, so that a campaign of a million rejections does not hold a million
// slices, and that each still lists its own rules.
func TestRunCampaignSharedFailed(t *testing.T) {
	e := builtinEngine(t, nil)
	var apps []attach.Application
	for i, id := range []string{"A1", "A2", "A3"} {
		a := campApp(id, "2025-03-10T10:00:00+05:00", "C1", "X", "", 2000+i)
		a.WaivesHomeVisits = id == "A3"
		apps = append(apps, a)
	}
	for _, static := range []bool{false, true} {
		res, err := e.RunCampaign(&attach.Campaign{Applications: apps, Static: static, Workers: 1})
		noError(t, err)
		d1, d2, d3 := res.Decisions[0], res.Decisions[1], res.Decisions[2]
		equal(t, []string{"home_visits", "capacity"}, d1.Failed, "RunCampaign(A1).Failed")
		equal(t, []string{"home_visits", "capacity"}, d2.Failed, "RunCampaign(A2).Failed")
		equal(t, []string{"capacity"}, d3.Failed, "RunCampaign(A3).Failed")
		if &d1.Failed[0] != &d2.Failed[0] {
			t.Errorf("RunCampaign(static=%v): two decisions failing the same rules hold two slices, want one", static)
		}
	}
}
