package attach_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// decideCase is one boundary of one rule: an application changed from baseApp, and the
// decision it must get.
type decideCase struct {
	name   string
	reason string
	params map[string]rules.Value // "set.param" -> value; nil for the built-in defaults
	change func(a *attach.Application)
	set    string     // the rule set that must decide
	failed []string   // nil: approved
	from   rules.Date // effective date when approved
}

// submitted sets the submission instant.
func submitted(s string) func(a *attach.Application) {
	return func(a *attach.Application) { a.SubmittedAt = at(nil, s) }
}

// all applies several changes in order.
func all(fs ...func(a *attach.Application)) func(a *attach.Application) {
	return func(a *attach.Application) {
		for _, f := range fs {
			f(a)
		}
	}
}

var (
	outOfArea = func(a *attach.Application) { a.Citizen.AddressCode = "751130000" }
	waives    = func(a *attach.Application) { a.WaivesHomeVisits = true }
	firstTime = func(a *attach.Application) {
		a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID, a.Citizen.AttachedSince = "", "", 0
	}
)

func attached(n int) func(a *attach.Application) {
	return func(a *attach.Application) { a.Doctor.Attached = n }
}

func reason(r attach.Reason) func(a *attach.Application) {
	return func(a *attach.Application) { a.Reason = r }
}

func residency(r attach.Residency) func(a *attach.Application) {
	return func(a *attach.Application) { a.Citizen.Residency = r }
}

func specialty(s attach.Specialty) func(a *attach.Application) {
	return func(a *attach.Application) { a.Doctor.Specialty = s }
}

func bornByIIN(d rules.Date) func(a *attach.Application) {
	return func(a *attach.Application) { a.Citizen.IIN = iinBorn(nil, d) }
}

func attachedSince(d rules.Date) func(a *attach.Application) {
	return func(a *attach.Application) { a.Citizen.AttachedSince = d }
}

func runDecideCases(t *testing.T, cases []decideCase) {
	t.Helper()
	engines := map[string]*attach.Engine{}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("every case needs a reason")
			}
			// A case of an earlier set is decided by the history up to that set, so that
			// the set stays in force on the case's day whatever sets came later.
			key := tt.set + ";"
			for k, v := range tt.params {
				key += k + "=" + v.String() + ";"
			}
			e := engines[key]
			if e == nil {
				e = builtinEngineUpTo(t, tt.set, tt.params)
				engines[key] = e
			}
			app := baseApp(t)
			if tt.change != nil {
				tt.change(app)
			}
			d, err := e.Decide(app)
			if err != nil {
				t.Fatalf("Decide(%s): %v (%s)", tt.name, err, tt.reason)
			}
			wantOutcome := attach.Approved
			if tt.failed != nil {
				wantOutcome = attach.Rejected
			}
			if d.Outcome != wantOutcome || !slices.Equal(d.Failed, tt.failed) || d.EffectiveFrom != tt.from || d.RuleSet != tt.set {
				t.Errorf("Decide(%s) = %v %v from %q by %s, want %v %v from %q by %s (%s)",
					tt.name, d.Outcome, d.Failed, d.EffectiveFrom, d.RuleSet, wantOutcome, tt.failed, tt.from, tt.set, tt.reason)
			}
			trace := d.Trace()
			if len(trace) == 0 {
				t.Errorf("Decide(%s) has no trace", tt.name)
			}
			for _, s := range trace {
				if s.Passed == slices.Contains(d.Failed, s.Rule) {
					t.Errorf("Decide(%s): trace step %s passed=%v disagrees with failed %v", tt.name, s.Rule, s.Passed, d.Failed)
				}
			}
		})
	}
}

