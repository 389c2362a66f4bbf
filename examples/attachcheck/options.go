package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// optionsLine is one answer of -options' output.
type optionsLine struct {
	Line    int             `json:"line,omitempty"`
	ID      string          `json:"id"`
	Options []attach.Option `json:"options,omitempty"`
	Error   string          `json:"error,omitempty"`
}

// runOptions is -options: every input line is a query and gets one line with every
// doctor's option, in input order.
func runOptions(eng *attach.Engine, cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	invalid := 0
	err := eachLine(cfg.files, stdin, stderr, func(n int, line []byte) {
		o := answer(eng, line)
		if o.Error != "" {
			o.Line = n
			invalid++
		}
		enc.Encode(o)
	})
	if err != nil {
		return fail(stderr, err)
	}
	if invalid > 0 {
		return 1
	}
	return 0
}

func answer(eng *attach.Engine, line []byte) optionsLine {
	if line == nil {
		return optionsLine{Error: fmt.Sprintf("line is longer than %d bytes", maxLine)}
	}
	var q attach.Query
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return optionsLine{ID: q.ID, Error: strings.TrimPrefix(err.Error(), "json: ")}
	}
	opts, err := eng.Options(&q)
	if err != nil {
		var inv *attach.InvalidApplicationError
		if errors.As(err, &inv) {
			return optionsLine{ID: q.ID, Error: errorText(err)}
		}
		return optionsLine{ID: q.ID, Error: err.Error()}
	}
	if opts == nil {
		opts = []attach.Option{}
	}
	return optionsLine{ID: q.ID, Options: opts}
}
