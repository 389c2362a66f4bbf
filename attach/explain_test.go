package attach_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// msgApp is an application of the day "YYYY-MM-DD" that the set in force approves unless
// edited: an adult attached elsewhere since 2024-01-01, living in the clinic's area,
// asking for a therapist with free places during the campaign.
func msgApp(day string, edit func(a *attach.Application)) *attach.Application {
	t, err := time.Parse(time.RFC3339, day+"T10:00:00+05:00")
	if err != nil {
		panic(err) // a typo in a test's literal
	}
	a := &attach.Application{
		ID: "A1", SubmittedAt: t, Channel: attach.Egov, Signed: true,
		Citizen: attach.Citizen{
			IIN: "791028302728", Residency: attach.CitizenOfKazakhstan, AddressCode: "751110000",
			CurrentClinicID: "C9", CurrentDoctorID: "D9", AttachedSince: 20240101,
		},
		Clinic: attach.Clinic{ID: "C1", FundProvider: true, ServiceArea: []string{"75111"}},
		Doctor: attach.Doctor{ID: "D1", Specialty: attach.Therapist, Attached: 1500},
	}
	if edit != nil {
		edit(a)
	}
	return a
}

// golden compares got with the file testdata/messages/NAME, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "messages", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./attach -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s mismatch (-want +got):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines that differ, - for want and + for got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		switch {
		case i >= len(w):
			fmt.Fprintf(&b, "+%s\n", g[i])
		case i >= len(g):
			fmt.Fprintf(&b, "-%s\n", w[i])
		case w[i] != g[i]:
			fmt.Fprintf(&b, "-%s\n+%s\n", w[i], g[i])
		}
	}
	return b.String()
}

// boundaries are the numbers every int a message shows is tried with: 0 (an infant's age,
// "меньше года"), the plural forms of Russian (1 one, 2 few, 5 many, 21 one, 101 one), and
// the grouping of thousands.
var boundaries = []int{0, 1, 2, 5, 21, 101, 2000, 2001}

// TestBuiltinMessagesGolden prints every message of every built-in rule in kk, ru and en,
// with each int the rule shows set to each boundary, the other values from a real
// decision. Identical texts are printed once, with the numbers that give them.
func TestBuiltinMessagesGolden(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]string{"kz-2018": "2020-03-10", "kz-2023": "2024-03-10", "kz-2025": "2026-03-10"}
	for _, c := range builtinProgram(t).Sets() {
		t.Run(c.ID(), func(t *testing.T) {
			since := map[string]rules.Date{"kz-2018": 20191201, "kz-2023": 20231201, "kz-2025": 20251201}[c.ID()]
			app := msgApp(days[c.ID()], func(a *attach.Application) {
				a.Citizen.AttachedSince = since
				a.Reason = attach.WorkChange
			})
			d, err := eng.Decide(app)
			if err != nil || d.RuleSet != c.ID() {
				t.Fatalf("Decide(%s) = %s, %v; want a decision of %s", app.ID, d.RuleSet, err, c.ID())
			}
			set := c.Set()
			facts := make([]rules.Value, len(set.Facts))
			for i, f := range set.Facts {
				facts[i], _ = d.Fact(f.Name)
			}
			var b strings.Builder
			for i, r := range set.Rules {
				fmt.Fprintf(&b, "## %s\n", r.ID)
				for _, tag := range rules.Languages() {
					p := c.Printer(tag)
					var texts []string
					by := map[string][]string{}
					for _, n := range boundaries {
						fs := slices.Clone(facts)
						for _, j := range c.RuleFacts(i) {
							if fs[j].Kind() == rules.Int {
								fs[j] = rules.ValueOf(n)
							}
						}
						text := p.Message(i, fs)
						if text == "" {
							t.Errorf("Message(%s, %s, %d) is empty", r.ID, tag, n)
						}
						if by[text] == nil {
							texts = append(texts, text)
						}
						by[text] = append(by[text], fmt.Sprint(n))
					}
					for _, text := range texts {
						ns := ""
						if len(texts) > 1 {
							ns = " n=" + strings.Join(by[text], ",")
						}
						fmt.Fprintf(&b, "%s%s: %s\n", tag, ns, text)
					}
				}
			}
			golden(t, c.ID()+".golden", b.String())
		})
	}
}

