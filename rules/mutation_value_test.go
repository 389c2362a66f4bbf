package rules

import (
	"testing"
)

// These tests pin Value (value.go): each kind's accessors, what the others give, its
// text and JSON forms, and equality.

func TestKindNames(t *testing.T) {
	for _, name := range []string{"bool", "int", "float", "string", "strings", "date", "month_day", "int_map"} {
		k, ok := kindNamed(name)
		if !ok || k.String() != name {
			t.Errorf("kindNamed(%q) = %v, %v, want the kind of that name", name, k, ok)
		}
	}
	for _, name := range []string{"invalid", "", "Int", "decimal"} {
		if k, ok := kindNamed(name); ok || k != Invalid {
			t.Errorf("kindNamed(%q) = %v, %v, want Invalid, false", name, k, ok)
		}
	}
	if got := Kind(9).String(); got != "kind(9)" {
		t.Errorf("Kind(9).String() = %q, want kind(9)", got)
	}
	if got := IntMap.String(); got != "int_map" {
		t.Errorf("IntMap.String() = %q, want int_map", got)
	}
}

func TestValueAccessors(t *testing.T) {
	m := map[string]int{"therapist": 2200}
	values := []Value{
		{}, BoolValue(true), BoolValue(false), IntValue(-3), FloatValue(1.25), StringValue("egov"),
		StringsValue([]string{"75", "19"}), DateValue(20240229), MonthDayValue(915), IntMapValue(m),
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
		if err != nil || got != w {
			t.Errorf("Value #%d (%v) = %+v, %v\nwant %+v", i, w.kind, got, err, w)
		}
	}
}

func TestValueAny(t *testing.T) {
	if got := DateValue(20240229).Any(); got != Date(20240229) {
		t.Errorf("DateValue.Any() = %#v, want Date(20240229)", got)
	}
	if got := DateValue(20240229).exprAny(); got != 20240229 {
		t.Errorf("DateValue.exprAny() = %#v, want int 20240229: expressions order numbers", got)
	}
	if got := MonthDayValue(915).Any(); got != MonthDay(915) {
		t.Errorf("MonthDayValue.Any() = %#v, want MonthDay(915)", got)
	}
	if got := MonthDayValue(915).exprAny(); got != 915 {
		t.Errorf("MonthDayValue.exprAny() = %#v, want int 915", got)
	}
	if got := IntValue(4).exprAny(); got != 4 {
		t.Errorf("IntValue.exprAny() = %#v, want 4", got)
	}
	if got := BoolValue(true).Any(); got != true {
		t.Errorf("BoolValue(true).Any() = %#v, want true", got)
	}
	if got := FloatValue(0.5).Any(); got != 0.5 {
		t.Errorf("FloatValue.Any() = %#v, want 0.5", got)
	}
	if got := StringValue("x").Any(); got != "x" {
		t.Errorf("StringValue.Any() = %#v, want x", got)
	}
	if got := (Value{}).Any(); got != nil {
		t.Errorf("Value{}.Any() = %#v, want nil", got)
	}
	if got, ok := StringsValue([]string{"a"}).Any().([]string); !ok || len(got) != 1 || got[0] != "a" {
		t.Errorf("StringsValue.Any() = %#v, want [a]", got)
	}
	if got, ok := IntMapValue(map[string]int{"a": 1}).Any().(map[string]int); !ok || got["a"] != 1 {
		t.Errorf("IntMapValue.Any() = %#v, want map[a:1]", got)
	}
}

func TestValueEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{name: "same_int", a: IntValue(1), b: IntValue(1), want: true},
		{name: "other_int", a: IntValue(1), b: IntValue(2)},
		{name: "int_date", a: IntValue(20240229), b: DateValue(20240229)},
		{name: "strings_copies", a: StringsValue([]string{"a", "b"}), b: StringsValue([]string{"a", "b"}), want: true},
		{name: "strings_differ", a: StringsValue([]string{"a", "b"}), b: StringsValue([]string{"a", "c"})},
		{name: "maps_copies", a: IntMapValue(map[string]int{"a": 1}), b: IntMapValue(map[string]int{"a": 1}), want: true},
		{name: "maps_differ", a: IntMapValue(map[string]int{"a": 1}), b: IntMapValue(map[string]int{"a": 2})},
		{name: "texts_differ", a: StringValue("a"), b: StringValue("b")},
		{name: "zero", a: Value{}, b: Value{}, want: true},
	}
	for _, tc := range tests {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%v.Equal(%v) = %v, want %v (%s)", tc.a, tc.b, got, tc.want, tc.name)
		}
	}
}
