package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The template syntax of messages is documented in doc.go, section Messages.

// languages are the languages every rule's messages are written in, the default first.
var languages = []language.Tag{language.Kazakh, language.Russian, language.English}

// languageMatcher chooses among languages.
var languageMatcher = language.NewMatcher(languages)

// Languages returns the languages every rule's messages are written in: Kazakh, Russian
// and English, in that order. The first, Kazakh, is the default.
func Languages() []language.Tag { return append([]language.Tag(nil), languages...) }

// MatchLanguage returns the language of [Languages] that best serves a reader who prefers
// prefs, most preferred first: each is an Accept-Language value ("ru-KZ,ru;q=0.9,en;q=0.8")
// or a single BCP 47 tag ("kk-Cyrl-KZ", "en-GB"). Regional and script variants match
// their language: "kk-Latn" gets Kazakh in the Cyrillic script, the only one the messages
// are written in. Kazakh, the default, is returned when nothing matches or prefs is empty;
// a value that does not parse is skipped. A language refused with q=0 ("kk;q=0") is never
// returned while another is not refused: the default then is the first of Languages the
// reader did not refuse.
func MatchLanguage(prefs ...string) language.Tag {
	if len(prefs) == 1 {
		return matchCached(prefs[0])
	}
	return matchLanguage(prefs...)
}

// matched remembers the language of the Accept-Language values seen, which a service
// sees the same few of again and again: up to maxMatched values of up to 256 bytes.
var (
	matched      sync.Map // string -> language.Tag
	matchedCount atomic.Int64
)

const maxMatched = 4096

func matchCached(accept string) language.Tag {
	if t, ok := matched.Load(accept); ok {
		return t.(language.Tag)
	}
	t := matchLanguage(accept)
	if len(accept) <= 256 && matchedCount.Load() < maxMatched {
		if _, loaded := matched.LoadOrStore(accept, t); !loaded {
			matchedCount.Add(1)
		}
	}
	return t
}

func matchLanguage(prefs ...string) language.Tag {
	var tags []language.Tag
	refused := map[language.Tag]bool{}
	for _, p := range prefs {
		ts, _, err := language.ParseAcceptLanguage(p)
		if err != nil {
			continue
		}
		tags = append(tags, ts...)
		for _, l := range refusals(p) {
			refused[l] = true
		}
	}
	if t := matchTags(tags); !refused[t] {
		return t
	}
	for _, l := range languages {
		if !refused[l] {
			return l
		}
	}
	return languages[0] // every language refused: the default still
}

// refusals returns the languages of [Languages] an Accept-Language value refuses: those of
// its entries with q=0, which ParseAcceptLanguage leaves out.
func refusals(accept string) []language.Tag {
	var out []language.Tag
	for _, entry := range strings.Split(accept, ",") {
		tag, params, ok := strings.Cut(entry, ";")
		if !ok {
			continue
		}
		for _, param := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
			if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); strings.TrimSpace(k) == "q" && err == nil && q == 0 {
				if t, err := language.Parse(strings.TrimSpace(tag)); err == nil {
					if base, conf := t.Base(); conf != language.No {
						if l, err := language.Compose(base); err == nil && isLanguage(l) {
							out = append(out, l)
						}
					}
				}
			}
		}
	}
	return out
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

// messages is the compiled messages of one set: per rule, its templates in each
// language and the facts their arguments are; the phrases likewise.
type messages struct {
	printers []*Printer // by language, in the order of languages
	// rules holds, per rule, its template in each language (in the order of languages).
	rules [][]template
	// args holds, per rule, the arguments of its templates: each a fact (its index in the
	// set's order) and the grammatical case it is written in ("" for the plain form).
	args [][]msgArg
	// phrases holds the phrases (phrases.go) by name, compiled as rules' messages are.
	phrases map[string]*compiledPhrase
}

// compiledPhrase is a phrase's templates in each language and their arguments, each an
// index in the phrase's own arguments.
type compiledPhrase struct {
	texts []template
	args  []msgArg
	n     int // the number of arguments the phrase takes
}

