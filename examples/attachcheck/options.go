package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
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
		if err := decodeStrict(l.data, &q, ""); err != nil {
			return out.reject(l.errorLine(q.ID, err.Error()))
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

// decodeStrict decodes the JSON object of a line into v: a key v does not have, or
// anything after the object, is an error. A value of the wrong type is named by its
// path, "count.attached: must be an integer (got string)"; other errors are
// encoding/json's, without its prefix, after "what: " when what is not "".
func decodeStrict(line []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("unexpected data after the JSON object")
		}
	}
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return fmt.Errorf("%s: must be %s (got %s)", te.Field, jsonKind(te.Type), te.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if what != "" {
		msg = what + ": " + msg
	}
	return errors.New(msg)
}

// jsonKind says which JSON values decode into t.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}
