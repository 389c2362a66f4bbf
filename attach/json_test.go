package attach_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// validLine is an application the built-in history approves.
const validLine = `{"id":"J1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"reason":"","waives_home_visits":false,` +
	`"citizen":{"iin":"791028302728","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},` +
	`"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`

func TestDecodeApplicationInvalidUTF8(t *testing.T) {
	line := strings.Replace(validLine, `"J1"`, "\"J\xff1\"", 1)
	_, err := attach.DecodeApplication([]byte(line))
	var inv *attach.InvalidApplicationError
	require.ErrorAs(t, err, &inv)
	require.Len(t, inv.Problems, 1)
	assert.Empty(t, inv.Problems[0].Field, "a problem of the whole line names no field")
	assert.Contains(t, inv.Problems[0].Message, "UTF-8")
}

func TestDecodeApplicationRoundTrip(t *testing.T) {
	app, err := attach.DecodeApplication([]byte(validLine))
	require.NoError(t, err)
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	d, err := e.Decide(app)
	require.NoError(t, err)
	assert.True(t, d.Approved(), "failed %v", d.Failed)
}

// A field a JSON line left out, then set in Go (as Remedies does), is given: only a field
// that still holds its zero value counts as left out.
func TestDecodeThenSetInGo(t *testing.T) {
	line := strings.Replace(validLine, `"attached":1500`, `"attached":null`, 1)
	app, err := attach.DecodeApplication([]byte(line))
	require.NoError(t, err)
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	_, err = e.Decide(app)
	var inv *attach.InvalidApplicationError
	require.ErrorAs(t, err, &inv)
	p, ok := inv.Field("doctor.attached")
	require.True(t, ok, "%v", err)
	assert.Contains(t, p.Message, "kz-2025 reads it")

	app.Doctor.Attached = 1999
	d, err := e.Decide(app)
	require.NoError(t, err)
	assert.True(t, d.Approved())
}

// Fields of each Go type that a JSON line left out (null) and Go then set are given, as
// the count is in TestDecodeThenSetInGo: a list the set reads, which is an error while
// left out; and the strings and the date of the present attachment, which are optional:
// left out, the person is attached nowhere, and the approval takes effect on the day;
// set in Go, it is a change in the campaign, which takes effect on 1 January.
func TestDecodeThenSetInGoEveryType(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)

	line := strings.Replace(validLine, `"service_area":["75111"]`, `"service_area":null`, 1)
	require.NotEqual(t, validLine, line)
	app, err := attach.DecodeApplication([]byte(line))
	require.NoError(t, err)
	_, err = e.Decide(app)
	var inv *attach.InvalidApplicationError
	require.ErrorAs(t, err, &inv)
	_, ok := inv.Field("clinic.service_area")
	assert.True(t, ok, "the error names clinic.service_area: %v", err)
	app.Clinic.ServiceArea = []string{"75111"}
	d, err := e.Decide(app)
	require.NoError(t, err)
	assert.True(t, d.Approved(), "failed %v", d.Failed)

	line = strings.NewReplacer(`"current_clinic_id":"C9"`, `"current_clinic_id":null`, `"current_doctor_id":"D9"`, `"current_doctor_id":null`,
		`"attached_since":"2024-01-01"`, `"attached_since":null`).Replace(validLine)
	app, err = attach.DecodeApplication([]byte(line))
	require.NoError(t, err)
	d, err = e.Decide(app)
	require.NoError(t, err)
	assert.Equal(t, rules.Date(20261005), d.EffectiveFrom, "attached nowhere: a first attachment, on the day")
	app.Citizen.CurrentClinicID, app.Citizen.CurrentDoctorID, app.Citizen.AttachedSince = "C9", "D9", 20240101
	d, err = e.Decide(app)
	require.NoError(t, err)
	assert.Equal(t, rules.Date(20270101), d.EffectiveFrom, "attached to C9 since 2024: a change in the campaign, from 1 January")
}

