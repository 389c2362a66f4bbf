package attach

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
)

// TestFieldsCoverInputs: every input of the rules' table is filled by exactly one field of
// the same name or is derived, and every field that names an input fills it.
func TestFieldsCoverInputs(t *testing.T) {
	filled := map[string]int{}
	for _, f := range fields {
		if f.input >= 0 {
			filled[rules.Inputs()[f.input].Name]++
			assert.Equal(t, inputName(f.path), rules.Inputs()[f.input].Name, "field %s", f.path)
		}
	}
	for _, name := range derivedInputs {
		filled[name]++
	}
	for _, in := range rules.Inputs() {
		assert.Equal(t, 1, filled[in.Name], "input %s is filled %d times, want once", in.Name, filled[in.Name])
	}
	for _, f := range fields {
		if f.input < 0 && !slices.Contains([]string{"submitted_at", "citizen.iin", "citizen.birth_date"}, f.path) {
			t.Errorf("field %s fills no input and is not one the derived inputs come from", f.path)
		}
	}
}

// TestFillAllMatchesTable: the written-out fill gives what the table's loop gives, input by
// input, for generated applications.
func TestFillAllMatchesTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 500 {
		app, _ := genApplication(r, i)
		var fast, slow rules.Env
		fillAll(&fast, app)
		app.absent = 1 << 63 // no field: forces the table's loop
		fillEnv(&slow, app, allFields)
		for _, in := range rules.Inputs() {
			if slices.Contains(derivedInputs, in.Name) {
				continue
			}
			got, gotGiven := fast.Value(in.Name)
			want, wantGiven := slow.Value(in.Name)
			require.True(t, got.Equal(want) && gotGiven == wantGiven, "%s: fillAll gives %v (given %v), the table %v (given %v)", in.Name, got, gotGiven, want, wantGiven)
		}
	}
}

// TestJSONFormIsTheTable: the JSON form of an Application (encoding/json's) has exactly the
// keys of the table of fields.
func TestJSONFormIsTheTable(t *testing.T) {
	app := &Application{}
	for _, f := range fields { // every field given, so that omitempty hides none
		switch p := f.ptr(app).(type) {
		case *string:
			*p = "x"
		case *bool:
			*p = true
		case *int:
			*p = 1
		case *rules.Date:
			*p = 20240101
		case *time.Time:
			*p = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		case *[]string:
			*p = []string{"7"}
		default:
			t.Fatalf("field %s is a %T", f.path, p)
		}
	}
	b, err := json.Marshal(app)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	var keys []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			for kk := range sub {
				keys = append(keys, k+"."+kk)
			}
			continue
		}
		keys = append(keys, k)
	}
	var want []string
	for _, f := range fields {
		want = append(want, f.path)
	}
	slices.Sort(keys)
	slices.Sort(want)
	assert.Equal(t, want, keys)
}

// TestRemovingAnyReadFieldIsAnError is the property: leave out, or set to null, any field
// that the set in force reads and an application must give, and the result is an error
// naming that field, never a decision.
func TestRemovingAnyReadFieldIsAnError(t *testing.T) {
	e, err := New(rules.Builtin())
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(11, 11))
	tried := map[string]int{}
	for i := range 300 {
		app, _ := genApplication(r, i)
		line, err := json.Marshal(app)
		require.NoError(t, err)
		full, err := DecodeApplication(line)
		require.NoError(t, err)
		d, err := e.Decide(full)
		if err != nil {
			continue // no set in force
		}
		c, _ := e.prog.At(d.Date)
		read := c.Reads()
		for _, f := range fields {
			optional := f.need == rules.Optional
			if f.input >= 0 && !slices.Contains(read, rules.Inputs()[f.input].Name) && f.need != rules.RequiredAlways {
				continue // the set does not read it
			}
			for _, how := range []string{"missing", "null"} {
				cut := cutField(t, line, f.path, how)
				app2, err := DecodeApplication(cut)
				if err == nil {
					_, err = e.Decide(app2)
				}
				if optional {
					// The present attachment's three fields go together: leaving one out
					// is an error naming them. Any other optional field may be left out.
					if !strings.HasPrefix(f.path, "citizen.current_") && f.path != "citizen.attached_since" {
						assert.NoError(t, err, "%s %s: an optional field may be left out", f.path, how)
					}
					continue
				}
				tried[f.path]++
				var inv *InvalidApplicationError
				require.ErrorAs(t, err, &inv, "%s %s: want an invalid application", f.path, how)
				_, named := inv.Field(f.path)
				assert.True(t, named, "%s %s: the error %v does not name the field", f.path, how, err)
			}
		}
	}
	for _, f := range fields {
		if f.need != rules.Optional {
			assert.Positive(t, tried[f.path], "field %s was never removed", f.path)
		}
	}
}

// cutField removes the key path from a JSON application, or sets it to null.
func cutField(t *testing.T, line []byte, path, how string) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(line, &m))
	obj := m
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		obj = obj[p].(map[string]any)
	}
	last := parts[len(parts)-1]
	if how == "null" {
		obj[last] = nil
	} else {
		delete(obj, last)
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// TestREADMEFields: the README's table of an application's fields is the table of fields
// written out: each key, its JSON type, when it is required and what it is, the default of
// an optional one included. go test ./attach -run TestREADMEFields -update rewrites it.
func TestREADMEFields(t *testing.T) {
	const begin, end = "<!-- fields: go test ./attach -run TestREADMEFields -update -->", "<!-- end of fields -->"
	src, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	before, rest, ok := strings.Cut(string(src), begin+"\n")
	require.True(t, ok, "README.md has no line %s", begin)
	_, after, ok := strings.Cut(rest, end)
	require.True(t, ok, "README.md has no line %s", end)
	want := readmeFields()
	if *update {
		require.NoError(t, os.WriteFile("../README.md", []byte(before+begin+"\n"+want+end+after), 0o644))
		return
	}
	got, _, _ := strings.Cut(rest, end)
	assert.Equal(t, want, got, "README.md's fields; go test ./attach -run TestREADMEFields -update rewrites them")
}

// readmeFields writes the table of fields as the README shows it.
func readmeFields() string {
	var b strings.Builder
	b.WriteString("| field | JSON | required | what it is |\n|---|---|---|---|\n")
	for _, f := range fields {
		doc, typ := f.doc, ""
		switch f.ptr(&Application{}).(type) {
		case *string:
			typ = "string"
		case *bool:
			typ = "true/false"
		case *int:
			typ = "whole number"
		case *rules.Date:
			typ = `"YYYY-MM-DD"`
		case *time.Time:
			typ = "RFC 3339 time"
		case *[]string:
			typ = "array of strings"
		}
		if f.input >= 0 {
			in := rules.Inputs()[f.input]
			doc = in.Doc
			if in.Codes != "" {
				doc += "; a " + in.Codes + " code of the rule sets"
			}
		}
		need := map[rules.Requirement]string{rules.RequiredAlways: "always", rules.RequiredWhenRead: "when the set in force reads it", rules.Optional: "no"}[f.need]
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.path, typ, need, strings.ReplaceAll(doc, "|", `\|`))
	}
	return b.String()
}
