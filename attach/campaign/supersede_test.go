package campaign_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

// inCampaign is campApp for a change chosen in the campaign: no reason, effective on 1
// January.
func inCampaign(id, when, clinic, doctor, prev string, attached int) attach.Application {
	a := campApp(id, when, clinic, doctor, prev, attached)
	a.Reason = attach.NoReason
	return a
}

// samePerson makes the applications one person's: the first one's.
func samePerson(apps ...*attach.Application) {
	for _, a := range apps[1:] {
		a.Citizen = apps[0].Citizen
	}
}

// runBoth runs c with 1, 2 and 4 workers, checks that the runs agree with each other and
// with the sequential oracle, and returns the result.
func runBoth(t *testing.T, e *attach.Engine, c *input) *campaign.Result {
	t.Helper()
	want := sequential(t, e, c)
	var res *campaign.Result
	for _, workers := range []int{1, 2, 4} {
		c.Workers = workers
		got, err := runInput(e, c)
		require.NoError(t, err)
		sameResult(t, fmt.Sprintf("workers=%d", workers), want, got)
		res = got
	}
	return res
}

// TestRunSupersedes is the issue "Campaigns: one person holds one place": P
// applies to D1 and then to D2 in the campaign, and both are approved; someone else then
// applies to D1. D1 is full only by a place P no longer holds.
func TestRunSupersedes(t *testing.T) {
	e := builtinEngine(t, nil)
	p1 := inCampaign("P1", "2025-10-05T10:00:00+05:00", "C1", "D1", "C9/D9", 0)
	p2 := inCampaign("P2", "2025-10-06T10:00:00+05:00", "C2", "D2", "C9/D9", 0)
	samePerson(&p1, &p2)
	q := campApp("Q", "2025-10-07T10:00:00+05:00", "C1", "D1", "", 0) // another person, out of the area
	doctors := []campaign.DoctorCount{{ClinicID: "C1", DoctorID: "D1", Attached: 1999}, {ClinicID: "C2", DoctorID: "D2", Attached: 1999}, {ClinicID: "C9", DoctorID: "D9", Attached: 1500}}
	apps := []attach.Application{p1, p2, q}
	type decision struct {
		outcome      attach.Outcome
		attached     int
		supersededBy string
	}
	tests := []struct {
		name, reason string
		keep         bool
		want         []decision
		full         []campaign.DoctorFull
		doctors      []campaign.DoctorCount
		summary      [5]int // approved, superseded, people, people approved, rejected
	}{
		{name: "one place", reason: "P2 supersedes P1: D1 has P's place back from 6 October, Q is approved, P leaves D9 once",
			want: []decision{{attach.Approved, 1999, "P2"}, {attach.Approved, 1999, ""}, {attach.Approved, 1999, ""}},
			full: []campaign.DoctorFull{
				{ClinicID: "C1", DoctorID: "D1", Day: 20251005, Freed: 20251006, Capacity: 2000},
				{ClinicID: "C2", DoctorID: "D2", Day: 20251006, Capacity: 2000},
				{ClinicID: "C1", DoctorID: "D1", Day: 20251007, Capacity: 2000},
			},
			doctors: []campaign.DoctorCount{{"C1", "D1", 2000}, {"C2", "D2", 2000}, {"C9", "D9", 1499}},
			summary: [5]int{3, 1, 2, 2, 0}},
		{name: "keep repeats", reason: "the old count: P holds two places, Q is refused, P leaves D9 twice",
			keep: true,
			want: []decision{{attach.Approved, 1999, ""}, {attach.Approved, 1999, ""}, {attach.Rejected, 2000, ""}},
			full: []campaign.DoctorFull{
				{ClinicID: "C1", DoctorID: "D1", Day: 20251005, Capacity: 2000},
				{ClinicID: "C2", DoctorID: "D2", Day: 20251006, Capacity: 2000},
			},
			doctors: []campaign.DoctorCount{{"C1", "D1", 2000}, {"C2", "D2", 2000}, {"C9", "D9", 1498}},
			summary: [5]int{2, 0, 2, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runBoth(t, e, &input{Doctors: doctors, Applications: apps, KeepRepeats: tt.keep})
			for i, w := range tt.want {
				d := res.Decision(i)
				assert.Equal(t, w, decision{d.Outcome, d.Attached, d.SupersededBy}, "Run(%s) (%s)", d.Application, tt.reason)
			}
			assert.Equal(t, rules.Date(20260101), res.Decision(0).EffectiveFrom, "a change chosen in the campaign takes effect on 1 January")
			assert.Equal(t, tt.full, res.Summary.Full, "Full (%s)", tt.reason)
			assert.Equal(t, tt.doctors, res.Doctors, "Doctors (%s)", tt.reason)
			s := res.Summary
			assert.Equal(t, tt.summary, [5]int{s.Approved, s.Superseded, s.People, s.PeopleApproved, s.Rejected}, "summary: approved, superseded, people, people approved, rejected (%s)", tt.reason)
		})
	}
}

