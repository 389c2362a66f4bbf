package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// runIn runs the command in-process and returns its exit status, standard output and
// standard error.
func runIn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestScenarioFilesOfTheProject runs testdata/scenarios through -test: each states its
// outcome, failed rules, effective date and rule set, taken from its golden file.
func TestScenarioFilesOfTheProject(t *testing.T) {
	files, err := filepath.Glob("../../testdata/scenarios/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	code, out, stderr := runIn(t, "-test", "../../testdata/scenarios")
	require.Equal(t, exitDecided, code, "attachcheck -test testdata/scenarios: %s%s", out, stderr)
	assert.Equal(t, strconv.Itoa(len(files))+" passed, 0 failed\n", out)
	for _, f := range files {
		assert.Contains(t, readFile(t, f), `"expect": {`, "%s states what it must give", f)
	}
}

// The 2026 proposal's scenarios, each decided by the reform alone (its "rules"), and one
// by the law in force for contrast.
func TestReformScenarios(t *testing.T) {
	lines := strings.Count(readFile(t, "../../testdata/reforms/scenarios.jsonl"), "\n")
	require.GreaterOrEqual(t, lines, 8)
	code, out, stderr := runIn(t, "-test", "../../testdata/reforms")
	require.Equal(t, exitDecided, code, "attachcheck -test testdata/reforms: %s%s", out, stderr)
	assert.Equal(t, strconv.Itoa(lines)+" passed, 0 failed\n", out)
}

// app is an application line of the README: approved by the newest built-in set (a
// change in the campaign, from 2027-01-01), with 1,500 attached to its doctor.
const app = `{"id":"A1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`

// newest is the id of the newest built-in set, which decides app.
var newest = func() string { h := rules.Builtin(); return h[len(h)-1].ID }()

func TestScenarioFailures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		return path
	}
	tests := []struct {
		name, reason, content string
		want                  []string // the output lines, the last "N passed, M failed"
	}{
		{"pass", "a scenario that gives what it expects", `{"application":` + app + `,"expect":{"outcome":"approved","failed":[],"effective_from":"2027-01-01","rule_set":"` + newest + `"}}`,
			[]string{"1 passed, 0 failed"}},
		{"wrong outcome", "every key that differs is named, with what was got and wanted; the name is the application's id",
			"{\n  \"reason\": \"r\",\n  \"application\": " + app + ",\n  \"expect\": {\"outcome\": \"rejected\", \"failed\": [\"capacity\"], \"effective_from\": \"\", \"rule_set\": \"" + newest + "\"}\n}\n",
			[]string{`FAIL FILE:1 A1: outcome: got "approved", want "rejected"; failed: got [], want ["capacity"]; effective_from: got "2027-01-01", want ""`, "0 passed, 1 failed"}},
		{"failed in any order", "failed lists the rules that fail, in any order",
			`{"name":"far and full","application":` + strings.NewReplacer(`"751110000"`, `"751130000"`, `1500`, `2000`).Replace(app) + `,"expect":{"failed":["capacity","home_visits"]}}`,
			[]string{"1 passed, 0 failed"}},
		{"JSON Lines", "one scenario per line, blank lines skipped; each failure names its line, a malformed line its column",
			`{"name":"ok","application":` + app + `,"expect":{"outcome":"approved"}}` + "\n\n" +
				`{"name":"wrong","application":` + app + `,"expect":{"rule_set":"kz-2018"}}` + "\n" +
				`{"name":"typo","application":` + app + `,"expect":{"outcom":"approved"}}` + "\n" +
				`{"name":"bad outcome","application":` + app + `,"expect":{"outcome":"aproved"}}` + "\n" +
				`{"name":"no expectation","application":` + app + "}\n" +
				`{"application":` + strings.Replace(app, "960510300428", "123456789012", 1) + `,"expect":{"outcome":"approved"}}` + "\n" +
				`{"name":"cut",` + "\n",
			[]string{
				`FAIL FILE:3 wrong: rule_set: got "` + newest + `", want "kz-2018"`,
				`FAIL FILE:4:416: not a scenario: expect.outcom: is not a key of a scenario (name, reason, rules, application, expect; expect holds outcome, failed, effective_from, effective_until, rule_set)`,
				`FAIL FILE:5: not a scenario: expect.outcome: must be "approved" or "rejected", not "aproved"`,
				`FAIL FILE:6: not a scenario: "expect" must say what the scenario gives: one or more of outcome, failed, effective_from, effective_until and rule_set`,
				`FAIL FILE:7 A1: the application is invalid: citizen.iin: check digit does not match (got "123456789012")`,
				`FAIL FILE:8:15: not a scenario: unexpected end of the scenario`,
				"1 passed, 6 failed"}},
		{"broken object", "a scenario object with a syntax error fails at its line and column",
			"{\n  \"application\": " + app + ",\n  \"expect\": {\"outcome\": approved}\n}\n",
			[]string{`FAIL FILE:3:25: not valid JSON: invalid character 'a' at start of value`, "0 passed, 1 failed"}},
		{"two objects", "two objects one after the other, not one per line",
			"{\"application\": " + app + ",\n \"expect\": {\"outcome\": \"approved\"}}\n{\n}\n",
			[]string{`FAIL FILE:3:1: more after the scenario's closing brace: a file holds one scenario object, or JSON Lines of them, one per line`, "0 passed, 1 failed"}},
		{"empty", "an empty file is not a scenario", "\n", []string{"FAIL FILE:1: empty file; want a scenario object, or JSON Lines of them", "0 passed, 1 failed"}},
		{"broken set", "a scenario whose set file does not compile fails with the set's problems",
			`{"name":"pilot","rules":"broken.json","application":` + app + `,"expect":{"outcome":"approved"}}`,
			[]string{`FAIL FILE:1 pilot: rules DIR/broken.json: 1 problem(s): rules: DIR/broken.json:1:35: unknown field "valeus"`, "0 passed, 1 failed"}},
	}
	write("broken.json", `{"id":"pilot","extends":"kz-2023","valeus":{"capacity":1700}}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := write(strings.ReplaceAll(tt.name, " ", "-")+".json", tt.content)
			code, out, stderr := runIn(t, "-test", file)
			want := strings.Join(tt.want, "\n") + "\n"
			want = strings.NewReplacer("FILE", file, "DIR", dir).Replace(want)
			assert.Equal(t, want, out, "-test %s (%s); stderr: %s", tt.name, tt.reason, stderr)
			wantCode := exitDecided
			if strings.HasPrefix(tt.want[0], "FAIL") {
				wantCode = exitInvalid
			}
			assert.Equal(t, wantCode, code, "-test %s: exit status", tt.name)
		})
	}
}

// TestScenarioDirectory runs a directory: its scenario files, and not the rule set that
// its scenarios name, which sits beside them. -coverage reports each rule of the set.
func TestScenarioDirectory(t *testing.T) {
	code, out, stderr := runIn(t, "-test", "-coverage", "../../testdata/norm-1700")
	require.Equal(t, exitDecided, code, "%s%s", out, stderr)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Equal(t, "coverage of norm-1700 (../../testdata/norm-1700/norm-1700.json): 3 scenario(s)", lines[0])
	assert.Contains(t, lines, "  capacity          passed in 2, failed in 1", "a rule seen passing and failing")
	assert.Contains(t, lines, "  residency         passed in 3, failed in 0  never seen failing", "a rule no scenario saw failing")
	assert.Regexp(t, `^  \d+ of \d+ rules never seen failing: residency, .*`, lines[len(lines)-2])
	assert.Equal(t, "3 passed, 0 failed", lines[len(lines)-1])
}

// TestScenarioEffectiveUntil: a scenario may expect effective_until; it is compared
// when decisions carry it (attach.Decision.EffectiveUntil), and fails saying so when
// they do not.
func TestScenarioEffectiveUntil(t *testing.T) {
	file := filepath.Join(t.TempDir(), "until.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"application":`+app+`,"expect":{"effective_until":""}}`), 0o644))
	_, out, _ := runIn(t, "-test", file)
	if _, ok := reflect.TypeOf(attach.Decision{}).FieldByName("EffectiveUntil"); ok {
		assert.NotContains(t, out, "gives no effective_until")
		return
	}
	assert.Equal(t, "FAIL "+file+":1 A1: effective_until: this version of the engine gives no effective_until\n0 passed, 1 failed\n", out)
}

