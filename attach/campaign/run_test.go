package campaign_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

func TestRunEqualsSequential(t *testing.T) {
	e := builtinEngine(t, nil)
	tests := []struct {
		name   string
		reason string
		cfg    campaigngen.Config
		keep   bool // Batch.KeepRepeats
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
			c := inputOf(campaigngen.Generate(tt.cfg))
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
				got, err := runInput(e, c)
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
				got, err := runInput(e, &input{Doctors: c.Doctors, Applications: shuffled, Workers: 3, KeepRepeats: tt.keep})
				require.NoError(t, err)
				for i, j := range perm {
					g, w := got.Decision(j), want.Decisions[i]
					g.Err, w.Err = nil, nil
					equal(t, fmt.Sprint(w), fmt.Sprint(g), "shuffled: RunCampaign("+w.Application+")")
				}
				equal(t, want.Summary, got.Summary, "shuffled summary")
				equal(t, want.Doctors, got.Doctors, "shuffled doctors")
			}
		})
	}
}

// TestRunSameDayDepartures builds the case the groups exist for: one person
// leaves a full doctor the same day (a change for a qualifying reason), and a later
// application that day takes the place they freed.
func TestRunSameDayDepartures(t *testing.T) {
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
	c := &input{
		Doctors: []campaign.DoctorCount{{"C1", "X", 2000}, {"C2", "Y", 10}, {"C3", "Z", 1999}},
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
		got, err := runInput(e, c)
		noError(t, err)
		for i, w := range want {
			d := got.Decision(i)
			if d.Outcome != w.outcome || d.Attached != w.attached {
				t.Errorf("workers=%d: Run(%s) = %v with %d attached, want %v with %d", workers, d.Application, d.Outcome, d.Attached, w.outcome, w.attached)
			}
		}
		// X is full again after A2 and has a place again when A4 leaves it, the same day.
		equal(t, []campaign.DoctorFull{{ClinicID: "C1", DoctorID: "X", Day: 20250310, Freed: 20250310, Capacity: 2000}, {ClinicID: "C3", DoctorID: "Z", Day: 20250310, Capacity: 2000}}, got.Summary.Full, "full")
		equal(t, []campaign.DoctorCount{{"C1", "X", 1999}, {"C2", "Y", 11}, {"C3", "Z", 2000}}, got.Doctors, "doctors")
		sameResult(t, "oracle", sequential(t, e, c), got)
	}
}

func TestRunErrors(t *testing.T) {
	e := builtinEngine(t, nil)
	a := campaigngen.Generate(campaigngen.Config{Seed: 5, Doctors: 20, Applications: 3}).Applications
	tests := []struct {
		name   string
		reason string
		c      *input
		want   string
	}{
		{name: "nil", reason: "no campaign", c: nil, want: "campaign: nil batch"},
		{name: "duplicate doctor", reason: "one count per doctor", c: &input{Doctors: []campaign.DoctorCount{{"C", "D", 1}, {"C", "D", 2}}}, want: `campaign: doctor "D" of clinic "C" is listed twice`},
		{name: "negative count", reason: "a count below zero is a mistake in the data, not a count to clamp", c: &input{Doctors: []campaign.DoctorCount{{"C", "D", -3}}}, want: `campaign: doctor "D" of clinic "C" has -3 attached; want 0 to 100000`},
		{name: "count above the bound", reason: "a count above MaxAttached would let the sums overflow", c: &input{Doctors: []campaign.DoctorCount{{"C", "D", math.MaxInt}}}, want: fmt.Sprintf(`campaign: doctor "D" of clinic "C" has %d attached; want 0 to 100000`, math.MaxInt)},
	}
	for _, tt := range tests {
		_, err := runInput(e, tt.c)
		if err == nil || err.Error() != tt.want || !errors.Is(err, campaign.ErrInvalidBatch) {
			t.Errorf("Run(%s) error = %v, want %q matching ErrInvalidBatch (%s)", tt.name, err, tt.want, tt.reason)
		}
	}
	// An engine New did not make is a mistake of the caller, said in words, never a panic.
	for _, zero := range []*attach.Engine{{}, nil} {
		res, err := campaign.Run(zero, &campaign.Batch{})
		if res != nil || err == nil || err.Error() != "campaign: the engine was not made by attach.New" {
			t.Errorf("Run(%v engine) = %v, %v; want the error saying the engine was not made by attach.New", zero, res, err)
		}
	}
	// An invalid application is reported in its decision and the others are decided.
	bad := a[1]
	bad.Citizen.IIN = "123"
	res, err := runInput(e, &input{Applications: []attach.Application{a[0], bad, a[2]}})
	noError(t, err)
	if res.Decision(1).Err == nil || res.Decision(0).Err != nil || res.Summary.Invalid != 1 {
		t.Errorf("Run(invalid second) = %+v, want only the second invalid", res.Summary)
	}
}

