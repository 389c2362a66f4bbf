package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
)

// The JSON form of a set. Unknown fields are errors: a misspelt field must not be ignored.
type jsonSet struct {
	Schema         string                     `json:"$schema,omitempty"` // for editors; not read
	ID             string                     `json:"id"`
	Extends        string                     `json:"extends,omitempty"`
	Values         map[string]json.RawMessage `json:"values,omitempty"`
	Remove         []string                   `json:"remove,omitempty"`
	RemoveFacts    []string                   `json:"remove_facts,omitempty"`
	Title          string                     `json:"title,omitempty"`
	EffectiveFrom  string                     `json:"effective_from"`
	Zone           string                     `json:"zone,omitempty"`
	Params         []jsonParam                `json:"params,omitempty"`
	Facts          []jsonFact                 `json:"facts,omitempty"`
	TakesEffect    string                     `json:"takes_effect"`
	EffectiveUntil string                     `json:"effective_until,omitempty"`
	Rules          []jsonRule                 `json:"rules"`
	Codes          map[string][]jsonCode      `json:"codes,omitempty"`
}

// jsonCode is a code with its words: {"code":"kandas","kk":"...","ru":"...","en":"...",
// "plural":{"kk":"...","ru":"...","en":"..."}}.
type jsonCode struct {
	Code   string     `json:"code"`
	KK     string     `json:"kk"`
	RU     string     `json:"ru"`
	EN     string     `json:"en"`
	Plural *jsonWords `json:"plural,omitempty"`
}

type jsonWords struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

func (w jsonWords) words() map[string]string {
	return map[string]string{"kk": w.KK, "ru": w.RU, "en": w.EN}
}

func wordsOf(m map[string]string) jsonWords { return jsonWords{KK: m["kk"], RU: m["ru"], EN: m["en"]} }

type jsonParam struct {
	Name  string          `json:"name"`
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
	Min   *int            `json:"min,omitempty"`
	Max   *int            `json:"max,omitempty"`
	Doc   string          `json:"doc,omitempty"`
}

type jsonFact struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	Type string `json:"type,omitempty"`
	Doc  string `json:"doc,omitempty"`
}

type jsonRule struct {
	ID       string            `json:"id"`
	After    string            `json:"after,omitempty"` // in an extending set: the rule it follows
	Expr     string            `json:"expr"`
	Facts    []string          `json:"facts,omitempty"`
	Source   jsonCitation      `json:"source"`
	Messages map[string]string `json:"messages,omitempty"`
}

