package attach_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

// queryFor asks for the person and choices of app against every clinic of g.
func queryFor(app *attach.Application, g *campaigngen.Campaign) *attach.Query {
	return &attach.Query{
		ID: app.ID, SubmittedAt: app.SubmittedAt, Channel: app.Channel, Signed: app.Signed,
		Reason: app.Reason, WaivesHomeVisits: app.WaivesHomeVisits, Citizen: app.Citizen, Clinics: g.Clinics,
	}
}

// The groups Options lists, in its order.
const (
	asAsked = iota
	ifWaives
	notAvailable
)

// group returns the group of an option.
func group(o attach.Option) int {
	switch {
	case o.Outcome == attach.Approved && !o.IfWaivesHomeVisits:
		return asAsked
	case o.Outcome == attach.Approved:
		return ifWaives
	}
	return notAvailable
}

// TestOptionsEqualsDecide checks every option against deciding that doctor alone.
func TestOptionsEqualsDecide(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 11, Doctors: 300, Applications: 40})
	seen := map[int]int{}
	for i := range g.Applications {
		q := queryFor(&g.Applications[i], g)
		opts, err := e.Options(q)
		if _, bad := e.Decide(&g.Applications[i]); bad != nil {
			if err == nil {
				t.Fatalf("Options(%s) = %d options, want the error %v", q.ID, len(opts), bad)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Options(%s) error = %v", q.ID, err)
		}
		if len(opts) != 300 {
			t.Fatalf("Options(%s) = %d options, want 300", q.ID, len(opts))
		}
		rank := slices.IsSortedFunc(opts, func(a, b attach.Option) int { return group(a) - group(b) })
		if !rank {
			t.Fatalf("Options(%s) is not sorted by condition", q.ID)
		}
		byDoctor := map[[2]string]attach.Doctor{}
		for _, c := range g.Clinics {
			for _, d := range c.Doctors {
				byDoctor[[2]string{c.ID, d.ID}] = d
			}
		}
		for _, o := range opts {
			seen[group(o)]++
			app := g.Applications[i]
			for _, c := range g.Clinics {
				if c.ID == o.ClinicID {
					app.Clinic = c.Clinic
				}
			}
			app.Doctor = byDoctor[[2]string{o.ClinicID, o.DoctorID}]
			d, err := e.Decide(&app)
			if err != nil {
				t.Fatal(err)
			}
			app.WaivesHomeVisits = true
			w, err := e.Decide(&app)
			if err != nil {
				t.Fatal(err)
			}
			want := notAvailable
			switch {
			case d.Approved():
				want = asAsked
			case w.Approved():
				want = ifWaives
			}
			if group(o) != want || !slices.Equal(o.Failed, d.Failed) || (want == asAsked && o.EffectiveFrom != d.EffectiveFrom) || (want == ifWaives && o.EffectiveFrom != w.EffectiveFrom) {
				t.Fatalf("Options(%s) for %s/%s = group %d %v, want %d %v", q.ID, o.ClinicID, o.DoctorID, group(o), o.Failed, want, d.Failed)
			}
		}
	}
	for c, name := range []string{"as asked", "if waives home visits", "not available"} {
		if seen[c] == 0 {
			t.Errorf("Options over the generated queries never gave an option %s; the test does not cover it", name)
		}
	}
}

func TestOptionsInvalid(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 12, Doctors: 30, Applications: 1})
	q := queryFor(&g.Applications[0], g)
	q.Citizen.IIN = "123456789012"
	q.Clinics = slices.Clone(q.Clinics)
	q.Clinics[1].ServiceArea = []string{"7a"}
	q.Clinics[2].Doctors = slices.Clone(q.Clinics[2].Doctors)
	q.Clinics[2].Doctors[0].Attached = -1
	q.Clinics[2].Doctors = append(q.Clinics[2].Doctors, attach.Doctor{ID: "DX", Specialty: attach.Therapist, Attached: attach.MaxAttached + 1})
	over := fmt.Sprintf("clinics[2].doctors[%d].attached", len(q.Clinics[2].Doctors)-1)
	_, err := e.Options(q)
	var inv *attach.InvalidApplicationError
	if !errors.As(err, &inv) {
		t.Fatalf("Options(invalid) error = %v, want an *InvalidApplicationError", err)
	}
	var fields []string
	for _, p := range inv.Problems {
		fields = append(fields, p.Field)
	}
	want := []string{"citizen.iin", "clinics[1].service_area[0]", "clinics[2].doctors[0].attached", over}
	if !slices.Equal(fields, want) {
		t.Errorf("Options(invalid) fields = %v, want %v", fields, want)
	}
	if _, err := e.Options(nil); err == nil {
		t.Errorf("Options(nil) error = nil, want an error")
	}
}

