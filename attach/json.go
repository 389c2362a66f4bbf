package attach

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// The JSON form of an application, with dates and times as text so that a malformed one
// is reported with its field's path.
type wireApplication struct {
	ID               string      `json:"id"`
	SubmittedAt      string      `json:"submitted_at"`
	Channel          Channel     `json:"channel"`
	Signed           bool        `json:"signed"`
	Reason           Reason      `json:"reason"`
	WaivesHomeVisits bool        `json:"waives_home_visits"`
	Citizen          wireCitizen `json:"citizen"`
	Clinic           Clinic      `json:"clinic"`
	Doctor           Doctor      `json:"doctor"`
}

type wireCitizen struct {
	IIN             string    `json:"iin"`
	BirthDate       string    `json:"birth_date"`
	Residency       Residency `json:"residency"`
	Insured         bool      `json:"insured"`
	AddressCode     string    `json:"address_code"`
	CurrentClinicID string    `json:"current_clinic_id"`
	CurrentDoctorID string    `json:"current_doctor_id"`
	AttachedSince   string    `json:"attached_since"`
}

// DecodeApplication reads one application from its JSON form (the form the checker
// reads: see the package documentation). Unknown fields, values of the wrong JSON type
// and malformed dates are errors, reported as an *InvalidApplicationError with each
// field's path; a syntax error is reported with its byte offset. It checks the form
// only: Decide checks the values.
func DecodeApplication(data []byte) (*Application, error) {
	var w wireApplication
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		if fe := unknownField(data); fe != nil {
			return nil, &InvalidApplicationError{ID: w.ID, Problems: []*FieldError{fe}}
		}
		return nil, decodeError(w.ID, err)
	}
	if fe := unknownField(data); fe != nil { // a field matched without regard to case
		return nil, &InvalidApplicationError{ID: w.ID, Problems: []*FieldError{fe}}
	}
	if dec.More() {
		return nil, &InvalidApplicationError{ID: w.ID, Problems: []*FieldError{{Message: "unexpected data after the application's closing brace"}}}
	}
	app := &Application{
		ID: w.ID, Channel: w.Channel, Signed: w.Signed, Reason: w.Reason, WaivesHomeVisits: w.WaivesHomeVisits,
		Citizen: Citizen{
			IIN: w.Citizen.IIN, Residency: w.Citizen.Residency, Insured: w.Citizen.Insured, AddressCode: w.Citizen.AddressCode,
			CurrentClinicID: w.Citizen.CurrentClinicID, CurrentDoctorID: w.Citizen.CurrentDoctorID,
		},
		Clinic: w.Clinic, Doctor: w.Doctor,
	}
	var p problems
	if w.SubmittedAt != "" {
		t, err := time.Parse(time.RFC3339, w.SubmittedAt)
		if err != nil {
			p.add("submitted_at", w.SubmittedAt, "must be a time RFC 3339 with its offset, such as 2026-10-05T10:00:00+05:00", err)
		}
		app.SubmittedAt = t
	}
	for _, f := range []struct {
		path string
		in   string
		out  *rules.Date
	}{{"citizen.birth_date", w.Citizen.BirthDate, &app.Citizen.BirthDate}, {"citizen.attached_since", w.Citizen.AttachedSince, &app.Citizen.AttachedSince}} {
		if f.in == "" {
			continue
		}
		d, err := rules.ParseDate(f.in)
		if err != nil {
			p.add(f.path, f.in, "must be a date YYYY-MM-DD that exists", err)
		}
		*f.out = d
	}
	if len(p) > 0 {
		return nil, &InvalidApplicationError{ID: w.ID, Problems: p}
	}
	return app, nil
}

// decodeError turns an error of encoding/json into an *InvalidApplicationError.
func decodeError(id string, err error) error {
	fe := &FieldError{Message: strings.TrimPrefix(err.Error(), "json: "), Err: err}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		fe.Message = fmt.Sprintf("not valid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		fe.Field = typ.Field
		fe.Message = fmt.Sprintf("must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), article(typ.Value))
	case err == io.EOF:
		fe.Message = "empty input; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		fe.Message = "unexpected end of input; the JSON object is not closed"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		fe.Field = name
		fe.Message = "is not a field of an application"
	}
	return &InvalidApplicationError{ID: id, Problems: []*FieldError{fe}}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "true or false"
	case "int", "int64":
		return "whole number"
	case "slice":
		return "array"
	case "struct":
		return "object"
	}
	return goKind
}

// article prefixes the name of a JSON kind with "a" or "an".
func article(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// fieldNames are the JSON names of each object of an application, by its path.
var fieldNames = map[string][]string{
	"":        {"id", "submitted_at", "channel", "signed", "reason", "waives_home_visits", "citizen", "clinic", "doctor"},
	"citizen": {"iin", "birth_date", "residency", "insured", "address_code", "current_clinic_id", "current_doctor_id", "attached_since"},
	"clinic":  {"id", "fund_provider", "service_area"},
	"doctor":  {"id", "specialty", "attached"},
}

// unknownField returns the first key of data, or of its citizen, clinic and doctor
// objects, that is not exactly a field's name, with its path. encoding/json would match
// "SIGNED" to signed and names no path for an unknown field; this does both. It returns
// nil when every key is known or data is not an object of objects.
func unknownField(data []byte) *FieldError {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	for _, path := range []string{"", "citizen", "clinic", "doctor"} {
		obj := top
		prefix := ""
		if path != "" {
			obj = nil
			if json.Unmarshal(top[path], &obj) != nil {
				continue
			}
			prefix = path + "."
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if slices.Contains(fieldNames[path], k) {
				continue
			}
			fe := &FieldError{Field: prefix + k, Message: "is not a field of an application"}
			for _, name := range fieldNames[path] {
				if strings.EqualFold(name, k) {
					fe.Message += "; field names are lower-case: " + prefix + name
				}
			}
			return fe
		}
	}
	return nil
}
