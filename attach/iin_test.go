package attach_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

func TestCheckIIN(t *testing.T) {
	tests := []struct {
		name, iin, reason string
		want              error
	}{
		{"valid", "031231500126", "DOMAIN.md's first valid example", nil},
		{"valid 1979", "791028302728", "DOMAIN.md's second valid example", nil},
		{"valid second weights", "061211600012", "the first sum is 10, the second weights give the check digit", nil},
		{"wrong check digit", "123456789012", "DOMAIN.md's invalid example", attach.ErrIINCheckDigit},
		{"ten twice", "821214240092", "both weightings give 10: no check digit exists", attach.ErrIINCheckDigit},
		{"off by one", "031231500127", "the last digit is one more than the check digit", attach.ErrIINCheckDigit},
		{"short", "03123150012", "11 digits", attach.ErrIINLength},
		{"long", "0312315001260", "13 digits", attach.ErrIINLength},
		{"empty", "", "nothing given", attach.ErrIINLength},
		{"letter", "03123150012a", "a letter where a digit must be", attach.ErrIINDigits},
		{"unicode digits", "٠٣١٢٣١٥٠٠١٢٦", "Arabic-Indic digits are not 0-9 (and not 12 bytes)", attach.ErrIINLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("every case needs a reason")
			}
			if tt.want == nil {
				assert.NoError(t, attach.CheckIIN(tt.iin), tt.reason)
			} else {
				assert.ErrorIs(t, attach.CheckIIN(tt.iin), tt.want, tt.reason)
			}
		})
	}
}

func TestIINBirthDate(t *testing.T) {
	tests := []struct {
		name, iin, reason string
		want              rules.Date
		err               error
	}{
		{"2000s", "031231500126", "century digit 5: born 2003-12-31", 20031231, nil},
		{"1900s", "791028302728", "century digit 3: born 1979-10-28", 19791028, nil},
		{"1800s", "991231100000", "century digit 1: born 1899-12-31", 18991231, nil},
		{"female 2000s", "061211600012", "century digit 6: born 2006-12-11", 20061211, nil},
		{"century 0", "031231000126", "digit 7 is 0: no century", 0, attach.ErrIINCentury},
		{"century 7", "031231700126", "digit 7 is 7: no century", 0, attach.ErrIINCentury},
		{"month 13", "031331500126", "month 13 does not exist", 0, attach.ErrIINBirthDate},
		{"29 Feb common year", "230229500126", "2023 has no 29 February", 0, attach.ErrIINBirthDate},
		{"29 Feb leap year", "240229500126", "2024 has a 29 February", 20240229, nil},
		{"too short", "031231", "no century digit", 0, attach.ErrIINLength},
		// IINBirthDate reads only the first seven digits: a prefix of seven gives the date.
		{"seven digits", "0312315", "digits 1-7 hold the whole date", 20031231, nil},
		{"29 February 2000", "0002295", "2000 is a leap year", 20000229, nil},
		{"29 February 1900", "0002293", "1900 is not a leap year", 0, attach.ErrIINBirthDate},
		{"day 00", "0001005", "there is no day 0", 0, attach.ErrIINBirthDate},
		{"century 7 of seven digits", "0001017", "digit 7 is 1-6", 0, attach.ErrIINCentury},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attach.IINBirthDate(tt.iin)
			if tt.err == nil {
				assert.NoError(t, err, tt.reason)
			} else {
				assert.ErrorIs(t, err, tt.err, tt.reason)
			}
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestMakeIIN(t *testing.T) {
	for _, birth := range []rules.Date{18000101, 18991231, 19000101, 19791028, 20000229, 20031231, 20991231} {
		for _, female := range []bool{false, true} {
			for serial := 0; serial < 30; serial++ {
				iin, err := attach.MakeIIN(birth, female, serial)
				if err != nil {
					t.Fatalf("MakeIIN(%s, %v, %d): %v", birth, female, serial, err)
				}
				if err := attach.CheckIIN(iin); err != nil {
					t.Fatalf("MakeIIN(%s, %v, %d) = %s, which CheckIIN refuses: %v", birth, female, serial, iin, err)
				}
				if got, err := attach.IINBirthDate(iin); got != birth || err != nil {
					t.Fatalf("IINBirthDate(MakeIIN(%s)) = %s, %v", birth, got, err)
				}
				if odd := (iin[6]-'0')%2 == 1; odd == female {
					t.Fatalf("MakeIIN(%s, female=%v) = %s: digit 7 gives the other sex", birth, female, iin)
				}
			}
		}
	}
	for _, bad := range []struct {
		birth  rules.Date
		serial int
	}{{17991231, 0}, {21000101, 0}, {20230229, 0}, {20000101, -1}, {20000101, 10000}} {
		if iin, err := attach.MakeIIN(bad.birth, false, bad.serial); err == nil {
			t.Errorf("MakeIIN(%s, %d) = %s, want an error", bad.birth, bad.serial, iin)
		}
	}
}

// TestMakeIINNextSerial pins that MakeIIN keeps the serial asked for when it gives a check
// digit, and otherwise takes the next serial that does (after 9999, 0000).
func TestMakeIINNextSerial(t *testing.T) {
	valid := func(prefix string) bool { // some last digit makes prefix a valid IIN
		for c := '0'; c <= '9'; c++ {
			if attach.CheckIIN(prefix+string(c)) == nil {
				return true
			}
		}
		return false
	}
	skipped := 0
	for _, birth := range []rules.Date{19960510, 20000229} {
		for serial := 0; serial < 10000; serial++ {
			iin, err := attach.MakeIIN(birth, false, serial)
			require.NoError(t, err, "MakeIIN(%s, %d)", birth, serial)
			require.NoError(t, attach.CheckIIN(iin), "MakeIIN(%s, %d) = %s", birth, serial, iin)
			got, _ := strconv.Atoi(iin[7:11])
			for s := serial; s != got; s = (s + 1) % 10000 {
				skipped++
				if p := iin[:7] + strconv.Itoa(10000 + s)[1:]; valid(p) {
					t.Fatalf("MakeIIN(%s, %d) = %s, skipping serial %d which gives a check digit", birth, serial, iin, s)
				}
			}
			require.True(t, valid(iin[:11]), "MakeIIN(%s, %d) = %s", birth, serial, iin)
		}
	}
	require.NotZero(t, skipped, "MakeIIN skipped no serial: the test does not reach a serial without a check digit")
}
