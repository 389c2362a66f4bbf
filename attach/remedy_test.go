package attach_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
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

// TestRemedyApply: each remedy's application, made by Apply, is approved from the day the
// remedy says, and app itself is left as it was.
func TestRemedyApply(t *testing.T) {
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