// scenarios are rejected applications, each explained in the three languages with its
// remedies.
var scenarios = []struct {
	name, reason string
	app          *attach.Application
	others       []attach.Doctor
}{
	{
		name:   "full_doctor_out_of_area",
		reason: "home visits and capacity fail; only another doctor together with giving up home visits helps",
		app: msgApp("2026-10-05", func(a *attach.Application) {
			a.Citizen.AddressCode = "751130000"
			a.Doctor.Attached = 2001
		}),
		others: []attach.Doctor{
			{ID: "D2", Specialty: attach.Therapist, Attached: 1999},
			{ID: "D3", Specialty: attach.Therapist, Attached: 2000},
			{ID: "D4", Specialty: attach.Pediatrician, Attached: 10},
		},
	},
	{
		name:   "out_of_area",
		reason: "giving up home visits alone is enough",
		app:    msgApp("2026-10-05", func(a *attach.Application) { a.Citizen.AddressCode = "751130000" }),
	},
	{
		name:   "outside_campaign_no_reason",
		reason: "the next campaign, or each qualifying reason of kz-2023",
		app:    msgApp("2026-03-10", nil),
	},
	{
		name:   "once_a_year",
		reason: "a qualifying reason, but the last change was three months ago: the exempt reasons, the campaign, or the day the limit ends",
		app: msgApp("2026-03-10", func(a *attach.Application) {
			a.Reason = attach.WorkChange
			a.Citizen.AttachedSince = 20251201
		}),
	},
	{
		name:   "kz2018_outside_campaign",
		reason: "the 2018 list of reasons, the 2018 campaign dates",
		app:    msgApp("2020-03-10", func(a *attach.Application) { a.Citizen.AttachedSince = 20190101 }),
	},
	{
		name:   "child_at_therapist",
		reason: "specialty by age: no remedy the engine can find",
		app: msgApp("2026-10-05", func(a *attach.Application) {
			a.Citizen.BirthDate = 20150501
		}),
	},
	{
		name:   "unsigned_temporary_not_provider",
		reason: "three reasons at once, none with a remedy",
		app: msgApp("2026-10-05", func(a *attach.Application) {
			a.Signed = false
			a.Channel = attach.InPerson
			a.Citizen.Residency = attach.TemporaryResident
			a.Clinic.FundProvider = false
		}),
	},
	{
		name:   "already_attached",
		reason: "asking for one's own doctor",
		app: msgApp("2026-10-05", func(a *attach.Application) {
			a.Citizen.CurrentClinicID, a.Citizen.CurrentDoctorID = "C1", "D1"
		}),
	},
}

func TestExplainGolden(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, sc := range scenarios {
		if sc.reason == "" {
			t.Fatalf("scenario %s has no reason", sc.name)
		}
		d, err := eng.Decide(sc.app)
		if err != nil || d.Outcome != attach.Rejected {
			t.Fatalf("Decide(%s) = %v, %v; want a rejection", sc.name, d.Outcome, err)
		}
		fmt.Fprintf(&b, "# %s: %s\n# %s failed %v\n", sc.name, sc.reason, d.RuleSet, d.Failed)
		for _, lang := range []string{"kk", "ru", "en"} {
			x := eng.Explain(&d, lang)
			if len(x.Messages) != len(d.Failed) {
				t.Errorf("Explain(%s, %s) has %d messages, want %d", sc.name, lang, len(x.Messages), len(d.Failed))
			}
			for i, m := range x.Messages {
				if m.Rule != d.Failed[i] || m.Message == "" || m.Message == m.Rule {
					t.Errorf("Explain(%s, %s).Messages[%d] = %+v, want a message of %s", sc.name, lang, i, m, d.Failed[i])
				}
				fmt.Fprintf(&b, "%s %s: %s\n", x.Language, m.Rule, m.Message)
			}
			remedies, err := eng.Remedies(sc.app, lang, sc.others...)
			if err != nil {
				t.Fatalf("Remedies(%s) = %v", sc.name, err)
			}
			for _, r := range remedies {
				if nd, err := eng.Decide(r.Apply(sc.app)); err != nil || !nd.Approved() || nd.EffectiveFrom != r.EffectiveFrom {
					t.Errorf("Remedies(%s) gives %+v, whose application is decided %v from %s (%v), want approved from %s", sc.name, r, nd.Outcome, nd.EffectiveFrom, err, r.EffectiveFrom)
				}
				fmt.Fprintf(&b, "%s remedy: %s\n", x.Language, r.Message)
			}
		}
		b.WriteString("\n")
	}
	golden(t, "decisions.golden", b.String())
}

