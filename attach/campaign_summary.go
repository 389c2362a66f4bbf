package attach

import (
	"cmp"
	"slices"
	"strings"

	"github.com/emkhana/emkhana/rules"
)

// result counts the decisions and the people, and lists the doctors.
func (r *campaignRun) result() *CampaignResult {
	res := &CampaignResult{Decisions: r.res, people: r.person}
	s := &res.Summary
	s.Applications = len(r.res)
	s.RejectedBy = map[string]int{}
	s.Full = []DoctorFull{}
	for i := range r.res {
		d := &r.res[i]
		switch {
		case d.Err != nil:
			s.Invalid++
		case d.Outcome == Approved:
			s.Approved++
		default:
			s.Rejected++
			for _, id := range d.Failed {
				s.RejectedBy[id]++
			}
		}
	}
	r.countPeople(s)
	r.departUntil(maxDate)
	for t, k := range r.keys {
		res.Doctors = append(res.Doctors, DoctorCount{ClinicID: k.clinic, DoctorID: k.doctor, Attached: r.counts[t]})
		s.Full = append(s.Full, r.full[t]...)
	}
	slices.SortFunc(res.Doctors, func(a, b DoctorCount) int {
		return cmp.Or(strings.Compare(a.ClinicID, b.ClinicID), strings.Compare(a.DoctorID, b.DoctorID))
	})
	slices.SortFunc(s.Full, func(a, b DoctorFull) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ClinicID, b.ClinicID), strings.Compare(a.DoctorID, b.DoctorID), cmp.Compare(freedOrLast(a), freedOrLast(b)))
	})
	return res
}

// freedOrLast is the day f was freed, or maxDate when it was not: after every day.
func freedOrLast(f DoctorFull) rules.Date {
	if f.Freed == 0 {
		return maxDate
	}
	return f.Freed
}
