package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The template syntax of messages is documented in doc.go, section Messages.

// languages are the languages every rule's messages are written in, the default first.
var languages = []language.Tag{language.Kazakh, language.Russian, language.English}

// languageMatcher chooses among languages.
var languageMatcher = language.NewMatcher(languages)

// Languages returns the languages every rule's messages are written in: Kazakh, Russian
// and English, in that order. The first, Kazakh, is the default.
func Languages() []language.Tag { return append([]language.Tag(nil), languages...) }

// MatchLanguage returns the language of Languages that best serves a reader who prefers
// prefs, most preferred first: each is an Accept-Language value ("ru-KZ,ru;q=0.9,en;q=0.8")
// or a single BCP 47 tag ("kk-Cyrl-KZ", "en-GB"). Regional and script variants match
// their language. Kazakh, the default, is returned when nothing matches or prefs is
// empty; a value that does not parse is skipped.
func MatchLanguage(prefs ...string) language.Tag {
	var tags []language.Tag
	for _, p := range prefs {
		ts, _, err := language.ParseAcceptLanguage(p)
		if err != nil {
			continue
		}
		tags = append(tags, ts...)
	}
	return matchTags(tags)
}

func matchTags(tags []language.Tag) language.Tag {
	if len(tags) == 0 {
		return languages[0]
	}
	_, i, conf := languageMatcher.Match(tags...)
	if conf == language.No {
		return languages[0]
	}
	return languages[i]
}

// messages is the compiled messages of one set: its x/text catalog and, per rule, the
// facts its templates' arguments are.
type messages struct {
	cat    *catalog.Builder
	plural map[string]bool // the set's codes, by code: whether it has a plural
	// args holds, per rule, the arguments of its message: each a fact (its index in the
	// set's order) and the grammatical case it is written in ("" for the plain form).
	args [][]msgArg
}

// msgArg is one argument of a rule's message: a fact, in a grammatical case or not.
type msgArg struct {
	fact int    // its index in the set's order of facts
	gram string // its case ("dat", "abl", ...; cases), or "" for the plain form
}

// ruleKey is the catalog key of a rule's message.
func ruleKey(id string) string { return "rule:" + id }

// compileMessages checks every rule's templates and compiles them into the set's catalog.
func compileMessages(c *Compiled) (*messages, Errors) {
	s := &c.set
	m := &messages{cat: catalog.NewBuilder(catalog.Fallback(languages[0])), args: make([][]msgArg, len(s.Rules))}
	var errs Errors
	if err := addVocabulary(m.cat); err != nil {
		errs = append(errs, &Error{Set: s.ID, Message: "the vocabulary of messages does not compile: " + err.Error(), Err: err})
	}
	m.plural = map[string]bool{}
	for _, kind := range sortedKeys(s.Codes) {
		for _, code := range s.Codes[kind] {
			m.plural[code.Code] = len(code.Plural) > 0
			for _, tag := range languages {
				err := m.cat.SetString(tag, vocabularyKey(code.Code), code.Words[tag.String()])
				if err == nil && len(code.Plural) > 0 {
					err = m.cat.SetString(tag, pluralKey(code.Code), code.Plural[tag.String()])
				}
				if err != nil {
					errs = append(errs, &Error{Set: s.ID, Field: "codes." + kind, Message: err.Error(), Err: err})
				}
			}
		}
	}
	for i, r := range s.Rules {
		if c.rules[i].prog == nil { // its expression is reported; its facts are unknown
			continue
		}
		shown := map[string]int{} // fact name -> its index in the set's order
		for _, j := range c.ruleFacts[i] {
			shown[s.Facts[j].Name] = j
			m.args[i] = append(m.args[i], msgArg{fact: j})
		}
		// arg returns the argument number (from 1) of a fact in a case, adding the case
		// form as an argument of its own the first time a template of the rule asks for it.
		arg := func(name, gram string) int {
			a := msgArg{fact: shown[name], gram: gram}
			for k, b := range m.args[i] {
				if b == a {
					return k + 1
				}
			}
			m.args[i] = append(m.args[i], a)
			return len(m.args[i])
		}
		for _, tag := range languages {
			lang := tag.String()
			field := "messages." + lang
			src, ok := r.Messages[lang]
			if !ok || strings.TrimSpace(src) == "" {
				errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: field, Message: "missing: every rule has a message in kk, ru and en"})
				continue
			}
			msg, err := compileTemplate(src, shown, arg, func(name string) Kind { return c.facts[shown[name]].kind })
			if err != nil {
				err.Set, err.Rule, err.Field = s.ID, r.ID, field
				errs = append(errs, err)
				continue
			}
			if e := m.cat.Set(tag, ruleKey(r.ID), msg...); e != nil {
				errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: field, Message: e.Error(), Err: e})
			}
		}
		for lang := range r.Messages {
			if t, err := language.Parse(lang); err != nil || !isLanguage(t) || t.String() != lang {
				errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: "messages." + lang, Message: fmt.Sprintf("unknown language %q; messages are written in kk, ru and en", lang)})
			}
		}
	}
	return m, errs
}

