package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	approvedLine = `{"id":"A1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`
	rejectedLine = `{"id":"A2","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751130000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":2000}}`
	invalidLine  = `{"id":"A3","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"123456789012","residency":"citizen","address_code":"751110000"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`
)

// binary is the command built once by TestMain, for the tests that run it as a user does.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		os.Exit(m.Run()) // a fuzz worker runs the checker in-process only
	}
	dir, err := os.MkdirTemp("", "attachcheck-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "attachcheck")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building attachcheck:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// result is what a run of the command gave.
type result struct {
	out    []map[string]any // standard output, one JSON object per line
	stdout string
	stderr string
	code   int
}

// command runs the built command with args and stdin, as a user does.
func command(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running attachcheck %v: %v", args, err)
	}
	return result{out: lines(t, stdout.String()), stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// lines decodes the checker's output, one JSON object per line: a line that is not
// one fails the test.
func lines(t testing.TB, out string) []map[string]any {
	t.Helper()
	if out == "" {
		return nil
	}
	require.True(t, strings.HasSuffix(out, "\n"), "the output does not end with a newline: %q", out)
	var objs []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var o map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &o), "output line %q is not a JSON object", l)
		objs = append(objs, o)
	}
	return objs
}

// writeFile writes a file of the test's temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestPlainMode(t *testing.T) {
	tests := []struct {
		name, reason, in string
		args             []string
		code             int
		ids              []string // id of each output line, in order
		errs             []string // the field each error line names ("" for a decision, "*" any error)
	}{
		{"all decided", "every line valid: exit 0, one object per line in order",
			approvedLine + "\n" + rejectedLine + "\n", nil, 0, []string{"A1", "A2"}, []string{"", ""}},
		{"one invalid", "an invalid line is reported and the others are still decided: exit 1",
			approvedLine + "\n" + invalidLine + "\n" + rejectedLine + "\n", nil, 1, []string{"A1", "A3", "A2"},
			[]string{"", "citizen.iin", ""}},
		{"not JSON", "a line that is not JSON is invalid, with its number",
			"{nope\n" + approvedLine + "\n", nil, 1, []string{"", "A1"}, []string{"*", ""}},
		{"no final newline", "the last line needs no newline", approvedLine, nil, 0, []string{"A1"}, []string{""}},
		{"CRLF", "a line may end with \\r\\n", approvedLine + "\r\n" + rejectedLine + "\r\n", nil, 0, []string{"A1", "A2"}, []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := command(t, tt.in, tt.args...)
			require.Equal(t, tt.code, r.code, "attachcheck(%s) exit status (%s); stderr: %s", tt.name, tt.reason, r.stderr)
			require.Len(t, r.out, len(tt.ids), "attachcheck(%s) output lines (%s):\n%s", tt.name, tt.reason, r.stdout)
			for i, o := range r.out {
				assert.Equal(t, tt.ids[i], o["id"], "attachcheck(%s) line %d id (%s)", tt.name, i+1, tt.reason)
				if tt.errs[i] == "" {
					assert.NotContains(t, o, "error", "attachcheck(%s) line %d (%s)", tt.name, i+1, tt.reason)
					continue
				}
				require.NotEmpty(t, o["error"], "attachcheck(%s) line %d: an error line (%s)", tt.name, i+1, tt.reason)
				if tt.errs[i] != "*" {
					assert.Contains(t, o["error"], tt.errs[i], "attachcheck(%s) line %d names the field (%s)", tt.name, i+1, tt.reason)
				}
				assert.Equal(t, float64(i+1), o["line"], "attachcheck(%s) line %d: the error's input line number", tt.name, i+1)
			}
		})
	}
}

func TestPlainOutputShape(t *testing.T) {
	r := command(t, approvedLine+"\n"+rejectedLine+"\n", "-explain")
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, r.out, 2)
	approved, rejected := r.out[0], r.out[1]
	assert.Equal(t, "approved", approved["outcome"])
	assert.Equal(t, "2027-01-01", approved["effective_from"])
	assert.Equal(t, "kz-2025", approved["rule_set"])
	assert.Equal(t, "rejected", rejected["outcome"])
	assert.NotContains(t, rejected, "effective_from")
	assert.Equal(t, []any{"home_visits", "capacity"}, rejected["failed"])
	assert.Len(t, rejected["reasons"], 2, "a reason per failed rule")
	for _, o := range r.out {
		assert.Len(t, o["trace"], 10, "-explain gives a trace step for each of the 10 rules of kz-2025")
		assert.NotContains(t, o, "line", "a decision carries no line number: it is in input order")
	}
}

