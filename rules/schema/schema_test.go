package schema_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
	"github.com/emkhana/emkhana/rules/schema"
)

// compile compiles the named schema with a validator of JSON Schema 2020-12.
func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	b, ok := schema.Named(name)
	require.True(t, ok, name)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err, "%s.schema.json is not JSON", name)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertContent()
	url := "file:///" + name + ".schema.json"
	require.NoError(t, c.AddResource(url, doc))
	s, err := c.Compile(url)
	require.NoError(t, err, "%s.schema.json is not a valid JSON Schema", name)
	return s
}

// validate validates one JSON document against s.
func validate(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// TestBuiltinSetsValidate: every built-in set is a valid rule-set document.
func TestBuiltinSetsValidate(t *testing.T) {
	s := compile(t, "rules")
	for _, set := range rules.Builtin() {
		b, ok := rules.BuiltinJSON(set.ID)
		require.True(t, ok, set.ID)
		assert.NoError(t, validate(s, b), "built-in set %s", set.ID)
	}
}

// SchemaRef is the "$schema" a built-in set declares: the schema's path from
// rules/builtin, which editors resolve against the set's file.
const SchemaRef = "../schema/rules.schema.json"

// TestBuiltinSetsDeclareSchema: every built-in set names its schema, so that an editor
// that opens it checks it and completes its keys.
func TestBuiltinSetsDeclareSchema(t *testing.T) {
	_, err := os.Stat(filepath.Join("../builtin", SchemaRef))
	require.NoError(t, err, "the $schema of the built-in sets must name the schema's file from rules/builtin")
	for _, set := range rules.Builtin() {
		b, _ := rules.BuiltinJSON(set.ID)
		var top struct {
			Schema string `json:"$schema"`
		}
		require.NoError(t, json.Unmarshal(b, &top))
		assert.Equal(t, SchemaRef, top.Schema, "rules/builtin/%s.json declares \"$schema\": %q", set.ID, SchemaRef)
	}
}

// ruleSetFiles returns the rule sets of the repository's testdata, those of the
// bad-input catalogue left out: every .json file under testdata whose object has a
// list of "rules" or "extends".
func ruleSetFiles(t *testing.T) []string {
	var files []string
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" || strings.Contains(path, "testdata/bad/") {
			return err
		}
		var top map[string]json.RawMessage
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if json.Unmarshal(b, &top) == nil && (top["extends"] != nil || bytes.HasPrefix(bytes.TrimSpace(top["rules"]), []byte("["))) {
			files = append(files, path)
		}
		return nil
	})
	require.NoError(t, err)
	return files
}

// TestTestdataSetsValidate: every rule set of testdata is a valid document, and one
// that rules.ParseHistory reads.
func TestTestdataSetsValidate(t *testing.T) {
	s := compile(t, "rules")
	files := ruleSetFiles(t)
	require.NotEmpty(t, files, "testdata holds rule sets (testdata/norm-1700)")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NoError(t, validate(s, b), f)
		_, err = rules.ParseHistory(rules.Document{Name: f, Data: b})
		assert.NoError(t, err, "%s is a rule set emkhana reads", f)
	}
}

// The cases of testdata/bad/rules.jsonl whose problem is the document's form: a key
// that is not a field, a value of the wrong type or out of its pattern, a required
// field missing or empty, too many items. The schema refuses them as the rules do.
var structurallyBadSets = []string{
	"effective_from number", "unknown rule field", "unknown top-level field",
	"param unknown type", "param float", "param wrong value type", "param month_day invalid",
	"param no value", "empty set id", "empty rule id", "bad rule id", "no rules",
	"missing source", "empty rule expression", "reserved fact name", "fact unknown type",
	"takes_effect empty", "oversized expression", "too many rules", "too many facts",
	"too many params", "bounds on a string", "codes unknown kind", "codes missing words",
	"codes bad name",
}

// Cases whose problem only compiling finds: the schema accepts them, so that it is
// not stricter than the rules about what it cannot see.
var semanticallyBadSets = []string{
	"unknown name", "unknown function", "expression syntax", "wrong operand types",
	"cyclic facts", "rule names unknown fact", "param below minimum", "runtime division by zero",
}

type badCase struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Input string `json:"input"`
}

// catalogue reads the cases of a file of testdata/bad by name.
func catalogue(t *testing.T, file string) map[string]badCase {
	f, err := os.Open(filepath.Join("../../testdata/bad", file))
	require.NoError(t, err)
	defer f.Close()
	cases := map[string]badCase{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c badCase
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c))
		cases[c.Name] = c
	}
	require.NoError(t, sc.Err())
	return cases
}

