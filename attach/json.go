package attach

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/emkhana/emkhana/rules"
)

// DecodeApplication reads one application from its JSON form, the form the checker reads
// (see the README): an object with the keys of the table of fields, citizen, clinic and
// doctor being objects of their own.
//
// It reads the whole line in one strict pass and reports every problem at once, as an
// *[InvalidApplicationError] whose problems name the field's path and the value given: an
// unknown or misspelt key (names are matched exactly), a key given twice, a value of the
// wrong JSON type, a whole number out of range, a malformed or impossible date or time,
// and a required field that is missing or null. Invalid UTF-8, a leading byte-order mark
// and text that is not one JSON object are problems of the whole line, which name no
// field.
//
// A field the rules read only in some sets (doctor.attached, signed, ...) may be left
// out or null: Decide then refuses the application if the set in force reads it. An
// optional field left out or null reads as its documented default ([rules.Inputs]). It
// checks the form only: Decide checks the values.
func DecodeApplication(data []byte) (*Application, error) {
	app := &Application{}
	var p problems
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		p.add("", "", "the line starts with a byte-order mark (U+FEFF); write UTF-8 without one", nil)
		return nil, &InvalidApplicationError{Problems: p}
	}
	r := decoders.Get().(*reader)
	defer decoders.Put(r)
	r.src.Reset(data)
	r.dec.Reset(&r.src, jsontext.AllowDuplicateNames(true))
	r.app, r.p, r.seen = app, &p, 0
	if err := r.application(); err != nil {
		p = append(p, syntaxProblem(err))
		r.app, r.p = nil, nil
		return nil, &InvalidApplicationError{ID: app.ID, Problems: p}
	}
	r.app, r.p = nil, nil
	for i := range fields {
		f := &fields[i]
		if r.seen&(1<<i) != 0 && app.absent&(1<<i) == 0 {
			continue
		}
		if f.need == rules.RequiredAlways {
			msg := "is missing; every application gives it"
			if r.seen&(1<<i) != 0 {
				msg = "is null; every application gives it"
			}
			p.add(f.path, "", msg, nil)
		}
		app.absent |= 1 << i
	}
	if len(p) > 0 {
		return nil, &InvalidApplicationError{ID: app.ID, Problems: p}
	}
	return app, nil
}

// reader is the state of one [DecodeApplication]; decoders keeps them for reuse.
type reader struct {
	src  bytes.Reader
	dec  jsontext.Decoder
	app  *Application
	p    *problems
	seen fieldSet // the fields whose key was read
	buf  []byte   // scratch for unquoting strings
	key  []byte   // scratch for a field's path, to look it up
}

var decoders = sync.Pool{New: func() any { return new(reader) }}

// application reads the top-level object and what follows it. It returns an error only
// for text that is not JSON or not one object: field problems are added to r.p.
func (r *reader) application() error {
	switch k := r.dec.PeekKind(); k {
	case '{':
	case 0:
		_, err := r.dec.ReadToken()
		return err
	default:
		return fmt.Errorf("want a JSON object, not %s", kindName(k))
	}
	if err := r.object(""); err != nil {
		return err
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		if err == nil {
			err = errTrailing
		}
		return err
	}
	return nil
}

var errTrailing = errors.New("unexpected data after the application's closing brace")

// object reads an object whose keys are fields with the path prefix ("" or "citizen.").
// Paths are made only for the problems that name them: a lookup reads the key from r.key.
func (r *reader) object(prefix string) error {
	if _, err := r.dec.ReadToken(); err != nil { // {
		return err
	}
	var parts [3]bool // citizen, clinic, doctor seen
	for r.dec.PeekKind() == '"' {
		tok, err := r.dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		if prefix == "" {
			if k := part(name); k >= 0 {
				if err := r.part(k, &parts[k]); err != nil {
					return err
				}
				continue
			}
		}
		r.key = append(append(r.key[:0], prefix...), name...)
		i, ok := fieldIndex[string(r.key)] // no string is made for the lookup
		switch {
		case !ok:
			r.p.add(prefix+name, "", unknownKey(prefix, name), nil)
			err = r.dec.SkipValue()
		case r.seen&(1<<i) != 0:
			r.p.add(fields[i].path, "", "is given twice; a key may appear once", nil)
			err = r.dec.SkipValue()
		default:
			r.seen |= 1 << i
			err = r.value(i)
		}
		if err != nil {
			return err
		}
	}
	_, err := r.dec.ReadToken() // } or a syntax error
	return err
}