// msgArg is one argument of a rule's message: a fact, in a grammatical case or not.
type msgArg struct {
	fact int    // its index in the set's order of facts
	gram string // its case ("dat", "abl", ...; cases), or "" for the plain form
}

// compileMessages checks every rule's templates and compiles them.
func compileMessages(c *Compiled) (*messages, Errors) {
	s := &c.set
	m := &messages{rules: make([][]template, len(s.Rules)), args: make([][]msgArg, len(s.Rules))}
	var errs Errors
	for i, r := range s.Rules {
		if c.rules[i].prog == nil { // its expression is reported; its facts are unknown
			continue
		}
		shown := map[string]int{} // fact name -> its index in the set's order
		for _, j := range c.ruleFacts[i] {
			shown[s.Facts[j].Name] = j
			m.args[i] = append(m.args[i], msgArg{fact: j})
		}
		// arg returns the argument (from 0) of a fact in a case, adding the case form as
		// an argument of its own the first time a template of the rule asks for it.
		arg := func(name, gram string) int {
			a := msgArg{fact: shown[name], gram: gram}
			if k := slices.Index(m.args[i], a); k >= 0 {
				return k
			}
			m.args[i] = append(m.args[i], a)
			return len(m.args[i]) - 1
		}
		m.rules[i] = make([]template, len(languages))
		for l, tag := range languages {
			lang := tag.String()
			field := "messages." + lang
			src, ok := r.Messages[lang]
			if !ok || strings.TrimSpace(src) == "" {
				errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: field, Message: "missing: every rule has a message in kk, ru and en"})
				continue
			}
			t, err := compileTemplate(src, l, shown, arg, func(name string) Kind { return c.facts[shown[name]].kind })
			if err != nil {
				err.Set, err.Rule, err.Field = s.ID, r.ID, field
				errs = append(errs, err)
				continue
			}
			m.rules[i][l] = t
		}
		for lang := range r.Messages {
			if t, err := language.Parse(lang); err != nil || !isLanguage(t) || t.String() != lang {
				errs = append(errs, &Error{Set: s.ID, Rule: r.ID, Field: "messages." + lang, Message: fmt.Sprintf("unknown language %q; messages are written in kk, ru and en", lang)})
			}
		}
	}
	errs = append(errs, addPhrases(m, s.ID)...)
	for l, tag := range languages {
		m.printers = append(m.printers, &Printer{tag: tag, lang: l, c: c, p: message.NewPrinter(tag), v: newVocab(l, s.Codes)})
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

// pluralForms are the CLDR plural categories a plural form may select by name.
var pluralForms = map[string]plural.Form{"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other}

// template is a compiled message template: its text and placeholders, in order.
type template []piece

// piece is a run of text, or a placeholder: an argument of the message, written as its
// value or, with plural forms, as the form its number selects.
type piece struct {
	text  string
	arg   int // the argument's index; -1 for text
	forms []pluralForm
}

// pluralForm is one form of a plural placeholder: the text for an exact number ("=N"),
// or for a CLDR plural category of the language, in which # stands for the number.
type pluralForm struct {
	exact int // N of "=N"; -1 for a category
	form  plural.Form
	text  template // pieces of text, and # as the placeholder's argument
}

// compileTemplate compiles a template: placeholders become arguments, numbered by
// argOf, so that every language of a rule takes the same arguments.
func compileTemplate(src string, lang int, shown map[string]int, argOf func(name, gram string) int, kind func(name string) Kind) (template, *Error) {
	var t template
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			t = append(t, piece{text: text.String(), arg: -1})
			text.Reset()
		}
	}
	fail := func(at int, msg string) (template, *Error) {
		return nil, templateError(src, at, msg)
	}
	for i := 0; i < len(src); {
		switch ch := src[i]; {
		case strings.HasPrefix(src[i:], "{{"):
			text.WriteByte('{')
			i += 2
		case strings.HasPrefix(src[i:], "}}"):
			text.WriteByte('}')
			i += 2
		case ch == '}':
			return fail(i, "unexpected }; write }} for a literal brace")
		case ch == '$' && strings.HasPrefix(src[i+1:], "{{"):
			return fail(i, "$ before a literal { is not allowed")
		case ch != '{':
			text.WriteByte(ch)
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
			flush()
			if len(parts) == 1 {
				t = append(t, piece{arg: arg})
				i += end + 1
				break
			}
			if k := kind(name); k != Int {
				return fail(i+1, fmt.Sprintf("plural forms need a fact of type int; %s is %s", name, k))
			}
			var forms []pluralForm
			seen := map[string]bool{}
			pos := i + 1 + len(parts[0])
			for _, form := range parts[1:] {
				pos++ // the |
				sel, txt, found := strings.Cut(form, ":")
				sel = strings.TrimSpace(sel)
				f := pluralForm{exact: -1}
				switch {
				case !found:
					return fail(pos, fmt.Sprintf("plural form %q has no selector; write e.g. one:# person", form))
				case exactSelector(sel):
					f.exact, _ = strconv.Atoi(sel[1:])
				case !hasPluralForm(sel):
					return fail(pos, fmt.Sprintf("unknown plural selector %q; want zero, one, two, few, many, other or =N", sel))
				case !slices.Contains(languageForms[lang], pluralForms[sel]):
					return fail(pos, fmt.Sprintf("plural form %q is not one of %s; want %s or =N", sel, languages[lang], formNames(languageForms[lang])))
				default:
					f.form = pluralForms[sel]
				}
				if seen[sel] {
					return fail(pos, fmt.Sprintf("plural selector %q given twice", sel))
				}
				seen[sel] = true
				for k, run := range strings.Split(txt, "#") {
					if k > 0 {
						f.text = append(f.text, piece{arg: arg})
					}
					if run != "" {
						f.text = append(f.text, piece{text: run, arg: -1})
					}
				}
				forms = append(forms, f)
				pos += len(form)
			}
			if !seen["other"] {
				return fail(i, fmt.Sprintf("plural placeholder {%s|...} needs an other: form, used when no other form matches", name))
			}
			t = append(t, piece{arg: arg, forms: forms})
			i += end + 1
		}
	}
	flush()
	return t, nil
}