func TestBadSetsAgainstSchema(t *testing.T) {
	s := compile(t, "rules")
	cases := catalogue(t, "rules.jsonl")
	for _, names := range [][]string{structurallyBadSets, semanticallyBadSets} {
		for _, name := range names {
			c, ok := cases[name]
			require.True(t, ok, "testdata/bad/rules.jsonl has no case %q", name)
			b, err := os.ReadFile(filepath.Join("../../testdata/bad", c.File))
			require.NoError(t, err)
			err = validate(s, b)
			if slices.Contains(structurallyBadSets, name) {
				assert.Error(t, err, "the schema accepts %s (%s)", name, c.File)
			} else {
				assert.NoError(t, err, "the schema refuses %s (%s), whose problem only compiling sees", name, c.File)
			}
		}
	}
}

// TestApplicationsValidate: the applications of testdata (applications.jsonl, those of
// campaign.jsonl and every scenario's) are valid against the application schema.
func TestApplicationsValidate(t *testing.T) {
	s := compile(t, "application")
	for _, file := range []string{"applications.jsonl", "campaign.jsonl"} {
		b, err := os.ReadFile("../../testdata/" + file)
		require.NoError(t, err)
		n := 0
		for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if bytes.HasPrefix(line, []byte(`{"count"`)) {
				continue // a campaign's count line
			}
			assert.NoError(t, validate(s, line), "testdata/%s line %d", file, i+1)
			n++
		}
		require.Positive(t, n, file)
	}
	var scenarios []string
	for _, pattern := range []string{"../../testdata/scenarios/*.json", "../../testdata/*/scenarios.jsonl"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		scenarios = append(scenarios, m...)
	}
	require.NotEmpty(t, scenarios)
	for _, f := range scenarios {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		objs := [][]byte{b}
		if filepath.Ext(f) == ".jsonl" {
			objs = bytes.Split(bytes.TrimSpace(b), []byte("\n"))
		}
		for i, o := range objs {
			var sc struct {
				Application json.RawMessage `json:"application"`
			}
			require.NoError(t, json.Unmarshal(o, &sc), f)
			assert.NoError(t, validate(s, sc.Application), "the application of %s (scenario %d)", f, i+1)
		}
	}
}

// The cases of testdata/bad/applications.jsonl whose problem is the line's form. The
// others are found by deciding: a code no set declares, an IIN's check digit, a date
// that does not exist, a field the set in force reads.
var structurallyBadApplications = []string{
	"array", "json null", "empty object", "id number", "id empty", "submitted_at missing",
	"submitted_at no offset", "submitted_at date only", "submitted_at empty", "offset +24:00",
	"offset minutes 60", "channel missing", "signed string", "waives number", "unknown field",
	"unknown nested field", "field name in capitals", "nested field in capitals", "iin short",
	"iin letter", "iin number", "birth_date format", "address_code short", "address_code letters",
	"attached_since format", "attached_since empty", "clinic id empty", "service_area letters",
	"service_area string", "service_area too long", "service_area number", "doctor id empty",
	"attached negative", "attached fraction", "attached overflow", "attached string",
	"citizen null", "doctor string", "many type errors",
}

func TestBadApplicationsAgainstSchema(t *testing.T) {
	s := compile(t, "application")
	cases := catalogue(t, "applications.jsonl")
	for _, name := range structurallyBadApplications {
		c, ok := cases[name]
		require.True(t, ok, "testdata/bad/applications.jsonl has no case %q", name)
		assert.Error(t, validate(s, []byte(c.Input)), "the schema accepts %s: %s", name, c.Input)
	}
	for _, name := range []string{"iin check digit", "channel unknown", "birth_date not a day", "attached missing"} {
		assert.NoError(t, validate(s, []byte(cases[name].Input)), "the schema refuses %s, whose problem only deciding sees", name)
	}
}

func TestNamed(t *testing.T) {
	for _, name := range schema.Names() {
		b, ok := schema.Named(name)
		require.True(t, ok, name)
		assert.True(t, json.Valid(b), name)
		b[0] = 'x' // a copy: the embedded schema is not changed
		again, _ := schema.Named(name)
		assert.Equal(t, byte('{'), again[0])
	}
	_, ok := schema.Named("scenario")
	assert.False(t, ok)
	names := schema.Names()
	names[0] = "scenario" // a copy: what Named takes does not change
	assert.Equal(t, []string{"rules", "application"}, schema.Names())
}