// TestResultDecisionOutOfRange: past either end of a result there is no decision, never
// a panic.
func TestResultDecisionOutOfRange(t *testing.T) {
	e := builtinEngine(t, nil)
	a := campaigngen.Generate(campaigngen.Config{Seed: 5, Doctors: 20, Applications: 3}).Applications
	res, err := runInput(e, &input{Applications: a})
	noError(t, err)
	require.Equal(t, 3, res.Len())
	for _, i := range []int{-1, res.Len(), res.Len() + 1} {
		assert.Equal(t, campaign.Decision{}, res.Decision(i), "Decision(%d) of %d", i, res.Len())
	}
}

func TestRunStatic(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 6, Doctors: 100, Applications: 500})
	c := inputOf(g)
	c.Static = true
	res, err := runInput(e, c)
	noError(t, err)
	for i := range c.Applications {
		d, err := e.Decide(&c.Applications[i])
		got := res.Decision(i)
		if err != nil {
			if got.Err == nil {
				t.Fatalf("static Run(%d) = %+v, want the error %v", i, got, err)
			}
			continue
		}
		if got.Outcome != d.Outcome || !slices.Equal(got.Failed, d.Failed) || got.EffectiveFrom != d.EffectiveFrom || got.Attached != c.Applications[i].Doctor.Attached {
			t.Fatalf("static Run(%s) = %+v, want %v %v %v", d.Application, got, d.Outcome, d.Failed, d.EffectiveFrom)
		}
	}
}

// TestRunCountsAtTheBound pins that a count starting at MaxAttached grows by one
// per approval, past the bound and without wrapping, under a norm above it.
func TestRunCountsAtTheBound(t *testing.T) {
	e := builtinEngine(t, map[string]rules.Value{"kz-2023.capacity": rules.ValueOf(attach.MaxAttached + 10)})
	res, err := runInput(e, &input{
		Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached}},
		Applications: []attach.Application{
			campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 0),
			campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 0),
		},
	})
	require.NoError(t, err)
	for i, want := range []int{attach.MaxAttached, attach.MaxAttached + 1} {
		d := res.Decision(i)
		assert.Equal(t, attach.Approved, d.Outcome, "Run(%s).Outcome", d.Application)
		assert.Equal(t, want, d.Attached, "Run(%s).Attached", d.Application)
	}
	assert.Equal(t, []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached + 2}}, res.Doctors)
}