func TestDecideEligibility(t *testing.T) {
	in2018 := all(submitted("2018-10-01T10:00:00+06:00"), attachedSince(20160101))
	runDecideCases(t, []decideCase{
		{name: "base", reason: "a campaign change inside the area is approved from 1 January", set: "kz-2023", from: 20270101},
		{name: "permanent resident", reason: "foreigners residing permanently attach without obstacles", change: residency(attach.PermanentResident), set: "kz-2023", from: 20270101},
		{name: "stateless permanent", reason: "stateless persons residing permanently attach without obstacles", change: residency(attach.StatelessPermanent), set: "kz-2023", from: 20270101},
		{name: "kandas 2023", reason: "later sources name kandases", change: residency(attach.Kandas), set: "kz-2023", from: 20270101},
		{name: "refugee 2023", reason: "later sources name refugees", change: residency(attach.Refugee), set: "kz-2023", from: 20270101},
		{name: "kandas 2018", reason: "the 2018 source names only citizens and permanent residents", change: all(in2018, residency(attach.Kandas)), set: "kz-2018", failed: []string{"residency"}},
		{name: "refugee 2018", reason: "the 2018 source names only citizens and permanent residents", change: all(in2018, residency(attach.Refugee)), set: "kz-2018", failed: []string{"residency"}},
		{name: "temporary uninsured 2023", reason: "a temporary resident needs OSMS insurance", change: residency(attach.TemporaryResident), set: "kz-2023", failed: []string{"residency"}},
		{name: "temporary insured 2023", reason: "later sources: temporary residents insured under OSMS", change: all(residency(attach.TemporaryResident), func(a *attach.Application) { a.Citizen.Insured = true }), set: "kz-2023", from: 20270101},
		{name: "temporary insured 2018", reason: "the 2018 source does not cover temporary residents", change: all(in2018, residency(attach.TemporaryResident), func(a *attach.Application) { a.Citizen.Insured = true }), set: "kz-2018", failed: []string{"residency"}},
		{name: "not a fund provider", reason: "the clinic must be on the Fund's provider list", change: func(a *attach.Application) { a.Clinic.FundProvider = false }, set: "kz-2023", failed: []string{"fund_provider"}},
		{name: "unsigned online", reason: "an online application is signed with EDS", change: func(a *attach.Application) { a.Signed = false }, set: "kz-2023", failed: []string{"signature"}},
		{name: "unsigned in person", reason: "in person the applicant writes and signs an application", change: func(a *attach.Application) { a.Signed, a.Channel = false, attach.InPerson }, set: "kz-2023", failed: []string{"signature"}},
		{name: "signed in person", reason: "a signed application at the registry is accepted", change: func(a *attach.Application) { a.Channel = attach.InPerson }, set: "kz-2023", from: 20270101},
		{name: "same clinic and doctor", reason: "asking for one's own doctor changes nothing", change: func(a *attach.Application) { a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID = "C1", "D1" }, set: "kz-2023", failed: []string{"already_attached"}},
		{name: "same clinic other doctor", reason: "a change of doctor within the clinic is a change", change: func(a *attach.Application) { a.Citizen.CurrentClinicID = "C1" }, set: "kz-2023", from: 20270101},
		{name: "every failing rule", reason: "all failing rules are reported, in the set's order", change: all(func(a *attach.Application) { a.Clinic.FundProvider, a.Signed = false, false }, outOfArea, attached(2000)), set: "kz-2023", failed: []string{"fund_provider", "signature", "home_visits", "capacity"}},
	})
}

func TestDecideAge(t *testing.T) {
	// On 2026-10-05 a person born 2008-10-05 is 18 and one born 2008-10-06 is 17.
	adult, minor := bornByIIN(20081005), bornByIIN(20081006)
	runDecideCases(t, []decideCase{
		{name: "therapist 18", reason: "18 on the day of submission: an adult", change: adult, set: "kz-2023", from: 20270101},
		{name: "therapist 17", reason: "17, one day short of 18: a therapist does not serve children", change: minor, set: "kz-2023", failed: []string{"specialty_age"}},
		{name: "pediatrician 17", reason: "a pediatrician serves children under 18", change: all(minor, specialty(attach.Pediatrician)), set: "kz-2023", from: 20270101},
		{name: "pediatrician 18", reason: "a pediatrician does not serve adults", change: all(adult, specialty(attach.Pediatrician)), set: "kz-2023", failed: []string{"specialty_age"}},
		{name: "GP 17", reason: "a general practitioner serves everyone", change: all(minor, specialty(attach.GeneralPractitioner)), set: "kz-2023", from: 20270101},
		{name: "GP 18", reason: "a general practitioner serves everyone", change: all(adult, specialty(attach.GeneralPractitioner)), set: "kz-2023", from: 20270101},
		{name: "birth date wins", reason: "an explicit birth date wins over the IIN's", change: all(adult, func(a *attach.Application) { a.Citizen.BirthDate = 20081006 }), set: "kz-2023", failed: []string{"specialty_age"}},
		{name: "birthday at local midnight", reason: "00:30 local on the birthday is the birthday, though UTC is still the day before", change: all(bornByIIN(20081006), submitted("2026-10-05T19:30:00Z"), func(a *attach.Application) { a.Citizen.AttachedSince = 20240101 }), set: "kz-2023", from: 20270101},
		{name: "adult age parameter", reason: "adult_age is a parameter: at 21, an 18-year-old is a child", params: map[string]rules.Value{"kz-2023.adult_age": rules.IntValue(21)}, change: adult, set: "kz-2023", failed: []string{"specialty_age"}},
	})
}

