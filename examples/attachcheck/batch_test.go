package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emkhana/emkhana/examples/campaigngen"
)

// campaignInput is a generated campaign as -campaign reads it: counts, then applications.
func campaignInput(t *testing.T, apps int) string {
	t.Helper()
	g := campaigngen.Generate(campaigngen.Config{Seed: 31, Doctors: 60, Applications: apps})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, d := range g.Doctors() {
		enc.Encode(map[string]any{"count": d})
	}
	for i := range g.Applications {
		enc.Encode(&g.Applications[i])
	}
	return b.String()
}

func TestRunBatch(t *testing.T) {
	in := campaignInput(t, 400)
	set, err := os.ReadFile("../../rules/builtin/kz-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	lower := filepath.Join(t.TempDir(), "cap1700.json")
	if err := os.WriteFile(lower, bytes.Replace(set, []byte(`"value": 2000`), []byte(`"value": 1700`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	query := `{"id":"Q1","submitted_at":"2025-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"791028302728","residency":"citizen","address_code":"751110123"},"clinics":[{"id":"C1","fund_provider":true,"service_area":["75111"],"doctors":[{"id":"D1","specialty":"pediatrician","attached":10},{"id":"D2","specialty":"therapist","attached":2500}]},{"id":"C2","fund_provider":true,"service_area":["75121"],"doctors":[{"id":"D1","specialty":"therapist","attached":100}]}]}`
	tests := []struct {
		name, reason, in string
		args             []string
		code             int
		lines            int    // output lines
		last             string // the first key of the last line
		contains         string
	}{
		{name: "campaign", reason: "one line per application and a summary", in: in, args: []string{"-campaign"}, lines: 401, last: "summary", contains: `"attached":`},
		{name: "campaign bad line", reason: "a line that is no application is reported and the others decided", in: in + "{\"id\":\"X\"\n", args: []string{"-campaign"}, code: 1, lines: 402, last: "summary", contains: `"line":461`},
		{name: "compare capacity", reason: "a lower norm makes capacity fail more, as a campaign", in: in, args: []string{"-compare", lower, "-campaign"}, last: "impact", contains: `"newly_failing":["capacity"]`},
		{name: "compare same", reason: "the same set changes nothing: only the impact line", in: in, args: []string{"-compare", "../../rules/builtin/kz-2023.json"}, lines: 1, last: "impact"},
		{name: "compare broken set", reason: "a set that does not parse is a usage error", in: in, args: []string{"-compare", "batch_test.go"}, code: 2},
		{name: "options", reason: "every doctor, the approved first", in: query + "\n", args: []string{"-options"}, lines: 1, last: "id",
			contains: `"options":[{"clinic":"C1","doctor":"D2","specialty":"therapist","outcome":"approved","condition":"as_asked","effective_from":"2025-10-05"},{"clinic":"C2","doctor":"D1","specialty":"therapist","outcome":"approved","condition":"waive_home_visits","effective_from":"2025-10-05","failed":["home_visits"]},{"clinic":"C1","doctor":"D1"`},
		{name: "options invalid", reason: "an invalid query names its field", in: strings.Replace(query, `"attached":10`, `"attached":-1`, 1) + "\n", args: []string{"-options"}, code: 1, lines: 1, contains: `clinics[0].doctors[0].attached: must not be negative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.in), &out, &errOut)
			if code != tt.code {
				t.Fatalf("run(%v) = %d, want %d (%s); stderr: %s", tt.args, code, tt.code, tt.reason, errOut.String())
			}
			if code == 2 {
				return
			}
			got := lines(t, out.String())
			if tt.lines > 0 && len(got) != tt.lines {
				t.Errorf("run(%v) wrote %d lines, want %d (%s)", tt.args, len(got), tt.lines, tt.reason)
			}
			if _, ok := got[len(got)-1][tt.last]; tt.last != "" && !ok {
				t.Errorf("run(%v) last line %v, want a %q key (%s)", tt.args, got[len(got)-1], tt.last, tt.reason)
			}
			if !strings.Contains(out.String(), tt.contains) {
				t.Errorf("run(%v) output does not contain %s (%s):\n%.2000s", tt.args, tt.contains, tt.reason, out.String())
			}
		})
	}
}
