package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// inputLine is one line of the input, as every mode reads it.
type inputLine struct {
	file string // the FILE it was read from; "" for standard input
	n    int    // its number in its FILE (or in standard input), from 1
	// data is the line without its ending ("\n" or "\r\n"), valid until the next line
	// is read; nil for a line longer than the limit.
	data []byte
	// problem is why the line is not read as JSON at all: "empty line" for a line of
	// nothing but spaces and tabs, or that it is longer than -max-line; "" otherwise.
	problem string
}

// where names a line in an error text: "line 3", or "line 3 of a.jsonl".
func where(file string, n int) string {
	if file == "" {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("line %d of %s", n, file)
}

// errorLine returns the output line of an input line that is not decided.
func (l *inputLine) errorLine(id, msg string) errorLine {
	return errorLine{File: l.file, Line: l.n, ID: id, Error: msg}
}

// eachLine calls fn with every line of the inputs in order: the FILEs of cfg, or
// standard input when none is named. Every line is passed, however long and whatever
// it holds; lines are numbered from 1 in each FILE. eachLine stops at the first error
// of fn, and returns it, or at the first error reading an input.
func eachLine(cfg *config, stdin io.Reader, fn func(*inputLine) error) error {
	if len(cfg.files) == 0 {
		return readLines(stdin, "", cfg.maxLine, fn)
	}
	for _, name := range cfg.files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = readLines(f, name, cfg.maxLine, fn)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// readLines calls fn with every line of r. A line longer than max bytes (its ending left
// out) is not kept: the rest of it is skipped, and fn gets it with data nil and a problem.
func readLines(r io.Reader, file string, max int, fn func(*inputLine) error) error {
	lr := newLineReader(r, file, max)
	var buf []byte
	for {
		var l inputLine
		var err error
		buf, l, err = lr.next(buf[:0])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
}

// lineReader reads the lines of one input, numbering them.
type lineReader struct {
	br   *bufio.Reader
	file string
	max  int // -max-line
	n    int // the lines read
}

func newLineReader(r io.Reader, file string, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), file: file, max: max}
}

// next reads the next line and appends it, without its ending, to buf: the line's data is
// the end of the buffer it returns. A line longer than max bytes is not kept (buf is
// returned as it was, the line's data nil, with the problem). At the end of the input it
// returns io.EOF; a read error names the input.
func (r *lineReader) next(buf []byte) ([]byte, inputLine, error) {
	start := len(buf)
	size := 0 // the bytes of the line, its ending included
	for {
		chunk, err := r.br.ReadSlice('\n')
		size += len(chunk)
		if size <= r.max+2 { // room for "\r\n"
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			if size == 0 {
				return buf, inputLine{}, io.EOF
			}
			break
		}
		if err != nil {
			name := r.file
			if name == "" {
				name = "standard input"
			}
			return buf[:start], inputLine{}, fmt.Errorf("reading %s: %w", name, err)
		}
		break
	}
	r.n++
	l := inputLine{file: r.file, n: r.n}
	data := bytes.TrimSuffix(bytes.TrimSuffix(buf[start:], []byte("\n")), []byte("\r"))
	buf = buf[:start+len(data)]
	switch {
	case size > r.max+2 || len(data) > r.max:
		buf, l.problem = buf[:start], fmt.Sprintf("line is longer than %d bytes (-max-line)", r.max)
		return buf, l, nil
	case len(bytes.Trim(data, " \t")) == 0:
		l.problem = "empty line"
	}
	l.data = buf[start:]
	return buf, l, nil
}
