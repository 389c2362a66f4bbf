package rules

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
)

// Kind is the type of a Value: the types a fact or a parameter may have.
type Kind uint8

// The kinds of values. The zero Kind is Invalid: the zero Value holds nothing.
const (
	Invalid      Kind = iota
	Bool              // true or false
	Int               // a whole number
	Float             // a number with a fraction (the result of "/")
	String            // text
	Strings           // a list of texts
	DateKind          // a civil date (Date)
	MonthDayKind      // a day of the year (MonthDay)
	IntMap            // a map from text to whole numbers (parameters only)
)

var kindNames = [...]string{"invalid", "bool", "int", "float", "string", "strings", "date", "month_day", "int_map"}

// kindNamed returns the kind of that name.
func kindNamed(name string) (Kind, bool) {
	for i, n := range kindNames {
		if n == name && i != int(Invalid) {
			return Kind(i), true
		}
	}
	return Invalid, false
}

// String returns the kind's name as rule-set JSON spells it ("int", "month_day", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is the value of a fact or parameter. Holding one allocates nothing: strings,
// lists and maps are shared, not copied. The zero Value is Invalid.
type Value struct {
	s    string         // String
	l    []string       // Strings
	m    map[string]int // IntMap
	n    int64          // Bool (0 or 1), Int, DateKind, MonthDayKind; Float: its bits
	kind Kind
}

// ValueOf makes a Value of x's kind: a bool a Bool, an int an Int, a float64 a Float, a
// string a String, a []string Strings, a map[string]int an IntMap, a [Date] a DateKind
// and a [MonthDay] a MonthDayKind value. A list or a map is shared, not copied.
//
// An untyped constant is a bool, an int, a float64 or a string: write
// rules.ValueOf(rules.Date(20260101)) for a date, since rules.ValueOf(20260101) is an Int.
func ValueOf[T bool | int | float64 | string | []string | map[string]int | Date | MonthDay](x T) Value {
	v, _ := valueOfAny(x) // T is one of the types valueOfAny takes
	return v
}

// valueOfAny is [ValueOf] of a value of any type: false when it is none of ValueOf's.
func valueOfAny(x any) (Value, bool) {
	switch x := x.(type) {
	case bool:
		return boolValue(x), true
	case int:
		return intValue(x), true
	case float64:
		return floatValue(x), true
	case string:
		return stringValue(x), true
	case []string:
		return stringsValue(x), true
	case map[string]int:
		return intMapValue(x), true
	case Date:
		return dateValue(x), true
	case MonthDay:
		return monthDayValue(x), true
	}
	return Value{}, false
}

// boolValue, intValue, ... make a Value of each kind.
func boolValue(b bool) Value {
	if b {
		return Value{kind: Bool, n: 1}
	}
	return Value{kind: Bool}
}

// intValue makes an Int value.
func intValue(n int) Value { return Value{kind: Int, n: int64(n)} }

// floatValue makes a Float value.
func floatValue(f float64) Value { return Value{kind: Float, n: int64(math.Float64bits(f))} }

// stringValue makes a String value.
func stringValue(s string) Value { return Value{kind: String, s: s} }

// stringsValue makes a Strings value; the slice is shared, not copied.
func stringsValue(l []string) Value {
	return Value{kind: Strings, l: l}
}

// dateValue makes a DateKind value.
func dateValue(d Date) Value { return Value{kind: DateKind, n: int64(d)} }

// monthDayValue makes a MonthDayKind value.
func monthDayValue(md MonthDay) Value { return Value{kind: MonthDayKind, n: int64(md)} }

// intMapValue makes an IntMap value; the map is shared, not copied.
func intMapValue(m map[string]int) Value {
	return Value{kind: IntMap, m: m}
}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// Bool returns the value of a Bool; false for other kinds.
func (v Value) Bool() bool { return v.kind == Bool && v.n != 0 }

// Int returns the value of an Int, Date or [MonthDay] as a number; 0 for other kinds.
func (v Value) Int() int {
	switch v.kind {
	case Int, DateKind, MonthDayKind:
		return int(v.n)
	}
	return 0
}

// Float returns the value of a Float or Int as a float64; 0 for other kinds.
func (v Value) Float() float64 {
	switch v.kind {
	case Float:
		return math.Float64frombits(uint64(v.n))
	case Int:
		return float64(v.n)
	}
	return 0
}

// Date returns the value of a DateKind value; the zero Date for other kinds.
func (v Value) Date() Date {
	if v.kind == DateKind {
		return Date(v.n)
	}
	return 0
}

// MonthDay returns the value of a MonthDayKind value; 0 for other kinds.
func (v Value) MonthDay() MonthDay {
	if v.kind == MonthDayKind {
		return MonthDay(v.n)
	}
	return 0
}

// Str returns the value of a String; "" for other kinds.
func (v Value) Str() string {
	if v.kind == String {
		return v.s
	}
	return ""
}

// Strings returns the value of a Strings value (shared; do not modify); nil for other kinds.
func (v Value) Strings() []string {
	if v.kind == Strings {
		return v.l
	}
	return nil
}

// IntMap returns the value of an IntMap value (shared; do not modify); nil for other kinds.
func (v Value) IntMap() map[string]int {
	if v.kind == IntMap {
		return v.m
	}
	return nil
}

// Any returns the value as the Go value an expression sees: bool, int, float64, string,
// []string, Date, [MonthDay] or map[string]int; nil for the zero Value.
func (v Value) Any() any {
	switch v.kind {
	case Bool:
		return v.n != 0
	case Int:
		return int(v.n)
	case Float:
		return v.Float()
	case String:
		return v.s
	case Strings:
		return v.Strings()
	case DateKind:
		return Date(v.n)
	case MonthDayKind:
		return MonthDay(v.n)
	case IntMap:
		return v.IntMap()
	}
	return nil
}

// String formats the value for people and logs: dates as YYYY-MM-DD, lists as [a b].
func (v Value) String() string {
	switch v.kind {
	case Bool:
		return strconv.FormatBool(v.n != 0)
	case Int:
		return strconv.FormatInt(v.n, 10)
	case Float:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case String:
		return v.s
	case DateKind:
		return Date(v.n).String()
	case MonthDayKind:
		return MonthDay(v.n).String()
	case Invalid:
		return "<invalid>"
	}
	b, _ := json.Marshal(v.Any())
	return string(b)
}

// Equal reports whether v and w are of the same kind and hold the same value.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind || v.n != w.n || v.s != w.s {
		return false
	}
	if !slices.Equal(v.Strings(), w.Strings()) {
		return false
	}
	return maps.Equal(v.IntMap(), w.IntMap())
}

// exprAny returns the value as an expression reads it: dates and days of the year as int.
func (v Value) exprAny() any {
	switch v.kind {
	case DateKind, MonthDayKind:
		return int(v.n)
	}
	return v.Any()
}

// MarshalJSON writes the value as JSON: dates as "YYYY-MM-DD", month-days as "MM-DD".
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case DateKind, MonthDayKind:
		return json.Marshal(v.String())
	}
	return json.Marshal(v.Any())
}
