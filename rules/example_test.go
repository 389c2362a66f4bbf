package rules_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/emkhana/emkhana/rules"
)

// A rule set is a JSON document. Compile reports every broken expression at once, each
// with its rule id, its line and column in the document, and what was expected.
func ExampleCompile_error() {
	h, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: []byte(`{
	  "id": "pilot",
	  "effective_from": "2027-01-01",
	  "params": [{"name": "capacity", "type": "int", "value": 1700}],
	  "facts": [{"name": "attached", "expr": "doctor.attached"}],
	  "takes_effect": "application.date",
	  "rules": [
	    {"id": "capacity", "expr": "attached < params.capacty",
	     "source": {"publisher": "pilot order", "lang": "en", "quote": "1,700 per doctor"}},
	    {"id": "adult", "expr": "citizen.age + 18",
	     "source": {"publisher": "pilot order", "lang": "en", "quote": "adults only"}}
	  ]
	}`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = rules.Compile(h)
	var es rules.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Printf("rule %s, line %d, column %d: %s\n", e.Rule, e.Line, e.Column, e.Message)
		}
	}
	// Output:
	// rule capacity, line 8, column 52: the set has no parameter capacty
	// rule adult, line 10, column 31: expected bool, but got int
}

// The built-in history holds one set per period of the law; the one in force on the
// application's local submission date decides.
func ExampleBuiltin() {
	h := rules.Builtin()
	for _, s := range h {
		capacity, _ := s.Param("capacity")
		start, _ := s.Param("campaign_start")
		end, _ := s.Param("campaign_end")
		fmt.Printf("%s from %s: campaign %s to %s, %s per doctor, %d rules\n",
			s.ID, s.EffectiveFrom, start.Value, end.Value, capacity.Value, len(s.Rules))
	}
	set, _ := h.At(rules.NewDate(2022, 12, 31))
	fmt.Println("in force on 2022-12-31:", set.ID)
	// Output:
	// kz-2018 from 2018-01-01: campaign 09-15 to 11-15, 2000 per doctor, 8 rules
	// kz-2023 from 2023-01-01: campaign 09-01 to 11-01, 2000 per doctor, 9 rules
	// kz-2025 from 2025-05-12: campaign 09-01 to 11-01, 2000 per doctor, 10 rules
	// in force on 2022-12-31: kz-2018
}

// Parameters are data: a copy of a set with another value is one call, checked against
// the parameter's type.
func ExampleSet_WithParam() {
	h := rules.Builtin()
	pilot, err := h[1].WithParam("capacity", rules.ValueOf(1700))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := pilot.Param("capacity")
	fmt.Println("capacity:", p.Value)
	_, err = h[1].WithParam("capacity", rules.ValueOf("many"))
	fmt.Println(err)
	// Output:
	// capacity: 1700
	// rules: kz-2023: params.capacity: is of type int, not string
}

// Eval decides the rules; the facts are read afterwards with Fact or Facts, which compute
// those the rules did not need (here free_places, which only the trace shows). The inputs
// left out of the Env are Optional ones (citizen.insured, citizen.current_clinic_id, ...),
// which read as their defaults.
func ExampleCompiled_Eval() {
	p, err := rules.Compile(rules.Builtin())
	if err != nil {
		panic(err)
	}
	c, _ := p.At(20261005)
	var env rules.Env
	for name, v := range map[string]rules.Value{
		"citizen.residency":              rules.ValueOf("citizen"),
		"citizen.age":                    rules.ValueOf(40),
		"citizen.address_code":           rules.ValueOf("751110000"),
		"clinic.id":                      rules.ValueOf("C1"),
		"clinic.fund_provider":           rules.ValueOf(true),
		"clinic.service_area":            rules.ValueOf([]string{"7511"}),
		"doctor.id":                      rules.ValueOf("D1"),
		"doctor.specialty":               rules.ValueOf("therapist"),
		"doctor.attached":                rules.ValueOf(1990),
		"application.id":                 rules.ValueOf("A"),
		"application.channel":            rules.ValueOf("egov"),
		"application.signed":             rules.ValueOf(true),
		"application.waives_home_visits": rules.ValueOf(false),
		"application.date":               rules.ValueOf(rules.Date(20261005)),
		"application.month_day":          rules.ValueOf(rules.MonthDay(1005)),
		"application.year":               rules.ValueOf(2026),
	} {
		if err := env.Set(name, v); err != nil {
			fmt.Println(err)
			return
		}
	}
	var r rules.Result
	if err := c.Eval(&env, &r); err != nil {
		fmt.Println(err)
		return
	}
	failed := 0
	for _, passed := range r.Passed {
		if !passed {
			failed++
		}
	}
	facts := r.Facts()
	for i, f := range c.Set().Facts {
		if f.Name == "free_places" || f.Name == "first_attachment" {
			fmt.Printf("%s = %v\n", f.Name, facts[i])
		}
	}
	fmt.Printf("%d rules failed; takes effect %s\n", failed, r.TakesEffect)
	// Output:
	// first_attachment = true
	// free_places = 10
	// 0 rules failed; takes effect 2026-10-05
}

