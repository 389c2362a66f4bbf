package rules

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// These tests pin the JSON form of a set (json.go): every parameter type with its
// errors, the placing of decoding errors, and that MarshalJSON writes what ParseSet reads.

// jsonDoc is a one-rule set in its JSON form with the given params and facts arrays.
func jsonDoc(params, facts string) string {
	return `{"id": "t", "effective_from": "2018-01-01", "takes_effect": "application.date",
"params": ` + params + `, "facts": ` + facts + `,
"rules": [{"id": "r", "expr": "true", "source": {"publisher": "d", "lang": "en", "quote": "q"}, "messages": {"kk": "k", "ru": "r", "en": "e"}}]}`
}

func TestDecodeParamTypes(t *testing.T) {
	tests := []struct {
		name, reason string
		typ, value   string
		want         Value
		err          string
	}{
		{name: "bool", reason: "true or false", typ: "bool", value: `true`, want: BoolValue(true)},
		{name: "int", reason: "a whole number", typ: "int", value: `1700`, want: IntValue(1700)},
		{name: "string", reason: "text", typ: "string", value: `"egov"`, want: StringValue("egov")},
		{name: "strings", reason: "a list of texts", typ: "strings", value: `["a", "b"]`, want: StringsValue([]string{"a", "b"})},
		{name: "strings_empty", reason: "an empty list is a list", typ: "strings", value: `[]`, want: StringsValue([]string{})},
		{name: "date", reason: "YYYY-MM-DD", typ: "date", value: `"2024-02-29"`, want: DateValue(20240229)},
		{name: "month_day", reason: "MM-DD", typ: "month_day", value: `"02-29"`, want: MonthDayValue(229)},
		{name: "int_map", reason: "numbers by name", typ: "int_map", value: `{"therapist": 2200}`, want: IntMapValue(map[string]int{"therapist": 2200})},
		{name: "int_map_empty", reason: "an empty map is a map", typ: "int_map", value: `{}`, want: IntMapValue(map[string]int{})},
		{name: "null", reason: "null is no value", typ: "int", value: `null`, err: "has no value"},
		{name: "bool_as_text", reason: `"true" is text`, typ: "bool", value: `"true"`, err: `value "true" is not of type bool`},
		{name: "int_fraction", reason: "1.5 is not whole", typ: "int", value: `1.5`, err: `value 1.5 is not of type int`},
		{name: "string_number", reason: "a number is not text", typ: "string", value: `5`, err: `value 5 is not of type string`},
		{name: "strings_text", reason: "a text is not a list", typ: "strings", value: `"a"`, err: `value "a" is not of type strings`},
		{name: "date_number", reason: "a date is written as text", typ: "date", value: `20240229`, err: `value 20240229 is not of type date`},
		{name: "date_not_a_day", reason: "the date must exist", typ: "date", value: `"2025-02-29"`, err: `"2025-02-29" is not a day of the calendar`},
		{name: "month_day_number", reason: "a day of the year is written as text", typ: "month_day", value: `915`, err: `value 915 is not of type month_day`},
		{name: "month_day_bad", reason: "the day must exist", typ: "month_day", value: `"02-30"`, err: `"02-30" is not a day of the year of the form MM-DD`},
		{name: "int_map_list", reason: "a list is not a map", typ: "int_map", value: `[1]`, err: `value [1] is not of type int_map`},
		{name: "unknown", reason: "decimal is not a type", typ: "decimal", value: `1`, err: `unknown type "decimal"; want bool, int, string, strings, date, month_day or int_map`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := jsonDoc(`[{"name": "p", "type": "`+tc.typ+`", "value": `+tc.value+`}]`, `[]`)
			s, err := ParseSet([]byte(doc))
			if tc.err != "" {
				var es Errors
				if !errors.As(err, &es) || len(es) != 1 || es[0].Set != "t" || es[0].Field != "params.p" || es[0].Message != tc.err || es[0].Line != 2 {
					t.Fatalf("ParseSet(%s %s) = %v, want one error on line 2, in params.p: %q (%s)", tc.typ, tc.value, err, tc.err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSet(%s %s) = %v (%s)", tc.typ, tc.value, err, tc.reason)
			}
			if got := s.Params[0].Value; !got.Equal(tc.want) || got.Kind() != tc.want.Kind() {
				t.Errorf("ParseSet(%s %s) = %v (%v), want %v (%s)", tc.typ, tc.value, got, got.Kind(), tc.want, tc.reason)
			}
		})
	}
}

func TestParseSetErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		doc          string
		want         string
	}{
		{name: "trailing", reason: "a second document after the set is a mistake", doc: jsonDoc(`[]`, `[]`) + ` {}`,
			want: "rules: t: unexpected data after the rule set's closing brace\n"},
		{name: "no_effective_from", reason: "a set must say when it begins", doc: `{"id": "t", "rules": []}`,
			want: "rules: 1:1: t: effective_from: must be a date YYYY-MM-DD\n"},
		{name: "fact_type_unknown", reason: "only value kinds are fact types", doc: jsonDoc(`[]`, `[{"name": "f", "expr": "1", "type": "decimal"}]`),
			want: "rules: 2:60: t: fact f: type: unknown type \"decimal\"; want bool, int, float, string, strings, date or month_day\n"},
		{name: "fact_type_int_map", reason: "a fact cannot be a map", doc: jsonDoc(`[]`, `[{"name": "f", "expr": "params.m", "type": "int_map"}]`),
			want: "rules: 2:67: t: fact f: type: unknown type \"int_map\"; want bool, int, float, string, strings, date or month_day\n"},
		{name: "type_error_field", reason: "a wrong JSON type names the field and its place", doc: "{\"id\": \"t\",\n \"rules\": [{\"id\": 5}]}",
			want: "rules: 2:19: rules.id: must be a JSON string, not a number\n"},
		{name: "bool_for_list", reason: "an array where a list belongs", doc: `{"id": "t", "rules": true}`,
			want: "rules: 1:22: rules: must be a JSON array, not a bool\n"},
		{name: "list_for_object", reason: "an object where a source belongs", doc: `{"id": "t", "rules": [{"source": []}]}`,
			want: "rules: 1:35: rules.source: must be a JSON object, not a array\n"},
		{name: "string_for_bound", reason: "a bound is a number", doc: `{"id": "t", "params": [{"min": "1"}]}`,
			want: "rules: 1:32: params.min: must be a JSON number, not a string\n"},
		{name: "string_for_map", reason: "messages are an object", doc: `{"id": "t", "rules": [{"messages": "x"}]}`,
			want: "rules: 1:36: rules.messages: must be a JSON object, not a string\n"},
		{name: "truncated", reason: "the end of the document is placed after its last character", doc: "{\"id\": \"т\",\n \"rules\": [",
			want: "rules: 2:12: unexpected end of the document\n"},
		{name: "syntax", reason: "a syntax error is placed in characters, not bytes", doc: "{\"id\": \"ә\", x}",
			want: "rules: 1:13: invalid character 'x' looking for beginning of object key string\n"},
		{name: "empty", reason: "no document at all", doc: "",
			want: "rules: 1:1: empty document; want a JSON object\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSet([]byte(tc.doc))
			var es Errors
			if !errors.As(err, &es) || withoutSnippets(es.Details()) != tc.want {
				t.Errorf("ParseSet(%s) = %v\nwant %q (%s)", tc.name, err, tc.want, tc.reason)
			}
		})
	}
}

