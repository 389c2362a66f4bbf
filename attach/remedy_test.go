package attach_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestRemediesOthersValidated pins that Remedies validates the other doctors it is given
// as it validates the application's doctor, naming each bad one by its index, instead of
// skipping it.
func TestRemediesOthersValidated(t *testing.T) {
	e := builtinEngine(t, nil)
	// Outside the area at a full doctor, with home visits given up: only capacity fails,
	// and another doctor with free places is a remedy.
	rejected := func(t testing.TB) *attach.Application {
		app := baseApp(t)
		app.Citizen.AddressCode = "751130000"
		app.WaivesHomeVisits = true
		app.Doctor.Attached = 2000
		return app
	}
	free := attach.Doctor{ID: "D2", Specialty: attach.Therapist, Attached: 10}
	tests := []struct {
		name, reason string
		app          func(t testing.TB) *attach.Application
		others       []attach.Doctor
		want         []string // the problems, "field: message (got value)"; nil: no error
	}{
		{name: "valid", reason: "a doctor with free places is proposed", app: rejected, others: []attach.Doctor{free}},
		{name: "negative count", reason: "a negative count was skipped silently",
			app: rejected, others: []attach.Doctor{free, {ID: "D3", Specialty: attach.Therapist, Attached: -1}},
			want: []string{`others[1].attached: must not be negative (got "-1")`}},
		{name: "count above the bound", reason: "others are bounded like the application's doctor",
			app: rejected, others: []attach.Doctor{{ID: "D3", Specialty: attach.Therapist, Attached: attach.MaxAttached + 1}},
			want: []string{`others[0].attached: must be at most 100000 (got "100001")`}},
		{name: "every field", reason: "each other doctor needs an id and a known specialty",
			app: rejected, others: []attach.Doctor{free, free, {Specialty: "surgeon"}},
			want: []string{"others[2].id: must not be empty", `others[2].specialty: must be therapist, pediatrician or general_practitioner (got "surgeon")`}},
		{name: "approved application", reason: "bad input is reported even when no remedy is needed",
			app: baseApp, others: []attach.Doctor{{ID: "D3", Specialty: attach.Therapist, Attached: -2}},
			want: []string{`others[0].attached: must not be negative (got "-2")`}},
		{name: "invalid application too", reason: "every problem at once: the application's, then the others'",
			app: func(t testing.TB) *attach.Application {
				app := rejected(t)
				app.Doctor.Attached = -1
				return app
			},
			others: []attach.Doctor{{ID: "D3", Specialty: attach.Therapist, Attached: -2}},
			want:   []string{`doctor.attached: must not be negative (got "-1")`, `others[0].attached: must not be negative (got "-2")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := e.Remedies(tt.app(t), "en", tt.others...)
			if tt.want == nil {
				require.NoError(t, err, tt.reason)
				require.NotEmpty(t, rs, tt.reason)
				assert.Equal(t, "D2", rs[0].Doctor, tt.reason)
				return
			}
			var inv *attach.InvalidApplicationError
			require.ErrorAs(t, err, &inv, tt.reason)
			assert.Nil(t, rs)
			assert.Equal(t, "A1", inv.ID)
			var got []string
			for _, p := range inv.Problems {
				got = append(got, p.Error())
			}
			assert.Equal(t, tt.want, got, "Remedies(%s) problems (%s)", tt.name, tt.reason)
		})
	}
}

// TestRemediesNextCampaign pins the day Remedies proposes for applying again in the
// campaign: the campaign's first day this year when it is still ahead, the first day of
// next year's campaign from that first day on. A person too young for a therapist is
// approved once they are 18 on that day.
func TestRemediesNextCampaign(t *testing.T) {
	e := builtinEngine(t, nil)
	tests := []struct {
		name, reason string
		submitted    string
		born         rules.Date
		byIIN        bool         // born is given by the IIN alone, not as citizen.birth_date
		want         []rules.Date // the days of the remedies
		message      string       // the English message of the first remedy
	}{
		{name: "before the campaign", reason: "the campaign that starts tomorrow is the next one",
			submitted: "2026-08-31T10:00:00+05:00", born: 20080901, want: []rules.Date{20260901},
			message: "If you apply again during the next registration campaign, from 1 September to 1 November 2026, the application will be approved and the registration (attachment) will take effect from 1 January 2027."},
		{name: "on the first day", reason: "applying again today changes nothing: the next campaign is next year's",
			submitted: "2026-09-01T10:00:00+05:00", born: 20090301, want: []rules.Date{20270901},
			message: "If you apply again during the next registration campaign, from 1 September to 1 November 2027, the application will be approved and the registration (attachment) will take effect from 1 January 2028."},
		{name: "during the campaign", reason: "once this year's campaign has begun, the next one is next year's",
			submitted: "2026-10-05T10:00:00+05:00", born: 20090301, want: []rules.Date{20270901},
			message: "If you apply again during the next registration campaign, from 1 September to 1 November 2027, the application will be approved and the registration (attachment) will take effect from 1 January 2028."},
		{name: "too young next year", reason: "no remedy when the person is still under 18 at the next campaign",
			submitted: "2026-10-05T10:00:00+05:00", born: 20090902, want: nil},
		{name: "too young next year, by the IIN", reason: "the birth date the IIN gives counts as a given one does",
			submitted: "2026-10-05T10:00:00+05:00", born: 20090902, byIIN: true, want: nil},
		{name: "during the campaign, by the IIN", reason: "the birth date the IIN gives counts as a given one does",
			submitted: "2026-10-05T10:00:00+05:00", born: 20090301, byIIN: true, want: []rules.Date{20270901},
			message: "If you apply again during the next registration campaign, from 1 September to 1 November 2027, the application will be approved and the registration (attachment) will take effect from 1 January 2028."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := baseApp(t)
			app.SubmittedAt = at(t, tt.submitted)
			app.Citizen.BirthDate = tt.born
			if tt.byIIN {
				app.Citizen.IIN, app.Citizen.BirthDate = iinBorn(t, tt.born), 0
			}
			rs, err := e.Remedies(app, "en")
			require.NoError(t, err)
			var days []rules.Date
			for _, r := range rs {
				days = append(days, r.Date)
				nd, err := e.Decide(r.Apply(app))
				require.NoError(t, err)
				assert.True(t, nd.Approved(), "remedy %+v: its application is approved", r)
				assert.Equal(t, r.Date, nd.Date, "remedy %+v: its application is of its day", r)
			}
			require.Equal(t, tt.want, days, "the days of the remedies (%s)", tt.reason)
			if len(rs) > 0 {
				assert.Equal(t, tt.message, rs[0].Message)
			}
		})
	}
}

// TestRemediesNone pins that Remedies gives nothing for an approved application and the
// error of Decide for an invalid one.
func TestRemediesNone(t *testing.T) {
	e := builtinEngine(t, nil)
	rs, err := e.Remedies(baseApp(t), "en")
	assert.NoError(t, err, "Remedies(approved)")
	assert.Nil(t, rs, "Remedies(approved)")
	bad := baseApp(t)
	bad.ID = ""
	rs, err = e.Remedies(bad, "en")
	assert.EqualError(t, err, "attach: invalid application: id: must not be empty")
	assert.Nil(t, rs, "Remedies(no id)")
}

// TestRemediesCombine: a refusal that no single change mends is mended by a combination,
// found with the fewest changes. Outside the area, at a full doctor, in March with no
// reason: only another doctor, giving up home visits and a qualifying reason together
// have the application approved.
func TestRemediesCombine(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "2026-03-10T10:00:00+05:00")
	app.Citizen.AddressCode = "751130000"
	app.Citizen.AttachedSince = 20240101
	app.Doctor.Attached = 2000
	free := attach.Doctor{ID: "D2", Specialty: attach.Therapist, Attached: 1990}
	d, err := e.Decide(app)
	require.NoError(t, err)
	require.Equal(t, []string{"home_visits", "capacity", "campaign"}, d.Failed, "the refusal")
	rs, err := e.Remedies(app, "ru", free)
	require.NoError(t, err)
	require.NotEmpty(t, rs, "Remedies found nothing; want another doctor, home visits given up and a reason, together")
	for i, r := range rs {
		nd, err := e.Decide(r.Apply(app))
		require.NoError(t, err)
		assert.True(t, nd.Approved(), "remedy %d %+v: its application is approved", i, r)
		assert.Equal(t, r.EffectiveFrom, nd.EffectiveFrom, "remedy %d %+v: approved from the remedy's day", i, r)
		if i > 0 {
			assert.GreaterOrEqual(t, r.Changes(), rs[i-1].Changes(), "remedy %d: fewest changes first", i)
		}
	}
	var three *attach.Remedy
	for i := range rs {
		if rs[i].Doctor == "D2" && rs[i].WaivesHomeVisits && len(rs[i].Reasons) > 0 {
			three = &rs[i]
		}
	}
	require.NotNil(t, three, "Remedies = %+v; want D2, home visits given up and a reason", rs)
	assert.Equal(t, []attach.Reason{attach.ResidenceChange, attach.WorkChange, attach.StudyChange, attach.ClinicReorganized, attach.ClinicLiquidated}, three.Reasons, "the reasons of one remedy")
	want := "Если Вы выберете врача D2 в этой же поликлинике (свободных мест: 10), у Вас есть одно из оснований для смены поликлиники (переезд в другой населённый пункт; смена места работы; смена места учёбы; реорганизация поликлиники; ликвидация поликлиники) и Вы укажете его в заявлении и Вы откажетесь от вызова врача на дом, заявление будет одобрено, а прикрепление вступит в силу с 10 марта 2026 года."
	assert.Equal(t, want, three.Message)
	// No remedy holds a smaller one: giving up home visits with D2 is not enough, and
	// nothing with it is proposed besides.
	for _, r := range rs {
		assert.False(t, r.Changes() < 3 && r.Doctor == "D2" && r.WaivesHomeVisits, "remedy %+v: D2 and giving up home visits are not enough in March without a reason", r)
	}
}

// TestNoRemedy: an applicant nothing helps gets no remedy, and NoRemedy says so.
func TestNoRemedy(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.Clinic.FundProvider = false
	rs, err := e.Remedies(app, "en")
	require.NoError(t, err)
	assert.Empty(t, rs, "Remedies(not a provider of the Fund): the applicant cannot change the clinic's contract")
	assert.Equal(t, "Changing the application would not help in this case. If you think some of the details are wrong, please contact the clinic's reception desk.", e.NoRemedy("en"))
}

// TestRemedyChanges: Changes counts giving up home visits, another doctor, a reason and
// a later day, one each.
func TestRemedyChanges(t *testing.T) {
	for _, tc := range []struct {
		r    attach.Remedy
		want int
	}{
		{attach.Remedy{}, 0},
		{attach.Remedy{WaivesHomeVisits: true}, 1},
		{attach.Remedy{Doctor: "D2"}, 1},
		{attach.Remedy{Reasons: []attach.Reason{attach.WorkChange, attach.StudyChange}}, 1},
		{attach.Remedy{Date: 20270901}, 1},
		{attach.Remedy{WaivesHomeVisits: true, Doctor: "D2", Reasons: []attach.Reason{attach.WorkChange}, Date: 20270901}, 4},
	} {
		assert.Equal(t, tc.want, tc.r.Changes(), "%+v", tc.r)
	}
}

// TestRemedyApply: each remedy's application, made by Apply, is approved from the day the
// remedy says, and app itself is left as it was.
func TestRemedyApply(t *testing.T) {
	var zero attach.Remedy
	assert.Nil(t, zero.Apply(nil), "a nil application gives nil, never a panic")
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.SubmittedAt = at(t, "2026-03-10T10:00:00+05:00") // outside the campaign, no reason
	app.Citizen.AddressCode = "751130000"                // outside the area
	app.Doctor.Attached = 2000                           // at the limit
	before := *app
	others := []attach.Doctor{{ID: "D2", Specialty: attach.Therapist, Attached: 1200}}
	rs, err := e.Remedies(app, "ru", others...)
	require.NoError(t, err)
	require.NotEmpty(t, rs)
	for _, r := range rs {
		changed := r.Apply(app)
		d, err := e.Decide(changed)
		require.NoError(t, err)
		assert.True(t, d.Approved(), "%+v: %v", r, d.Failed)
		assert.Equal(t, r.EffectiveFrom, d.EffectiveFrom, "%+v", r)
		if r.Doctor != "" {
			assert.Equal(t, others[0], changed.Doctor, "the doctor chosen, as Remedies was given it")
		}
	}
	assert.Equal(t, before, *app, "Apply changes a copy")
}