func TestDecideAreaAndCapacity(t *testing.T) {
	runDecideCases(t, []decideCase{
		{name: "out of area no waiver", reason: "staff could not reach the home on foot in time", change: outOfArea, set: "kz-2023", failed: []string{"home_visits"}},
		{name: "out of area with waiver", reason: "giving up home visits lifts the area condition", change: all(outOfArea, waives), set: "kz-2023", from: 20270101},
		{name: "in area no waiver", reason: "residents keep home visits", set: "kz-2023", from: 20270101},
		{name: "prefix must match from the start", reason: "a service-area code is a prefix, not a substring", change: all(func(a *attach.Application) { a.Citizen.AddressCode = "175111000" }), set: "kz-2023", failed: []string{"home_visits"}},
		{name: "empty service area", reason: "a clinic with no area has no residents", change: func(a *attach.Application) { a.Clinic.ServiceArea = nil }, set: "kz-2023", failed: []string{"home_visits"}},
		{name: "1999 attached", reason: "one place left below the norm of 2,000", change: all(outOfArea, waives, attached(1999)), set: "kz-2023", from: 20270101},
		{name: "2000 attached", reason: "full at the norm: one more would exceed it", change: all(outOfArea, waives, attached(2000)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "2001 attached", reason: "over the norm", change: all(outOfArea, waives, attached(2001)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "resident at a full doctor", reason: "a resident of the service area is accepted regardless", change: attached(2001), set: "kz-2023", from: 20270101},
		{name: "out of area at a full doctor", reason: "both area rules fail", change: all(outOfArea, attached(2000)), set: "kz-2023", failed: []string{"home_visits", "capacity"}},
		{name: "capacity parameter", reason: "the norm is a parameter: at 1,700, 1,700 attached is full", params: map[string]rules.Value{"kz-2023.capacity": rules.IntValue(1700)}, change: all(outOfArea, waives, attached(1700)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "per specialty 2199", reason: "a therapist's norm set to 2,200 leaves a place at 2,199", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.IntMapValue(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2199)), set: "kz-2023", from: 20270101},
		{name: "per specialty 2200", reason: "a therapist's norm of 2,200 is reached", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.IntMapValue(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2200)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "per specialty other", reason: "the override is for therapists; a GP keeps 2,000", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.IntMapValue(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2000), specialty(attach.GeneralPractitioner)), set: "kz-2023", failed: []string{"capacity"}},
	})
}

func TestDecideNoRuleSet(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "2017-12-31T23:30:00+06:00")
	app.Citizen.AttachedSince = 20160101
	_, err := e.Decide(app)
	var nr *attach.NoRuleSetError
	if !errors.As(err, &nr) || !errors.Is(err, attach.ErrNoRuleSet) || nr.Date != 20171231 {
		t.Fatalf("Decide(2017-12-31) error = %v, want a NoRuleSetError for 2017-12-31", err)
	}
	app.SubmittedAt = at(t, "2017-12-31T18:30:00Z") // 00:30 on 1 January 2018 in Almaty (UTC+6 then)
	if d, err := e.Decide(app); err != nil || d.RuleSet != "kz-2018" {
		t.Fatalf("Decide(2018-01-01 00:30 local) = %v, %v; want kz-2018", d.RuleSet, err)
	}
}

// TestDecideNil: a nil application or query is an invalid application with one problem
// that names no field, not a panic and not a decision; a Decision reused for it is reset.
// Location is the zone whose civil dates decide: an application's Date is its
// submission's date there.
func TestEngineLocation(t *testing.T) {
	e := builtinEngine(t, nil)
	loc := e.Location()
	require.NotNil(t, loc)
	assert.Equal(t, "Asia/Almaty", loc.String())
	app := baseApp(t)
	app.SubmittedAt = at(t, "2026-10-05T23:30:00Z") // 6 October in Almaty
	d, err := e.Decide(app)
	require.NoError(t, err)
	assert.Equal(t, rules.DateOf(app.SubmittedAt, loc), d.Date)
	assert.Equal(t, rules.Date(20261006), d.Date)
	assert.Nil(t, (&attach.Engine{}).Location(), "an engine New did not make has no zone")
}

