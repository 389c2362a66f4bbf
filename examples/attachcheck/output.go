package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// errorLine is the output line of an input line that is not decided, in every mode.
type errorLine struct {
	File  string `json:"file,omitempty"` // the FILE, when FILEs are named
	Line  int    `json:"line"`           // the line's number in its FILE, from 1
	ID    string `json:"id"`             // the application's or query's id, when it could be read
	Error string `json:"error"`
}

// output writes the output lines, one JSON object per line, and counts the error
// lines.
type output struct {
	w       *bufio.Writer
	invalid int // error lines written
}

func newOutput(w io.Writer) *output { return &output{w: bufio.NewWriter(w)} }

// line writes v as one line.
func (o *output) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding a line: %w", err)
	}
	o.w.Write(append(b, '\n'))
	return nil
}

// reject writes the error line of an input line.
func (o *output) reject(e errorLine) error {
	o.invalid++
	return o.line(e)
}

// finish flushes the output and returns the exit status: exitUsage for err (an input
// that could not be read), reported on stderr, else exitInvalid when an error line was
// written, else exitDecided.
func (o *output) finish(stderr io.Writer, err error) int {
	o.w.Flush()
	if err != nil {
		fmt.Fprintf(stderr, "attachcheck: %v\n", err)
		return exitUsage
	}
	if o.invalid > 0 {
		return exitInvalid
	}
	return exitDecided
}

// errorText is the error without the library's prefix: the field problems, "; "-separated.
func errorText(err error) string {
	var inv *attach.InvalidApplicationError
	if errors.As(err, &inv) {
		parts := make([]string, len(inv.Problems))
		for i, p := range inv.Problems {
			parts[i] = p.Error()
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// errorID is the id an error names, when it is an *attach.InvalidApplicationError.
func errorID(err error) string {
	var inv *attach.InvalidApplicationError
	if errors.As(err, &inv) {
		return inv.ID
	}
	return ""
}
