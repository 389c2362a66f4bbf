package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var wholeCities = []string{"71", "75", "79"}

func TestAdminUnit(t *testing.T) {
	tests := []struct{ code, want, reason string }{
		{"191010000", "1910", "a district: the first 4 digits"},
		{"751110000", "75", "Almaty is one unit: its 2 digits"},
		{"711210000", "71", "Astana"},
		{"791010000", "79", "Shymkent"},
		{"761010000", "7610", "76 is no whole city"},
		{"191", "191", "a prefix shorter than a unit is itself"},
		{"19", "19", "a region's prefix"},
		{"7", "7", "one digit"},
		{"", "", "nothing"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, adminUnit(tc.code, 4, wholeCities), "adminUnit(%q): %s", tc.code, tc.reason)
	}
	assert.Equal(t, "19101", adminUnit("191010000", 5, nil), "the unit's length is a parameter")
	assert.Equal(t, "", adminUnit("191010000", 0, nil))
	assert.Equal(t, "191010000", adminUnit("191010000", -1, nil), "a negative length keeps the code")
}

func TestInUnit(t *testing.T) {
	tests := []struct {
		unit   string
		codes  []string
		want   bool
		reason string
	}{
		{"1910", []string{"191011"}, true, "a service area inside the district"},
		{"1910", []string{"191111"}, false, "a service area in the next district"},
		{"1910", []string{"191111", "19101"}, true, "one of the prefixes is enough"},
		{"1910", []string{"19"}, true, "a region's prefix lies in each of its units"},
		{"1910", []string{"1"}, true, "so does a one-digit prefix"},
		{"75", []string{"75111", "75112"}, true, "Almaty's districts are one unit"},
		{"75", []string{"76111"}, false, "another city"},
		{"1910", nil, false, "no service area"},
		{"1910", []string{""}, true, "an empty prefix covers everything, as in hasAnyPrefix"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, inUnit(tc.unit, tc.codes, 4, wholeCities), "inUnit(%q, %q): %s", tc.unit, tc.codes, tc.reason)
	}
}
