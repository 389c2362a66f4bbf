package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/examples/campaigngen"
)

const query = `{"id":"Q1","submitted_at":"2025-10-05T10:00:00+05:00","channel":"egov","signed":true,"citizen":{"iin":"791028302728","residency":"citizen","address_code":"751110123"},"clinics":[{"id":"C1","fund_provider":true,"service_area":["75111"],"doctors":[{"id":"D1","specialty":"pediatrician","attached":10},{"id":"D2","specialty":"therapist","attached":2500}]},{"id":"C2","fund_provider":true,"service_area":["75121"],"doctors":[{"id":"D1","specialty":"therapist","attached":100}]}]}`

// campaignInput is a generated campaign as -campaign reads it: counts, then applications.
func campaignInput(t *testing.T, apps int) string {
	t.Helper()
	g := campaigngen.Generate(campaigngen.Config{Seed: 31, Doctors: 60, Applications: apps})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, d := range g.Doctors() {
		require.NoError(t, enc.Encode(map[string]any{"count": d}))
	}
	for i := range g.Applications {
		require.NoError(t, enc.Encode(&g.Applications[i]))
	}
	return b.String()
}

// lowerNorm writes kz-2023 with a norm of 1,700 instead of 2,000 and returns its path.
func lowerNorm(t *testing.T) string {
	set, err := os.ReadFile("../../rules/builtin/kz-2023.json")
	require.NoError(t, err)
	return writeFile(t, "cap1700.json", string(bytes.Replace(set, []byte(`"value": 2000`), []byte(`"value": 1700`), 1)))
}

func TestBatchModes(t *testing.T) {
	in := campaignInput(t, 400)
	lower := lowerNorm(t)
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
		{name: "options", reason: "every doctor, the approved first", in: query + "\n", args: []string{"-options"}, lines: 1, last: "id",
			contains: `"options":[{"clinic":"C1","doctor":"D2","specialty":"therapist","outcome":"approved","condition":"as_asked","effective_from":"2025-10-05"},{"clinic":"C2","doctor":"D1","specialty":"therapist","outcome":"approved","condition":"waive_home_visits","effective_from":"2025-10-05","failed":["home_visits"]},{"clinic":"C1","doctor":"D1"`},
		{name: "options invalid", reason: "an invalid query names its field", in: strings.Replace(query, `"attached":10`, `"attached":-1`, 1) + "\n", args: []string{"-options"}, code: 1, lines: 1, contains: `clinics[0].doctors[0].attached: must not be negative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := command(t, tt.in, tt.args...)
			require.Equal(t, tt.code, r.code, "attachcheck %v (%s); stderr: %s", tt.args, tt.reason, r.stderr)
			if tt.lines > 0 {
				assert.Len(t, r.out, tt.lines, "attachcheck %v output lines (%s)", tt.args, tt.reason)
			}
			require.NotEmpty(t, r.out)
			if tt.last != "" {
				assert.Contains(t, r.out[len(r.out)-1], tt.last, "attachcheck %v last line (%s)", tt.args, tt.reason)
			}
			assert.Contains(t, r.stdout, tt.contains, "attachcheck %v output (%s)", tt.args, tt.reason)
		})
	}
}

// TestCompareInvalidLines pins that -compare writes an error line for every line it
// cannot decide, in input order among the changes, and exits 1 (it exited 0 and only
// counted them).
func TestCompareInvalidLines(t *testing.T) {
	// Out of the area with home visits given up, at a doctor with 1,800: approved under a
	// norm of 2,000, refused under 1,700.
	near := strings.NewReplacer(`"signed":true,`, `"signed":true,"waives_home_visits":true,`, `"attached":2000`, `"attached":1800`, `"A2"`, `"A4"`).Replace(rejectedLine)
	in := "nope\n" + near + "\n" + invalidLine + "\n\n" + approvedLine + "\n"
	r := command(t, in, "-compare", lowerNorm(t))
	require.Equal(t, 1, r.code, r.stderr)
	require.Len(t, r.out, 5, "nope, the change of A4, A3, the empty line, the impact:\n%s", r.stdout)
	assert.Equal(t, float64(1), r.out[0]["line"])
	assert.Contains(t, r.out[0], "error")
	assert.Equal(t, "A4", r.out[1]["id"])
	assert.Equal(t, float64(2), r.out[1]["line"])
	assert.Equal(t, []any{"capacity"}, r.out[1]["newly_failing"])
	assert.Equal(t, float64(3), r.out[2]["line"])
	assert.Equal(t, "A3", r.out[2]["id"])
	assert.Equal(t, map[string]any{"line": float64(4), "id": "", "error": "empty line"}, r.out[3])
	impact := r.out[4]["impact"].(map[string]any)
	assert.Equal(t, float64(5), impact["applications"], "every line that is not a count")
	assert.Equal(t, float64(3), impact["before"].(map[string]any)["invalid"])
}