// TestRunDuplicateID pins what a repeated id does: the later application in
// c.Applications gets an error matching ErrDuplicateID, whatever its submission time, and
// the others are decided as if it were not there, live or static.
func TestRunDuplicateID(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 8, Doctors: 10, Applications: 200})
	for _, static := range []bool{false, true} {
		c := inputOf(g)
		c.Static = static
		want, err := runInput(e, c)
		require.NoError(t, err)

		// A copy of application 3 submitted before everything else, placed at index 150,
		// and one of application 7 at the end.
		early := c.Applications[3]
		early.SubmittedAt = c.Applications[0].SubmittedAt.AddDate(-1, 0, 0)
		apps := slices.Insert(slices.Clone(c.Applications), 150, early)
		apps = append(apps, c.Applications[7])
		var progress []int
		got, err := runInput(e, &input{Doctors: c.Doctors, Applications: apps, Static: static, Progress: func(n int) { progress = append(progress, n) }})
		require.NoError(t, err, "Run(duplicate ids) refused the whole campaign")

		for _, dup := range []struct{ at, first int }{{150, 3}, {len(apps) - 1, 7}} {
			d := got.Decision(dup.at)
			require.ErrorIs(t, d.Err, campaign.ErrDuplicateID, "static=%v: decision %d", static, dup.at)
			assert.NotErrorIs(t, d.Err, campaign.ErrInvalidBatch)
			assert.Equal(t, fmt.Sprintf("campaign: application %d: id %q is already the id of application %d", dup.at, apps[dup.first].ID, dup.first), d.Err.Error())
			assert.Equal(t, campaign.Decision{Application: apps[dup.first].ID, Err: d.Err}, d, "static=%v: the duplicate is not decided", static)
		}
		others := slices.Delete(decisions(got)[:len(apps)-1], 150, 151)
		assert.Equal(t, decisions(want), others, "static=%v: the other decisions are those of the campaign without the duplicates", static)
		assert.Equal(t, want.Doctors, got.Doctors, "static=%v: the duplicates move no count", static)
		wantSummary := want.Summary
		wantSummary.Applications += 2
		wantSummary.Invalid += 2
		assert.Equal(t, wantSummary, got.Summary, "static=%v: summary", static)
		require.NotEmpty(t, progress)
		assert.Equal(t, len(apps), progress[len(progress)-1], "static=%v: the last progress call counts every application", static)
	}
}

// readCounts runs the campaign and returns, by application id, the count each decision
// read, or -1 for an application with no decision.
func readCounts(t *testing.T, e *attach.Engine, c *input) map[string]int {
	t.Helper()
	res, err := runInput(e, c)
	noError(t, err)
	got := map[string]int{}
	for _, d := range decisions(res) {
		got[d.Application] = d.Attached
		if d.Err != nil {
			got[d.Application] = -1
		}
	}
	return got
}

// TestRunStartingCounts pins where a doctor's count starts: from c.Doctors when
// listed, whatever the applications say; otherwise from the doctor.attached of the first
// application in submission order that names the doctor with a count that is not negative.
func TestRunStartingCounts(t *testing.T) {
	e := builtinEngine(t, nil)
	tests := []struct {
		name    string
		reason  string
		doctors []campaign.DoctorCount
		apps    []attach.Application
		want    map[string]int // the count each application read
	}{
		{name: "listed", reason: "a listed count wins over the applications' own",
			doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 100}},
			apps:    []attach.Application{campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 5000)},
			want:    map[string]int{"A1": 100}},
		{name: "listed at zero", reason: "a listed count of zero is a count, not a missing one",
			doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 0}},
			apps:    []attach.Application{campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 5000)},
			want:    map[string]int{"A1": 0}},
		{name: "listed at the bound", reason: "MaxAttached itself is a count a campaign may start from",
			doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: attach.MaxAttached}},
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
			doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 10}},
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
		{name: "negative first count, added last", reason: "the first valid count in submission order seeds the doctor, whatever the order the applications were added in",
			apps: []attach.Application{
				campApp("A3", "2025-03-10T12:00:00+05:00", "C1", "X", "", 5),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 1999),
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", -1),
			},
			want: map[string]int{"A1": -1, "A2": 1999, "A3": 2000}},
		{name: "a refused duplicate does not seed", reason: "an application refused for its id is not decided, and its count is no one's",
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 7),
				campApp("A1", "2025-03-10T09:00:00+05:00", "C1", "X", "", 3),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 5000),
			},
			want: map[string]int{"A1": -1, "A2": 8}}, // A1: the duplicate's error, read last
		{name: "first count above the bound", reason: "a count above MaxAttached does not seed the doctor either",
			apps: []attach.Application{
				campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", attach.MaxAttached+1),
				campApp("A2", "2025-03-10T11:00:00+05:00", "C1", "X", "", 7),
			},
			want: map[string]int{"A1": -1, "A2": 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readCounts(t, e, &input{Doctors: tt.doctors, Applications: tt.apps, Workers: 1})
			equal(t, tt.want, got, "Run("+tt.name+") counts read ("+tt.reason+")")
		})
	}
}

