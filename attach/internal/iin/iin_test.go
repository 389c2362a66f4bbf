package iin_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emkhana/emkhana/attach/internal/iin"
	"github.com/emkhana/emkhana/rules"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, iin, reason string
		want              error
	}{
		{"valid", "031231500126", "DOMAIN.md's first valid example", nil},
		{"valid 1979", "791028302728", "DOMAIN.md's second valid example", nil},
		{"valid second weights", "061211600012", "the first sum is 10, the second weights give the check digit", nil},
		{"wrong check digit", "123456789012", "DOMAIN.md's invalid example", iin.ErrCheckDigit},
		{"ten twice", "821214240092", "both weightings give 10: no check digit exists", iin.ErrCheckDigit},
		{"off by one", "031231500127", "the last digit is one more than the check digit", iin.ErrCheckDigit},
		{"short", "03123150012", "11 digits", iin.ErrLength},
		{"long", "0312315001260", "13 digits", iin.ErrLength},
		{"empty", "", "nothing given", iin.ErrLength},
		{"letter", "03123150012a", "a letter where a digit must be", iin.ErrDigits},
		{"unicode digits", "٠٣١٢٣١٥٠٠١٢٦", "Arabic-Indic digits are not 0-9 (and not 12 bytes)", iin.ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("every case needs a reason")
			}
			if got := iin.Check(tt.iin); !errors.Is(got, tt.want) || (tt.want == nil) != (got == nil) {
				t.Errorf("Check(%q) = %v, want %v (%s)", tt.iin, got, tt.want, tt.reason)
			}
		})
	}
}

func TestBirthDate(t *testing.T) {
	tests := []struct {
		name, iin, reason string
		want              rules.Date
		err               error
	}{
		{"2000s", "031231500126", "century digit 5: born 2003-12-31", 20031231, nil},
		{"1900s", "791028302728", "century digit 3: born 1979-10-28", 19791028, nil},
		{"1800s", "991231100000", "century digit 1: born 1899-12-31", 18991231, nil},
		{"female 2000s", "061211600012", "century digit 6: born 2006-12-11", 20061211, nil},
		{"century 0", "031231000126", "digit 7 is 0: no century", 0, iin.ErrCentury},
		{"century 7", "031231700126", "digit 7 is 7: no century", 0, iin.ErrCentury},
		{"month 13", "031331500126", "month 13 does not exist", 0, iin.ErrBirthDate},
		{"29 Feb common year", "230229500126", "2023 has no 29 February", 0, iin.ErrBirthDate},
		{"29 Feb leap year", "240229500126", "2024 has a 29 February", 20240229, nil},
		{"too short", "031231", "no century digit", 0, iin.ErrLength},
		// BirthDate reads only the first seven digits: a prefix of seven gives the date.
		{"seven digits", "0312315", "digits 1-7 hold the whole date", 20031231, nil},
		{"29 February 2000", "0002295", "2000 is a leap year", 20000229, nil},
		{"29 February 1900", "0002293", "1900 is not a leap year", 0, iin.ErrBirthDate},
		{"day 00", "0001005", "there is no day 0", 0, iin.ErrBirthDate},
		{"century 7 of seven digits", "0001017", "digit 7 is 1-6", 0, iin.ErrCentury},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iin.BirthDate(tt.iin)
			if tt.err == nil {
				assert.NoError(t, err, tt.reason)
			} else {
				assert.ErrorIs(t, err, tt.err, tt.reason)
			}
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestMake(t *testing.T) {
	for _, birth := range []rules.Date{18000101, 18991231, 19000101, 19791028, 20000229, 20031231, 20991231} {
		for _, female := range []bool{false, true} {
			for serial := 0; serial < 30; serial++ {
				id, err := iin.Make(birth, female, serial)
				if err != nil {
					t.Fatalf("Make(%s, %v, %d): %v", birth, female, serial, err)
				}
				if err := iin.Check(id); err != nil {
					t.Fatalf("Make(%s, %v, %d) = %s, which Check refuses: %v", birth, female, serial, id, err)
				}
				if got, err := iin.BirthDate(id); got != birth || err != nil {
					t.Fatalf("BirthDate(Make(%s)) = %s, %v", birth, got, err)
				}
				if odd := (id[6]-'0')%2 == 1; odd == female {
					t.Fatalf("Make(%s, female=%v) = %s: digit 7 gives the other sex", birth, female, id)
				}
			}
		}
	}
	for _, bad := range []struct {
		birth  rules.Date
		serial int
	}{{17991231, 0}, {21000101, 0}, {20230229, 0}, {20000101, -1}, {20000101, 10000}} {
		if id, err := iin.Make(bad.birth, false, bad.serial); err == nil {
			t.Errorf("Make(%s, %d) = %s, want an error", bad.birth, bad.serial, id)
		}
	}
}

// TestMakeNextSerial pins that Make keeps the serial asked for when it gives a check
// digit, and otherwise takes the next serial that does (after 9999, 0000).
func TestMakeNextSerial(t *testing.T) {
	valid := func(prefix string) bool { // some last digit makes prefix a valid IIN
		for c := '0'; c <= '9'; c++ {
			if iin.Check(prefix+string(c)) == nil {
				return true
			}
		}
		return false
	}
	skipped := 0
	for _, birth := range []rules.Date{19960510, 20000229} {
		for serial := 0; serial < 10000; serial++ {
			id, err := iin.Make(birth, false, serial)
			if err != nil || iin.Check(id) != nil {
				t.Fatalf("Make(%s, %d) = %q, %v; want a valid IIN", birth, serial, id, err)
			}
			got, _ := strconv.Atoi(id[7:11])
			for s := serial; s != got; s = (s + 1) % 10000 {
				skipped++
				if p := id[:7] + strconv.Itoa(10000 + s)[1:]; valid(p) {
					t.Fatalf("Make(%s, %d) = %s, skipping serial %d which gives a check digit", birth, serial, id, s)
				}
			}
			if !valid(id[:11]) {
				t.Fatalf("Make(%s, %d) = %s", birth, serial, id)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("Make skipped no serial: the test does not reach a serial without a check digit")
	}
}
