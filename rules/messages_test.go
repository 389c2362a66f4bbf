package rules_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/emkhana/emkhana/rules"
)

// messageSet is a one-rule set whose rule shows the facts attached (int), capacity (int),
// since (date) and reason (string), with the given messages.
func messageSet(t *testing.T, msgs map[string]string) rules.Set {
	t.Helper()
	return rules.Set{
		ID:            "pilot",
		EffectiveFrom: rules.NewDate(2027, 1, 1),
		Params:        []rules.Param{{Name: "capacity", Value: rules.ValueOf(1700)}},
		Facts: []rules.Fact{
			{Name: "attached", Expr: "doctor.attached"},
			{Name: "capacity", Expr: "params.capacity"},
			{Name: "since", Expr: "citizen.attached_since", Type: rules.DateKind},
			{Name: "reason", Expr: "application.reason"},
			{Name: "hidden", Expr: "citizen.age"},
		},
		TakesEffect: "application.date",
		Rules: []rules.Rule{{
			ID: "capacity", Expr: "attached < capacity", Facts: []string{"since", "reason"},
			Source:   rules.Citation{Publisher: "pilot order", Lang: "en", Quote: "1,700 per doctor"},
			Messages: msgs,
		}},
		Codes: map[string][]rules.Code{
			"reason": {{Code: "work_change", Words: map[string]string{"kk": "жұмыс орнын ауыстыру", "ru": "смена места работы", "en": "change of work"}}},
			"residency": {
				{Code: "refugee", Words: map[string]string{"kk": "босқын", "ru": "беженец", "en": "refugee"}},
				{Code: "kandas", Words: map[string]string{"kk": "қандас", "ru": "кандас", "en": "kandas (ethnic Kazakh repatriate)"},
					Plural: map[string]string{"kk": "қандастар", "ru": "кандасы", "en": "kandases (ethnic Kazakh repatriates)"}},
			},
		},
	}
}

func goodMessages() map[string]string {
	return map[string]string{
		"kk": "Дәрігерге {attached} адам тіркелген, норма — {capacity}.",
		"ru": "Прикреплено {attached|one:# человек|few:# человека|many:# человек|other:# человека}, норма {capacity}.",
		"en": "{attached|one:# person|other:# people} attached; the norm is {capacity}.",
	}
}

func TestCompileMessagesErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		edit         func(m map[string]string)
		field        string // the Field of the one error, "" for none
		column       int
		message      string // a part of the error's message
	}{
		{name: "good", reason: "all three languages, plural forms with other", edit: func(map[string]string) {}},
		{name: "missing_kk", reason: "every rule needs kk, the default language", edit: func(m map[string]string) { delete(m, "kk") }, field: "messages.kk", message: "missing"},
		{name: "blank_en", reason: "a blank template is a missing one", edit: func(m map[string]string) { m["en"] = "  " }, field: "messages.en", message: "missing"},
		{name: "unknown_fact", reason: "a placeholder may name only facts the rule shows", edit: func(m map[string]string) { m["ru"] = "Возраст: {hidden}" }, field: "messages.ru", column: 11, message: "{hidden} names a fact this rule does not show; it may name attached, capacity, since, reason"},
		{name: "param_not_fact", reason: "parameters are not placeholders: only facts", edit: func(m map[string]string) { m["en"] = "{params.capacity}" }, field: "messages.en", column: 2, message: "does not show"},
		{name: "unclosed", reason: "a { must be closed", edit: func(m map[string]string) { m["kk"] = "Норма {capacity" }, field: "messages.kk", column: 7, message: "unclosed {"},
		{name: "stray_close", reason: "a lone } is a typo, not text", edit: func(m map[string]string) { m["en"] = "norm} {capacity}" }, field: "messages.en", column: 5, message: "unexpected }"},
		{name: "empty", reason: "{} names nothing", edit: func(m map[string]string) { m["en"] = "a {} b" }, field: "messages.en", column: 3, message: "empty placeholder"},
		{name: "no_other", reason: "without other, x/text prints nothing for a number no form matches", edit: func(m map[string]string) { m["ru"] = "{attached|one:# человек|few:# человека}" }, field: "messages.ru", column: 1, message: "needs an other: form"},
		{name: "bad_selector", reason: "only CLDR categories and =N select", edit: func(m map[string]string) { m["en"] = "{attached|single:# person|other:# people}" }, field: "messages.en", column: 11, message: `unknown plural selector "single"`},
		{name: "no_selector", reason: "a form without selector is ambiguous", edit: func(m map[string]string) { m["en"] = "{attached|person|other:# people}" }, field: "messages.en", column: 11, message: "has no selector"},
		{name: "twice", reason: "a selector given twice is a mistake", edit: func(m map[string]string) { m["en"] = "{attached|one:a|one:b|other:c}" }, field: "messages.en", column: 17, message: "given twice"},
		{name: "few_in_kazakh", reason: "Kazakh numbers are one or other: a few form would never be chosen", edit: func(m map[string]string) { m["kk"] = "{attached|one:# адам|few:# адам|other:# адам}" }, field: "messages.kk", column: 22, message: `plural form "few" is not one of kk; want one, other or =N`},
		{name: "many_in_english", reason: "English numbers are one or other", edit: func(m map[string]string) { m["en"] = "{attached|many:# people|other:# people}" }, field: "messages.en", column: 11, message: `plural form "many" is not one of en`},
		{name: "plural_of_string", reason: "plural forms count numbers", edit: func(m map[string]string) { m["en"] = "{reason|one:a|other:b}" }, field: "messages.en", column: 2, message: "need a fact of type int; reason is string"},
		{name: "unknown_language", reason: "a language the matcher never chooses is dead text", edit: func(m map[string]string) { m["de"] = "Norm {capacity}" }, field: "messages.de", message: "unknown language"},
		{name: "column_in_characters", reason: "columns count characters, not bytes", edit: func(m map[string]string) { m["kk"] = "Әәә {жоқ}" }, field: "messages.kk", column: 6, message: "does not show"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.reason == "" {
				t.Fatal("test case has no reason")
			}
			msgs := goodMessages()
			tc.edit(msgs)
			_, err := rules.Compile(rules.History{messageSet(t, msgs)})
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Compile(%s) = %v, want no error", tc.name, err)
				}
				return
			}
			var es rules.Errors
			if !errors.As(err, &es) || len(es) != 1 {
				t.Fatalf("Compile(%s) = %v, want one rules.Error", tc.name, err)
			}
			e := es[0]
			if e.Set != "pilot" || e.Rule != "capacity" || e.Field != tc.field || e.Column != tc.column || !strings.Contains(e.Message, tc.message) {
				t.Errorf("Compile(%s) = set %q rule %q field %q column %d %q, want pilot capacity %q column %d containing %q",
					tc.name, e.Set, e.Rule, e.Field, e.Column, e.Message, tc.field, tc.column, tc.message)
			}
		})
	}
}

// A set whose rule lacks several languages reports each, all at once.
func TestCompileMessagesAllMissing(t *testing.T) {
	_, err := rules.Compile(rules.History{messageSet(t, nil)})
	var es rules.Errors
	if !errors.As(err, &es) {
		t.Fatalf("Compile(no messages) = %v, want rules.Errors", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Rule+" "+e.Field)
	}
	want := "capacity messages.kk, capacity messages.ru, capacity messages.en"
	if strings.Join(got, ", ") != want {
		t.Errorf("Compile(no messages) = %q, want %q", strings.Join(got, ", "), want)
	}
}

func TestMatchLanguage(t *testing.T) {
	tests := []struct {
		name, reason string
		prefs        []string
		want         language.Tag
	}{
		{name: "none", reason: "kk is the default", want: language.Kazakh},
		{name: "empty", reason: "an empty header is no preference", prefs: []string{""}, want: language.Kazakh},
		{name: "ru-KZ", reason: "a region matches its language", prefs: []string{"ru-KZ"}, want: language.Russian},
		{name: "kk-Cyrl-KZ", reason: "script and region match Kazakh", prefs: []string{"kk-Cyrl-KZ"}, want: language.Kazakh},
		{name: "en-GB", reason: "British English is English", prefs: []string{"en-GB"}, want: language.English},
		{name: "accept", reason: "the first supported language of a header wins", prefs: []string{"fr-FR,fr;q=0.9,ru;q=0.8,en;q=0.5"}, want: language.Russian},
		{name: "weights", reason: "q-values order the header", prefs: []string{"ru;q=0.3, en;q=0.9"}, want: language.English},
		{name: "unsupported", reason: "German is none of ours: the default", prefs: []string{"de-DE"}, want: language.Kazakh},
		{name: "ukrainian", reason: "a neighbour language is not Russian", prefs: []string{"uk"}, want: language.Kazakh},
		{name: "garbage", reason: "an unparsable value is skipped", prefs: []string{"!!", "en"}, want: language.English},
		{name: "tags", reason: "tags one by one, most preferred first", prefs: []string{"ru", "kk"}, want: language.Russian},
		{name: "refused_default", reason: "q=0 refuses a language: with kk refused and German unknown, the next language", prefs: []string{"kk;q=0, de"}, want: language.Russian},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rules.MatchLanguage(tc.prefs...); got != tc.want {
				t.Errorf("MatchLanguage(%q) = %v, want %v (%s)", tc.prefs, got, tc.want, tc.reason)
			}
		})
	}
}

