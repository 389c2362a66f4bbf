package attach

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/emkhana/emkhana/rules"
)

// Campaign is a batch of applications decided together, as the Fund processes a
// campaign: in submission order, with doctors' counts that move as applications are
// approved. RunCampaign decides it.
type Campaign struct {
	// Doctors are the doctors' counts before the first application, each 0 to
	// MaxAttached. A doctor that an application names and this list does not starts with
	// the doctor.attached of the first application, in submission order, that names it
	// with a count of 0 to MaxAttached.
	Doctors []DoctorCount
	// Applications are decided in submission order: by SubmittedAt, then by ID. Their
	// order in the slice does not matter, except that an application whose id an earlier
	// one in the slice already has is not decided: its CampaignDecision.Err matches
	// ErrDuplicateID.
	Applications []Application
	// Workers is how many goroutines decide at once; 0 means GOMAXPROCS. The result does
	// not depend on it.
	Workers int
	// Static, when true, decides every application on its own, with its own
	// doctor.attached: counts do not move. Impact analyses of independent decisions use it.
	// Supersession (see KeepRepeats) still marks a person's earlier approvals.
	Static bool
	// KeepRepeats, when true, lets every approved application hold a place, as before
	// people were told apart: a person who applies twice and is approved twice is
	// counted at both doctors. By default (false) one person holds one place: a person's
	// later approval supersedes their earlier one (see RunCampaign). People are told
	// apart by citizen.iin, exactly as given; the summary counts people either way.
	KeepRepeats bool
	// Progress, when set, is called from RunCampaign's goroutine with the number of
	// applications decided so far, after each local day of submissions. Applications
	// refused for a duplicate id count as decided from the first call.
	Progress func(decided int)
}

// DoctorCount is how many people are attached to one doctor of one clinic. A doctor is
// named by its clinic's id and its own id together.
type DoctorCount struct {
	ClinicID string `json:"clinic_id"`
	DoctorID string `json:"doctor_id"`
	Attached int    `json:"attached"`
}

// CampaignDecision is the decision on one application of a campaign, without its trace.
type CampaignDecision struct {
	Application   string     `json:"id"`
	Outcome       Outcome    `json:"outcome"`
	Date          rules.Date `json:"date,omitempty"` // the local submission date
	EffectiveFrom rules.Date `json:"effective_from,omitempty"`
	RuleSet       string     `json:"rule_set,omitempty"`
	// Failed holds the failed rule ids in the set's order. Decisions failing the same
	// rules may share one slice: do not modify it.
	Failed []string `json:"failed,omitempty"`
	// Attached is the doctor's count the decision read.
	Attached int `json:"attached"`
	// SupersededBy is, for an approval, the id of the same person's later approved
	// application that took its place (see RunCampaign); empty when the approval stands,
	// and always with Campaign.KeepRepeats.
	SupersededBy string `json:"superseded_by,omitempty"`
	// Err is why no decision was made (an *InvalidApplicationError, a *NoRuleSetError,
	// a *rules.RuntimeError); Outcome is then Undecided.
	Err error `json:"-"`
}

// CampaignResult is a decided campaign.
type CampaignResult struct {
	// Decisions[i] decides Campaign.Applications[i].
	Decisions []CampaignDecision
	Summary   CampaignSummary
	// Doctors are the counts once every approved change has taken effect (people leave
	// their previous doctor on the effective date, even one after the last
	// application), by clinic id then doctor id.
	Doctors []DoctorCount

	people []int32 // by decision: its person, when the person has other applications; else -1
}

