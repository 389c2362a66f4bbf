package campaign

import (
	"cmp"
	"slices"

	"github.com/emkhana/emkhana/rules"
)

// How one person holds one place (see RunCampaign).
//
// A person is told apart by citizen.iin, exactly as given. Only the people with more than
// one application need a state, so people gives a number to those alone. For each of
// them peopleState keeps the approval whose place they hold (held). Each approval of such
// a person records the approval it supersedes (sup) and the doctor the person leaves for
// it (from): the previous doctor the application names when the person holds no place
// yet; the doctor of the superseded approval when that approval has taken effect (the
// person is with that doctor now); else the doctor the superseded approval would have
// left (the person never left them).
//
// Within a day, the place an approval frees and the doctor it leaves at once are moves of
// counts like a same-day departure: the day's groups join them as they join departures.
// What a person's approval supersedes depends on their earlier approvals, so all of a
// person's applications of the day are decided in one group, with the doctor of the
// place held at the start of the day, and a group decided again starts its people from
// the state they had at the start of the day.

// peopleState is the state of the people with more than one application; what their
// approvals supersede and leave is kept by application, in run.apps.
type peopleState struct {
	held  []int32 // by person: the application whose place they hold, or -1
	start []int32 // by person: held at the start of the day it was stamped
	stamp []int32 // by person: the last day (dayState.no) with an application of theirs
	first []int32 // by person: the doctor of their first application that day
}

func (ps *peopleState) init(people int) {
	ps.held = make([]int32, people)
	ps.start = make([]int32, people)
	ps.stamp = make([]int32, people)
	ps.first = make([]int32, people)
	for i := range ps.held {
		ps.held[i] = -1
	}
}

// numberPeople numbers, in each decision's person, the people who have more than one
// application, from 0 in the order of their IINs, and gives -1 to the others: a person
// applying once, or an application whose IIN is not 12 digits (it is invalid anyway). It
// returns how many people it numbered.
func (r *run) numberPeople() int {
	return peopleSorted(len(r.res), r.s.iin, len(r.res) <= 1<<indexBits, func(i, p int32) { r.apps[i].person = p })
}

// indexBits is how many low bits of a packed key hold the application's index: an IIN
// of 12 digits needs 40 bits, below 2^40.
const indexBits = 24

// peopleSorted numbers the people of n applications, whose IINs iin returns, as
// numberPeople does, calling set with each application and its person, finding the
// applications of one IIN by sorting: packed, each IIN and index in one number (for up
// to 2^indexBits applications); else as pairs.
func peopleSorted(n int, iin func(int32) string, packed bool, set func(i, person int32)) int {
	type pair struct {
		k uint64
		i int32
	}
	var keys []uint64
	var pairs []pair
	if packed {
		keys = make([]uint64, 0, n)
	} else {
		pairs = make([]pair, 0, n)
	}
	for i := range n {
		set(int32(i), -1)
		k, ok := iinKey(iin(int32(i)))
		switch {
		case !ok:
		case packed:
			keys = append(keys, k<<indexBits|uint64(i))
		default:
			pairs = append(pairs, pair{k, int32(i)})
		}
	}
	n = len(keys)
	at := func(j int) (uint64, int32) { return keys[j] >> indexBits, int32(keys[j] & (1<<indexBits - 1)) }
	if packed {
		sortKeys(keys)
	} else {
		n = len(pairs)
		slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.k, b.k) })
		at = func(j int) (uint64, int32) { return pairs[j].k, pairs[j].i }
	}
	numbered := int32(0)
	for lo := 0; lo < n; {
		k, _ := at(lo)
		hi := lo + 1
		for ; hi < n; hi++ {
			if kh, _ := at(hi); kh != k {
				break
			}
		}
		if hi-lo > 1 {
			for j := lo; j < hi; j++ {
				_, i := at(j)
				set(i, numbered)
			}
			numbered++
		}
		lo = hi
	}
	return int(numbered)
}

// iinKey is the number an IIN of 12 digits spells; ok is false for any other string.
func iinKey(iin string) (k uint64, ok bool) {
	if len(iin) != 12 {
		return 0, false
	}
	for i := 0; i < 12; i++ {
		c := iin[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + uint64(c-'0')
	}
	return k, true
}

// approve records in its person's state that application i was approved on day today,
// and returns its effects: see effects.
func (r *run) approve(i int32, today rules.Date) (freed, leaves int32, now bool) {
	if P := r.apps[i].person; r.supersede && P >= 0 {
		ps := &r.people
		e := ps.held[P]
		r.apps[i].sup = e
		switch {
		case e < 0:
			r.apps[i].from = r.apps[i].prev
		case rules.Date(r.res[e].effective) > today: // e never takes effect
			r.apps[i].from = r.apps[e].from
		default: // the person is with e's doctor now
			r.apps[i].from = r.apps[e].target
		}
		ps.held[P] = i
	}
	return r.effects(i, today)
}

// effects returns what the approval of application i on day today does to counts other
// than its own doctor's: freed is the doctor whose place it frees at once (the doctor of
// the approval it supersedes, when that approval has not taken effect and was not for the
// doctor the person is with), or -1; leaves is the doctor the person leaves, or -1; now
// reports whether they leave at once: the approval takes effect today, or, unless
// KeepRepeats, the person is with the chosen doctor already.
func (r *run) effects(i int32, today rules.Date) (freed, leaves int32, now bool) {
	freed, leaves = -1, r.apps[i].prev
	if r.supersede && r.apps[i].person >= 0 {
		leaves = r.apps[i].from
		if e := r.apps[i].sup; e >= 0 && rules.Date(r.res[e].effective) > today && r.apps[e].from != r.apps[e].target {
			freed = r.apps[e].target
		}
	}
	now = leaves >= 0 && (rules.Date(r.res[i].effective) <= today || (r.supersede && leaves == r.apps[i].target))
	return freed, leaves, now
}

// supersedeStatic marks, in a campaign decided without counts, each approval that a
// later approval of the same person supersedes.
func (r *run) supersedeStatic() {
	held := make([]int32, r.npeople)
	for k := range held {
		held[k] = -1
	}
	for _, i := range r.order {
		P := r.apps[i].person
		if P < 0 || !r.res[i].approved() {
			continue
		}
		if e := held[P]; e >= 0 {
			r.res[e].superseded = i + 1
		}
		held[P] = i
	}
}

// countPeople counts the people of the decided applications, and those approved.
func (r *run) countPeople(s *Summary) {
	const decided, approved = 1, 2
	seen := make([]uint8, r.npeople)
	for i := range r.res {
		d := &r.res[i]
		if !d.decided() {
			continue
		}
		if d.superseded != 0 {
			s.Superseded++
		}
		var mark uint8 = decided
		if d.approved() {
			mark |= approved
		}
		P := r.apps[i].person
		if P < 0 {
			s.People++
			if mark&approved != 0 {
				s.PeopleApproved++
			}
			continue
		}
		if seen[P]&decided == 0 {
			s.People++
		}
		if mark&approved != 0 && seen[P]&approved == 0 {
			s.PeopleApproved++
		}
		seen[P] |= mark
	}
}
