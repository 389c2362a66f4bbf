package attach_test

import (
	"testing"
	"time"

	iinnum "github.com/emkhana/emkhana/attach/internal/iin"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/attachtest"
	"github.com/emkhana/emkhana/rules"
)

// update rewrites the golden files of the package's tests instead of comparing with them:
// go test ./attach -update (export_test.go defines the flag, for both test packages).
var update = attach.Update

// baseApp is the application attachtest gives, which the built-in rules approve: a change
// of clinic inside the 2026 campaign, by an adult living in the clinic's service area, to
// a therapist with free places.
func baseApp(t testing.TB) *attach.Application {
	t.Helper()
	return attachtest.Application(t)
}

// at parses a literal RFC 3339 time of a test; a typo in one panics.
func at(_ testing.TB, s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm
}

// iinBorn is a valid IIN encoding the birth date, a literal of a test; a bad one panics.
func iinBorn(_ testing.TB, birth rules.Date) string {
	iin, err := iinnum.Make(birth, false, 42)
	if err != nil {
		panic(err)
	}
	return iin
}

// builtinProgram is the built-in history, compiled.
func builtinProgram(t testing.TB) *rules.Program {
	t.Helper()
	p, err := rules.Compile(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// builtinEngine is the engine of the built-in history, with params changed as given:
// "set.param" -> value.
func builtinEngine(t testing.TB, params map[string]rules.Value) *attach.Engine {
	t.Helper()
	return builtinEngineUpTo(t, "", params)
}

// builtinEngineUpTo is builtinEngine of the built-in history up to the set last (all of
// it when last is ""): with last kz-2023, kz-2023 stays in force after 2025 too, so that
// a test pins its rules on any day.
func builtinEngineUpTo(t testing.TB, last string, params map[string]rules.Value) *attach.Engine {
	t.Helper()
	h := rules.Builtin()
	for i := range h {
		if h[i].ID == last {
			h = h[:i+1]
			break
		}
	}
	for key, v := range params {
		found := false
		for i := range h {
			if len(key) > len(h[i].ID) && key[:len(h[i].ID)] == h[i].ID && key[len(h[i].ID)] == '.' {
				s, err := h[i].WithParam(key[len(h[i].ID)+1:], v)
				if err != nil {
					t.Fatal(err)
				}
				h[i], found = s, true
			}
		}
		if !found {
			t.Fatalf("no set for parameter %s", key)
		}
	}
	e, err := attach.New(h)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The codes of the built-in history, for generators.
var (
	allChannels    = []attach.Channel{attach.Egov, attach.InPerson}
	allResidencies = []attach.Residency{attach.CitizenOfKazakhstan, attach.PermanentResident, attach.StatelessPermanent, attach.Kandas, attach.Refugee, attach.TemporaryResident}
	allSpecialties = []attach.Specialty{attach.Therapist, attach.Pediatrician, attach.GeneralPractitioner}
	allReasons     = []attach.Reason{attach.NoReason, attach.ResidenceChange, attach.WorkChange, attach.StudyChange, attach.SentenceServed, attach.MilitaryServiceEnded, attach.ClinicReorganized, attach.ClinicLiquidated, attach.QualityDissatisfaction}
)
