package attach_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	iinnum "github.com/emkhana/emkhana/attach/internal/iin"
	"github.com/emkhana/emkhana/rules"
)

// hangAfter is how long one fuzz input may take before it counts as a hang.
const hangAfter = 5 * time.Second

// watchdog crashes the process, with every goroutine's stack, when the input being fuzzed
// runs longer than hangAfter, so that the fuzzer keeps the input; call the function it
// returns when the input is done.
func watchdog() (stop func() bool) {
	return time.AfterFunc(hangAfter, func() {
		debug.SetTraceback("all")
		panic("fuzz input ran longer than " + hangAfter.String())
	}).Stop
}

var fuzzEngine = func() *attach.Engine {
	e, err := attach.New(rules.Builtin())
	if err != nil {
		panic(err)
	}
	return e
}()

// checkDecided requires a well-formed decision, and the same one from a second call.
func checkDecided(t *testing.T, eng *attach.Engine, app *attach.Application, d attach.Decision) {
	t.Helper()
	if d.Approved() != (len(d.Failed) == 0) || d.Outcome == attach.Undecided {
		t.Fatalf("Decide(%+v) = %v with failed %v", app, d.Outcome, d.Failed)
	}
	if d.Approved() && (!d.EffectiveFrom.Valid() || d.EffectiveFrom < d.Date) {
		t.Fatalf("Decide(%+v) approved from %s, submitted %s", app, d.EffectiveFrom, d.Date)
	}
	again, err := eng.Decide(app)
	if err != nil || !equalSummary(summarize(again), summarize(d)) {
		t.Fatalf("Decide(%+v) = %+v, then %+v, %v", app, summarize(d), summarize(again), err)
	}
}

// FuzzDecodeApplication decodes and decides any line: an error is an
// *InvalidApplicationError naming its problems or a *NoRuleSetError, and a line that is a
// valid application is decided, the same way each time.
func FuzzDecodeApplication(f *testing.F) {
	for _, name := range []string{"../testdata/applications.jsonl", "../testdata/bad/applications.jsonl"} {
		data, _ := os.ReadFile(name)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c badCase
			if json.Unmarshal(sc.Bytes(), &c) == nil && c.Input != "" {
				f.Add([]byte(c.Input))
			} else {
				f.Add(append([]byte(nil), sc.Bytes()...))
			}
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		defer watchdog()()
		app, err := attach.DecodeApplication(line)
		if err == nil {
			var d attach.Decision
			if d, err = fuzzEngine.Decide(app); err == nil {
				checkDecided(t, fuzzEngine, app, d)
				return
			}
		}
		var inv *attach.InvalidApplicationError
		var none *attach.NoRuleSetError
		switch {
		case errors.As(err, &inv):
			if len(inv.Problems) == 0 {
				t.Fatalf("Decide(%q): an InvalidApplicationError without problems", line)
			}
			for _, p := range inv.Problems {
				if p == nil || p.Message == "" {
					t.Fatalf("Decide(%q): a problem without a message", line)
				}
			}
		case errors.As(err, &none):
		default:
			t.Fatalf("Decide(%q) = %T %v, want an *InvalidApplicationError or *NoRuleSetError", line, err, err)
		}
	})
}

// FuzzIIN checks CheckIIN and IINBirthDate against a plain reading of DOMAIN.md.
func FuzzIIN(f *testing.F) {
	for _, s := range []string{"031231500126", "791028302728", "061211600012", "123456789012", "821214240092", "791328310006", "791028910003", "", "٠٣١٢٣١٥٠٠١٢٦"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, iin string) {
		err := attach.CheckIIN(iin)
		if want := referenceIIN(iin); (err == nil) != want {
			t.Fatalf("CheckIIN(%q) = %v, want valid %v", iin, err, want)
		}
		if err != nil {
			if !errors.Is(err, iinnum.ErrLength) && !errors.Is(err, iinnum.ErrDigits) && !errors.Is(err, iinnum.ErrCheckDigit) && !errors.Is(err, iinnum.ErrCentury) {
				t.Fatalf("CheckIIN(%q) = %v, not one of the IIN errors", iin, err)
			}
			return
		}
		born, err := attach.IINBirthDate(iin)
		if err != nil {
			if !errors.Is(err, iinnum.ErrCentury) && !errors.Is(err, iinnum.ErrBirthDate) {
				t.Fatalf("IINBirthDate(%q) = %v, not one of the IIN errors", iin, err)
			}
			return
		}
		if !born.Valid() || born.Year()%100 != int(iin[0]-'0')*10+int(iin[1]-'0') || born.Year() < 1800 || born.Year() > 2099 {
			t.Fatalf("IINBirthDate(%q) = %s", iin, born)
		}
	})
}

