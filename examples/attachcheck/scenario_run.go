package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// -test runs scenario files (scenario.go) and writes, like go test, one line per
// scenario that fails,
//
//	FAIL testdata/kit/norm-1700.jsonl:2 capacity-1800: outcome: got "approved", want "rejected"
//
// naming its file and line, and for a scenario that cannot be read, the column; with
// -coverage, what each rule of each set the scenarios reached was seen doing; and last
// "N passed, M failed". A scenario whose text is not a scenario, whose application is
// invalid or cannot be decided, or whose rule-set file cannot be read or compiled
// fails in its place: the others still run. The exit status is 1 when one fails.

// tester runs scenarios and keeps the counts and the coverage.
type tester struct {
	def    *testEngine            // the engine of the built-in history or of the -rules sets
	sets   map[string]*testEngine // the engines of the scenarios' own set files, by path
	cov    coverage
	passed int
	failed int
}

// testEngine is an engine and what the coverage calls it; err when its rules do not
// compile.
type testEngine struct {
	eng   *attach.Engine
	label string
	err   error
}

// runTests runs the scenarios of the files and directories of cfg.files with eng, the
// engine of the built-in history or of the -rules sets. It reads every file before it
// writes: an unreadable path is returned, and then nothing is written.
func runTests(eng *attach.Engine, cfg *config, out *output) error {
	files, err := scenarioFiles(cfg.files)
	if err != nil {
		return err
	}
	var cases []scenarioCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		cases = append(cases, readScenarios(f, data)...)
	}
	label := "built-in"
	if len(cfg.rules) > 0 {
		label = strings.Join(cfg.rules, ", ")
	}
	t := &tester{def: &testEngine{eng: eng, label: label}, sets: map[string]*testEngine{}}
	for i := range cases {
		c := &cases[i]
		name, msg := t.run(c)
		if msg == "" {
			t.passed++
			continue
		}
		t.failed++
		out.invalid++
		line := "FAIL " + c.where()
		if name != "" {
			line += " " + name
		}
		if err := out.text(line + ": " + msg); err != nil {
			return err
		}
	}
	if cfg.coverage {
		if err := t.cov.write(out); err != nil {
			return err
		}
	}
	return out.text(fmt.Sprintf("%d passed, %d failed", t.passed, t.failed))
}

// text writes s as one line. It returns the first write error, now or before.
func (o *output) text(s string) error {
	if o.err != nil {
		return o.err
	}
	if _, err := o.w.WriteString(s + "\n"); err != nil {
		o.err = err
	}
	return o.err
}

// run decides one scenario and returns its name and what differed from its
// expectation, "" when nothing did.
func (t *tester) run(c *scenarioCase) (name, failure string) {
	if c.problem != "" {
		return "", c.problem
	}
	sc := &c.sc
	name = sc.Name
	te := t.def
	if sc.Rules != "" {
		path := sc.Rules
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(c.file), path)
		}
		te = t.engineOf(path)
	}
	app, err := attach.DecodeApplication(sc.Application)
	if name == "" {
		name = errorID(err)
		if app != nil {
			name = app.ID
		}
	}
	switch {
	case te.err != nil:
		return name, fmt.Sprintf("rules %s: %s", te.label, rulesText(te.err))
	case err != nil:
		return name, "the application is invalid: " + errorText(err)
	}
	d, err := te.eng.Decide(app)
	var inv *attach.InvalidApplicationError
	switch {
	case errors.As(err, &inv):
		return name, "the application is invalid: " + errorText(err)
	case err != nil:
		return name, "the application cannot be decided: " + errorText(err)
	}
	t.cov.record(te.label, &d)
	return name, strings.Join(sc.Expect.diff(&d), "; ")
}

// engineOf returns the engine of a scenario's set file, compiled once.
func (t *tester) engineOf(path string) *testEngine {
	if te, ok := t.sets[path]; ok {
		return te
	}
	te := &testEngine{label: path}
	h, err := history([]string{path})
	if err == nil {
		te.eng, err = attach.New(h)
	}
	te.err = err
	t.sets[path] = te
	return te
}

// rulesText is a rule-set error on one line: its problems without their snippets.
func rulesText(err error) string {
	var es rules.Errors
	if !errors.As(err, &es) {
		return err.Error()
	}
	parts := make([]string, len(es))
	for i, e := range es {
		c := *e
		c.Snippet = ""
		parts[i] = c.Error()
	}
	return fmt.Sprintf("%d problem(s): %s", len(es), strings.Join(parts, "; "))
}

