package rules

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of json.go pin the JSON form of a set: every parameter type with its
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
		{name: "bool", reason: "true or false", typ: "bool", value: `true`, want: boolValue(true)},
		{name: "int", reason: "a whole number", typ: "int", value: `1700`, want: intValue(1700)},
		{name: "string", reason: "text", typ: "string", value: `"egov"`, want: stringValue("egov")},
		{name: "strings", reason: "a list of texts", typ: "strings", value: `["a", "b"]`, want: stringsValue([]string{"a", "b"})},
		{name: "strings_empty", reason: "an empty list is a list", typ: "strings", value: `[]`, want: stringsValue([]string{})},
		{name: "date", reason: "YYYY-MM-DD", typ: "date", value: `"2024-02-29"`, want: dateValue(20240229)},
		{name: "month_day", reason: "MM-DD", typ: "month_day", value: `"02-29"`, want: monthDayValue(229)},
		{name: "int_map", reason: "numbers by name", typ: "int_map", value: `{"therapist": 2200}`, want: intMapValue(map[string]int{"therapist": 2200})},
		{name: "int_map_empty", reason: "an empty map is a map", typ: "int_map", value: `{}`, want: intMapValue(map[string]int{})},
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
				require.ErrorAs(t, err, &es, tc.reason)
				require.Len(t, es, 1, tc.reason)
				assert.Equal(t, "t", es[0].Set)
				assert.Equal(t, "params.p", es[0].Field)
				assert.Equal(t, tc.err, es[0].Message, tc.reason)
				assert.Equal(t, 2, es[0].Line, "the error is on the line of the parameter")
				return
			}
			require.NoError(t, err, tc.reason)
			got := s.Params[0].Value
			assert.True(t, got.Equal(tc.want), "ParseSet(%s %s) = %v (%v), want %v (%s)", tc.typ, tc.value, got, got.Kind(), tc.want, tc.reason)
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
			require.ErrorAs(t, err, &es, tc.reason)
			assert.Equal(t, tc.want, withoutSnippets(es.Details()), tc.reason)
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
		assert.Equal(t, tc.want, jsonType(tc.t), "jsonType(%v)", tc.t)
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
		l, c := lineCol(data, tc.off)
		assert.Equal(t, [2]int{tc.wantLine, tc.wantC}, [2]int{l, c}, "lineCol(%q, %d): line and column", data, tc.off)
	}
}

func TestParseHistoryCollects(t *testing.T) {
	good := jsonDoc(`[]`, `[]`)
	bad := strings.Replace(good, `"2018-01-01"`, `"2018-02-30"`, 1)
	_, err := ParseHistory(Document{Data: []byte(bad)}, Document{Data: []byte(good)}, Document{Name: "third.json", Data: []byte(`{"id": 1}`)})
	want := "rules: 1:31: t: effective_from: \"2018-02-30\" is not a day of the calendar\n" +
		"rules: third.json:1:8: id: must be a JSON string, not a number\n"
	var es Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, want, withoutSnippets(es.Details()), "ParseHistory(bad, good, bad)")
	_, err = ParseHistory(Document{Name: "a.json", Data: []byte(good)}, Document{Name: "b.json", Data: []byte(good)})
	want = "rules: b.json:1:8: t: id: set id used twice in the history\nrules: b.json:1:31: t: effective_from: 2018-01-01 is also the first day of set t\n"
	es = nil
	require.ErrorAs(t, err, &es)
	assert.Equal(t, want, withoutSnippets(es.Details()), "ParseHistory(good, good): the second document is the one that repeats")
	h, err := ParseHistory(Document{Data: []byte(good)})
	require.NoError(t, err)
	require.Len(t, h, 1)
	assert.Equal(t, "t", h[0].ID)
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
		{Name: "adult", Value: intValue(18), Min: &one, Max: &ten, Doc: "age"},
		{Name: "open", Value: boolValue(true)},
		{Name: "channel", Value: stringValue("egov")},
		{Name: "area", Value: stringsValue([]string{"75", "19"})},
		{Name: "start", Value: dateValue(20240229)},
		{Name: "end", Value: monthDayValue(1115)},
		{Name: "norms", Value: intMapValue(map[string]int{"therapist": 2200})},
	}
	s.Params[0].Value = intValue(5)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	got, err := ParseSet(b)
	require.NoError(t, err, "ParseSet(MarshalJSON(s))\n%s", b)
	assertSameSet(t, s, got, "ParseSet(MarshalJSON(s))\n%s", b)
	for _, set := range Builtin() {
		b, err := json.Marshal(set)
		require.NoError(t, err)
		back, err := ParseSet(b)
		require.NoError(t, err, "ParseSet(MarshalJSON(%s))", set.ID)
		set.Extends = "" // the JSON of an extended set is the whole set, which extends nothing
		assertSameSet(t, set, back, "ParseSet(MarshalJSON(%s))", set.ID)
	}
}

