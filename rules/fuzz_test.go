package rules_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/emkhana/emkhana/rules"
	"github.com/expr-lang/expr/file"
)

// hangAfter is how long one fuzz input may take before it counts as a hang.
const hangAfter = 5 * time.Second

// watchdog crashes the process, with every goroutine's stack, when the input being fuzzed
// runs longer than hangAfter, so that the fuzzer keeps the input as a failure; call the
// function it returns when the input is done.
func watchdog() (stop func() bool) {
	return time.AfterFunc(hangAfter, func() {
		debug.SetTraceback("all")
		panic("fuzz input ran longer than " + hangAfter.String())
	}).Stop
}

// checkErrors requires err to be a non-empty rules.Errors whose every problem says what is
// wrong, and whose problems inside an expression carry their line and column.
func checkErrors(t *testing.T, what string, err error) {
	t.Helper()
	var es rules.Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("%s = %T %v, want rules.Errors", what, err, err)
	}
	for _, e := range es {
		if e == nil || e.Message == "" {
			t.Fatalf("%s: a problem without a message: %#v", what, e)
		}
		var fe *file.Error
		if errors.As(e, &fe) && e.Line < 1 {
			t.Errorf("%s: an expression error without its line: %v", what, e)
		}
	}
}

// addRuleSetSeeds adds the built-in sets and the broken sets of the bad-input catalogue.
func addRuleSetSeeds(f *testing.F) {
	for _, id := range []string{"kz-2018", "kz-2023"} {
		b, ok := rules.BuiltinJSON(id)
		if !ok {
			f.Fatalf("no built-in set %s", id)
		}
		f.Add(b)
	}
	bad, _ := filepath.Glob("../testdata/bad/rules/*.json")
	for _, name := range bad {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
}

// FuzzParseHistory parses and compiles any document: it never panics, reports every
// problem as positioned rules.Errors, and a set that parses survives a round trip through
// its JSON form unchanged.
func FuzzParseHistory(f *testing.F) {
	addRuleSetSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		defer watchdog()()
		h, err := rules.ParseHistory(rules.Document{Name: "fuzz.json", Data: doc})
		if err != nil {
			checkErrors(t, "ParseHistory", err)
			return
		}
		s := h[0]
		js, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of a parsed set: %v", err)
		}
		h2, err := rules.ParseHistory(rules.Document{Data: js})
		if err != nil {
			t.Fatalf("ParseHistory(MarshalJSON(ParseHistory(doc))) = %v\n%s", err, js)
		}
		s2 := h2[0]
		js2, err := s2.MarshalJSON()
		if err != nil || !bytes.Equal(js, js2) {
			t.Fatalf("round trip changed the set:\n%s\n%s", js, js2)
		}
		if _, err := rules.Compile(rules.History{s}); err != nil {
			checkErrors(t, "Compile", err)
		}
	})
}

// FuzzRuleExpr puts any expression in place of a rule, a fact or takes_effect of kz-2023
// and evaluates it: compiling gives positioned rules.Errors or a program, and evaluating
// gives a result or a *rules.RuntimeError naming where it failed, the same one each time.
func FuzzRuleExpr(f *testing.F) {
	for _, s := range []string{
		"in_area || attached < capacity",
		`clinic.service_area[3] == "1"`,
		"doctor.attached % (doctor.attached - 1900) == 0",
		"all(1..1000, all(1..1000, # > 0))",
		`let a = "xxxxxxxxxxxxxxxx"; let b = a + a; len(b + b) > 0`,
		"addMonths(application.date, 1000000) > 0",
		"nextMonthDay(application.date, 1399) > 0",
		"startOfPeriod(application.date, 5) > 0",
		"1 / 0 > 0",
		"int(1e300) > 0",
		`find(clinic.service_area, # == "9") == nil`,
		"application.date",
		"first_attachment ? application.date : nextMonthDay(application.date, params.campaign_takes_effect)",
	} {
		for where := range uint8(3) {
			f.Add(s, where)
		}
	}
	env := rules.EnvOf(map[string]any{
		"citizen.residency": "citizen", "citizen.age": 40, "citizen.address_code": "751110000",
		"citizen.current_clinic_id": "C9", "citizen.current_doctor_id": "D9", "citizen.attached_since": 20240101,
		"clinic.id": "C1", "clinic.fund_provider": true, "clinic.service_area": []string{"75112"},
		"doctor.id": "D1", "doctor.specialty": "therapist", "doctor.attached": 1900,
		"application.id": "A", "application.channel": "egov", "application.signed": true,
		"application.date": 20261005, "application.month_day": 1005, "application.year": 2026,
	})
	f.Fuzz(func(t *testing.T, src string, where uint8) {
		defer watchdog()()
		h := rules.Builtin()
		s := h[1]
		switch where % 3 {
		case 0:
			s.Rules = append([]rules.Rule(nil), s.Rules...)
			s.Rules[len(s.Rules)-1].Expr = src
		case 1:
			s.Facts = append([]rules.Fact(nil), s.Facts...)
			s.Facts[0].Expr = src
		default:
			s.TakesEffect = src
		}
		p, err := rules.Compile(rules.History{s})
		if err != nil {
			checkErrors(t, "Compile", err)
			return
		}
		c, _ := p.At(20261005)
		var r1, r2 rules.Result
		err1 := c.Eval(env, &r1)
		err2 := c.Eval(env, &r2)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("Eval twice = %v, then %v", err1, err2)
		}
		if err1 != nil {
			var re *rules.RuntimeError
			if !errors.As(err1, &re) || re.Line < 1 || re.Column < 1 {
				t.Fatalf("Eval = %T %v, want a placed *rules.RuntimeError", err1, err1)
			}
			return
		}
		if !r1.TakesEffect.Valid() {
			t.Fatalf("Eval gave takes_effect %d, not a day", r1.TakesEffect)
		}
		for i := range r1.Passed {
			if r1.Passed[i] != r2.Passed[i] {
				t.Fatalf("rule %d: Eval twice gave %v, then %v", i, r1.Passed[i], r2.Passed[i])
			}
		}
		for i, v := range r1.Facts() { // the facts the rules did not need are computed now
			if v.Kind() == rules.Invalid || !v.Equal(r2.Fact(i)) {
				t.Fatalf("fact %s = %v, then %v", s.Facts[i].Name, v, r2.Fact(i))
			}
		}
	})
}
