package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// optionsLine is one answer of -options' output.
type optionsLine struct {
	ID      string          `json:"id"`
	Options []attach.Option `json:"options"`
}

// runOptions is -options: every input line is a query and gets one line with every
// doctor's option, or its error line, in input order, written as it is read.
func runOptions(eng *attach.Engine, cfg *config, stdin io.Reader, out *output) error {
	return eachLine(cfg, stdin, func(l *inputLine) error {
		if l.problem != "" {
			return out.reject(l.errorLine("", l.problem))
		}
		var q attach.Query
		dec := json.NewDecoder(bytes.NewReader(l.data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return out.reject(l.errorLine(q.ID, strings.TrimPrefix(err.Error(), "json: ")))
		}
		opts, err := eng.Options(&q)
		if err != nil {
			return out.reject(l.errorLine(q.ID, errorText(err)))
		}
		if opts == nil {
			opts = []attach.Option{}
		}
		return out.line(optionsLine{ID: q.ID, Options: opts})
	})
}