// referenceIIN is DOMAIN.md's check, written out once more: length, digits, check
// digit and a 7th digit of 1-6.
func referenceIIN(s string) bool {
	if len(s) != 12 {
		return false
	}
	d := make([]int, 12)
	for i := range 12 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d[i] = int(s[i] - '0')
	}
	sum := 0
	for i := range 11 {
		sum += d[i] * (i + 1)
	}
	check := sum % 11
	if check == 10 {
		sum = 0
		for i := range 11 {
			sum += d[i] * ((i+2)%11 + 1)
		}
		check = sum % 11
	}
	return check != 10 && check == d[11] && d[6] >= 1 && d[6] <= 6
}

// FuzzDecide decides generated valid applications with the built-in history, with its
// parameters changed to any values: with the defaults every application is decided; with
// fuzzed parameters a decision or a *rules.RuntimeError naming the rule, never a panic,
// and the same outcome each time.
func FuzzDecide(f *testing.F) {
	f.Add(uint64(1), false, 2000, 1, 18, uint16(901), uint16(1101))
	f.Add(uint64(2), true, 0, 0, 0, uint16(0), uint16(9999))
	f.Add(uint64(3), true, -1, -12, 200, uint16(229), uint16(1231))
	f.Add(uint64(4), true, 1<<62, 5, -1, uint16(1301), uint16(101))
	f.Fuzz(func(t *testing.T, seed uint64, fuzzParams bool, capacity, perYear, adultAge int, start, end uint16) {
		defer watchdog()()
		eng := fuzzEngine
		if fuzzParams {
			h := rules.Builtin()
			for i := range h {
				for _, p := range []struct {
					name string
					v    rules.Value
				}{
					{"capacity", rules.ValueOf(capacity)},
					{"changes_per_year", rules.ValueOf(perYear)},
					{"adult_age", rules.ValueOf(adultAge)},
					{"campaign_start", rules.ValueOf(rules.MonthDay(start))},
					{"campaign_end", rules.ValueOf(rules.MonthDay(end))},
				} {
					if _, ok := h[i].Param(p.name); !ok {
						continue // kz-2018 has no changes_per_year
					}
					s, err := h[i].WithParam(p.name, p.v)
					var bad *rules.Error
					if errors.As(err, &bad) && bad.Field == "params."+p.name && bad.Set == h[i].ID {
						return // out of the parameter's declared range: refused, not used
					}
					if err != nil {
						t.Fatalf("WithParam(%s): %v", p.name, err)
					}
					h[i] = s
				}
			}
			var err error
			if eng, err = attach.New(h); err != nil {
				t.Fatalf("New with parameters changed = %v; parameters do not change types", err)
			}
		}
		app := genApp(rand.New(rand.NewPCG(seed, seed>>32)))
		d, err := eng.Decide(app)
		if err == nil {
			checkDecided(t, eng, app, d)
			return
		}
		var re *rules.RuntimeError
		if !fuzzParams || !errors.As(err, &re) || re.Line < 1 || (re.Rule == "" && re.Fact == "" && err.Error() == "") {
			t.Fatalf("Decide(%+v) = %T %v, want a decision", app, err, err)
		}
		if d.Outcome != attach.Undecided || d.Approved() {
			t.Fatalf("Decide(%+v) = %v with error %v, want no decision", app, d.Outcome, err)
		}
	})
}
