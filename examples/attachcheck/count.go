package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// isCount reports whether the line's first key is "count": a doctor's count before a
// campaign, not an application.
func isCount(line []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	t, err := dec.Token()
	return err == nil && t == "count"
}

// decodeCount reads a count line, {"count":{"clinic_id":"C1","doctor_id":"D1","attached":N}}.
func decodeCount(line []byte) (attach.DoctorCount, error) {
	var w struct {
		Count attach.DoctorCount `json:"count"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return attach.DoctorCount{}, errors.New("count: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return w.Count, nil
}
