package attach

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/rules"
)

// The days around every bound the built-in sets read: both campaigns' first and last
// days, the new year, the end of February, and the sets' first days.
var boundaryDays = []int{
	831, 901, 902, 914, 915, 916, 1031, 1101, 1102, 1114, 1115, 1116,
	101, 1231, 228, 229, 301, 615, 511, 512, 513,
}

// almatyOffset is Kazakhstan's offset from UTC as the differential test knows it, apart
// from the zone database: UTC+6 until 2024-03-01 00:00 local time, UTC+5 since.
func almatyOffset(t time.Time) time.Duration {
	if t.Before(time.Date(2024, 2, 29, 18, 0, 0, 0, time.UTC)) {
		return 6 * time.Hour
	}
	return 5 * time.Hour
}

// localDate is the civil date of t in Kazakhstan, by almatyOffset.
func localDate(t time.Time) rules.Date {
	y, m, d := t.UTC().Add(almatyOffset(t)).Date()
	return rules.NewDate(y, m, d)
}

func addDays(d rules.Date, n int) rules.Date {
	t := time.Date(d.Year(), d.Month(), d.Day()+n, 12, 0, 0, 0, time.UTC)
	return rules.NewDate(t.Year(), t.Month(), t.Day())
}

// genApplication returns a valid application near the bounds of the built-in rules.
func genApplication(r *rand.Rand, i int) (*Application, rules.Date) {
	year := 2017 + r.IntN(11) // 2017 has no set in force
	if r.IntN(8) == 0 {
		year = []int{2018, 2022, 2023, 2024, 2025}[r.IntN(5)]
	}
	var day rules.Date
	if r.IntN(3) > 0 {
		md := boundaryDays[r.IntN(len(boundaryDays))]
		day = rules.MonthDay(md).In(year)
	} else {
		day = addDays(rules.NewDate(year, 1, 1), r.IntN(365))
	}
	// The instant: just after or before local midnight, or midday, written in one of
	// several offsets (the instant decides, not how it is written).
	midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	midnight = midnight.Add(-6 * time.Hour)
	midnight = midnight.Add(6*time.Hour - almatyOffset(midnight))
	var at time.Time
	switch r.IntN(4) {
	case 0:
		at = midnight
	case 1:
		at = midnight.Add(-time.Second) // the day before, locally
	case 2:
		at = midnight.Add(24*time.Hour - time.Second)
	default:
		at = midnight.Add(12 * time.Hour)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("+05", 5*3600), time.FixedZone("+06", 6*3600), time.FixedZone("-03", -3*3600)}
	at = at.In(zones[r.IntN(len(zones))])
	today := localDate(at)

	app := &Application{
		ID:               fmt.Sprintf("G%d", i),
		SubmittedAt:      at,
		Channel:          channels[r.IntN(len(channels))],
		Signed:           r.IntN(8) > 0,
		Reason:           reasons[r.IntN(len(reasons))],
		WaivesHomeVisits: r.IntN(2) == 0,
		Clinic:           Clinic{ID: "C1", FundProvider: r.IntN(8) > 0},
		Doctor:           Doctor{ID: "D1", Specialty: specialties[r.IntN(len(specialties))]},
	}
	app.Doctor.Attached = []int{1999, 2000, 2001, 0, r.IntN(3000)}[r.IntN(5)]
	app.Clinic.ServiceArea = [][]string{{"75111"}, {"75112", "75111"}, {"19"}, {}, {"7"}, {"191011"}, {"1911"}}[r.IntN(7)]
	if r.IntN(4) == 0 { // the clinic's own location decides its unit
		app.Clinic.AddressCode = []string{"751120001", "191010001", "191110001", "711110001"}[r.IntN(4)]
	}
	c := &app.Citizen
	c.Residency = residencies[r.IntN(len(residencies))]
	c.Insured = r.IntN(2) == 0
	c.AddressCode = []string{"751110000", "751120001", "191010000", "191110000"}[r.IntN(4)]
	if r.IntN(3) == 0 { // an actual address, which counts for a child under five or a pregnant woman
		c.ActualAddressCode = []string{"751110000", "191010000", "191110000"}[r.IntN(3)]
	}
	c.Pregnant = r.IntN(4) == 0
	// Ages 17 and 18 by a day, and any other.
	var born rules.Date
	switch r.IntN(5) {
	case 0:
		born = addDays(rules.NewDate(today.Year()-18, today.Month(), 1), today.Day()-1+r.IntN(3)-1)
	case 1:
		born = addDays(rules.NewDate(today.Year()-17, today.Month(), 1), today.Day()-1)
	case 2: // four or five by a day: actual residence counts under five
		born = addDays(rules.NewDate(today.Year()-5, today.Month(), 1), today.Day()-1+r.IntN(3)-1)
	default:
		born = addDays(rules.NewDate(1940, 1, 1), r.IntN(int(today.Time(time.UTC).Sub(time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC)).Hours()/24)))
	}
	if born > today {
		born = today
	}
	iin, err := iinnum.Make(born, r.IntN(2) == 0, r.IntN(10000))
	if err != nil {
		panic(err)
	}
	c.IIN = iin
	if r.IntN(2) == 0 {
		c.BirthDate = born
	}
	switch r.IntN(5) {
	case 0: // a first attachment
	case 1: // already attached to this clinic and doctor
		c.CurrentClinicID, c.CurrentDoctorID = "C1", "D1"
	case 2: // another doctor of the same clinic
		c.CurrentClinicID, c.CurrentDoctorID = "C1", "D2"
	default:
		c.CurrentClinicID, c.CurrentDoctorID = "C9", "D9"
	}
	if c.Residency == TemporaryResident && r.IntN(4) > 0 { // the contract ends the day before, on the day or after
		c.ContractUntil = addDays(today, r.IntN(3)-1+[]int{0, 0, 200}[r.IntN(3)])
	}
	if c.CurrentClinicID != "" {
		yearAgo := today.AddMonths(-12)
		c.AttachedSince = []rules.Date{yearAgo, addDays(yearAgo, 1), addDays(yearAgo, -1), today, addDays(today, -r.IntN(3000))}[r.IntN(5)]
	}
	return app, born
}

