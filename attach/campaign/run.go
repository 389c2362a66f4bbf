package campaign

import (
	"cmp"
	"errors"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// Run decides every application of b with e and summarizes them.
//
// Applications are decided in submission order (by SubmittedAt, ties by id), each with
// its doctor's count as it stands then, replacing the application's own
// doctor.attached (a count grown past [attach.MaxAttached] is read as attach.MaxAttached):
// an approval adds one to the chosen doctor at once, and the person leaves their
// previous doctor (citizen.current_clinic_id and current_doctor_id, when that doctor is
// known: listed in b.Doctors or named by an application) on the decision's effective
// date, before the first application of that local day is decided, or at once when that
// day has come. Counts never go below zero, and never overflow: each starts at
// [attach.MaxAttached] at most and grows by one per approval.
//
// One person holds one place. Unless b.KeepRepeats, the applications of one person
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
// The result is the same whatever the order in which the applications were added and
// whatever b.Workers: days are decided one after the other, and within a day the
// doctors are split into groups that cannot affect each other, decided in parallel: a
// person leaving doctor X the same day for doctor Y, or freeing a place at X by a later
// approval for Y, joins X and Y when X is chosen again later that day; the doctors a
// person applies to that day are in one group, with the doctor of the place they held at
// the start of the day.
//
// An invalid application, or one no rule set decides, gets its error in [Decision.Err]
// and changes no count. So does an application whose id an earlier application of the
// batch already has (the error matches [ErrDuplicateID]): the others are decided as if it
// were not there. Run itself fails with an error saying so for an engine [attach.New] did
// not make, and with an error matching [ErrInvalidBatch] when b is nil or b.Doctors names
// a doctor twice or gives a count outside 0 to attach.MaxAttached.
func Run(e *attach.Engine, b *Batch) (*Result, error) {
	loc := e.Location()
	if loc == nil {
		return nil, errors.New("campaign: the engine was not made by attach.New")
	}
	if b == nil {
		return nil, kindErrorf(ErrInvalidBatch, "campaign: nil batch")
	}
	r, err := newRun(e, loc, b)
	if err != nil {
		return nil, err
	}
	if b.Static {
		r.runStatic()
	} else {
		r.runDays()
	}
	return r.result(), nil
}

// validCount reports whether n is a count an application or a batch may give.
func validCount(n int) bool { return n >= 0 && n <= attach.MaxAttached }

// appState is what a run keeps of one application, together so that one read finds it:
// the applications are decided in submission order, not in the order they were added.
type appState struct {
	target int32 // the chosen doctor
	prev   int32 // the previous doctor, or -1
	// Of an approval of a person with other applications (unless KeepRepeats): sup, the
	// approval it superseded, or -1; from, the doctor the person leaves for it, or -1.
	sup, from int32
	person    int32 // its person, when the person has other applications; else -1
}

// doctorKey names a doctor: clinic id and doctor id.
type doctorKey struct{ clinic, doctor string }

// run is the state of one Run.
type run struct {
	e       *attach.Engine
	b       *Batch
	s       *store
	ids     idList
	loc     *time.Location
	workers int
	order   []int32        // submission order: positions to application indexes
	target  []int32        // by position: the chosen doctor (apps[order[p]].target, read in order)
	day     []int32        // by position: the local submission date (0 when unset)
	apps    []appState     // by application: its doctors and, of a person's approval, what it supersedes
	keys    []doctorKey    // by doctor
	counts  []int          // by doctor: the count now
	full    [][]DoctorFull // by doctor: the times it was full; the last is open while its Freed is 0
	res     []decided
	verdict verdicts
	pending departures
	days    dayState
	pool    []*worker
	refused int   // applications not decided for a duplicate id
	pass    int32 // how many times decideGroups or runStatic ran: a later error replaces an earlier
	touched byte  // what store.touch read, kept so that the reads are made

	npeople   int  // the people with more than one application
	supersede bool // a person's later approval supersedes their earlier one
	people    peopleState
}

func newRun(e *attach.Engine, loc *time.Location, b *Batch) (*run, error) {
	b.mu.Lock()
	b.apps.seal()
	b.mu.Unlock()
	n := b.apps.len()
	r := &run{e: e, b: b, s: &b.apps, ids: b.apps.ids(), loc: loc, workers: b.Workers, res: make([]decided, n)}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	for i := range r.res {
		r.res[i].verdict = pending
	}
	r.apps = make([]appState, n)
	// Look for repeated ids and people while the applications are sorted.
	dups := make(chan []duplicate, 1)
	go func() {
		d := r.duplicates()
		r.npeople = r.numberPeople()
		dups <- d
	}()
	r.sortApplications()
	r.refuseDuplicates(<-dups)
	r.supersede = !b.KeepRepeats && r.npeople > 0
	if b.Static {
		return r, nil
	}
	index := make(map[doctorKey]int32, len(b.Doctors))
	for _, d := range b.Doctors {
		k := doctorKey{d.ClinicID, d.DoctorID}
		if _, dup := index[k]; dup {
			return nil, kindErrorf(ErrInvalidBatch, "campaign: doctor %q of clinic %q is listed twice", d.DoctorID, d.ClinicID)
		}
		if !validCount(d.Attached) {
			return nil, kindErrorf(ErrInvalidBatch, "campaign: doctor %q of clinic %q has %d attached; want 0 to %d", d.DoctorID, d.ClinicID, d.Attached, attach.MaxAttached)
		}
		index[k] = int32(len(r.keys))
		r.keys = append(r.keys, k)
		r.counts = append(r.counts, d.Attached)
	}
	// Each application's doctor, read in the order the applications were added (in
	// submission order, the records' reads missed the cache: 80 ms for a million). A doctor
	// not listed starts with the count of its first application in submission order that
	// gives a valid one.
	listed := len(r.keys)
	pos := make([]int32, len(r.apps)) // by application: its position, or -1 when refused
	for i := range pos {
		pos[i] = -1
	}
	for p, i := range r.order {
		pos[i] = int32(p)
	}
	var seedPos []int32          // by doctor not listed: the position that gave its count, or -1
	packed := map[uint64]int32{} // by clinic and doctor of a record: the doctor
	// The doctors by position too, for the loops over a day's positions, which would miss
	// the cache reading r.apps in submission order.
	r.target = make([]int32, len(r.order))
	for i := range int32(len(r.apps)) {
		if pos[i] < 0 {
			continue
		}
		rec := r.s.rec(i)
		t, found := int32(0), false
		var pk uint64
		if rec.flags&flagWhole == 0 {
			pk = uint64(rec.clinic)<<32 | uint64(rec.doctor)
			t, found = packed[pk]
		}
		if !found {
			k := r.s.target(i)
			var ok bool
			if t, ok = index[k]; !ok {
				t = int32(len(r.keys))
				index[k] = t
				r.keys = append(r.keys, k)
				r.counts = append(r.counts, -1)
				seedPos = append(seedPos, -1)
			}
			if rec.flags&flagWhole == 0 {
				packed[pk] = t
			}
		}
		r.apps[i].target, r.target[pos[i]] = t, t
		if u := int(t) - listed; u >= 0 && (seedPos[u] < 0 || pos[i] < seedPos[u]) {
			if a := r.s.attached(i); validCount(a) {
				seedPos[u], r.counts[t] = pos[i], a
			}
		}
	}
	for t := range r.counts {
		r.counts[t] = max(r.counts[t], 0)
	}
	byPlace := make([]int32, len(r.s.places.vals)) // by place: the doctor + 1, or -1 when unknown
	for i := range r.apps {
		rec := r.s.rec(int32(i))
		if rec.flags&flagWhole == 0 && byPlace[rec.current] != 0 {
			r.apps[i].prev = max(byPlace[rec.current]-1, -1)
			continue
		}
		r.apps[i].prev = -1
		if p := r.s.current(int32(i)); p.clinic != "" {
			if t, ok := index[p]; ok {
				r.apps[i].prev = t
			}
		}
		if rec.flags&flagWhole == 0 {
			byPlace[rec.current] = r.apps[i].prev + 1
			if r.apps[i].prev < 0 {
				byPlace[rec.current] = -1
			}
		}
	}
	r.full = make([][]DoctorFull, len(r.keys))
	r.days.init(len(r.keys))
	if r.supersede {
		r.people.init(r.npeople)
	}
	return r, nil
}

// duplicate is an application whose id an earlier one has: indexes in the batch.
type duplicate struct{ i, first int32 }

// duplicates returns the applications whose id an earlier application already has, by
// index. An empty id is no one's: Decide refuses it. It finds them by sorting hashes of
// the ids, not in a map of a million strings: packed with the index in one number for
// up to 2^indexBits applications, else as pairs.
func (r *run) duplicates() []duplicate {
	n := len(r.res)
	seed := maphash.MakeSeed()
	const low = 1<<indexBits - 1
	var groups [][]int32 // applications whose ids have one hash, by index
	if n <= 1<<indexBits {
		keys := make([]uint64, 0, n)
		r.ids.each(func(i int, id string) {
			if id != "" {
				keys = append(keys, maphash.String(seed, id)&^low|uint64(i))
			}
		})
		sortKeys(keys)
		for lo := 0; lo < len(keys); {
			hi := lo + 1
			for hi < len(keys) && keys[hi]&^low == keys[lo]&^low {
				hi++
			}
			if hi-lo > 1 {
				g := make([]int32, hi-lo)
				for j := range g {
					g[j] = int32(keys[lo+j] & low)
				}
				groups = append(groups, g)
			}
			lo = hi
		}
	} else {
		type hashed struct {
			h uint64
			i int32
		}
		hs := make([]hashed, 0, n)
		r.ids.each(func(i int, id string) {
			if id != "" {
				hs = append(hs, hashed{maphash.String(seed, id), int32(i)})
			}
		})
		slices.SortFunc(hs, func(a, b hashed) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.i, b.i)) })
		for lo := 0; lo < len(hs); {
			hi := lo + 1
			for hi < len(hs) && hs[hi].h == hs[lo].h {
				hi++
			}
			if hi-lo > 1 {
				g := make([]int32, hi-lo)
				for j := range g {
					g[j] = hs[lo+j].i
				}
				groups = append(groups, g)
			}
			lo = hi
		}
	}
	var out []duplicate
	for _, g := range groups {
		// Almost always one id. Sorted by id, each id's applications stay in order of
		// index: the first is the earliest.
		slices.SortStableFunc(g, func(a, b int32) int { return strings.Compare(r.ids.at(int(a)), r.ids.at(int(b))) })
		for j := 0; j < len(g); {
			k, id := j+1, r.ids.at(int(g[j]))
			for ; k < len(g) && r.ids.at(int(g[k])) == id; k++ {
				out = append(out, duplicate{g[k], g[j]})
			}
			j = k
		}
	}
	slices.SortFunc(out, func(a, b duplicate) int { return cmp.Compare(a.i, b.i) })
	return out
}