func TestPrinterValue(t *testing.T) {
	c := rules.MustCompile(rules.History{messageSet(t, goodMessages())}).Sets()[0]
	tests := []struct {
		name, reason string
		v            rules.Value
		want         [3]string // kk, ru, en
	}{
		{name: "small", reason: "no grouping below 1000", v: rules.ValueOf(999), want: [3]string{"999", "999", "999"}},
		{name: "2000", reason: "x/text groups kk and ru with a no-break space, en with a comma", v: rules.ValueOf(2000), want: [3]string{"2\u00a0000", "2\u00a0000", "2,000"}},
		{name: "million", reason: "every group", v: rules.ValueOf(1234567), want: [3]string{"1\u00a0234\u00a0567", "1\u00a0234\u00a0567", "1,234,567"}},
		{name: "date", reason: "each language's usual form; the year is not grouped", v: rules.ValueOf(rules.Date(20261101)), want: [3]string{"2026 жылғы 1 қараша", "1 ноября 2026 года", "1 November 2026"}},
		{name: "month_day", reason: "a day of the year has no year", v: rules.ValueOf(rules.MonthDay(915)), want: [3]string{"15 қыркүйек", "15 сентября", "15 September"}},
		{name: "code", reason: "known codes by their names", v: rules.ValueOf("work_change"), want: [3]string{"жұмыс орнын ауыстыру", "смена места работы", "change of work"}},
		{name: "code_with_plural", reason: "one code by its singular even when it has a plural", v: rules.ValueOf("kandas"), want: [3]string{"қандас", "кандас", "kandas (ethnic Kazakh repatriate)"}},
		{name: "no_code", reason: "the empty string is no code given", v: rules.ValueOf(""), want: [3]string{"көрсетілмеген", "не указано", "none given"}},
		{name: "other_string", reason: "other strings as they are, even with %", v: rules.ValueOf("clinic 100%"), want: [3]string{"clinic 100%", "clinic 100%", "clinic 100%"}},
		{name: "list", reason: "lists by names, ; between, the plural where a code has one", v: rules.ValueOf([]string{"refugee", "kandas"}), want: [3]string{"босқын; қандастар", "беженец; кандасы", "refugee; kandases (ethnic Kazakh repatriates)"}},
		{name: "bool", reason: "yes and no", v: rules.ValueOf(true), want: [3]string{"иә", "да", "yes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i, tag := range rules.Languages() {
				if got := c.Printer(tag).Value(tc.v); got != tc.want[i] {
					t.Errorf("Printer(%v).Value(%v) = %q, want %q (%s)", tag, tc.v, got, tc.want[i], tc.reason)
				}
			}
		})
	}
}