// diff returns what the decision gives that the expectation does not want, one text
// per key, in the order of the keys.
func (e *expectation) diff(d *attach.Decision) []string {
	var out []string
	str := func(key string, want *string, got string) {
		if want != nil && *want != got {
			out = append(out, fmt.Sprintf("%s: got %q, want %q", key, got, *want))
		}
	}
	str("outcome", e.Outcome, d.Outcome.String())
	if e.Failed != nil && !sameRules(*e.Failed, d.Failed) {
		out = append(out, fmt.Sprintf("failed: got %s, want %s", jsonList(d.Failed), jsonList(*e.Failed)))
	}
	str("effective_from", e.EffectiveFrom, d.EffectiveFrom.String())
	if e.EffectiveUntil != nil {
		if got, ok := effectiveUntil(d); ok {
			str("effective_until", e.EffectiveUntil, got)
		} else {
			out = append(out, "effective_until: this version of the engine gives no effective_until")
		}
	}
	str("rule_set", e.RuleSet, d.RuleSet)
	return out
}

// effectiveUntil returns the decision's EffectiveUntil as text, "" for none, and false
// when decisions have no such field.
func effectiveUntil(d *attach.Decision) (string, bool) {
	f := reflect.ValueOf(d).Elem().FieldByName("EffectiveUntil")
	if !f.IsValid() {
		return "", false
	}
	if f.Kind() == reflect.Pointer && f.IsNil() {
		return "", true
	}
	if s, ok := f.Interface().(fmt.Stringer); ok {
		return s.String(), true
	}
	return fmt.Sprint(f.Interface()), true
}

// sameRules reports whether two lists hold the same rule ids, in any order.
func sameRules(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// jsonList writes a list of rule ids as a scenario writes it: ["a","b"].
func jsonList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// coverage counts, for each rule of each set that decided a scenario, the scenarios
// that saw it pass and those that saw it fail.
type coverage struct {
	order []*setCoverage // in the order the scenarios first reached them
}

// setCoverage is the coverage of one set of one engine.
type setCoverage struct {
	label, set string
	scenarios  int
	rules      []string // the set's rules, in order
	passed     []int    // by rule
	failed     []int
}

// record counts a decision of the engine called label.
func (c *coverage) record(label string, d *attach.Decision) {
	i := slices.IndexFunc(c.order, func(s *setCoverage) bool { return s.label == label && s.set == d.RuleSet })
	trace := d.Trace()
	if i < 0 {
		s := &setCoverage{label: label, set: d.RuleSet, passed: make([]int, len(trace)), failed: make([]int, len(trace))}
		for _, st := range trace {
			s.rules = append(s.rules, st.Rule)
		}
		c.order = append(c.order, s)
		i = len(c.order) - 1
	}
	s := c.order[i]
	s.scenarios++
	for k, st := range trace {
		if st.Passed {
			s.passed[k]++
		} else {
			s.failed[k]++
		}
	}
}

// write writes the coverage of each set: a line naming it, a line per rule with the
// scenarios that saw it pass and fail, and the rules no scenario saw failing.
func (c *coverage) write(out *output) error {
	for _, s := range c.order {
		width := 0
		for _, r := range s.rules {
			width = max(width, len(r))
		}
		lines := []string{fmt.Sprintf("coverage of %s (%s): %d scenario(s)", s.set, s.label, s.scenarios)}
		var untested []string
		for k, r := range s.rules {
			l := fmt.Sprintf("  %-*s  passed in %d, failed in %d", width, r, s.passed[k], s.failed[k])
			if s.failed[k] == 0 {
				untested = append(untested, r)
				l += "  never seen failing"
			}
			if s.passed[k] == 0 {
				l += "  never seen passing"
			}
			lines = append(lines, l)
		}
		if len(untested) > 0 {
			lines = append(lines, fmt.Sprintf("  %d of %d rules never seen failing: %s", len(untested), len(s.rules), strings.Join(untested, ", ")))
		} else {
			lines = append(lines, fmt.Sprintf("  every rule seen failing (%d rules)", len(s.rules)))
		}
		for _, l := range lines {
			if err := out.text(l); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTest reports the first problem of a command line with -test or -coverage: a
// flag of another mode, -coverage without -test, no PATH.
func checkTest(cfg *config, given map[string]bool) error {
	if !given["test"] {
		return errors.New("-coverage needs -test")
	}
	for _, name := range []string{"options", "campaign", "compare", "keep-repeats", "explain", "lang", "max-line"} {
		if given[name] {
			return fmt.Errorf("-test cannot be used with -%s", name)
		}
	}
	if len(cfg.files) == 0 {
		return errors.New("-test needs a scenario FILE or directory")
	}
	return nil
}