func isLanguage(t language.Tag) bool {
	for _, l := range languages {
		if l == t {
			return true
		}
	}
	return false
}

// pluralSelectors are the CLDR plural categories plural.Selectf accepts by name.
var pluralSelectors = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

// compileTemplate turns a template into catalog messages: a catalog.Var holding a
// plural.Selectf per plural placeholder, then the format string. Placeholders become
// explicit argument indexes, so every language of a rule takes the same arguments.
func compileTemplate(src string, shown map[string]int, argOf func(name, gram string) int, kind func(name string) Kind) ([]catalog.Message, *Error) {
	var format strings.Builder
	var vars []catalog.Message
	fail := func(at int, msg string) ([]catalog.Message, *Error) {
		return nil, templateError(src, at, msg)
	}
	for i := 0; i < len(src); {
		switch ch := src[i]; {
		case strings.HasPrefix(src[i:], "{{"):
			format.WriteByte('{')
			i += 2
		case strings.HasPrefix(src[i:], "}}"):
			format.WriteByte('}')
			i += 2
		case ch == '}':
			return fail(i, "unexpected }; write }} for a literal brace")
		case ch == '%':
			format.WriteString("%%")
			i++
		case ch == '$' && strings.HasPrefix(src[i+1:], "{{"):
			return fail(i, "$ before a literal { is not allowed")
		case ch != '{':
			format.WriteByte(ch)
			i++
		default:
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return fail(i, "unclosed {")
			}
			body := src[i+1 : i+end]
			if j := strings.IndexByte(body, '{'); j >= 0 {
				return fail(i+1+j, "unexpected { inside a placeholder")
			}
			parts := strings.Split(body, "|")
			name, gram, hasCase := strings.Cut(strings.TrimSpace(parts[0]), ":")
			if name == "" {
				return fail(i, "empty placeholder; write {{ for a literal brace")
			}
			if _, ok := shown[name]; !ok {
				return fail(i+1, fmt.Sprintf("{%s} names a fact this rule does not show; it may name %s", name, shownList(shown)))
			}
			if hasCase {
				switch k := kind(name); {
				case !slices.Contains(cases[:], gram):
					return fail(i+1+len(name), fmt.Sprintf("unknown case %q; want one of %s", gram, strings.Join(cases[:], ", ")))
				case k != DateKind && k != MonthDayKind:
					return fail(i+1, fmt.Sprintf("a case is written for a date or a day of the year; %s is %s", name, k))
				case len(parts) > 1:
					return fail(i+1, "a placeholder has either a case or plural forms, not both")
				}
			}
			arg := argOf(name, gram)
			if len(parts) == 1 {
				fmt.Fprintf(&format, "%%[%d]v", arg)
				i += end + 1
				break
			}
			if k := kind(name); k != Int {
				return fail(i+1, fmt.Sprintf("plural forms need a fact of type int; %s is %s", name, k))
			}
			cases := []any{}
			seen := map[string]bool{}
			pos := i + 1 + len(parts[0])
			for _, form := range parts[1:] {
				pos++ // the |
				sel, text, found := strings.Cut(form, ":")
				sel = strings.TrimSpace(sel)
				switch {
				case !found:
					return fail(pos, fmt.Sprintf("plural form %q has no selector; write e.g. one:# person", form))
				case !pluralSelectors[sel] && !exactSelector(sel):
					return fail(pos, fmt.Sprintf("unknown plural selector %q; want zero, one, two, few, many, other or =N", sel))
				case seen[sel]:
					return fail(pos, fmt.Sprintf("plural selector %q given twice", sel))
				}
				seen[sel] = true
				text = strings.ReplaceAll(text, "%", "%%")
				text = strings.ReplaceAll(text, "#", fmt.Sprintf("%%[%d]v", arg))
				cases = append(cases, sel, text)
				pos += len(form)
			}
			if !seen["other"] {
				return fail(i, fmt.Sprintf("plural placeholder {%s|...} needs an other: form, used when no other form matches", name))
			}
			v := "p" + strconv.Itoa(len(vars))
			vars = append(vars, catalog.Var(v, plural.Selectf(arg, "%d", cases...)))
			format.WriteString("${" + v + "}")
			i += end + 1
		}
	}
	return append(vars, catalog.String(format.String())), nil
}

