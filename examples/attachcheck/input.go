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
	br := bufio.NewReaderSize(r, 64<<10)
	l := inputLine{file: file}
	var buf []byte
	for {
		buf = buf[:0]
		size := 0 // the bytes of the line, its ending included
		for {
			chunk, err := br.ReadSlice('\n')
			size += len(chunk)
			if size <= max+2 { // room for "\r\n"
				buf = append(buf, chunk...)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err == io.EOF {
				if size == 0 {
					return nil
				}
				break
			}
			if err != nil {
				name := file
				if name == "" {
					name = "standard input"
				}
				return fmt.Errorf("reading %s: %w", name, err)
			}
			break
		}
		l.n++
		l.data, l.problem = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r")), ""
		switch {
		case size > max+2 || len(l.data) > max:
			l.data, l.problem = nil, fmt.Sprintf("line is longer than %d bytes (-max-line)", max)
		case len(bytes.Trim(l.data, " \t")) == 0:
			l.problem = "empty line"
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
}