// Omitted lists the fields a JSON line left out or set to null that still hold their zero
// value, in the JSON form's order; a field set in Go since is given.
func TestOmitted(t *testing.T) {
	line := strings.NewReplacer(`"attached":1500`, `"attached":null`, `"signed":true,`, ``, `"reason":"",`, ``).Replace(validLine)
	app, err := attach.DecodeApplication([]byte(line))
	require.NoError(t, err)
	assert.Equal(t, []string{"signed", "reason", "citizen.birth_date", "citizen.insured", "citizen.actual_address_code",
		"citizen.pregnant", "citizen.contract_until", "clinic.address_code", "doctor.attached"}, app.Omitted())
	app.Doctor.Attached, app.Signed = 7, true
	assert.NotContains(t, app.Omitted(), "doctor.attached", "set in Go since: given")
	assert.NotContains(t, app.Omitted(), "signed")
	assert.Nil(t, (&attach.Application{}).Omitted(), "an application made in Go omits nothing")
	assert.Nil(t, (*attach.Application)(nil).Omitted())
}

// An application whose count is left out is never decided as if the doctor had no one:
// the hostile case of an out-of-area applicant who waives home visits at a full doctor.
func TestMissingCountIsNotZero(t *testing.T) {
	line := strings.NewReplacer(`"attached":1500`, `"attached":null`, `"address_code":"751110000"`, `"address_code":"751130000"`,
		`"waives_home_visits":false`, `"waives_home_visits":true`).Replace(validLine)
	app, err := attach.DecodeApplication([]byte(line))
	require.NoError(t, err)
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	_, err = e.Decide(app)
	require.Error(t, err)
	app.Doctor.Attached = 2000
	d, err := e.Decide(app)
	require.NoError(t, err)
	assert.Equal(t, []string{"capacity"}, d.Failed)
}

// A zero Engine, or a nil one, answers every method with an error saying so, never a panic.
func TestZeroEngine(t *testing.T) {
	app, err := attach.DecodeApplication([]byte(validLine))
	require.NoError(t, err)
	for _, e := range []*attach.Engine{{}, nil} {
		_, err := e.Decide(app)
		assert.EqualError(t, err, "attach: the engine was not made by attach.New")
		_, err = e.Remedies(app, "ru")
		assert.EqualError(t, err, "attach: the engine was not made by attach.New")
		_, err = e.Options(&attach.Query{})
		assert.EqualError(t, err, "attach: the engine was not made by attach.New")
		d := attach.Decision{Outcome: attach.Rejected, Failed: []string{"capacity"}}
		assert.Equal(t, "capacity", e.Explain(&d, "ru").Messages[0].Message)
	}
}

// Ids and lists longer than the engine's limits of inputs are invalid fields, not runtime
// errors of the rules.
func TestInputLengthLimits(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	app, err := attach.DecodeApplication([]byte(validLine))
	require.NoError(t, err)
	prog, err := rules.Compile(rules.Builtin())
	require.NoError(t, err)
	l := prog.Limits()
	app.Doctor.ID = strings.Repeat("д", l.MaxInputStringLen) // two bytes each
	app.Clinic.ServiceArea = make([]string, l.MaxInputListLen+1)
	for i := range app.Clinic.ServiceArea {
		app.Clinic.ServiceArea[i] = "75"
	}
	_, err = e.Decide(app)
	var inv *attach.InvalidApplicationError
	require.ErrorAs(t, err, &inv)
	p, ok := inv.Field("doctor.id")
	require.True(t, ok, "%v", err)
	assert.Contains(t, p.Message, "at most 256 are allowed")
	_, ok = inv.Field("clinic.service_area")
	assert.True(t, ok, "%v", err)
}

