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
			message: "If you apply during the next campaign, from 1 September 2026 to 1 November 2026, the application will be approved and the attachment will take effect on 1 January 2027."},
		{name: "on the first day", reason: "applying again today changes nothing: the next campaign is next year's",
			submitted: "2026-09-01T10:00:00+05:00", born: 20090301, want: []rules.Date{20270901},
			message: "If you apply during the next campaign, from 1 September 2027 to 1 November 2027, the application will be approved and the attachment will take effect on 1 January 2028."},
		{name: "during the campaign", reason: "once this year's campaign has begun, the next one is next year's",
			submitted: "2026-10-05T10:00:00+05:00", born: 20090301, want: []rules.Date{20270901},
			message: "If you apply during the next campaign, from 1 September 2027 to 1 November 2027, the application will be approved and the attachment will take effect on 1 January 2028."},
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
				if !r.Decision.Approved() || r.Decision.Date != r.Date {
					t.Errorf("Remedies(%s): remedy %+v has decision %v on %s, want approved on its day", tt.name, r, r.Decision.Outcome, r.Decision.Date)
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
