package rules

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The internal tests of position.go: the snippets that show where an error is, and
// placing a position at the ends of a document, where a one-off would read past it.

// TestSnippetOfALongLine: a snippet shows a short line whole, and of a long one the
// characters around the caret, cut with an ellipsis on the side that is cut; the caret
// stays under the character, counted in characters, Cyrillic ones too.
func TestSnippetOfALongLine(t *testing.T) {
	short := []byte("{\n  \"expr\": \"doctor.attached < 2000\"\n}")
	off := int64(bytes.Index(short, []byte("2000")))
	assert.Equal(t, "\n |   \"expr\": \"doctor.attached < 2000\"\n | "+strings.Repeat(".", len(`  "expr": "doctor.attached < `))+"^", snippet(short, off))

	long := []byte("{\"expr\": \"" + strings.Repeat("ж", 100) + "X" + strings.Repeat("я", 100) + "\"}")
	off = int64(bytes.IndexByte(long, 'X'))
	got := snippet(long, off)
	want := "\n | …" + strings.Repeat("ж", snippetSide) + "X" + strings.Repeat("я", snippetSide-1) + "…\n | " + strings.Repeat(".", snippetSide+1) + "^"
	assert.Equal(t, want, got)

	// Cut on one side only: the caret near the start of a long line.
	start := []byte("ab" + strings.Repeat("c", 200))
	got = snippet(start, 1)
	assert.Equal(t, "\n | ab"+strings.Repeat("c", snippetSide-1)+"…\n | .^", got)
}

// TestInStringAtTheEnds: inString and skipSpace stop at the end of a document that ends
// inside a string, after a backslash, or in spaces, rather than read past it; a surrogate
// pair that ends the document is still one character.
func TestInStringAtTheEnds(t *testing.T) {
	doc := []byte(`"ab\`)
	assert.NotPanics(t, func() { inString(doc, 0, 1, 9) }, "a backslash that ends the document")
	assert.Equal(t, int64(len(doc)), inString(doc, 0, 1, 9), "a column past a backslash that ends the document: the end")
	assert.Equal(t, int64(3), inString(doc, 0, 1, 3), "the backslash itself")
	assert.Equal(t, int64(len(doc)), inString(doc, int64(len(doc)), 1, 1), "a quote offset at the end is returned as it is")
	assert.Equal(t, int64(-1), inString(doc, -1, 1, 1))
	pair := []byte(`"\ud83d\ude00`)
	assert.Equal(t, int64(len(pair)), inString(pair, 0, 1, 2), "the pair that ends the document is one character: the next is past it")
	assert.Equal(t, int64(5), skipSpace([]byte("{\"a\":"), 4), "skipSpace stops at the end")
	assert.Equal(t, int64(3), skipSpace([]byte("a :"), 1))
}
