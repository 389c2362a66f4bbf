package attach_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

// validCount reports whether n is a count an application may give.
func validCount(n int) bool { return n >= 0 && n <= attach.MaxAttached }

// sameResult fails the test when two campaign results differ.
func sameResult(t *testing.T, name string, want, got *attach.CampaignResult) {
	t.Helper()
	equal(t, len(want.Decisions), len(got.Decisions), name+": decisions")
	for i := range want.Decisions {
		w, g := want.Decisions[i], got.Decisions[i]
		if (w.Err == nil) != (g.Err == nil) || (w.Err != nil && w.Err.Error() != g.Err.Error()) {
			t.Fatalf("%s: RunCampaign(%s) error = %v, want %v", name, w.Application, g.Err, w.Err)
		}
		w.Err, g.Err = nil, nil
		if fmt.Sprint(w) != fmt.Sprint(g) {
			t.Fatalf("%s: RunCampaign(%s) = %+v, want %+v", name, w.Application, g, w)
		}
	}
	equal(t, want.Summary, got.Summary, name+": summary")
	equal(t, want.Doctors, got.Doctors, name+": doctors")
}

func TestRunCampaignEqualsSequential(t *testing.T) {
	e := builtinEngine(t, nil)
	tests := []struct {
		name   string
		reason string
		cfg    campaigngen.Config
		keep   bool // Campaign.KeepRepeats
	}{
		{name: "city", reason: "a small campaign: few doctors, many applications each, many reach their norm", cfg: campaigngen.Config{Seed: 1, Doctors: 80, Applications: 2500}},
		{name: "crowded", reason: "same-day departures to doctors chosen again that day join groups", cfg: campaigngen.Config{Seed: 2, Doctors: 30, Applications: 2500}},
		{name: "rush", reason: "days of dozens of applications to few doctors, decided by several workers with joined groups", cfg: campaigngen.Config{Seed: 7, Doctors: 16, Applications: 8000}},
		{name: "country", reason: "many doctors, campaign weeks and changes across the year", cfg: campaigngen.Config{Seed: 3, Doctors: 1500, Applications: 4000}},
		{name: "kz-2018", reason: "the 2018 set: campaign 15 Sep - 15 Nov, quality_dissatisfaction qualifies", cfg: campaigngen.Config{Seed: 4, Doctors: 200, Applications: 4000, Year: 2019}},
		{name: "repeaters", reason: "a third of the people apply two or three times: chains of supersessions, freed places, people joining groups", cfg: campaigngen.Config{Seed: 10, Doctors: 40, Applications: 5000, Repeaters: 0.35}},
		{name: "repeaters rush", reason: "repeated applicants among few doctors: most days join groups through people", cfg: campaigngen.Config{Seed: 11, Doctors: 12, Applications: 6000, Repeaters: 0.5}},
		{name: "no repeaters", reason: "every person applies once: nothing is superseded", cfg: campaigngen.Config{Seed: 12, Doctors: 60, Applications: 3000, Repeaters: -1}},
		{name: "keep repeats", reason: "KeepRepeats: every approval holds a place, as before", cfg: campaigngen.Config{Seed: 10, Doctors: 40, Applications: 5000, Repeaters: 0.35}, keep: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := campaigngen.Generate(tt.cfg)
			c := g.Campaign()
			c.KeepRepeats = tt.keep
			want, double := sequentialLedger(t, e, c)
			s := want.Summary
			require.True(t, s.Approved > 0 && s.Rejected > 0, "generated campaign decides %+v, want approvals and rejections (%s)", s, tt.reason)
			switch {
			case tt.keep:
				assert.Zero(t, s.Superseded, "KeepRepeats supersedes nothing")
				assert.NotEmpty(t, double, "KeepRepeats: the oracle's ledger finds people holding two places with one doctor, the double count of the issue")
			case tt.cfg.Repeaters >= 0: // 0: the default share
				assert.Positive(t, s.Superseded, "some approvals are superseded (%s)", tt.reason)
				assert.Equal(t, s.Approved-s.Superseded, s.PeopleApproved, "one standing approval per person")
			default:
				assert.Zero(t, s.Superseded)
			}
			for _, workers := range []int{1, 2, 3, 8} {
				c.Workers = workers
				got, err := e.RunCampaign(c)
				require.NoError(t, err)
				sameResult(t, fmt.Sprintf("%s workers=%d (%s)", tt.name, workers, tt.reason), want, got)
			}
			// The same applications in another order give the same decisions.
			for seed := range uint64(2) {
				rng := rand.New(rand.NewPCG(9, seed))
				shuffled := slices.Clone(c.Applications)
				perm := rng.Perm(len(shuffled))
				for i, j := range perm {
					shuffled[j] = c.Applications[i]
				}
				got, err := e.RunCampaign(&attach.Campaign{Doctors: c.Doctors, Applications: shuffled, Workers: 3, KeepRepeats: tt.keep})
				require.NoError(t, err)
				for i, j := range perm {
					g, w := got.Decisions[j], want.Decisions[i]
					g.Err, w.Err = nil, nil
					equal(t, fmt.Sprint(w), fmt.Sprint(g), "shuffled: RunCampaign("+w.Application+")")
				}
				equal(t, want.Summary, got.Summary, "shuffled summary")
				equal(t, want.Doctors, got.Doctors, "shuffled doctors")
			}
		})
	}
}

