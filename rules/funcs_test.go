package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// The tests below pin the other functions rule expressions call: their results at the
// edges of months, periods and years, and the exact error each bad argument gives.

func TestHasAnyPrefix(t *testing.T) {
	tests := []struct {
		name, reason string
		s            string
		prefixes     []string
		want         bool
	}{
		{name: "first", reason: "the first prefix matches", s: "751110000", prefixes: []string{"75", "19"}, want: true},
		{name: "last", reason: "a later prefix matches", s: "751110000", prefixes: []string{"19", "7511"}, want: true},
		{name: "none", reason: "no prefix matches", s: "751110000", prefixes: []string{"19", "7512"}, want: false},
		{name: "empty_list", reason: "an empty service area serves no one", s: "751110000", prefixes: nil, want: false},
		{name: "longer_prefix", reason: "a prefix longer than the code does not match", s: "75", prefixes: []string{"751"}, want: false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, hasAnyPrefix(tc.s, tc.prefixes), "hasAnyPrefix(%q, %q): %s", tc.s, tc.prefixes, tc.reason)
	}
}

func TestStartOfPeriod(t *testing.T) {
	tests := []struct {
		name, reason string
		d, months    int
		want         int
		err          string
	}{
		{name: "year", reason: "a 12-month period starts on 1 January", d: 20241231, months: 12, want: 20240101},
		{name: "half_first", reason: "30 June is in the first half", d: 20240630, months: 6, want: 20240101},
		{name: "half_second", reason: "1 July starts the second half", d: 20240701, months: 6, want: 20240701},
		{name: "quarter_end", reason: "31 March is in the first quarter", d: 20240331, months: 3, want: 20240101},
		{name: "quarter_start", reason: "1 April starts the second quarter", d: 20240401, months: 3, want: 20240401},
		{name: "last_quarter", reason: "December is in the fourth quarter", d: 20241231, months: 3, want: 20241001},
		{name: "month", reason: "a one-month period is the month", d: 20240229, months: 1, want: 20240201},
		{name: "two_months", reason: "November and December", d: 20241130, months: 2, want: 20241101},
		{name: "zero_months", reason: "a period has at least one month", d: 20240515, months: 0, err: "startOfPeriod: 0 months do not divide a year"},
		{name: "negative_months", reason: "a period has at least one month", d: 20240515, months: -6, err: "startOfPeriod: -6 months do not divide a year"},
		{name: "five_months", reason: "5 does not divide 12", d: 20240515, months: 5, err: "startOfPeriod: 5 months do not divide a year"},
		{name: "thirteen_months", reason: "longer than a year", d: 20240515, months: 13, err: "startOfPeriod: 13 months do not divide a year"},
		{name: "twenty_four", reason: "24 is a multiple, not a divisor, of 12", d: 20240515, months: 24, err: "startOfPeriod: 24 months do not divide a year"},
		{name: "not_a_day", reason: "2023 has no 29 February", d: 20230229, months: 12, err: "startOfPeriod: 20230229 is not a date YYYYMMDD"},
		{name: "zero_date", reason: "the zero date is not a day", d: 0, months: 12, err: "startOfPeriod: 0 is not a date YYYYMMDD"},
	}
	for _, tc := range tests {
		got, err := startOfPeriod(tc.d, tc.months)
		checkFunc(t, "startOfPeriod", tc.d, tc.months, got, err, tc.want, tc.err, tc.reason)
	}
}

