package attach_test

import (
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

func TestDecideCampaign2023(t *testing.T) {
	runDecideCases(t, []decideCase{
		{name: "day before start", reason: "31 August is before the 1 September start", change: submitted("2026-08-31T12:00:00+05:00"), set: "kz-2023", failed: []string{"campaign"}},
		{name: "first day", reason: "1 September opens the campaign", change: submitted("2026-09-01T12:00:00+05:00"), set: "kz-2023", from: 20270101},
		{name: "first day 00:30 local", reason: "00:30 local on 1 September is inside, though UTC is still 31 August", change: submitted("2026-08-31T19:30:00Z"), set: "kz-2023", from: 20270101},
		{name: "last day", reason: "1 November is the last day (inclusive by default)", change: submitted("2026-11-01T12:00:00+05:00"), set: "kz-2023", from: 20270101},
		{name: "last day 23:30 local", reason: "23:30 local on the last day is inside", change: submitted("2026-11-01T23:30:00+05:00"), set: "kz-2023", from: 20270101},
		{name: "last day 23:30 local written in UTC", reason: "the instant decides, not the offset it was written with", change: submitted("2026-11-01T18:30:00Z"), set: "kz-2023", from: 20270101},
		{name: "day after 00:30 local", reason: "00:30 local on 2 November is outside", change: submitted("2026-11-02T00:30:00+05:00"), set: "kz-2023", failed: []string{"campaign"}},
		{name: "day after 00:30 local written in UTC", reason: "19:30 UTC on 1 November is 00:30 on 2 November in Almaty", change: submitted("2026-11-01T19:30:00Z"), set: "kz-2023", failed: []string{"campaign"}},
		{name: "day after", reason: "2 November is after the campaign", change: submitted("2026-11-02T12:00:00+05:00"), set: "kz-2023", failed: []string{"campaign"}},
		{name: "UTC+6 before March 2024: 23:30 inside", reason: "in 2023 Almaty was on UTC+6: 17:30 UTC is 23:30 local on 1 November", change: all(submitted("2023-11-01T17:30:00Z"), attachedSince(20200101)), set: "kz-2023", from: 20240101},
		{name: "UTC+6 before March 2024: 00:30 outside", reason: "in 2023, 18:30 UTC on 1 November is 00:30 on 2 November local", change: all(submitted("2023-11-01T18:30:00Z"), attachedSince(20200101)), set: "kz-2023", failed: []string{"campaign"}},
		{name: "end exclusive", reason: "campaign_end_inclusive false puts the end day outside", params: map[string]rules.Value{"kz-2023.campaign_end_inclusive": rules.ValueOf(false)}, change: submitted("2026-11-01T12:00:00+05:00"), set: "kz-2023", failed: []string{"campaign"}},
		{name: "end exclusive day before end", reason: "with an exclusive end the day before it is still inside", params: map[string]rules.Value{"kz-2023.campaign_end_inclusive": rules.ValueOf(false)}, change: submitted("2026-10-31T12:00:00+05:00"), set: "kz-2023", from: 20270101},
		{name: "first attachment outside", reason: "the campaign restricts changes, not first attachments", change: all(firstTime, submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "first attachment inside", reason: "a first attachment takes effect on the day, even in the campaign", change: firstTime, set: "kz-2023", from: 20261005},
		{name: "residence change outside", reason: "moving is a qualifying reason; effective on the day", change: all(reason(attach.ResidenceChange), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "work change outside", reason: "a change of work qualifies", change: all(reason(attach.WorkChange), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "study change outside", reason: "a change of study qualifies", change: all(reason(attach.StudyChange), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "clinic reorganized outside", reason: "reorganization of the clinic qualifies", change: all(reason(attach.ClinicReorganized), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "clinic liquidated outside", reason: "liquidation of the clinic qualifies", change: all(reason(attach.ClinicLiquidated), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", from: 20261210},
		{name: "quality outside 2023", reason: "dissatisfaction left the list after 2018", change: all(reason(attach.QualityDissatisfaction), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", failed: []string{"campaign"}},
		{name: "sentence served outside 2023", reason: "the later list does not name it", change: all(reason(attach.SentenceServed), submitted("2026-12-10T12:00:00+05:00")), set: "kz-2023", failed: []string{"campaign"}},
		{name: "reason inside campaign", reason: "a qualifying reason takes effect on the day, inside the campaign too (reason_takes_effect_on_the_day)", change: reason(attach.ResidenceChange), set: "kz-2023", from: 20261005},
		{name: "reason inside campaign waits", reason: "with reason_takes_effect_on_the_day false, a change in the campaign waits for 1 January, reason or not", params: map[string]rules.Value{"kz-2023.reason_takes_effect_on_the_day": rules.ValueOf(false)}, change: reason(attach.ResidenceChange), set: "kz-2023", from: 20270101},
		{name: "other reason inside campaign", reason: "a reason that does not qualify changes nothing: the campaign's change waits for 1 January", change: reason(attach.QualityDissatisfaction), set: "kz-2023", from: 20270101},
		{name: "takes effect parameter", reason: "campaign_takes_effect is a parameter", params: map[string]rules.Value{"kz-2023.campaign_takes_effect": rules.ValueOf(rules.MonthDay(1201))}, set: "kz-2023", from: 20261201},
	})
}

// TestDecideCampaign2018 holds what testdata/scenarios does not: the campaign's first,
// last and next days, the 2018 reasons of quality and military service, and the switch to
// kz-2023 at midnight are scenarios 37-40, 44, 45, 51 and 52.
func TestDecideCampaign2018(t *testing.T) {
	since := attachedSince(20160101)
	at2018 := func(s string) func(a *attach.Application) { return all(submitted(s), since) }
	runDecideCases(t, []decideCase{
		{name: "sentence served outside 2018", reason: "the 2018 list includes the end of a sentence", change: all(at2018("2018-12-10T12:00:00+06:00"), reason(attach.SentenceServed)), set: "kz-2018", from: 20181210},
		{name: "no limit per year in 2018", reason: "the 2018 source sets no once-a-year limit", change: all(at2018("2018-12-10T12:00:00+06:00"), reason(attach.WorkChange), attachedSince(20181201)), set: "kz-2018", from: 20181210},
		{name: "2022 still kz-2018", reason: "kz-2018 is in force until 2023-01-01: 15 November 2022 is inside", change: at2018("2022-11-15T12:00:00+06:00"), set: "kz-2018", from: 20230101},
	})
}

func TestDecideOnceAYear(t *testing.T) {
	outside := func(s string, since rules.Date) func(a *attach.Application) {
		return all(submitted(s), attachedSince(since), reason(attach.ResidenceChange))
	}
	runDecideCases(t, []decideCase{
		{name: "day before 12 months", reason: "attached 2025-12-03: a change on 2026-12-02 is within the year", change: outside("2026-12-02T12:00:00+05:00", 20251203), set: "kz-2023", failed: []string{"once_a_year"}},
		{name: "12 months to the day", reason: "on 2026-12-03 twelve months have passed", change: outside("2026-12-03T12:00:00+05:00", 20251203), set: "kz-2023", from: 20261203},
		{name: "day after 12 months", reason: "after twelve months", change: outside("2026-12-04T12:00:00+05:00", 20251203), set: "kz-2023", from: 20261204},
		{name: "12 months at local midnight", reason: "00:30 local on 2026-12-03 is the anniversary, though UTC is still 2 December", change: outside("2026-12-02T19:30:00Z", 20251203), set: "kz-2023", from: 20261203},
		{name: "29 February", reason: "attached on 29 February 2024: 28 February 2025 ends the year", change: all(outside("2025-02-28T12:00:00+05:00", 20240229)), set: "kz-2023", from: 20250228},
		{name: "liquidation is exempt", reason: "a person whose clinic closes must be able to move", change: all(outside("2026-12-02T12:00:00+05:00", 20251203), reason(attach.ClinicLiquidated)), set: "kz-2023", from: 20261202},
		{name: "reorganization is exempt", reason: "reorganization is exempt by default", change: all(outside("2026-12-02T12:00:00+05:00", 20251203), reason(attach.ClinicReorganized)), set: "kz-2023", from: 20261202},
		{name: "exemption is a parameter", reason: "with no exempt reasons, liquidation counts too", params: map[string]rules.Value{"kz-2023.once_a_year_exempt_reasons": rules.ValueOf([]string{})}, change: all(outside("2026-12-02T12:00:00+05:00", 20251203), reason(attach.ClinicLiquidated)), set: "kz-2023", failed: []string{"once_a_year"}},
		{name: "inside the campaign no limit", reason: "the limit is on changes outside the campaign; the qualifying reason takes effect on the day", change: outside("2026-10-05T12:00:00+05:00", 20260101), set: "kz-2023", from: 20261005},
		{name: "inside the campaign no limit, no reason", reason: "the limit is on changes outside the campaign; without a reason the change waits for 1 January", change: all(outside("2026-10-05T12:00:00+05:00", 20260101), reason(attach.NoReason)), set: "kz-2023", from: 20270101},
		{name: "without reason and within the year", reason: "both campaign and once_a_year fail", change: all(outside("2026-12-02T12:00:00+05:00", 20251203), reason(attach.NoReason)), set: "kz-2023", failed: []string{"campaign", "once_a_year"}},
		{name: "twice a year: 6 months", reason: "changes_per_year 2: six months apart", params: map[string]rules.Value{"kz-2023.changes_per_year": rules.ValueOf(2)}, change: outside("2026-12-03T12:00:00+05:00", 20260603), set: "kz-2023", from: 20261203},
		{name: "twice a year: a day short", reason: "changes_per_year 2: a day short of six months", params: map[string]rules.Value{"kz-2023.changes_per_year": rules.ValueOf(2)}, change: outside("2026-12-02T12:00:00+05:00", 20260603), set: "kz-2023", failed: []string{"once_a_year"}},
		{name: "calendar year: 31 December", reason: "counted by calendar year, a change in 2026 after one in March 2026 waits for 2027", params: map[string]rules.Value{"kz-2023.change_period_calendar": rules.ValueOf(true)}, change: outside("2026-12-31T12:00:00+05:00", 20260310), set: "kz-2023", failed: []string{"once_a_year"}},
		{name: "calendar year: 1 January", reason: "counted by calendar year, 1 January 2027 opens a new year", params: map[string]rules.Value{"kz-2023.change_period_calendar": rules.ValueOf(true)}, change: outside("2027-01-01T12:00:00+05:00", 20260310), set: "kz-2023", from: 20270101},
	})
}
