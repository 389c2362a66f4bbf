package rules

import (
	"errors"
	"flag"
	"fmt"
	"math/bits"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/emkhana/emkhana/rules/internal/fast"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The table of inputs (inputs.go) and everything made from it.

// TestInputNames: every input is named object.field, object one of citizen, clinic,
// doctor and application, once; and says what it is.
func TestInputNames(t *testing.T) {
	field := regexp.MustCompile(`^[a-z][a-z_]*$`)
	seen := map[string]bool{}
	for i, in := range Inputs() {
		obj, f, ok := strings.Cut(in.Name, ".")
		if !ok || !slices.Contains(objects[:], obj) || !field.MatchString(f) {
			t.Errorf("input %d is named %q, want object.field with object one of %v", i, in.Name, objects)
		}
		if seen[in.Name] {
			t.Errorf("input %s is in the table twice", in.Name)
		}
		seen[in.Name] = true
		if j, ok := inputIndex[in.Name]; !ok || j != i {
			t.Errorf("inputIndex[%s] = %d, %v; want %d", in.Name, j, ok, i)
		}
		if in.Doc == "" {
			t.Errorf("input %s has no Doc", in.Name)
		}
		if in.Codes != "" && in.Kind != String {
			t.Errorf("input %s of kind %s names codes %q: only a String input holds codes", in.Name, in.Kind, in.Codes)
		}
		switch in.Kind {
		case Bool, Int, String, Strings, DateKind, MonthDayKind:
		default:
			t.Errorf("input %s is of kind %s, which no input may be", in.Name, in.Kind)
		}
	}
	require.Len(t, seen, len(inputs))
	require.LessOrEqual(t, len(inputs), 64, "an inputSet holds at most 64 inputs")
	assert.Equal(t, len(inputs), bits.OnesCount64(uint64(allInputs)))
	assert.Equal(t, inputSet(1)<<len(inputs)-1, allInputs)
}

// TestInputsIsACopy: changing what Inputs returns does not change the table.
func TestInputsIsACopy(t *testing.T) {
	a := Inputs()
	a[0].Name, a[0].Kind = "changed", Float
	b := Inputs()
	assert.Equal(t, inputs[0].Name, b[0].Name)
	assert.Equal(t, inputs[0].Kind, b[0].Kind)
	assert.NotEqual(t, "changed", b[0].Name)
}

func TestRequirementString(t *testing.T) {
	assert.Equal(t, "always", RequiredAlways.String())
	assert.Equal(t, "when read", RequiredWhenRead.String())
	assert.Equal(t, "optional", Optional.String())
}

// TestInputDefault: an input's default is the zero value of its kind.
func TestInputDefault(t *testing.T) {
	for _, in := range Inputs() {
		d := in.Default()
		assert.Equal(t, in.Kind, d.Kind(), in.Name)
		assert.True(t, d.Equal(Value{kind: in.Kind}), "%s: default %v, want the zero %s", in.Name, d, in.Kind)
	}
}

// exprTypeName is how expressions see an input of kind k, as the expr env spells it.
func exprTypeName(k Kind) string {
	switch k {
	case String:
		return "string"
	case Bool:
		return "bool"
	case Strings:
		return "[]string"
	}
	return "int" // Int, DateKind, MonthDayKind
}

// TestExprEnvIsTheTable: the names expressions are checked against are the table's
// inputs, each with the type of its kind, in a strict map per object.
func TestExprEnvIsTheTable(t *testing.T) {
	env := exprEnv()
	require.Len(t, env, len(objects))
	got := map[string]string{}
	for obj, x := range env {
		m, ok := x.(types.Map)
		require.True(t, ok, "exprEnv()[%s] is a %T, want a types.Map", obj, x)
		require.True(t, m.Nature().Strict, "exprEnv()[%s] must be strict, so that a misspelt input is a compile error", obj)
		for field, typ := range m {
			got[obj+"."+field] = typ.String()
		}
	}
	want := map[string]string{}
	for _, in := range inputs {
		want[in.Name] = exprTypeName(in.Kind)
	}
	assert.Equal(t, want, got)
}

// TestReaderOfEveryInput: the fast path reads every input in place, as a fast.Field of
// the frame's copy of the Env, of the type expressions see; what it reads is that input
// and no other.
func TestReaderOfEveryInput(t *testing.T) {
	marked := func(k Kind) any {
		switch k {
		case String:
			return "marked"
		case Bool:
			return true
		case Strings:
			return []string{"marked"}
		}
		return 20240229
	}
	for i, in := range inputs {
		env := envOf(map[string]any{in.Name: marked(in.Kind)})
		f := &frame{env: env.vals}
		for _, other := range inputs {
			rd, ok := reader(other.Name)
			require.True(t, ok, "no reader of %s: expressions reading it run on the VM", other.Name)
			require.IsType(t, fast.Field{}, rd, "reader(%s)", other.Name)
			obj, name, _ := strings.Cut(other.Name, ".")
			node := &ast.MemberNode{Node: &ast.IdentifierNode{Value: obj}, Property: &ast.StringNode{Value: name}}
			node.SetType(reflect.TypeOf(marked(other.Kind)))
			e, err := fast.Compile(node, newResolver(nil, nil))
			require.NoError(t, err, "reader(%s)", other.Name)
			require.Equal(t, rd, e.Field, "reader(%s) is not read in place", other.Name)
			v, _ := env.Value(other.Name)
			read := (&expression{kind: other.Kind, fast: e}).value(f)
			if got, want := read.exprAny(), v.exprAny(); !reflect.DeepEqual(got, want) {
				t.Errorf("with %s marked: reader(%s) = %#v, want %#v", inputs[i].Name, other.Name, got, want)
			}
		}
	}
	for _, name := range []string{"citizen.nope", "citizen", "params.capacity", ""} {
		if _, ok := reader(name); ok {
			t.Errorf("reader(%q) found, want none", name)
		}
	}
}

// TestSliceInputsAreTheLists: sliceInputs are exactly the Strings inputs, so that no
// deferred fact reads memory the caller may change.
func TestSliceInputsAreTheLists(t *testing.T) {
	var want inputSet
	for i, in := range inputs {
		if in.Kind == Strings {
			want |= 1 << i
		}
	}
	require.NotZero(t, want)
	assert.Equal(t, want.names(), sliceInputs.names())
	assert.Equal(t, want, sliceInputs)
}

func TestInputsNamed(t *testing.T) {
	clinic, ok := inputsNamed("clinic")
	require.True(t, ok)
	assert.Equal(t, []string{"clinic.id", "clinic.address_code", "clinic.fund_provider", "clinic.service_area"}, clinic.names())
	for _, obj := range objects {
		s, ok := inputsNamed(obj)
		var want []string
		for _, in := range inputs {
			if strings.HasPrefix(in.Name, obj+".") {
				want = append(want, in.Name)
			}
		}
		assert.True(t, ok, obj)
		assert.Equal(t, want, s.names(), "inputsNamed(%s)", obj)
	}
	one, ok := inputsNamed("doctor.attached")
	require.True(t, ok)
	assert.Equal(t, []string{"doctor.attached"}, one.names())
	assert.Zero(t, one&clinic)
	for _, bad := range []string{"doctor.atached", "clin", "params", "", ".", "doctor.", "citizen.age.x"} {
		if s, ok := inputsNamed(bad); ok || s != 0 {
			t.Errorf("inputsNamed(%q) = %v, %v; want none", bad, s.names(), ok)
		}
	}
}

// update rewrites the documents the package's tests generate instead of comparing with
// them: go test ./rules -run TestDocListsTheInputs -update. It is the one such flag of
// package rules' tests.
var update = flag.Bool("update", false, "rewrite generated documentation")

// TestDocListsTheInputs: the list of names in doc.go's section Expressions is the table of
// inputs, written out by docInputLines: each input's name, type, requirement and doc, in
// the table's order. Adding an input to the table and running the test with -update
// rewrites the list.
func TestDocListsTheInputs(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	lines := strings.Split(string(src), "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "//\tcitizen.") })
	require.GreaterOrEqual(t, start, 0, "doc.go lists no input")
	end := start
	for end < len(lines) && isInputLine(lines[end]) {
		end++
	}
	want := docInputLines()
	if *update {
		out := slices.Concat(lines[:start], want, lines[end:])
		require.NoError(t, os.WriteFile("doc.go", []byte(strings.Join(out, "\n")), 0o644))
		return
	}
	assert.Equal(t, strings.Join(want, "\n"), strings.Join(lines[start:end], "\n"), "doc.go's list of inputs; go test ./rules -run TestDocListsTheInputs -update rewrites it")
	// The list is complete: no input is listed elsewhere in doc.go.
	for i, l := range lines {
		if (i < start || i >= end) && isInputLine(l) {
			t.Errorf("doc.go:%d lists an input outside the list: %s", i+1, l)
		}
	}
}

// isInputLine reports whether a line of doc.go lists an input: "//\tOBJECT.name ...".
func isInputLine(l string) bool {
	rest, ok := strings.CutPrefix(l, "//\t")
	if !ok {
		return false
	}
	obj, _, ok := strings.Cut(rest, ".")
	return ok && slices.Contains(objects[:], obj)
}

// docInputLines writes the table of inputs as doc.go lists it.
func docInputLines() []string {
	var out []string
	for _, in := range inputs {
		out = append(out, strings.TrimRight(fmt.Sprintf("//\t%-31s %-9s %-9s %s", in.Name, in.Kind, in.Required, in.Doc), " "))
	}
	return out
}

// Env.

func TestEnvSetRefuses(t *testing.T) {
	var env Env
	err := env.Set("citizen.nope", intValue(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"citizen.nope"`)
	assert.Contains(t, err.Error(), "citizen.age", "the error lists the inputs")
	tests := []struct {
		name string
		v    Value
	}{
		{"citizen.age", stringValue("30")},
		{"citizen.age", dateValue(20240229)},
		{"citizen.age", floatValue(30)},
		{"citizen.insured", intValue(1)},
		{"citizen.residency", stringsValue([]string{"citizen"})},
		{"clinic.service_area", stringValue("75")},
		{"application.date", monthDayValue(229)},
		{"application.date", stringValue("2024-02-29")},
		{"application.month_day", dateValue(20240229)},
		{"application.year", Value{}},
	}
	for _, tc := range tests {
		err := env.Set(tc.name, tc.v)
		if assert.Error(t, err, "Set(%s, %v of kind %s)", tc.name, tc.v, tc.v.Kind()) {
			in := inputs[inputIndex[tc.name]]
			for _, part := range []string{tc.name, in.Kind.String(), tc.v.Kind().String()} {
				assert.Contains(t, err.Error(), part, "Set(%s, a %s)", tc.name, tc.v.Kind())
			}
		}
	}
	assert.Equal(t, Env{}, env, "a refused Set changes nothing")
}

func TestEnvSetAndValue(t *testing.T) {
	var env Env
	for _, in := range inputs {
		v, given := env.Value(in.Name)
		assert.False(t, given, "%s given by the zero Env", in.Name)
		assert.True(t, v.Equal(in.Default()), "%s of the zero Env = %v, want its default", in.Name, v)
	}
	v, given := env.Value("citizen.nope")
	assert.False(t, given)
	assert.Equal(t, Invalid, v.Kind())
	tests := []struct {
		name string
		v    Value
		want Value
	}{
		{"citizen.age", intValue(30), intValue(30)},
		{"citizen.insured", boolValue(true), boolValue(true)},
		{"citizen.residency", stringValue("citizen"), stringValue("citizen")},
		{"clinic.service_area", stringsValue([]string{"75"}), stringsValue([]string{"75"})},
		{"application.date", intValue(20240229), dateValue(20240229)},
		{"citizen.attached_since", dateValue(20230101), dateValue(20230101)},
		{"application.month_day", intValue(229), monthDayValue(229)},
		{"application.month_day", monthDayValue(301), monthDayValue(301)},
		{"citizen.current_clinic_id", stringValue(""), stringValue("")}, // the default, given
	}
	for _, tc := range tests {
		require.NoError(t, env.Set(tc.name, tc.v))
		got, given := env.Value(tc.name)
		assert.True(t, given, tc.name)
		assert.True(t, got.Equal(tc.want), "Value(%s) = %v (%s), want %v (%s)", tc.name, got, got.Kind(), tc.want, tc.want.Kind())
	}
}

// TestEnvTypedSettersIgnoreOthers: the typed setters, SetInput and Unset do nothing, and
// do not panic, for an index out of range or of an input of another kind.
func TestEnvTypedSettersIgnoreOthers(t *testing.T) {
	env := envOf(map[string]any{"citizen.age": 30})
	before := *env
	kinds := map[string]func(Kind) bool{
		"SetString":  func(k Kind) bool { return k == String },
		"SetInt":     func(k Kind) bool { return k == Int || k == DateKind || k == MonthDayKind },
		"SetBool":    func(k Kind) bool { return k == Bool },
		"SetStrings": func(k Kind) bool { return k == Strings },
		"SetInput":   func(Kind) bool { return true },
		"Unset":      func(Kind) bool { return true },
	}
	setters := map[string]func(i int){
		"SetString":  func(i int) { env.SetString(i, "x") },
		"SetInt":     func(i int) { env.SetInt(i, 7) },
		"SetBool":    func(i int) { env.SetBool(i, true) },
		"SetStrings": func(i int) { env.SetStrings(i, []string{"x"}) },
		"SetInput":   func(i int) { env.SetInput(i, intValue(7)) },
		"Unset":      func(i int) { env.Unset(i) },
	}
	for name, setter := range setters {
		for _, i := range []int{-1, -64, len(inputs), 63, 64, 1000} {
			assert.NotPanics(t, func() { setter(i) }, "%s(%d)", name, i)
			assert.Equal(t, before, *env, "%s(%d) changed the Env", name, i)
		}
		for i, in := range inputs {
			if kinds[name](in.Kind) {
				continue
			}
			assert.NotPanics(t, func() { setter(i) }, "%s(%s)", name, in.Name)
			assert.Equal(t, before, *env, "%s(%s), an input of kind %s, changed the Env", name, in.Name, in.Kind)
		}
	}
	// Each typed setter does set the inputs of its kind.
	for i, in := range inputs {
		e := &Env{}
		var want Value
		switch in.Kind {
		case String:
			e.SetString(i, "x")
			want = stringValue("x")
		case Bool:
			e.SetBool(i, true)
			want = boolValue(true)
		case Strings:
			e.SetStrings(i, []string{"x"})
			want = stringsValue([]string{"x"})
		default:
			e.SetInt(i, 20240229)
			want = map[Kind]Value{Int: intValue(20240229), DateKind: dateValue(20240229), MonthDayKind: monthDayValue(20240229)}[in.Kind]
		}
		got, given := e.Value(in.Name)
		assert.True(t, given && got.Equal(want), "typed setter of %s: %v, %v; want %v", in.Name, got, given, want)
	}
}

// TestEnvUnset: an unset input is not given and reads as its default; unsetting it is a
// change that an incremental evaluation sees, unsetting an input not given none.
func TestEnvUnset(t *testing.T) {
	s := testSet(nil, "citizen.insured", `citizen.current_clinic_id == ""`)
	c, _ := MustCompile(History{s}).At(20180101)
	env := envOf(map[string]any{"citizen.insured": true, "citizen.current_clinic_id": "C1", "application.date": 20240229})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	require.Equal(t, []bool{true, false}, r.Passed)
	for _, name := range []string{"citizen.insured", "citizen.current_clinic_id"} {
		env.Unset(inputIndex[name])
		v, given := env.Value(name)
		assert.False(t, given, name)
		assert.True(t, v.Equal(inputs[inputIndex[name]].Default()), "%s unset reads %v, want its default", name, v)
	}
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{false, true}, r.Passed, "Eval after Unset: both Optional inputs read as their defaults")
	again := *env
	env.Unset(inputIndex["citizen.insured"])
	assert.Equal(t, again, *env, "unsetting an input not given changes nothing")
	assert.Nil(t, c.Missing(env), "Optional inputs are never missing")
	// The first input of the table, and indexes outside it.
	first := inputs[0].Name
	_, given := env.Value(first)
	require.True(t, given, first)
	env.Unset(0)
	_, given = env.Value(first)
	assert.False(t, given, "Unset(0) unsets %s", first)
	again = *env
	env.Unset(-1)
	env.Unset(len(inputs))
	assert.Equal(t, again, *env, "Unset of an index outside the table changes nothing")
}

// TestSetStringsCountsAsChange: a list may change in place; giving it again counts as a
// change, which an incremental evaluation sees.
func TestSetStringsCountsAsChange(t *testing.T) {
	s := testSet(nil, "hasAnyPrefix(citizen.address_code, clinic.service_area)")
	c, _ := MustCompile(History{s}).At(20180101)
	area := []string{"7511"}
	env := envOf(map[string]any{"citizen.address_code": "751110000", "clinic.service_area": area, "application.date": 20240229})
	var r Result
	require.NoError(t, c.Eval(env, &r))
	require.True(t, r.Passed[0])
	area[0] = "19"
	env.SetStrings(inputIndex["clinic.service_area"], area)
	require.NoError(t, c.Eval(env, &r))
	assert.False(t, r.Passed[0], "Eval after the list changed in place and was given again")
}

// TestMissing: Missing names the inputs the set reads, not Optional, that the Env does not
// give, in the table's order; and Eval refuses such an Env with a *MissingInputError
// naming them, never a decision.
func TestMissing(t *testing.T) {
	s := testSet([]Fact{{Name: "full", Expr: "doctor.attached >= params.capacity"}},
		"!full", "citizen.insured || citizen.age >= 18", `application.reason != "x"`)
	s.Params = []Param{{Name: "capacity", Value: intValue(10)}}
	c, _ := MustCompile(History{s}).At(20180101)
	assert.Equal(t, []string{"citizen.insured", "citizen.age", "doctor.attached", "application.reason", "application.date"}, c.Reads())

	assert.Equal(t, []string{"citizen.age", "doctor.attached", "application.date"}, c.Missing(&Env{}),
		"the zero Env: every input read but the Optional citizen.insured and application.reason; clinic.id, RequiredAlways, is not read")
	assert.Nil(t, c.Missing(envOf(nil)), "an Env that gives every input")

	// A Result that held a decision holds none after a refusal.
	var r Result
	require.NoError(t, c.Eval(envOf(map[string]any{"citizen.age": 30, "application.date": 20240229}), &r))
	require.NotNil(t, r.Facts())
	for _, tc := range []struct {
		give    map[string]any
		missing []string
	}{
		{give: nil, missing: []string{"citizen.age", "doctor.attached", "application.date"}},
		{give: map[string]any{"doctor.attached": 3}, missing: []string{"citizen.age", "application.date"}},
		{give: map[string]any{"doctor.attached": 3, "citizen.age": 30, "clinic.id": "C1"}, missing: []string{"application.date"}},
	} {
		env := &Env{}
		for name, x := range tc.give {
			set(t, env, name, x)
		}
		assert.Equal(t, tc.missing, c.Missing(env))
		err := c.Eval(env, &r)
		var me *MissingInputError
		if assert.True(t, errors.As(err, &me), "Eval = %v, want a *MissingInputError", err) {
			assert.Equal(t, "t", me.Set)
			assert.Equal(t, tc.missing, me.Inputs)
			assert.Equal(t, "rules: t: reads "+strings.Join(tc.missing, ", ")+", not given", err.Error())
		}
		assert.False(t, errors.As(err, new(*RuntimeError)), "a missing input is no runtime failure")
		assert.Nil(t, r.Facts(), "after a refusal the Result holds no decision")
		assert.Equal(t, Invalid, r.Fact(0).Kind())
	}

	// Given the rest, the same Env and Result decide, with what a whole evaluation gives.
	env := &Env{}
	set(t, env, "doctor.attached", 12)
	require.Error(t, c.Eval(env, &r))
	set(t, env, "citizen.age", 17)
	set(t, env, "application.date", 20240229)
	require.Nil(t, c.Missing(env))
	require.NoError(t, c.Eval(env, &r))
	assert.Equal(t, []bool{false, false, true}, r.Passed, "citizen.insured and application.reason read as their defaults")
	// Unsetting a needed input refuses again.
	env.Unset(inputIndex["doctor.attached"])
	var me *MissingInputError
	require.ErrorAs(t, c.Eval(env, &r), &me)
	assert.Equal(t, []string{"doctor.attached"}, me.Inputs)
	assert.Nil(t, r.Facts())
}
