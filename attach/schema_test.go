package attach

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
	"github.com/emkhana/emkhana/rules/schema"
)

// The JSON Schema of applications (rules/schema/application.schema.json) is written by
// hand. This test holds it to the table of fields that DecodeApplication reads with: the
// same keys, the same required ones, the JSON type of each Go field, null where the
// decoder takes null for "left out"; rules/schema's tests hold it to the applications
// of the repository and to the bad-input catalogue.

// node is a JSON Schema object as this test reads it.
type node struct {
	Type       any             `json:"type"` // a name or a list of names
	Ref        string          `json:"$ref"`
	OneOf      []node          `json:"oneOf"`
	Properties map[string]node `json:"properties"`
	Required   []string        `json:"required"`
	Examples   []string        `json:"examples"`
	Pattern    string          `json:"pattern"`
	Maximum    *int            `json:"maximum"`
	Additional *bool           `json:"additionalProperties"`
}

// types returns the JSON types a node allows, a $ref as "$ref:NAME".
func (n node) types() []string {
	var out []string
	switch t := n.Type.(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, s := range t {
			out = append(out, s.(string))
		}
	}
	if n.Ref != "" {
		out = append(out, "$ref:"+strings.TrimPrefix(n.Ref, "#/$defs/"))
	}
	for _, o := range n.OneOf {
		out = append(out, o.types()...)
	}
	slices.Sort(out)
	return out
}

func TestApplicationSchemaMirrorsTheDecoder(t *testing.T) {
	var top node
	doc, ok := schema.Named("application")
	require.True(t, ok)
	require.NoError(t, json.Unmarshal(doc, &top))
	objects := map[string]node{"": top}
	for _, part := range []string{"citizen", "clinic", "doctor"} {
		n, ok := top.Properties[part]
		require.True(t, ok, "the schema has %s", part)
		assert.Equal(t, []string{"object"}, n.types(), "%s is an object, never null: its required fields would be missing", part)
		objects[part+"."] = n
	}
	app := &Application{}
	want := map[string][]string{} // the keys of each object, by prefix
	for _, f := range fields {
		prefix, key := "", f.path
		if i := strings.LastIndexByte(f.path, '.'); i >= 0 {
			prefix, key = f.path[:i+1], f.path[i+1:]
		}
		want[prefix] = append(want[prefix], key)
		obj := objects[prefix]
		prop, ok := obj.Properties[key]
		if !assert.True(t, ok, "the schema has no %s", f.path) {
			continue
		}
		assert.Equal(t, f.need == rules.RequiredAlways, slices.Contains(obj.Required, key), "%s is required exactly when every application gives it", f.path)
		var types []string
		switch f.ptr(app).(type) {
		case *string:
			types = []string{"string"}
		case *bool:
			types = []string{"boolean"}
		case *int:
			types = []string{"integer"}
		case *rules.Date:
			types = []string{"$ref:date"}
		case *time.Time:
			types = []string{"$ref:instant"}
		case *[]string:
			types = []string{"array"}
		}
		if f.need != rules.RequiredAlways {
			types = append(types, "null") // the decoder reads null as left out
		}
		slices.Sort(types)
		assert.Equal(t, types, prop.types(), "the JSON types of %s", f.path)
		if f.kato {
			pattern := "^[0-9]{9}$"
			if f.need == rules.Optional {
				pattern = "^([0-9]{9})?$" // "" is none
			}
			assert.Equal(t, pattern, prop.Pattern, "%s holds a KATO code of 9 digits", f.path)
		}
	}
	want[""] = append(want[""], "citizen", "clinic", "doctor")
	for prefix, obj := range objects {
		assert.ElementsMatch(t, want[prefix], slices.Collect(maps.Keys(obj.Properties)), "the keys of %q are the fields of the table", prefix)
		require.NotNil(t, obj.Additional, "%q: additionalProperties", prefix)
		assert.False(t, *obj.Additional, "%q: a key that is not a field is an error", prefix)
	}
	assert.Equal(t, MaxAttached, *objects["doctor."].Properties["attached"].Maximum)
}

// TestApplicationSchemaExamples: the codes the schema offers an editor are codes of
// the built-in history.
func TestApplicationSchemaExamples(t *testing.T) {
	var top node
	doc, ok := schema.Named("application")
	require.True(t, ok)
	require.NoError(t, json.Unmarshal(doc, &top))
	e, err := New(rules.Builtin())
	require.NoError(t, err)
	for _, tt := range []struct {
		path  string
		n     node
		codes []string
	}{
		{"channel", top.Properties["channel"], e.known.channel},
		{"reason", top.Properties["reason"], append([]string{""}, e.known.reason...)},
		{"citizen.residency", top.Properties["citizen"].Properties["residency"], e.known.residency},
		{"doctor.specialty", top.Properties["doctor"].Properties["specialty"], e.known.specialty},
	} {
		require.NotEmpty(t, tt.n.Examples, tt.path)
		assert.Subset(t, tt.codes, tt.n.Examples, "the examples of %s are codes of the built-in history", tt.path)
	}
}