// TestRunSupersession pins what a person's later application does to counts,
// case by case: probes (other people, out of the area) read the counts.
func TestRunSupersession(t *testing.T) {
	e := builtinEngine(t, nil)
	type probe struct{ id, when, doctor string }
	tests := []struct {
		name, reason string
		doctors      []campaign.DoctorCount
		person       []attach.Application // one person's applications
		probes       []probe              // other people's first attachments, to clinic C1
		want         map[string]int       // the count each probe read
		superseded   map[string]string    // SupersededBy of the person's applications
		final        []campaign.DoctorCount
	}{
		{name: "later rejected", reason: "a rejected application leaves the earlier approval standing",
			doctors: []campaign.DoctorCount{{"C1", "X", 1999}, {"C1", "Y", 2000}, {"C9", "D9", 1500}},
			person: []attach.Application{
				inCampaign("P1", "2025-10-05T10:00:00+05:00", "C1", "X", "C9/D9", 0),
				inCampaign("P2", "2025-10-06T10:00:00+05:00", "C1", "Y", "C9/D9", 0), // Y is full: refused
			},
			probes:     []probe{{"Q", "2025-10-07T10:00:00+05:00", "X"}},
			want:       map[string]int{"Q": 2000},
			superseded: map[string]string{"P1": "", "P2": ""},
			final:      []campaign.DoctorCount{{"C1", "X", 2000}, {"C1", "Y", 2000}, {"C9", "D9", 1499}}},
		{name: "took effect", reason: "our reading: a change that took effect on its day is where the person is; the later change moves them from there on 1 January, and they leave D9 once",
			doctors: []campaign.DoctorCount{{"C1", "X", 1999}, {"C1", "Y", 100}, {"C9", "D9", 1500}},
			person: []attach.Application{
				campApp("P1", "2025-03-10T10:00:00+05:00", "C1", "X", "C9/D9", 0),    // a reason: effective on the day
				inCampaign("P2", "2025-10-05T10:00:00+05:00", "C1", "Y", "C9/D9", 0), // the application still names D9
			},
			probes: []probe{{"Q1", "2025-12-31T10:00:00+05:00", "X"}, {"Q2", "2026-01-01T10:00:00+05:00", "X"}},
			want:   map[string]int{"Q1": 2000, "Q2": 1999}, superseded: map[string]string{"P1": "P2", "P2": ""},
			final: []campaign.DoctorCount{{"C1", "X", 2000}, {"C1", "Y", 101}, {"C9", "D9", 1499}}},
		{name: "first attachment then change", reason: "a first attachment took effect on its day; a change the same day moves the person at once",
			doctors: []campaign.DoctorCount{{"C1", "X", 1999}, {"C1", "Y", 100}},
			person: []attach.Application{
				campApp("P1", "2025-03-10T09:00:00+05:00", "C1", "X", "", 0),
				campApp("P2", "2025-03-10T11:00:00+05:00", "C1", "Y", "", 0),
			},
			probes: []probe{{"Q1", "2025-03-10T10:00:00+05:00", "X"}, {"Q2", "2025-03-10T12:00:00+05:00", "X"}},
			want:   map[string]int{"Q1": 2000, "Q2": 1999}, superseded: map[string]string{"P1": "P2", "P2": ""},
			final: []campaign.DoctorCount{{"C1", "X", 2000}, {"C1", "Y", 101}}},
		{name: "same doctor again", reason: "a person approved again for the doctor they are with keeps their one place",
			doctors: []campaign.DoctorCount{{"C1", "X", 1999}},
			person: []attach.Application{
				campApp("P1", "2025-03-10T09:00:00+05:00", "C1", "X", "", 0),
				campApp("P2", "2025-03-11T09:00:00+05:00", "C1", "X", "", 0), // X is full, P is not counted twice: refused
			},
			probes: []probe{{"Q", "2025-03-12T10:00:00+05:00", "X"}},
			want:   map[string]int{"Q": 2000}, superseded: map[string]string{"P1": "", "P2": ""},
			final: []campaign.DoctorCount{{"C1", "X", 2000}}},
		{name: "same doctor pending", reason: "a change back to the doctor a person attached to this year keeps their place there; superseding it frees nothing, and they leave that doctor on 1 January for the change that stands",
			doctors: []campaign.DoctorCount{{"C1", "Y", 100}, {"C1", "Z", 100}, {"C9", "D9", 1500}},
			person: []attach.Application{
				campApp("P1", "2025-03-10T10:00:00+05:00", "C1", "Y", "C9/D9", 0),    // effective on the day: P is with Y
				inCampaign("P2", "2025-10-05T10:00:00+05:00", "C1", "Y", "C9/D9", 0), // Y again, for 1 January
				inCampaign("P3", "2025-10-06T10:00:00+05:00", "C1", "Z", "C9/D9", 0),
			},
			probes: []probe{{"Q1", "2025-10-05T12:00:00+05:00", "Y"}, {"Q2", "2025-12-31T10:00:00+05:00", "Y"}, {"Q3", "2026-01-01T10:00:00+05:00", "Y"}},
			// Each probe is approved and adds one: Q1 reads P's one place, Q2 still reads it
			// after P3, Q3 reads P gone and Q2 come.
			want: map[string]int{"Q1": 101, "Q2": 102, "Q3": 102}, superseded: map[string]string{"P1": "P2", "P2": "P3", "P3": ""},
			final: []campaign.DoctorCount{{"C1", "Y", 103}, {"C1", "Z", 101}, {"C9", "D9", 1499}}},
		{name: "three the same day", reason: "a chain of supersessions within one day frees each place at once",
			doctors: []campaign.DoctorCount{{"C1", "X", 1999}, {"C1", "Y", 1999}, {"C1", "Z", 100}, {"C9", "D9", 1500}},
			person: []attach.Application{
				inCampaign("P1", "2025-10-05T09:00:00+05:00", "C1", "X", "C9/D9", 0),
				inCampaign("P2", "2025-10-05T11:00:00+05:00", "C1", "Y", "C9/D9", 0),
				inCampaign("P3", "2025-10-05T13:00:00+05:00", "C1", "Z", "C9/D9", 0),
			},
			probes: []probe{{"QX1", "2025-10-05T10:00:00+05:00", "X"}, {"QX2", "2025-10-05T12:00:00+05:00", "X"}, {"QY1", "2025-10-05T12:30:00+05:00", "Y"}, {"QY2", "2025-10-05T14:00:00+05:00", "Y"}},
			want:   map[string]int{"QX1": 2000, "QX2": 1999, "QY1": 2000, "QY2": 1999}, superseded: map[string]string{"P1": "P2", "P2": "P3", "P3": ""},
			final: []campaign.DoctorCount{{"C1", "X", 2000}, {"C1", "Y", 2000}, {"C1", "Z", 101}, {"C9", "D9", 1499}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			person := slices.Clone(tt.person)
			for i := range person {
				person[i].Citizen = tt.person[0].Citizen
			}
			apps := person
			for _, p := range tt.probes {
				apps = append(apps, campApp(p.id, p.when, "C1", p.doctor, "", 0))
			}
			res := runBoth(t, e, &input{Doctors: tt.doctors, Applications: apps})
			read, superseded := map[string]int{}, map[string]string{}
			for i, d := range decisions(res) {
				require.NoError(t, d.Err)
				if i < len(person) {
					superseded[d.Application] = d.SupersededBy
				} else {
					read[d.Application] = d.Attached
				}
			}
			assert.Equal(t, tt.want, read, "Run(%s): the counts the probes read (%s)", tt.name, tt.reason)
			assert.Equal(t, tt.superseded, superseded, "Run(%s): SupersededBy (%s)", tt.name, tt.reason)
			assert.Equal(t, tt.final, res.Doctors, "Run(%s).Doctors (%s)", tt.name, tt.reason)
		})
	}
}