// TestRunDeparturesOnTheirDay pins that a person leaves their previous doctor on
// the day the new attachment takes effect: not before, and before the first application
// of that day is decided.
func TestRunDeparturesOnTheirDay(t *testing.T) {
	e := builtinEngine(t, nil)
	// P changes from X (full) to Y in the 2026 campaign: it takes effect on 1 January 2027.
	p := campApp("P", "2026-10-05T10:00:00+05:00", "C2", "Y", "C1/X", 10)
	p.Reason = attach.NoReason
	c := &input{
		Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 2000}, {ClinicID: "C2", DoctorID: "Y", Attached: 10}},
		Applications: []attach.Application{
			p,
			campApp("Q1", "2026-12-31T23:00:00+05:00", "C1", "X", "C5/Z", 0), // X still full
			campApp("Q2", "2027-01-01T00:30:00+05:00", "C1", "X", "C5/Z", 0), // P has left X
			campApp("Q3", "2027-01-01T01:00:00+05:00", "C1", "X", "C5/Z", 0), // Q2 took the place
		},
		Workers: 1,
	}
	res, err := runInput(e, c)
	noError(t, err)
	want := []struct {
		outcome  attach.Outcome
		attached int
		from     rules.Date
	}{{attach.Approved, 10, 20270101}, {attach.Rejected, 2000, 0}, {attach.Approved, 1999, 20270101}, {attach.Rejected, 2000, 0}}
	for i, w := range want {
		d := res.Decision(i)
		if d.Outcome != w.outcome || d.Attached != w.attached || d.EffectiveFrom != w.from {
			t.Errorf("Run(%s) = %v with %d attached from %s, want %v with %d from %s", d.Application, d.Outcome, d.Attached, d.EffectiveFrom, w.outcome, w.attached, w.from)
		}
	}
	equal(t, []campaign.DoctorCount{{"C1", "X", 2000}, {"C2", "Y", 11}}, res.Doctors, "Run(departure on 1 January).Doctors")
}

// TestRunDeparturesInDateOrder pins that departures pending on different days
// are applied by their day, whatever the order they were decided in: with changes that
// take effect a month after they are made, the one due first frees its place first.
func TestRunDeparturesInDateOrder(t *testing.T) {
	h := rules.Builtin()
	for i := range h {
		h[i].TakesEffect = "addMonths(application.date, 1)"
	}
	e, err := attach.New(h)
	noError(t, err)
	c := &input{
		Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 2000}, {ClinicID: "C2", DoctorID: "Y", Attached: 10}},
		Applications: []attach.Application{
			campApp("P1", "2025-03-02T10:00:00+05:00", "C2", "Y", "C1/X", 0), // leaves X on 2 April
			campApp("P2", "2025-03-03T10:00:00+05:00", "C2", "Y", "C1/X", 0), // leaves X on 3 April
			campApp("Q1", "2025-04-01T10:00:00+05:00", "C1", "X", "C5/Z", 0), // X still full
			campApp("Q2", "2025-04-02T10:00:00+05:00", "C1", "X", "C5/Z", 0), // P1 has left
		},
		Workers: 1,
	}
	got := readCounts(t, e, c)
	equal(t, map[string]int{"P1": 10, "P2": 11, "Q1": 2000, "Q2": 1999}, got, "Run(departures a month later) counts read")
}

// TestRunProgress pins the calls of Campaign.Progress: after each local day with
// the number decided so far, or once for a static campaign.
func TestRunProgress(t *testing.T) {
	e := builtinEngine(t, nil)
	apps := []attach.Application{
		campApp("A3", "2025-03-11T09:00:00+05:00", "C1", "X", "", 1),
		campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 1),
		campApp("A2", "2025-03-10T23:59:00+05:00", "C1", "X", "", 1),
	}
	for _, static := range []bool{false, true} {
		var calls []int
		_, err := runInput(e, &input{Applications: apps, Static: static, Progress: func(n int) { calls = append(calls, n) }})
		noError(t, err)
		want := []int{2, 3}
		if static {
			want = []int{3}
		}
		equal(t, want, calls, "Run(static="+map[bool]string{false: "false", true: "true"}[static]+") progress")
	}
}