func TestNextMonthDay(t *testing.T) {
	tests := []struct {
		name, reason string
		d, md        int
		want         int
		err          string
	}{
		{name: "later_this_year", reason: "1 December is ahead of 15 September", d: 20240915, md: 1201, want: 20241201},
		{name: "same_day", reason: "the first day after d: never d itself", d: 20240915, md: 915, want: 20250915},
		{name: "day_before", reason: "the day before md gives md this year", d: 20240914, md: 915, want: 20240915},
		{name: "new_year", reason: "the 1 January after 31 December is the next year's", d: 20241231, md: 101, want: 20250101},
		{name: "leap_day_ahead", reason: "29 February in a leap year", d: 20231231, md: 229, want: 20240229},
		{name: "leap_day_next_common", reason: "29 February of a common year is its 28 February", d: 20240301, md: 229, want: 20250228},
		{name: "leap_day_from_feb28", reason: "from 28 February of a leap year", d: 20240228, md: 229, want: 20240229},
		{name: "last_year", reason: "the day after a day of 9998 may be in 9999", d: 99981231, md: 101, want: 99990101},
		{name: "year_9999", reason: "in 9999 the next such day may be in year 10000", d: 99990101, md: 1231, err: "nextMonthDay: 99990101 is not a date YYYYMMDD before year 9999"},
		{name: "not_a_day", reason: "30 February", d: 20240230, md: 101, err: "nextMonthDay: 20240230 is not a date YYYYMMDD before year 9999"},
		{name: "bad_month_day", reason: "30 February is in no year", d: 20240101, md: 230, err: "nextMonthDay: 230 is not a day of the year MMDD"},
		{name: "month_13", reason: "12 months", d: 20240101, md: 1301, err: "nextMonthDay: 1301 is not a day of the year MMDD"},
		{name: "day_0", reason: "days count from 1", d: 20240101, md: 100, err: "nextMonthDay: 100 is not a day of the year MMDD"},
	}
	for _, tc := range tests {
		got, err := nextMonthDay(tc.d, tc.md)
		checkFunc(t, "nextMonthDay", tc.d, tc.md, got, err, tc.want, tc.err, tc.reason)
	}
}

func TestAddMonthsFunc(t *testing.T) {
	tests := []struct {
		name, reason string
		d, n         int
		want         int
		err          string
	}{
		{name: "leap", reason: "31 January plus one month in a leap year", d: 20240131, n: 1, want: 20240229},
		{name: "to_year_1", reason: "year 1 is in range", d: 20115, n: -12, want: 10115},
		{name: "to_year_9999", reason: "year 9999 is in range", d: 99981231, n: 12, want: 99991231},
		{name: "before_year_1", reason: "year 0 is out of range", d: 10115, n: -1, err: "addMonths: 0001-01-15 plus -1 months is outside years 1-9999"},
		{name: "after_9999", reason: "year 10000 is out of range", d: 99991215, n: 1, err: "addMonths: 9999-12-15 plus 1 months is outside years 1-9999"},
		{name: "most_months", reason: "120000 months are allowed, and here leave the years", d: 10101, n: 120000, err: "addMonths: 0001-01-01 plus 120000 months is outside years 1-9999"},
		{name: "least_months", reason: "-120000 months are allowed, and here leave the years", d: 99991231, n: -120000, err: "addMonths: 9999-12-31 plus -120000 months is outside years 1-9999"},
		{name: "too_many", reason: "beyond 120000 months nothing could be a date", d: 10101, n: 120001, err: "addMonths: 120001 months is out of range"},
		{name: "too_few", reason: "below -120000 months", d: 99991231, n: -120001, err: "addMonths: -120001 months is out of range"},
		{name: "not_a_day", reason: "2025 has no 29 February", d: 20250229, n: 1, err: "addMonths: 20250229 is not a date YYYYMMDD"},
	}
	for _, tc := range tests {
		got, err := addMonths(tc.d, tc.n)
		checkFunc(t, "addMonths", tc.d, tc.n, got, err, tc.want, tc.err, tc.reason)
	}
}

// checkFunc checks what a function of two ints gave: the error wantErr, or no error and want.
func checkFunc(t *testing.T, fn string, a, b, got int, err error, want int, wantErr, reason string) {
	t.Helper()
	if wantErr != "" {
		assert.EqualError(t, err, wantErr, "%s(%d, %d): %s", fn, a, b, reason)
		return
	}
	if assert.NoError(t, err, "%s(%d, %d): %s", fn, a, b, reason) {
		assert.Equal(t, want, got, "%s(%d, %d): %s", fn, a, b, reason)
	}
}

func TestAsInt(t *testing.T) {
	tests := []struct {
		name, reason string
		in           any
		want         int
		ok           bool
	}{
		{name: "int", reason: "expr's own integers", in: 20240229, want: 20240229, ok: true},
		{name: "int8", reason: "every signed kind", in: int8(-7), want: -7, ok: true},
		{name: "int16", reason: "every signed kind", in: int16(915), want: 915, ok: true},
		{name: "int32", reason: "every signed kind", in: int32(1231), want: 1231, ok: true},
		{name: "int64", reason: "every signed kind", in: int64(20261005), want: 20261005, ok: true},
		{name: "uint", reason: "every unsigned kind", in: uint(12), want: 12, ok: true},
		{name: "uint8", reason: "every unsigned kind", in: uint8(6), want: 6, ok: true},
		{name: "uint16", reason: "every unsigned kind", in: uint16(3), want: 3, ok: true},
		{name: "uint32", reason: "every unsigned kind", in: uint32(2), want: 2, ok: true},
		{name: "uint64", reason: "every unsigned kind", in: uint64(1), want: 1, ok: true},
		{name: "float", reason: "a float is not a count of months", in: 1.5, ok: false},
		{name: "string", reason: "nor is text", in: "12", ok: false},
		{name: "nil", reason: "nor nothing", in: nil, ok: false},
	}
	for _, tc := range tests {
		got, ok := asInt(tc.in)
		assert.Equal(t, tc.ok, ok, "asInt(%#v): %s", tc.in, tc.reason)
		assert.Equal(t, tc.want, got, "asInt(%#v): %s", tc.in, tc.reason)
	}
}

