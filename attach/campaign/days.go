package campaign

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/emkhana/emkhana/rules"
)

// How a campaign is decided in parallel and still gives the sequential answer.
//
// Days are decided one after the other. A decision reads only its doctor's count; within
// one day that count moves by approvals to that doctor, by people leaving it for another
// doctor with a change that takes effect that same day (or, unless KeepRepeats, for the
// same doctor), and by places freed when a person's later approval supersedes one that
// has not taken effect (campaign_people.go). So the day's doctors are split into groups
// joined by such same-day moves; each group is decided in submission order on one
// goroutine, and the groups in parallel. Two joins are known before the day is decided:
// all the doctors one person applies to that day, and the doctor of the place the person
// holds at the start of the day, are put in one group, since what a person's approval
// supersedes and frees depends on their earlier approvals; the person's state is touched
// by that group alone. The other moves are known only once the applications are decided,
// so the groups start from those joins and the day is checked: every approved
// application that moves the count of doctor X the same day (leaving X, or freeing a
// place at X), where X is chosen again later that day, must be in X's group. When one is
// not, the two groups are joined and only the joined groups are decided again, from the
// counts, full periods and people's state at the start of the day. This ends, since
// groups only grow, and the answer it ends with is the sequential one: each application
// then sees every approval and every same-day move that came before it on its doctor,
// and each person's approvals are decided in order by one goroutine. Moves to doctors no
// later application of the day reads are made after the day, one after the other.

// dayState is the per-day storage of a campaign's doctors, reused from day to day.
type dayState struct {
	no      int32   // the day's number, stamped on the doctors it touches
	stamp   []int32 // by doctor: the last day that chose it
	lastPos []int   // by doctor: the last position that chose it that day
	start   []int   // by doctor: its count at the start of the day
	parent  []int32 // by doctor: union-find of the day's groups
	group   []int32 // by doctor: its group's root, fixed while the group is decided
	redo    []bool  // by doctor: its group is to be decided (again)
	touched []int32 // the doctors chosen that day
	// fullLen and fullLast are, by doctor, how many full periods it had at the start of
	// the day, and the last of them then.
	fullLen  []int32
	fullLast []DoctorFull
	// slot is, by group root, its group's place in the layout of decideGroups' call
	// run.pass slotPass. The others are storage kept from day to day.
	slotPass, slot                    []int32
	sizes, starts, fill, groups, flat []int
	// lo is the day's first position, and eff, by position from lo, what each decision
	// of the day does, as decideGroup found it: read again in order, not recomputed.
	lo  int
	eff []effect
}

// effect is what a decision of the day does to counts other than its doctor's (see
// run.effects), and what the end of the day needs of it.
type effect struct {
	approved  bool
	now       bool  // the person leaves at once
	t         int32 // the chosen doctor
	freed     int32 // the doctor whose place it frees at once, or -1
	leaves    int32 // the doctor the person leaves, or -1
	sup       int32 // the approval it supersedes, or -1
	effective int32
}

func (s *dayState) init(n int) {
	s.stamp = make([]int32, n)
	s.lastPos = make([]int, n)
	s.start = make([]int, n)
	s.parent = make([]int32, n)
	s.group = make([]int32, n)
	s.redo = make([]bool, n)
	s.fullLen = make([]int32, n)
	s.fullLast = make([]DoctorFull, n)
	s.slotPass = make([]int32, n)
	s.slot = make([]int32, n)
}

// chosen reports whether doctor t was chosen today.
func (s *dayState) chosen(t int32) bool { return s.stamp[t] == s.no }

func (s *dayState) find(t int32) int32 {
	for s.parent[t] != t {
		s.parent[t] = s.parent[s.parent[t]]
		t = s.parent[t]
	}
	return t
}

// union joins the groups of doctors a and b and returns the root of the joined group,
// or -1 when they were in one group already.
func (s *dayState) union(a, b int32) int32 {
	a, b = s.find(a), s.find(b)
	if a == b {
		return -1
	}
	s.parent[a] = b
	return b
}

// together reports whether doctor x, when chosen today, is in the group of doctor t,
// chosen today: its count is then moved inside the group.
func (s *dayState) together(x, t int32) bool {
	return x >= 0 && s.chosen(x) && s.group[x] == s.group[t]
}

// runDays decides the campaign day by day.
func (r *run) runDays() {
	n := len(r.order)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && r.day[hi] == r.day[lo] {
			hi++
		}
		r.departUntil(rules.Date(r.day[lo]))
		r.runDay(lo, hi, rules.Date(r.day[lo]))
		if r.b.Progress != nil {
			r.b.Progress(r.refused + hi)
		}
		lo = hi
	}
}

