package play

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Positions in the editors' documents. The page marks a problem at a line and a column
// of the document the author typed; the library gives some positions in the document
// and others inside an expression, a string of it. These functions find a JSON value
// by its pointer, map a position inside a string value to the document, and turn byte
// offsets into lines and columns.

// valueOffset returns the byte offset in a JSON document of the value at ptr, a JSON
// Pointer ("/rules/3/expr"), or -1 when the document has no such value or is not JSON
// up to it. Duplicate names are allowed: the first is found.
func valueOffset(doc []byte, ptr string) int64 {
	dec := jsontext.NewDecoder(bytes.NewReader(doc), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for {
		before := dec.InputOffset()
		if _, err := dec.ReadToken(); err != nil {
			return -1
		}
		// After a member's name the pointer names the member already: wait for its value.
		k, n := dec.StackIndex(dec.StackDepth())
		if string(dec.StackPointer()) == ptr && !(k == '{' && n%2 == 1) {
			for before < int64(len(doc)) && strings.IndexByte(" \t\r\n:,", doc[before]) >= 0 {
				before++
			}
			return before
		}
	}
}

// nearestOffset returns the offset of the value at ptr, or of the closest enclosing
// value the document has (the object a missing key belongs in), or -1.
func nearestOffset(doc []byte, ptr string) int64 {
	for {
		if off := valueOffset(doc, ptr); off >= 0 {
			return off
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return -1
		}
		ptr = ptr[:i]
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

// lineCol converts a byte offset into a line and a column in characters, both from 1.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	line, col = 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// pointer turns a field as the library names it ("values.capacity", "rules[2].after",
// "clinic.service_area[1]") into a JSON Pointer ("/values/capacity").
func pointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(field)
}

// outline is what the positions need of a rule-set document: the place of each rule,
// fact and parameter in its array, found by id or name.
type outline struct {
	Rules  []struct{ ID string }   `json:"rules"`
	Facts  []struct{ Name string } `json:"facts"`
	Params []struct{ Name string } `json:"params"`
}

// readOutline reads the outline of a document, as much of it as is JSON.
func readOutline(doc []byte) outline {
	var o outline
	_ = json.Unmarshal(doc, &o) // a document that is not JSON has problems placed by its syntax
	return o
}

// rule, fact and param return the pointer to the element of that id or name, or "".
func (o *outline) rule(id string) string {
	for i, r := range o.Rules {
		if r.ID == id {
			return "/rules/" + strconv.Itoa(i)
		}
	}
	return ""
}

func (o *outline) fact(name string) string {
	for i, f := range o.Facts {
		if f.Name == name {
			return "/facts/" + strconv.Itoa(i)
		}
	}
	return ""
}

func (o *outline) param(name string) string {
	for i, p := range o.Params {
		if p.Name == name {
			return "/params/" + strconv.Itoa(i)
		}
	}
	return ""
}
