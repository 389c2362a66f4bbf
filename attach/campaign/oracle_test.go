package campaign_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/rules"
)

// sequential is the campaign's meaning written as plainly as possible, one application
// after the other with Decide: the oracle the parallel Run must agree with. It
// also keeps a ledger of the places each person holds with each doctor (the one they are
// attached to when the campaign starts, and those of their approvals), and fails the
// test when a doctor's count ever holds two places of one person, unless
// c.KeepRepeats; with it, the ledger is returned for tests to find those places.
func sequential(t testing.TB, e *attach.Engine, c *input) *outcome {
	res, _ := sequentialLedger(t, e, c)
	return res
}

// doubled is a person holding two places with one doctor, and the application after
// which they did.
type doubled struct {
	iin, clinic, doctor, after string
}

func sequentialLedger(t testing.TB, e *attach.Engine, c *input) (*outcome, []doubled) {
	t.Helper()
	type key struct{ clinic, doctor string }
	apps := c.Applications
	order := make([]int, len(apps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(apps[a].SubmittedAt.Compare(apps[b].SubmittedAt), strings.Compare(apps[a].ID, apps[b].ID))
	})
	counts := map[key]int{}
	for _, d := range c.Doctors {
		counts[key{d.ClinicID, d.DoctorID}] = d.Attached
	}
	for _, i := range order {
		k := key{apps[i].Clinic.ID, apps[i].Doctor.ID}
		if _, ok := counts[k]; !ok && validCount(apps[i].Doctor.Attached) {
			counts[k] = apps[i].Doctor.Attached
		}
	}
	known := func(k key) bool {
		_, ok := counts[k]
		return ok && k.clinic != ""
	}
	// full holds each doctor's full periods; the last is open while its Freed is 0.
	full := map[key][]campaign.DoctorFull{}
	// ledger counts, by IIN and doctor, the places a person holds.
	ledger := map[string]map[key]int{}
	place := func(iin string, k key, n int) {
		if ledger[iin] == nil {
			ledger[iin] = map[key]int{}
		}
		ledger[iin][k] += n
	}
	leave := func(k key, day rules.Date, iin string) {
		counts[k] = max(counts[k]-1, 0)
		place(iin, k, -1)
		if f := full[k]; len(f) > 0 && f[len(f)-1].Freed == 0 && counts[k] < f[len(f)-1].Capacity {
			f[len(f)-1].Freed = day
		}
	}
	type departure struct {
		day rules.Date
		k   key
		app int
	}
	var pending []departure
	res := &outcome{Decisions: make([]campaign.Decision, len(apps))}
	// departUntil makes the departures due by day, in their order, but those of
	// superseded approvals.
	departUntil := func(day rules.Date) {
		slices.SortStableFunc(pending, func(a, b departure) int { return cmp.Compare(a.day, b.day) })
		kept := pending[:0]
		for _, p := range pending {
			switch {
			case p.day > day:
				kept = append(kept, p)
			case res.Decisions[p.app].SupersededBy == "":
				leave(p.k, p.day, apps[p.app].Citizen.IIN)
			}
		}
		pending = kept
	}
	// standing is the approval whose place a person holds, and the doctor they leave for it.
	type standing struct {
		app     int
		target  key
		from    key
		hasFrom bool
	}
	held := map[string]standing{}
	var double []doubled
	loc := e.Location()
	for _, i := range order {
		a := apps[i]
		var today rules.Date
		if !a.SubmittedAt.IsZero() {
			today = rules.DateOf(a.SubmittedAt, loc)
		}
		departUntil(today)
		k := key{a.Clinic.ID, a.Doctor.ID}
		if validCount(a.Doctor.Attached) { // an invalid count leaves the application invalid
			a.Doctor.Attached = counts[k]
		}
		d, err := e.Decide(&a)
		out := &res.Decisions[i]
		if err != nil {
			*out = campaign.Decision{Application: a.ID, Err: err}
			continue
		}
		*out = campaign.Decision{Application: d.Application, Outcome: d.Outcome, Date: d.Date, EffectiveFrom: d.EffectiveFrom, RuleSet: d.RuleSet, Failed: d.Failed, Attached: a.Doctor.Attached}
		if len(d.Failed) == 0 {
			out.Failed = nil
		}
		if !d.Approved() {
			continue
		}
		iin := a.Citizen.IIN
		prev := key{a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID}
		if _, seen := ledger[iin]; !seen && known(prev) {
			place(iin, prev, 1) // attached there when the campaign starts
		}
		counts[k]++
		place(iin, k, 1)
		if v, ok := d.Fact("capacity"); ok && counts[k] == v.Int() {
			if f := full[k]; len(f) == 0 || f[len(f)-1].Freed != 0 {
				full[k] = append(f, campaign.DoctorFull{ClinicID: k.clinic, DoctorID: k.doctor, Day: today, Capacity: v.Int()})
			}
		}
		from, hasFrom := prev, known(prev)
		if h, ok := held[iin]; ok && !c.KeepRepeats {
			// A later approval of the same person: it supersedes the one they hold.
			res.Decisions[h.app].SupersededBy = a.ID
			if res.Decisions[h.app].EffectiveFrom > today {
				// It never takes effect: its place is free, the person is still where it would have taken them from.
				if !h.hasFrom || h.from != h.target {
					leave(h.target, today, iin)
				}
				from, hasFrom = h.from, h.hasFrom
			} else {
				// It took effect: the person is with its doctor now.
				from, hasFrom = h.target, true
			}
		}
		held[iin] = standing{app: i, target: k, from: from, hasFrom: hasFrom}
		if hasFrom {
			if d.EffectiveFrom <= today || (!c.KeepRepeats && from == k) {
				leave(from, today, iin)
			} else {
				pending = append(pending, departure{d.EffectiveFrom, from, i})
			}
		}
		for dk, n := range ledger[iin] {
			if n > 1 {
				double = append(double, doubled{iin, dk.clinic, dk.doctor, a.ID})
				if !c.KeepRepeats {
					t.Fatalf("sequential: after %s, %s holds %d places with doctor %s of clinic %s", a.ID, iin, n, dk.doctor, dk.clinic)
				}
			}
		}
	}
	departUntil(rules.Date(99991231))
	s := &res.Summary
	s.Applications, s.RejectedBy, s.Full = len(apps), map[string]int{}, []campaign.DoctorFull{}
	people, approved := map[string]bool{}, map[string]bool{}
	for i, d := range res.Decisions {
		switch {
		case d.Err != nil:
			s.Invalid++
			continue
		case d.Outcome == attach.Approved:
			s.Approved++
			approved[apps[i].Citizen.IIN] = true
		default:
			s.Rejected++
			for _, id := range d.Failed {
				s.RejectedBy[id]++
			}
		}
		people[apps[i].Citizen.IIN] = true
		if d.SupersededBy != "" {
			s.Superseded++
		}
	}
	s.People, s.PeopleApproved = len(people), len(approved)
	for _, f := range full {
		s.Full = append(s.Full, f...)
	}
	slices.SortFunc(s.Full, func(a, b campaign.DoctorFull) int {
		freed := func(f campaign.DoctorFull) rules.Date {
			if f.Freed == 0 {
				return rules.Date(99991231)
			}
			return f.Freed
		}
		return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ClinicID, b.ClinicID), strings.Compare(a.DoctorID, b.DoctorID), cmp.Compare(freed(a), freed(b)))
	})
	for k, n := range counts {
		res.Doctors = append(res.Doctors, campaign.DoctorCount{ClinicID: k.clinic, DoctorID: k.doctor, Attached: n})
	}
	slices.SortFunc(res.Doctors, func(a, b campaign.DoctorCount) int {
		return cmp.Or(strings.Compare(a.ClinicID, b.ClinicID), strings.Compare(a.DoctorID, b.DoctorID))
	})
	return res, double
}

// String names a doubled place in a failure message.
func (d doubled) String() string {
	return fmt.Sprintf("%s twice with %s/%s after %s", d.iin, d.clinic, d.doctor, d.after)
}