// refuseDuplicates gives each duplicate the error of its id and takes it out of the
// submission order, so that it is never decided.
func (r *run) refuseDuplicates(dups []duplicate) {
	if len(dups) == 0 {
		return
	}
	refused := make(map[int32]bool, len(dups))
	for _, d := range dups {
		id := r.ids.at(int(d.i))
		r.res[d.i] = decided{}
		r.setError(d.i, 0, kindErrorf(ErrDuplicateID, "campaign: application %d: id %q is already the id of application %d", d.i, id, d.first))
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
func (r *run) sortApplications() {
	n := len(r.res)
	lo, hi, whole := int64(math.MaxInt64), int64(math.MinInt64), true
	for i := range n {
		sec, nsec := r.s.submitted(int32(i))
		lo, hi = min(lo, sec), max(hi, sec)
		whole = whole && nsec == 0
	}
	r.order = make([]int32, n)
	var instant func(p int) (int64, int32) // the instant of position p
	if whole && n <= 1<<indexBits && n > 0 && uint64(hi-lo) < 1<<(64-indexBits) {
		// Whole seconds within half a million years: each instant and index in one
		// number, sorted as numbers.
		keys := make([]uint64, n)
		for i := range n {
			sec, _ := r.s.submitted(int32(i))
			keys[i] = uint64(sec-lo)<<indexBits | uint64(i)
		}
		sortKeys(keys)
		for p, k := range keys {
			r.order[p] = int32(k & (1<<indexBits - 1))
		}
		instant = func(p int) (int64, int32) { return lo + int64(keys[p]>>indexBits), 0 }
	} else {
		sec, nsec := make([]int64, n), make([]int32, n)
		for i := range n {
			sec[i], nsec[i] = r.s.submitted(int32(i))
			r.order[i] = int32(i)
		}
		slices.SortFunc(r.order, func(a, b int32) int {
			return cmp.Or(cmp.Compare(sec[a], sec[b]), cmp.Compare(nsec[a], nsec[b]), cmp.Compare(a, b))
		})
		instant = func(p int) (int64, int32) { return sec[r.order[p]], nsec[r.order[p]] }
	}
	// Applications submitted at one instant (a few, now and then) go by their ids.
	for lo := 0; lo < n; {
		hi := lo + 1
		for s0, n0 := instant(lo); hi < n; hi++ {
			if s, ns := instant(hi); s != s0 || ns != n0 {
				break
			}
		}
		if hi-lo > 1 {
			slices.SortStableFunc(r.order[lo:hi], func(a, b int32) int { return strings.Compare(r.ids.at(int(a)), r.ids.at(int(b))) })
		}
		lo = hi
	}
	// The local days, in order: a new day is looked up only when an instant leaves the
	// previous one.
	r.day = make([]int32, n)
	var from, until int64 // the day being read, in Unix seconds: [from, until)
	var day int32
	zero := time.Time{}.Unix()
	for p := range r.order {
		s, ns := instant(p)
		switch {
		case s == zero && ns == 0: // not given: the application is invalid
			r.day[p] = 0
			continue
		case s >= from && s < until && from < until:
			r.day[p] = day
			continue
		}
		t := time.Unix(s, int64(ns))
		local := t.In(r.loc)
		y, m, d := local.Date()
		day = clampDate(rules.NewDate(y, m, d))
		r.day[p] = day
		start, next := time.Date(y, m, d, 0, 0, 0, 0, r.loc), time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
		from, until = start.Unix(), next.Unix()
		if start.After(t) || !next.After(t) || start.Nanosecond() != 0 { // a zone whose days do not start at midnight
			from, until = 0, 0
		}
	}
}

// clampDate is d in 32 bits: a date of a year past 200,000 (an invalid application's)
// becomes the last such date, which keeps the order of days.
func clampDate(d rules.Date) int32 {
	return int32(min(max(d, math.MinInt32), math.MaxInt32))
}

// runStatic decides every application on its own, in parallel.
func (r *run) runStatic() {
	n := len(r.order)
	r.pass++
	var wg sync.WaitGroup
	chunk := (n + r.workers - 1) / max(r.workers, 1)
	for w := 0; w < r.workers && w*chunk < n; w++ {
		wk := r.worker(w)
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		wg.Go(func() {
			for p := lo; p < hi; p++ {
				wk.decide(r.order[p], -1)
			}
		})
	}
	wg.Wait()
	if r.supersede {
		r.supersedeStatic()
	}
	if r.b.Progress != nil {
		r.b.Progress(r.refused + n)
	}
}

// worker returns the w-th worker, made on first use.
func (r *run) worker(w int) *worker {
	for len(r.pool) <= w {
		r.pool = append(r.pool, &worker{r: r, verdicts: map[string]uint32{}, held: -1})
	}
	return r.pool[w]
}

// worker decides applications on one goroutine with its own storage.
type worker struct {
	r        *run
	app      attach.Application
	d        attach.Decision
	verdicts map[string]uint32 // by key (verdictKey): the run's verdict
	key      []byte
	last     struct { // the worker's last verdict and its number, when ok
		verdict
		v  uint32
		ok bool
	}
	errs []failure
	held int // the form app holds (store.restore)
}

// failure is the error of an application that got no decision, in one pass.
type failure struct {
	i    int32
	pass int32
	err  error
}

// setError records why application i got no decision, from the main goroutine.
func (r *run) setError(i, pass int32, err error) {
	r.worker(0).errs = append(r.worker(0).errs, failure{i, pass, err})
}

// decide decides application i; attached >= 0 replaces the application's
// doctor.attached. It reports whether the application was approved.
func (w *worker) decide(i int32, attached int) bool {
	r := w.r
	app := &w.app
	counted := attached >= 0
	r.s.restore(i, app, counted, &w.held)
	if counted && validCount(app.Doctor.Attached) { // an invalid count keeps the application invalid
		app.Doctor.Attached = min(attached, attach.MaxAttached)
	} else {
		attached = app.Doctor.Attached
	}
	out := &r.res[i]
	d := &w.d
	if err := r.e.DecideInto(d, app); err != nil {
		*out = decided{}
		var inv *attach.InvalidApplicationError
		if !errors.As(err, &inv) {
			out.date, out.attached = clampDate(rules.DateOf(app.SubmittedAt, r.loc)), int32(attached)
		}
		w.errs = append(w.errs, failure{i, r.pass, err})
		return false
	}
	v, ok := w.last.v, w.last.ok && d.RuleSet == w.last.ruleSet && d.Outcome == w.last.outcome && slices.Equal(d.Failed, w.last.failed)
	if !ok { // not the verdict of the worker's last decision, as most are
		w.key = verdictKey(w.key[:0], d.RuleSet, d.Outcome, d.Failed)
		if v, ok = w.verdicts[string(w.key)]; !ok {
			v = r.verdict.get(w.key, func() verdict {
				var failed []string
				if len(d.Failed) > 0 {
					failed = slices.Clone(d.Failed)
				}
				return verdict{ruleSet: d.RuleSet, outcome: d.Outcome, failed: failed}
			})
			w.verdicts[string(w.key)] = v
		}
		w.last.ok, w.last.v, w.last.ruleSet, w.last.outcome = true, v, d.RuleSet, d.Outcome
		w.last.failed = append(w.last.failed[:0], d.Failed...) // d.Failed is reused
	}
	*out = decided{verdict: v + 1, date: int32(d.Date), effective: int32(d.EffectiveFrom), attached: int32(attached)}
	if d.Approved() {
		out.verdict |= approvedBit
	}
	return d.Approved()
}

// capacity returns the norm the last decision computed, when its set has a capacity fact.
func (w *worker) capacity() (int, bool) {
	v, ok := w.d.Fact("capacity")
	if !ok || v.Kind() != rules.Int {
		return 0, false
	}
	return v.Int(), true
}

// errors returns, by application with no decision, the error of its last pass.
func (r *run) errors() map[int32]error {
	errs := map[int32]error{}
	last := map[int32]int32{}
	for _, w := range r.pool {
		for _, f := range w.errs {
			if r.res[f.i].verdict != noDecision {
				continue
			}
			if p, seen := last[f.i]; !seen || f.pass >= p {
				errs[f.i], last[f.i] = f.err, f.pass
			}
		}
		w.errs = nil
	}
	return errs
}