func ExampleEngine_Options() {
	e, err := attach.New(rules.Builtin())
	if err != nil {
		panic(err)
	}
	opts, err := e.Options(&attach.Query{
		SubmittedAt: time.Date(2025, 10, 5, 10, 0, 0, 0, time.FixedZone("", 5*3600)),
		Channel:     attach.Egov, Signed: true,
		Citizen: attach.Citizen{IIN: "791028302728", Residency: attach.CitizenOfKazakhstan, AddressCode: "751110123",
			CurrentClinicID: "C9", CurrentDoctorID: "D9", AttachedSince: 20240101},
		Clinics: []attach.ClinicDoctors{
			{Clinic: attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111"}}, Doctors: []attach.Doctor{
				{ID: "D1", Specialty: attach.Therapist, Attached: 2150},
				{ID: "D2", Specialty: attach.Pediatrician, Attached: 900},
			}},
			{Clinic: attach.Clinic{ID: "C2", FundProvider: true, ServiceArea: []string{"75121"}}, Doctors: []attach.Doctor{
				{ID: "D1", Specialty: attach.GeneralPractitioner, Attached: 1700},
				{ID: "D2", Specialty: attach.Therapist, Attached: 2000},
			}},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, o := range opts {
		outcome := o.Outcome.String()
		if o.IfWaivesHomeVisits {
			outcome += " if home visits are waived"
		}
		fmt.Println(o.ClinicID, o.DoctorID, outcome, o.EffectiveFrom, o.Failed)
	}
	// Output:
	// C1 D1 approved 2026-01-01 []
	// C2 D1 approved if home visits are waived 2026-01-01 [home_visits]
	// C1 D2 rejected  [specialty_age]
	// C2 D2 rejected  [home_visits capacity]
}

// BenchmarkOptions5000 asks for one person against 5,000 doctors of 200 clinics.
func BenchmarkOptions5000(b *testing.B) {
	e := builtinEngine(b, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 13, Doctors: 5000, Applications: 1})
	q := queryFor(&g.Applications[0], g)
	q.Citizen.CurrentClinicID, q.Citizen.CurrentDoctorID, q.Citizen.AttachedSince = "", "", 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Options(q); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOptionsOrder: whatever the order of the query's clinics and doctors, with clinics
// listed twice under one id and doctors listed twice, Options lists one option per doctor
// given, by condition, then clinic id, then doctor id.
func TestOptionsOrder(t *testing.T) {
	e := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 17, Doctors: 200, Applications: 8})
	r := rand.New(rand.NewPCG(17, 1))
	decided := 0
	for i := range g.Applications {
		q := queryFor(&g.Applications[i], g)
		var clinics []attach.ClinicDoctors
		for _, c := range g.Clinics {
			c.Doctors = slices.Clone(c.Doctors)
			r.Shuffle(len(c.Doctors), func(a, b int) { c.Doctors[a], c.Doctors[b] = c.Doctors[b], c.Doctors[a] })
			if r.IntN(4) == 0 { // a doctor listed twice
				c.Doctors = append(c.Doctors, c.Doctors[0])
			}
			clinics = append(clinics, c)
			if r.IntN(5) == 0 && len(c.Doctors) > 1 { // the clinic again, with some doctors
				again := c
				again.Doctors = slices.Clone(c.Doctors[:len(c.Doctors)/2])
				clinics = append(clinics, again)
			}
		}
		r.Shuffle(len(clinics), func(a, b int) { clinics[a], clinics[b] = clinics[b], clinics[a] })
		q.Clinics = clinics
		opts, err := e.Options(q)
		if err != nil {
			continue // an invalid generated person: TestOptionsEqualsDecide covers it
		}
		decided++
		var want, got []string
		for _, c := range clinics {
			for _, d := range c.Doctors {
				want = append(want, c.ID+"/"+d.ID)
			}
		}
		for _, o := range opts {
			got = append(got, o.ClinicID+"/"+o.DoctorID)
		}
		slices.Sort(want)
		sortedGot := slices.Sorted(slices.Values(got))
		require.Equal(t, want, sortedGot, "one option per doctor given")
		require.True(t, slices.IsSortedFunc(opts, func(a, b attach.Option) int {
			return cmp.Or(cmp.Compare(group(a), group(b)), cmp.Compare(a.ClinicID, b.ClinicID), cmp.Compare(a.DoctorID, b.DoctorID))
		}), "Options(%s) is not by condition, clinic id, doctor id:\n%v", q.ID, got)
	}
	require.GreaterOrEqual(t, decided, 4, "most generated queries are valid")
}

// TestOptionJSON: an option that needs the waiver says so; the others leave the key out.
func TestOptionJSON(t *testing.T) {
	waive := attach.Option{ClinicID: "C2", DoctorID: "D1", Specialty: attach.Therapist, Outcome: attach.Approved, IfWaivesHomeVisits: true, EffectiveFrom: 20261005, Failed: []string{"home_visits"}}
	b, err := json.Marshal(waive)
	require.NoError(t, err)
	assert.JSONEq(t, `{"clinic":"C2","doctor":"D1","specialty":"therapist","outcome":"approved","if_waives_home_visits":true,"effective_from":"2026-10-05","failed":["home_visits"]}`, string(b))
	b, err = json.Marshal(attach.Option{ClinicID: "C1", DoctorID: "D1", Specialty: attach.Pediatrician, Outcome: attach.Rejected, Failed: []string{"specialty_age"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"clinic":"C1","doctor":"D1","specialty":"pediatrician","outcome":"rejected","failed":["specialty_age"]}`, string(b))
}