// runDay decides the positions [lo, hi), all submitted on the local day today.
func (r *run) runDay(lo, hi int, today rules.Date) {
	s := &r.days
	s.no++
	s.touched = s.touched[:0]
	s.lo = lo
	s.eff = slices.Grow(s.eff[:0], hi-lo)[:hi-lo]
	for p := lo; p < hi; p++ {
		t := r.target[p]
		if !s.chosen(t) {
			s.stamp[t] = s.no
			s.start[t] = r.counts[t]
			s.fullLen[t] = int32(len(r.full[t]))
			if n := len(r.full[t]); n > 0 {
				s.fullLast[t] = r.full[t][n-1]
			}
			s.parent[t] = t
			s.redo[t] = true
			s.touched = append(s.touched, t)
		}
		s.lastPos[t] = p
	}
	if r.supersede {
		r.joinPeople(lo, hi)
	}
	// Read the day's applications into the cache, a few at a time: they were added in
	// another order than they are decided in.
	var touched byte
	for p := lo; p < hi; p++ {
		touched += r.s.touch(r.order[p])
	}
	r.touched += touched
	for {
		for _, t := range s.touched {
			s.group[t] = s.find(t)
		}
		r.decideGroups(lo, hi, today)
		if !r.joinMissed(lo, hi) {
			break
		}
	}
	// Supersessions, and moves not made inside a group: to another day, or of a doctor
	// that nobody chooses later today.
	for p := lo; p < hi; p++ {
		e := &s.eff[p-lo]
		if !e.approved {
			continue
		}
		i := r.order[p]
		if e.sup >= 0 {
			r.res[e.sup].superseded = i + 1
		}
		if e.freed >= 0 && !s.together(e.freed, e.t) {
			r.leave(e.freed, today)
		}
		switch {
		case e.leaves < 0:
		case !e.now:
			r.pending.push(departure{day: rules.Date(e.effective), doctor: e.leaves, app: i})
		case !s.together(e.leaves, e.t):
			r.leave(e.leaves, today)
		}
	}
}

// joinPeople joins, before the day is decided, the doctors each person applies to on
// the day [lo, hi), and the doctor of the place they hold at its start when it is
// chosen that day. It keeps each person's state at the start of the day.
func (r *run) joinPeople(lo, hi int) {
	s, ps := &r.days, &r.people
	for p := lo; p < hi; p++ {
		i := r.order[p]
		P := r.apps[i].person
		if P < 0 {
			continue
		}
		t := r.apps[i].target
		if ps.stamp[P] == s.no {
			s.union(ps.first[P], t)
			continue
		}
		ps.stamp[P], ps.start[P], ps.first[P] = s.no, ps.held[P], t
		if h := ps.held[P]; h >= 0 && s.chosen(r.apps[h].target) {
			s.union(r.apps[h].target, t)
		}
	}
}

// joinMissed joins the groups of every same-day move (a departure, a freed place) that a
// later application of the day depends on and that was decided in another group. It
// marks the joined groups to be decided again, from the start of the day, and reports
// whether it joined any.
func (r *run) joinMissed(lo, hi int) bool {
	s := &r.days
	var joined []int32
	// need joins the group of t to that of x when x is chosen after position p.
	need := func(t, x int32, p int) {
		if x >= 0 && s.chosen(x) && s.lastPos[x] > p {
			if g := s.union(t, x); g >= 0 {
				joined = append(joined, g)
			}
		}
	}
	for p := lo; p < hi; p++ {
		e := &s.eff[p-lo]
		if !e.approved {
			continue
		}
		need(e.t, e.freed, p)
		if e.now {
			need(e.t, e.leaves, p)
		}
	}
	if len(joined) == 0 {
		return false
	}
	for _, t := range s.touched {
		s.redo[t] = false
	}
	for i, g := range joined {
		joined[i] = s.find(g)
	}
	for _, t := range s.touched {
		if slices.Contains(joined, s.find(t)) {
			s.redo[t] = true
			r.counts[t] = s.start[t]
			r.full[t] = r.full[t][:s.fullLen[t]]
			if n := s.fullLen[t]; n > 0 {
				r.full[t][n-1] = s.fullLast[t]
			}
		}
	}
	return true
}