func TestPrinterMessagePlural(t *testing.T) {
	c := rules.MustCompile(rules.History{messageSet(t, goodMessages())}).Sets()[0]
	facts := []rules.Value{rules.ValueOf(0), rules.ValueOf(1700), rules.ValueOf(rules.Date(20260101)), rules.ValueOf(""), rules.ValueOf(30)}
	tests := []struct {
		name, reason string
		attached     int
		want         [3]string
	}{
		{name: "1", reason: "one", attached: 1, want: [3]string{
			"Дәрігерге 1 адам тіркелген, норма — 1\u00a0700.", "Прикреплено 1 человек, норма 1\u00a0700.", "1 person attached; the norm is 1,700."}},
		{name: "2", reason: "ru few", attached: 2, want: [3]string{
			"Дәрігерге 2 адам тіркелген, норма — 1\u00a0700.", "Прикреплено 2 человека, норма 1\u00a0700.", "2 people attached; the norm is 1,700."}},
		{name: "5", reason: "ru many", attached: 5, want: [3]string{
			"Дәрігерге 5 адам тіркелген, норма — 1\u00a0700.", "Прикреплено 5 человек, норма 1\u00a0700.", "5 people attached; the norm is 1,700."}},
		{name: "21", reason: "ru one again after 20", attached: 21, want: [3]string{
			"Дәрігерге 21 адам тіркелген, норма — 1\u00a0700.", "Прикреплено 21 человек, норма 1\u00a0700.", "21 people attached; the norm is 1,700."}},
		{name: "2001", reason: "plural by the last digits, number grouped", attached: 2001, want: [3]string{
			"Дәрігерге 2\u00a0001 адам тіркелген, норма — 1\u00a0700.", "Прикреплено 2\u00a0001 человек, норма 1\u00a0700.", "2,001 people attached; the norm is 1,700."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			facts[0] = rules.ValueOf(tc.attached)
			for i, tag := range rules.Languages() {
				if got := c.Printer(tag).Message(0, facts); got != tc.want[i] {
					t.Errorf("Printer(%v).Message(attached=%d) = %q, want %q (%s)", tag, tc.attached, got, tc.want[i], tc.reason)
				}
			}
		})
	}
	if got := c.Printer(language.English).Message(1, facts); got != "" {
		t.Errorf("Message(no such rule) = %q, want \"\"", got)
	}
	if got := c.Printer(language.English).Message(0, facts[:2]); got != "" {
		t.Errorf("Message(too few facts) = %q, want \"\"", got)
	}
}

// TestPhrases: every phrase of the engine compiles in each language and prints its
// arguments in their forms: a case of a date in Kazakh, plural forms in English.
func TestPhrases(t *testing.T) {
	c := rules.MustCompile(rules.Builtin()).Sets()[2]
	tests := []struct {
		name string
		args []rules.Value
		want [3]string
	}{
		{"remedy_date", []rules.Value{rules.ValueOf(rules.Date(20270303))}, [3]string{"2027 жылғы 3 наурыздан бастап қайта жүгінсеңіз", "Вы обратитесь повторно не ранее 3 марта 2027 года", "you apply again on or after 3 March 2027"}},
		{"remedy_doctor", []rules.Value{rules.ValueOf("D2"), rules.ValueOf(1)}, [3]string{"осы емханадағы D2 дәрігерді таңдасаңыз (бос орын: 1)", "Вы выберете врача D2 в этой же поликлинике (свободных мест: 1)", "you choose doctor D2 at the same clinic (1 free place)"}},
		{"remedy_campaign", []rules.Value{rules.ValueOf("2027"), rules.ValueOf(rules.MonthDay(901)), rules.ValueOf(rules.MonthDay(1101)), rules.ValueOf(rules.Date(20271101))}, [3]string{
			"келесі тіркеу науқаны кезінде, 2027 жылғы 1 қыркүйектен 1 қарашаға дейін қайта жүгінсеңіз",
			"Вы обратитесь повторно во время следующей кампании по прикреплению, с 1 сентября по 1 ноября 2027 года",
			"you apply again during the next registration campaign, from 1 September to 1 November 2027"}},
	}
	for _, tc := range tests {
		for i, tag := range rules.Languages() {
			assert.Equal(t, tc.want[i], c.Printer(tag).Phrase(tc.name, tc.args...), "%s in %s", tc.name, tag)
		}
	}
	p := c.Printer(language.Russian)
	assert.Empty(t, p.Phrase("remedy_date"), "too few arguments")
	assert.Empty(t, p.Phrase("no_such_phrase"))
	assert.Same(t, p, c.Printer(language.MustParse("ru-KZ")), "one printer per language")
}

// TestKazakhMonthCases: a date in a case takes the case on its month, for every month,
// by vowel harmony and the month's last sound; Russian and English dates keep one form.
func TestKazakhMonthCases(t *testing.T) {
	c := rules.MustCompile(rules.Builtin()).Sets()[2]
	dat := []string{"қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға", "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға"}
	abl := []string{"қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан", "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан"}
	kk, ru := c.Printer(language.Kazakh), c.Printer(language.Russian)
	for m := 1; m <= 12; m++ {
		d := rules.ValueOf(rules.NewDate(2026, time.Month(m), 3))
		assert.Equal(t, "2026 жылғы 3 "+abl[m-1]+" бастап қайта жүгінсеңіз", kk.Phrase("remedy_date", d), "month %d, ablative", m)
		md := rules.ValueOf(rules.MonthDay(m*100 + 1))
		got := kk.Phrase("remedy_campaign", rules.ValueOf("2026"), md, md, d)
		assert.Contains(t, got, "1 "+abl[m-1]+" 1 "+dat[m-1]+" дейін", "month %d, ablative then dative", m)
		gen := []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
		assert.Contains(t, ru.Phrase("remedy_date", d), "3 "+gen[m-1]+" 2026 года", "Russian keeps the genitive")
	}
}

