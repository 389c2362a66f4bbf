package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	approvedLine = `{"id":"A1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`
	rejectedLine = `{"id":"A2","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"711110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":2000}}`
	invalidLine  = `{"id":"A3","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"123456789012","residency":"citizen","address_code":"751110000"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`
)

// lines decodes the checker's output, one JSON object per line.
func lines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var o map[string]any
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		objs = append(objs, o)
	}
	return objs
}

func TestRunStdin(t *testing.T) {
	tests := []struct {
		name, reason, in string
		args             []string
		code             int
		ids              []string // id of each output line, in order
		errs             []string // error of each output line ("" for a decision)
	}{
		{"all decided", "every line valid: exit 0, one object per line in order",
			approvedLine + "\n" + rejectedLine + "\n", nil, 0, []string{"A1", "A2"}, []string{"", ""}},
		{"one invalid", "an invalid line is reported and the others are still decided: exit 1",
			approvedLine + "\n" + invalidLine + "\n" + rejectedLine + "\n", nil, 1, []string{"A1", "A3", "A2"},
			[]string{"", `citizen.iin: check digit does not match (got "123456789012")`, ""}},
		{"not JSON", "a line that is not JSON is invalid, with its number",
			"{nope\n" + approvedLine + "\n", nil, 1, []string{"", "A1"}, []string{"not valid JSON at byte 3: invalid character 'o' in literal null (expecting 'u')", ""}},
		{"blank lines", "blank lines are skipped but counted", "\n" + approvedLine + "\n\n", nil, 0, []string{"A1"}, []string{""}},
		{"no final newline", "the last line needs no newline", approvedLine, nil, 0, []string{"A1"}, []string{""}},
		{"bad flag", "an unknown flag is a usage error: exit 2", approvedLine, []string{"-nope"}, 2, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.in), &out, &errOut)
			if code != tt.code {
				t.Fatalf("run(%s) = %d, want %d (%s); stderr: %s", tt.name, code, tt.code, tt.reason, errOut.String())
			}
			objs := lines(t, out.String())
			if len(objs) != len(tt.ids) {
				t.Fatalf("run(%s) wrote %d lines, want %d (%s):\n%s", tt.name, len(objs), len(tt.ids), tt.reason, out.String())
			}
			for i, o := range objs {
				id, _ := o["id"].(string)
				e, _ := o["error"].(string)
				if id != tt.ids[i] || e != tt.errs[i] {
					t.Errorf("run(%s) line %d = id %q error %q, want %q %q (%s)", tt.name, i+1, id, e, tt.ids[i], tt.errs[i], tt.reason)
				}
				if e != "" && o["line"] == nil {
					t.Errorf("run(%s) line %d: an error without its input line number", tt.name, i+1)
				}
			}
		})
	}
}

func TestRunOutputShape(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-explain"}, strings.NewReader(approvedLine+"\n"+rejectedLine+"\n"), &out, &errOut); code != 0 {
		t.Fatalf("run = %d: %s", code, errOut.String())
	}
	objs := lines(t, out.String())
	if objs[0]["outcome"] != "approved" || objs[0]["effective_from"] != "2027-01-01" || objs[0]["rule_set"] != "kz-2023" {
		t.Errorf("approved line = %v", objs[0])
	}
	if objs[1]["outcome"] != "rejected" || objs[1]["effective_from"] != nil {
		t.Errorf("rejected line = %v", objs[1])
	}
	failed, _ := objs[1]["failed"].([]any)
	reasons, _ := objs[1]["reasons"].([]any)
	if len(failed) != 2 || failed[0] != "home_visits" || failed[1] != "capacity" || len(reasons) != 2 {
		t.Errorf("rejected line failed = %v, reasons = %v; want home_visits, capacity with a reason each", failed, reasons)
	}
	for _, o := range objs {
		if trace, _ := o["trace"].([]any); len(trace) != 9 {
			t.Errorf("-explain gave %d trace steps, want the 9 rules of kz-2023", len(trace))
		}
	}
}

func TestRunFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte(approvedLine+"\n"), 0o644)
	os.WriteFile(b, []byte(invalidLine+"\n"+rejectedLine+"\n"), 0o644)
	var out, errOut bytes.Buffer
	if code := run([]string{a, b}, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("run(a, b) = %d, want 1: %s", code, errOut.String())
	}
	objs := lines(t, out.String())
	if len(objs) != 3 || objs[1]["line"] != float64(2) || objs[2]["id"] != "A2" {
		t.Errorf("run(a, b) = %v; want 3 lines numbered across files", objs)
	}
	if code := run([]string{filepath.Join(dir, "missing.jsonl")}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("run(missing file) = %d, want 2", code)
	}
}

func TestRunRules(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"id":"x","effective_from":"2020-01-01","takes_effect":"application.date","rules":[{"id":"r","expr":"doctor.atached < 5","source":{"doc":"d","lang":"en","quote":"q"}}]}`), 0o644)
	var out, errOut bytes.Buffer
	if code := run([]string{"-rules", broken}, strings.NewReader(approvedLine), &out, &errOut); code != 2 {
		t.Fatalf("run(-rules broken) = %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "rule r: expr:1:8: doctor has no input atached") {
		t.Errorf("stderr = %q; want the rule id, position and problem", errOut.String())
	}
	strict := filepath.Join(dir, "strict.json")
	os.WriteFile(strict, []byte(`{"id":"strict","effective_from":"2020-01-01","takes_effect":"application.date","rules":[{"id":"small","expr":"doctor.attached < 1000","source":{"doc":"d","lang":"en","quote":"q"},"messages":{"kk":"Дәрігер толы","ru":"Врач занят","en":"The doctor is full"}}],`+testCodes+`}`), 0o644)
	out.Reset()
	if code := run([]string{"-rules", strict}, strings.NewReader(approvedLine), &out, &errOut); code != 0 {
		t.Fatalf("run(-rules strict) = %d: %s", code, errOut.String())
	}
	if o := lines(t, out.String())[0]; o["rule_set"] != "strict" || o["outcome"] != "rejected" {
		t.Errorf("run(-rules strict) = %v; want rejected by set strict", o)
	}
}

func TestRunMessagesAndRemedies(t *testing.T) {
	// Outside the area at a doctor with free places: only home_visits fails, and giving up
	// home visits would have the application approved.
	line := strings.Replace(approvedLine, `"address_code":"751110000"`, `"address_code":"711110000"`, 1)
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
			var out, errOut bytes.Buffer
			args := []string{}
			if tt.lang != "" {
				args = append(args, "-lang", tt.lang)
			}
			if code := run(args, strings.NewReader(line), &out, &errOut); code != 0 {
				t.Fatalf("run(%v) = %d: %s", args, code, errOut.String())
			}
			var o struct {
				Failed   []string `json:"failed"`
				Reasons  []struct{ Rule, Message string }
				Remedies []struct {
					WaivesHomeVisits bool   `json:"waives_home_visits"`
					EffectiveFrom    string `json:"effective_from"`
					Message          string `json:"message"`
				}
			}
			if err := json.Unmarshal(out.Bytes(), &o); err != nil {
				t.Fatalf("output %q: %v", out.String(), err)
			}
			if len(o.Failed) != 1 || o.Failed[0] != "home_visits" || len(o.Reasons) != 1 || !strings.Contains(o.Reasons[0].Message, tt.message) {
				t.Errorf("run(%v) failed %v reasons %+v; want home_visits with a message containing %q (%s)", args, o.Failed, o.Reasons, tt.message, tt.reason)
			}
			if len(o.Remedies) == 0 || !o.Remedies[0].WaivesHomeVisits || o.Remedies[0].EffectiveFrom != "2027-01-01" || !strings.Contains(o.Remedies[0].Message, tt.remedy) {
				t.Errorf("run(%v) remedies %+v; want giving up home visits, approved from 2027-01-01, message containing %q (%s)", args, o.Remedies, tt.remedy, tt.reason)
			}
		})
	}
}

// testCodes are the codes a test's own rule set declares, so that the applications of
// the tests are valid under it.
const testCodes = `"codes":{"residency":[{"code":"citizen","kk":"азамат","ru":"гражданин","en":"citizen"}],` +
	`"specialty":[{"code":"therapist","kk":"терапевт","ru":"терапевт","en":"internist"}],` +
	`"channel":[{"code":"egov","kk":"egov.kz","ru":"egov.kz","en":"egov.kz"}]}`
