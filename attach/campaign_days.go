package attach

import (
	"container/heap"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/emkhana/emkhana/rules"
)

// How a campaign is decided in parallel and still gives the sequential answer.
//
// Days are decided one after the other. A decision reads only its doctor's count; within
// one day that count moves by approvals to that doctor and by people leaving it for
// another doctor with a change that takes effect that same day. So the day's doctors are
// split into groups joined by such same-day departures; each group is decided in
// submission order on one goroutine, and the groups in parallel. Which applications
// depart the same day is known only once they are decided, so the groups start as single
// doctors and the day is checked: every approved application that leaves doctor X the
// same day, where X is chosen again later that day, must be in X's group. When one is
// not, the two groups are joined and only the joined groups are decided again, from the
// counts at the start of the day. This ends, since groups only grow, and the answer it
// ends with is the sequential one: each application then sees every approval and every
// same-day departure that came before it on its doctor.

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
}

func (s *dayState) init(n int) {
	s.stamp = make([]int32, n)
	s.lastPos = make([]int, n)
	s.start = make([]int, n)
	s.parent = make([]int32, n)
	s.group = make([]int32, n)
	s.redo = make([]bool, n)
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

// runDays decides the campaign day by day.
func (r *campaignRun) runDays() {
	n := len(r.order)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && r.day[hi] == r.day[lo] {
			hi++
		}
		r.pending.applyUntil(r.counts, r.day[lo])
		r.runDay(lo, hi, r.day[lo])
		if r.c.Progress != nil {
			r.c.Progress(r.refused + hi)
		}
		lo = hi
	}
}

// runDay decides the positions [lo, hi), all submitted on the local day today.
func (r *campaignRun) runDay(lo, hi int, today rules.Date) {
	s := &r.days
	s.no++
	s.touched = s.touched[:0]
	for p := lo; p < hi; p++ {
		t := r.target[r.order[p]]
		if !s.chosen(t) {
			s.stamp[t] = s.no
			s.start[t] = r.counts[t]
			s.parent[t] = t
			s.redo[t] = true
			s.touched = append(s.touched, t)
		}
		s.lastPos[t] = p
	}
	for {
		for _, t := range s.touched {
			s.group[t] = s.find(t)
		}
		r.decideGroups(lo, hi, today)
		if !r.joinMissed(lo, hi, today) {
			break
		}
	}
	// Departures not decided inside a group: to another day, or from a doctor that
	// nobody chooses later today.
	for p := lo; p < hi; p++ {
		i := r.order[p]
		d := &r.res[i]
		t, x := r.target[i], r.prev[i]
		if d.Outcome != Approved || x < 0 {
			continue
		}
		switch {
		case d.EffectiveFrom > today:
			heap.Push(&r.pending, departure{day: d.EffectiveFrom, doctor: x})
		case !(s.chosen(x) && s.group[x] == s.group[t]):
			r.counts[x] = max(r.counts[x]-1, 0)
		}
	}
}

// joinMissed joins the groups of every same-day departure that a later application of
// the day depends on and that was decided in another group. It marks the joined groups
// to be decided again, from the start of the day, and reports whether it joined any.
func (r *campaignRun) joinMissed(lo, hi int, today rules.Date) bool {
	s := &r.days
	var joined []int32
	for p := lo; p < hi; p++ {
		i := r.order[p]
		d := &r.res[i]
		x := r.prev[i]
		if d.Outcome != Approved || x < 0 || d.EffectiveFrom > today || !s.chosen(x) || s.lastPos[x] <= p {
			continue
		}
		t := r.target[i]
		a, b := s.find(t), s.find(x)
		if a != b {
			s.parent[a] = b
			joined = append(joined, b)
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
			if r.full[t].Day == today {
				r.full[t] = DoctorFull{}
			}
		}
	}
	return true
}

// decideGroups decides, group by group in parallel, the positions [lo, hi) whose doctor
// is marked to be decided.
func (r *campaignRun) decideGroups(lo, hi int, today rules.Date) {
	s := &r.days
	// Lay the positions out group by group, each group in submission order.
	slot := map[int32]int{}
	var sizes []int
	for p := lo; p < hi; p++ {
		t := r.target[r.order[p]]
		if !s.redo[t] {
			continue
		}
		k, ok := slot[s.group[t]]
		if !ok {
			k = len(sizes)
			slot[s.group[t]] = k
			sizes = append(sizes, 0)
		}
		sizes[k]++
	}
	if len(sizes) == 0 {
		return
	}
	starts := make([]int, len(sizes)+1)
	for k, n := range sizes {
		starts[k+1] = starts[k] + n
	}
	flat := make([]int, starts[len(sizes)])
	fill := slices.Clone(starts[:len(sizes)])
	for p := lo; p < hi; p++ {
		t := r.target[r.order[p]]
		if s.redo[t] {
			k := slot[s.group[t]]
			flat[fill[k]] = p
			fill[k]++
		}
	}
	// Largest groups first, taken by whichever worker is free.
	groups := make([]int, len(sizes))
	for k := range groups {
		groups[k] = k
	}
	slices.SortStableFunc(groups, func(a, b int) int { return sizes[b] - sizes[a] })
	workers := min(r.workers, len(groups))
	if workers <= 1 || hi-lo < 16 {
		wk := r.worker(0)
		for _, k := range groups {
			r.decideGroup(wk, flat[starts[k]:starts[k+1]], today)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wk := r.worker(w)
		wg.Go(func() {
			for {
				j := int(next.Add(1)) - 1
				if j >= len(groups) {
					return
				}
				k := groups[j]
				r.decideGroup(wk, flat[starts[k]:starts[k+1]], today)
			}
		})
	}
	wg.Wait()
}

// decideGroup decides the positions of one group in order, moving its doctors' counts.
// It writes only the counts and marks of the group's doctors and the decisions of its
// positions, so groups may be decided at once.
func (r *campaignRun) decideGroup(wk *campaignWorker, positions []int, today rules.Date) {
	s := &r.days
	for _, p := range positions {
		i := r.order[p]
		t := r.target[i]
		if !wk.decide(&r.c.Applications[i], &r.res[i], r.counts[t]) {
			continue
		}
		r.counts[t]++
		if c, ok := wk.capacity(); ok && r.full[t].Day == 0 && r.counts[t] == c {
			k := r.keys[t]
			r.full[t] = DoctorFull{ClinicID: k.clinic, DoctorID: k.doctor, Day: today, Capacity: c}
		}
		x := r.prev[i]
		if x >= 0 && r.res[i].EffectiveFrom <= today && s.chosen(x) && s.group[x] == s.group[t] {
			r.counts[x] = max(r.counts[x]-1, 0)
		}
	}
}

// departure is a person leaving a doctor on a day.
type departure struct {
	day    rules.Date
	doctor int32
}

// departures is a min-heap of departures by day.
type departures []departure

func (h departures) Len() int           { return len(h) }
func (h departures) Less(i, j int) bool { return h[i].day < h[j].day }
func (h departures) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *departures) Push(x any)        { *h = append(*h, x.(departure)) }
func (h *departures) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// applyUntil applies every departure due on or before day.
func (h *departures) applyUntil(counts []int, day rules.Date) {
	for h.Len() > 0 && (*h)[0].day <= day {
		d := heap.Pop(h).(departure)
		counts[d.doctor] = max(counts[d.doctor]-1, 0)
	}
}
