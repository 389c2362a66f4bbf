package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The issue "Campaigns: one person holds one place", as -campaign reads it: D1 and D2
// each have 1,999; P applies to D1 on 5 October and to D2 on 6 October, changes chosen in
// the 2025 campaign; Q, another person living out of both areas, applies to D1 on 7
// October.
const (
	countD1 = `{"count":{"clinic_id":"C1","doctor_id":"D1","attached":1999}}`
	countD2 = `{"count":{"clinic_id":"C2","doctor_id":"D2","attached":1999}}`
	lineP1  = `{"id":"P1","submitted_at":"2025-10-05T10:00:00+05:00","channel":"egov","signed":true,"waives_home_visits":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751130000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1999}}`
	lineP2  = `{"id":"P2","submitted_at":"2025-10-06T10:00:00+05:00","channel":"egov","signed":true,"waives_home_visits":true,"citizen":{"iin":"960510300428","residency":"citizen","address_code":"751130000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},"clinic":{"id":"C2","fund_provider":true,"service_area":["75112"]},"doctor":{"id":"D2","specialty":"therapist","attached":1999}}`
	lineQ   = `{"id":"Q","submitted_at":"2025-10-07T10:00:00+05:00","channel":"egov","signed":true,"waives_home_visits":true,"citizen":{"iin":"791028302728","residency":"citizen","address_code":"751130000"},"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1999}}`
)

// TestCampaignSupersedes pins the checker's side of the issue: P's later approval
// supersedes the earlier one, whose line says so in its input place, D1 has the place
// back and Q is approved; -keep-repeats gives the old count.
func TestCampaignSupersedes(t *testing.T) {
	// Q and P2 come before P1 in the input: the lines stay in input order.
	in := strings.Join([]string{countD1, countD2, lineQ, lineP2, lineP1}, "\n") + "\n"
	tests := []struct {
		name, reason string
		args         []string
		lines        []string
	}{
		{name: "one place", reason: "P1 superseded by P2; Q reads 1,999; D1 full from 5 to 6 October, then again from 7 October",
			args: []string{"-campaign"},
			lines: []string{
				`{"id":"Q","outcome":"approved","rule_set":"kz-2025","effective_from":"2025-10-07","attached":1999}`,
				`{"id":"P2","outcome":"approved","rule_set":"kz-2025","effective_from":"2026-01-01","attached":1999}`,
				`{"id":"P1","outcome":"approved","rule_set":"kz-2025","effective_from":"2026-01-01","attached":1999,"superseded_by":"P2"}`,
				`{"summary":{"applications":3,"approved":3,"rejected":0,"invalid":0,"superseded":1,"people":2,"people_approved":2,"rejected_by":{},"full":[` +
					`{"clinic_id":"C1","doctor_id":"D1","day":"2025-10-05","freed":"2025-10-06","capacity":2000},` +
					`{"clinic_id":"C2","doctor_id":"D2","day":"2025-10-06","capacity":2000},` +
					`{"clinic_id":"C1","doctor_id":"D1","day":"2025-10-07","capacity":2000}],"counts":2,"invalid_counts":0}}`,
			}},
		{name: "keep repeats", reason: "the old count: P holds two places and Q is refused by capacity",
			args: []string{"-keep-repeats", "-campaign"},
			lines: []string{
				`{"id":"Q","outcome":"rejected","rule_set":"kz-2025","failed":["capacity"],"attached":2000}`,
				`{"id":"P2","outcome":"approved","rule_set":"kz-2025","effective_from":"2026-01-01","attached":1999}`,
				`{"id":"P1","outcome":"approved","rule_set":"kz-2025","effective_from":"2026-01-01","attached":1999}`,
				`{"summary":{"applications":3,"approved":2,"rejected":1,"invalid":0,"superseded":0,"people":2,"people_approved":1,"rejected_by":{"capacity":1},"full":[` +
					`{"clinic_id":"C1","doctor_id":"D1","day":"2025-10-05","capacity":2000},` +
					`{"clinic_id":"C2","doctor_id":"D2","day":"2025-10-06","capacity":2000}],"counts":2,"invalid_counts":0}}`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := command(t, in, tt.args...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, strings.Join(tt.lines, "\n")+"\n", r.stdout, "attachcheck %v (%s)", tt.args, tt.reason)
		})
	}
}

// TestCompareCountsPeople pins that -compare counts people as well as applications: under
// a norm of 1,700 the three applications are refused, by two people, one of whom had
// two approvals.
func TestCompareCountsPeople(t *testing.T) {
	in := strings.Join([]string{countD1, countD2, lineP1, lineP2, lineQ}, "\n") + "\n"
	r := command(t, in, "-compare", lowerNorm(t), "-campaign")
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, r.out, 4, "three changes and the impact:\n%s", r.stdout)
	assert.Equal(t, "P2", r.out[0]["before"].(map[string]any)["superseded_by"], "P1's line before says P2 took its place")
	im := r.out[3]["impact"].(map[string]any)
	assert.Equal(t, float64(3), im["now_rejected"], "applications")
	assert.Equal(t, float64(2), im["people_now_rejected"], "people")
	assert.Equal(t, float64(2), im["people_affected"])
	assert.Equal(t, float64(1), im["before"].(map[string]any)["superseded"])
}
