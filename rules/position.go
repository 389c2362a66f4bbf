package rules

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Positions in rule-set documents. A set read from JSON remembers where each of its
// elements was written (origin); a problem found in it, while reading or compiling, is
// placed at its line and column in that document, and a problem inside an expression or
// a template at the character of the JSON string it is written in.

// origin is where an element of a set was written: the document and the JSON Pointer of
// the element in it ("/rules/3", "/facts/0", "/params/1", "/values/capacity", "" for
// the set object itself).
type origin struct {
	doc *Document
	ptr string
}

// Keys of Set.origins: "set" for the set's own fields, then "rule:ID", "fact:NAME",
// "param:NAME" and "field:NAME" (a field of the set an extending document replaced).
func ruleKey(id string) string    { return "rule:" + id }
func factKey(name string) string  { return "fact:" + name }
func paramKey(name string) string { return "param:" + name }
func fieldKey(name string) string { return "field:" + name }

// recordOrigins records in s where the elements js wrote are: every element of a set
// that extends none, or the ones an extending document adds, replaces or sets.
func (s *Set) recordOrigins(js *jsonSet, doc *Document) {
	if s.origins == nil || js.Extends == "" {
		s.origins = map[string]origin{}
	} else {
		s.origins = maps.Clone(s.origins)
	}
	s.origins["set"] = origin{doc: doc}
	for i, r := range js.Rules {
		s.origins[ruleKey(r.ID)] = origin{doc, "/rules/" + strconv.Itoa(i)}
	}
	for i, f := range js.Facts {
		s.origins[factKey(f.Name)] = origin{doc, "/facts/" + strconv.Itoa(i)}
	}
	for i, p := range js.Params {
		s.origins[paramKey(p.Name)] = origin{doc, "/params/" + strconv.Itoa(i)}
	}
	for name := range js.Values {
		s.origins[paramKey(name)] = origin{doc, "/values/" + name}
	}
	for name, given := range map[string]bool{"takes_effect": js.TakesEffect != "", "effective_until": js.EffectiveUntil != "", "zone": js.Zone != ""} {
		if given || js.Extends == "" {
			s.origins[fieldKey(name)] = origin{doc, "/" + name}
		}
	}
}

// inText reports whether an error's line and column are inside the text of its field,
// an expression or a message template, rather than in a document.
func inText(e *Error) bool {
	return e.Line > 0 && (e.Field == "expr" || e.Field == "takes_effect" || e.Field == "effective_until" || strings.HasPrefix(e.Field, "messages."))
}

// place puts e, a problem of s not yet placed in a document, at its line and column in the
// document its element was written in, when s was read from one: e names the document
// (File), and its snippet shows the document's line.
func (s *Set) place(e *Error) {
	if s.origins == nil || e.placed || e.Line > 0 && !inText(e) {
		return
	}
	o, rest := s.originOf(e)
	if o.doc == nil {
		return
	}
	data := o.doc.Data
	var off int64
	if inText(e) {
		// The position is in the text as the set holds it: only where the document
		// still holds that text (not changed in Go since) can it be placed there.
		if off = valueOffset(data, o.ptr+rest); off < 0 || !s.holds(e, data, off) {
			return
		}
		off = inString(data, off, e.Line, e.Column)
	} else if off = nearestOffset(data, o.ptr+rest); off < 0 {
		return
	}
	e.File = o.doc.Name
	e.Line, e.Column = lineCol(data, off)
	e.Snippet = snippet(data, off)
	e.placed = true
}

// placed places e (see place) and returns it.
func (s *Set) placed(e *Error) *Error {
	s.place(e)
	return e
}

// originOf returns the origin of the element e is about, and the pointer of e's field
// within it.
func (s *Set) originOf(e *Error) (origin, string) {
	field := pointer(e.Field)
	switch {
	case e.Rule != "" && !strings.HasPrefix(e.Field, "rules["):
		return s.origins[ruleKey(e.Rule)], field
	case e.Fact != "":
		return s.origins[factKey(e.Fact)], field
	case strings.HasPrefix(e.Field, "params."):
		name, sub, _ := strings.Cut(strings.TrimPrefix(e.Field, "params."), ".")
		o := s.origins[paramKey(name)]
		if strings.HasPrefix(o.ptr, "/params/") {
			if sub == "" {
				sub = "value"
			}
			return o, "/" + sub
		}
		return o, ""
	case e.Field == "takes_effect" || e.Field == "effective_until" || e.Field == "zone":
		if o, ok := s.origins[fieldKey(e.Field)]; ok {
			return o, ""
		}
	}
	return s.origins["set"], field
}