// TestRunCampaignSameDayDepartures builds the case the groups exist for: one person
// leaves a full doctor the same day (a change for a qualifying reason), and a later
// application that day takes the place they freed.
func TestRunCampaignSameDayDepartures(t *testing.T) {
	e := builtinEngine(t, nil)
	at := func(h int) time.Time { return time.Date(2025, 3, 10, h, 0, 0, 0, time.FixedZone("", 5*3600)) }
	app := func(id string, h int, clinic, doctor string, prevClinic, prevDoctor string) attach.Application {
		a := attach.Application{
			ID: id, SubmittedAt: at(h), Channel: attach.Egov, Signed: true, Reason: attach.ResidenceChange, WaivesHomeVisits: true,
			Citizen: attach.Citizen{IIN: newPerson(), Residency: attach.CitizenOfKazakhstan, AddressCode: "751110001"},
			Clinic:  attach.Clinic{ID: clinic, FundProvider: true, ServiceArea: []string{"75119"}},
			Doctor:  attach.Doctor{ID: doctor, Specialty: attach.Therapist},
		}
		if prevClinic != "" {
			a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID, a.Citizen.AttachedSince = prevClinic, prevDoctor, 20230101
		} else {
			a.Reason = attach.NoReason
		}
		return a
	}
	c := &attach.Campaign{
		Doctors: []attach.DoctorCount{{"C1", "X", 2000}, {"C2", "Y", 10}, {"C3", "Z", 1999}},
		Applications: []attach.Application{
			app("A1", 9, "C2", "Y", "C1", "X"),  // leaves X (full) for Y, effective today
			app("A2", 10, "C1", "X", "", ""),    // X has a place again: approved
			app("A3", 11, "C1", "X", "", ""),    // X is full again: capacity
			app("A4", 12, "C3", "Z", "C1", "X"), // Z reaches its norm; X frees a place
			app("A5", 13, "C3", "Z", "", ""),    // Z is full: capacity
		},
	}
	want := []struct {
		outcome  attach.Outcome
		attached int
	}{{attach.Approved, 10}, {attach.Approved, 1999}, {attach.Rejected, 2000}, {attach.Approved, 1999}, {attach.Rejected, 2000}}
	for _, workers := range []int{1, 2, 4} {
		c.Workers = workers
		got, err := e.RunCampaign(c)
		noError(t, err)
		for i, w := range want {
			d := got.Decisions[i]
			if d.Outcome != w.outcome || d.Attached != w.attached {
				t.Errorf("workers=%d: RunCampaign(%s) = %v with %d attached, want %v with %d", workers, d.Application, d.Outcome, d.Attached, w.outcome, w.attached)
			}
		}
		// X is full again after A2 and has a place again when A4 leaves it, the same day.
		equal(t, []attach.DoctorFull{{ClinicID: "C1", DoctorID: "X", Day: 20250310, Freed: 20250310, Capacity: 2000}, {ClinicID: "C3", DoctorID: "Z", Day: 20250310, Capacity: 2000}}, got.Summary.Full, "full")
		equal(t, []attach.DoctorCount{{"C1", "X", 1999}, {"C2", "Y", 11}, {"C3", "Z", 2000}}, got.Doctors, "doctors")
		sameResult(t, "oracle", sequential(t, e, c), got)
	}
}

func TestRunCampaignErrors(t *testing.T) {
	e := builtinEngine(t, nil)
	a := campaigngen.Generate(campaigngen.Config{Seed: 5, Doctors: 20, Applications: 3}).Applications
	tests := []struct {
		name   string
		reason string
		c      *attach.Campaign
		want   string
	}{
		{name: "nil", reason: "no campaign", c: nil, want: "attach: nil campaign"},
		{name: "duplicate doctor", reason: "one count per doctor", c: &attach.Campaign{Doctors: []attach.DoctorCount{{"C", "D", 1}, {"C", "D", 2}}}, want: `attach: campaign: doctor "D" of clinic "C" is listed twice`},
		{name: "negative count", reason: "a count below zero is a mistake in the data, not a count to clamp", c: &attach.Campaign{Doctors: []attach.DoctorCount{{"C", "D", -3}}}, want: `attach: campaign: doctor "D" of clinic "C" has -3 attached; want 0 to 100000`},
		{name: "count above the bound", reason: "a count above MaxAttached would let the sums overflow", c: &attach.Campaign{Doctors: []attach.DoctorCount{{"C", "D", math.MaxInt}}}, want: fmt.Sprintf(`attach: campaign: doctor "D" of clinic "C" has %d attached; want 0 to 100000`, math.MaxInt)},
	}
	for _, tt := range tests {
		_, err := e.RunCampaign(tt.c)
		if err == nil || err.Error() != tt.want || !errors.Is(err, attach.ErrInvalidCampaign) {
			t.Errorf("RunCampaign(%s) error = %v, want %q matching ErrInvalidCampaign (%s)", tt.name, err, tt.want, tt.reason)
		}
	}
	// An invalid application is reported in its decision and the others are decided.
	bad := a[1]
	bad.Citizen.IIN = "123"
	res, err := e.RunCampaign(&attach.Campaign{Applications: []attach.Application{a[0], bad, a[2]}})
	noError(t, err)
	if res.Decisions[1].Err == nil || res.Decisions[0].Err != nil || res.Summary.Invalid != 1 {
		t.Errorf("RunCampaign(invalid second) = %+v, want only the second invalid", res.Summary)
	}
}

