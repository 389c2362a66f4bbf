package attach

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/emkhana/emkhana/rules"
)

// Remedy is a change of an application that turns its rejection into an approval. Its
// zero fields change nothing.
type Remedy struct {
	// WaivesHomeVisits is true when the remedy gives up home visits.
	WaivesHomeVisits bool `json:"waives_home_visits,omitempty"`
	// Doctor is the id of another doctor of the same clinic to choose instead.
	Doctor string `json:"doctor,omitempty"`
	// Reason is the reason for the change to give.
	Reason Reason `json:"reason,omitempty"`
	// Date is the day to apply on instead: the first day of the next campaign, or the
	// day the once-a-year limit ends.
	Date rules.Date `json:"date,omitempty"`
	// Decision is the engine's decision of the changed application: always approved.
	Decision Decision `json:"-"`
	// Message says what changes and the decision it gives, in the language asked for.
	Message string `json:"message"`
}

// Remedies decides the application and, when it is rejected, returns the changes that
// would have it approved, with their messages in the language that best matches accept
// (see Language). It returns nil for an approved application, and the error of Decide for
// one that cannot be decided. Each doctor of others is validated as the application's
// doctor is (an id, a specialty, attached 0 to MaxAttached): an invalid one gives an
// *InvalidApplicationError naming its fields, "others[1].attached", with the
// application's own problems when it has some.
//
// Remedies are never written by hand: each is found by deciding a changed copy of the
// application with the engine, so none can contradict the rules. The changes tried are,
// in this order: giving up home visits; each doctor of others (other doctors of the same
// clinic that the caller knows, with their attached counts); each reason for a change
// (the reason codes of the history and the set's change_reasons fact); applying on the first day
// of the next campaign (the set's campaign_start fact) or on the day the once-a-year limit
// ends (change_allowed_from). A change that is not enough alone is tried again together
// with giving up home visits. Only the changes that give an approval are returned.
func (e *Engine) Remedies(app *Application, accept string, others ...Doctor) ([]Remedy, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	d, err := e.Decide(app)
	if bad := checkOthers(others, e.known); len(bad) > 0 {
		var inv *InvalidApplicationError
		if errors.As(err, &inv) {
			inv.Problems = append(inv.Problems, bad...)
			return nil, inv
		}
		return nil, &InvalidApplicationError{ID: app.ID, Problems: bad}
	}
	if err != nil || d.Approved() {
		return nil, err
	}
	tag := Language(accept)
	var candidates []Remedy
	for _, o := range others {
		if o.ID != app.Doctor.ID {
			candidates = append(candidates, Remedy{Doctor: o.ID})
		}
	}
	tried := slices.Clone(e.known.reason)
	if v, ok := d.Fact("change_reasons"); ok {
		for _, r := range v.Strings() {
			if !slices.Contains(tried, r) {
				tried = append(tried, r)
			}
		}
	}
	for _, r := range tried {
		if Reason(r) != app.Reason {
			candidates = append(candidates, Remedy{Reason: Reason(r)})
		}
	}
	for _, day := range laterDays(&d) {
		candidates = append(candidates, Remedy{Date: day})
	}
	var out []Remedy
	try := func(ch Remedy) bool {
		changed := apply(app, ch, others, e.prog.Location())
		nd, err := e.Decide(changed)
		if err != nil || !nd.Approved() {
			return false
		}
		ch.Decision, ch.Message = nd, e.remedyMessage(ch, &nd, tag)
		out = append(out, ch)
		return true
	}
	if !app.WaivesHomeVisits && try(Remedy{WaivesHomeVisits: true}) {
		// Giving up home visits is enough; other changes are listed beside it.
		for _, ch := range candidates {
			try(ch)
		}
		return out, nil
	}
	for _, ch := range candidates {
		if !try(ch) && !app.WaivesHomeVisits {
			ch.WaivesHomeVisits = true
			try(ch)
		}
	}
	return out, nil
}

// checkOthers validates the other doctors given to Remedies, with fields "others[i].*".
func checkOthers(others []Doctor, known *codebook) problems {
	var all, p problems
	for i := range others {
		checkDoctor(&others[i], known, &p)
		all = renamed(all, p, "doctor.", fmt.Sprintf("others[%d].", i))
		p = p[:0]
	}
	return all
}

// laterDays are the days after the decision's date on which applying again may help: the
// first day of the next campaign and the day the once-a-year limit ends, read from the
// facts campaign_start and change_allowed_from when the set has them.
func laterDays(d *Decision) []rules.Date {
	var days []rules.Date
	if v, ok := d.Fact("campaign_start"); ok && v.Kind() == rules.MonthDayKind {
		next := v.MonthDay().In(d.Date.Year())
		if next <= d.Date {
			next = v.MonthDay().In(d.Date.Year() + 1)
		}
		days = append(days, next)
	}
	if v, ok := d.Fact("change_allowed_from"); ok && v.Date() > d.Date && !slices.Contains(days, v.Date()) {
		days = append(days, v.Date())
	}
	return days
}

