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

func monthKey(m time.Month) string  { return "month:" + m.String() }
func vocabularyKey(s string) string { return "value:" + s }

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

// formats are the forms of dates and lists.
var formats = map[string]kkRuEn{
	dateKey:     {"%[1]s жылғы %[2]d %[3]s", "%[2]d %[3]s %[1]s года", "%[2]d %[3]s %[1]s"},
	monthDayKey: {"%[2]d %[3]s", "%[2]d %[3]s", "%[2]d %[3]s"},
	listKey:     {"; ", "; ", "; "},
}

// words name the codes of applications: residency statuses, specialties, channels,
// reasons for a change (the empty reason is "none given"), and true and false.
var words = map[string]kkRuEn{
	"citizen":                 {"Қазақстан азаматы", "гражданин Казахстана", "citizen of Kazakhstan"},
	"permanent_resident":      {"Қазақстанда тұрақты тұратын шетел азаматы", "иностранец, постоянно проживающий в Казахстане", "foreigner residing permanently in Kazakhstan"},
	"stateless_permanent":     {"Қазақстанда тұрақты тұратын азаматтығы жоқ адам", "лицо без гражданства, постоянно проживающее в Казахстане", "stateless person residing permanently in Kazakhstan"},
	"kandas":                  {"қандас", "кандас", "kandas (ethnic Kazakh repatriate)"},
	"refugee":                 {"босқын", "беженец", "refugee"},
	"temporary_resident":      {"Қазақстанда уақытша жүрген шетел азаматы", "иностранец, временно пребывающий в Казахстане", "foreigner on a temporary stay"},
	"therapist":               {"терапевт", "терапевт", "therapist"},
	"pediatrician":            {"педиатр", "педиатр", "pediatrician"},
	"general_practitioner":    {"жалпы практика дәрігері", "врач общей практики", "general practitioner"},
	"egov":                    {"egov.kz арқылы", "через egov.kz", "on egov.kz"},
	"in_person":               {"емхананың өзінде", "в поликлинике лично", "in person at the clinic"},
	"":                        {"көрсетілмеген", "не указана", "none given"},
	"residence_change":        {"тұрғылықты мекенжайын ауыстыру", "смена места жительства", "change of residence"},
	"work_change":             {"жұмыс орнын ауыстыру", "смена места работы", "change of work"},
	"study_change":            {"оқу орнын ауыстыру", "смена места учёбы", "change of place of study"},
	"sentence_served":         {"жазасын өтеу мерзімінің аяқталуы", "окончание срока отбывания наказания", "end of a prison sentence"},
	"military_service_ended":  {"әскери қызметтің аяқталуы", "окончание воинской службы", "end of military service"},
	"clinic_reorganized":      {"емхананың қайта ұйымдастырылуы", "реорганизация поликлиники", "reorganization of the clinic"},
	"clinic_liquidated":       {"емхананың таратылуы", "ликвидация поликлиники", "liquidation of the clinic"},
	"quality_dissatisfaction": {"қызмет сапасына көңіл толмауы", "недовольство качеством обслуживания", "dissatisfaction with the quality of service"},
	"true":                    {"иә", "да", "yes"},
	"false":                   {"жоқ", "нет", "no"},
}

// vocabularyCodes are the strings that words names.
var vocabularyCodes = func() map[string]bool {
	m := map[string]bool{}
	for k := range words {
		if k != "true" && k != "false" {
			m[k] = true
		}
	}
	return m
}()

// addVocabulary puts the vocabulary into a set's catalog.
func addVocabulary(b *catalog.Builder) error {
	for l, tag := range languages {
		set := func(key, msg string) error { return b.SetString(tag, key, msg) }
		for m, names := range months {
			if err := set(monthKey(time.Month(m+1)), names[l]); err != nil {
				return err
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
