package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/expr-lang/expr"
)

// The functions a rule expression may call besides expr's own builtins, listed in doc.go.
// They are pure: the same arguments give the same result. Dates are numbers YYYYMMDD.

// hasAnyPrefix reports whether one of prefixes is a prefix of s: an address code is in a
// service area when one of the area's codes is a prefix of it.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// adminUnit returns the administrative-territorial unit of a KATO code: its first two
// digits when they are one of wholeCities (a city of republican significance is one unit),
// else its first prefixLen digits, or the code itself when it is shorter.
func adminUnit(code string, prefixLen int, wholeCities []string) string {
	if len(code) >= 2 {
		for _, c := range wholeCities {
			if code[:2] == c {
				return c
			}
		}
	}
	if prefixLen >= 0 && len(code) > prefixLen {
		return code[:prefixLen]
	}
	return code
}

// inUnit reports whether one of codes (KATO codes or prefixes) lies in unit: the unit of
// the code (adminUnit) is a prefix of unit. A prefix shorter than a unit, such as a
// region's "19", lies in every unit of the region.
func inUnit(unit string, codes []string, prefixLen int, wholeCities []string) bool {
	for _, c := range codes {
		if strings.HasPrefix(unit, adminUnit(c, prefixLen, wholeCities)) {
			return true
		}
	}
	return false
}

// startOfPeriod returns the first day of the months-long period of the calendar year that
// holds d: with months 12, 1 January; with 6, 1 January or 1 July. months must divide 12.
func startOfPeriod(d, months int) (int, error) {
	if !Date(d).Valid() {
		return 0, fmt.Errorf("startOfPeriod: %d is not a date YYYYMMDD", d)
	}
	if months < 1 || months > 12 || 12%months != 0 {
		return 0, fmt.Errorf("startOfPeriod: %d months do not divide a year", months)
	}
	m := (int(Date(d).Month())-1)/months*months + 1
	return int(NewDate(Date(d).Year(), timeMonth(m), 1)), nil
}

// nextMonthDay returns the first day after d that falls on md: the 1 January after a
// campaign day is the next year's.
func nextMonthDay(d, md int) (int, error) {
	if !Date(d).Valid() || Date(d).Year() >= 9999 {
		return 0, fmt.Errorf("nextMonthDay: %d is not a date YYYYMMDD before year 9999", d)
	}
	if !validDay(2000, md/100, md%100) {
		return 0, fmt.Errorf("nextMonthDay: %d is not a day of the year MMDD", md)
	}
	if next := MonthDay(md).In(Date(d).Year()); int(next) > d {
		return int(next), nil
	}
	return int(MonthDay(md).In(Date(d).Year() + 1)), nil
}

// addMonths is [Date.AddMonths] for expressions, bounded to years 1-9999.
func addMonths(d, n int) (int, error) {
	if !Date(d).Valid() {
		return 0, fmt.Errorf("addMonths: %d is not a date YYYYMMDD", d)
	}
	if n < -120000 || n > 120000 {
		return 0, fmt.Errorf("addMonths: %d months is out of range", n)
	}
	r := Date(d).AddMonths(n)
	if r.Year() < 1 || r.Year() > 9999 {
		return 0, fmt.Errorf("addMonths: %s plus %d months is outside years 1-9999", Date(d), n)
	}
	return int(r), nil
}

var errArgs = errors.New("wrong arguments")

// asInt reads any integer kind.
func asInt(v any) (int, bool) {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(r.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(r.Uint()), true
	}
	return 0, false
}

func intFunc2(f func(a, b int) (int, error)) func(p ...any) (any, error) {
	return func(p ...any) (any, error) {
		a, ok1 := asInt(p[0])
		b, ok2 := asInt(p[1])
		if !ok1 || !ok2 {
			return nil, errArgs
		}
		return f(a, b)
	}
}

// exprFunctions are the expr options that declare the functions above.
var exprFunctions = []expr.Option{
	expr.Function("hasAnyPrefix", func(p ...any) (any, error) {
		s, ok1 := p[0].(string)
		l, ok2 := p[1].([]string)
		if !ok1 || !ok2 {
			return nil, errArgs
		}
		return hasAnyPrefix(s, l), nil
	}, new(func(string, []string) bool)),
	expr.Function("adminUnit", func(p ...any) (any, error) {
		code, ok1 := p[0].(string)
		n, ok2 := p[1].(int)
		cities, ok3 := p[2].([]string)
		if !ok1 || !ok2 || !ok3 {
			return nil, errArgs
		}
		return adminUnit(code, n, cities), nil
	}, new(func(string, int, []string) string)),
	expr.Function("inUnit", func(p ...any) (any, error) {
		unit, ok1 := p[0].(string)
		codes, ok2 := p[1].([]string)
		n, ok3 := p[2].(int)
		cities, ok4 := p[3].([]string)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errArgs
		}
		return inUnit(unit, codes, n, cities), nil
	}, new(func(string, []string, int, []string) bool)),
	expr.Function("addMonths", intFunc2(addMonths), new(func(int, int) int)),
	expr.Function("startOfPeriod", intFunc2(startOfPeriod), new(func(int, int) int)),
	expr.Function("nextMonthDay", intFunc2(nextMonthDay), new(func(int, int) int)),
}