// parts are the objects of an application, by the index part gives them.
var parts = [3]string{"citizen", "clinic", "doctor"}

// partPrefixes are the path prefixes of their fields.
var partPrefixes = [3]string{"citizen.", "clinic.", "doctor."}

// part reads the value of citizen, clinic or doctor: parts[k].
func (r *reader) part(k int, seen *bool) error {
	path := parts[k]
	if *seen {
		r.p.add(path, "", "is given twice; a key may appear once", nil)
		return r.dec.SkipValue()
	}
	*seen = true
	switch kind := r.dec.PeekKind(); kind {
	case '{':
		return r.object(partPrefixes[k])
	case 'n': // its fields are all missing
		_, err := r.dec.ReadToken()
		return err
	default:
		v, err := r.dec.ReadValue()
		if err == nil {
			r.wrongType(path, v, "a JSON object")
		}
		return err
	}
}

// part returns the index of an object of the application by name (in parts), or -1.
func part(name string) int {
	switch name {
	case "citizen":
		return 0
	case "clinic":
		return 1
	case "doctor":
		return 2
	}
	return -1
}

// value reads the value of field i into the application.
func (r *reader) value(i int) error {
	f := &fields[i]
	if r.dec.PeekKind() == 'n' {
		r.app.absent |= 1 << i
		_, err := r.dec.ReadToken()
		return err
	}
	if p, ok := f.ptr(r.app).(*[]string); ok {
		return r.strings(f.path, p)
	}
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	k := v.Kind()
	switch p := f.ptr(r.app).(type) {
	case *string:
		if s, ok := r.str(f.path, v, "a string"); ok {
			*p = s
		}
	case *bool:
		if k != 't' && k != 'f' {
			r.wrongType(f.path, v, "true or false")
		} else {
			*p = k == 't'
		}
	case *int:
		if k != '0' {
			r.wrongType(f.path, v, "a whole number")
			break
		}
		n, msg := wholeNumber(v)
		if msg != "" {
			r.p.add(f.path, shown(v), msg, nil)
		}
		*p = n
	case *rules.Date:
		if s, ok := r.str(f.path, v, "a date \"YYYY-MM-DD\""); ok {
			d, err := rules.ParseDate(s)
			switch {
			case s == "":
				r.p.add(f.path, "", "is an empty string; give a date YYYY-MM-DD, or leave the key out", nil)
			case err != nil:
				r.p.add(f.path, s, "must be a date YYYY-MM-DD that exists", err)
			}
			*p = d
		}
	case *time.Time:
		if s, ok := r.str(f.path, v, "a time such as \"2026-10-05T10:00:00+05:00\""); ok {
			t, msg := parseTime(s)
			if s == "" {
				msg = "is an empty string; give the instant the application was made, such as 2026-10-05T10:00:00+05:00"
			}
			if msg != "" {
				r.p.add(f.path, s, msg, nil)
			}
			*p = t
		}
	}
	return nil
}

// strings reads an array of strings, each of which is checked.
func (r *reader) strings(path string, p *[]string) error {
	if k := r.dec.PeekKind(); k != '[' {
		v, err := r.dec.ReadValue()
		if err == nil {
			r.wrongType(path, v, "an array of strings")
		}
		return err
	}
	if _, err := r.dec.ReadToken(); err != nil {
		return err
	}
	l := []string{}
	for n := 0; r.dec.PeekKind() != ']'; n++ {
		v, err := r.dec.ReadValue()
		if err != nil {
			return err
		}
		if v.Kind() != '"' { // the path of an element is made only to name it
			r.wrongType(fmt.Sprintf("%s[%d]", path, n), v, "a string")
		} else if s, ok := r.str(path, v, "a string"); ok {
			l = append(l, s)
		}
	}
	*p = l
	_, err := r.dec.ReadToken()
	return err
}

