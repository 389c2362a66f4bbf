package attach_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// genApp returns a valid application drawn from r: submission instants from 2018 to 2027
// (often near campaign bounds and local midnight), every residency, channel, specialty
// and reason, addresses in and out of the service area, counts around the norm.
func genApp(r *rand.Rand) *attach.Application {
	year := 2018 + r.IntN(10)
	var month, day int
	switch r.IntN(3) {
	case 0: // near a campaign bound: 1 and 15 September, 1 and 15 November
		month = []int{9, 11}[r.IntN(2)]
		day = []int{1, 15}[r.IntN(2)] + r.IntN(3) - 1
		if day < 1 {
			month, day = month-1, 30+day
		}
	default:
		month, day = 1+r.IntN(12), 1+r.IntN(28)
	}
	hour := []int{0, 0, 10, 23, 23}[r.IntN(5)]
	min := []int{0, 30, 59}[r.IntN(3)]
	local := time.Date(year, time.Month(month), day, hour, min, 0, 0, almaty)
	offset := []int{5, 6, 0, -3, 14}[r.IntN(5)]
	submitted := local.In(time.FixedZone("", offset*3600))
	today := rules.DateOf(submitted, almaty)

	age := []int{0, 5, 17, 18, 19, 40, 90}[r.IntN(7)]
	birth := rules.NewDate(today.Year()-age-1, time.Month(1+r.IntN(12)), 1+r.IntN(28))
	iin, err := iinnum.Make(birth, r.IntN(2) == 0, r.IntN(10000))
	if err != nil {
		panic(err)
	}
	area := []string{"75111", "7511"}
	addr := []string{"751110000", "751120000", "711110000", "751119999"}[r.IntN(4)]
	c := attach.Citizen{
		IIN:         iin,
		Residency:   allResidencies[r.IntN(len(allResidencies))],
		Insured:     r.IntN(2) == 0,
		AddressCode: addr,
	}
	if r.IntN(4) == 0 {
		c.BirthDate = birth
	}
	if r.IntN(3) != 0 { // a change of clinic
		c.CurrentClinicID = []string{"C1", "C9"}[r.IntN(2)]
		c.CurrentDoctorID = []string{"D1", "D9"}[r.IntN(2)]
		c.AttachedSince = today.AddMonths(-r.IntN(30))
	}
	return &attach.Application{
		ID:               "G",
		SubmittedAt:      submitted,
		Channel:          allChannels[r.IntN(len(allChannels))],
		Signed:           r.IntN(8) != 0,
		Reason:           allReasons[r.IntN(len(allReasons))],
		WaivesHomeVisits: r.IntN(2) == 0,
		Citizen:          c,
		Clinic:           attach.Clinic{ID: "C1", FundProvider: r.IntN(8) != 0, ServiceArea: area[:1+r.IntN(2)]},
		Doctor:           attach.Doctor{ID: "D1", Specialty: allSpecialties[r.IntN(len(allSpecialties))], Attached: []int{0, 1999, 2000, 2001, 5000}[r.IntN(5)]},
	}
}

var almaty = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		panic(err)
	}
	return loc
}()

// summary is what a property compares of two decisions.
type summary struct {
	Outcome       attach.Outcome
	Failed        []string
	EffectiveFrom rules.Date
	RuleSet       string
}

func summarize(d attach.Decision) summary {
	return summary{d.Outcome, append([]string{}, d.Failed...), d.EffectiveFrom, d.RuleSet}
}

func equalSummary(a, b summary) bool {
	return a.Outcome == b.Outcome && slices.Equal(a.Failed, b.Failed) && a.EffectiveFrom == b.EffectiveFrom && a.RuleSet == b.RuleSet
}

// subset reports whether every id of a is in b.
func subset(a, b []string) bool {
	for _, id := range a {
		if !slices.Contains(b, id) {
			return false
		}
	}
	return true
}

const propertyRuns = 3000