type jsonCitation struct {
	Publisher string `json:"publisher,omitempty"`
	Title     string `json:"title,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
	Lang      string `json:"lang,omitempty"`
	Quote     string `json:"quote,omitempty"`
	Reading   string `json:"reading,omitempty"`
}

// Document is one rule set's JSON document and the name it is known by, such as its file
// name: errors in it name it ([Error.File]).
type Document struct {
	Name string
	Data []byte
}

// ParseHistory reads rule sets, each its own JSON document, into a [History], in the
// order of docs. It reports every problem it finds as [Errors]: JSON syntax with line and
// column, unknown fields, values of the wrong type, and the structural problems [Compile]
// would report before it looks at expressions, but for the numbers of rules, facts and
// parameters, which Compile checks against its [Limits]. It does not compile expressions.
// A set may extend ("extends") a built-in set or another set of docs;
// it is read as the set it extends with its changes made. Every problem of every
// document is reported, each naming its document.
func ParseHistory(docs ...Document) (History, error) {
	// The sets keep their documents, to place the problems Compile finds later: a copy,
	// which the caller cannot change or reuse meanwhile.
	docs = slices.Clone(docs)
	for i := range docs {
		docs[i].Data = bytes.Clone(docs[i].Data)
	}
	parsed := make([]*jsonSet, len(docs))
	byDoc := make([]Errors, len(docs))
	for i, d := range docs {
		parsed[i], byDoc[i] = decodeSet(d)
	}
	h := resolve(docs, parsed, builtinBases(), byDoc)
	var errs Errors
	for _, es := range byDoc {
		errs = append(errs, es...)
	}
	if len(errs) == 0 {
		errs = h.check(nil)
	}
	return h, errs.errOrNil()
}

// decodeSet reads a document's JSON into its form, reporting syntax and type errors.
func decodeSet(d Document) (*jsonSet, Errors) {
	var js jsonSet
	dec := json.NewDecoder(bytes.NewReader(d.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&js); err != nil {
		e := jsonError(d.Data, err)
		if e.Line == 0 { // an unknown field: place it at its key
			off := unknownMemberOffset(d.Data)
			e.Line, e.Column = lineCol(d.Data, off)
			e.Snippet, e.placed = snippet(d.Data, off), true
		}
		e.File = d.Name
		return nil, Errors{e}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Errors{{File: d.Name, Set: js.ID, Message: "unexpected data after the rule set's closing brace", Err: err}}
	}
	return &js, nil
}

// unknownMemberOffset returns the offset of the name of the first member of a document that
// no field of a set's form takes, as encoding/json reads names (whatever their case);
// the end of the document when it finds none.
func unknownMemberOffset(data []byte) int64 {
	err := jsonv2.Unmarshal(data, new(jsonSet), jsonv2.RejectUnknownMembers(true), jsonv2.MatchCaseInsensitiveNames(true))
	var se *jsonv2.SemanticError
	if errors.As(err, &se) && se.ByteOffset < int64(len(data)) {
		return se.ByteOffset
	}
	return int64(len(data))
}

func (js *jsonSet) set() (Set, Errors) {
	var errs Errors
	s := Set{ID: js.ID, Title: js.Title, Zone: js.Zone, TakesEffect: js.TakesEffect, EffectiveUntil: js.EffectiveUntil}
	if js.EffectiveFrom == "" && js.Extends == "" {
		errs = append(errs, &Error{Set: js.ID, Field: "effective_from", Message: "must be a date YYYY-MM-DD"})
	} else if d, err := ParseDate(js.EffectiveFrom); err != nil && js.EffectiveFrom != "" {
		errs = append(errs, &Error{Set: js.ID, Field: "effective_from", Message: err.Error(), Err: err})
	} else {
		s.EffectiveFrom = d
	}
	for _, jp := range js.Params {
		v, err := decodeParam(jp.Type, jp.Value)
		if err != nil {
			errs = append(errs, &Error{Set: js.ID, Field: "params." + jp.Name, Message: err.Error(), Err: err})
			continue
		}
		s.Params = append(s.Params, Param{Name: jp.Name, Value: v, Doc: jp.Doc, Min: jp.Min, Max: jp.Max})
	}
	for _, jf := range js.Facts {
		f := Fact{Name: jf.Name, Expr: jf.Expr, Doc: jf.Doc}
		if jf.Type != "" {
			k, ok := kindNamed(jf.Type)
			if !ok || k == IntMap {
				errs = append(errs, &Error{Set: js.ID, Fact: jf.Name, Field: "type", Message: fmt.Sprintf("unknown type %q; want bool, int, float, string, strings, date or month_day", jf.Type)})
			}
			f.Type = k
		}
		s.Facts = append(s.Facts, f)
	}
	for _, jr := range js.Rules {
		s.Rules = append(s.Rules, Rule{ID: jr.ID, Expr: jr.Expr, Facts: jr.Facts, Source: Citation(jr.Source), Messages: jr.Messages})
	}
	for kind, codes := range js.Codes {
		if s.Codes == nil {
			s.Codes = map[string][]Code{}
		}
		for _, jc := range codes {
			c := Code{Code: jc.Code, Words: jsonWords{KK: jc.KK, RU: jc.RU, EN: jc.EN}.words()}
			if jc.Plural != nil {
				c.Plural = jc.Plural.words()
			}
			s.Codes[kind] = append(s.Codes[kind], c)
		}
	}
	return s, errs
}

// decodeParam reads a parameter's value according to its declared type.
func decodeParam(typ string, raw json.RawMessage) (Value, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return Value{}, errors.New("has no value")
	}
	strict := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			return fmt.Errorf("value %s is not of type %s", raw, typ)
		}
		return nil
	}
	switch typ {
	case "bool":
		var b bool
		if err := strict(&b); err != nil {
			return Value{}, err
		}
		return boolValue(b), nil
	case "int":
		var n int
		if err := strict(&n); err != nil {
			return Value{}, err
		}
		return intValue(n), nil
	case "string":
		var s string
		if err := strict(&s); err != nil {
			return Value{}, err
		}
		return stringValue(s), nil
	case "strings":
		var l []string
		if err := strict(&l); err != nil {
			return Value{}, err
		}
		if l == nil {
			l = []string{}
		}
		return stringsValue(l), nil
	case "date":
		var s string
		if err := strict(&s); err != nil {
			return Value{}, err
		}
		d, err := ParseDate(s)
		if err != nil {
			return Value{}, err
		}
		return dateValue(d), nil
	case "month_day":
		var s string
		if err := strict(&s); err != nil {
			return Value{}, err
		}
		md, err := parseMonthDay(s)
		if err != nil {
			return Value{}, err
		}
		return monthDayValue(md), nil
	case "int_map":
		var m map[string]int
		if err := strict(&m); err != nil {
			return Value{}, err
		}
		if m == nil {
			m = map[string]int{}
		}
		return intMapValue(m), nil
	}
	return Value{}, fmt.Errorf("unknown type %q; want bool, int, string, strings, date, month_day or int_map", typ)
}

// MarshalJSON writes the set in the form [ParseHistory] reads.
func (s Set) MarshalJSON() ([]byte, error) {
	js := jsonSet{ID: s.ID, Title: s.Title, EffectiveFrom: s.EffectiveFrom.String(), Zone: s.Zone, TakesEffect: s.TakesEffect, EffectiveUntil: s.EffectiveUntil}
	for _, p := range s.Params {
		raw, err := p.Value.MarshalJSON()
		if err != nil {
			return nil, err
		}
		js.Params = append(js.Params, jsonParam{Name: p.Name, Type: p.Value.Kind().String(), Value: raw, Doc: p.Doc, Min: p.Min, Max: p.Max})
	}
	for _, f := range s.Facts {
		jf := jsonFact{Name: f.Name, Expr: f.Expr, Doc: f.Doc}
		if f.Type != Invalid {
			jf.Type = f.Type.String()
		}
		js.Facts = append(js.Facts, jf)
	}
	for _, r := range s.Rules {
		js.Rules = append(js.Rules, jsonRule{ID: r.ID, Expr: r.Expr, Facts: r.Facts, Source: jsonCitation(r.Source), Messages: r.Messages})
	}
	for kind, codes := range s.Codes {
		if js.Codes == nil {
			js.Codes = map[string][]jsonCode{}
		}
		for _, c := range codes {
			w := wordsOf(c.Words)
			jc := jsonCode{Code: c.Code, KK: w.KK, RU: w.RU, EN: w.EN}
			if len(c.Plural) > 0 {
				p := wordsOf(c.Plural)
				jc.Plural = &p
			}
			js.Codes[kind] = append(js.Codes[kind], jc)
		}
	}
	return json.Marshal(js)
}

// jsonError turns a decoding error into a positioned *Error.
func jsonError(data []byte, err error) *Error {
	e := &Error{Message: strings.TrimPrefix(err.Error(), "json: "), Err: err}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &syn):
		off = max(syn.Offset-1, 0) // Offset counts the offending byte
	case errors.As(err, &typ):
		off = valueStart(data, typ.Offset)
		e.Field = typ.Field
		e.Message = fmt.Sprintf("must be a JSON %s, not a %s", jsonType(typ.Type), typ.Value)
	case err == io.EOF:
		e.Line, e.Column, e.placed = 1, 1, true
		e.Message = "empty document; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
		e.Message = "unexpected end of the document"
	}
	if off >= 0 {
		e.Line, e.Column = lineCol(data, off)
		e.Snippet, e.placed = snippet(data, min(off, int64(len(data)))), true
	}
	return e
}

// valueStart returns the offset of the first byte of the JSON scalar that ends at end: a
// number, true, false, null or a string. Another value (an object, an array) is placed
// at end.
func valueStart(data []byte, end int64) int64 {
	end = min(end, int64(len(data)))
	i := end - 1
	switch {
	case i < 0:
		return end
	case data[i] == '"':
		for i--; i >= 0; i-- {
			if data[i] == '"' {
				bs := 0 // an escaped quote is preceded by an odd number of backslashes
				for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
					bs++
				}
				if bs%2 == 0 {
					return i
				}
			}
		}
		return end
	case strings.IndexByte("0123456789.+-eEtrufalsn", data[i]) >= 0:
		for i > 0 && strings.IndexByte("0123456789.+-eEtrufalsn", data[i-1]) >= 0 {
			i--
		}
		return i
	}
	return end
}

// lineCol converts a byte offset into a line and a column in characters, both from 1.
func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// jsonType names the JSON form of a Go type, for messages.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return t.String()
}
