// Package jsonpos places things in JSON documents for the example programs: the byte
// offset of the value at a JSON Pointer, and the line and column of a byte offset. The
// checker places problems of scenario files with it, the playground problems of the
// application being edited.
package jsonpos

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

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

// NearestOffset returns the offset of the value at ptr, or of the closest enclosing
// value the document has (the object a missing key belongs in), or -1.
func NearestOffset(doc []byte, ptr string) int64 {
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

// LineCol converts a byte offset into a line and a column in characters, both from 1.
func LineCol(data []byte, off int64) (line, col int) {
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

// Pointer turns a field as the library names it ("values.capacity", "rules[2].after",
// "clinic.service_area[1]") into a JSON Pointer ("/values/capacity").
func Pointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(field)
}