// languageForms are, per language, the plural categories its whole numbers take, and
// other: the forms a template in the language may select, as x/text's catalog accepts
// them (Kazakh and English: one, other; Russian: one, few, many, other).
var languageForms = func() [][]plural.Form {
	out := make([][]plural.Form, len(languages))
	for l, tag := range languages {
		out[l] = []plural.Form{plural.Other}
		for n := range 1000 {
			if f := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0); !slices.Contains(out[l], f) {
				out[l] = append(out[l], f)
			}
		}
		slices.Sort(out[l])
	}
	return out
}()

// formNames lists plural forms by name, in the order of pluralSelectors' names.
func formNames(forms []plural.Form) string {
	var names []string
	for _, name := range []string{"zero", "one", "two", "few", "many", "other"} {
		if slices.Contains(forms, pluralForms[name]) {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

func hasPluralForm(sel string) bool {
	_, ok := pluralForms[sel]
	return ok
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
	line, col := lineCol([]byte(src), int64(at))
	return &Error{Line: line, Column: col, Message: msg, Snippet: snippet([]byte(src), int64(at))}
}

// Printer prints the messages and values of one compiled set in one language. A compiled
// set keeps one Printer per language: a Printer never changes, and may be used from any
// number of goroutines at once.
type Printer struct {
	tag  language.Tag
	lang int // the index of tag in languages
	c    *Compiled
	p    *message.Printer // formats floats
	v    *vocab           // the words and forms of values in the language
}

// Printer returns the printer of the set's messages in the language of [Languages] that
// best matches tag (Kazakh when none does).
func (c *Compiled) Printer(tag language.Tag) *Printer {
	t := matchTags([]language.Tag{tag})
	for i, l := range languages {
		if l == t {
			return c.messages.printers[i]
		}
	}
	return c.messages.printers[0]
}

// Language returns the language the printer writes: one of [Languages].
func (p *Printer) Language() language.Tag { return p.tag }

// Message returns the message of rule i of the set, with the values facts (in the set's
// order of facts, as [Result.Facts] returns them) in place of its placeholders. It returns
// "" when i is not a rule of the set or facts is shorter than the set's facts.
func (p *Printer) Message(i int, facts []Value) string {
	if i < 0 || i >= len(p.c.set.Rules) || len(facts) < len(p.c.set.Facts) {
		return ""
	}
	return p.render(p.c.messages.rules[i][p.lang], p.c.messages.args[i], facts)
}

// Messages returns the messages of the rules that failed in r, in the set's order, with
// the values of r's facts: what a citizen reads about the evaluation. It computes only the
// facts the messages show. It returns nil when r holds no successful evaluation of the
// printer's set.
func (p *Printer) Messages(r *Result) []string {
	if r.last != p.c {
		return nil
	}
	var out []string
	for i, passed := range r.Passed {
		if !passed {
			out = append(out, p.renderWith(p.c.messages.rules[i][p.lang], p.c.messages.args[i], r.Fact))
		}
	}
	return out
}

// render writes a template with its arguments, each a value of vals in its form: a case
// of a date, the plural form its number selects, else the value's text.
func (p *Printer) render(t template, spec []msgArg, vals []Value) string {
	return p.renderWith(t, spec, func(i int) Value { return vals[i] })
}

// renderWith is render with the value of fact i given by value(i).
func (p *Printer) renderWith(t template, spec []msgArg, value func(i int) Value) string {
	var b strings.Builder
	n := 0
	for _, pc := range t {
		if n += len(pc.text); pc.arg >= 0 {
			n += 24 // room for a date or a number
		}
	}
	b.Grow(n)
	p.write(&b, t, spec, value)
	return b.String()
}

func (p *Printer) write(b *strings.Builder, t template, spec []msgArg, value func(i int) Value) {
	for _, pc := range t {
		switch {
		case pc.arg < 0:
			b.WriteString(pc.text)
		case pc.forms != nil:
			p.write(b, p.selectForm(pc.forms, int64(value(spec[pc.arg].fact).Int())), spec, value)
		case spec[pc.arg].gram != "":
			b.WriteString(p.valueIn(value(spec[pc.arg].fact), spec[pc.arg].gram))
		default:
			b.WriteString(p.Value(value(spec[pc.arg].fact)))
		}
	}
}

// selectForm returns the text of the first form that matches n, as x/text's plural.Selectf
// selects: an exact number, the CLDR plural category of n in the printer's language, or
// other.
func (p *Printer) selectForm(forms []pluralForm, n int64) template {
	abs := uint64(n)
	if n < 0 {
		abs = -abs
	}
	// The languages' plural rules read the last two digits, and whether the number is 0
	// or 1: a number kept below a billion with those unchanged selects as the number does.
	i := int(abs)
	if abs >= 1e9 {
		i = int(abs%1e6) + 1e6
	}
	form := plural.Cardinal.MatchPlural(p.tag, i, 0, 0, 0, 0)
	for _, f := range forms {
		if (f.exact >= 0 && uint64(f.exact) == abs) || (f.exact < 0 && (f.form == form || f.form == plural.Other)) {
			return f.text
		}
	}
	return nil
}

// Value formats one value in the printer's language: numbers with the locale's grouping,
// dates and days of the year with the month's name, known codes by their names.
func (p *Printer) Value(v Value) string {
	switch v.Kind() {
	case Int:
		return p.v.number(int64(v.Int()))
	case Float:
		return p.p.Sprintf("%v", v.Float())
	case Bool:
		return p.v.words[strconv.FormatBool(v.Bool())]
	case String:
		return p.word(v.Str(), false)
	case Strings:
		words := make([]string, len(v.Strings()))
		for i, s := range v.Strings() {
			words[i] = p.word(s, true)
		}
		return strings.Join(words, listSeparator)
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
		return p.v.date(d, gram)
	case MonthDayKind:
		return p.v.monthDay(v.MonthDay(), gram)
	}
	return p.Value(v)
}

// word returns the name of a code of the set in the printer's language, its plural in a
// list when it has one, or the string itself when it is no code ("" is "none given").
func (p *Printer) word(s string, inList bool) string {
	if w, ok := p.v.plurals[s]; ok && inList {
		return w
	}
	if w, ok := p.v.words[s]; ok && s != "true" && s != "false" {
		return w
	}
	return s
}
