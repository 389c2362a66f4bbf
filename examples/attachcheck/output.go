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
// lines. It keeps the first write error: once a write fails, nothing more is written,
// and every later call returns that error, so that the run stops.
type output struct {
	w       *bufio.Writer
	err     error
	invalid int // error lines written
}

func newOutput(w io.Writer) *output { return &output{w: bufio.NewWriter(w)} }

// line writes v as one line. It returns the first write error, now or before.
func (o *output) line(v any) error {
	if o.err != nil {
		return o.err
	}
	b, err := json.Marshal(v)
	if err != nil {
		o.err = fmt.Errorf("encoding a line: %w", err)
		return o.err
	}
	if _, err := o.w.Write(append(b, '\n')); err != nil {
		o.err = err
	}
	return o.err
}

// chunk writes output lines already encoded, each ending with a newline, invalid of them
// error lines. It returns the first write error, now or before.
func (o *output) chunk(b []byte, invalid int) error {
	if o.err != nil {
		return o.err
	}
	o.invalid += invalid
	if _, err := o.w.Write(b); err != nil {
		o.err = err
	}
	return o.err
}

// flush writes what is buffered. It returns the first write error, now or before.
func (o *output) flush() error {
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}

// reject writes the error line of an input line.
func (o *output) reject(e errorLine) error {
	o.invalid++
	return o.line(e)
}

// finish flushes the output and returns the exit status: exitWrite when the output could
// not be written, exitUsage for err (an input that could not be read), else exitInvalid
// when an error line was written, else exitDecided. It reports the first two on stderr.
func (o *output) finish(stderr io.Writer, err error) int {
	if ferr := o.w.Flush(); o.err == nil {
		o.err = ferr
	}
	if o.err != nil {
		fmt.Fprintf(stderr, "attachcheck: writing the output: %v\n", o.err)
		return exitWrite
	}
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