// CampaignSummary counts a campaign's decisions, and the people who applied.
type CampaignSummary struct {
	// Applications, Approved, Rejected and Invalid count applications: Approved
	// includes the approvals later superseded. Applications = Approved + Rejected +
	// Invalid.
	Applications int `json:"applications"`
	Approved     int `json:"approved"`
	Rejected     int `json:"rejected"`
	Invalid      int `json:"invalid"` // applications with no decision (CampaignDecision.Err)
	// Superseded counts the approvals a later approval of the same person superseded
	// (CampaignDecision.SupersededBy); 0 with Campaign.KeepRepeats.
	Superseded int `json:"superseded"`
	// People counts the people, told apart by citizen.iin, of the decided applications
	// (approved or rejected); PeopleApproved those of them with an approved application.
	// Unless Campaign.KeepRepeats, PeopleApproved = Approved - Superseded: one standing
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
	// again is listed once for each time. Empty with Campaign.Static.
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

// RunCampaign decides every application of c and summarizes them.
//
// Applications are decided in submission order (by SubmittedAt, ties by ID), each with
// its doctor's count as it stands then, replacing the application's own
// doctor.attached: an approval adds one to the chosen doctor at once, and the person
// leaves their previous doctor (citizen.current_clinic_id and current_doctor_id, when
// that doctor is known: listed in c.Doctors or named by an application) on the
// decision's effective date, before the first application of that local day is
// decided, or at once when that day has come. Counts never go below zero, and never
// overflow: each starts at MaxAttached at most and grows by one per approval.
//
// One person holds one place. Unless c.KeepRepeats, the applications of one person
// (the same citizen.iin) are one person's: when a person already approved in the batch
// is approved again, the later approval supersedes the earlier one, whose decision says
// so in SupersededBy; a rejected application leaves the earlier approval standing. This
// is our reading: the sources say a person is attached to one clinic and doctor, and
// nothing of repeated applications in a campaign. What the counts do depends on whether
// the earlier approval has taken effect when the later one is decided:
//   - Not yet (a change chosen in the campaign, effective 1 January): it never takes
//     effect. Its place at its doctor is freed at once, from the later decision on, and
//     the person never leaves their previous doctor for it; the later approval is a
//     change from the doctor the person is with now, who they leave once, on its own
//     effective date.
//   - Already (a first attachment, or a change for a qualifying reason, effective on the
//     day of the decision, the same day or earlier): the person did attach to that
//     doctor, so the later approval is a change from that doctor, who they leave on the
//     later approval's effective date.
//
// Either way, a person approved again for the doctor they already hold a place with
// keeps that one place: the count does not move. The rules read each application as it
// is given: an earlier approval of the batch does not change what a later application
// says of the person's current clinic (citizen.current_clinic_id, attached_since).
//
// The result is the same whatever the order of c.Applications and whatever c.Workers:
// days are decided one after the other, and within a day the doctors are split into
// groups that cannot affect each other, decided in parallel: a person leaving doctor X
// the same day for doctor Y, or freeing a place at X by a later approval for Y, joins X
// and Y when X is chosen again later that day; the doctors a person applies to that day
// are in one group, with the doctor of the place they held at the start of the day.
//
// An invalid application, or one no rule set decides, gets its error in
// CampaignDecision.Err and changes no count. So does an application whose id an earlier
// application of c.Applications already has (the error matches ErrDuplicateID): the
// others are decided as if it were not there. RunCampaign itself fails, with an error
// matching ErrInvalidCampaign, only when c is nil or c.Doctors names a doctor twice or
// gives a count outside 0 to MaxAttached.
func (e *Engine) RunCampaign(c *Campaign) (*CampaignResult, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, kindErrorf(ErrInvalidCampaign, "attach: nil campaign")
	}
	r, err := newCampaignRun(e, c)
	if err != nil {
		return nil, err
	}
	if c.Static {
		r.runStatic()
	} else {
		r.runDays()
	}
	return r.result(), nil
}

// doctorKey names a doctor: clinic id and doctor id.
type doctorKey struct{ clinic, doctor string }

// campaignRun is the state of one RunCampaign.
type campaignRun struct {
	e       *Engine
	c       *Campaign
	workers int
	order   []int32        // submission order: positions to application indexes
	day     []rules.Date   // by position: the local submission date (0 when unset)
	target  []int32        // by application: the chosen doctor
	prev    []int32        // by application: the previous doctor, or -1
	keys    []doctorKey    // by doctor
	counts  []int          // by doctor: the count now
	full    [][]DoctorFull // by doctor: the times it was full; the last is open while its Freed is 0
	res     []CampaignDecision
	pending departures
	days    dayState
	pool    []*campaignWorker
	refused int // applications not decided for a duplicate id

	person    []int32 // by application: its person, when the person has other applications; else -1
	npeople   int     // the people with more than one application
	supersede bool    // a person's later approval supersedes their earlier one
	people    peopleState
}