// decideGroups decides, group by group in parallel, the positions [lo, hi) whose doctor
// is marked to be decided.
func (r *run) decideGroups(lo, hi int, today rules.Date) {
	r.pass++
	s := &r.days
	// Lay the positions out group by group, each group in submission order, in storage
	// kept from day to day.
	sizes := s.sizes[:0]
	for p := lo; p < hi; p++ {
		t := r.target[p]
		if !s.redo[t] {
			continue
		}
		g := s.group[t]
		if s.slotPass[g] != r.pass {
			s.slotPass[g], s.slot[g] = r.pass, int32(len(sizes))
			sizes = append(sizes, 0)
		}
		sizes[s.slot[g]]++
	}
	s.sizes = sizes
	if len(sizes) == 0 {
		return
	}
	starts := append(s.starts[:0], 0)
	for _, n := range sizes {
		starts = append(starts, starts[len(starts)-1]+n)
	}
	s.starts = starts
	flat := slices.Grow(s.flat[:0], starts[len(sizes)])[:starts[len(sizes)]]
	s.flat = flat
	fill := append(s.fill[:0], starts[:len(sizes)]...)
	s.fill = fill
	for p := lo; p < hi; p++ {
		t := r.target[p]
		if s.redo[t] {
			k := s.slot[s.group[t]]
			flat[fill[k]] = p
			fill[k]++
		}
	}
	// Largest groups first, taken by whichever worker is free.
	groups := s.groups[:0]
	for k := range sizes {
		groups = append(groups, k)
	}
	s.groups = groups
	slices.SortStableFunc(groups, func(a, b int) int { return sizes[b] - sizes[a] })
	workers := min(r.workers, len(groups))
	if workers <= 1 || hi-lo < 16 {
		wk := r.worker(0)
		for _, k := range groups {
			r.decideGroup(wk, flat[starts[k]:starts[k+1]], today)
		}
		return
	}
	// A worker takes the groups a few at a time: most hold one or two applications, and
	// taking them one by one made the workers contend for the counter.
	const take = 8
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wk := r.worker(w)
		wg.Go(func() {
			for {
				j := int(next.Add(take)) - take
				if j >= len(groups) {
					return
				}
				for _, k := range groups[j:min(j+take, len(groups))] {
					r.decideGroup(wk, flat[starts[k]:starts[k+1]], today)
				}
			}
		})
	}
	wg.Wait()
}

// decideGroup decides the positions of one group in order, moving its doctors' counts.
// It writes only the counts, full periods and marks of the group's doctors, the state
// of the people who applied to them that day, and the decisions of its positions, so
// groups may be decided at once.
func (r *run) decideGroup(wk *worker, positions []int, today rules.Date) {
	s := &r.days
	if r.supersede {
		for _, p := range positions {
			if P := r.apps[r.order[p]].person; P >= 0 {
				r.people.held[P] = r.people.start[P]
			}
		}
	}
	for _, p := range positions {
		i := r.order[p]
		t := r.apps[i].target
		e := &s.eff[p-s.lo]
		if !wk.decide(i, r.counts[t]) {
			*e = effect{}
			continue
		}
		r.counts[t]++
		if c, ok := wk.capacity(); ok && r.counts[t] == c {
			r.filled(t, today, c)
		}
		freed, x, now := r.approve(i, today)
		*e = effect{approved: true, now: now, t: t, freed: freed, leaves: x, sup: -1, effective: r.res[i].effective}
		if r.supersede && r.apps[i].person >= 0 {
			e.sup = r.apps[i].sup
		}
		if s.together(freed, t) {
			r.leave(freed, today)
		}
		if now && s.together(x, t) {
			r.leave(x, today)
		}
	}
}

// departure is a person leaving a doctor on a day, for an approved application.
type departure struct {
	day    rules.Date
	doctor int32
	app    int32
}

// departures is a min-heap of departures by day: container/heap's algorithm, without
// boxing each departure in an interface.
type departures []departure

func (h *departures) push(d departure) {
	*h = append(*h, d)
	s := *h
	for j := len(s) - 1; j > 0; {
		i := (j - 1) / 2 // parent
		if i == j || !(s[j].day < s[i].day) {
			break
		}
		s[i], s[j] = s[j], s[i]
		j = i
	}
}

func (h *departures) pop() departure {
	s := *h
	n := len(s) - 1
	s[0], s[n] = s[n], s[0]
	for i := 0; ; {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 {
			break
		}
		j := j1 // left child
		if j2 := j1 + 1; j2 < n && s[j2].day < s[j1].day {
			j = j2
		}
		if !(s[j].day < s[i].day) {
			break
		}
		s[i], s[j] = s[j], s[i]
		i = j
	}
	*h = s[:n]
	return s[n]
}

// departUntil makes every departure due on or before day, but those of approvals
// superseded before they took effect: the person never left for them.
func (r *run) departUntil(day rules.Date) {
	h := &r.pending
	for len(*h) > 0 && (*h)[0].day <= day {
		d := h.pop()
		if r.res[d.app].superseded == 0 {
			r.leave(d.doctor, d.day)
		}
	}
}

// leave takes one person off doctor t's count on day, and ends the doctor's full period
// when the count goes below its norm.
func (r *run) leave(t int32, day rules.Date) {
	r.counts[t] = max(r.counts[t]-1, 0)
	if n := len(r.full[t]); n > 0 {
		f := &r.full[t][n-1]
		if f.Freed == 0 && r.counts[t] < f.Capacity {
			f.Freed = day
		}
	}
}

// filled starts a full period of doctor t on day, with the norm c its count has just
// reached, unless one is open.
func (r *run) filled(t int32, day rules.Date, c int) {
	if n := len(r.full[t]); n > 0 && r.full[t][n-1].Freed == 0 {
		return
	}
	k := r.keys[t]
	r.full[t] = append(r.full[t], DoctorFull{ClinicID: k.clinic, DoctorID: k.doctor, Day: day, Capacity: c})
}
