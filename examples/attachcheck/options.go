package main

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

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

// decodeStrict decodes the JSON object of a line into v in one strict pass
// (github.com/go-json-experiment/json, as attach.DecodeApplication): a key v does not
// have, a key given twice or in another case, invalid UTF-8, or anything after the object
// is an error. A value of the wrong type is named by its path, "count.attached: must be
// an integer (got "many")"; other errors follow "what: " when what is not "".
func decodeStrict(line []byte, v any, what string) error {
	err := jsonv2.Unmarshal(line, v, jsonv2.RejectUnknownMembers(true))
	var se *jsonv2.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && errors.Is(se.Err, jsonv2.ErrUnknownName):
		return fmt.Errorf("%s: is not a field (field names are lower-case)", pointerPath(se.JSONPointer))
	case errors.As(err, &syn) && errors.Is(syn.Err, jsontext.ErrDuplicateName):
		return fmt.Errorf("%s: is given twice; a key may appear once", pointerPath(syn.JSONPointer))
	case errors.As(err, &syn) && strings.Contains(syn.Err.Error(), "after top-level value"):
		err = errors.New("unexpected data after the JSON object")
	case errors.As(err, &se) && se.GoType != nil && se.JSONKind != 0:
		got := map[jsontext.Kind]string{'"': "string", '0': "number", 't': "bool", 'f': "bool", 'n': "null", '{': "object", '[': "array"}[se.JSONKind]
		if len(se.JSONValue) > 0 {
			got += " " + string(se.JSONValue)
		}
		return fmt.Errorf("%s: must be %s (got %s)", pointerPath(se.JSONPointer), jsonKind(se.GoType), got)
	case errors.As(err, &se) && se.JSONPointer != "":
		return fmt.Errorf("%s: %v", pointerPath(se.JSONPointer), se.Err)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if what != "" {
		msg = what + ": " + msg
	}
	return errors.New(msg)
}

// pointerPath writes a JSON pointer as the checker's paths: /clinics/0/id is clinics[0].id.
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
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