func newCampaignRun(e *Engine, c *Campaign) (*campaignRun, error) {
	n := len(c.Applications)
	r := &campaignRun{e: e, c: c, workers: c.Workers, res: make([]CampaignDecision, n)}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	// Look for repeated ids and people while the applications are sorted.
	dups := make(chan []duplicate, 1)
	go func() {
		d := duplicates(c.Applications)
		r.person, r.npeople = people(c.Applications)
		dups <- d
	}()
	r.sortApplications()
	r.refuseDuplicates(<-dups)
	r.supersede = !c.KeepRepeats && r.npeople > 0
	if c.Static {
		return r, nil
	}
	index := make(map[doctorKey]int32, len(c.Doctors))
	for _, d := range c.Doctors {
		k := doctorKey{d.ClinicID, d.DoctorID}
		if _, dup := index[k]; dup {
			return nil, kindErrorf(ErrInvalidCampaign, "attach: campaign: doctor %q of clinic %q is listed twice", d.DoctorID, d.ClinicID)
		}
		if d.Attached < 0 || d.Attached > MaxAttached {
			return nil, kindErrorf(ErrInvalidCampaign, "attach: campaign: doctor %q of clinic %q has %d attached; want 0 to %d", d.DoctorID, d.ClinicID, d.Attached, MaxAttached)
		}
		index[k] = int32(len(r.keys))
		r.keys = append(r.keys, k)
		r.counts = append(r.counts, d.Attached)
	}
	listed := len(r.keys)
	r.target = make([]int32, n)
	for _, i := range r.order {
		a := &c.Applications[i]
		k := doctorKey{a.Clinic.ID, a.Doctor.ID}
		t, ok := index[k]
		if !ok {
			t = int32(len(r.keys))
			index[k] = t
			r.keys = append(r.keys, k)
			r.counts = append(r.counts, -1)
		}
		if int(t) >= listed && r.counts[t] < 0 && a.Doctor.Attached >= 0 && a.Doctor.Attached <= MaxAttached {
			r.counts[t] = a.Doctor.Attached
		}
		r.target[i] = t
	}
	for t := range r.counts {
		r.counts[t] = max(r.counts[t], 0)
	}
	r.prev = make([]int32, n)
	for i := range c.Applications {
		r.prev[i] = -1
		if cz := &c.Applications[i].Citizen; cz.CurrentClinicID != "" {
			if p, ok := index[doctorKey{cz.CurrentClinicID, cz.CurrentDoctorID}]; ok {
				r.prev[i] = p
			}
		}
	}
	r.full = make([][]DoctorFull, len(r.keys))
	r.days.init(len(r.keys))
	if r.supersede {
		r.people.init(r.npeople, n)
	}
	return r, nil
}

// duplicate is an application whose id an earlier one has: indexes in Campaign.Applications.
type duplicate struct{ i, first int32 }

// duplicates returns the applications whose id an earlier application already has, in
// order. An empty id is no one's: prepare refuses it.
func duplicates(apps []Application) []duplicate {
	var out []duplicate
	first := make(map[string]int32, len(apps))
	for i := range apps {
		id := apps[i].ID
		if f, seen := first[id]; seen && id != "" {
			out = append(out, duplicate{int32(i), f})
			continue
		}
		first[id] = int32(i)
	}
	return out
}

// refuseDuplicates gives each duplicate the error of its id and takes it out of the
// submission order, so that it is never decided.
func (r *campaignRun) refuseDuplicates(dups []duplicate) {
	if len(dups) == 0 {
		return
	}
	refused := make(map[int32]bool, len(dups))
	for _, d := range dups {
		id := r.c.Applications[d.i].ID
		r.res[d.i] = CampaignDecision{Application: id, Err: kindErrorf(ErrDuplicateID,
			"attach: campaign: application %d: id %q is already the id of application %d", d.i, id, d.first)}
		refused[d.i] = true
	}
	kept := 0
	for p, i := range r.order {
		if !refused[i] {
			r.order[kept], r.day[kept] = i, r.day[p]
			kept++
		}
	}
	r.order, r.day = r.order[:kept], r.day[:kept]
	r.refused = len(dups)
}

