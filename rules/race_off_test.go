//go:build !race

package rules

// raceEnabled is true under the race detector, which slows evaluation too much to time it.
const raceEnabled = false
