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
			require.NotEmpty(t, tt.reason, "every case needs a reason")
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
			require.NoError(t, err, tt.reason)
			want := summary{Outcome: attach.Rejected, Failed: tt.failed, EffectiveFrom: tt.from, RuleSet: tt.set}
			if tt.failed == nil {
				want.Outcome, want.Failed = attach.Approved, []string{} // as summarize gives it
			}
			assert.Equal(t, want, summarize(d), tt.reason)
			trace := d.Trace()
			assert.NotEmpty(t, trace, "the trace")
			for _, s := range trace {
				assert.NotEqual(t, slices.Contains(d.Failed, s.Rule), s.Passed, "trace step %s passed=%v disagrees with failed %v", s.Rule, s.Passed, d.Failed)
			}
		})
	}
}

func TestDecideEligibility(t *testing.T) {
	in2018 := all(submitted("2018-10-01T10:00:00+06:00"), attachedSince(20160101))
	runDecideCases(t, []decideCase{
		{name: "refugee 2018", reason: "the 2018 source names only citizens and permanent residents", change: all(in2018, residency(attach.Refugee)), set: "kz-2018", failed: []string{"residency"}},
		{name: "temporary insured 2023", reason: "later sources: temporary residents insured under OSMS", change: all(residency(attach.TemporaryResident), func(a *attach.Application) { a.Citizen.Insured = true }), set: "kz-2023", from: 20270101},
		{name: "temporary insured 2018", reason: "the 2018 source does not cover temporary residents", change: all(in2018, residency(attach.TemporaryResident), func(a *attach.Application) { a.Citizen.Insured = true }), set: "kz-2018", failed: []string{"residency"}},
		{name: "every failing rule", reason: "all failing rules are reported, in the set's order", change: all(func(a *attach.Application) { a.Clinic.FundProvider, a.Signed = false, false }, outOfArea, attached(2000)), set: "kz-2023", failed: []string{"fund_provider", "signature", "home_visits", "capacity"}},
	})
}

func TestDecideAge(t *testing.T) {
	// On 2026-10-05 a person born 2008-10-05 is 18 and one born 2008-10-06 is 17.
	adult, minor := bornByIIN(20081005), bornByIIN(20081006)
	runDecideCases(t, []decideCase{
		{name: "GP 17", reason: "a general practitioner serves everyone", change: all(minor, specialty(attach.GeneralPractitioner)), set: "kz-2023", from: 20270101},
		{name: "GP 18", reason: "a general practitioner serves everyone", change: all(adult, specialty(attach.GeneralPractitioner)), set: "kz-2023", from: 20270101},
		{name: "birthday at local midnight", reason: "00:30 local on the birthday is the birthday, though UTC is still the day before", change: all(bornByIIN(20081006), submitted("2026-10-05T19:30:00Z"), func(a *attach.Application) { a.Citizen.AttachedSince = 20240101 }), set: "kz-2023", from: 20270101},
		{name: "adult age parameter", reason: "adult_age is a parameter: at 21, an 18-year-old is a child", params: map[string]rules.Value{"kz-2023.adult_age": rules.ValueOf(21)}, change: adult, set: "kz-2023", failed: []string{"specialty_age"}},
	})
}

func TestDecideAreaAndCapacity(t *testing.T) {
	runDecideCases(t, []decideCase{
		{name: "prefix must match from the start", reason: "a service-area code is a prefix, not a substring", change: all(func(a *attach.Application) { a.Citizen.AddressCode = "175111000" }), set: "kz-2023", failed: []string{"home_visits"}},
		{name: "empty service area", reason: "a clinic with no area has no residents", change: func(a *attach.Application) { a.Clinic.ServiceArea = nil }, set: "kz-2023", failed: []string{"home_visits"}},
		{name: "resident at a full doctor", reason: "a resident of the service area is accepted regardless", change: attached(2001), set: "kz-2023", from: 20270101},
		{name: "capacity parameter", reason: "the norm is a parameter: at 1,700, 1,700 attached is full", params: map[string]rules.Value{"kz-2023.capacity": rules.ValueOf(1700)}, change: all(outOfArea, waives, attached(1700)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "per specialty 2199", reason: "a therapist's norm set to 2,200 leaves a place at 2,199", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.ValueOf(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2199)), set: "kz-2023", from: 20270101},
		{name: "per specialty 2200", reason: "a therapist's norm of 2,200 is reached", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.ValueOf(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2200)), set: "kz-2023", failed: []string{"capacity"}},
		{name: "per specialty other", reason: "the override is for therapists; a GP keeps 2,000", params: map[string]rules.Value{"kz-2023.capacity_by_specialty": rules.ValueOf(map[string]int{"therapist": 2200})}, change: all(outOfArea, waives, attached(2000), specialty(attach.GeneralPractitioner)), set: "kz-2023", failed: []string{"capacity"}},
	})
}

