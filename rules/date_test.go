package rules

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of date.go pin the calendar arithmetic that every decision rests on: the bounds of
// ParseDate, the lengths of months, 29 February, the first and last years.

func TestParseDateEdges(t *testing.T) {
	tests := []struct {
		name, reason string
		in           string
		want         Date
		err          string // the whole error text, "" for none
	}{
		{name: "leap_day", reason: "2024 is a leap year", in: "2024-02-29", want: 20240229},
		{name: "first_day", reason: "year 1 is the first year a Date holds", in: "0001-01-01", want: 10101},
		{name: "last_day", reason: "year 9999 is the last a four-digit year holds", in: "9999-12-31", want: 99991231},
		{name: "year_2000", reason: "divisible by 400: a leap year", in: "2000-02-29", want: 20000229},
		{name: "december_31", reason: "December has 31 days", in: "2025-12-31", want: 20251231},
		{name: "january_1", reason: "month 1 and day 1 are in range", in: "2025-01-01", want: 20250101},
		{name: "not_leap", reason: "2025 has no 29 February", in: "2025-02-29", err: `"2025-02-29" is not a day of the calendar`},
		{name: "century_not_leap", reason: "1900 is divisible by 100 but not 400", in: "1900-02-29", err: `"1900-02-29" is not a day of the calendar`},
		{name: "april_31", reason: "April has 30 days", in: "2025-04-31", err: `"2025-04-31" is not a day of the calendar`},
		{name: "month_13", reason: "there are 12 months", in: "2025-13-01", err: `"2025-13-01" is not a day of the calendar`},
		{name: "month_0", reason: "months count from 1", in: "2025-00-10", err: `"2025-00-10" is not a day of the calendar`},
		{name: "day_0", reason: "days count from 1", in: "2025-01-00", err: `"2025-01-00" is not a day of the calendar`},
		{name: "day_32", reason: "no month has 32 days", in: "2025-01-32", err: `"2025-01-32" is not a day of the calendar`},
		{name: "year_0", reason: "there is no year 0", in: "0000-01-01", err: `"0000-01-01" is not a date of the form YYYY-MM-DD`},
		{name: "plus_year", reason: "strconv.Atoi reads +024 as 24: a sign is not a digit", in: "+024-01-01", err: `"+024-01-01" is not a date of the form YYYY-MM-DD`},
		{name: "minus_year", reason: "a negative year is not a year", in: "-024-01-01", err: `"-024-01-01" is not a date of the form YYYY-MM-DD`},
		{name: "plus_month", reason: "a sign in the month", in: "2025-+1-01", err: `"2025-+1-01" is not a date of the form YYYY-MM-DD`},
		{name: "plus_day", reason: "a sign in the day", in: "2025-01-+1", err: `"2025-01-+1" is not a date of the form YYYY-MM-DD`},
		{name: "letters_year", reason: "digits only", in: "20x5-01-01", err: `"20x5-01-01" is not a date of the form YYYY-MM-DD`},
		{name: "letters_month", reason: "digits only", in: "2025-0x-01", err: `"2025-0x-01" is not a date of the form YYYY-MM-DD`},
		{name: "letters_day", reason: "digits only", in: "2025-01-0x", err: `"2025-01-0x" is not a date of the form YYYY-MM-DD`},
		{name: "slashes", reason: "the separators are dashes", in: "2025/01/01", err: `"2025/01/01" is not a date of the form YYYY-MM-DD`},
		{name: "second_separator", reason: "both separators are checked", in: "2025-01/01", err: `"2025-01/01" is not a date of the form YYYY-MM-DD`},
		{name: "short", reason: "one digit for the day", in: "2025-01-1", err: `"2025-01-1" is not a date of the form YYYY-MM-DD`},
		{name: "long", reason: "a time after the date", in: "2025-01-011", err: `"2025-01-011" is not a date of the form YYYY-MM-DD`},
		{name: "compact", reason: "YYYYMMDD is how expressions see dates, not how JSON writes them", in: "20250101", err: `"20250101" is not a date of the form YYYY-MM-DD`},
		{name: "empty", reason: "ParseDate has no zero form; UnmarshalText does", in: "", err: `"" is not a date of the form YYYY-MM-DD`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if tc.err != "" {
				require.EqualError(t, err, tc.err, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			require.Equal(t, tc.want, got, tc.reason)
			assert.Equal(t, tc.in, got.String(), "the input back")
		})
	}
}

func TestDateValid(t *testing.T) {
	tests := []struct {
		name, reason string
		d            Date
		want         bool
	}{
		{name: "zero", reason: "the zero Date means not given", d: 0, want: false},
		{name: "negative", reason: "no negative dates", d: -20240101, want: false},
		{name: "first", reason: "1 January of year 1", d: 10101, want: true},
		{name: "last", reason: "31 December 9999", d: 99991231, want: true},
		{name: "year_10000", reason: "beyond four digits", d: 100000101, want: false},
		{name: "leap", reason: "2024-02-29", d: 20240229, want: true},
		{name: "common", reason: "2023-02-29", d: 20230229, want: false},
		{name: "year_2100", reason: "divisible by 100, not 400", d: 21000229, want: false},
		{name: "year_2000", reason: "divisible by 400", d: 20000229, want: true},
		{name: "november_31", reason: "November has 30 days", d: 20251131, want: false},
		{name: "june_31", reason: "June has 30 days", d: 20250631, want: false},
		{name: "september_31", reason: "September has 30 days", d: 20250931, want: false},
		{name: "september_30", reason: "September has 30 days", d: 20250930, want: true},
		{name: "august_31", reason: "August has 31 days", d: 20250831, want: true},
		{name: "month_13", reason: "12 months", d: 20251301, want: false},
		{name: "day_0", reason: "days count from 1", d: 20250100, want: false},
		{name: "month_0", reason: "months count from 1", d: 20250001, want: false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.d.Valid(), "Date(%d).Valid(): %s", int(tc.d), tc.reason)
	}
}

// TestDateValidAgreesWithTime: Valid, with its inline path for the 28 first days, agrees
// with the time package on every day and month number around the edges of the calendar
// (0 to 32, 0 to 13) in years of each kind, and on the numbers around its range.
func TestDateValidAgreesWithTime(t *testing.T) {
	for _, y := range []int{0, 1, 4, 100, 400, 1999, 2000, 2023, 2024, 2100, 9996, 9999, 10000} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				want := y >= 1 && y <= 9999 && tm.Year() == y && int(tm.Month()) == m && tm.Day() == d
				date := Date(y*10000 + m*100 + d)
				require.Equal(t, want, date.Valid(), "Date(%d).Valid()", int(date))
			}
		}
	}
	for _, d := range []Date{10100, 10101, 10102, 99991231, 99991232, 99991301, 100000101, -1, -10101, math.MinInt, math.MaxInt} {
		assert.Equal(t, d == 10101 || d == 10102 || d == 99991231, d.Valid(), "Date(%d).Valid()", int(d))
	}
}

