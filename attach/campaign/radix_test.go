package campaign

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSortKeysMatchesSort: sortKeys orders any keys as slices.Sort does: short and long,
// with bytes that vary and bytes that do not, repeated keys, the extremes.
func TestSortKeysMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	gens := map[string]func() uint64{
		"random":     r.Uint64,
		"packed":     func() uint64 { return uint64(r.IntN(5_000_000))<<indexBits | uint64(r.IntN(1<<indexBits)) },
		"high_only":  func() uint64 { return uint64(r.IntN(4)) << 56 },
		"low_only":   func() uint64 { return uint64(r.IntN(256)) },
		"middle":     func() uint64 { return uint64(r.IntN(1<<16)) << 24 },
		"repeats":    func() uint64 { return uint64(r.IntN(3)) * 0x0101010101010101 },
		"extremes":   func() uint64 { return []uint64{0, math.MaxUint64, 1, math.MaxUint64 - 1}[r.IntN(4)] },
		"all_same":   func() uint64 { return 42 },
		"one_bit_up": func() uint64 { return 1 << uint(r.IntN(64)) },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 255, 256, 257, 1000, 70_000} {
			keys := make([]uint64, n)
			for i := range keys {
				keys[i] = gen()
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			sortKeys(keys)
			assert.Equal(t, want, keys, "%s, %d keys", name, n)
		}
	}
}

// BenchmarkSortKeys sorts a million packed keys (an instant and an index, as
// sortApplications packs them) with sortKeys and, as the baseline, with slices.Sort.
func BenchmarkSortKeys(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	keys := make([]uint64, 1_000_000)
	for i := range keys {
		keys[i] = uint64(r.IntN(90*86400))<<indexBits | uint64(i)
	}
	work := make([]uint64, len(keys))
	for _, s := range []struct {
		name string
		sort func([]uint64)
	}{{"radix", sortKeys}, {"slices.Sort", slices.Sort[[]uint64]}} {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				copy(work, keys)
				s.sort(work)
			}
		})
	}
}