func TestExplainLanguage(t *testing.T) {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	d, err := eng.Decide(msgApp("2026-10-05", func(a *attach.Application) { a.Signed = false }))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason, accept, want string
	}{
		{name: "default", reason: "no preference: Kazakh", accept: "", want: "Сіз egov.kz немесе eGov Mobile арқылы берген өтінішке қол қойылмаған."},
		{name: "ru-KZ", reason: "Russian of Kazakhstan", accept: "ru-KZ,ru;q=0.9", want: "Заявление, которое Вы подали через egov.kz или eGov Mobile, не подписано."},
		{name: "kk-Cyrl-KZ", reason: "Kazakh with script and region", accept: "kk-Cyrl-KZ", want: "Сіз egov.kz немесе eGov Mobile арқылы берген өтінішке қол қойылмаған."},
		{name: "en-GB", reason: "British English", accept: "en-GB", want: "The application for registration (attachment) that you made through egov.kz or eGov Mobile is not signed."},
		{name: "fallback", reason: "an unsupported language falls back to Kazakh", accept: "de-DE", want: "Сіз egov.kz немесе eGov Mobile арқылы берген өтінішке қол қойылмаған."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := eng.Explain(&d, tc.accept)
			if len(x.Messages) != 1 || !strings.HasPrefix(x.Messages[0].Message, tc.want) {
				t.Errorf("Explain(%q) = %+v, want one message starting %q (%s)", tc.accept, x.Messages, tc.want, tc.reason)
			}
		})
	}
	approved, err := eng.Decide(msgApp("2026-10-05", nil))
	if err != nil || !approved.Approved() {
		t.Fatalf("Decide(base) = %v, %v, want approved", approved.Outcome, err)
	}
	if x := eng.Explain(&approved, "en"); len(x.Messages) != 0 {
		t.Errorf("Explain(approved) = %+v, want no messages", x.Messages)
	}
	if x := eng.Explain(nil, "en"); len(x.Messages) != 0 {
		t.Errorf("Explain(nil) = %+v, want no messages", x.Messages)
	}
}

