package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rule sets of testdata, decided by the checker with no Go change: a set of one's own
// is a JSON document that extends a built-in set in a few lines.

// outsideCampaign is an application of 10 December 2026: a change of clinic outside the
// campaign, with the reason to be filled in.
const outsideCampaign = `{"id":"F1","submitted_at":"2026-12-10T10:00:00+05:00","channel":"egov","signed":true,"reason":"REASON","citizen":{"iin":"960510300428","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`

// TestNewReasonCode: testdata/rules/family-relocation.json adds the reason code
// family_relocation with its words and makes it a qualifying reason.
func TestNewReasonCode(t *testing.T) {
	line := strings.Replace(outsideCampaign, "REASON", "family_relocation", 1)
	r := command(t, line, "-rules", "../../testdata/rules/family-relocation.json", "-lang", "ru")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "family-relocation", r.out[0]["rule_set"])
	assert.Equal(t, "approved", r.out[0]["outcome"])
	assert.Equal(t, "2026-12-10", r.out[0]["effective_from"], "a qualifying reason takes effect on the day")

	r = command(t, line) // the built-in history knows no such reason
	require.Equal(t, 1, r.code)
	assert.Contains(t, r.out[0]["error"], `reason: is not a known reason`)
	assert.Contains(t, r.out[0]["error"], `(got "family_relocation")`)

	// Its words are the set's: a refusal lists the new reason among the qualifying ones.
	r = command(t, strings.Replace(outsideCampaign, "REASON", "", 1), "-rules", "../../testdata/rules/family-relocation.json", "-lang", "ru")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "переезд вместе с семьёй")
}

// TestPilotExtendsKZ2023: testdata/rules/pilot-1700.json is kz-2023 with a limit of 1,700
// and without the once-a-year rule, in seven lines.
func TestPilotExtendsKZ2023(t *testing.T) {
	line := `{"id":"P1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"waives_home_visits":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751130000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2026-06-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1750}}`
	r := command(t, line, "-rules", "../../testdata/rules/pilot-1700.json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "pilot-1700", r.out[0]["rule_set"])
	assert.Equal(t, []any{"capacity"}, r.out[0]["failed"], "1,750 attached: full at 1,700")
	r = command(t, line)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "approved", r.out[0]["outcome"], "under the built-in limit of 2,000")

	// Outside the campaign, within a year of the last change: kz-2023's limit is gone.
	late := strings.NewReplacer(`"attached":1750`, `"attached":10`, `"2026-10-05T10:00:00+05:00"`, `"2026-12-10T10:00:00+05:00"`).Replace(line)
	late = strings.Replace(late, `"waives_home_visits":true`, `"waives_home_visits":true,"reason":"work_change"`, 1)
	r = command(t, late, "-rules", "../../testdata/rules/pilot-1700.json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "approved", r.out[0]["outcome"], "no once_a_year in the pilot")
	r = command(t, late)
	assert.Equal(t, []any{"once_a_year"}, r.out[0]["failed"], "the built-in history limits changes")
}

// TestReform2026: the proposal of 2026 has no campaign: a change without a reason in
// March is refused by kz-2025 and approved, on the day, by the reform.
func TestReform2026(t *testing.T) {
	line := strings.NewReplacer("REASON", "", "2026-12-10", "2026-03-10").Replace(outsideCampaign)
	r := command(t, line, "-compare", "../../testdata/reforms/kz-2026-proposal.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, r.out, 2, "the change and the impact")
	ch := r.out[0]
	assert.Equal(t, []any{"campaign"}, ch["before"].(map[string]any)["failed"])
	assert.Equal(t, "approved", ch["after"].(map[string]any)["outcome"])
	assert.Equal(t, "kz-2026-proposal", ch["after"].(map[string]any)["rule_set"])
	assert.Equal(t, "2026-03-10", ch["after"].(map[string]any)["effective_from"])
}
