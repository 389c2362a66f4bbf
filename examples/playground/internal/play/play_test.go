package play

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExamplesAreLinesOfTheSampleFile(t *testing.T) {
	b, err := os.ReadFile("../../../../testdata/applications.jsonl")
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	require.NotEmpty(t, Examples())
	for _, ex := range Examples() {
		assert.Contains(t, lines, ex, "an example is a line of testdata/applications.jsonl")
	}
}

// example returns the ready example of that id.
func example(t *testing.T, id string) []byte {
	t.Helper()
	for _, ex := range Examples() {
		if strings.Contains(ex, `"id": "`+id+`"`) {
			return []byte(ex)
		}
	}
	t.Fatalf("no example %s", id)
	return nil
}

func TestEveryExampleIsDecided(t *testing.T) {
	id, set := NewestSet()
	var p Playground
	for _, ex := range Examples() {
		r := p.Decide(set, []byte(ex))
		require.Empty(t, r.Problems, ex)
		require.NotNil(t, r.Decision)
		assert.Equal(t, id, r.RuleSet)
		for _, lang := range Languages {
			w := r.Decision.Citizen[lang]
			assert.Len(t, w.Messages, len(r.Decision.Failed), "a message per failed rule in %s", lang)
		}
		assert.NotEmpty(t, r.Decision.Trace)
		assert.True(t, json.Valid(r.Decision.Official))
	}
}

// replaceParam returns the set document with the parameter's value changed, keeping its
// layout: in its params when it declares the parameter, else, for a set that extends
// another, under values.
func replaceParam(t *testing.T, set []byte, name, value string) []byte {
	t.Helper()
	s := string(set)
	if i := strings.Index(s, `"name": "`+name+`"`); i >= 0 {
		j := i + strings.Index(s[i:], `"value": `) + len(`"value": `)
		k := j + strings.IndexAny(s[j:], ",\n}")
		return []byte(s[:j] + value + s[k:])
	}
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(set, &top))
	require.Contains(t, top, "extends", "the set declares %s or extends a set that does", name)
	require.NotContains(t, top, "values", "the test adds values")
	i := strings.Index(s, `"extends": `)
	k := i + strings.IndexByte(s[i:], '\n') + 1
	return []byte(s[:k] + `  "values": {"` + name + `": ` + value + "},\n" + s[k:])
}

func TestCapacityChangesTheDecision(t *testing.T) {
	_, set := NewestSet()
	var p Playground
	app := example(t, "capacity-1999")
	before := p.Decide(set, app)
	require.NotNil(t, before.Decision, before.Problems)
	assert.Equal(t, "approved", before.Decision.Outcome)
	after := p.Decide(replaceParam(t, set, "capacity", "1700"), app)
	require.NotNil(t, after.Decision, after.Problems)
	assert.Equal(t, "rejected", after.Decision.Outcome)
	assert.Contains(t, after.Decision.Failed, "capacity")
	far := p.Decide(set, example(t, "out-of-area-no-waiver"))
	require.NotNil(t, far.Decision, far.Problems)
	for _, lang := range Languages {
		assert.NotEmpty(t, far.Decision.Citizen[lang].Remedies, "a rejection comes with what would change it, in %s", lang)
	}
}

// at returns the text of the document from a problem's line and column.
func at(doc []byte, p Problem) string {
	lines := strings.Split(string(doc), "\n")
	if p.Line < 1 || p.Line > len(lines) {
		return ""
	}
	r := []rune(lines[p.Line-1])
	if p.Column < 1 || p.Column > len(r)+1 {
		return ""
	}
	return string(r[p.Column-1:])
}

