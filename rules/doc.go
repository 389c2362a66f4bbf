// Package rules holds the law as data: rule sets, their compilation, and the built-in
// history of Kazakhstan's rules of attachment to a PHC clinic.
//
// # Rule sets
//
// A Set is one period of the law: an id, the date it takes effect, typed parameters, named
// facts, an expression giving the day an approval takes effect, and an ordered list of
// rules. Each rule has a stable id, an expression that must hold for an approval, the
// facts its trace shows, a citation of the sentence it comes from, and messages. A [History]
// is several sets; the one with the latest EffectiveFrom not after an application's local
// submission date decides it. Sets are JSON documents ([ParseHistory]) or Go
// values; the built-in ones are embedded ([Builtin], [BuiltinJSON]). Copy a built-in document
// to write a new set:
//
//	{
//	  "id": "kz-2023",
//	  "effective_from": "2023-01-01",
//	  "params": [{"name": "capacity", "type": "int", "value": 2000, "doc": "..."}],
//	  "facts": [{"name": "in_area", "expr": "hasAnyPrefix(citizen.address_code, clinic.service_area)"}],
//	  "takes_effect": "first_attachment || !in_campaign ? application.date : nextMonthDay(application.date, params.campaign_takes_effect)",
//	  "rules": [{"id": "capacity", "expr": "in_area || attached < capacity",
//	             "source": {"publisher": "...", "lang": "kk", "quote": "..."}}]
//	}
//
// Parameter types are bool, int, string, strings (a list), date ("YYYY-MM-DD"),
// month_day ("MM-DD") and int_map (an object of whole numbers). An int or int_map
// parameter may declare "min" and "max": a value outside them is refused when the set is
// read, compiled or changed with [Set.WithParam], never used. A fact may declare
// "type": "date" or "month_day" to show the number it computes as a date.
//
// # Expressions
//
// Expressions are written in the expr language (https://expr-lang.org). An expression may
// use these names, the table of inputs ([Inputs]): what it reads about an application, its
// type, and when an application must give it: always; when read, that is when the set in
// force reads it (an application without it is then invalid, never read as a zero); or
// optional, with the default it then reads as. A date is a number YYYYMMDD, a month_day
// a number MMDD.
//
//	citizen.residency               string    always    the person's residency status
//	citizen.insured                 bool      optional  insured under compulsory social health insurance (ОСМС); default false
//	citizen.age                     int       always    whole years on the local submission date (from citizen.birth_date, else the IIN)
//	citizen.address_code            string    always    KATO code of the residence (9 digits)
//	citizen.actual_address_code     string    optional  KATO code of the actual residence (9 digits), where a child under five or a pregnant woman may be served; default "": none
//	citizen.pregnant                bool      optional  the person is pregnant; default false
//	citizen.contract_until          date      optional  the last day of a temporary resident's employment contract or insurance; default none (0)
//	citizen.current_clinic_id       string    optional  the clinic the person is attached to; default "": attached nowhere
//	citizen.current_doctor_id       string    optional  the doctor the person is attached to; default "": attached nowhere
//	citizen.attached_since          date      optional  the day the present attachment took effect; default none (0), given with citizen.current_clinic_id
//	clinic.id                       string    always    the chosen clinic
//	clinic.address_code             string    optional  KATO code of the clinic's location (9 digits); default "": the clinic lies where its service area does
//	clinic.fund_provider            bool      when read the clinic is on the Social Health Insurance Fund's provider list
//	clinic.service_area             strings   when read KATO code prefixes of the clinic's service area
//	doctor.id                       string    always    the chosen district doctor
//	doctor.specialty                string    always    the doctor's specialty
//	doctor.attached                 int       when read people attached to the doctor now
//	application.id                  string    always    the application's id
//	application.channel             string    always    how the application was made
//	application.signed              bool      when read signed: by ЭЦП online, by hand in person
//	application.reason              string    optional  the reason given for a change; default "": none
//	application.waives_home_visits  bool      optional  the applicant agrees to give up home visits; default false
//	application.date                date      always    the local civil date of submission
//	application.month_day           month_day always    the same day without its year
//	application.year                int       always    the year of the submission date
//	params.NAME                        the set's parameter NAME, of its declared type
//	NAME                               the set's fact NAME
//
// Dates are numbers YYYYMMDD and days of the year MMDD, so they compare with < and >=.
// Besides expr's builtins (len, all, any, filter, map, int, upper, ...), an expression may
// call:
//
//	hasAnyPrefix(s string, prefixes []string) bool  one of prefixes begins s
//	adminUnit(code string, prefixLen int, wholeCities []string) string
//	                                                the administrative-territorial unit of a
//	                                                KATO code: its first 2 digits when they are
//	                                                one of wholeCities, else its first prefixLen
//	inUnit(unit string, codes []string, prefixLen int, wholeCities []string) bool
//	                                                one of codes lies in unit: its adminUnit is
//	                                                a prefix of unit
//	addMonths(date int, n int) int                  n months later; 29 Feb + 12 months = 28 Feb
//	startOfPeriod(date int, months int) int         first day of the months-long period of the year
//	nextMonthDay(date int, monthDay int) int        first day after date that falls on monthDay
//
// The builtins that read the clock or the host (now, date, duration, timezone) and those
// that can build unbounded values or run unbounded loops (repeat, replace, join, string,
// toJSON, fromJSON, flatten, reduce) are not available: a decision depends on the
// application alone, and no rule set can exhaust memory. Joining strings with + gives at
// most MaxStringLen bytes.
//
// # Compiling
//
// [Compile] type-checks every expression against Env and the set's parameters and facts: a
// rule must be bool, a fact bool, int, float, string or a list of strings, takes_effect a
// date. It reports every problem of every set at once as [Errors], each an *Error with the
// set, the rule id or fact name, the field, the line and column, and a snippet with a
// caret; the *Error wraps expr's *file.Error where there is one. For a set read from JSON
// the line and column are those of the document ([Error.File] names it), inside an
// expression or a message template too: an editor can go to them. Facts may read facts;
// a cycle is an error naming it.
//
// [Limits] bound what a set can make compiling or deciding cost: the defaults, or those
// given with [WithLimits] (attach.New takes the same options); Limits documents each. Compile
// estimates the worst-case cost of one evaluation, as cel-go does: a loop builtin (all,
// filter, map, ...) costs its body once per element of the longest list it can range over
// (a literal, a parameter, a range whose ends are numbers or parameters, clinic.service_area
// of at most MaxInputListLen codes). A set over MaxCost, or with a cost that has no bound
// (a loop over a list of unknown length, matches with a pattern that is not a literal),
// does not compile: the *Error is placed at the part of the expression over the limit. At
// the default limits, no set that compiles takes more than a few milliseconds to decide
// (BenchmarkWorstSet).
//
// A compiled [Program] never changes: it may be used from any number of goroutines at once.
// A rule or fact that fails while it runs (a division by zero, an index out of range)
// makes evaluation return a *[RuntimeError] naming it and its position: a runtime error is an
// error result, never an approval and never a silent pass. So does an Env with a list or
// string longer than MaxInputListLen or MaxInputStringLen, when the set runs on expr's VM. Every fact that can fail is
// computed by every evaluation, so that a failure is reported whether a rule needs the
// fact or not. Most facts that cannot fail are computed only where a rule reads them,
// when the rule gets that far, and by [Result.Fact] for the trace; those that read
// clinic.service_area, or are costly and read by several expressions, are computed by
// every evaluation too.
//
// # Messages
//
// Every rule carries the message a citizen reads when it fails, in Kazakh, Russian and
// English: [Rule.Messages] maps the language tags "kk", "ru" and "en" to a template, and a
// set that lacks one of the three does not compile. A template is text with
// placeholders:
//
//	{attached}                 the value of the fact attached
//	{attached|one:# человек|few:# человека|many:# человек|other:# человека}
//	                           a plural form of the fact attached, chosen by the
//	                           language's plural rules (golang.org/x/text/feature/plural);
//	                           # in the form is the number
//	{{ and }}                  a literal { and }
//
// A placeholder may name only a fact the rule's trace shows: those its expression reads
// and those it lists under "facts" ([Compiled.RuleFacts]). A plural placeholder names a
// fact of type int; its forms are selected by the CLDR categories zero, one, two, few,
// many and other, or by an exact number "=N"; "other" is required, since it is the form
// used when no other matches (Kazakh and English have only one and other; Russian has
// one, few, many and other: 1 человек, 2 человека, 5 человек, 21 человек), and a form
// the language does not have ("few" in Kazakh) does not compile. Forms are tried in the
// order written, as x/text's plural.Selectf tries them; the category of a number is the
// one golang.org/x/text/feature/plural gives (also for numbers from a million on, where
// x/text's message catalog says "many" for every Russian number). A form may not contain
// {, } or |.
//
// Values print in the language of the message: numbers with the locale's grouping as
// x/text formats them (Kazakh and Russian "2 000" with a no-break space, English
// "2,000"); dates as "2026 жылғы 1 қараша", "1 ноября 2026 г.", "1 November 2026"; days
// of the year as "1 қараша", "1 ноября", "1 November"; the codes of residency statuses,
// specialties, channels and reasons by their names in the language ("work_change" is
// "смена места работы"), other strings as they are; lists joined with "; "; true and
// false as yes and no. Month names are the package's, the names of codes the set's.
// Templates are compiled once, with the set: writing a message looks up nothing.
//
// A rule whose expression does not compile has its messages checked once it does, since
// the facts a message may name are those its expression reads. Each problem is an *Error
// with the rule's id, Field "messages.LANG", and the column in the template.
package rules