// apply returns a copy of app with the change made.
func apply(app *Application, ch Remedy, others []Doctor, loc *time.Location) *Application {
	c := *app
	if ch.WaivesHomeVisits {
		c.WaivesHomeVisits = true
	}
	if ch.Doctor != "" {
		for _, o := range others {
			if o.ID == ch.Doctor {
				c.Doctor = o
			}
		}
	}
	if ch.Reason != "" {
		c.Reason = ch.Reason
	}
	if ch.Date != 0 {
		// Noon of the day, in the zone whose dates the rules read.
		c.SubmittedAt = ch.Date.Time(loc).Add(12 * time.Hour)
	}
	return &c
}

// Catalog keys of the remedies' messages.
const (
	remedyIf       = "remedy:if"       // args: the conditions, the day the attachment takes effect
	remedyAnd      = "remedy:and"      // joins two conditions
	remedyWaive    = "remedy:waive"    // no args
	remedyDoctor   = "remedy:doctor"   // args: the doctor's id, their free places
	remedyReason   = "remedy:reason"   // args: the reason's name
	remedyDate     = "remedy:date"     // args: the day
	remedyCampaign = "remedy:campaign" // args: the campaign's first day, its last day
)

// remedyCatalog holds the remedies' messages in Kazakh, Russian and English.
var remedyCatalog = func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.Kazakh))
	type kkRuEn [3]string
	set := func(key string, m kkRuEn) {
		for i, tag := range rules.Languages() {
			_ = b.SetString(tag, key, m[i]) // checked by TestRemedyCatalog
		}
	}
	set(remedyIf, kkRuEn{
		"Егер %[1]s, өтініш мақұлданады; тіркеу күшіне енетін күн: %[2]s.",
		"Если %[1]s, заявление будет одобрено, а прикрепление вступит в силу с %[2]s.",
		"If %[1]s, the application will be approved and the attachment will take effect on %[2]s.",
	})
	set(remedyAnd, kkRuEn{" және ", " и ", ", and "})
	set(remedyWaive, kkRuEn{"үйге дәрігер шақыртудан бас тартсаңыз", "вы откажетесь от вызова врача на дом", "you give up home visits"})
	set(remedyReason, kkRuEn{"ауыстыру себебі — %[1]s болса", "причина смены поликлиники — %[1]s", "your reason for the change is %[1]s"})
	set(remedyDate, kkRuEn{"өтінішті %[1]s күні берсеңіз", "вы подадите заявление %[1]s", "you apply on %[1]s"})
	set(remedyCampaign, kkRuEn{
		"өтінішті келесі науқан кезінде (%[1]s – %[2]s) берсеңіз",
		"вы подадите заявление во время следующей кампании, с %[1]s по %[2]s",
		"you apply during the next campaign, from %[1]s to %[2]s",
	})
	// The free places of another doctor, with the plural forms of each language.
	for i, m := range []catalog.Message{
		plural.Selectf(2, "%d", "other", "осы емхананың %[1]s дәрігерін таңдасаңыз (бос орын саны: %[2]d)"),
		plural.Selectf(2, "%d",
			"one", "вы выберете врача %[1]s этой же поликлиники (у него свободно %[2]d место)",
			"few", "вы выберете врача %[1]s этой же поликлиники (у него свободно %[2]d места)",
			"other", "вы выберете врача %[1]s этой же поликлиники (у него свободно %[2]d мест)"),
		plural.Selectf(2, "%d",
			"one", "you choose doctor %[1]s of the same clinic, who has %[2]d free place",
			"other", "you choose doctor %[1]s of the same clinic, who has %[2]d free places"),
	} {
		_ = b.Set(rules.Languages()[i], remedyDoctor, m)
	}
	return b
}()

// remedyMessage says what the change is and the decision it gives.
func (e *Engine) remedyMessage(ch Remedy, nd *Decision, tag language.Tag) string {
	p := message.NewPrinter(tag, message.Catalog(remedyCatalog))
	c := e.compiled(nd)
	if c == nil {
		return ""
	}
	v := c.Printer(tag)
	var conds []string
	if ch.Doctor != "" {
		free := 0
		if f, ok := nd.Fact("free_places"); ok {
			free = f.Int()
		}
		conds = append(conds, p.Sprintf(remedyDoctor, ch.Doctor, free))
	}
	if ch.Reason != "" {
		conds = append(conds, p.Sprintf(remedyReason, v.Value(rules.StringValue(string(ch.Reason)))))
	}
	if ch.Date != 0 {
		start, okStart := nd.Fact("campaign_start")
		end, okEnd := nd.Fact("campaign_end")
		in, okIn := nd.Fact("in_campaign")
		if okStart && okEnd && okIn && in.Bool() && start.MonthDay() == ch.Date.MonthDay() {
			conds = append(conds, p.Sprintf(remedyCampaign,
				v.Value(rules.DateValue(ch.Date)), v.Value(rules.DateValue(end.MonthDay().In(ch.Date.Year())))))
		} else {
			conds = append(conds, p.Sprintf(remedyDate, v.Value(rules.DateValue(ch.Date))))
		}
	}
	if ch.WaivesHomeVisits {
		conds = append(conds, p.Sprintf(remedyWaive))
	}
	return p.Sprintf(remedyIf, strings.Join(conds, p.Sprintf(remedyAnd)), v.Value(rules.DateValue(nd.EffectiveFrom)))
}
