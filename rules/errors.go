package rules

import (
	"fmt"
	"strings"
)

// Error is one problem in a rule set: where it is (set, rule or fact, field, and for an
// expression the line and column in it) and what was expected. It wraps the underlying
// error, an expr *file.Error for problems inside an expression; reach it with errors.As.
type Error struct {
	File  string // the name of the document the set was read from (Document.Name), if any
	Set   string // the set's id ("" when the set has none yet)
	Rule  string // the rule's id, when the problem is in a rule
	Fact  string // the fact's name, when the problem is in a fact
	Field string // the field in the set's JSON: "expr", "messages.kk", "params.capacity", ...
	// Line and Column place the problem, from 1 (0 when it is not placed): in the JSON
	// document, for a set read from one ([ParseHistory], [Builtin]), including a
	// problem inside an expression or a message template, placed at its character in the
	// document; in the text of the expression or template (Field expr, takes_effect,
	// effective_until, messages.LANG) for a set built in Go.
	Line    int
	Column  int    // in characters
	Message string // what is wrong and what was expected
	Snippet string // the offending line with a caret under the column, when known
	Err     error  // the underlying error, if any

	placed bool // Line and Column are in the document
}

// Error formats the problem as "rules: FILE:LINE:COL: SET: rule ID: FIELD: MESSAGE" for
// a set read from a document (without FILE for a document with no name), or as "rules:
// SET: rule ID: FIELD:LINE:COL: MESSAGE" for a set built in Go, followed by the snippet
// on its own lines.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rules: ")
	switch {
	case e.placed && e.File != "":
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.placed:
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	case e.File != "":
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Set != "" {
		b.WriteString(e.Set)
		b.WriteString(": ")
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %s: ", e.Rule)
	}
	if e.Fact != "" {
		fmt.Fprintf(&b, "fact %s: ", e.Fact)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		if e.Line > 0 && !e.placed {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
		}
		b.WriteString(": ")
	} else if e.Line > 0 && !e.placed {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	}
	b.WriteString(e.Message)
	b.WriteString(e.Snippet)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in a rule set or history, in the order of the document.
// [Compile] and Parse return all of them at once as an Errors.
type Errors []*Error

// Error returns the first problem and how many others there are.
func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "rules: no errors"
	case 1:
		return es[0].Error()
	}
	first, snippet, _ := strings.Cut(es[0].Error(), "\n")
	if snippet != "" {
		snippet = "\n" + snippet
	}
	return fmt.Sprintf("%s, and %d other error(s)%s", first, len(es)-1, snippet)
}

// Unwrap returns the problems, so that errors.As finds an *Error among them.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Details returns every problem, one per line.
func (es Errors) Details() string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// errOrNil returns es as an error, or nil when it is empty.
func (es Errors) errOrNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// RuntimeError reports a rule or fact that failed while it was evaluated (an index out of
// range, a division by zero, a run over the memory budget, ...), or an Env that could not
// be evaluated within the set's limits. The error a decision returns then wraps it, to be
// found with errors.As; such a decision is an error, never an approval and never a silent
// pass.
type RuntimeError struct {
	Set     string // the id of the set evaluated
	Rule    string // the rule's id, or "" for a fact, takes_effect or the Env
	Fact    string // the fact's name, or "" for a rule, takes_effect or the Env
	Field   string // "takes_effect" or "effective_until" for a failure of that expression of the set; for an Env over a limit, its input ("clinic.service_area"); "" otherwise
	Line    int    // the line of the failing node in the expression, from 1; 0 for the Env
	Column  int    // its column in characters, from 1; 0 for the Env
	Message string // what failed
	Err     error  // the underlying error
}

// Error formats the failure with its position in the expression, or the field of the Env
// over a limit.
func (e *RuntimeError) Error() string {
	what := "rule " + e.Rule
	switch {
	case e.Field != "" && e.Line == 0:
		return fmt.Sprintf("rules: %s: %s: %s", e.Set, e.Field, e.Message)
	case e.Field != "":
		what = e.Field
	case e.Fact != "":
		what = "fact " + e.Fact
	}
	return fmt.Sprintf("rules: %s: %s: %d:%d: %s", e.Set, what, e.Line, e.Column, e.Message)
}

// Unwrap returns the underlying error.
func (e *RuntimeError) Unwrap() error { return e.Err }

// MissingInputError reports an Env that does not give inputs a set reads and an
// application must give ([Compiled.Missing]): Eval refuses it rather than read a zero.
type MissingInputError struct {
	Set    string   // the id of the set that reads them
	Inputs []string // their names, in the order of Inputs
}

// Error names the set and the inputs.
func (e *MissingInputError) Error() string {
	return fmt.Sprintf("rules: %s: reads %s, not given", e.Set, strings.Join(e.Inputs, ", "))
}
