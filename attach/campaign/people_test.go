package campaign

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach/attachtest"
	"github.com/emkhana/emkhana/rules"
)

// TestPeople pins how the applications of a campaign are told apart as people: by the
// IIN as written, when it is 12 digits, and numbered only when a person has more than
// one application; packed and paired keys give the same numbers.
func TestPeople(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var apps []string // by application: its IIN
	var iins []string
	for range 1500 { // about a quarter of them apply more than once
		iin := attachtest.IIN(t, rules.NewDate(1950+rng.IntN(70), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)), rng.IntN(2) == 0, rng.IntN(10000))
		iins = append(iins, iin)
	}
	iins = append(iins, "000000000000", "12345678901", " 123456789012", "12345678901x", "")
	for range 2000 {
		apps = append(apps, iins[rng.IntN(len(iins))])
	}
	want := map[string][]int{} // by IIN of 12 digits: its applications
	for i, iin := range apps {
		if _, ok := iinKey(iin); ok {
			want[iin] = append(want[iin], i)
		}
	}
	for _, packed := range []bool{true, false} {
		person := make([]int32, len(apps))
		n := peopleSorted(len(apps), func(i int32) string { return apps[i] }, packed, func(i, p int32) { person[i] = p })
		seen := map[int32]string{}
		repeaters := 0
		for iin, list := range want {
			if len(list) == 1 {
				assert.Equal(t, int32(-1), person[list[0]], "packed=%v: %s applies once: no number", packed, iin)
				continue
			}
			repeaters++
			p := person[list[0]]
			require.GreaterOrEqual(t, p, int32(0), "packed=%v: %s applies %d times", packed, iin, len(list))
			assert.Empty(t, seen[p], "packed=%v: person %d is one IIN's", packed, p)
			seen[p] = iin
			for _, i := range list {
				assert.Equal(t, p, person[i], "packed=%v: every application of %s", packed, iin)
			}
		}
		assert.Equal(t, repeaters, n, "packed=%v: people numbered", packed)
		assert.Greater(t, repeaters, 100, "people applying more than once")
		assert.Greater(t, len(want)-repeaters, 100, "people applying once")
		for i, iin := range apps {
			if _, ok := iinKey(iin); !ok {
				assert.Equal(t, int32(-1), person[i], "packed=%v: %q is no person", packed, iin)
			}
		}
	}
}