func TestJSONTypeNames(t *testing.T) {
	tests := []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[string](), "string"},
		{reflect.TypeFor[bool](), "true or false"},
		{reflect.TypeFor[int](), "number"},
		{reflect.TypeFor[int64](), "number"},
		{reflect.TypeFor[float64](), "number"},
		{reflect.TypeFor[[]string](), "array"},
		{reflect.TypeFor[jsonCitation](), "object"},
		{reflect.TypeFor[map[string]int](), "object"},
		{reflect.TypeFor[*int](), "number"},
		{reflect.TypeFor[uint8](), "uint8"},
	}
	for _, tc := range tests {
		if got := jsonType(tc.t); got != tc.want {
			t.Errorf("jsonType(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\nәб\n")
	tests := []struct {
		off             int64
		wantLine, wantC int
	}{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {7, 2, 3}, {8, 3, 1}, {100, 3, 1},
	}
	for _, tc := range tests {
		if l, c := lineCol(data, tc.off); l != tc.wantLine || c != tc.wantC {
			t.Errorf("lineCol(%q, %d) = %d:%d, want %d:%d", data, tc.off, l, c, tc.wantLine, tc.wantC)
		}
	}
}

func TestParseHistoryCollects(t *testing.T) {
	good := jsonDoc(`[]`, `[]`)
	bad := strings.Replace(good, `"2018-01-01"`, `"2018-02-30"`, 1)
	_, err := ParseHistory(Document{Data: []byte(bad)}, Document{Data: []byte(good)}, Document{Name: "third.json", Data: []byte(`{"id": 1}`)})
	want := "rules: 1:31: t: effective_from: \"2018-02-30\" is not a day of the calendar\n" +
		"rules: third.json:1:8: id: must be a JSON string, not a number\n"
	var es Errors
	if !errors.As(err, &es) || withoutSnippets(es.Details()) != want {
		t.Errorf("ParseHistory(bad, good, bad) = %v\nwant %q", err, want)
	}
	_, err = ParseHistory(Document{Data: []byte(good)}, Document{Data: []byte(good)})
	want = "rules: t: id: set id used twice in the history\nrules: t: effective_from: 2018-01-01 is also the first day of set t\n"
	if !errors.As(err, &es) || es.Details() != want {
		t.Errorf("ParseHistory(good, good) = %v\nwant %q", err, want)
	}
	h, err := ParseHistory(Document{Data: []byte(good)})
	if err != nil || len(h) != 1 || h[0].ID != "t" {
		t.Errorf("ParseHistory(good) = %v, %v, want the one set", h, err)
	}
}

func TestMarshalJSONRoundTrip(t *testing.T) {
	one, ten := 1, 10
	s := testSet([]Fact{
		{Name: "since", Expr: "citizen.attached_since", Type: DateKind, Doc: "the day"},
		{Name: "day", Expr: "application.month_day", Type: MonthDayKind},
		{Name: "age", Expr: "citizen.age"},
	}, "age >= params.adult")
	s.Title, s.Zone = "a test", defaultZone
	s.Rules[0].Facts = []string{"since"}
	s.Params = []Param{
		{Name: "adult", Value: IntValue(18), Min: &one, Max: &ten, Doc: "age"},
		{Name: "open", Value: BoolValue(true)},
		{Name: "channel", Value: StringValue("egov")},
		{Name: "area", Value: StringsValue([]string{"75", "19"})},
		{Name: "start", Value: DateValue(20240229)},
		{Name: "end", Value: MonthDayValue(1115)},
		{Name: "norms", Value: IntMapValue(map[string]int{"therapist": 2200})},
	}
	s.Params[0].Value = IntValue(5)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseSet(b)
	if err != nil {
		t.Fatalf("ParseSet(MarshalJSON(s)) = %v\n%s", err, b)
	}
	if !sameSet(got, s) {
		t.Errorf("ParseSet(MarshalJSON(s)) = %+v\nwant %+v\n%s", got, s, b)
	}
	for _, set := range Builtin() {
		b, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseSet(b)
		set.Extends = "" // the JSON of an extended set is the whole set, which extends nothing
		if err != nil || !sameSet(back, set) {
			t.Errorf("ParseSet(MarshalJSON(%s)) = %v, differs from the built-in set", set.ID, err)
		}
	}
}

// sameSet reports whether two sets are equal, their parameters' values by Value.Equal and
// their bounds by the numbers they point to; where they were written is no part of them.
func sameSet(a, b Set) bool {
	if len(a.Params) != len(b.Params) {
		return false
	}
	for i := range a.Params {
		p, q := a.Params[i], b.Params[i]
		if p.Name != q.Name || p.Doc != q.Doc || !p.Value.Equal(q.Value) || !reflect.DeepEqual(p.Min, q.Min) || !reflect.DeepEqual(p.Max, q.Max) {
			return false
		}
	}
	a.Params, b.Params = nil, nil
	a.origins, b.origins = nil, nil // where the elements were written is no part of the set
	return reflect.DeepEqual(a, b)
}
