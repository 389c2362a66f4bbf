package rules

import (
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // the library needs no zone files on the host
)

// Date is a civil date, written as the number YYYYMMDD (2026-10-05 is 20261005), so that
// rule expressions compare dates with <, <=, ==, >= and > and read them as written.
// The zero Date means "not given". A Date carries no time zone: it is a day on the
// calendar of the rule set's zone (Kazakhstan's, Asia/Almaty, by default).
type Date int

// MonthDay is a day of the year without a year, written as the number MMDD
// (15 September is 915), used for dates that recur every year such as campaign bounds.
type MonthDay int

// defaultZone is the IANA zone in which dates are civil dates unless a rule set names
// another: Kazakhstan's, on UTC+5 since 2024-03-01 and UTC+6 before.
const defaultZone = "Asia/Almaty"

// NewDate returns the Date of the given year, month and day. It does not normalize:
// use [ParseDate] or [DateOf] to get a Date that is known to exist.
func NewDate(year int, month time.Month, day int) Date {
	return Date(year*10000 + int(month)*100 + day)
}

// DateOf returns the civil date of the instant t in the location loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// ParseDate parses "YYYY-MM-DD" and reports an error for anything else, including a
// day that does not exist such as 2025-02-29.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	y, ey := strconv.Atoi(s[0:4])
	m, em := strconv.Atoi(s[5:7])
	d, ed := strconv.Atoi(s[8:10])
	if ey != nil || em != nil || ed != nil || y < 1 || s[0] == '+' || s[5] == '+' || s[8] == '+' {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	if !validDay(y, m, d) {
		return 0, fmt.Errorf("%q is not a day of the calendar", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

// Year returns the date's year.
func (d Date) Year() int { return int(d) / 10000 }

// Month returns the date's month.
func (d Date) Month() time.Month { return time.Month(int(d) / 100 % 100) }

// Day returns the date's day of the month.
func (d Date) Day() int { return int(d) % 100 }

// MonthDay returns the date's day of the year as a MonthDay.
func (d Date) MonthDay() MonthDay { return MonthDay(int(d) % 10000) }

// IsZero reports whether d is the zero Date ("not given").
func (d Date) IsZero() bool { return d == 0 }

// Valid reports whether d is a day of the calendar.
func (d Date) Valid() bool {
	// By a table of the days of a common year, for every evaluation checks its
	// takes_effect; 29 February by the calendar. The smallest date is 0001-01-01.
	md := uint(d) % 10000
	return uint(d)-10101 <= 99991231-10101 && (md < uint(len(commonDays)) && commonDays[md] || md == 229 && leap(int(d)/10000))
}

// commonDays holds, at MMDD, whether that is a day of a common year.
var commonDays = func() (t [1232]bool) {
	for m := 1; m <= 12; m++ {
		for d := 1; d <= daysIn(2025, m); d++ {
			t[m*100+d] = true
		}
	}
	return t
}()

// String returns the date as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d.Month()), d.Day())
}

// Time returns midnight of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// AddMonths returns the date n months later (earlier for negative n); a day that the
// target month lacks becomes its last day (2024-02-29 plus 12 months is 2025-02-28).
func (d Date) AddMonths(n int) Date {
	months := d.Year()*12 + int(d.Month()) - 1 + n
	y, m := months/12, months%12+1
	day := d.Day()
	if last := daysIn(y, m); day > last {
		day = last
	}
	return NewDate(y, time.Month(m), day)
}

// AgeOn returns the age in whole years that a person born on d has on the day on.
// A person born on 29 February comes of age on 1 March in years without that day.
func (d Date) AgeOn(on Date) int {
	age := on.Year() - d.Year()
	if on.MonthDay() < d.MonthDay() {
		age--
	}
	return age
}

// MarshalText writes the date as "YYYY-MM-DD" (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD"; the empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// parseMonthDay parses "MM-DD" such as "09-15"; 29 February is accepted.
func parseMonthDay(s string) (MonthDay, error) {
	if len(s) != 5 || s[2] != '-' || s[0] == '+' || s[3] == '+' {
		return 0, fmt.Errorf("%q is not a day of the year of the form MM-DD", s)
	}
	m, em := strconv.Atoi(s[0:2])
	d, ed := strconv.Atoi(s[3:5])
	if em != nil || ed != nil || !validDay(2000, m, d) {
		return 0, fmt.Errorf("%q is not a day of the year of the form MM-DD", s)
	}
	return MonthDay(m*100 + d), nil
}

// Month returns the month.
func (md MonthDay) Month() time.Month { return time.Month(int(md) / 100) }

// Day returns the day of the month.
func (md MonthDay) Day() int { return int(md) % 100 }

// String returns "MM-DD".
func (md MonthDay) String() string { return fmt.Sprintf("%02d-%02d", int(md.Month()), md.Day()) }

// In returns the date of md in the given year; 29 February in a common year is 28 February.
func (md MonthDay) In(year int) Date {
	day := md.Day()
	if last := daysIn(year, int(md.Month())); day > last {
		day = last
	}
	return NewDate(year, md.Month(), day)
}

// MarshalText writes "MM-DD".
func (md MonthDay) MarshalText() ([]byte, error) { return []byte(md.String()), nil }

// UnmarshalText reads "MM-DD".
func (md *MonthDay) UnmarshalText(b []byte) error {
	v, err := parseMonthDay(string(b))
	if err != nil {
		return err
	}
	*md = v
	return nil
}

func validDay(y, m, d int) bool {
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func timeMonth(m int) time.Month { return time.Month(m) }
