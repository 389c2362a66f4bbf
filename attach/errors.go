package attach

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emkhana/emkhana/rules"
)

// FieldError is one problem with one field of an application.
type FieldError struct {
	Field   string // the field's path as JSON spells it: "citizen.iin", "doctor.attached"
	Value   string // the value given, as text ("" when it was missing)
	Message string // what is wrong and what was expected
	Err     error  // the underlying error, when there is one (what is wrong with an IIN, ...)
}

// Error returns "FIELD: MESSAGE (got VALUE)".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	if e.Value == "" {
		return e.Field + ": " + e.Message
	}
	return fmt.Sprintf("%s: %s (got %q)", e.Field, e.Message, e.Value)
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// InvalidApplicationError reports every invalid field of an application at once. Decide
// returns it for an application it cannot decide; no decision is made for it.
type InvalidApplicationError struct {
	ID       string        // the application's id, possibly empty
	Problems []*FieldError // in the order of the application's fields
}

// Error lists every problem, separated by "; ".
func (e *InvalidApplicationError) Error() string {
	var b strings.Builder
	b.WriteString("attach: invalid application")
	if e.ID != "" {
		fmt.Fprintf(&b, " %q", e.ID)
	}
	b.WriteString(": ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so that errors.As finds each *[FieldError].
func (e *InvalidApplicationError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Field returns the problem with the named field, if there is one.
func (e *InvalidApplicationError) Field(path string) (*FieldError, bool) {
	for _, p := range e.Problems {
		if p.Field == path {
			return p, true
		}
	}
	return nil, false
}

// nilInput is the error for a nil application or query: an invalid application with one
// problem that names no field.
func nilInput(what string) *InvalidApplicationError {
	return &InvalidApplicationError{Problems: []*FieldError{{Message: "no " + what + " was given (nil)"}}}
}

// errNoEngine is returned by the methods of an [Engine] that New did not make (the zero
// Engine, or a nil *Engine): a mistake in the caller's code, said in words.
var errNoEngine = errors.New("attach: the engine was not made by attach.New")

// NoRuleSetError is returned for an application submitted before every set of the
// history: it names the date for which no rule set is in force. Find it with errors.As.
type NoRuleSetError struct {
	Date rules.Date
}

func (e *NoRuleSetError) Error() string {
	return fmt.Sprintf("attach: no rule set is in force on %s", e.Date)
}