func TestDaysInEveryMonth(t *testing.T) {
	want := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m := 1; m <= 12; m++ {
		assert.Equal(t, want[m-1], daysIn(2025, m), "daysIn(2025, %d)", m)
		// time.Date normalizes day 0 of the next month to the last day of this one.
		std := time.Date(2024, time.Month(m+1), 0, 0, 0, 0, 0, time.UTC).Day()
		assert.Equal(t, std, daysIn(2024, m), "daysIn(2024, %d), as the time package says", m)
	}
	for _, y := range []int{1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9996, 9999} {
		std := time.Date(y, 3, 0, 0, 0, 0, 0, time.UTC).Day()
		assert.Equal(t, std, daysIn(y, 2), "daysIn(%d, 2)", y)
	}
}

func TestDateParts(t *testing.T) {
	d := NewDate(2026, time.October, 5)
	require.Equal(t, Date(20261005), d, "NewDate(2026, October, 5)")
	assert.Equal(t, 2026, d.Year())
	assert.Equal(t, time.October, d.Month())
	assert.Equal(t, 5, d.Day())
	assert.Equal(t, MonthDay(1005), d.MonthDay())
	assert.False(t, d.IsZero(), "Date(20261005).IsZero()")
	assert.True(t, Date(0).IsZero(), "Date(0).IsZero()")
	assert.Equal(t, "", Date(0).String())
	assert.Equal(t, "0001-01-01", Date(10101).String())
	almaty, err := time.LoadLocation(defaultZone)
	require.NoError(t, err)
	got := d.Time(almaty)
	assert.True(t, got.Equal(time.Date(2026, 10, 5, 0, 0, 0, 0, almaty)), "Date(20261005).Time(Almaty) = %v, want midnight in Almaty", got)
	assert.Same(t, almaty, got.Location())
}