func TestIntFunc2RefusesOtherTypes(t *testing.T) {
	f := intFunc2(addMonths)
	got, err := f(int64(20240131), uint8(1))
	require.NoError(t, err)
	assert.Equal(t, 20240229, got, "addMonths(int64 20240131, uint8 1)")
	for _, args := range [][]any{{1.5, 1}, {20240131, "1"}} {
		got, err := f(args...)
		assert.ErrorIs(t, err, errArgs, "addMonths(%#v, %#v)", args[0], args[1])
		assert.Nil(t, got, "addMonths(%#v, %#v)", args[0], args[1])
	}
}

// TestFunctionsInExpressions runs the functions as rule authors write them, on both
// evaluators: the fast path and expr's VM must agree, and a bad argument must fail the
// evaluation with the function's message, never give a value.
func TestFunctionsInExpressions(t *testing.T) {
	tests := []struct {
		name, reason string
		expr         string
		want         int
		err          string // a part of the runtime error
	}{
		{name: "add_months", reason: "the day a year of attachment ends", expr: "addMonths(application.date, 12)", want: 20250228},
		{name: "start_of_period", reason: "the first day of the half-year", expr: "startOfPeriod(application.date, 6)", want: 20240101},
		{name: "next_month_day", reason: "the next 1 January", expr: "nextMonthDay(application.date, 101)", want: 20250101},
		{name: "prefix", reason: "a bool used as a number", expr: "hasAnyPrefix(citizen.address_code, clinic.service_area) ? application.date : 0", want: 20240229},
		{name: "bad_period", reason: "5 months do not divide a year", expr: "startOfPeriod(application.date, 5)", err: "startOfPeriod: 5 months do not divide a year"},
		{name: "bad_day", reason: "13 is no month", expr: "nextMonthDay(application.date, 1301)", err: "nextMonthDay: 1301 is not a day of the year MMDD"},
		{name: "bad_months", reason: "too many months", expr: "addMonths(application.date, 200000)", err: "addMonths: 200000 months is out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Set{
				ID: "funcs", EffectiveFrom: 20180101,
				Facts:       []Fact{{Name: "day", Expr: tc.expr, Type: DateKind}},
				TakesEffect: "application.date",
				Rules: []Rule{{ID: "ok", Expr: "day >= 0", Source: Citation{Publisher: "test", Quote: "test"},
					Messages: map[string]string{"kk": "k", "ru": "r", "en": "e"}}},
			}
			p, err := Compile(History{s})
			require.NoError(t, err, tc.expr)
			c, _ := p.At(20240229)
			env := envOf(map[string]any{
				"citizen.address_code": "751110000",
				"clinic.service_area":  []string{"7511"},
				"application.date":     20240229, "application.month_day": 229, "application.year": 2024,
			})
			for _, vmOnly := range []bool{false, true} {
				var r Result
				err := evalOn(c, env, &r, vmOnly)
				if tc.err != "" {
					var re *RuntimeError
					if assert.ErrorAs(t, err, &re, "vm only %v: %s", vmOnly, tc.reason) {
						assert.Equal(t, "day", re.Fact, "vm only %v", vmOnly)
						assert.Equal(t, tc.err, re.Message, "vm only %v: %s", vmOnly, tc.reason)
					}
					continue
				}
				if assert.NoError(t, err, "vm only %v: %s", vmOnly, tc.reason) {
					assert.Equal(t, dateValue(Date(tc.want)).String(), factsOf(&r)[0].String(), "vm only %v: %s", vmOnly, tc.reason)
					assert.Equal(t, DateKind, factsOf(&r)[0].Kind())
				}
			}
		})
	}
}
