package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/emkhana/emkhana/examples/internal/jsonpos"
	"github.com/emkhana/emkhana/rules"
)

// Scenario files, as -test reads them. A scenario is an application and what deciding
// it must give:
//
//	{"name": "full doctor", "reason": "why it is there", "rules": "norm-1700.json",
//	 "application": {...},
//	 "expect": {"outcome": "rejected", "failed": ["capacity"], "rule_set": "kz-2023"}}
//
// "application" is an application in the checker's form; "expect" holds any of outcome
// ("approved" or "rejected"), failed (every rule that fails, in any order; [] for
// none), effective_from, effective_until ("YYYY-MM-DD", "" for none) and rule_set, and
// at least one of them. "name" (the application's id when left out), "reason" and
// "rules" are optional; "rules" names a rule-set file, relative to the scenario file,
// that decides the scenario instead of the built-in history or the -rules sets, as
// -rules FILE would. Keys are matched exactly, and a key that is not one of these is an
// error: a misspelt expectation must not pass unchecked.
//
// A file holds one scenario as a JSON object, laid out as the author likes, or many as
// JSON Lines, one object per line; blank lines are skipped.

// scenario is one scenario as its file writes it.
type scenario struct {
	Name        string         `json:"name,omitempty"`
	Reason      string         `json:"reason,omitempty"`
	Rules       string         `json:"rules,omitempty"`
	Application jsontext.Value `json:"application"`
	Expect      *expectation   `json:"expect"`
}

// expectation is what a scenario must give; a nil field is not checked.
type expectation struct {
	Outcome        *string   `json:"outcome,omitempty"`
	Failed         *[]string `json:"failed,omitempty"`
	EffectiveFrom  *string   `json:"effective_from,omitempty"`
	EffectiveUntil *string   `json:"effective_until,omitempty"`
	RuleSet        *string   `json:"rule_set,omitempty"`
}

// scenarioCase is a scenario read from a file, with where it is.
type scenarioCase struct {
	file string // the file, as named on the command line or found in a directory
	line int    // the line its object starts on, from 1
	sc   scenario
	// problem is why the scenario cannot be run (its text is not a scenario), with its
	// position (line:col) when known; "" for a scenario that can be run.
	problem string
	col     int
}

// where names the scenario as its failure line does: "file:line" or "file:line:col".
func (c *scenarioCase) where() string {
	if c.col > 0 {
		return fmt.Sprintf("%s:%d:%d", c.file, c.line, c.col)
	}
	return fmt.Sprintf("%s:%d", c.file, c.line)
}

// scenarioFiles returns the scenario files of the paths, in order: a file as it is
// named, and in a directory and its subdirectories, in lexical order, every file
// ending in .jsonl, and every one ending in .json that is not a rule set (whose object
// has "extends" or a list of "rules"): a scenario's set file may sit beside it. An
// unreadable path, or a path that holds no scenario file, is an error.
func scenarioFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			if err := readable(p); err != nil {
				return nil, err
			}
			files = append(files, p)
			continue
		}
		n := len(files)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".jsonl":
				files = append(files, path)
			case ".json":
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				if !isRuleSet(data) {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(files) == n {
			return nil, fmt.Errorf("%s holds no scenario file (*.json, *.jsonl)", p)
		}
	}
	return files, nil
}

// isRuleSet reports whether data is a JSON object with the keys of a rule set: a list
// of "rules", or "extends".
func isRuleSet(data []byte) bool {
	var top map[string]jsontext.Value
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	_, extends := top["extends"]
	return extends || top["rules"].Kind() == '['
}

// readScenarios reads the scenarios of one file. A scenario that cannot be read is
// returned with its problem, so that it fails in its place and the others still run.
func readScenarios(file string, data []byte) []scenarioCase {
	if len(bytes.TrimSpace(data)) == 0 {
		return []scenarioCase{{file: file, line: 1, problem: "empty file; want a scenario object, or JSON Lines of them"}}
	}
	start := int64(len(data) - len(bytes.TrimLeft(data, " \t\r\n")))
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	_, err := dec.ReadValue()
	end := dec.InputOffset()
	if err == nil {
		if _, err = dec.ReadToken(); err == io.EOF {
			first, _ := jsonpos.LineCol(data, start)
			c := parseScenario(file, data, 1)
			if c.col == 0 {
				c.line = first
			}
			return []scenarioCase{c}
		}
	}
	// Not one JSON value: JSON Lines when its first line is one, else one broken object.
	first, _, _ := bytes.Cut(data[start:], []byte("\n"))
	if !jsontext.Value(bytes.TrimSpace(first)).IsValid() {
		whole := scenarioCase{file: file, line: 1}
		if err == nil { // a second value after the first
			whole.problem = "more after the scenario's closing brace: a file holds one scenario object, or JSON Lines of them, one per line"
			next := end + int64(len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n")))
			whole.line, whole.col = jsonpos.LineCol(data, next)
		} else {
			whole.problem = "not valid JSON: " + jsonMessage(err)
			if off, ok := errOffset(err); ok {
				whole.line, whole.col = jsonpos.LineCol(data, off)
			}
		}
		return []scenarioCase{whole}
	}
	var cases []scenarioCase
	for i, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			cases = append(cases, parseScenario(file, bytes.TrimSuffix(l, []byte("\r")), i+1))
		}
	}
	return cases
}

