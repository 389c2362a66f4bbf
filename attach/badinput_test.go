package attach_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// The bad-input catalogue: ../testdata/bad/applications.jsonl holds malformed applications,
// ../testdata/bad/rules.jsonl broken rule sets (files under ../testdata/bad/rules/), each
// with the exact error text it must produce. go test ./attach -run BadInput -update
// rewrites the expected texts.
const badDir = "../testdata/bad"

// badCase is one line of a catalogue.
type badCase struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Input  string `json:"input,omitempty"` // an application: one line as the checker reads it
	File   string `json:"file,omitempty"`  // a rule set, relative to badDir
	Phase  string `json:"phase,omitempty"` // for a rule set: "compile", "engine" (New refuses it) or "decide"
	Error  string `json:"error"`           // the exact error text
}

func readCatalogue(t *testing.T, name string) []badCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(badDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var cases []badCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var c badCase
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		if c.Name == "" || c.Reason == "" {
			t.Fatalf("%s:%d: every case needs a name and a reason", name, n)
		}
		cases = append(cases, c)
	}
	return cases
}

func writeCatalogue(t *testing.T, name string, cases []badCase) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(badDir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkCatalogue compares every case's error with the one produced, or rewrites them.
func checkCatalogue(t *testing.T, name string, cases []badCase, produce func(t *testing.T, c badCase) string) {
	t.Helper()
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t *testing.T) {
			got := produce(t, *c)
			if *update {
				c.Error = got
				return
			}
			if got != c.Error {
				t.Errorf("%s: error = %q\nwant %q\n(%s; refresh with -update)", c.Name, got, c.Error, c.Reason)
			}
		})
	}
	if *update {
		writeCatalogue(t, name, cases)
	}
}

func TestBadInputApplications(t *testing.T) {
	cases := readCatalogue(t, "applications.jsonl")
	if len(cases) < 30 {
		t.Fatalf("the catalogue holds %d malformed applications; want at least 30", len(cases))
	}
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	checkCatalogue(t, "applications.jsonl", cases, func(t *testing.T, c badCase) string {
		app, err := attach.DecodeApplication([]byte(c.Input))
		if err == nil {
			_, err = eng.Decide(app)
		}
		if err == nil {
			t.Fatalf("Decide(%s) = a decision, want an error (%s)", c.Name, c.Reason)
		}
		var inv *attach.InvalidApplicationError
		var none *attach.NoRuleSetError
		switch {
		case errors.As(err, &inv):
			if len(inv.Problems) == 0 {
				t.Errorf("Decide(%s): InvalidApplicationError with no problem", c.Name)
			}
			for _, p := range inv.Problems {
				if p == nil || p.Message == "" {
					t.Errorf("Decide(%s): problem without a message: %#v", c.Name, p)
				}
			}
		case errors.As(err, &none):
		default:
			t.Errorf("Decide(%s) = %T %v, want *InvalidApplicationError or *NoRuleSetError", c.Name, err, err)
		}
		return err.Error()
	})
}

// badApp is the application the broken rule sets that compile are asked to decide.
func badApp() *attach.Application {
	return &attach.Application{
		ID:          "B1",
		SubmittedAt: time.Date(2026, 10, 5, 10, 0, 0, 0, time.FixedZone("", 5*3600)),
		Channel:     attach.Egov,
		Signed:      true,
		Citizen:     attach.Citizen{IIN: "791028302728", Residency: attach.CitizenOfKazakhstan, AddressCode: "751110000"},
		Clinic:      attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111"}},
		Doctor:      attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: 1500},
	}
}

func TestBadInputRuleSets(t *testing.T) {
	cases := readCatalogue(t, "rules.jsonl")
	compile := 0
	for _, c := range cases {
		if c.Phase == "compile" {
			compile++
		}
	}
	if compile < 15 {
		t.Fatalf("the catalogue holds %d broken rule sets; want at least 15", compile)
	}
	checkCatalogue(t, "rules.jsonl", cases, func(t *testing.T, c badCase) string {
		doc, err := os.ReadFile(filepath.Join(badDir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		h, err := rules.ParseHistory(rules.Document{Data: doc})
		var eng *attach.Engine
		if err == nil {
			eng, err = attach.New(h)
		}
		if c.Phase == "compile" || c.Phase == "engine" { // engine: the rules compile, New refuses the history
			if err == nil {
				t.Fatalf("ParseHistory and New(%s) succeeded, want an error (%s)", c.File, c.Reason)
			}
			var es rules.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("New(%s) = %T %v, want rules.Errors", c.File, err, err)
			}
			for _, e := range es {
				if e.Message == "" {
					t.Errorf("New(%s): an error without a message: %#v", c.File, e)
				}
				if e.Rule == "" && e.Fact == "" && e.Field == "" && e.Line == 0 {
					t.Errorf("New(%s): an error placed nowhere: %v", c.File, e)
				}
			}
			return es.Details()
		}
		if err != nil {
			t.Fatalf("New(%s) = %v, want a set that compiles and fails while deciding", c.File, err)
		}
		d, err := eng.Decide(badApp())
		var re *rules.RuntimeError
		if !errors.As(err, &re) {
			t.Fatalf("Decide(%s) = %v, %v; want a *rules.RuntimeError", c.File, d.Outcome, err)
		}
		if d.Outcome != attach.Undecided || d.Approved() || len(d.Failed) != 0 {
			t.Errorf("Decide(%s) = %v %v with a runtime error; want no decision", c.File, d.Outcome, d.Failed)
		}
		if re.Line < 1 || re.Column < 1 || re.Set != "bad" {
			t.Errorf("Decide(%s): runtime error not placed: %+v", c.File, re)
		}
		return err.Error()
	})
}