// holds reports whether the JSON string at off in data is the text of e's field as s
// holds it now.
func (s *Set) holds(e *Error, data []byte, off int64) bool {
	var text string
	switch {
	case e.Rule != "":
		r, ok := s.Rule(e.Rule)
		if !ok {
			return false
		}
		text = r.Expr
		if lang, ok := strings.CutPrefix(e.Field, "messages."); ok {
			text = r.Messages[lang]
		}
	case e.Fact != "":
		i := slices.IndexFunc(s.Facts, func(f Fact) bool { return f.Name == e.Fact })
		if i < 0 {
			return false
		}
		text = s.Facts[i].Expr
	case e.Field == "takes_effect":
		text = s.TakesEffect
	case e.Field == "effective_until":
		text = s.EffectiveUntil
	default:
		return false
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data[off:]))
	tok, err := dec.ReadToken()
	return err == nil && tok.Kind() == '"' && tok.String() == text
}

// snippetSide is how many characters of a long line a snippet shows on each side of the
// caret: an expression sits on one line of a document, and may be hundreds long.
const snippetSide = 60

// snippet returns the line of data holding off, with a caret under off's character; of a
// long line, the snippetSide characters on each side of it, an ellipsis marking a cut.
func snippet(data []byte, off int64) string {
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	end := bytes.IndexByte(data[off:], '\n')
	if end < 0 {
		end = len(data) - int(off)
	}
	before, after := []rune(string(data[start:off])), []rune(string(data[off:int(off)+end]))
	head, tail := "", ""
	if len(before) > snippetSide {
		before, head = before[len(before)-snippetSide:], "…"
	}
	if len(after) > snippetSide {
		after, tail = after[:snippetSide], "…"
	}
	line := head + string(before) + string(after) + tail
	return fmt.Sprintf("\n | %s\n | %s^", line, strings.Repeat(".", utf8.RuneCountInString(head)+len(before)))
}

// pointer turns a field as an Error names it ("values.capacity", "rules[2].after",
// "messages.kk") into a JSON Pointer ("/values/capacity"); "" stays "".
func pointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(field)
}

// valueOffset returns the byte offset in a JSON document of the value at ptr, a JSON
// Pointer ("/rules/3/expr"), or -1 when the document has no such value or is not JSON
// up to it. Duplicate names are allowed: the first is found.
func valueOffset(doc []byte, ptr string) int64 {
	dec := jsontext.NewDecoder(bytes.NewReader(doc), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if ptr == "" {
		return skipSpace(doc, 0)
	}
	for {
		before := dec.InputOffset()
		if _, err := dec.ReadToken(); err != nil {
			return -1
		}
		// After a member's name the pointer names the member already: wait for its value.
		k, n := dec.StackIndex(dec.StackDepth())
		if string(dec.StackPointer()) == ptr && !(k == '{' && n%2 == 1) {
			return skipSpace(doc, before)
		}
	}
}

func skipSpace(doc []byte, off int64) int64 {
	for off < int64(len(doc)) && strings.IndexByte(" \t\r\n:,", doc[off]) >= 0 {
		off++
	}
	return off
}

// nearestOffset returns the offset of the value at ptr, or of the closest enclosing
// value the document has (the object a missing key belongs in), or -1.
func nearestOffset(doc []byte, ptr string) int64 {
	for {
		if off := valueOffset(doc, ptr); off >= 0 {
			return off
		}
		if ptr == "" {
			return -1
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
}

// inString returns the byte offset in doc of the character at line and column (both
// from 1) of the text of the JSON string that starts at quote, its opening '"'. A
// position past the text is placed on the closing quote.
func inString(doc []byte, quote int64, line, col int) int64 {
	if quote < 0 || quote >= int64(len(doc)) || doc[quote] != '"' {
		return quote
	}
	l, c := 1, 1
	i := quote + 1
	for i < int64(len(doc)) && doc[i] != '"' {
		if l == line && c == col {
			return i
		}
		if doc[i] == '\\' && i+1 < int64(len(doc)) {
			switch doc[i+1] {
			case 'n':
				l, c = l+1, 1
				i += 2
				continue
			case 'u':
				n := int64(6)
				if i+12 <= int64(len(doc)) && doc[i+6] == '\\' && doc[i+7] == 'u' {
					if r, err := strconv.ParseUint(string(doc[i+2:i+6]), 16, 16); err == nil && r >= 0xD800 && r < 0xDC00 {
						n = 12 // a surrogate pair is one character
					}
				}
				i += n
			default:
				i += 2
			}
			c++
			continue
		}
		_, size := utf8.DecodeRune(doc[i:])
		i += int64(size)
		c++
	}
	return i
}