func TestDecideMatchesReference(t *testing.T) {
	e, err := New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	loc := e.prog.Location()
	r := rand.New(rand.NewPCG(5, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	seen := map[string]int{}
	var d Decision
	var ref refDecision
	for i := range n {
		app, born := genApplication(r, i)
		today, age, err := validate(app, loc, e.known)
		if err != nil {
			t.Fatalf("validate(%s) = %v; the generator makes valid applications", app.ID, err)
		}
		if want := localDate(app.SubmittedAt); today != want {
			t.Fatalf("%s: submitted %s: local date %s, want %s", app.ID, app.SubmittedAt, today, want)
		}
		if want := born.AgeOn(today); age != want {
			t.Fatalf("%s: born %s: age %d, want %d", app.ID, born, age, want)
		}
		reference(app, today, age, &ref)
		err = e.DecideInto(&d, app)
		if ref.set == "" {
			var nrs *NoRuleSetError
			if !errors.As(err, &nrs) {
				t.Fatalf("Decide(%s) error = %v, want a NoRuleSetError: no set on %s", app.ID, err, today)
			}
			seen["no set"]++
			continue
		}
		if err != nil {
			t.Fatalf("Decide(%s) = %v", app.ID, err)
		}
		got := refDecision{set: d.RuleSet, outcome: d.Outcome, failed: d.Failed, effective: d.EffectiveFrom, until: d.EffectiveUntil}
		if got.set != ref.set || got.outcome != ref.outcome || !slices.Equal(got.failed, ref.failed) || got.effective != ref.effective || got.until != ref.until {
			t.Fatalf("Decide(%s) = %+v, want %+v (reference)\napplication: %+v", app.ID, got, ref, app)
		}
		if i%7 == 0 { // a Decision reused across sets explains itself as a fresh one does
			fresh, _ := e.Decide(app)
			if !reflect.DeepEqual(fresh.Trace(), d.Trace()) {
				t.Fatalf("DecideInto(%s) trace = %+v, want %+v as Decide gives", app.ID, d.Trace(), fresh.Trace())
			}
		}
		seen[ref.set+" "+ref.outcome.String()]++
		for _, id := range ref.failed {
			seen[ref.set+" "+id]++
		}
		if ref.effective != 0 && ref.effective != today {
			seen["next year"]++
		}
		if ref.until != 0 {
			seen["until"]++
		}
	}
	// Every rule of both sets must have failed somewhere, and both outcomes occurred.
	for _, key := range []string{"no set", "next year", "kz-2018 approved", "kz-2023 approved", "kz-2018 rejected", "kz-2023 rejected",
		"kz-2018 residency", "kz-2018 fund_provider", "kz-2018 signature", "kz-2018 already_attached", "kz-2018 specialty_age",
		"kz-2018 home_visits", "kz-2018 capacity", "kz-2018 campaign",
		"kz-2023 residency", "kz-2023 fund_provider", "kz-2023 signature", "kz-2023 already_attached", "kz-2023 specialty_age",
		"kz-2023 home_visits", "kz-2023 capacity", "kz-2023 campaign", "kz-2023 once_a_year",
		"kz-2025 approved", "kz-2025 rejected", "until",
		"kz-2025 residency", "kz-2025 fund_provider", "kz-2025 signature", "kz-2025 already_attached", "kz-2025 specialty_age",
		"kz-2025 territory", "kz-2025 home_visits", "kz-2025 capacity", "kz-2025 campaign", "kz-2025 once_a_year"} {
		if seen[key] == 0 {
			t.Errorf("no generated application gave %q: the generator misses a boundary", key)
		}
	}
}

// TestRemedySearchMatchesDecide holds the search of remedies, which writes only what a
// change touches into one Decision and evaluates again only what reads it, to deciding
// the changed application whole: every combination of changes, on generated rejections,
// gives the same outcome and failed rules both ways.
func TestRemedySearchMatchesDecide(t *testing.T) {
	e, err := New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 2026))
	others := []Doctor{{ID: "D2", Specialty: Therapist, Attached: 1990}, {ID: "D3", Specialty: Pediatrician, Attached: 2000}}
	n, combos, pruned := 0, 0, 0
	for i := 0; n < 300; i++ {
		app, _ := genApplication(r, i)
		d, err := e.Decide(app)
		if err != nil || d.Approved() {
			continue
		}
		n++
		s := remedySearch{e: e, app: app, others: others, failed: slices.Clone(d.Failed), today: d.Date, born: app.Citizen.BirthDate}
		if s.born == 0 {
			s.born, _ = IINBirthDate(app.Citizen.IIN)
		}
		s.atoms = s.candidates(&d)
		s.d = &d
		// Every combination of atoms of different kinds, in an order that moves back and
		// forth between them.
		var all [][]*atom
		var walk func(start int, combo []*atom)
		walk = func(start int, combo []*atom) {
			if len(combo) > 0 {
				all = append(all, slices.Clone(combo))
			}
			for i := start; i < len(s.atoms) && len(combo) < maxChanges; i++ {
				if !slices.ContainsFunc(combo, func(b *atom) bool { return b.kind == s.atoms[i].kind }) {
					walk(i+1, append(combo, &s.atoms[i]))
				}
			}
		}
		walk(0, nil)
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		mendable, waivable := s.canMend(&d), e.canMend(&d, true)
		if !mendable {
			pruned++
		}
		for _, combo := range all {
			combos++
			rem := found{atoms: combo}.remedy(e.prog.Location())
			whole, err := e.Decide(rem.Apply(app))
			if err != nil {
				t.Fatalf("%s: Decide of the changed application: %v", app.ID, err)
			}
			// Remedies and Options skip what canMend says cannot help: it must not help.
			if whole.Approved() && (!mendable || !waivable && len(combo) == 1 && combo[0].kind == waiveAtom) {
				t.Fatalf("%s (failed %v): changed by %+v it is approved, but canMend said no change could help (mendable %v, waivable %v)",
					app.ID, s.failed, rem, mendable, waivable)
			}
			approved, _ := s.try(combo)
			if approved != whole.Approved() || !slices.Equal(s.d.Failed, whole.Failed) || (approved && s.d.EffectiveFrom != whole.EffectiveFrom) {
				t.Fatalf("%s changed by %+v: the search gives approved=%v failed=%v from %s; Decide gives %v %v from %s",
					app.ID, rem, approved, s.d.Failed, s.d.EffectiveFrom, whole.Outcome, whole.Failed, whole.EffectiveFrom)
			}
		}
	}
	if combos < 1000 {
		t.Fatalf("only %d combinations tried over %d rejections", combos, n)
	}
	if pruned == 0 || pruned == n {
		t.Fatalf("canMend ruled out %d of %d rejections: the test must see both kinds", pruned, n)
	}
}