func TestRunCampaignStatic(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 6, Doctors: 100, Applications: 500})
	c := g.Campaign()
	c.Static = true
	res, err := e.RunCampaign(c)
	noError(t, err)
	for i := range c.Applications {
		d, err := e.Decide(&c.Applications[i])
		got := res.Decisions[i]
		if err != nil {
			if got.Err == nil {
				t.Fatalf("static RunCampaign(%d) = %+v, want the error %v", i, got, err)
			}
			continue
		}
		if got.Outcome != d.Outcome || !slices.Equal(got.Failed, d.Failed) || got.EffectiveFrom != d.EffectiveFrom || got.Attached != c.Applications[i].Doctor.Attached {
			t.Fatalf("static RunCampaign(%s) = %+v, want %v %v %v", d.Application, got, d.Outcome, d.Failed, d.EffectiveFrom)
		}
	}
}

func noError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// equal fails the test when got differs from want.
func equal(t testing.TB, want, got any, what string) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s = %+v, want %+v", what, got, want)
	}
}

// TestRunCampaignCountsAtTheBound pins that a count starting at MaxAttached grows by one
// per approval, past the bound and without wrapping, under a norm above it.
func TestRunCampaignCountsAtTheBound(t *testing.T) {
	e := builtinEngine(t, map[string]rules.Value{"kz-2023.capacity": rules.IntValue(attach.MaxAttached + 10)})
	res, err := e.RunCampaign(&attach.Campaign{
		Doctors: []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached}},
		Applications: []attach.Application{
			campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 0),
			campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 0),
		},
	})
	require.NoError(t, err)
	for i, want := range []int{attach.MaxAttached, attach.MaxAttached + 1} {
		d := res.Decisions[i]
		assert.Equal(t, attach.Approved, d.Outcome, "RunCampaign(%s).Outcome", d.Application)
		assert.Equal(t, want, d.Attached, "RunCampaign(%s).Attached", d.Application)
	}
	assert.Equal(t, []attach.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached + 2}}, res.Doctors)
}

// TestRunCampaignDuplicateID pins what a repeated id does: the later application in
// c.Applications gets an error matching ErrDuplicateID, whatever its submission time, and
// the others are decided as if it were not there, live or static.
func TestRunCampaignDuplicateID(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 8, Doctors: 10, Applications: 200})
	for _, static := range []bool{false, true} {
		c := g.Campaign()
		c.Static = static
		want, err := e.RunCampaign(c)
		require.NoError(t, err)

		// A copy of application 3 submitted before everything else, placed at index 150,
		// and one of application 7 at the end.
		early := c.Applications[3]
		early.SubmittedAt = c.Applications[0].SubmittedAt.AddDate(-1, 0, 0)
		apps := slices.Insert(slices.Clone(c.Applications), 150, early)
		apps = append(apps, c.Applications[7])
		var progress []int
		got, err := e.RunCampaign(&attach.Campaign{Doctors: c.Doctors, Applications: apps, Static: static, Progress: func(n int) { progress = append(progress, n) }})
		require.NoError(t, err, "RunCampaign(duplicate ids) refused the whole campaign")

		for _, dup := range []struct{ at, first int }{{150, 3}, {len(apps) - 1, 7}} {
			d := got.Decisions[dup.at]
			require.ErrorIs(t, d.Err, attach.ErrDuplicateID, "static=%v: decision %d", static, dup.at)
			assert.NotErrorIs(t, d.Err, attach.ErrInvalidCampaign)
			assert.Equal(t, fmt.Sprintf("attach: campaign: application %d: id %q is already the id of application %d", dup.at, apps[dup.first].ID, dup.first), d.Err.Error())
			assert.Equal(t, attach.CampaignDecision{Application: apps[dup.first].ID, Err: d.Err}, d, "static=%v: the duplicate is not decided", static)
		}
		others := slices.Delete(slices.Clone(got.Decisions[:len(apps)-1]), 150, 151)
		assert.Equal(t, want.Decisions, others, "static=%v: the other decisions are those of the campaign without the duplicates", static)
		assert.Equal(t, want.Doctors, got.Doctors, "static=%v: the duplicates move no count", static)
		wantSummary := want.Summary
		wantSummary.Applications += 2
		wantSummary.Invalid += 2
		assert.Equal(t, wantSummary, got.Summary, "static=%v: summary", static)
		require.NotEmpty(t, progress)
		assert.Equal(t, len(apps), progress[len(progress)-1], "static=%v: the last progress call counts every application", static)
	}
}
