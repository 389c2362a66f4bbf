package campaign

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// Decision is the decision on one application of a batch, without its trace.
type Decision struct {
	Application   string         `json:"id"`
	Outcome       attach.Outcome `json:"outcome"`
	Date          rules.Date     `json:"date,omitempty"` // the local submission date
	EffectiveFrom rules.Date     `json:"effective_from,omitempty"`
	RuleSet       string         `json:"rule_set,omitempty"`
	// Failed holds the failed rule ids in the set's order. Decisions failing the same
	// rules of the same set share one slice: do not modify it.
	Failed []string `json:"failed,omitempty"`
	// Attached is the doctor's count the decision read.
	Attached int `json:"attached"`
	// SupersededBy is, for an approval, the id of the same person's later approved
	// application that took its place (see [Run]); empty when the approval stands, and
	// always with [Batch.KeepRepeats].
	SupersededBy string `json:"superseded_by,omitempty"`
	// Err is why no decision was made: an [*attach.InvalidApplicationError], or an error
	// matching [ErrDuplicateID], with nothing else set but Application; an
	// [*attach.NoRuleSetError] or a [*rules.RuntimeError], with Date and Attached set.
	// Outcome is then Undecided.
	Err error `json:"-"`
}

// Result is a decided batch. It keeps each decision in 24 bytes and the ids end to end,
// apart from the batch; [Result.Decision] returns one whole.
type Result struct {
	Summary Summary
	// Doctors are the counts once every approved change has taken effect (people leave
	// their previous doctor on the effective date, even one after the last
	// application), by clinic id then doctor id.
	Doctors []DoctorCount

	ids      idList
	recs     []decided
	verdicts []verdict
	errs     map[int32]error // by application with no decision: why
}

// Len returns the number of decisions: the applications of the batch when it ran.
func (r *Result) Len() int { return len(r.recs) }

// Decision returns the decision on the i-th application added to the batch, or the zero
// Decision when there is none.
func (r *Result) Decision(i int) Decision {
	if i < 0 || i >= len(r.recs) {
		return Decision{}
	}
	d := &r.recs[i]
	out := Decision{Application: r.ids.at(i), Date: rules.Date(d.date), Attached: int(d.attached)}
	if d.superseded > 0 {
		out.SupersededBy = r.ids.at(int(d.superseded - 1))
	}
	if d.verdict == noDecision {
		out.Err = r.errs[int32(i)]
		return out
	}
	v := &r.verdicts[d.index()]
	out.Outcome, out.RuleSet, out.Failed, out.EffectiveFrom = v.outcome, v.ruleSet, v.failed, rules.Date(d.effective)
	return out
}

// decided is one decision, packed.
type decided struct {
	verdict    uint32 // noDecision, or approvedBit (when approved) | the index of the verdict + 1
	date       int32
	effective  int32
	attached   int32
	superseded int32 // the index + 1 of the application whose approval superseded this one; 0 for none
	person     int32 // its person, when the person has other applications; else -1
}

const (
	noDecision  = 0
	approvedBit = 1 << 31
	// pending is the verdict of an application not decided yet.
	pending = approvedBit - 1
)

func (d *decided) approved() bool { return d.verdict&approvedBit != 0 }
func (d *decided) decided() bool  { return d.verdict != noDecision && d.verdict != pending }
func (d *decided) index() uint32  { return d.verdict&^approvedBit - 1 }

// verdict is what decisions share: the rule set, the outcome and the failed rules.
type verdict struct {
	ruleSet string
	outcome attach.Outcome
	failed  []string
}

// verdicts numbers the verdicts of one run, from any number of goroutines.
type verdicts struct {
	mu sync.Mutex
	intern[verdict]
}

// get returns the number of the verdict whose key is key, adding v when new.
func (vs *verdicts) get(key []byte, v func() verdict) uint32 {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return vs.intern.get(key, v)
}

// verdictKey appends the key of a verdict to b.
func verdictKey(b []byte, ruleSet string, o attach.Outcome, failed []string) []byte {
	b = append(b, byte(o))
	return appendKey(appendKey(b, ruleSet), failed...)
}

// Summary counts a campaign's decisions, and the people who applied.
type Summary struct {
	// Applications, Approved, Rejected and Invalid count applications: Approved
	// includes the approvals later superseded. Applications = Approved + Rejected +
	// Invalid.
	Applications int `json:"applications"`
	Approved     int `json:"approved"`
	Rejected     int `json:"rejected"`
	Invalid      int `json:"invalid"` // applications with no decision ([Decision.Err])
	// Superseded counts the approvals a later approval of the same person superseded
	// ([Decision.SupersededBy]); 0 with [Batch.KeepRepeats].
	Superseded int `json:"superseded"`
	// People counts the people, told apart by citizen.iin, of the decided applications
	// (approved or rejected); PeopleApproved those of them with an approved application.
	// Unless [Batch.KeepRepeats], PeopleApproved = Approved - Superseded: one standing
	// approval per person.
	People         int `json:"people"`
	PeopleApproved int `json:"people_approved"`
	// RejectedBy counts, per rule id, the rejected applications that failed it; one
	// application failing two rules counts for both.
	RejectedBy map[string]int `json:"rejected_by"`
	// Full lists each time a doctor's count reached their norm (the decision's capacity
	// fact) during the campaign and, when a place was freed again, the day it was, by
	// day, then clinic id, then doctor id, then the day it was freed. A doctor that was
	// full before the first application is not listed; one that was freed and filled
	// again is listed once for each time. Empty with [Batch.Static].
	Full []DoctorFull `json:"full"`
}

// DoctorFull is a doctor that reached their norm: from the day they did (Day) until a
// place was free again (Freed).
type DoctorFull struct {
	ClinicID string     `json:"clinic_id"`
	DoctorID string     `json:"doctor_id"`
	Day      rules.Date `json:"day"`
	// Freed is the day the count went below the norm again: a person left on that day
	// (their change took effect) or their approval was superseded. It is 0 (left out of
	// the JSON) when the doctor was still full once every change had taken effect. A
	// doctor full and freed on the same day has Freed = Day.
	Freed    rules.Date `json:"freed,omitempty"`
	Capacity int        `json:"capacity"`
}

// result counts the decisions and the people, and lists the doctors.
func (r *run) result() *Result {
	res := &Result{ids: r.ids, recs: r.res, verdicts: r.verdict.vals, errs: r.errors()}
	s := &res.Summary
	s.Applications = len(r.res)
	s.RejectedBy = map[string]int{}
	s.Full = []DoctorFull{}
	rejected := make([]int, len(res.verdicts)) // by verdict
	for i := range r.res {
		d := &r.res[i]
		d.person = r.apps[i].person
		switch {
		case d.verdict == noDecision:
			s.Invalid++
		case d.approved():
			s.Approved++
		default:
			s.Rejected++
			rejected[d.index()]++
		}
	}
	for k, n := range rejected {
		for _, id := range res.verdicts[k].failed {
			s.RejectedBy[id] += n
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

// maxDate is after every date.
const maxDate = rules.Date(99991231)
