package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
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

// lowerNorm writes the set in force, kz-2025, with a limit of 1,700 instead of 2,000, as a
// set that extends it, and returns its path.
func lowerNorm(t *testing.T) string {
	return writeFile(t, "cap1700.json", `{"id":"kz-2025","extends":"kz-2025","values":{"capacity":1700}}`)
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
		{name: "compare same", reason: "the same set changes nothing: only the impact line", in: in, args: []string{"-compare", "../../rules/builtin/kz-2025.json"}, lines: 1, last: "impact"},
		{name: "options", reason: "every doctor, the approved first", in: query + "\n", args: []string{"-options"}, lines: 1, last: "id",
			contains: `"options":[{"clinic":"C1","doctor":"D2","specialty":"therapist","outcome":"approved","effective_from":"2025-10-05"},{"clinic":"C2","doctor":"D1","specialty":"therapist","outcome":"approved","if_waives_home_visits":true,"effective_from":"2025-10-05","failed":["home_visits"]},{"clinic":"C1","doctor":"D1"`},
		{name: "options invalid", reason: "an invalid query names its field", in: strings.Replace(query, `"attached":10`, `"attached":-1`, 1) + "\n", args: []string{"-options"}, code: 1, lines: 1, contains: `"error":"clinics[0].doctors[0].attached: `},
		{name: "options wrong type", reason: "a value of the wrong type is named by its path", in: strings.Replace(query, `"attached":10`, `"attached":"10"`, 1) + "\n", args: []string{"-options"}, code: 1, lines: 1, contains: `"error":"clinics[0].doctors[0].attached: must be an integer (got string)"`},
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

// TestCampaignCounts pins how -campaign reads count lines: validated like applications,
// each bad one an error line naming its field, the rest of the campaign decided.
func TestCampaignCounts(t *testing.T) {
	app := strings.Replace(approvedLine, `"attached":1500`, `"attached":7`, 1)
	tests := []struct {
		name, reason, count string
		err                 string // what the error line holds; "" for a valid count
	}{
		{"valid", "a count line gets no line of its own", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":1999}}`, ""},
		{"at the bound", "MaxAttached is a count", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":100000}}`, ""},
		{"negative", "was clamped to 0 silently", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":-3}}`, `count.attached: must not be negative (got "-3")`},
		{"above the bound", "counts are bounded", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":100001}}`, `count.attached: must be at most 100000 (got "100001")`},
		{"MaxInt", "wrapped negative after one approval", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":` + strconv.Itoa(math.MaxInt) + `}}`, `count.attached: must be at most 100000 (got "` + strconv.Itoa(math.MaxInt) + `")`},
		{"not an integer", "1.5 people", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":1.5}}`, `count.attached: must be an integer (got number 1.5)`},
		{"a string", "a count is a number", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":"5"}}`, `count.attached: must be an integer (got string)`},
		{"missing count", "every field is required", `{"count":{"clinic_id":"C1","doctor_id":"D1"}}`, `count.attached: must be given`},
		{"missing ids", "a doctor is named by clinic and doctor", `{"count":{"doctor_id":"","attached":5}}`, `count.clinic_id: must be given; count.doctor_id: must not be empty`},
		{"unknown key", "a misspelt key is not ignored", `{"count":{"clinic_id":"C1","doctor_id":"D1","atached":5}}`, `count.atached: is not a field (field names are lower-case)`},
		{"duplicate key", "a key given twice is refused, not read as its last value", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":5,"attached":1}}`, `count.attached: is given twice; a key may appear once`},
		{"key beside count", "a count line holds only the count", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":5},"id":"A9"}`, `id: is not a field (field names are lower-case)`},
		{"null", "a count is an object", `{"count":null}`, `count: must be an object with clinic_id, doctor_id and attached`},
		{"trailing data", "one object per line", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":5}} {}`, `count: unexpected data after the JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := command(t, tt.count+"\n"+app+"\n", "-campaign")
			if tt.err == "" {
				require.Equal(t, 0, r.code, "%s (%s): %s", tt.name, tt.reason, r.stderr)
				require.Len(t, r.out, 2, "%s: the decision and the summary", tt.name)
				assert.Equal(t, "A1", r.out[0]["id"])
				assert.NotEqual(t, float64(7), r.out[0]["attached"], "%s: the listed count wins over the application's", tt.name)
				return
			}
			require.Equal(t, 1, r.code, "%s (%s): %s", tt.name, tt.reason, r.stderr)
			require.Len(t, r.out, 3, "%s: the count's error line, the decision, the summary:\n%s", tt.name, r.stdout)
			assert.Equal(t, map[string]any{"line": float64(1), "id": "", "error": tt.err}, r.out[0], "%s (%s)", tt.name, tt.reason)
			assert.Equal(t, float64(7), r.out[1]["attached"], "%s: the application's own count is used", tt.name)
			summary := r.out[2]["summary"].(map[string]any)
			assert.Equal(t, float64(1), summary["invalid_counts"])
			assert.Equal(t, float64(0), summary["invalid"], "the application was decided")
		})
	}
}

// TestCampaignCountedTwice pins that a doctor counted on two lines gets an error line
// for the later one, naming the first, and the campaign is decided with the first.
func TestCampaignCountedTwice(t *testing.T) {
	a := writeFile(t, "a.jsonl", `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":10}}`+"\n")
	b := writeFile(t, "b.jsonl", approvedLine+"\n"+`{"count":{"clinic_id":"C1","doctor_id":"D1","attached":20}}`+"\n")
	r := command(t, "", "-campaign", a, b)
	require.Equal(t, 1, r.code, r.stderr)
	require.Len(t, r.out, 3)
	assert.Equal(t, float64(10), r.out[0]["attached"])
	assert.Equal(t, map[string]any{"file": b, "line": float64(2), "id": "", "error": `count: doctor "D1" of clinic "C1" is already counted on line 1 of ` + a}, r.out[1])
}

// TestDuplicateIDs pins that an id used twice costs the later line only: it gets an
// error line naming the first, and every other line is decided, in -campaign and
// -compare alike (it was a usage error with no output).
func TestDuplicateIDs(t *testing.T) {
	in := approvedLine + "\n" + rejectedLine + "\n" + strings.Replace(rejectedLine, `"attached":2000`, `"attached":3`, 1) + "\n" + invalidLine + "\n"
	for _, args := range [][]string{{"-campaign"}, {"-compare", lowerNorm(t)}, {"-compare", lowerNorm(t), "-campaign"}} {
		r := command(t, in, args...)
		require.Equal(t, 1, r.code, "attachcheck %v: %s", args, r.stderr)
		var errs []map[string]any
		for _, o := range r.out {
			if _, ok := o["error"]; ok {
				errs = append(errs, o)
			}
		}
		require.Len(t, errs, 2, "attachcheck %v: an error line for the duplicate and one for the invalid line:\n%s", args, r.stdout)
		assert.Equal(t, map[string]any{"line": float64(3), "id": "A2", "error": `id: is already the id of the application on line 2 (got "A2")`}, errs[0], "attachcheck %v", args)
		assert.Equal(t, float64(4), errs[1]["line"])
		assert.Equal(t, "A3", errs[1]["id"])
		assert.Contains(t, errs[1]["error"], "citizen.iin")
		if args[0] == "-campaign" {
			require.Len(t, r.out, 5, "three decisions... of which one an error, the invalid line, the summary")
			assert.Equal(t, "approved", r.out[0]["outcome"])
			assert.Equal(t, "rejected", r.out[1]["outcome"])
			summary := r.out[4]["summary"].(map[string]any)
			assert.Equal(t, float64(4), summary["applications"])
			assert.Equal(t, float64(2), summary["invalid"])
		}
	}
}

// TestCompareInvalidLines pins that -compare writes an error line for every line it
// cannot decide, in input order among the changes, and exits 1 (it exited 0 and only
// counted them).
func TestCompareInvalidLines(t *testing.T) {
	// Another person, out of the area with home visits given up, at a doctor with 1,800:
	// approved under a norm of 2,000, refused under 1,700.
	near := strings.NewReplacer(`"signed":true,`, `"signed":true,"waives_home_visits":true,`, `"attached":2000`, `"attached":1800`, `"A2"`, `"A4"`,
		`"960510300428"`, `"791028302728"`).Replace(rejectedLine)
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

// TestIsCount pins which lines are count lines: those whose first key is "count",
// however it is written, told the same way with or without the decoder.
func TestIsCount(t *testing.T) {
	for _, tt := range []struct {
		line string
		want bool
	}{
		{`{"count":{"clinic_id":"C1"}}`, true},
		{" \t{ \"count\" : 1}", true},
		{`{"\u0063ount":{}}`, true},
		{`{"counts":1}`, false},
		{`{"id":"count"}`, false},
		{`{}`, false},
		{``, false},
		{`[`, false},
		{`{"count`, false},
		{`{"co\"unt":1}`, false},
		{"\uFEFF{\"count\":1}", false},
	} {
		assert.Equal(t, tt.want, isCount([]byte(tt.line)), "isCount(%q)", tt.line)
	}
}

// TestCampaignLineJSON holds the hand-written encoding of a decision line to
// encoding/json's, on lines with every field, none, and strings that need escaping.
func TestCampaignLineJSON(t *testing.T) {
	n := 1999
	type plain campaignLine // the same fields, without MarshalJSON
	for _, l := range []campaignLine{
		{ID: "A1"},
		{ID: "A1", Outcome: "approved", RuleSet: "kz-2025", EffectiveFrom: "2027-01-01", Attached: &n, SupersededBy: "A2"},
		{ID: "A\"<&>\u2028\x01é\xff", Outcome: "rejected", RuleSet: "r", Failed: []string{"capacity", "home_visits"}, Attached: new(int)},
		{ID: "", Error: "citizen.iin: must be 12 digits (got \"1\\2\")", Failed: []string{}},
	} {
		want, err := json.Marshal(plain(l))
		require.NoError(t, err)
		got, err := json.Marshal(l)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
}
