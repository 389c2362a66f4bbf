package main

import (
	"strconv"
	"unicode/utf8"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// The output lines of plain mode are written by hand, field after field, to the bytes
// encoding/json would write for the structs of decide.go and output.go (a test holds
// the two to one another): reflection and the check encoding/json makes of every
// MarshalJSON's output cost more than deciding.

// appendDecision appends the JSON of a decision, without a newline.
func appendDecision(b []byte, o *decision) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, o.ID)
	b = append(b, `,"outcome":`...)
	b = appendString(b, o.Outcome)
	b = appendField(b, "rule_set", o.RuleSet)
	b = appendField(b, "rule_set_digest", o.RuleSetDigest)
	if o.EffectiveFrom != 0 {
		b = appendDate(append(b, `,"effective_from":`...), o.EffectiveFrom)
	}
	if o.EffectiveUntil != 0 {
		b = appendDate(append(b, `,"effective_until":`...), o.EffectiveUntil)
	}
	if len(o.Failed) > 0 {
		b = append(b, `,"failed":`...)
		b = appendStrings(b, o.Failed)
	}
	if len(o.Reasons) > 0 {
		b = append(b, `,"reasons":[`...)
		for i, r := range o.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"rule":`...)
			b = appendString(b, r.Rule)
			b = append(b, `,"message":`...)
			b = appendString(b, r.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(o.Remedies) > 0 {
		b = append(b, `,"remedies":[`...)
		for i := range o.Remedies {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRemedy(b, &o.Remedies[i])
		}
		b = append(b, ']')
	}
	b = appendField(b, "no_remedy", o.NoRemedy)
	if len(o.Trace) > 0 {
		b = append(b, `,"trace":[`...)
		for i := range o.Trace {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStep(b, &o.Trace[i])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendRemedy appends the JSON of a remedy.
func appendRemedy(b []byte, r *remedy) []byte {
	b = append(b, '{')
	if r.WaivesHomeVisits {
		b = append(b, `"waives_home_visits":true,`...)
	}
	if r.Doctor != "" {
		b = append(b, `"doctor":`...)
		b = appendString(b, r.Doctor)
		b = append(b, ',')
	}
	if len(r.Reasons) > 0 {
		b = append(b, `"reasons":[`...)
		for i, s := range r.Reasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, string(s))
		}
		b = append(b, "],"...)
	}
	if r.Date != 0 {
		b = appendDate(append(b, `"date":`...), r.Date)
		b = append(b, ',')
	}
	b = appendDate(append(b, `"effective_from":`...), r.EffectiveFrom)
	b = append(b, `,"message":`...)
	b = appendString(b, r.Message)
	return append(b, '}')
}

// appendStep appends a trace step as attach.Step.MarshalJSON writes it: its facts as one
// object, in order.
func appendStep(b []byte, s *attach.Step) []byte {
	b = append(b, `{"rule":`...)
	b = appendString(b, s.Rule)
	b = append(b, `,"passed":`...)
	b = strconv.AppendBool(b, s.Passed)
	b = append(b, `,"facts":{`...)
	for i, f := range s.Facts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.Name)
		b = append(b, ':')
		b = appendValue(b, f.Value)
	}
	return append(b, "}}"...)
}

// appendValue appends a value as rules.Value.MarshalJSON writes it.
func appendValue(b []byte, v rules.Value) []byte {
	switch v.Kind() {
	case rules.Bool:
		return strconv.AppendBool(b, v.Bool())
	case rules.Int:
		return strconv.AppendInt(b, int64(v.Int()), 10)
	case rules.String:
		return appendString(b, v.Str())
	case rules.Strings:
		if v.Strings() == nil {
			return append(b, "null"...)
		}
		return appendStrings(b, v.Strings())
	case rules.DateKind:
		return appendDate(b, v.Date())
	}
	j, err := v.MarshalJSON() // floats, maps: rare in a trace
	if err != nil {
		return append(b, "null"...) // a value no JSON holds (NaN): unreachable from the rules
	}
	return append(b, j...)
}

// appendDate appends a date as a JSON string "YYYY-MM-DD", "" for the zero Date.
func appendDate(b []byte, d rules.Date) []byte {
	if d == 0 || d.Year() < 0 || d.Year() > 9999 {
		return appendString(b, d.String())
	}
	y, m, day := d.Year(), int(d.Month()), d.Day()
	return append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		'-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10), '"')
}

// appendErrorLine appends the JSON of an error line.
func appendErrorLine(b []byte, e *errorLine) []byte {
	b = append(b, '{')
	if e.File != "" {
		b = append(b, `"file":`...)
		b = appendString(b, e.File)
		b = append(b, ',')
	}
	b = append(b, `"line":`...)
	b = strconv.AppendInt(b, int64(e.Line), 10)
	b = append(b, `,"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"error":`...)
	b = appendString(b, e.Error)
	return append(b, '}')
}

// appendField appends ,"name":"s" when s is not empty: a field marked omitempty.
func appendField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, s)
}

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, l []string) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string, escaped as encoding/json escapes it: <, > and &
// as \u003c, \u003e and \u0026, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped. It
// checks the UTF-8 as it goes: the two-byte characters of Cyrillic text are passed over
// without decoding them.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !plain[c] {
				b = appendEscaped(append(b, s[start:i]...), c)
				start = i + 1
			}
			i++
			continue
		}
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 { // a valid two-byte character
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
			start = i + size
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', byte('8'+r-'\u2028'))
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscaped appends the escape of an ASCII byte that a JSON string does not hold as
// it is.
func appendEscaped(b []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
}

// plain holds the ASCII bytes a JSON string holds as they are: not a control character,
// a quote, a backslash, or one of <, > and & that encoding/json escapes for HTML.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