// str returns the text of a JSON string, or reports that v is not one.
func (r *reader) str(path string, v jsontext.Value, want string) (string, bool) {
	if v.Kind() != '"' {
		r.wrongType(path, v, want)
		return "", false
	}
	b, err := jsontext.AppendUnquote(r.buf[:0], v)
	r.buf = b
	if err != nil { // the decoder has checked the string: unreachable
		r.p.add(path, shown(v), "is not a valid JSON string", err)
		return "", false
	}
	return string(b), true
}

// wrongType reports a value of another JSON type than the field's, quoting it: a string
// by its text, anything else as JSON.
func (r *reader) wrongType(path string, v jsontext.Value, want string) {
	got := shown(v)
	if v.Kind() == '"' {
		if b, err := jsontext.AppendUnquote(nil, v); err == nil {
			got = shown(b)
		}
	}
	r.p.add(path, got, "must be "+want+", not "+kindName(v.Kind()), nil)
}

// wholeNumber returns the value of a JSON number with no fraction or exponent that fits
// an int, or what is wrong with it.
func wholeNumber(v jsontext.Value) (int, string) {
	b := []byte(v)
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, "must be a whole number, without a fraction or an exponent"
		}
		if n > (1<<62)/5 {
			return 0, "is out of range"
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, ""
}

// parseTime reads an RFC 3339 time with its offset, which must be a real one (-12:00 to
// +14:00 are the world's; any within ±23:59 is accepted), in the years 1900-9998.
func parseTime(s string) (time.Time, string) {
	const want = "must be a time RFC 3339 with its offset, such as 2026-10-05T10:00:00+05:00"
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, want
	}
	if !strings.HasSuffix(s, "Z") {
		off := s[len(s)-6:]
		if off[0] != '+' && off[0] != '-' || off[3] != ':' || off[1] > '2' || off[1] == '2' && off[2] > '3' || off[4] > '5' {
			return time.Time{}, want + "; an offset is ±HH:MM, hours below 24 and minutes below 60"
		}
	}
	if y := t.Year(); y < 1900 || y > 9998 {
		return time.Time{}, "must be a time between the years 1900 and 9998"
	}
	return t, ""
}

// unknownKey is the message for a key that is not a field, with the field it may be a
// misspelling of.
func unknownKey(prefix, name string) string {
	msg := "is not a field of an application"
	for _, f := range fields {
		if rest, ok := strings.CutPrefix(f.path, prefix); ok && !strings.Contains(rest, ".") && strings.EqualFold(rest, name) {
			return msg + "; field names are lower-case: " + f.path
		}
	}
	return msg
}

// kindName names a JSON kind with its article.
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "nothing"
}

// shown is a JSON value as a problem quotes it: at most 64 bytes, cut at a character.
func shown(v []byte) string {
	const most = 64
	if len(v) <= most {
		return string(v)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return string(v[:cut]) + "..."
}

// syntaxProblem turns an error of the JSON text into a problem naming no field.
func syntaxProblem(err error) *FieldError {
	fe := &FieldError{Message: err.Error(), Err: err}
	var syn *jsontext.SyntacticError
	switch {
	case err == io.EOF:
		fe.Message = "empty input; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		fe.Message = "unexpected end of input; the JSON object is not closed"
	case errors.As(err, &syn):
		fe.Message = fmt.Sprintf("not valid JSON at byte %d: %s", syn.ByteOffset+1, strings.TrimPrefix(syn.Err.Error(), "jsontext: "))
	}
	return fe
}