// The decoders compared: DecodeApplication (one strict pass over jsontext tokens) against
// encoding/json decoding the same line into an Application, which checks neither
// duplicate keys nor missing fields nor key case, and against the previous decoder's way:
// encoding/json with DisallowUnknownFields and a second parse to find keys that matched
// only without regard to case.
func BenchmarkDecodeApplication(b *testing.B) {
	line := []byte(validLine)
	b.Run("strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := attach.DecodeApplication(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a attach.Application
			if err := json.Unmarshal(line, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json_two_passes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a attach.Application
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&a); err != nil {
				b.Fatal(err)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(line, &keys); err != nil {
				b.Fatal(err)
			}
			for _, part := range []string{"citizen", "clinic", "doctor"} {
				var sub map[string]json.RawMessage
				if err := json.Unmarshal(keys[part], &sub); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestDecodeApplicationEmpty pins the message for input with no JSON value.
func TestDecodeApplicationEmpty(t *testing.T) {
	for _, in := range []string{"", "  \n"} {
		_, err := attach.DecodeApplication([]byte(in))
		assert.EqualError(t, err, "attach: invalid application: empty input; want a JSON object", "DecodeApplication(%q)", in)
	}
}

// TestDecodeTimesAtTheirBounds: submitted_at's offset may be any ±HH:MM with hours below
// 24 and minutes below 60, and its year any of 1900-9998, in the offset it is written
// with; one past each bound is refused.
func TestDecodeTimesAtTheirBounds(t *testing.T) {
	tests := []struct {
		at   string
		want string // the problem of submitted_at, "" for none
	}{
		{"2026-10-05T10:00:00+20:00", ""},
		{"2026-10-05T10:00:00+23:00", ""},
		{"2026-10-05T10:00:00-23:59", ""},
		{"2026-10-05T10:00:00+05:50", ""},
		{"2026-10-05T10:00:00+24:00", "must be a time RFC 3339 with its offset, such as 2026-10-05T10:00:00+05:00"},
		{"1900-01-01T00:00:00+06:00", ""},
		{"9998-12-31T23:59:59-12:00", ""},
		{"1899-12-31T23:59:59+00:00", "must be a time between the years 1900 and 9998"},
		{"9999-01-01T00:00:00+14:00", "must be a time between the years 1900 and 9998"},
	}
	for _, tc := range tests {
		line := strings.Replace(validLine, `"2026-10-05T10:00:00+05:00"`, `"`+tc.at+`"`, 1)
		_, err := attach.DecodeApplication([]byte(line))
		if tc.want == "" {
			assert.NoError(t, err, tc.at)
			continue
		}
		var inv *attach.InvalidApplicationError
		if assert.ErrorAs(t, err, &inv, tc.at) {
			p, ok := inv.Field("submitted_at")
			assert.True(t, ok, "%s: %v", tc.at, err)
			assert.True(t, strings.HasPrefix(p.Message, tc.want), "%s: %q, want it to start with %q", tc.at, p.Message, tc.want)
		}
	}
}

// TestDecodeWholeNumberBound: a whole number is read while it can take another digit
// without overflowing: 9,223,372,036,854,775,800 (the largest multiple of ten an int
// holds) is a number, too large a count; one more digit is out of range.
func TestDecodeWholeNumberBound(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	for n, want := range map[string]string{
		"9223372036854775800":  `doctor.attached: must be at most 100000 (got "9223372036854775800")`,
		"92233720368547758000": `doctor.attached: is out of range (got "92233720368547758000")`,
	} {
		line := strings.Replace(validLine, `"attached":1500`, `"attached":`+n, 1)
		app, err := attach.DecodeApplication([]byte(line))
		if err == nil { // a number: the count is refused by validation
			_, err = e.Decide(app)
		}
		var inv *attach.InvalidApplicationError
		require.ErrorAs(t, err, &inv, n)
		p, ok := inv.Field("doctor.attached")
		require.True(t, ok, "%s: %v", n, err)
		assert.Equal(t, want, p.Error(), n)
	}
}

// TestProblemQuotesAtMost64Bytes: a problem quotes the value it is about up to 64 bytes,
// whole; a longer one is cut to 64 bytes, or fewer so as not to split a character, and
// ends with "...".
func TestProblemQuotesAtMost64Bytes(t *testing.T) {
	x64 := strings.Repeat("x", 64)
	for value, got := range map[string]string{
		x64:                            x64,
		x64 + "y":                      x64 + "...",
		strings.Repeat("x", 63) + "әә": strings.Repeat("x", 63) + "...", // the 64th byte is inside ә
		strings.Repeat("x", 62) + "әә": strings.Repeat("x", 62) + "ә...",
	} {
		line := strings.Replace(validLine, `"attached":1500`, `"attached":"`+value+`"`, 1)
		_, err := attach.DecodeApplication([]byte(line))
		var inv *attach.InvalidApplicationError
		require.ErrorAs(t, err, &inv)
		p, ok := inv.Field("doctor.attached")
		require.True(t, ok, "%v", err)
		assert.Equal(t, got, p.Value, "the quoted value of %d bytes", len(value))
	}
}