// TestTemplateLiterals: literal braces and percent signs, and an exact plural selector.
func TestTemplateLiterals(t *testing.T) {
	msgs := goodMessages()
	msgs["en"] = "{{norm}} is 100% of {capacity}; {attached|=0:nobody|one:# person|other:# people} attached, $5"
	c := rules.MustCompile(rules.History{messageSet(t, msgs)}).Sets()[0]
	facts := []rules.Value{rules.ValueOf(0), rules.ValueOf(1700), rules.ValueOf(rules.Date(20260101)), rules.ValueOf(""), rules.ValueOf(30)}
	p := c.Printer(language.English)
	assert.Equal(t, "{norm} is 100% of 1,700; nobody attached, $5", p.Message(0, facts), "Message(attached=0)")
	facts[0] = rules.ValueOf(1)
	assert.Equal(t, "{norm} is 100% of 1,700; 1 person attached, $5", p.Message(0, facts), "Message(attached=1)")
	assert.Equal(t, "", p.Message(-1, facts), "Message(-1)")
	assert.Equal(t, language.English, p.Language())
	assert.Equal(t, language.Kazakh, c.Printer(language.German).Language(), "Printer(de) is the default kk")
}

// TestTemplateErrorPlaces: errors on a later line, and the exact plural selectors refused.
func TestTemplateErrorPlaces(t *testing.T) {
	tests := []struct {
		name, reason string
		en           string
		want         string // the whole error of messages.en
	}{
		{name: "second_line", reason: "a problem on a later line is placed on it, the caret under its column",
			en:   "Attached: {attached}.\nNorm: {capacity.\nEnd",
			want: "rules: pilot: rule capacity: messages.en:2:7: unclosed {\n | Norm: {capacity.\n | ......^"},
		{name: "brace_inside", reason: "a { inside a placeholder is placed where it is",
			en:   "Norm {cap{acity}",
			want: "rules: pilot: rule capacity: messages.en:1:10: unexpected { inside a placeholder\n | Norm {cap{acity}\n | .........^"},
		{name: "dollar_brace", reason: "$ before a literal { would be read as a variable by x/text",
			en:   "Norm ${{capacity}}",
			want: "rules: pilot: rule capacity: messages.en:1:6: $ before a literal { is not allowed\n | Norm ${{capacity}}\n | .....^"},
		{name: "exact_without_number", reason: "= needs a number",
			en:   "{attached|=:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"=\"; want zero, one, two, few, many, other or =N\n | {attached|=:none|other:some}\n | ..........^"},
		{name: "exact_too_large", reason: "=N takes numbers up to 65535",
			en:   "{attached|other:some|=65536:many}",
			want: "rules: pilot: rule capacity: messages.en:1:22: unknown plural selector \"=65536\"; want zero, one, two, few, many, other or =N\n | {attached|other:some|=65536:many}\n | .....................^"},
		{name: "exact_not_a_number", reason: "=N takes digits",
			en:   "{attached|=x:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"=x\"; want zero, one, two, few, many, other or =N\n | {attached|=x:none|other:some}\n | ..........^"},
		{name: "selector_x", reason: "a selector that does not start with = is not exact",
			en:   "{attached|x5:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"x5\"; want zero, one, two, few, many, other or =N\n | {attached|x5:none|other:some}\n | ..........^"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs := goodMessages()
			msgs["en"] = tc.en
			_, err := rules.Compile(rules.History{messageSet(t, msgs)})
			var es rules.Errors
			require.ErrorAs(t, err, &es, tc.reason)
			require.Len(t, es, 1, tc.reason)
			assert.EqualError(t, es[0], tc.want, tc.reason)
		})
	}
}