func TestDecideNoRuleSet(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "2017-12-31T23:30:00+06:00")
	app.Citizen.AttachedSince = 20160101
	_, err := e.Decide(app)
	var nr *attach.NoRuleSetError
	require.ErrorAs(t, err, &nr, "Decide(2017-12-31)")
	assert.Equal(t, rules.Date(20171231), nr.Date)
	app.SubmittedAt = at(t, "2017-12-31T18:30:00Z") // 00:30 on 1 January 2018 in Almaty (UTC+6 then)
	d, err := e.Decide(app)
	require.NoError(t, err, "Decide(2018-01-01 00:30 local)")
	assert.Equal(t, "kz-2018", d.RuleSet, "Decide(2018-01-01 00:30 local)")
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
	require.NoError(t, e.DecideInto(&d, baseApp(t)))
	require.NotEqual(t, attach.Undecided, d.Outcome, "DecideInto(base)")
	err := e.DecideInto(&d, nil)
	assert.True(t, isNilInput(err), "DecideInto(nil) = %v, want an InvalidApplicationError with one problem", err)
	// A reset Decision.
	assert.Equal(t, attach.Undecided, d.Outcome, "DecideInto(nil)")
	assert.Empty(t, d.RuleSet, "DecideInto(nil)")
	assert.Empty(t, d.Trace(), "DecideInto(nil)")
	opts, err := e.Options(nil)
	assert.True(t, isNilInput(err), "Options(nil) = %v, want an InvalidApplicationError with one problem", err)
	assert.Nil(t, opts, "Options(nil)")
}

// TestDecisionOwnsItsFacts: a caller may reuse an application's storage once Decide has
// returned; the facts and the trace stay those of the decision.
func TestDecisionOwnsItsFacts(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	d, err := e.Decide(app)
	require.NoError(t, err)
	before, err := json.MarshalIndent(d, "", "  ")
	require.NoError(t, err)
	inArea, _ := d.Fact("in_area")
	for i := range app.Clinic.ServiceArea {
		app.Clinic.ServiceArea[i] = "19"
	}
	app.Doctor.Attached, app.Citizen.AddressCode = 1999, "191110000"
	after, err := json.MarshalIndent(d, "", "  ")
	require.NoError(t, err)
	now, _ := d.Fact("in_area")
	assert.Equal(t, inArea.String(), now.String(), "in_area after the application changed")
	assert.Equal(t, inArea.Kind(), now.Kind(), "in_area after the application changed")
	assert.Equal(t, string(before), string(after), "the decision and its trace after the application changed")
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
	s, err := h[last].WithParam("capacity", rules.ValueOf(1999))
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

// TestTraceStepsOwnTheirFacts: the steps of a trace share one array of facts, each its
// own part: a caller appending to one step's facts changes no other step, and each step
// lists the facts its rule reads, with the values Decision.Fact gives.
func TestTraceStepsOwnTheirFacts(t *testing.T) {
	e := builtinEngine(t, nil)
	d, err := e.Decide(baseApp(t))
	require.NoError(t, err)
	trace := d.Trace()
	require.Greater(t, len(trace), 1)
	want := slices.Clone(trace[1].Facts)
	trace[0].Facts = append(trace[0].Facts, attach.Fact{Name: "extra"})
	assert.Equal(t, want, trace[1].Facts, "appending to the first step's facts changed the second's")
	for _, s := range d.Trace() {
		one, ok := d.Step(s.Rule)
		require.True(t, ok, s.Rule)
		assert.Equal(t, one, s, "Trace and Step(%s) disagree", s.Rule)
		for _, f := range s.Facts {
			v, ok := d.Fact(f.Name)
			require.True(t, ok, f.Name)
			assert.True(t, v.Equal(f.Value), "%s: fact %s is %v in the trace, %v by Fact", s.Rule, f.Name, f.Value, v)
		}
	}
}

// TestDecideIntoACopy: a decision copied, then decided into, takes storage of its own:
// the original keeps its failed rules and its trace. Decide's decisions are each their own.
func TestDecideIntoACopy(t *testing.T) {
	e := builtinEngine(t, nil)
	unsigned, noFund := baseApp(t), baseApp(t)
	unsigned.Signed = false
	noFund.Clinic.FundProvider = false
	d1, err := e.Decide(unsigned)
	require.NoError(t, err)
	wantFailed, wantTrace := slices.Clone(d1.Failed), d1.Trace()
	d2 := d1
	require.NoError(t, e.DecideInto(&d2, noFund))
	assert.Equal(t, []string{"fund_provider"}, d2.Failed)
	assert.Equal(t, wantFailed, d1.Failed, "the original's failed rules, after deciding into its copy")
	assert.Equal(t, wantTrace, d1.Trace(), "the original's trace, after deciding into its copy")
	d3, err := e.Decide(noFund)
	require.NoError(t, err)
	assert.Equal(t, wantFailed, d1.Failed, "after another Decide")
	assert.Equal(t, d2.Trace(), d3.Trace())
}