func TestDateOfAcrossZones(t *testing.T) {
	almaty, err := time.LoadLocation(defaultZone)
	require.NoError(t, err)
	tests := []struct {
		name, reason string
		at           time.Time
		want         Date
	}{
		{name: "utc6_before_2024", reason: "Almaty was UTC+6 until 2024-03-01: 18:00Z is midnight", at: time.Date(2024, 2, 28, 18, 0, 0, 0, time.UTC), want: 20240229},
		{name: "utc6_late_evening", reason: "17:59Z is still the 28th in Almaty", at: time.Date(2024, 2, 28, 17, 59, 0, 0, time.UTC), want: 20240228},
		{name: "utc5_after", reason: "since 2024-03-01 Almaty is UTC+5: 18:30Z is 23:30", at: time.Date(2025, 2, 28, 18, 30, 0, 0, time.UTC), want: 20250228},
		{name: "utc5_midnight", reason: "19:00Z is midnight in UTC+5", at: time.Date(2025, 2, 28, 19, 0, 0, 0, time.UTC), want: 20250301},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, DateOf(tc.at, almaty), "DateOf(%v, Almaty): %s", tc.at, tc.reason)
	}
}

func TestAddMonthsMonthEnds(t *testing.T) {
	tests := []struct {
		name, reason string
		d            Date
		n            int
		want         Date
	}{
		{name: "jan31_leap", reason: "31 January plus a month is the last day of February", d: 20240131, n: 1, want: 20240229},
		{name: "jan31_common", reason: "28 days in February 2023", d: 20230131, n: 1, want: 20230228},
		{name: "leap_plus_year", reason: "29 February plus 12 months is 28 February", d: 20240229, n: 12, want: 20250228},
		{name: "leap_plus_4_years", reason: "29 February 2024 plus 48 months exists", d: 20240229, n: 48, want: 20280229},
		{name: "mar31_minus_1", reason: "back into a short month", d: 20240331, n: -1, want: 20240229},
		{name: "may31_plus_1", reason: "June has 30 days", d: 20240531, n: 1, want: 20240630},
		{name: "jan30_plus_1", reason: "a day equal to the month's length is kept", d: 20240130, n: 2, want: 20240330},
		{name: "feb28_plus_1", reason: "a day shorter than the month is kept", d: 20230228, n: 1, want: 20230328},
		{name: "december_to_january", reason: "into the next year", d: 20241215, n: 1, want: 20250115},
		{name: "january_to_december", reason: "into the previous year", d: 20240115, n: -1, want: 20231215},
		{name: "zero", reason: "no months, same day", d: 20240229, n: 0, want: 20240229},
		{name: "two_years_back", reason: "-24 months", d: 20240615, n: -24, want: 20220615},
		{name: "eleven", reason: "month arithmetic modulo 12", d: 20240215, n: 11, want: 20250115},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.d.AddMonths(tc.n), "Date(%v).AddMonths(%d): %s", tc.d, tc.n, tc.reason)
	}
}

func TestAgeOnBirthdays(t *testing.T) {
	tests := []struct {
		name, reason string
		born, on     Date
		want         int
	}{
		{name: "birthday", reason: "one comes of age on the birthday itself", born: 20080510, on: 20260510, want: 18},
		{name: "eve", reason: "the day before the birthday", born: 20080510, on: 20260509, want: 17},
		{name: "after", reason: "the day after", born: 20080510, on: 20260511, want: 18},
		{name: "leapling_feb28", reason: "born 29 February: not yet on 28 February of a common year", born: 20080229, on: 20260228, want: 17},
		{name: "leapling_mar1", reason: "born 29 February: of age on 1 March of a common year", born: 20080229, on: 20260301, want: 18},
		{name: "leapling_leap", reason: "on 29 February of a leap year", born: 20080229, on: 20240229, want: 16},
		{name: "newborn", reason: "born today", born: 20260510, on: 20260510, want: 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.born.AgeOn(tc.on), "Date(%v).AgeOn(%v): %s", tc.born, tc.on, tc.reason)
	}
}