// parseScenario reads the scenario text, which starts at the beginning of line line of
// the file. A problem's position is placed from there.
func parseScenario(file string, text []byte, line int) scenarioCase {
	c := scenarioCase{file: file, line: line}
	fail := func(at int64, msg string) scenarioCase {
		c.problem = msg
		if at >= 0 {
			l, col := jsonpos.LineCol(text, at)
			c.line, c.col = line+l-1, col
		}
		return c
	}
	if err := json.Unmarshal(text, &c.sc, json.RejectUnknownMembers(true)); err != nil {
		at, ok := errOffset(err)
		if !ok {
			at = -1
		}
		return fail(at, "not a scenario: "+jsonMessage(err))
	}
	if len(c.sc.Application) == 0 {
		return fail(-1, `not a scenario: it has no "application"`)
	}
	if msg := c.sc.Expect.problem(); msg != "" {
		return fail(-1, "not a scenario: "+msg)
	}
	return c
}

// problem says what is wrong with an expectation's values, or "".
func (e *expectation) problem() string {
	if e == nil || *e == (expectation{}) {
		return `"expect" must say what the scenario gives: one or more of outcome, failed, effective_from, effective_until and rule_set`
	}
	if e.Outcome != nil && *e.Outcome != "approved" && *e.Outcome != "rejected" {
		return fmt.Sprintf(`expect.outcome: must be "approved" or "rejected", not %q`, *e.Outcome)
	}
	for _, d := range []struct {
		key string
		v   *string
	}{{"effective_from", e.EffectiveFrom}, {"effective_until", e.EffectiveUntil}} {
		if d.v == nil || *d.v == "" {
			continue
		}
		if _, err := rules.ParseDate(*d.v); err != nil {
			return fmt.Sprintf("expect.%s: must be a date YYYY-MM-DD, or \"\" for none: %v", d.key, err)
		}
	}
	if e.Failed != nil && slices.Contains(*e.Failed, "") {
		return "expect.failed: a rule id must not be empty"
	}
	return ""
}

// jsonMessage is a JSON error as a scenario's failure line says it: where in the
// scenario, and what is wrong.
func jsonMessage(err error) string {
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of the scenario"
	case errors.As(err, &sem):
		key := strings.ReplaceAll(strings.TrimPrefix(string(sem.JSONPointer), "/"), "/", ".")
		switch {
		case errors.Is(sem.Err, json.ErrUnknownName):
			return fmt.Sprintf("%s: is not a key of a scenario (name, reason, rules, application, expect; expect holds outcome, failed, effective_from, effective_until, rule_set)", key)
		case sem.Err != nil && strings.Contains(sem.Err.Error(), "duplicate"):
			return fmt.Sprintf("%s: is given twice", key)
		case sem.GoType != nil:
			return fmt.Sprintf("%s: must be %s, not %s", key, jsonKindOf(sem.GoType.String()), kindWord(sem.JSONKind))
		}
		return key + ": " + strings.TrimPrefix(sem.Error(), "json: ")
	case errors.As(err, &syn):
		return strings.TrimPrefix(syn.Err.Error(), "jsontext: ")
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKindOf names the JSON form of a Go type of scenario.
func jsonKindOf(goType string) string {
	switch strings.TrimLeft(goType, "*") {
	case "string":
		return "a string"
	case "[]string":
		return "a list of strings"
	}
	return "an object"
}

// kindWord names a JSON kind.
func kindWord(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	case '{':
		return "an object"
	case '[':
		return "a list"
	}
	return "something else"
}

// errOffset returns the byte offset a JSON error names.
func errOffset(err error) (int64, bool) {
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &syn):
		return syn.ByteOffset, true
	case errors.As(err, &sem):
		return sem.ByteOffset, true
	}
	return 0, false
}
