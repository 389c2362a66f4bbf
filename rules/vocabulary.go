package rules

import (
	"strconv"
	"strings"
	"time"
)

// The vocabulary of messages: month names in their cases, the forms of dates and
// numbers, and the words of what is no code, in Kazakh, Russian and English. The words of
// codes are the sets' own ([Set.Codes]). A [Printer] writes values with them directly.

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

// A date is written "2026 жылғы 1 қараша", "1 ноября 2026 года", "1 November 2026"; a
// day of the year "1 қараша", "1 ноября", "1 November"; the items of a list are joined
// by "; "; thousands are grouped by a no-break space in Kazakh and Russian, a comma in
// English (the groupings x/text gives).
const listSeparator = "; "

var thousands = kkRuEn{"\u00a0", "\u00a0", ","}

// words name what is no code of a set: the empty string (a code not given: "none
// given"), true and false. The codes' words are the sets' own (Set.Codes).
var words = map[string]kkRuEn{
	"":      {"көрсетілмеген", "не указано", "none given"},
	"true":  {"иә", "да", "yes"},
	"false": {"жоқ", "нет", "no"},
}

// vocab is the vocabulary of one language for one set: the words of its codes, and the
// names of the months in every case. [Printer.Value] reads it.
type vocab struct {
	lang    int               // the index of the language in languages
	words   map[string]string // codes (the set's, "" for none given, true and false)
	plurals map[string]string // the plural of codes that have one
	months  [12][len(cases)]string
}

// newVocab builds the vocabulary of language l with the codes of a set.
func newVocab(l int, codes map[string][]Code) *vocab {
	v := &vocab{lang: l, words: map[string]string{}, plurals: map[string]string{}}
	lang := languages[l].String()
	for code, w := range words {
		v.words[code] = w[l]
	}
	for _, kind := range sortedKeys(codes) {
		for _, c := range codes[kind] {
			v.words[c.Code] = c.Words[lang]
			if len(c.Plural) > 0 {
				v.plurals[c.Code] = c.Plural[lang]
			}
		}
	}
	for m := range months {
		for c := range cases {
			v.months[m][c] = months[m][l]
			if l == 0 && c > 0 {
				v.months[m][c] = kazakhCases[m][c-1]
			}
		}
	}
	return v
}

// month returns the name of month m in the case gram ("" for the plain form).
func (v *vocab) month(m time.Month, gram string) string {
	c := 0
	for i, name := range cases {
		if name == gram {
			c = i
		}
	}
	return v.months[m-1][c]
}

// date writes a date with the month in the case gram.
func (v *vocab) date(d Date, gram string) string {
	day, month, year := strconv.Itoa(d.Day()), v.month(d.Month(), gram), strconv.Itoa(d.Year())
	switch v.lang {
	case 0:
		return year + " жылғы " + day + " " + month
	case 1:
		return day + " " + month + " " + year + " года"
	}
	return day + " " + month + " " + year
}

// monthDay writes a day of the year with the month in the case gram.
func (v *vocab) monthDay(md MonthDay, gram string) string {
	return strconv.Itoa(md.Day()) + " " + v.month(md.Month(), gram)
}

// number writes a whole number with its thousands grouped.
func (v *vocab) number(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= 3 {
		return sign + digits
	}
	var b strings.Builder
	b.WriteString(sign)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteString(thousands[v.lang])
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