// The same rejection, told in Kazakh, Russian and English: numbers grouped and plural
// forms chosen by golang.org/x/text.
func ExampleEngine_Explain() {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		fmt.Println(err)
		return
	}
	app := msgApp("2026-10-05", func(a *attach.Application) {
		a.Citizen.AddressCode = "751130000" // outside the clinic's service area
		a.WaivesHomeVisits = true
		a.Doctor.Attached = 2001
	})
	d, err := eng.Decide(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, accept := range []string{"kk-KZ", "ru-KZ,ru;q=0.9", "en-GB"} {
		x := eng.Explain(&d, accept)
		for _, m := range x.Messages {
			fmt.Printf("%s %s: %s\n", x.Language, m.Rule, strings.ReplaceAll(m.Message, "\u00a0", " "))
		}
	}
	// Output:
	// kk capacity: Бұл дәрігерге 2 001 адам тіркелген, ал бір дәрігерге тіркелетін адамдардың шекті саны — 2 000. Шекті санға жеткен дәрігерге тек емхананың қызмет көрсету аймағында тұратын адамдар тіркеле алады, ал Сіз бұл аймақтан тыс жерде тұрасыз. Осы емханадан бос орны бар басқа дәрігерді немесе мекенжайыңызға қызмет көрсететін емхананы таңдаңыз.
	// ru capacity: К этому врачу уже прикреплён 2 001 человек при нормативе 2 000 человек. К врачу с заполненным участком прикрепляют только жителей зоны обслуживания поликлиники, а Вы живёте вне её. Выберите в этой поликлинике другого врача со свободными местами или поликлинику, которая обслуживает Ваш адрес.
	// en capacity: This doctor already has 2,001 people registered (attached), and the limit is 2,000 per doctor. A doctor who has reached the limit accepts only people living in the clinic's service area, and you live outside it. Please choose another doctor at this clinic who has free places, or a clinic that serves your address.
}

// A rejection outside the campaign, and what would turn it into an approval: each remedy
// is the engine's own decision of a changed application.
func ExampleEngine_Remedies() {
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		fmt.Println(err)
		return
	}
	app := msgApp("2026-03-10", nil) // a change of clinic in March, no reason given
	remedies, err := eng.Remedies(app, "en")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range remedies {
		fmt.Printf("reasons %q, date %q: approved from %s\n", r.Reasons, r.Date, r.EffectiveFrom)
		fmt.Println(r.Message)
	}
	// Output:
	// reasons ["residence_change" "work_change" "study_change" "clinic_reorganized" "clinic_liquidated"], date "": approved from 2026-03-10
	// If one of the reasons for changing clinic applies to you (moving to another town or village; a new job; a new place of study; reorganization of the clinic; closure (liquidation) of the clinic), please state it in the application: the application will then be approved.
	// reasons [], date "2026-09-01": approved from 2027-01-01
	// If you apply again during the next registration campaign, from 1 September to 1 November 2026, the application will be approved and the registration (attachment) will take effect from 1 January 2027.
}

// TestRemedyPhrasesGolden prints every phrase of the remedies in kk, ru and en with sample
// values, so that a diff of testdata/messages/remedies.golden shows what a citizen reads.
func TestRemedyPhrasesGolden(t *testing.T) {
	sets := builtinProgram(t).Sets()
	c := sets[len(sets)-1]
	reasons := rules.ValueOf([]string{"residence_change", "work_change"})
	samples := []struct {
		name string
		args []rules.Value
	}{
		{"remedy_if", []rules.Value{rules.ValueOf("…"), rules.ValueOf(rules.Date(20270303))}},
		{"remedy_and", nil},
		{"remedy_waive", nil},
		{"remedy_doctor", []rules.Value{rules.ValueOf("D2"), rules.ValueOf(1)}},
		{"remedy_doctor", []rules.Value{rules.ValueOf("D2"), rules.ValueOf(21)}},
		{"remedy_reason", []rules.Value{reasons}},
		{"remedy_reason_if", []rules.Value{reasons}},
		{"remedy_date", []rules.Value{rules.ValueOf(rules.Date(20270303))}},
		{"remedy_campaign", []rules.Value{rules.ValueOf("2027"), rules.ValueOf(rules.MonthDay(901)), rules.ValueOf(rules.MonthDay(1101)), rules.ValueOf(rules.Date(20271101))}},
		{"remedy_none", nil},
	}
	var b strings.Builder
	for _, s := range samples {
		fmt.Fprintf(&b, "## %s\n", s.name)
		for _, tag := range rules.Languages() {
			text := c.Printer(tag).Phrase(s.name, s.args...)
			if text == "" {
				t.Errorf("Phrase(%s) in %s is empty", s.name, tag)
			}
			fmt.Fprintf(&b, "%s: %q\n", tag, text)
		}
	}
	golden(t, "remedies.golden", b.String())
}