func exactSelector(s string) bool {
	if len(s) < 2 || s[0] != '=' {
		return false
	}
	_, err := strconv.ParseUint(s[1:], 10, 16)
	return err == nil
}

func shownList(shown map[string]int) string {
	if len(shown) == 0 {
		return "none"
	}
	names := make([]string, 0, len(shown))
	for n := range shown {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return shown[a] - shown[b] })
	return strings.Join(names, ", ")
}

// templateError places a problem at byte offset at of a template.
func templateError(src string, at int, msg string) *Error {
	line, col := 1, 1
	start := 0
	for i, r := range src[:at] {
		if r == '\n' {
			line++
			col = 1
			start = i + 1
		} else {
			col++
		}
	}
	text := src[start:]
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	return &Error{Line: line, Column: col, Message: msg,
		Snippet: fmt.Sprintf("\n | %s\n | %s^", text, strings.Repeat(".", utf8.RuneCountInString(src[start:at])))}
}

// Printer prints the messages and values of one compiled set in one language. Making one
// is cheap; a Printer is not safe for concurrent use, but any number of Printers of one
// set may print at once.
type Printer struct {
	tag language.Tag
	c   *Compiled
	p   *message.Printer
}

// Printer returns a printer of the set's messages in the language of Languages that
// best matches tag (Kazakh when none does).
func (c *Compiled) Printer(tag language.Tag) *Printer {
	t := matchTags([]language.Tag{tag})
	return &Printer{tag: t, c: c, p: message.NewPrinter(t, message.Catalog(c.messages.cat))}
}

// Language returns the language the printer writes: one of Languages.
func (p *Printer) Language() language.Tag { return p.tag }

// Message returns the message of rule i of the set, with the values facts (in the set's
// order of facts, as Result.Facts returns them) in place of its placeholders. It returns
// "" when i is not a rule of the set or facts is shorter than the set's facts.
func (p *Printer) Message(i int, facts []Value) string {
	if i < 0 || i >= len(p.c.set.Rules) || len(facts) < len(p.c.set.Facts) {
		return ""
	}
	shown := p.c.messages.args[i]
	args := make([]any, len(shown))
	for k, a := range shown {
		switch v := facts[a.fact]; {
		case a.gram != "":
			args[k] = p.valueIn(v, a.gram)
		case v.Kind() == Int:
			args[k] = v.Int()
		default:
			args[k] = p.Value(v)
		}
	}
	return p.p.Sprintf(ruleKey(p.c.set.Rules[i].ID), args...)
}

// Value formats one value in the printer's language: numbers with the locale's grouping,
// dates and days of the year with the month's name, known codes by their names.
func (p *Printer) Value(v Value) string {
	switch v.Kind() {
	case Int:
		return p.p.Sprintf("%d", v.Int())
	case Float:
		return p.p.Sprintf("%v", v.Float())
	case Bool:
		return p.p.Sprintf(vocabularyKey(strconv.FormatBool(v.Bool())))
	case String:
		return p.word(v.Str(), false)
	case Strings:
		words := make([]string, len(v.Strings()))
		for i, s := range v.Strings() {
			words[i] = p.word(s, true)
		}
		return strings.Join(words, p.p.Sprintf(listKey))
	case DateKind, MonthDayKind:
		return p.valueIn(v, "")
	case IntMap:
		return v.String()
	}
	return ""
}

// valueIn formats a date or a day of the year with the month's name in a grammatical
// case ("" for the plain form): Kazakh puts the case on the month's name, "2026 жылғы 3
// наурыздан"; Russian and English dates have one form. Other values are formatted by
// Value.
func (p *Printer) valueIn(v Value, gram string) string {
	switch v.Kind() {
	case DateKind:
		d := v.Date()
		if d.IsZero() {
			return p.word("", false)
		}
		return p.p.Sprintf(dateKey, strconv.Itoa(d.Year()), d.Day(), p.p.Sprintf(monthKey(d.Month(), gram)))
	case MonthDayKind:
		md := v.MonthDay()
		return p.p.Sprintf(monthDayKey, "", md.Day(), p.p.Sprintf(monthKey(md.Month(), gram)))
	}
	return p.Value(v)
}

// word returns the name of a code of the set in the printer's language, its plural in a
// list when it has one, or the string itself when it is no code ("" is "none given").
func (p *Printer) word(s string, inList bool) string {
	plural, ok := p.c.messages.plural[s]
	switch {
	case ok && inList && plural:
		return p.p.Sprintf(pluralKey(s))
	case ok || s == "":
		return p.p.Sprintf(vocabularyKey(s))
	}
	return s
}