func TestRules(t *testing.T) {
	doc := `{"id":"x","effective_from":"2020-01-01","takes_effect":"application.date","rules":[{"id":"r","expr":"doctor.atached < 5","source":{"publisher":"d","lang":"en","quote":"q"}}]}`
	broken := writeFile(t, "broken.json", doc)
	r := command(t, approvedLine, "-rules", broken)
	assert.Equal(t, 2, r.code, "a broken rule set is a usage error")
	at := fmt.Sprintf("%s:1:%d: ", broken, strings.Index(doc, "atached")+1) // the file, line and column of the misspelt name
	assert.Contains(t, r.stderr, at+"x: rule r: expr: doctor has no input atached", "stderr names the file, position, rule id and problem")
	assert.Empty(t, r.stdout)

	strict := writeFile(t, "strict.json", `{"id":"strict","effective_from":"2020-01-01","takes_effect":"application.date","rules":[{"id":"small","expr":"doctor.attached < 1000","source":{"publisher":"d","lang":"en","quote":"q"},"messages":{"kk":"Дәрігер толы","ru":"Врач занят","en":"The doctor is full"}}],`+testCodes+`}`)
	r = command(t, approvedLine, "-rules", strict)
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, r.out, 1)
	assert.Equal(t, "strict", r.out[0]["rule_set"])
	assert.Equal(t, "rejected", r.out[0]["outcome"])
}

func TestMessagesAndRemedies(t *testing.T) {
	// Outside the area at a doctor with free places: only home_visits fails, and giving up
	// home visits would have the application approved.
	line := strings.Replace(approvedLine, `"address_code":"751110000"`, `"address_code":"751130000"`, 1)
	tests := []struct {
		name, reason, lang string
		message, remedy    string // substrings of the first reason's and remedy's message
	}{
		{"kazakh by default", "kk is the documented default", "", "үйге", "2027"},
		{"russian", "-lang ru", "ru", "вызова врача на дом", "1 января 2027 года"},
		{"russian variant", "ru-KZ matches ru", "ru-KZ", "вызова врача на дом", "1 января 2027 года"},
		{"english by Accept-Language", "an Accept-Language value picks the best of kk, ru, en", "de-DE, en-GB;q=0.8, ru;q=0.5", "home visits", "1 January 2027"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args []string
			if tt.lang != "" {
				args = append(args, "-lang", tt.lang)
			}
			r := command(t, line, args...)
			require.Equal(t, 0, r.code, r.stderr)
			var o struct {
				Failed   []string `json:"failed"`
				Reasons  []struct{ Rule, Message string }
				Remedies []struct {
					WaivesHomeVisits bool   `json:"waives_home_visits"`
					EffectiveFrom    string `json:"effective_from"`
					Message          string `json:"message"`
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &o))
			assert.Equal(t, []string{"home_visits"}, o.Failed, tt.reason)
			require.Len(t, o.Reasons, 1, tt.reason)
			assert.Contains(t, o.Reasons[0].Message, tt.message, tt.reason)
			require.NotEmpty(t, o.Remedies, tt.reason)
			assert.True(t, o.Remedies[0].WaivesHomeVisits, tt.reason)
			assert.Equal(t, "2027-01-01", o.Remedies[0].EffectiveFrom, tt.reason)
			assert.Contains(t, o.Remedies[0].Message, tt.remedy, tt.reason)
		})
	}
}

// testCodes are the codes a test's own rule set declares, so that the applications of
// the tests are valid under it.
const testCodes = `"codes":{"residency":[{"code":"citizen","kk":"азамат","ru":"гражданин","en":"citizen"}],` +
	`"specialty":[{"code":"therapist","kk":"терапевт","ru":"терапевт","en":"internist"}],` +
	`"channel":[{"code":"egov","kk":"egov.kz","ru":"egov.kz","en":"egov.kz"}]}`