func TestProblemsArePlacedInTheDocument(t *testing.T) {
	_, set := NewestSet()
	s := string(set)
	app := example(t, "campaign-change-approved")
	var doc struct {
		Rules []struct {
			ID       string            `json:"id"`
			Expr     string            `json:"expr"`
			Messages map[string]string `json:"messages"`
		} `json:"rules"`
	}
	require.NoError(t, json.Unmarshal(set, &doc))
	capacity := doc.Rules[0]
	for _, r := range doc.Rules {
		if r.ID == "capacity" {
			capacity = r
		}
	}
	tests := []struct {
		name, reason string
		set          string
		at           string // what the document holds where the problem is
		text         string // a part of the problem's text
	}{
		{"unknown name in a rule", "the column of an expression is mapped to the document",
			replaceString(t, s, capacity.Expr, capacity.Expr+" && capacty > 0"), `capacty > 0"`, "rule " + capacity.ID + ": expr:"},
		{"after an escaped quote", "an escape is one character of the expression and two of the document",
			replaceString(t, s, capacity.Expr, `"x" != "" && nosuch`), `nosuch"`, "unknown name nosuch"},
		{"syntax of the document", "JSON syntax is placed by the decoder",
			strings.Replace(s, `"rules": [`, `"rules": [,`, 1), `,`, "invalid character"},
		{"parameter out of bounds", "a parameter's problem is placed at its value",
			string(replaceParam(t, set, "capacity", "0")), `0`, "capacity"},
		{"message names a fact the rule does not show", "a template's column is mapped too",
			replaceString(t, s, capacity.Messages["ru"], "{nofact} "+capacity.Messages["ru"]), `nofact} `, "messages.ru: {nofact} names a fact this rule does not show"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, s, tt.set, "the test changed the set")
			var p Playground
			r := p.Decide([]byte(tt.set), app)
			require.NotEmpty(t, r.Problems, tt.reason)
			pr := r.Problems[0]
			assert.Equal(t, RulesName, pr.Doc)
			assert.True(t, strings.HasPrefix(at([]byte(tt.set), pr), tt.at), "%s (%s): %s points at %q", tt.name, tt.reason, pr.Text, at([]byte(tt.set), pr))
			assert.Contains(t, pr.Text, tt.text)
			assert.Contains(t, pr.Text, RulesName+":"+itoa(pr.Line)+":"+itoa(pr.Column)+": ")
		})
	}
}

// replaceString returns the document with the JSON string old, as the document writes
// it, replaced by the string new.
func replaceString(t *testing.T, doc, old, new string) string {
	t.Helper()
	enc := func(s string) string {
		var b strings.Builder
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		require.NoError(t, e.Encode(s))
		return strings.TrimSuffix(b.String(), "\n")
	}
	require.Contains(t, doc, enc(old))
	return strings.Replace(doc, enc(old), enc(new), 1)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestApplicationProblems(t *testing.T) {
	_, set := NewestSet()
	var p Playground
	var v any
	require.NoError(t, json.Unmarshal(example(t, "campaign-change-approved"), &v))
	pretty, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	app := strings.Replace(string(pretty), `"egov"`, `"fax"`, 1)
	r := p.Decide(set, []byte(app))
	require.Nil(t, r.Decision)
	require.NotEmpty(t, r.Problems)
	var channel *Problem
	for i := range r.Problems {
		if strings.Contains(r.Problems[i].Text, "channel") {
			channel = &r.Problems[i]
		}
	}
	require.NotNil(t, channel, "%v", r.Problems)
	assert.Equal(t, ApplicationName, channel.Doc)
	assert.Equal(t, strings.Count(app[:strings.Index(app, `"fax"`)], "\n")+1, channel.Line)
	assert.True(t, strings.HasPrefix(at([]byte(app), *channel), `"fax"`))
	r = p.Decide(set, []byte("{\n  \"id\": \"A\",,\n}"))
	require.NotEmpty(t, r.Problems)
	assert.Equal(t, 2, r.Problems[0].Line, r.Problems[0].Text)
}

// TestCompiledOnce: the same document is not compiled again.
func TestCompiledOnce(t *testing.T) {
	_, set := NewestSet()
	var p Playground
	p.Decide(set, example(t, "capacity-1999"))
	e := p.engine
	p.Decide(append([]byte(nil), set...), example(t, "everything-wrong"))
	assert.Same(t, e, p.engine)
}