func TestScenarioUsage(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	tests := []struct {
		name, reason string
		args         []string
		stderr       string
	}{
		{"no path", "-test needs something to run", []string{"-test"}, "-test needs a scenario FILE or directory"},
		{"missing path", "an unreadable path", []string{"-test", dir + "/missing.json"}, "no such file or directory"},
		{"no scenario files", "a directory with no *.json or *.jsonl", []string{"-test", dir}, "holds no scenario file"},
		{"coverage alone", "-coverage goes with -test", []string{"-coverage", "../../testdata/scenarios"}, "-coverage needs -test"},
		{"another mode", "-test is a mode of its own", []string{"-test", "-campaign", "../../testdata/scenarios"}, "-test cannot be used with -campaign"},
		{"lang", "-lang shapes plain mode only", []string{"-test", "-lang", "ru", "../../testdata/scenarios"}, "-test cannot be used with -lang"},
		{"broken -rules", "the -rules set does not compile", []string{"-rules", "../../testdata/bad/rules/truncated.json", "-test", "../../testdata/scenarios"}, "problem(s) in the rule sets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runIn(t, tt.args...)
			assert.Equal(t, exitUsage, code, "attachcheck %v (%s)", tt.args, tt.reason)
			assert.Empty(t, out, "a usage error writes nothing")
			assert.Contains(t, stderr, tt.stderr)
		})
	}
}

// TestScenarioWriteFailure: -test stops at a write that fails, with status 3.
func TestScenarioWriteFailure(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"-test", "../../testdata/scenarios"}, strings.NewReader(""), &failingWriter{}, &stderr)
	assert.Equal(t, exitWrite, code)
	assert.Contains(t, stderr.String(), "writing the output")
}
