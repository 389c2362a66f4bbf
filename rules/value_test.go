package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The tests of value.go pin Value (value.go): each kind's accessors, what the others give, its
// text and JSON forms, and equality.

// TestValueOf: ValueOf makes a value of each type's kind, holding what it was given; an
// untyped constant is an int, so a date must be typed as one.
func TestValueOf(t *testing.T) {
	l, m := []string{"a"}, map[string]int{"therapist": 2200}
	tests := []struct {
		v    Value
		kind Kind
		want any
	}{
		{ValueOf(true), Bool, true},
		{ValueOf(1700), Int, 1700},
		{ValueOf(0.5), Float, 0.5},
		{ValueOf("kandas"), String, "kandas"},
		{ValueOf(l), Strings, l},
		{ValueOf(m), IntMap, m},
		{ValueOf(Date(20271231)), DateKind, Date(20271231)},
		{ValueOf(MonthDay(901)), MonthDayKind, MonthDay(901)},
		{ValueOf(20271231), Int, 20271231},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.kind, tc.v.Kind(), "ValueOf(%v)", tc.want)
		assert.Equal(t, tc.want, tc.v.Any(), "ValueOf(%v)", tc.want)
	}
}

func TestKindNames(t *testing.T) {
	for _, name := range []string{"bool", "int", "float", "string", "strings", "date", "month_day", "int_map"} {
		k, ok := kindNamed(name)
		assert.True(t, ok, "kindNamed(%q)", name)
		assert.Equal(t, name, k.String(), "kindNamed(%q) gives the kind of that name", name)
	}
	for _, name := range []string{"invalid", "", "Int", "decimal"} {
		k, ok := kindNamed(name)
		assert.False(t, ok, "kindNamed(%q)", name)
		assert.Equal(t, Invalid, k, "kindNamed(%q)", name)
	}
	assert.Equal(t, "kind(9)", Kind(9).String())
	assert.Equal(t, "int_map", IntMap.String())
}

func TestValueAccessors(t *testing.T) {
	m := map[string]int{"therapist": 2200}
	values := []Value{
		{}, boolValue(true), boolValue(false), intValue(-3), floatValue(1.25), stringValue("egov"),
		stringsValue([]string{"75", "19"}), dateValue(20240229), monthDayValue(915), intMapValue(m),
	}
	type all struct {
		kind     Kind
		b        bool
		n        int
		f        float64
		d        Date
		md       MonthDay
		s        string
		strs     int // length of Strings(), -1 for nil
		intMap   bool
		text     string
		jsonText string
	}
	want := []all{
		{kind: Invalid, strs: -1, text: "<invalid>", jsonText: "null"},
		{kind: Bool, b: true, strs: -1, text: "true", jsonText: "true"},
		{kind: Bool, strs: -1, text: "false", jsonText: "false"},
		{kind: Int, n: -3, f: -3, strs: -1, text: "-3", jsonText: "-3"},
		{kind: Float, f: 1.25, strs: -1, text: "1.25", jsonText: "1.25"},
		{kind: String, s: "egov", strs: -1, text: "egov", jsonText: `"egov"`},
		{kind: Strings, strs: 2, text: `["75","19"]`, jsonText: `["75","19"]`},
		{kind: DateKind, n: 20240229, d: 20240229, strs: -1, text: "2024-02-29", jsonText: `"2024-02-29"`},
		{kind: MonthDayKind, n: 915, md: 915, strs: -1, text: "09-15", jsonText: `"09-15"`},
		{kind: IntMap, strs: -1, intMap: true, text: `{"therapist":2200}`, jsonText: `{"therapist":2200}`},
	}
	for i, v := range values {
		w := want[i]
		strs := -1
		if v.Strings() != nil {
			strs = len(v.Strings())
		}
		b, err := v.MarshalJSON()
		got := all{kind: v.Kind(), b: v.Bool(), n: v.Int(), f: v.Float(), d: v.Date(), md: v.MonthDay(), s: v.Str(),
			strs: strs, intMap: v.IntMap() != nil, text: v.String(), jsonText: string(b)}
		assert.NoError(t, err, "Value #%d (%v).MarshalJSON()", i, w.kind)
		assert.Equal(t, w, got, "Value #%d (%v)", i, w.kind)
	}
}

func TestValueAny(t *testing.T) {
	// assert.Equal compares types too: a Date is not an int.
	assert.Equal(t, Date(20240229), dateValue(20240229).Any())
	assert.Equal(t, 20240229, dateValue(20240229).exprAny(), "expressions order numbers")
	assert.Equal(t, MonthDay(915), monthDayValue(915).Any())
	assert.Equal(t, 915, monthDayValue(915).exprAny())
	assert.Equal(t, 4, intValue(4).exprAny())
	assert.Equal(t, true, boolValue(true).Any())
	assert.Equal(t, 0.5, floatValue(0.5).Any())
	assert.Equal(t, "x", stringValue("x").Any())
	assert.Nil(t, (Value{}).Any())
	assert.Equal(t, []string{"a"}, stringsValue([]string{"a"}).Any())
	assert.Equal(t, map[string]int{"a": 1}, intMapValue(map[string]int{"a": 1}).Any())
}

func TestValueEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{name: "same_int", a: intValue(1), b: intValue(1), want: true},
		{name: "other_int", a: intValue(1), b: intValue(2)},
		{name: "int_date", a: intValue(20240229), b: dateValue(20240229)},
		{name: "strings_copies", a: stringsValue([]string{"a", "b"}), b: stringsValue([]string{"a", "b"}), want: true},
		{name: "strings_differ", a: stringsValue([]string{"a", "b"}), b: stringsValue([]string{"a", "c"})},
		{name: "maps_copies", a: intMapValue(map[string]int{"a": 1}), b: intMapValue(map[string]int{"a": 1}), want: true},
		{name: "maps_differ", a: intMapValue(map[string]int{"a": 1}), b: intMapValue(map[string]int{"a": 2})},
		{name: "texts_differ", a: stringValue("a"), b: stringValue("b")},
		{name: "zero", a: Value{}, b: Value{}, want: true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.a.Equal(tc.b), "%v.Equal(%v) (%s)", tc.a, tc.b, tc.name)
	}
}
