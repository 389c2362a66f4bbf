package rules

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The tests of errors.go pin the texts of Error, Errors and RuntimeError, and what each
// wraps, and the snippets that show where an error is.

func TestRuntimeErrorWrapsItsCause(t *testing.T) {
	cause := errors.New("cause")
	re := &RuntimeError{Set: "s", Rule: "r", Line: 2, Column: 3, Message: "boom", Err: cause}
	assert.NotErrorIs(t, re, io.EOF)
	assert.ErrorIs(t, re, cause, "the cause is reachable through Unwrap")
	assert.Same(t, cause, errors.Unwrap(re))
	assert.EqualError(t, re, "rules: s: rule r: 2:3: boom")
}

func TestErrorTexts(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "everything", err: &Error{Set: "s", Rule: "r", Field: "expr", Line: 2, Column: 5, Message: "bad", Snippet: "\n | x\n | ^"},
			want: "rules: s: rule r: expr:2:5: bad\n | x\n | ^"},
		{name: "fact_field_no_line", err: &Error{Set: "s", Fact: "f", Field: "type", Message: "bad"}, want: "rules: s: fact f: type: bad"},
		{name: "line_no_field", err: &Error{Line: 3, Column: 1, Message: "bad"}, want: "rules: 3:1: bad"},
		{name: "message_only", err: &Error{Message: "bad"}, want: "rules: bad"},
		{name: "no_errors", err: Errors{}, want: "rules: no errors"},
		{name: "one", err: Errors{{Message: "a"}}, want: "rules: a"},
		{name: "three", err: Errors{{Message: "a"}, {Message: "b"}, {Message: "c"}}, want: "rules: a, and 2 other error(s)"},
	}
	for _, tc := range tests {
		assert.EqualError(t, tc.err, tc.want, tc.name)
	}
	es := Errors{{Message: "a"}, {Message: "b", Err: cause}}
	assert.ErrorIs(t, es, cause, "the cause of its second error is found")
	var e *Error
	if assert.ErrorAs(t, es, &e) {
		assert.Equal(t, "a", e.Message, "errors.As(Errors, *Error) gives the first error")
	}
	assert.Equal(t, "rules: a\nrules: b\n", es.Details(), "one line per error")
	assert.NoError(t, Errors(nil).errOrNil())
	assert.Equal(t, es, es.errOrNil())
}

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