// sortApplications puts the applications in submission order and finds their local days.
func (r *campaignRun) sortApplications() {
	apps := r.c.Applications
	loc := r.e.prog.Location()
	type sortKey struct {
		sec  int64
		nsec int32
		i    int32
	}
	keys := make([]sortKey, len(apps))
	days := make([]rules.Date, len(apps))
	for i := range apps {
		t := apps[i].SubmittedAt
		keys[i] = sortKey{sec: t.Unix(), nsec: int32(t.Nanosecond()), i: int32(i)}
		if !t.IsZero() {
			days[i] = rules.DateOf(t, loc)
		}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		// Not cmp.Or: it would compare the ids of every two applications, not only of
		// those submitted at the same instant.
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		return strings.Compare(apps[a.i].ID, apps[b.i].ID)
	})
	r.order = make([]int32, len(apps))
	r.day = make([]rules.Date, len(apps))
	for p, k := range keys {
		r.order[p] = k.i
		r.day[p] = days[k.i]
	}
}

// runStatic decides every application on its own, in parallel.
func (r *campaignRun) runStatic() {
	n := len(r.order)
	var wg sync.WaitGroup
	chunk := (n + r.workers - 1) / max(r.workers, 1)
	for w := 0; w < r.workers && w*chunk < n; w++ {
		wk := r.worker(w)
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		wg.Go(func() {
			for p := lo; p < hi; p++ {
				i := r.order[p]
				wk.decide(&r.c.Applications[i], &r.res[i], -1)
			}
		})
	}
	wg.Wait()
	if r.supersede {
		r.supersedeStatic()
	}
	if r.c.Progress != nil {
		r.c.Progress(r.refused + n)
	}
}

// worker returns the w-th worker, made on first use.
func (r *campaignRun) worker(w int) *campaignWorker {
	for len(r.pool) <= w {
		r.pool = append(r.pool, &campaignWorker{e: r.e, failed: map[failedKey][]string{}})
	}
	return r.pool[w]
}

// campaignWorker decides applications on one goroutine with its own storage.
type campaignWorker struct {
	e      *Engine
	d      Decision
	failed map[failedKey][]string // shared Failed slices
}

type failedKey struct {
	set  *rules.Compiled
	mask uint64
}

// decide decides app into out; attached >= 0 replaces the application's doctor.attached.
// It reports whether the application was approved.
func (w *campaignWorker) decide(app *Application, out *CampaignDecision, attached int) bool {
	d := &w.d
	today, err := prepare(app, w.e.prog.Location(), w.e.known, &d.env)
	if err != nil {
		*out = CampaignDecision{Application: app.ID, Err: err}
		return false
	}
	if attached >= 0 {
		d.env.SetInt(in.attached, attached)
	} else {
		attached = app.Doctor.Attached
	}
	if err := w.e.decide(d, today, app.ID); err != nil {
		*out = CampaignDecision{Application: app.ID, Date: today, Attached: attached, Err: err}
		return false
	}
	*out = CampaignDecision{
		Application: d.Application, Outcome: d.Outcome, Date: d.Date, EffectiveFrom: d.EffectiveFrom,
		RuleSet: d.RuleSet, Failed: w.shared(d), Attached: attached,
	}
	return d.Approved()
}

// shared returns the decision's failed ids as a slice shared by the decisions of this
// worker that failed the same rules of the same set.
func (w *campaignWorker) shared(d *Decision) []string {
	if len(d.Failed) == 0 {
		return nil
	}
	if len(d.result.Passed) > 64 || d.c == nil {
		return slices.Clone(d.Failed)
	}
	k := failedKey{set: d.c}
	for i, passed := range d.result.Passed {
		if !passed {
			k.mask |= 1 << i
		}
	}
	f, ok := w.failed[k]
	if !ok {
		f = slices.Clone(d.Failed)
		w.failed[k] = f
	}
	return f
}

// capacity returns the norm the decision computed, when its set has a capacity fact.
func (w *campaignWorker) capacity() (int, bool) {
	v, ok := w.d.Fact("capacity")
	if !ok || v.Kind() != rules.Int {
		return 0, false
	}
	return v.Int(), true
}

// maxDate is after every date.
const maxDate = rules.Date(99991231)