func TestProperties(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	decide := func(t *testing.T, app *attach.Application) attach.Decision {
		t.Helper()
		d, err := eng.Decide(app)
		if err != nil {
			t.Fatalf("Decide(%+v) = %v, want a decision of a valid application", app, err)
		}
		return d
	}
	setOf := func(t *testing.T, d attach.Decision) *rules.Set {
		c, ok := builtinProgram(t).At(d.Date)
		if !ok {
			t.Fatalf("no set in force on %s", d.Date)
		}
		return c.Set()
	}
	tests := []struct {
		name, reason string
		check        func(t *testing.T, r *rand.Rand)
	}{
		{
			name:   "waiving home visits never hurts",
			reason: "giving up home visits can only remove the home_visits objection (kk source)",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				app.WaivesHomeVisits = false
				before := decide(t, app)
				app.WaivesHomeVisits = true
				after := decide(t, app)
				if before.Approved() && !after.Approved() || !subset(after.Failed, before.Failed) {
					t.Errorf("Decide(%+v) with waiver = %v %v, without = %v %v; want no new failure", app, after.Outcome, after.Failed, before.Outcome, before.Failed)
				}
			},
		},
		{
			name:   "resident never refused for capacity or home visits",
			reason: "a resident of the service area is accepted even at a full doctor and without a waiver (kk source)",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				app.Clinic.ServiceArea = []string{app.Citizen.AddressCode[:1+r.IntN(9)]}
				d := decide(t, app)
				if slices.Contains(d.Failed, "capacity") || slices.Contains(d.Failed, "home_visits") {
					t.Errorf("Decide(%+v).Failed = %v, want neither capacity nor home_visits", app, d.Failed)
				}
			},
		},
		{
			name:   "a qualifying reason never hurts",
			reason: "a reason of the set in force can only lift the campaign and once-a-year objections",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				app.Reason = attach.NoReason
				before := decide(t, app)
				p, _ := setOf(t, before).Param("change_reasons")
				reasons := p.Value.Strings()
				app.Reason = attach.Reason(reasons[r.IntN(len(reasons))])
				after := decide(t, app)
				if before.Approved() && !after.Approved() || !subset(after.Failed, before.Failed) {
					t.Errorf("Decide(%+v) with reason = %v %v, without = %v %v; want no new failure", app, after.Outcome, after.Failed, before.Outcome, before.Failed)
				}
			},
		},
		{
			name:   "inside the campaign the reason changes only the day",
			reason: "in the campaign anyone may change clinic: a reason changes neither the outcome nor the failed rules; a qualifying one makes the change take effect on the day (reason_takes_effect_on_the_day)",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				app.Reason = attach.NoReason
				app.Citizen.Residency = attach.CitizenOfKazakhstan // a temporary resident's contract is measured against the day
				want := decide(t, app)
				if in, ok := want.Fact("in_campaign"); !ok || !in.Bool() {
					return
				}
				for _, reason := range allReasons {
					app.Reason = reason
					d := decide(t, app)
					got, w := summarize(d), summarize(want)
					if q, _ := d.Fact("qualifying_reason"); q.Bool() && d.Approved() {
						w.EffectiveFrom = d.Date
					}
					if !equalSummary(got, w) {
						t.Errorf("Decide(%+v) = %+v, without a reason %+v; want the same but the day", app, got, w)
					}
				}
			},
		},
		{
			name:   "a first attachment is never refused for campaign or once_a_year",
			reason: "the campaign window restricts changes, not first attachments (DOMAIN.md)",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				app.Citizen.CurrentClinicID, app.Citizen.CurrentDoctorID, app.Citizen.AttachedSince = "", "", 0
				d := decide(t, app)
				if slices.Contains(d.Failed, "campaign") || slices.Contains(d.Failed, "once_a_year") {
					t.Errorf("Decide(%+v).Failed = %v, want neither campaign nor once_a_year", app, d.Failed)
				}
				if d.Approved() && d.EffectiveFrom != d.Date {
					t.Errorf("Decide(%+v).EffectiveFrom = %s, want the submission date %s", app, d.EffectiveFrom, d.Date)
				}
			},
		},
		{
			name:   "only the instant counts, not its offset",
			reason: "the same instant written with any offset has one civil date in Kazakhstan",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				want := summarize(decide(t, app))
				for _, off := range []int{-12, -5, 0, 3, 5, 6, 9, 14} {
					app.SubmittedAt = app.SubmittedAt.In(time.FixedZone("", off*3600+r.IntN(2)*1800))
					if got := summarize(decide(t, app)); !equalSummary(got, want) {
						t.Errorf("Decide(%+v) = %+v at offset %d, want %+v", app, got, off, want)
					}
				}
			},
		},
		{
			name:   "deciding is deterministic",
			reason: "the same application gives the same decision, whether with Decide or DecideInto reusing storage",
			check: func(t *testing.T, r *rand.Rand) {
				app := genApp(r)
				want := summarize(decide(t, app))
				var d attach.Decision
				for range 2 {
					if err := eng.DecideInto(&d, app); err != nil {
						t.Fatal(err)
					}
					if got := summarize(d); !equalSummary(got, want) {
						t.Errorf("DecideInto(%+v) = %+v, Decide = %+v; want the same", app, got, want)
					}
				}
			},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("every property needs a reason")
			}
			r := rand.New(rand.NewPCG(uint64(i), 6))
			for n := 0; n < propertyRuns && !t.Failed(); n++ {
				tt.check(t, r)
			}
		})
	}
}

// TestGeneratorCoversOutcomes makes sure the generated applications exercise the rules:
// a property over applications that are all rejected by the same rule proves little.
func TestGeneratorCoversOutcomes(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	approved, failed := 0, map[string]int{}
	sets := map[string]int{}
	for range 2000 {
		d, err := eng.Decide(genApp(r))
		if err != nil {
			t.Fatal(err)
		}
		if d.Approved() {
			approved++
		}
		for _, id := range d.Failed {
			failed[id]++
		}
		sets[d.RuleSet]++
	}
	if approved < 50 {
		t.Errorf("%d of 2000 generated applications approved, want at least 50", approved)
	}
	for _, id := range []string{"residency", "fund_provider", "signature", "already_attached", "specialty_age", "home_visits", "capacity", "campaign", "once_a_year"} {
		if failed[id] == 0 {
			t.Errorf("no generated application fails %s", id)
		}
	}
	if sets["kz-2018"] == 0 || sets["kz-2023"] == 0 {
		t.Errorf("decided by sets %v, want both built-in sets", sets)
	}
}
