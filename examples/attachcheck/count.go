package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
)

// isCount reports whether the line's first key is "count": a doctor's count before a
// campaign, not an application. A line whose first key is written plainly is told
// without a decoder; one with an escape in it is read by encoding/json.
func isCount(line []byte) bool {
	i := skipSpace(line, 0)
	if i == len(line) || line[i] != '{' {
		return false
	}
	i = skipSpace(line, i+1)
	if i == len(line) || line[i] != '"' {
		return false
	}
	end := bytes.IndexByte(line[i+1:], '"')
	if end >= 0 && bytes.IndexByte(line[i+1:i+1+end], '\\') < 0 {
		return string(line[i+1:i+1+end]) == "count"
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	t, err := dec.Token()
	return err == nil && t == "count"
}

// skipSpace returns the index of the first byte at or after i that is not JSON
// whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// decodeCount reads a count line, {"count":{"clinic_id":"C1","doctor_id":"D1","attached":N}},
// and validates it as an application's doctor is validated: every field given, no other
// key, the ids not empty, attached 0 to attach.MaxAttached. Its error lists every problem.
func decodeCount(line []byte) (campaign.DoctorCount, error) {
	var w struct {
		Count *struct {
			ClinicID *string `json:"clinic_id"`
			DoctorID *string `json:"doctor_id"`
			Attached *int    `json:"attached"`
		} `json:"count"`
	}
	if err := decodeStrict(line, &w, "count"); err != nil {
		return campaign.DoctorCount{}, err
	}
	c := w.Count
	if c == nil {
		return campaign.DoctorCount{}, fmt.Errorf("count: must be an object with clinic_id, doctor_id and attached")
	}
	var problems []string
	add := func(field, value, msg string) {
		problems = append(problems, (&attach.FieldError{Field: "count." + field, Value: value, Message: msg}).Error())
	}
	var out campaign.DoctorCount
	for _, id := range []struct {
		field string
		v     *string
		to    *string
	}{{"clinic_id", c.ClinicID, &out.ClinicID}, {"doctor_id", c.DoctorID, &out.DoctorID}} {
		switch {
		case id.v == nil:
			add(id.field, "", "must be given")
		case *id.v == "":
			add(id.field, "", "must not be empty")
		default:
			*id.to = *id.v
		}
	}
	switch {
	case c.Attached == nil:
		add("attached", "", "must be given")
	case *c.Attached < 0:
		add("attached", strconv.Itoa(*c.Attached), "must not be negative")
	case *c.Attached > attach.MaxAttached:
		add("attached", strconv.Itoa(*c.Attached), "must be at most "+strconv.Itoa(attach.MaxAttached))
	default:
		out.Attached = *c.Attached
	}
	if len(problems) > 0 {
		return campaign.DoctorCount{}, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return out, nil
}
