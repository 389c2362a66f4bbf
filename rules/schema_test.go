package rules

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules/schema"
)

// The JSON Schema of rule sets (rules/schema/rules.schema.json) is written by hand.
// These tests hold it to the Go types and limits it describes, so that a field, a type
// or a limit added here without it fails; rules/schema's tests hold it to every set of
// the repository and to the bad-input catalogue.

// jsonObject is the part of a JSON Schema these tests read.
type jsonObject struct {
	Properties map[string]jsonObject `json:"properties"`
	Required   []string              `json:"required"`
	Defs       map[string]jsonObject `json:"$defs"`
	Enum       []string              `json:"enum"`
	Pattern    string                `json:"pattern"`
	MaxLength  int                   `json:"maxLength"`
	MaxItems   int                   `json:"maxItems"`
	Not        *jsonObject           `json:"not"`
	Items      *jsonObject           `json:"items"`
	Ref        string                `json:"$ref"`
	Names      *jsonObject           `json:"propertyNames"`
}

func rulesSchema(t *testing.T) jsonObject {
	t.Helper()
	var s jsonObject
	doc, ok := schema.Named("rules")
	require.True(t, ok)
	require.NoError(t, json.Unmarshal(doc, &s))
	return s
}

// jsonKeys returns the JSON names of a struct's fields.
func jsonKeys(v any) []string {
	var keys []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return keys
}

func TestSchemaHasTheFieldsOfTheJSONForm(t *testing.T) {
	s := rulesSchema(t)
	for _, tt := range []struct {
		name   string
		form   any
		schema jsonObject
	}{
		{"set", jsonSet{}, s},
		{"param", jsonParam{}, s.Defs["param"]},
		{"fact", jsonFact{}, s.Defs["fact"]},
		{"rule", jsonRule{}, s.Defs["rule"]},
		{"citation", jsonCitation{}, s.Defs["citation"]},
		{"code", jsonCode{}, s.Defs["code"]},
		{"code's plural", jsonWords{}, s.Defs["code"].Properties["plural"]},
		{"messages", jsonWords{}, s.Defs["messages"]},
	} {
		assert.Equal(t, jsonKeys(tt.form), slices.Sorted(maps.Keys(tt.schema.Properties)), "the properties of the schema's %s are the keys ParseSet reads", tt.name)
	}
	var langs []string
	for _, l := range Languages() {
		langs = append(langs, l.String())
	}
	slices.Sort(langs)
	assert.Equal(t, langs, slices.Sorted(slices.Values(s.Defs["messages"].Required)), "messages are required in every language of Languages")
}

func TestSchemaTypesAndLimits(t *testing.T) {
	s := rulesSchema(t)
	var paramTypes, factTypes []string
	for k := Bool; k <= IntMap; k++ {
		if _, err := decodeParam(k.String(), json.RawMessage(`0`)); err == nil || !strings.Contains(err.Error(), "unknown type") {
			paramTypes = append(paramTypes, k.String())
		}
		if k != IntMap {
			factTypes = append(factTypes, k.String())
		}
	}
	assert.ElementsMatch(t, paramTypes, s.Defs["param"].Properties["type"].Enum, "the parameter types ParseSet reads")
	assert.ElementsMatch(t, factTypes, s.Defs["fact"].Properties["type"].Enum, "the fact types ParseSet reads")
	assert.ElementsMatch(t, codeKinds(), s.Properties["codes"].Names.Enum, "the kinds of code the table of inputs names")
	assert.Equal(t, nameRE.String(), s.Defs["name"].Pattern, "names")
	assert.Equal(t, maxNameLength, s.Defs["name"].MaxLength, "names")
	assert.Equal(t, maxNameLength, s.Properties["id"].MaxLength, "set ids")
	assert.ElementsMatch(t, slices.Collect(maps.Keys(reserved)), s.Defs["fact"].Properties["name"].Not.Enum, "reserved names")
	assert.Equal(t, maxExprLen, s.Defs["expr"].MaxLength)
	assert.Equal(t, maxRules, s.Properties["rules"].MaxItems)
	assert.Equal(t, maxFacts, s.Properties["facts"].MaxItems)
	assert.Equal(t, maxParams, s.Properties["params"].MaxItems)
}