// TestRunNoRuleSet pins the decision of an application no rule set decides: its
// error, its date and the count it would have read, and no change to the count.
func TestRunNoRuleSet(t *testing.T) {
	e := builtinEngine(t, nil)
	early := campApp("A0", "2017-06-01T10:00:00+05:00", "C1", "X", "", 3)
	early.Reason = attach.NoReason
	res, err := runInput(e, &input{
		Doctors:      []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "X", Attached: 12}},
		Applications: []attach.Application{early, campApp("A1", "2025-03-10T10:00:00+05:00", "C1", "X", "", 3)},
	})
	noError(t, err)
	d := res.Decision(0)
	if !errors.As(d.Err, new(*attach.NoRuleSetError)) || d.Outcome != attach.Undecided || d.Date != 20170601 || d.Attached != 12 {
		t.Errorf("Run(2017) = %+v, want undecided on 2017-06-01 with 12 attached and a NoRuleSetError", d)
	}
	if res.Decision(1).Attached != 12 || res.Summary.Invalid != 1 || res.Summary.Approved != 1 {
		t.Errorf("Run(2017, 2025) = %+v, want the 2025 application to read 12, one invalid, one approved", res.Summary)
	}
}

// TestRunSharedFailed pins that rejections failing the same rules share one
// Failed slice, so that a campaign of a million rejections does not hold a million
// slices, and that each still lists its own rules.
func TestRunSharedFailed(t *testing.T) {
	e := builtinEngine(t, nil)
	var apps []attach.Application
	for i, id := range []string{"A1", "A2", "A3"} {
		a := campApp(id, "2025-03-10T10:00:00+05:00", "C1", "X", "", 2000+i)
		a.WaivesHomeVisits = id == "A3"
		apps = append(apps, a)
	}
	for _, static := range []bool{false, true} {
		res, err := runInput(e, &input{Applications: apps, Static: static, Workers: 1})
		noError(t, err)
		d1, d2, d3 := res.Decision(0), res.Decision(1), res.Decision(2)
		equal(t, []string{"home_visits", "capacity"}, d1.Failed, "Run(A1).Failed")
		equal(t, []string{"home_visits", "capacity"}, d2.Failed, "Run(A2).Failed")
		equal(t, []string{"capacity"}, d3.Failed, "Run(A3).Failed")
		if &d1.Failed[0] != &d2.Failed[0] {
			t.Errorf("Run(static=%v): two decisions failing the same rules hold two slices, want one", static)
		}
	}
}

// TestRunDecodedApplications pins that a batch decides decoded applications as they were
// read: a count the line left out is the doctor's live count, even 0, while a static run
// refuses it, and another field left out that a rule reads is an error naming it.
func TestRunDecodedApplications(t *testing.T) {
	e := builtinEngine(t, nil)
	const line = `{"id":"%s","submitted_at":"2026-03-10T%s:00:00+05:00","channel":"egov",%s"reason":"residence_change","waives_home_visits":true,` +
		`"citizen":{"iin":"%s","residency":"citizen","address_code":"751110001","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2023-01-01"},` +
		`"clinic":{"id":"C1","fund_provider":true,"service_area":["75119"]},"doctor":{"id":"D1","specialty":"therapist"}}`
	var apps []attach.Application
	for _, l := range []string{
		fmt.Sprintf(line, "A1", "10", `"signed":true,`, newPerson()),
		fmt.Sprintf(line, "A2", "11", ``, newPerson()),
		fmt.Sprintf(line, "A3", "12", `"signed":true,`, newPerson()),
	} {
		app, err := attach.DecodeApplication([]byte(l))
		require.NoError(t, err)
		apps = append(apps, *app)
	}
	in := &input{Doctors: []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: 0}}, Applications: apps}
	res, err := runInput(e, in)
	require.NoError(t, err)
	d := res.Decision(0)
	require.NoError(t, d.Err)
	assert.Equal(t, [2]any{attach.Approved, 0}, [2]any{d.Outcome, d.Attached}, "A1 reads the doctor's count, 0")
	assert.ErrorContains(t, res.Decision(1).Err, "signed: is missing or null; rule set kz-2025 reads it")
	assert.Equal(t, 1, res.Decision(2).Attached, "A3 reads A1's approval")

	in.Static = true
	res, err = runInput(e, in)
	require.NoError(t, err)
	assert.ErrorContains(t, res.Decision(0).Err, "doctor.attached: is missing or null; rule set kz-2025 reads it", "static: the application's own count, left out")
}