// assertSameSet fails the test, with a diff, when got differs from want: their
// parameters' values compared by Value.Equal (reflect.DeepEqual, under assert.Equal,
// would compare the pointers of lists and maps), the rest, the numbers the bounds point
// to included, field by field; where they were written is no part of them.
func assertSameSet(t *testing.T, want, got Set, msgAndArgs ...any) {
	t.Helper()
	if !assert.Len(t, got.Params, len(want.Params), msgAndArgs...) {
		return
	}
	for i := range want.Params {
		w, g := want.Params[i].Value, got.Params[i].Value
		assert.True(t, w.Equal(g), "param %s = %v (%v), want %v (%v)", want.Params[i].Name, g, g.Kind(), w, w.Kind())
	}
	withoutValues := func(ps []Param) []Param {
		ps = slices.Clone(ps)
		for i := range ps {
			ps[i].Value = Value{}
		}
		return ps
	}
	want.Params, got.Params = withoutValues(want.Params), withoutValues(got.Params)
	want.origins, got.origins = nil, nil // where the elements were written is no part of the set
	assert.Equal(t, want, got, msgAndArgs...)
}

// TestValueStart: a decoding error placed at the end of a scalar is moved to its first
// byte: a string, past escaped quotes and escaped backslashes, a number, a literal, at the
// start of the document too; what is not a scalar stays at the end.
func TestValueStart(t *testing.T) {
	tests := []struct {
		data string
		want int64
	}{
		{`{"k": "a\"b"}`, 6},
		{`{"k": "a\\"}`, 6},
		{`"abc"`, 0},
		{`\"ab"`, 5}, // the only quote before the last is escaped: no start is found
		{`{"k": -12.5e3}`, 6},
		{`true`, 0},
		{`{"k": [1]}`, 9},
		{``, 0},
	}
	for _, tc := range tests {
		end := int64(len(tc.data))
		if strings.HasSuffix(tc.data, "}") {
			end-- // the value ends before the closing brace
		}
		assert.Equal(t, tc.want, valueStart([]byte(tc.data), end), "valueStart(%s, %d)", tc.data, end)
	}
}

// A syntax error in the first byte of a document is placed there, at 1:1.
func TestSyntaxErrorAtTheFirstByte(t *testing.T) {
	_, err := ParseHistory(Document{Name: "x.json", Data: []byte("x")})
	var es Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, [3]any{"x.json", 1, 1}, [3]any{es[0].File, es[0].Line, es[0].Column}, "%v", es[0])
	assert.NotEmpty(t, es[0].Snippet)
}

// TestUnknownFieldAtItsKey: an unknown field is placed at its own key, not at a later
// place in the document that holds the same name (a code's "kk" word, here), and a
// field in another case is read as encoding/json reads it, not reported.
func TestUnknownFieldAtItsKey(t *testing.T) {
	doc := "{\"id\": \"x\", \"EFFECTIVE_FROM\": \"2027-01-01\",\n \"kk\": 1,\n \"codes\": {\"reason\": [{\"code\": \"r\", \"kk\": \"a\", \"ru\": \"b\", \"en\": \"c\"}]}}"
	_, err := ParseHistory(Document{Name: "x.json", Data: []byte(doc)})
	var es Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, [3]any{"x.json", 2, 2}, [3]any{es[0].File, es[0].Line, es[0].Column}, "%v", es[0])
	assert.Contains(t, es[0].Message, `unknown field "kk"`)
}