func TestDecideNil(t *testing.T) {
	e := builtinEngine(t, nil)
	isNilInput := func(err error) bool {
		var inv *attach.InvalidApplicationError
		return errors.As(err, &inv) && len(inv.Problems) == 1 && inv.Problems[0].Field == "" && inv.Problems[0].Message != ""
	}
	var d attach.Decision
	if err := e.DecideInto(&d, baseApp(t)); err != nil || d.Outcome == attach.Undecided {
		t.Fatalf("DecideInto(base) = %v, %v", d.Outcome, err)
	}
	if err := e.DecideInto(&d, nil); !isNilInput(err) {
		t.Errorf("DecideInto(nil) = %v, want an InvalidApplicationError with one problem", err)
	}
	if d.Outcome != attach.Undecided || d.RuleSet != "" || len(d.Trace()) != 0 {
		t.Errorf("DecideInto(nil) left %v by %q with a trace of %d steps, want a reset Decision", d.Outcome, d.RuleSet, len(d.Trace()))
	}
	if opts, err := e.Options(nil); !isNilInput(err) || opts != nil {
		t.Errorf("Options(nil) = %v, %v, want no options and an InvalidApplicationError with one problem", opts, err)
	}
}

// TestDecisionOwnsItsFacts: a caller may reuse an application's storage once Decide has
// returned; the facts and the trace stay those of the decision.
func TestDecisionOwnsItsFacts(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	d, err := e.Decide(app)
	if err != nil {
		t.Fatal(err)
	}
	before, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	inArea, _ := d.Fact("in_area")
	for i := range app.Clinic.ServiceArea {
		app.Clinic.ServiceArea[i] = "19"
	}
	app.Doctor.Attached, app.Citizen.AddressCode = 1999, "191110000"
	after, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := d.Fact("in_area"); !now.Equal(inArea) || string(after) != string(before) {
		t.Errorf("after the application changed: in_area %v -> %v, trace\n%s\n->\n%s", inArea, now, before, after)
	}
}

// TestRuleSetDigest: a decision names the content of its set, so that two edited sets of
// one id never look alike in a log, and one set compiled twice does.
func TestRuleSetDigest(t *testing.T) {
	app := baseApp(t)
	decide := func(h rules.History) attach.Decision {
		t.Helper()
		e, err := attach.New(h)
		require.NoError(t, err)
		d, err := e.Decide(app)
		require.NoError(t, err)
		return d
	}
	d1, d2 := decide(rules.Builtin()), decide(rules.Builtin())
	require.Regexp(t, `^sha256:[0-9a-f]{64}$`, d1.RuleSetDigest)
	assert.Equal(t, d1.RuleSetDigest, d2.RuleSetDigest, "one set compiled twice")
	h := rules.Builtin()
	last := len(h) - 1 // the set in force on baseApp's day
	s, err := h[last].WithParam("capacity", rules.IntValue(1999))
	require.NoError(t, err)
	h[last] = s
	d3 := decide(h)
	assert.Equal(t, d1.RuleSet, d3.RuleSet)
	assert.NotEqual(t, d1.RuleSetDigest, d3.RuleSetDigest, "the same id with another capacity")
}

// TestContract: of the built-in sets only kz-2018, which limits no changes, gives up a
// feature (a remedy of the day the limit ends); a set lacking a fact the engine reads
// gives up its feature, listed by Gaps; a set with such a fact of another kind is refused.
func TestContract(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	assert.Equal(t, []attach.Gap{{Set: "kz-2018", Fact: "change_allowed_from", Feature: "Remedies proposes no day when the limit on changes ends"}}, e.Gaps())

	bare, err := rules.ParseHistory(rules.Document{Name: "bare.json", Data: []byte(`{"id":"bare","extends":"kz-2025","remove":["capacity"]}`)})
	require.NoError(t, err)
	s := bare[0]
	for i, f := range s.Facts {
		if f.Name == "free_places" {
			s.Facts = append(s.Facts[:i:i], s.Facts[i+1:]...)
			break
		}
	}
	e, err = attach.New(rules.History{s})
	require.NoError(t, err)
	assert.Equal(t, []attach.Gap{{Set: "bare", Fact: "free_places", Feature: "a remedy of another doctor shows 0 free places"}}, e.Gaps())

	wrong, err := rules.ParseHistory(rules.Document{Name: "wrong.json", Data: []byte(`{"id":"wrong","extends":"kz-2025","remove":["campaign","once_a_year"],"facts":[{"name":"campaign_start","expr":"\"09-01\""}]}`)})
	require.NoError(t, err)
	_, err = attach.New(wrong)
	require.Error(t, err)
	assert.Equal(t, "rules: wrong: fact campaign_start: type: is string; the engine reads it as month_day (without it, Remedies proposes no next campaign)", err.Error())
}
