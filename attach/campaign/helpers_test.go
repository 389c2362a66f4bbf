package campaign_test

import (
	"fmt"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

// input is a batch as the tests write it: its settings, and its applications in a slice
// that tests shuffle, copy and read back.
type input struct {
	Doctors      []campaign.DoctorCount
	Applications []attach.Application
	Workers      int
	Static       bool
	KeepRepeats  bool
	Progress     func(int)
}

// batch returns the batch of the input.
func (in *input) batch() *campaign.Batch {
	b := &campaign.Batch{Doctors: in.Doctors, Workers: in.Workers, Static: in.Static, KeepRepeats: in.KeepRepeats, Progress: in.Progress}
	b.Add(in.Applications...)
	return b
}

// runInput runs the input's batch; a nil input runs a nil batch.
func runInput(e *attach.Engine, in *input) (*campaign.Result, error) {
	if in == nil {
		return campaign.Run(e, nil)
	}
	return campaign.Run(e, in.batch())
}

// inputOf returns a generated campaign as an input.
func inputOf(g *campaigngen.Campaign) *input {
	return &input{Doctors: g.Doctors(), Applications: slices.Clone(g.Applications)}
}

// decisions returns every decision of a result.
func decisions(res *campaign.Result) []campaign.Decision {
	out := make([]campaign.Decision, res.Len())
	for i := range out {
		out[i] = res.Decision(i)
	}
	return out
}

// outcome is what a run gives, as the sequential oracle writes it.
type outcome struct {
	Decisions []campaign.Decision
	Summary   campaign.Summary
	Doctors   []campaign.DoctorCount
}

// sameResult fails the test when a run differs from the oracle's outcome.
func sameResult(t *testing.T, name string, want *outcome, got *campaign.Result) {
	t.Helper()
	equal(t, len(want.Decisions), got.Len(), name+": decisions")
	for i := range want.Decisions {
		w, g := want.Decisions[i], got.Decision(i)
		if (w.Err == nil) != (g.Err == nil) || (w.Err != nil && w.Err.Error() != g.Err.Error()) {
			t.Fatalf("%s: Run(%s) error = %v, want %v", name, w.Application, g.Err, w.Err)
		}
		w.Err, g.Err = nil, nil
		if fmt.Sprint(w) != fmt.Sprint(g) {
			t.Fatalf("%s: Run(%s) = %+v, want %+v", name, w.Application, g, w)
		}
	}
	equal(t, want.Summary, got.Summary, name+": summary")
	equal(t, want.Doctors, got.Doctors, name+": doctors")
}

// validCount reports whether n is a count an application may give.
func validCount(n int) bool { return n >= 0 && n <= attach.MaxAttached }

// builtinEngine is the engine of the built-in history, with params changed as given:
// "set.param" -> value.
func builtinEngine(t testing.TB, params map[string]rules.Value) *attach.Engine {
	t.Helper()
	h := rules.Builtin()
	for key, v := range params {
		found := false
		for i := range h {
			if len(key) > len(h[i].ID) && key[:len(h[i].ID)] == h[i].ID && key[len(h[i].ID)] == '.' {
				s, err := h[i].WithParam(key[len(h[i].ID)+1:], v)
				require.NoError(t, err)
				h[i], found = s, true
			}
		}
		require.True(t, found, "no set for parameter %s", key)
	}
	e, err := attach.New(h)
	require.NoError(t, err)
	return e
}

// at parses a literal RFC 3339 time of a test; a typo in one panics.
func at(_ testing.TB, s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm
}

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
// or a day after, with serials two apart (campaigngen.IIN moves a serial with no check
// digit to the next one).
func newPerson() string {
	n := int(madePeople.Add(1))
	return campaigngen.IIN(rules.NewDate(1979, 10, 28+n/5000), false, n%5000*2)
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

// compareEngines runs b with each engine and compares the runs.
func compareEngines(before, after *attach.Engine, b *campaign.Batch) (*campaign.Impact, error) {
	br, err := campaign.Run(before, b)
	if err != nil {
		return nil, err
	}
	ar, err := campaign.Run(after, b)
	if err != nil {
		return nil, err
	}
	return campaign.Compare(br, ar)
}
