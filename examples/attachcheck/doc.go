// Command attachcheck decides attachment applications read as JSON Lines.
//
//	attachcheck [-rules FILE] [-max-line BYTES] [-lang kk|ru|en] [-explain] [FILE...]
//	attachcheck [-rules FILE] [-max-line BYTES] -options [FILE...]
//	attachcheck [-rules FILE] [-max-line BYTES] [-keep-repeats] -campaign [FILE...]
//	attachcheck [-rules FILE] [-max-line BYTES] [-keep-repeats] -compare SET.json [-campaign] [FILE...]
//	attachcheck [-rules FILE] -test [-coverage] PATH...
//	attachcheck -schema rules|application
//
// It reads the FILEs one after the other, or standard input when none is named, and
// decides with the built-in rule history, or with the sets of the -rules files.
//
// # Lines
//
// Every input line gets one output line, in input order, whatever it holds: its
// decision, or an error line
//
//	{"file":"a.jsonl","line":3,"id":"A3","error":"citizen.iin: check digit does not match (got \"123456789012\")"}
//
// Lines are numbered from 1 in each FILE (and in standard input); "file" names the FILE
// and is left out for standard input. "id" is the application's or query's id as far as
// it could be read, else "". A line ends with "\n" or "\r\n"; a last line without one
// is a line, and the "\n" that ends the input starts no new one. An empty line, or one of
// nothing but spaces and tabs, gets the error "empty line". A line longer than -max-line
// bytes (1 MiB, 1048576, by default; its ending not counted) gets the error "line is
// longer than N bytes (-max-line)" and reading goes on with the next line.
//
// # Modes
//
// Plain mode: each line is an application, in the form of attach.DecodeApplication,
// and gets its decision,
//
//	{"id":"A1","outcome":"approved","rule_set":"kz-2023","effective_from":"2027-01-01"}
//
// with, for a rejection, "failed" (the rule ids), "reasons" (each rule's message in the
// language of -lang: kk, ru or en, or an Accept-Language value or tag that matches one
// of them; kk by default) and "remedies" (the changes that would have it approved). With
// -explain, "trace" holds every rule of the set with the facts it read.
//
// Plain mode decides the lines on every core (GOMAXPROCS), a few hundred lines at a time,
// and writes each line's output in its input place as soon as the lines before it are
// written. It holds a bounded number of lines at once: about 4 MiB of them, or one line
// alone when it is longer.
//
// -options: each line is a query, the application's fields without clinic and doctor,
// and the clinics to consider with their doctors (testdata/queries.jsonl at the
// module's root has one),
//
//	{"id":"Q1","submitted_at":"...","channel":"egov","signed":true,"citizen":{...},"clinics":[{"id":"C1","fund_provider":true,"service_area":["75111"],"doctors":[{"id":"D1","specialty":"therapist","attached":1500}]}]}
//
// and gets every doctor's option: those that accept first, then those that accept if
// the person gives up home visits ("if_waives_home_visits":true), then those that
// refuse ("outcome":"rejected", with "failed"):
//
//	{"id":"Q1","options":[{"clinic":"C1","doctor":"D2","specialty":"therapist","outcome":"approved","effective_from":"2025-10-05"},...]}
//
// A key a query does not have, or anything after the object, is an error.
//
// -campaign: the lines are one campaign (campaign.Run, package attach/campaign):
// applications, and the doctors' counts before it, one per line whose first key is
// "count",
//
//	{"count":{"clinic_id":"C1","doctor_id":"D1","attached":1999}}
//
// (testdata/campaign.jsonl is one; go run ./examples/campaigngen/cmd/campaigngen writes larger
// ones). A count line has exactly these three fields, the ids not empty, attached 0 to
// attach.MaxAttached (100000), and a doctor is counted once; a count line that is not
// gets an error line, and a valid one gets no line. The applications are decided in
// submission order, with counts that move as they are approved; each gets its
// decision, with "attached", the count it read:
//
//	{"id":"K1","outcome":"approved","rule_set":"kz-2023","effective_from":"2027-01-01","attached":1999,"superseded_by":"K4"}
//
// One person (one citizen.iin, exactly as written) holds one place: when a person
// approved in the batch is approved again, the later approval supersedes the earlier,
// whose line names it in "superseded_by"; the earlier doctor has the place back from
// then on, and the person leaves their current doctor once (our reading; see
// campaign.Run). The lines are written once the whole batch is decided, so
// "superseded_by" is on the earlier line, in its input place. -keep-repeats counts as
// before: every approval holds a place, and no line is superseded.
//
// An application whose id an earlier line already has gets an error line. A last line
// counts the input: {"summary":{"applications":N,"approved":N,"rejected":N,"invalid":N,
// "superseded":N,"people":N,"people_approved":N,"rejected_by":{...},"full":[...],
// "counts":N,"invalid_counts":N}}, where "applications" counts the lines that are not
// count lines and "invalid" those of them with an error line, "superseded" the
// superseded approvals, "people" the IINs of the decided lines and "people_approved"
// those with an approval, "full" each time a doctor reached their norm ("day") and, once
// a place was free again, the day it was ("freed"), "counts" the valid count lines and
// "invalid_counts" the others.
//
// -compare SET.json: the input is read as for -campaign and decided twice, with the
// rules and with the set of SET.json in place of the set of the same id (added when none
// has it): one by one, or as a campaign with -campaign. Only the decisions that differ
// get a line,
//
//	{"id":"A1","line":3,"before":{...},"after":{...},"newly_failing":["capacity"]}
//
// with "file" as on error lines; a line that neither set decides gets its error line,
// and a valid count line none. A last line {"impact":{...}} counts the changes by rule,
// the applications and the people now approved and now rejected ("people_affected",
// "people_now_approved", "people_now_rejected"), with "counts" and "invalid_counts" as
// in -campaign.
//
// -test runs scenario files, named or found in the directories named: each scenario is
// an application and what it must give ("expect": outcome, failed, effective_from,
// effective_until, rule_set). It writes a line per failing scenario, naming its file
// and line, with -coverage what each rule was seen doing, and last "N passed, M
// failed"; the exit status is 1 when one fails. A scenario that cannot be read fails
// in its place (exit 1); a path that cannot be read is a usage error (exit 2).
//
// -schema prints the JSON Schema of rule sets ("rules") or of applications
// ("application"), for an editor to check a document as it is typed.
//
// -options, -campaign and -compare read their whole input first and write a progress
// line to standard error every 100,000 lines and decisions. -explain and -lang apply to
// plain mode only; a flag that does not apply to the mode asked for is a usage error.
//
// # Exit status
//
// The same in every mode:
//
//	0  every input line was decided
//	1  some input line got an error line; the others were decided
//	2  a usage error: an unknown flag, flags that cannot go together, a -lang that
//	   matches none of kk, ru and en, a -max-line out of range, a FILE that cannot be
//	   read, a rule set (-rules, -compare) that cannot be read or compiled. Nothing is
//	   written, except when a FILE fails while it is being read: the lines before it are.
//	3  the output could not be written (a full disk): the run stops at the first write
//	   that fails, with a message on standard error
//
// Run a built binary to see these statuses: `go run` reports every non-zero status of
// the program it runs as 1.
package main
