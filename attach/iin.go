package attach

import (
	"github.com/emkhana/emkhana/attach/internal/iin"
	"github.com/emkhana/emkhana/rules"
)

// CheckIIN validates an individual identification number by its length, its digits, its
// check digit (weights 1..11 over the first 11 digits, sum mod 11; when that is 10,
// weights 3..11,1,2; when that is 10 again the number is invalid) and its 7th digit
// (century and sex, 1-6), in that order. It does not look at the birth date the number
// encodes: see [IINBirthDate]. Its error says what is wrong: "must be 12 digits",
// "check digit does not match", ...
func CheckIIN(s string) error { return iin.Check(s) }

// IINBirthDate returns the birth date an IIN encodes: digits 1-6 are YYMMDD and the 7th
// digit the century (1-2: 1800s, 3-4: 1900s, 5-6: 2000s). It assumes the IIN has passed
// [CheckIIN]'s length and digit checks.
func IINBirthDate(s string) (rules.Date, error) { return iin.BirthDate(s) }