func TestDateText(t *testing.T) {
	d := Date(20200101)
	require.NoError(t, d.UnmarshalText(nil))
	assert.Equal(t, Date(0), d, "UnmarshalText(\"\") gives the zero Date")
	require.NoError(t, d.UnmarshalText([]byte("2024-02-29")))
	assert.Equal(t, Date(20240229), d)
	assert.EqualError(t, d.UnmarshalText([]byte("2025-02-29")), `"2025-02-29" is not a day of the calendar`)
	assert.Equal(t, Date(20240229), d, "a failed UnmarshalText leaves the date unchanged")
	for _, tc := range []struct {
		d    Date
		want string
	}{{0, ""}, {20240229, "2024-02-29"}} {
		b, err := tc.d.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(b), "Date(%d).MarshalText()", int(tc.d))
	}
}

func TestParseMonthDayEdges(t *testing.T) {
	tests := []struct {
		name, reason string
		in           string
		want         MonthDay
		err          bool
	}{
		{name: "leap_day", reason: "29 February recurs in leap years", in: "02-29", want: 229},
		{name: "campaign_start", reason: "the campaign's first day", in: "09-15", want: 915},
		{name: "new_year", reason: "first day of the year", in: "01-01", want: 101},
		{name: "new_years_eve", reason: "last day of the year", in: "12-31", want: 1231},
		{name: "feb_30", reason: "no year has it", in: "02-30", err: true},
		{name: "april_31", reason: "April has 30 days", in: "04-31", err: true},
		{name: "month_13", reason: "12 months", in: "13-01", err: true},
		{name: "month_0", reason: "months count from 1", in: "00-10", err: true},
		{name: "day_0", reason: "days count from 1", in: "01-00", err: true},
		{name: "plus_month", reason: "a sign is not a digit", in: "+9-15", err: true},
		{name: "plus_day", reason: "a sign is not a digit", in: "09-+5", err: true},
		{name: "short", reason: "two digits each", in: "9-15", err: true},
		{name: "compact", reason: "MMDD is the expression form", in: "0915", err: true},
		{name: "slash", reason: "the separator is a dash", in: "09/15", err: true},
		{name: "letters_month", reason: "digits only", in: "0x-15", err: true},
		{name: "letters_day", reason: "digits only", in: "09-1x", err: true},
	}
	for _, tc := range tests {
		got, err := parseMonthDay(tc.in)
		if tc.err {
			assert.EqualError(t, err, `"`+tc.in+`" is not a day of the year of the form MM-DD`, tc.reason)
			continue
		}
		if assert.NoError(t, err, tc.reason) {
			assert.Equal(t, tc.want, got, tc.reason)
			assert.Equal(t, tc.in, got.String(), "MonthDay(%d).String()", int(got))
		}
	}
}

func TestMonthDayIn(t *testing.T) {
	tests := []struct {
		name, reason string
		md           MonthDay
		year         int
		want         Date
	}{
		{name: "leap_day_common", reason: "29 February in a common year is 28 February", md: 229, year: 2025, want: 20250228},
		{name: "leap_day_leap", reason: "29 February in a leap year", md: 229, year: 2024, want: 20240229},
		{name: "feb_28", reason: "an existing day is kept", md: 228, year: 2025, want: 20250228},
		{name: "dec_31", reason: "last day of the year", md: 1231, year: 2025, want: 20251231},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.md.In(tc.year), "MonthDay(%d).In(%d): %s", int(tc.md), tc.year, tc.reason)
	}
	md := MonthDay(915)
	assert.Equal(t, time.September, md.Month())
	assert.Equal(t, 15, md.Day())
	b, err := md.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "09-15", string(b))
	require.NoError(t, md.UnmarshalText([]byte("02-29")))
	assert.Equal(t, MonthDay(229), md)
	assert.Error(t, md.UnmarshalText([]byte("02-30")))
	assert.Equal(t, MonthDay(229), md, "a failed UnmarshalText leaves the value unchanged")
	assert.Error(t, md.UnmarshalText(nil), "a day of the year has no zero form")
}
