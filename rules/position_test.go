package rules_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/rules"
)

// textAt returns what doc holds from line and column (both from 1, columns in characters).
func textAt(doc string, line, col int) string {
	lines := strings.Split(doc, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	r := []rune(lines[line-1])
	if col < 1 || col > len(r)+1 {
		return ""
	}
	return string(r[col-1:])
}

// TestErrorsArePlacedInTheDocument: every problem of a set read from JSON is placed at
// the character of the document it is about, inside an expression or a template too,
// whatever escapes the JSON string holds before it.
func TestErrorsArePlacedInTheDocument(t *testing.T) {
	const rule = `{"id": "r", "expr": %s,
     "source": {"publisher": "p", "lang": "en", "quote": "q"},
     "messages": {"kk": %s, "ru": "Нет.", "en": "No."}}`
	doc := func(expr, kk string) string {
		return "{\n  \"id\": \"pilot\",\n  \"extends\": \"kz-2025\",\n  \"effective_from\": \"2027-01-01\",\n  \"rules\": [\n    " +
			strings.Replace(strings.Replace(rule, "%s", expr, 1), "%s", kk, 1) + "\n  ]\n}\n"
	}
	tests := []struct {
		name, doc, at, field string
	}{
		{"plain", doc(`"citizen.agee > 1"`, `"Жоқ."`), `agee > 1"`, "expr"},
		{"escaped quote", doc(`"\"x\" != \"\" && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"unicode escape", doc(`"\u0061pplication.signed && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"surrogate pair", doc(`"'\ud83d\ude00' != '' && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"lowest surrogate pair", doc(`"'\ud800\udc00' != '' && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"highest surrogate pair", doc(`"'\udbff\udfff' != '' && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"escape after a BMP escape", doc(`"'\ue000\u0041' != '' && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"second line", doc(`"application.signed &&\n nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"Cyrillic before", doc(`"'қазақ' != '' && nosuch"`, `"Жоқ."`), `nosuch"`, "expr"},
		{"template", doc(`"application.signed"`, `"Жоқ {nofact}."`), `nofact}."`, "messages.kk"},
		{"value", strings.Replace(doc(`"true"`, `"Жоқ."`), `"rules"`, `"values": {"capacity": 0}, "rules"`, 1), `0}`, "params.capacity"},
		{"after", strings.Replace(doc(`"true"`, `"Жоқ."`), `{"id": "r",`, `{"id": "r", "after": "nope",`, 1), `"nope"`, "rules[0].after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: []byte(tc.doc)})
			if err == nil {
				_, err = rules.Compile(append(rules.Builtin(), sets...))
			}
			var es rules.Errors
			require.ErrorAs(t, err, &es, tc.doc)
			e := es[0]
			assert.Equal(t, "pilot.json", e.File)
			assert.Equal(t, tc.field, e.Field)
			assert.True(t, strings.HasPrefix(textAt(tc.doc, e.Line, e.Column), tc.at), "%s: %d:%d holds %q, want %q", e, e.Line, e.Column, textAt(tc.doc, e.Line, e.Column), tc.at)
			assert.Contains(t, e.Error(), "rules: pilot.json:"+strconv.Itoa(e.Line)+":"+strconv.Itoa(e.Column)+": pilot: ")
			assert.Contains(t, e.Snippet, strings.Split(tc.doc, "\n")[e.Line-1], "the snippet is the document's line")
		})
	}
}

// A set built in Go, or read from JSON and changed in Go since, keeps its positions in the
// expression's text: the document no longer holds it.
func TestErrorsOfGoSetsStayInTheExpression(t *testing.T) {
	s := rules.Builtin()[2]
	s.Rules[0].Expr = "citizen.agee > 1"
	_, err := rules.Compile(rules.History{s})
	var es rules.Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, "", es[0].File)
	assert.Equal(t, 1, es[0].Line)
	assert.Equal(t, 9, es[0].Column)
	assert.Contains(t, es[0].Error(), "expr:1:9: citizen has no input agee")
}

// TestErrorsOfABaseArePlacedInIt: a problem of an element the extending document did not
// write (a rule, takes_effect or effective_until of its base, broken by a fact the
// extension removes) is placed in the base's document, and one of what the extension
// wrote in the extension's.
func TestErrorsOfABaseArePlacedInIt(t *testing.T) {
	base := `{"id": "base", "effective_from": "2026-01-01",
  "facts": [{"name": "day", "expr": "application.date"}, {"name": "ok", "expr": "application.signed"}],
  "takes_effect": "day",
  "effective_until": "day",
  "rules": [{"id": "signed", "expr": "ok",
    "source": {"publisher": "p", "lang": "en", "quote": "q"},
    "messages": {"kk": "Жоқ.", "ru": "Нет.", "en": "No."}}]}
`
	tests := []struct {
		name, ext, file, field, at string
	}{
		{"a base rule", `{"id": "ext", "extends": "base", "effective_from": "2027-01-01", "remove_facts": ["ok"]}`, "base.json", "expr", `ok"`},
		{"the base's takes_effect", `{"id": "ext", "extends": "base", "effective_from": "2027-01-01", "effective_until": "0", "remove_facts": ["day"], "facts": [{"name": "x", "expr": "1"}]}`, "base.json", "takes_effect", `day"`},
		{"the base's effective_until", `{"id": "ext", "extends": "base", "effective_from": "2027-01-01", "takes_effect": "application.date", "remove_facts": ["day"]}`, "base.json", "effective_until", `day"`},
		{"the extension's effective_until", `{"id": "ext", "extends": "base", "effective_from": "2027-01-01",
  "effective_until": "nosuch"}`, "ext.json", "effective_until", `nosuch"`},
		{"the extension's zone", `{"id": "ext", "extends": "base", "effective_from": "2027-01-01",
  "zone": "Mars/Olympus"}`, "ext.json", "zone", `"Mars/Olympus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := rules.ParseHistory(rules.Document{Name: "base.json", Data: []byte(base)}, rules.Document{Name: "ext.json", Data: []byte(tc.ext)})
			if err == nil {
				_, err = rules.Compile(h)
			}
			var es rules.Errors
			require.ErrorAs(t, err, &es)
			e := es[0]
			doc := map[string]string{"base.json": base, "ext.json": tc.ext}[tc.file]
			assert.Equal(t, tc.file, e.File, "%v", e)
			assert.Equal(t, tc.field, e.Field, "%v", e)
			assert.True(t, strings.HasPrefix(textAt(doc, e.Line, e.Column), tc.at), "%s: %d:%d holds %q, want %q", e, e.Line, e.Column, textAt(doc, e.Line, e.Column), tc.at)
		})
	}
}

// The problems Compile finds in a set read with ParseHistory are placed in the document
// as it was read, even when the caller has since reused its bytes.
func TestPlacedInTheDocumentAsRead(t *testing.T) {
	doc := []byte(`{"id": "pilot", "extends": "kz-2025", "effective_from": "2027-01-01",
 "rules": [{"id": "r", "expr": "nosuch", "source": {"publisher": "p", "lang": "en", "quote": "q"},
   "messages": {"kk": "Жоқ.", "ru": "Нет.", "en": "No."}}]}`)
	h, err := rules.ParseHistory(rules.Document{Name: "pilot.json", Data: doc})
	require.NoError(t, err)
	want := string(doc)
	for i := range doc {
		doc[i] = ' ' // the caller's buffer, reused
	}
	_, err = rules.Compile(append(rules.Builtin(), h...))
	var es rules.Errors
	require.ErrorAs(t, err, &es)
	assert.Equal(t, "pilot.json", es[0].File)
	assert.True(t, strings.HasPrefix(textAt(want, es[0].Line, es[0].Column), `nosuch"`), "%v", es[0])
	assert.Contains(t, es[0].Snippet, `"expr": "nosuch"`)
}
