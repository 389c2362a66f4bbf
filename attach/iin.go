package attach

import (
	"errors"
	"fmt"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// The ways an IIN can be malformed. CheckIIN and IINBirthDate return one of them, so
// callers can tell them apart with errors.Is.
var (
	ErrIINLength     = errors.New("must be 12 digits")
	ErrIINDigits     = errors.New("must hold only the digits 0-9")
	ErrIINCheckDigit = errors.New("check digit does not match")
	ErrIINCentury    = errors.New("7th digit (century and sex) must be 1-6")
	ErrIINBirthDate  = errors.New("digits 1-6 are not a birth date YYMMDD")
)

var (
	iinWeights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	iinWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// CheckIIN validates an individual identification number by its length, its digits, its
// check digit (weights 1..11 over the first 11 digits, sum mod 11; when that is 10,
// weights 3..11,1,2; when that is 10 again the number is invalid) and its 7th digit
// (century and sex, 1-6), in that order. It does not look at the birth date the number encodes: see
// IINBirthDate.
func CheckIIN(iin string) error {
	if len(iin) != 12 {
		return ErrIINLength
	}
	for i := 0; i < 12; i++ {
		if iin[i] < '0' || iin[i] > '9' {
			return ErrIINDigits
		}
	}
	check := iinSum(iin, &iinWeights1)
	if check == 10 {
		check = iinSum(iin, &iinWeights2)
	}
	if check == 10 || check != int(iin[11]-'0') {
		return ErrIINCheckDigit
	}
	if iin[6] < '1' || iin[6] > '6' { // twelve zeros pass the check digit
		return ErrIINCentury
	}
	return nil
}

func iinSum(iin string, w *[11]int) int {
	sum := 0
	for i, wi := range w {
		sum += int(iin[i]-'0') * wi
	}
	return sum % 11
}

// IINBirthDate returns the birth date an IIN encodes: digits 1-6 are YYMMDD and the 7th
// digit the century (1-2: 1800s, 3-4: 1900s, 5-6: 2000s). It assumes the IIN has passed
// CheckIIN's length and digit checks.
func IINBirthDate(iin string) (rules.Date, error) {
	if len(iin) < 7 {
		return 0, ErrIINLength
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
		return 0, ErrIINCentury
	}
	d := func(i int) int { return int(iin[i]-'0')*10 + int(iin[i+1]-'0') }
	y, m, day := century+d(0), d(2), d(4)
	date := rules.NewDate(y, time.Month(m), day)
	if !date.Valid() {
		return 0, ErrIINBirthDate
	}
	return date, nil
}

// MakeIIN returns a valid IIN for a person born on birth (years 1800-2099), of the given
// sex, with the serial number serial (0-9999), for test data and examples. When the
// serial gives no valid check digit (the sum is 10 twice) it tries the next serials.
func MakeIIN(birth rules.Date, female bool, serial int) (string, error) {
	if !birth.Valid() || birth.Year() < 1800 || birth.Year() > 2099 {
		return "", fmt.Errorf("attach: MakeIIN: birth date %s is not a day of the years 1800-2099", birth)
	}
	if serial < 0 || serial > 9999 {
		return "", fmt.Errorf("attach: MakeIIN: serial %d is not in 0-9999", serial)
	}
	century := byte('1' + 2*(birth.Year()/100-18))
	if female {
		century++
	}
	for i := 0; i < 10000; i++ {
		b := []byte(fmt.Sprintf("%02d%02d%02d%c%04d0", birth.Year()%100, int(birth.Month()), birth.Day(), century, (serial+i)%10000))
		check := iinSum(string(b), &iinWeights1)
		if check == 10 {
			check = iinSum(string(b), &iinWeights2)
		}
		if check != 10 {
			b[11] = byte('0' + check)
			return string(b), nil
		}
	}
	return "", fmt.Errorf("attach: MakeIIN: no serial gives a check digit") // unreachable: most serials do
}
