package campaign

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// TestSubmissionOrder holds the order and local days a run finds to the instants
// themselves: by instant, then id, each with its date in the engine's zone, across
// Almaty's change from UTC+6 to UTC+5 on 1 March 2024, in whole seconds (sorted as
// numbers) and with nanoseconds (sorted by comparison), with unset and far instants.
func TestSubmissionOrder(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	loc := e.Location()
	for _, nanos := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(5, 5))
		start := time.Date(2024, 2, 27, 0, 0, 0, 0, time.UTC).Unix()
		b := &Batch{}
		var apps []attach.Application
		perm := rng.Perm(5000) // ids in no order: ties of instants are sorted by id
		for i := range 5000 {
			at := time.Unix(start+60*rng.Int64N(5*1440), 0) // whole minutes: many ties
			if nanos && i%3 == 0 {
				at = at.Add(time.Duration(rng.IntN(1e9)))
			}
			switch i % 500 {
			case 1:
				at = time.Time{}
			case 2:
				at = time.Date(1, 1, 1, 3, 0, 0, 0, time.UTC)
			case 3:
				at = time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)
			}
			apps = append(apps, attach.Application{ID: fmt.Sprintf("A%d", perm[i]), SubmittedAt: at.In(time.FixedZone("", rng.IntN(12)*3600))})
		}
		b.Add(apps...)
		r, err := newRun(e, loc, b)
		require.NoError(t, err)
		require.Len(t, r.order, len(apps), "nothing refused: the batch lists no doctor")
		for p, i := range r.order {
			a := &apps[i]
			want := int32(0)
			if !a.SubmittedAt.IsZero() {
				want = clampDate(rules.DateOf(a.SubmittedAt, loc))
			}
			require.Equal(t, want, r.day[p], "nanos=%v: the day of %v", nanos, a.SubmittedAt)
			if p > 0 {
				prev := &apps[r.order[p-1]]
				c := prev.SubmittedAt.Compare(a.SubmittedAt)
				require.True(t, c < 0 || c == 0 && strings.Compare(prev.ID, a.ID) <= 0, "nanos=%v: %s at %v before %s at %v", nanos, prev.ID, prev.SubmittedAt, a.ID, a.SubmittedAt)
			}
		}
		assert.Equal(t, int32(20240301), clampDate(rules.DateOf(time.Date(2024, 2, 29, 19, 30, 0, 0, time.UTC), loc)), "19:30 UTC on 29 February is past midnight at UTC+6")
	}
}

// TestDeparturesHeap: the departures come out by day whatever order they went in, with
// pushes between pops, as a min-heap gives them; one of several on a day is not lost.
func TestDeparturesHeap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 2, 3, 7, 64, 500} {
		var h departures
		var in []rules.Date
		for i := range n {
			d := rules.Date(20260101 + rng.IntN(28))
			h.push(departure{day: d, app: int32(i)})
			in = append(in, d)
			if i%5 == 4 { // a pop between pushes, as a run makes them
				got := h.pop()
				assert.Equal(t, slices.Min(in), got.day, "n=%d: the pop after %d pushes", n, i+1)
				in = slices.Delete(in, slices.Index(in, got.day), slices.Index(in, got.day)+1)
			}
		}
		var out []rules.Date
		for len(h) > 0 {
			out = append(out, h.pop().day)
		}
		slices.Sort(in)
		assert.Equal(t, in, out, "n=%d: the departures left, by day", n)
	}
}