// Limits are options of Compile: set the limits you need, and those left 0 keep their
// defaults. A negative limit is an error naming it.
func ExampleWithLimits() {
	l := rules.Limits{MaxRules: 4}
	_, err := rules.Compile(rules.Builtin(), rules.WithLimits(l))
	fmt.Println(err)
	l.MaxRules = -1
	_, err = rules.Compile(rules.Builtin(), rules.WithLimits(l))
	fmt.Println(err)
	// Output:
	// rules: builtin/kz-2018.json:207:12: kz-2018: rules: 8 rules; at most 4 are allowed, and 2 other error(s)
	//  |   "rules": [
	//  | ...........^
	// rules: WithLimits: MaxRules is -1; a limit is at least 1, or 0 for its default
}

// Compile refuses a set that could make one decision slow: here two nested loops of 9,000
// steps each. The error is placed at the outer loop.
func ExampleCompile_cost() {
	h, _ := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: []byte(`{
	  "id": "pilot",
	  "effective_from": "2027-01-01",
	  "takes_effect": "application.date",
	  "rules": [
	    {"id": "signed", "expr": "let R = 1..9000; application.signed && all(R, all(R, # > 0))",
	     "source": {"publisher": "pilot order", "lang": "en", "quote": "signed applications only"},
	     "messages": {"kk": "-", "ru": "-", "en": "-"}}
	  ]
	}`)})
	_, err := rules.Compile(h)
	var es rules.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Printf("rule %s, line %d, column %d: %s\n", e.Rule, e.Line, e.Column, e.Message)
		}
	}
	// Output:
	// rule signed, line 6, column 71: the worst-case cost of this expression is 648099025, above the limit of 500000 (Limits.MaxCost)
}

// An analyst's set extends a built-in one in a few lines: here it adds a rule after
// capacity, with its messages and its source. ParseHistory reads the documents; Compile
// reports a broken expression with the document's name and the position of the mistake
// in it, line and column, as an editor shows them.
func ExampleParseHistory() {
	doc := []byte(`{
  "id": "pilot-adults",
  "extends": "kz-2025",
  "effective_from": "2027-01-01",
  "title": "A pilot: only adults attach to therapists.",
  "rules": [
    {"id": "adults_only", "after": "capacity",
     "expr": "doctor.specialty != 'therapist' || citizen.age >= 18",
     "messages": {
       "kk": "Терапевтке тек ересектер тіркеледі.",
       "ru": "К терапевту прикрепляются только взрослые.",
       "en": "Only adults register with a therapist."},
     "source": {"publisher": "pilot order", "lang": "en", "quote": "adults only"}}
  ]
}`)
	sets, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: doc})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := rules.Compile(append(rules.Builtin(), sets...))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := p.At(20270105)
	ids := []string{}
	for _, r := range c.Set().Rules {
		ids = append(ids, r.ID)
	}
	fmt.Println(c.ID(), ids)

	// The same document with a typo.
	broken := bytes.Replace(doc, []byte("citizen.age"), []byte("citizen.agee"), 1)
	sets, _ = rules.ParseHistory(rules.Document{Name: "pilot.json", Data: broken})
	_, err = rules.Compile(append(rules.Builtin(), sets...))
	fmt.Println(err)
	// Output:
	// pilot-adults [residency fund_provider signature already_attached specialty_age territory home_visits capacity adults_only campaign once_a_year]
	// rules: pilot.json:8:58: pilot-adults: rule adults_only: expr: citizen has no input agee; its inputs are residency, insured, age, address_code, actual_address_code, pregnant, contract_until, current_clinic_id, current_doctor_id, attached_since
	//  |      "expr": "doctor.specialty != 'therapist' || citizen.agee >= 18",
	//  | .........................................................^
}
