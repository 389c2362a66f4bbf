package campaign

// sortKeys sorts keys in increasing order, as slices.Sort does, by their bytes from the
// lowest (a least-significant-digit radix sort): a run sorts a million packed keys three
// times (submission order, ids, people), and this takes a fifth of the time of
// comparisons. The bytes that are the same in every key are skipped: packed keys seldom
// use all eight. It needs a scratch slice as long as keys.
func sortKeys(keys []uint64) {
	if len(keys) < 256 {
		insertionSort(keys)
		return
	}
	var counts [8][256]int
	for _, k := range keys {
		for b := range 8 {
			counts[b][byte(k>>(8*b))]++
		}
	}
	src, dst := keys, make([]uint64, len(keys))
	for b := range 8 {
		c := &counts[b]
		if c[byte(src[0]>>(8*b))] == len(src) {
			continue // one value of this byte in every key: nothing to move
		}
		sum := 0
		for v, n := range c {
			c[v] = sum
			sum += n
		}
		shift := uint(8 * b)
		for _, k := range src {
			d := byte(k >> shift)
			dst[c[d]] = k
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// insertionSort sorts a short slice.
func insertionSort(keys []uint64) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}
