package attach_test

import (
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := baseApp(t)
			app.SubmittedAt = at(t, tt.submitted)
			app.Citizen.BirthDate = tt.born
			rs, err := e.Remedies(app, "en")
			noError(t, err)
			var days []rules.Date
			for _, r := range rs {
				days = append(days, r.Date)
				if nd, err := e.Decide(r.Apply(app)); err != nil || !nd.Approved() || nd.Date != r.Date {
					t.Errorf("Remedies(%s): remedy %+v has decision %v on %s (%v), want approved on its day", tt.name, r, nd.Outcome, nd.Date, err)
				}
			}
			equal(t, tt.want, days, "Remedies("+tt.name+") days ("+tt.reason+")")
			if len(rs) > 0 && rs[0].Message != tt.message {
				t.Errorf("Remedies(%s) message = %q, want %q", tt.name, rs[0].Message, tt.message)
			}
		})
	}
}

// TestRemediesNone pins that Remedies gives nothing for an approved application and the
// error of Decide for an invalid one.
func TestRemediesNone(t *testing.T) {
	e := builtinEngine(t, nil)
	if rs, err := e.Remedies(baseApp(t), "en"); rs != nil || err != nil {
		t.Errorf("Remedies(approved) = %v, %v; want nil, nil", rs, err)
	}
	bad := baseApp(t)
	bad.ID = ""
	if rs, err := e.Remedies(bad, "en"); rs != nil || err == nil || err.Error() != "attach: invalid application: id: must not be empty" {
		t.Errorf("Remedies(no id) = %v, %v; want the invalid application error", rs, err)
	}
	var none *attach.Decision
	if x := e.Explain(none, "en"); len(x.Messages) != 0 {
		t.Errorf("Explain(nil) = %+v, want no messages", x)
	}
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
	noError(t, err)
	equal(t, []string{"home_visits", "capacity", "campaign"}, d.Failed, "the refusal")
	rs, err := e.Remedies(app, "ru", free)
	noError(t, err)
	if len(rs) == 0 {
		t.Fatal("Remedies found nothing; want another doctor, home visits given up and a reason, together")
	}
	for i, r := range rs {
		if nd, err := e.Decide(r.Apply(app)); err != nil || !nd.Approved() || nd.EffectiveFrom != r.EffectiveFrom {
			t.Errorf("remedy %d %+v: its application is decided %v from %s (%v), want approved from %s", i, r, nd.Outcome, nd.EffectiveFrom, err, r.EffectiveFrom)
		}
		if i > 0 && r.Changes() < rs[i-1].Changes() {
			t.Errorf("remedy %d has %d changes after one of %d: fewest first", i, r.Changes(), rs[i-1].Changes())
		}
	}
	var three *attach.Remedy
	for i := range rs {
		if rs[i].Doctor == "D2" && rs[i].WaivesHomeVisits && len(rs[i].Reasons) > 0 {
			three = &rs[i]
		}
	}
	if three == nil {
		t.Fatalf("Remedies = %+v; want D2, home visits given up and a reason", rs)
	}
	equal(t, []attach.Reason{attach.ResidenceChange, attach.WorkChange, attach.StudyChange, attach.ClinicReorganized, attach.ClinicLiquidated}, three.Reasons, "the reasons of one remedy")
	want := "Если Вы выберете врача D2 в этой же поликлинике (свободных мест: 10), у Вас есть одно из оснований для смены поликлиники (переезд в другой населённый пункт; смена места работы; смена места учёбы; реорганизация поликлиники; ликвидация поликлиники) и Вы укажете его в заявлении и Вы откажетесь от вызова врача на дом, заявление будет одобрено, а прикрепление вступит в силу с 10 марта 2026 года."
	if three.Message != want {
		t.Errorf("message = %q\nwant %q", three.Message, want)
	}
	// No remedy holds a smaller one: giving up home visits with D2 is not enough, and
	// nothing with it is proposed besides.
	for _, r := range rs {
		if r.Changes() < 3 && r.Doctor == "D2" && r.WaivesHomeVisits {
			t.Errorf("remedy %+v: D2 and giving up home visits are not enough in March without a reason", r)
		}
	}
}

// TestNoRemedy: an applicant nothing helps gets no remedy, and NoRemedy says so.
func TestNoRemedy(t *testing.T) {
	e := builtinEngine(t, nil)
	app := baseApp(t)
	app.Clinic.FundProvider = false
	rs, err := e.Remedies(app, "en")
	noError(t, err)
	if len(rs) != 0 {
		t.Errorf("Remedies(not a provider of the Fund) = %+v, want none: the applicant cannot change the clinic's contract", rs)
	}
	if got := e.NoRemedy("en"); got != "Changing the application would not help in this case. If you think some of the details are wrong, please contact the clinic's reception desk." {
		t.Errorf("NoRemedy(en) = %q", got)
	}
}
