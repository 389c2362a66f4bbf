package rules

import (
	"time"

	"golang.org/x/text/message/catalog"
)

// The vocabulary of messages: month names, the forms of dates, and the names of the codes
// an application uses, in Kazakh, Russian and English. They are messages of each set's
// x/text catalog, looked up by key like the rules' messages, so that every word a citizen
// reads goes through one catalog and one printer.

// Catalog keys of the vocabulary.
const (
	dateKey     = "date"      // args: year (string), day, month name
	monthDayKey = "month_day" // args: unused, day, month name
	listKey     = "list"      // the separator of a list's items
)

// monthKey is the key of a month's name in a grammatical case, "" for the plain form.
func monthKey(m time.Month, gram string) string {
	if gram == "" {
		return "month:" + m.String()
	}
	return "month:" + m.String() + ":" + gram
}
func vocabularyKey(s string) string { return "value:" + s }
func pluralKey(s string) string     { return "plural:" + s }

// kkRuEn is a message in Kazakh, Russian and English, the order of languages.
type kkRuEn [3]string

// months are the month names as a date uses them: Kazakh nominative ("2026 жылғы
// 1 қараша"), Russian genitive ("1 ноября 2026 г."), English.
var months = [12]kkRuEn{
	{"қаңтар", "января", "January"},
	{"ақпан", "февраля", "February"},
	{"наурыз", "марта", "March"},
	{"сәуір", "апреля", "April"},
	{"мамыр", "мая", "May"},
	{"маусым", "июня", "June"},
	{"шілде", "июля", "July"},
	{"тамыз", "августа", "August"},
	{"қыркүйек", "сентября", "September"},
	{"қазан", "октября", "October"},
	{"қараша", "ноября", "November"},
	{"желтоқсан", "декабря", "December"},
}

// cases are the grammatical cases a template may ask for a date in ({since:abl}), after
// the nominative: genitive, dative, accusative, locative, ablative, instrumental.
var cases = [...]string{"nom", "gen", "dat", "acc", "loc", "abl", "ins"}

// kazakhCases are the Kazakh month names in the cases after the nominative, in the order
// of cases[1:]: a date after a postposition takes the case on its last word, the month
// ("2026 жылғы 1 қарашаға дейін", "15 қыркүйектен"). Russian and English dates keep one
// form in every case (the Russian genitive: "с 1 сентября по 1 ноября").
var kazakhCases = [12][6]string{
	{"қаңтардың", "қаңтарға", "қаңтарды", "қаңтарда", "қаңтардан", "қаңтармен"},
	{"ақпанның", "ақпанға", "ақпанды", "ақпанда", "ақпаннан", "ақпанмен"},
	{"наурыздың", "наурызға", "наурызды", "наурызда", "наурыздан", "наурызбен"},
	{"сәуірдің", "сәуірге", "сәуірді", "сәуірде", "сәуірден", "сәуірмен"},
	{"мамырдың", "мамырға", "мамырды", "мамырда", "мамырдан", "мамырмен"},
	{"маусымның", "маусымға", "маусымды", "маусымда", "маусымнан", "маусыммен"},
	{"шілденің", "шілдеге", "шілдені", "шілдеде", "шілдеден", "шілдемен"},
	{"тамыздың", "тамызға", "тамызды", "тамызда", "тамыздан", "тамызбен"},
	{"қыркүйектің", "қыркүйекке", "қыркүйекті", "қыркүйекте", "қыркүйектен", "қыркүйекпен"},
	{"қазанның", "қазанға", "қазанды", "қазанда", "қазаннан", "қазанмен"},
	{"қарашаның", "қарашаға", "қарашаны", "қарашада", "қарашадан", "қарашамен"},
	{"желтоқсанның", "желтоқсанға", "желтоқсанды", "желтоқсанда", "желтоқсаннан", "желтоқсанмен"},
}

// formats are the forms of dates and lists.
var formats = map[string]kkRuEn{
	dateKey:     {"%[1]s жылғы %[2]d %[3]s", "%[2]d %[3]s %[1]s года", "%[2]d %[3]s %[1]s"},
	monthDayKey: {"%[2]d %[3]s", "%[2]d %[3]s", "%[2]d %[3]s"},
	listKey:     {"; ", "; ", "; "},
}

// words name what is no code of a set: the empty string (a code not given: "none
// given"), true and false. The codes' words are the sets' own (Set.Codes).
var words = map[string]kkRuEn{
	"":      {"көрсетілмеген", "не указано", "none given"},
	"true":  {"иә", "да", "yes"},
	"false": {"жоқ", "нет", "no"},
}

// addVocabulary puts the vocabulary into a set's catalog.
func addVocabulary(b *catalog.Builder) error {
	for l, tag := range languages {
		set := func(key, msg string) error { return b.SetString(tag, key, msg) }
		for m, names := range months {
			for c, gram := range cases {
				name := names[l]
				if l == 0 && c > 0 {
					name = kazakhCases[m][c-1]
				}
				if c == 0 {
					gram = ""
				}
				if err := set(monthKey(time.Month(m+1), gram), name); err != nil {
					return err
				}
			}
		}
		for key, f := range formats {
			if err := set(key, f[l]); err != nil {
				return err
			}
		}
		for code, w := range words {
			if err := set(vocabularyKey(code), w[l]); err != nil {
				return err
			}
		}
	}
	return nil
}
