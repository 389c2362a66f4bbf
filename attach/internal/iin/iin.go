// Package iin reads and makes Kazakhstan's individual identification numbers (IIN): 12
// digits, YYMMDD of the birth date, a digit for the century and sex, a serial number and
// a check digit. Package attach validates applications with it, and package attachtest
// makes valid numbers for tests with it.
package iin

import (
	"errors"
	"fmt"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// ErrInvalid is matched (errors.Is) by every error of the package, and so by the
// citizen.iin problem of an invalid application.
var ErrInvalid = errors.New("invalid IIN")

// reason is one way an IIN can be malformed: its text says what is wrong.
type reason struct{ msg string }

func (r *reason) Error() string        { return r.msg }
func (r *reason) Is(target error) bool { return target == ErrInvalid }

// The ways an IIN can be malformed. Check and BirthDate return one of them.
var (
	ErrLength     error = &reason{"must be 12 digits"}
	ErrDigits     error = &reason{"must hold only the digits 0-9"}
	ErrCheckDigit error = &reason{"check digit does not match"}
	ErrCentury    error = &reason{"7th digit (century and sex) must be 1-6"}
	ErrBirthDate  error = &reason{"digits 1-6 are not a birth date YYMMDD"}
)

var (
	weights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	weights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// Check validates an IIN by its length, its digits, its check digit (weights 1..11 over
// the first 11 digits, sum mod 11; when that is 10, weights 3..11,1,2; when that is 10
// again the number is invalid) and its 7th digit (century and sex, 1-6), in that order.
// It does not look at the birth date the number encodes: see BirthDate.
func Check(iin string) error {
	if len(iin) != 12 {
		return ErrLength
	}
	for i := 0; i < 12; i++ {
		if iin[i] < '0' || iin[i] > '9' {
			return ErrDigits
		}
	}
	if c, ok := checkDigit(iin); !ok || c != iin[11] {
		return ErrCheckDigit
	}
	if iin[6] < '1' || iin[6] > '6' { // twelve zeros pass the check digit
		return ErrCentury
	}
	return nil
}

// checkDigit returns the check digit of the first 11 digits of iin, and false when they
// have none.
func checkDigit(iin string) (byte, bool) {
	check := sum(iin, &weights1)
	if check == 10 {
		check = sum(iin, &weights2)
	}
	return byte('0' + check), check != 10
}

func sum(iin string, w *[11]int) int {
	s := 0
	for i, wi := range w {
		s += int(iin[i]-'0') * wi
	}
	return s % 11
}

// BirthDate returns the birth date an IIN encodes: digits 1-6 are YYMMDD and the 7th
// digit the century (1-2: 1800s, 3-4: 1900s, 5-6: 2000s). It assumes the IIN has passed
// Check's length and digit checks.
func BirthDate(iin string) (rules.Date, error) {
	if len(iin) < 7 {
		return 0, ErrLength
	}
	var century int
	switch iin[6] {
	case '1', '2':
		century = 1800
	case '3', '4':
		century = 1900
	case '5', '6':
		century = 2000
	default:
		return 0, ErrCentury
	}
	d := func(i int) int { return int(iin[i]-'0')*10 + int(iin[i+1]-'0') }
	y, m, day := century+d(0), d(2), d(4)
	date := rules.NewDate(y, time.Month(m), day)
	if !date.Valid() {
		return 0, ErrBirthDate
	}
	return date, nil
}

// Make returns a valid IIN for a person born on birth (years 1800-2099), of the given
// sex, with the serial number serial (0-9999). When the serial gives no valid check digit
// (the sum is 10 twice) it tries the next serials.
func Make(birth rules.Date, female bool, serial int) (string, error) {
	if !birth.Valid() || birth.Year() < 1800 || birth.Year() > 2099 {
		return "", fmt.Errorf("IIN: birth date %s is not a day of the years 1800-2099", birth)
	}
	if serial < 0 || serial > 9999 {
		return "", fmt.Errorf("IIN: serial %d is not in 0-9999", serial)
	}
	century := byte('1' + 2*(birth.Year()/100-18))
	if female {
		century++
	}
	for i := range 10000 {
		b := []byte(fmt.Sprintf("%02d%02d%02d%c%04d0", birth.Year()%100, int(birth.Month()), birth.Day(), century, (serial+i)%10000))
		if c, ok := checkDigit(string(b)); ok {
			b[11] = c
			return string(b), nil
		}
	}
	return "", fmt.Errorf("IIN: no serial gives a check digit") // unreachable: most serials do
}
