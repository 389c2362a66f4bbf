package rules

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The tests of errors.go pin the texts of Error, Errors and RuntimeError, and what each
// wraps.

func TestRuntimeErrorWrapsItsCause(t *testing.T) {
	cause := errors.New("cause")
	re := &RuntimeError{Set: "s", Rule: "r", Line: 2, Column: 3, Message: "boom", Err: cause}
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