// TestPrinterValueAsIs: the values a Printer shows as they are.
func TestPrinterValueAsIs(t *testing.T) {
	c := rules.MustCompile(rules.History{messageSet(t, goodMessages())}).Sets()[0]
	p := c.Printer(language.English)
	tests := []struct {
		name string
		v    rules.Value
		want string
	}{
		{name: "float", v: rules.ValueOf(0.5), want: "0.5"},
		{name: "false", v: rules.ValueOf(false), want: "no"},
		{name: "zero_date", v: rules.ValueOf(rules.Date(0)), want: "none given"},
		{name: "int_map", v: rules.ValueOf(map[string]int{"therapist": 2200}), want: `{"therapist":2200}`},
		{name: "invalid", v: rules.Value{}, want: ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, p.Value(tc.v), "Printer(en).Value(%s)", tc.name)
	}
}

// TestPluralFormsAsXText holds the messages' plural forms and numbers to x/text's: for
// every language, the form chosen for a number is the one plural.Selectf chooses in a
// catalog, and the number is written as x/text's message printer writes it, across
// small numbers, the teens and hundreds where Russian changes form, thousands, millions
// and negative numbers. From a million on, x/text's catalog chooses "many" for every
// Russian number (1,000,001 is "many" there, not "one"), against CLDR's rules, which
// plural.Cardinal itself follows; the messages follow CLDR there, checked last.
func TestPluralFormsAsXText(t *testing.T) {
	formsOf := [][]string{
		{"=0:none", "one:one #", "other:other #"},
		{"=0:none", "one:one #", "few:few #", "many:many #", "other:other #"},
		{"=0:none", "one:one #", "other:other #"},
	}
	var ns []int
	for n := -25; n <= 250; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1000, 1001, 1011, 1021, 1999, 2000, 2001, 2002, 2005, 2011, 2021, 21000, 100000, 100001, 999999, -1000, -2001)
	for l, tag := range rules.Languages() {
		forms := formsOf[l]
		var cases []any
		for _, f := range forms {
			sel, text, _ := strings.Cut(f, ":")
			cases = append(cases, sel, strings.ReplaceAll(text, "#", "%[1]d"))
		}
		cat := catalog.NewBuilder()
		require.NoError(t, cat.Set(tag, "n", plural.Selectf(1, "%d", cases...)))
		p := message.NewPrinter(tag, message.Catalog(cat))
		for _, n := range ns {
			got, number := rules.PluralText(l, forms, n)
			require.Equal(t, p.Sprintf("n", n), got, "%s: plural form of %d", tag, n)
			require.Equal(t, message.NewPrinter(tag).Sprintf("%d", n), number, "%s: %d written", tag, n)
		}
	}
	for n, want := range map[int]string{1000001: "one", 1000002: "few", 1000005: "many", 1000011: "many", 21000021: "one", 2147483647: "many", 1000000000001: "one", -1000001: "one"} {
		got, _ := rules.PluralText(1, formsOf[1], n)
		form, _, _ := strings.Cut(got, " ")
		assert.Equal(t, want, form, "ru: plural form of %d", n)
	}
}

// TestTemplateCaseForms: a placeholder may ask for a case of its value ({since:abl}), as
// the built-in sets' Kazakh messages do, beside the same fact shown plain and other
// facts: each is printed in its form (the ablative of March is наурыздан, as
// TestKazakhMonthCases has it; a plain date reads as in TestPrinterValue).
func TestTemplateCaseForms(t *testing.T) {
	msgs := goodMessages()
	msgs["kk"] = "{since:abl} бастап {attached} адам; {since}; {capacity}"
	c := rules.MustCompile(rules.History{messageSet(t, msgs)}).Sets()[0]
	facts := []rules.Value{rules.ValueOf(5), rules.ValueOf(1700), rules.ValueOf(rules.Date(20260301)), rules.ValueOf(""), rules.ValueOf(30)}
	assert.Equal(t, "2026 жылғы 1 наурыздан бастап 5 адам; 2026 жылғы 1 наурыз; 1\u00a0700", c.Printer(language.Kazakh).Message(0, facts))
}

// TestUnknownPlaceholderListsFactsInOrder: the error for a placeholder naming a fact the
// rule does not show lists the facts it shows in their order. The names come from a map:
// compiled several times, a list that was not sorted would come out in another order.
func TestUnknownPlaceholderListsFactsInOrder(t *testing.T) {
	msgs := goodMessages()
	msgs["ru"] = "Возраст: {hidden}"
	for range 20 {
		_, err := rules.Compile(rules.History{messageSet(t, msgs)})
		var es rules.Errors
		require.ErrorAs(t, err, &es)
		require.Len(t, es, 1)
		assert.Contains(t, es[0].Message, "it may name attached, capacity, since, reason")
	}
}