// onePlace checks, from a campaign's applications and its result alone, that each
// person holds one place: each of a person's approvals but the last, in submission order,
// is superseded by the next one and no other decision is, and each doctor's final count
// is its first count, plus the people whose standing approval is for that doctor, less
// the people attached to it who were approved elsewhere (each person's applications
// name the same current doctor, as campaigngen makes them). It returns what does not
// hold.
func onePlace(c *input, res *campaign.Result) []string {
	apps := c.Applications
	order := make([]int, len(apps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if n := apps[a].SubmittedAt.Compare(apps[b].SubmittedAt); n != 0 {
			return n
		}
		return compareStrings(apps[a].ID, apps[b].ID)
	})
	approved := map[string][]int{} // by IIN, in submission order
	decided := map[string]bool{}
	var problems []string
	for _, i := range order {
		d := res.Decision(i)
		if d.Err != nil {
			continue
		}
		iin := apps[i].Citizen.IIN
		decided[iin] = true
		if d.Outcome == attach.Approved {
			approved[iin] = append(approved[iin], i)
		} else if d.SupersededBy != "" {
			problems = append(problems, fmt.Sprintf("rejected %s is superseded by %s", d.Application, d.SupersededBy))
		}
	}
	type key struct{ clinic, doctor string }
	want := map[key]int{}
	for _, d := range c.Doctors {
		want[key{d.ClinicID, d.DoctorID}] = d.Attached
	}
	superseded := 0
	for iin, list := range approved {
		for k, i := range list {
			next := ""
			if k+1 < len(list) {
				next = apps[list[k+1]].ID
				superseded++
			}
			if got := res.Decision(i).SupersededBy; got != next {
				problems = append(problems, fmt.Sprintf("%s (%s): superseded by %q, want %q", apps[i].ID, iin, got, next))
			}
		}
		last := apps[list[len(list)-1]]
		want[key{last.Clinic.ID, last.Doctor.ID}]++
		cz := apps[list[0]].Citizen
		if prev := (key{cz.CurrentClinicID, cz.CurrentDoctorID}); prev.clinic != "" {
			if _, listed := want[prev]; listed {
				want[prev]--
			}
		}
	}
	for _, d := range res.Doctors {
		if w := want[key{d.ClinicID, d.DoctorID}]; w != d.Attached {
			problems = append(problems, fmt.Sprintf("doctor %s/%s ends with %d, want %d", d.ClinicID, d.DoctorID, d.Attached, w))
		}
	}
	s := res.Summary
	if s.People != len(decided) || s.PeopleApproved != len(approved) || s.Superseded != superseded {
		problems = append(problems, fmt.Sprintf("summary counts %d people, %d approved, %d superseded; want %d, %d, %d", s.People, s.PeopleApproved, s.Superseded, len(decided), len(approved), superseded))
	}
	return problems
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestRunOnePlacePerPerson checks onePlace on generated campaigns with people who
// apply two or three times, in shuffled order and with any number of workers; with
// KeepRepeats it finds the double count the issue reported.
func TestRunOnePlacePerPerson(t *testing.T) {
	e := builtinEngine(t, nil)
	rng := rand.New(rand.NewPCG(3, 3))
	for seed := uint64(100); seed < 112; seed++ {
		cfg := campaigngen.Config{Seed: seed, Doctors: 10 + rng.IntN(60), Applications: 1000 + rng.IntN(2000), Repeaters: 0.1 + rng.Float64()*0.4}
		c := inputOf(campaigngen.Generate(cfg))
		rng.Shuffle(len(c.Applications), func(i, j int) { c.Applications[i], c.Applications[j] = c.Applications[j], c.Applications[i] })
		c.Workers = 1 + rng.IntN(6)
		res, err := runInput(e, c)
		require.NoError(t, err)
		require.Positive(t, res.Summary.Superseded, "%+v: some approvals superseded", cfg)
		assert.Empty(t, onePlace(c, res), "Run(%+v, workers=%d)", cfg, c.Workers)

		c.KeepRepeats = true
		res, err = runInput(e, c)
		require.NoError(t, err)
		assert.NotEmpty(t, onePlace(c, res), "Run(%+v, KeepRepeats): people counted twice", cfg)
	}
}

// TestRunPeopleByIIN pins who is a person: an application whose IIN is invalid
// has none, and an application with no decision supersedes nothing, live or static.
func TestRunPeopleByIIN(t *testing.T) {
	e := builtinEngine(t, nil)
	p1 := inCampaign("P1", "2025-10-05T10:00:00+05:00", "C1", "X", "", 100)
	p2 := inCampaign("P2", "2025-10-06T10:00:00+05:00", "C1", "Y", "", -1) // invalid: a negative count
	samePerson(&p1, &p2)
	bad1 := campApp("B1", "2025-10-05T11:00:00+05:00", "C1", "X", "", 100)
	bad2 := campApp("B2", "2025-10-06T11:00:00+05:00", "C1", "Y", "", 100)
	bad1.Citizen.IIN, bad2.Citizen.IIN = "123456789012", "123456789012" // the check digit does not match
	for _, static := range []bool{false, true} {
		res, err := runInput(e, &input{Applications: []attach.Application{p1, p2, bad1, bad2}, Static: static})
		require.NoError(t, err)
		assert.Equal(t, attach.Approved, res.Decision(0).Outcome)
		assert.Empty(t, res.Decision(0).SupersededBy, "static=%v: an application with no decision supersedes nothing", static)
		for _, i := range []int{1, 2, 3} {
			assert.Error(t, res.Decision(i).Err, "static=%v: %s is invalid", static, res.Decision(i).Application)
		}
		s := res.Summary
		assert.Equal(t, [4]int{3, 0, 1, 1}, [4]int{s.Invalid, s.Superseded, s.People, s.PeopleApproved}, "static=%v: invalid, superseded, people, people approved", static)
	}
}

// TestRunStaticSupersedes pins that a campaign decided without counts still
// marks a person's earlier approvals superseded, and counts people.
func TestRunStaticSupersedes(t *testing.T) {
	e := builtinEngine(t, nil)
	p1 := inCampaign("P1", "2025-10-05T10:00:00+05:00", "C1", "X", "", 1999)
	p2 := inCampaign("P2", "2025-10-06T10:00:00+05:00", "C1", "Y", "", 1999)
	p3 := inCampaign("P3", "2025-10-07T10:00:00+05:00", "C1", "Y", "", 2500) // refused: Y is full
	samePerson(&p1, &p2, &p3)
	q := campApp("Q", "2025-10-07T10:00:00+05:00", "C1", "X", "", 1999)
	for _, keep := range []bool{false, true} {
		res, err := runInput(e, &input{Applications: []attach.Application{p3, q, p2, p1}, Static: true, KeepRepeats: keep})
		require.NoError(t, err)
		var got []string
		for _, d := range decisions(res) {
			got = append(got, d.Application+":"+d.Outcome.String()+">"+d.SupersededBy)
		}
		want := []string{"P3:rejected>", "Q:approved>", "P2:approved>", "P1:approved>P2"}
		if keep {
			want[3] = "P1:approved>"
		}
		assert.Equal(t, want, got, "static, KeepRepeats=%v", keep)
		assert.Equal(t, 1999, res.Decision(1).Attached, "static: Q reads its own count")
		s := res.Summary
		assert.Equal(t, [3]int{3, 2, 2}, [3]int{s.Approved, s.People, s.PeopleApproved})
		assert.Empty(t, s.Full, "static: counts do not move")
	}
}
