package attach

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// Remedy is what the applicant could change to have a rejected application approved:
// one change or several together. Its zero fields change nothing.
type Remedy struct {
	// WaivesHomeVisits is true when the remedy gives up home visits.
	WaivesHomeVisits bool `json:"waives_home_visits,omitempty"`
	// Doctor is the id of another doctor of the same clinic to choose instead.
	Doctor string `json:"doctor,omitempty"`
	// Reasons, when not empty, are the qualifying reasons for a change, any one of which,
	// given in the application, has it approved.
	Reasons []Reason `json:"reasons,omitempty"`
	// Date is the day to apply on or after: the first day of the next campaign ([Campaign])
	// or the day the once-a-year limit ends.
	Date rules.Date `json:"date,omitempty"`
	// Campaign is true when Date is the first day of the next campaign.
	Campaign bool `json:"campaign,omitempty"`
	// EffectiveFrom is the day the attachment of the changed application (with the first
	// of Reasons) would take effect, and EffectiveUntil the day it would end by itself,
	// when it does. [Remedy.Apply] gives the changed application, for its whole decision.
	EffectiveFrom  rules.Date `json:"effective_from"`
	EffectiveUntil rules.Date `json:"effective_until,omitempty"`
	// Message says what changes and the decision it gives, in the language asked for.
	Message string `json:"message"`

	doctor Doctor    // the doctor chosen, as Remedies was given it
	at     time.Time // noon of Date where the rules read dates
}

// Apply returns a copy of app, the application the remedy was found for, with the
// remedy's changes made (the first of Reasons; noon of Date where the rules read dates):
// an application the engine that found the remedy approves. A nil app gives nil.
func (r *Remedy) Apply(app *Application) *Application {
	if app == nil {
		return nil
	}
	c := *app
	if r.WaivesHomeVisits {
		c.WaivesHomeVisits = true
	}
	if r.Doctor != "" {
		c.Doctor = r.doctor
		c.absent &^= doctorFields
	}
	if len(r.Reasons) > 0 {
		c.Reason = r.Reasons[0]
	}
	if r.Date != 0 {
		c.SubmittedAt = r.at
	}
	return &c
}

// Changes returns how many changes the remedy asks for: giving up home visits, another
// doctor, a reason and a later day count one each.
func (r *Remedy) Changes() int {
	n := 0
	for _, b := range []bool{r.WaivesHomeVisits, r.Doctor != "", len(r.Reasons) > 0, r.Date != 0} {
		if b {
			n++
		}
	}
	return n
}

// maxChanges is the most changes a remedy combines.
const maxChanges = 3

// Remedies decides the application and, when it is rejected, returns what the applicant
// could change to have it approved, fewest changes first, with the messages in the
// language that best matches accept (see [rules.MatchLanguage]). It returns nil for an approved
// application, and the error of Decide for one that cannot be decided. Each doctor of
// others is validated as the application's doctor is (an id, a specialty, attached 0 to
// MaxAttached): an invalid one gives an *[InvalidApplicationError] naming its fields,
// "others[1].attached", with the application's own problems when it has some.
//
// The changes the applicant controls are: giving up home visits; choosing one of others
// (other doctors of the same clinic that the caller knows, with their attached counts);
// giving a qualifying reason (the set's change_reasons fact); and applying again later,
// on the first day of the next campaign (campaign_start) or the day the once-a-year limit
// ends (change_allowed_from). Remedies are never written by hand: each is found by
// deciding the changed application with the engine, so none can contradict the rules.
// Every combination of up to three changes is tried, fewest first, of changes that each
// remove a failed rule when tried alone; a combination is not proposed when part of it
// is already enough. The reasons that work alike are one remedy. A rejection by a rule
// that reads nothing those changes change (a residency status, a clinic outside the
// Fund) gets none without a try, unless a later day falls under another set.
//
// An empty result means that nothing the applicant controls would help: the refusal
// stands, or the details (a status, an address, a count) are wrong. NoRemedy says so in
// words.
func (e *Engine) Remedies(app *Application, accept string, others ...Doctor) ([]Remedy, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	// The application's decision is the search's scratch: it is not returned.
	d := scratchDecisions.Get().(*Decision)
	defer scratchDecisions.Put(d)
	err := e.DecideInto(d, app)
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
	c := e.compiled(d)
	s := remedySearch{e: e, app: app, others: others, failed: slices.Clone(d.Failed), today: d.Date, born: app.Citizen.BirthDate}
	if s.born == 0 {
		s.born, _ = IINBirthDate(app.Citizen.IIN) // valid: the application was decided
	}
	s.atoms = s.candidates(d)
	if !s.canMend(d) {
		return []Remedy{}, nil
	}
	s.d = d
	found := s.run()
	p := c.Printer(rules.MatchLanguage(accept))
	out := make([]Remedy, len(found))
	for i := range found {
		out[i] = found[i].remedy(e.prog.Location())
		out[i].Message = remedyMessage(&out[i], &found[i], p)
	}
	return out, nil
}

// scratchDecisions are the Decisions Remedies searches with, kept for the next call.
var scratchDecisions = sync.Pool{New: func() any { return new(Decision) }}

// NoRemedy says, in the language that best matches accept, that changing the application
// would not help: what to tell an applicant for whom Remedies finds nothing.
func (e *Engine) NoRemedy(accept string) string {
	if e.ready() != nil {
		return ""
	}
	sets := e.prog.Sets()
	return sets[len(sets)-1].Printer(rules.MatchLanguage(accept)).Phrase("remedy_none")
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

// atom is one change the applicant controls.
type atom struct {
	kind     int // waive, doctor, reason or date: at most one of each kind in a remedy
	doctor   *Doctor
	reason   Reason
	date     rules.Date
	campaign bool
}

const (
	waiveAtom = iota
	doctorAtom
	reasonAtom
	dateAtom
)

// remedySearch finds the combinations of changes that have an application approved.
type remedySearch struct {
	e      *Engine
	app    *Application // valid, and decided
	others []Doctor     // valid
	failed []string     // the rules app fails
	atoms  []atom
	today  rules.Date // app's day
	born   rules.Date // the applicant's birth date
	// d is app's decision, decided again with each combination: only the fields the
	// changes touch are written, and only what reads them is evaluated again.
	d *Decision
}

// canMend reports whether some combination of the atoms could have d approved: not when a
// rule d fails reads nothing the atoms change and every later day they try is decided by
// the same set (another set has other rules).
func (s *remedySearch) canMend(d *Decision) bool {
	for _, a := range s.atoms {
		if a.kind != dateAtom {
			continue
		}
		if c, _ := s.e.prog.At(a.date); c != d.c {
			return true
		}
	}
	return s.e.canMend(d, false)
}

// remedyFields are the fields the changes touch; a later day changes the derived inputs.
var remedyFields = fieldsUnder("waives_home_visits") | doctorFields | fieldsUnder("reason")

// doctorFields are the fields of the application's doctor.
var doctorFields = fieldsUnder("doctor.")

// found is a combination that has the application approved: atoms of the search.
type found struct {
	atoms []*atom
	// What the approving decision said, kept when the search decided it: the days of the
	// attachment, and the facts the remedy's message shows.
	from, until rules.Date
	free        rules.Value // free_places
	campaignEnd rules.Value // campaign_end
}

// approved returns the combination as found, with what the search's decision, which just
// approved it, says.
func (s *remedySearch) approved(combo []*atom) found {
	f := found{atoms: slices.Clone(combo), from: s.d.EffectiveFrom, until: s.d.EffectiveUntil}
	f.free, _ = s.d.Fact("free_places")
	f.campaignEnd, _ = s.d.Fact("campaign_end")
	return f
}

// candidates returns every change the applicant could make, in the order of the kinds.
func (s *remedySearch) candidates(d *Decision) []atom {
	reasons, _ := d.Fact("change_reasons")
	atoms := make([]atom, 0, 3+len(s.others)+len(reasons.Strings()))
	if !s.app.WaivesHomeVisits {
		atoms = append(atoms, atom{kind: waiveAtom})
	}
	for i := range s.others {
		if s.others[i].ID != s.app.Doctor.ID {
			atoms = append(atoms, atom{kind: doctorAtom, doctor: &s.others[i]})
		}
	}
	if v, ok := d.Fact("change_reasons"); ok && v.Kind() == rules.Strings {
		for _, r := range v.Strings() {
			if Reason(r) != s.app.Reason && slices.Contains(s.e.known.reason, r) {
				atoms = append(atoms, atom{kind: reasonAtom, reason: Reason(r)})
			}
		}
	}
	if v, ok := d.Fact("campaign_start"); ok && v.Kind() == rules.MonthDayKind {
		next := v.MonthDay().In(d.Date.Year())
		if next <= d.Date {
			next = v.MonthDay().In(d.Date.Year() + 1)
		}
		atoms = append(atoms, atom{kind: dateAtom, date: next, campaign: true})
	}
	if v, ok := d.Fact("change_allowed_from"); ok && v.Kind() == rules.DateKind && v.Date() > d.Date &&
		!slices.ContainsFunc(atoms, func(a atom) bool { return a.kind == dateAtom && a.date == v.Date() }) {
		atoms = append(atoms, atom{kind: dateAtom, date: v.Date()})
	}
	return atoms
}

// run tries the combinations of up to maxChanges atoms, fewest first, and returns those
// that have the application approved, with no part of one already enough.
func (s *remedySearch) run() []found {
	var approved []found
	var useful []*atom // the atoms that, alone, remove a failed rule
	for i := range s.atoms {
		a := &s.atoms[i]
		ok, removes := s.try([]*atom{a})
		switch {
		case ok:
			approved = append(approved, s.approved([]*atom{a}))
		case removes:
			useful = append(useful, a)
		}
	}
	var combine func(start int, combo []*atom, size int)
	combine = func(start int, combo []*atom, size int) {
		if len(combo) == size {
			if !coversApproved(combo, approved) {
				if ok, _ := s.try(combo); ok {
					approved = append(approved, s.approved(combo))
				}
			}
			return
		}
		for i := start; i < len(useful); i++ {
			if !slices.ContainsFunc(combo, func(b *atom) bool { return b.kind == useful[i].kind }) {
				combine(i+1, append(combo, useful[i]), size)
			}
		}
	}
	buf := make([]*atom, 0, maxChanges) // every combination is built in it
	for size := 2; size <= maxChanges; size++ {
		combine(0, buf, size)
	}
	return mergeReasons(approved)
}

// coversApproved reports whether a combination holds one already found enough.
func coversApproved(combo []*atom, approved []found) bool {
	for _, f := range approved {
		all := true
		for _, a := range f.atoms {
			if !slices.Contains(combo, a) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// try decides the application changed by the atoms: whether it is approved, and whether
// it fails fewer of the original failed rules.
func (s *remedySearch) try(combo []*atom) (approved, removes bool) {
	// What the atoms change is valid: the other doctors were validated, the reasons are
	// codes of the history, the days are later than the application's. The changes are
	// written into the env as changed makes them in an application (a test holds the
	// two to one another), without copying the application.
	env := &s.d.env
	fillEnv(env, s.app, remedyFields)
	today, reason := s.today, false
	for _, a := range combo {
		switch a.kind {
		case waiveAtom:
			env.SetBool(in.waives, true)
		case doctorAtom:
			env.SetString(in.doctorID, a.doctor.ID)
			env.SetString(in.specialty, string(a.doctor.Specialty))
			env.SetInt(in.attached, a.doctor.Attached)
		case reasonAtom:
			if !reason {
				env.SetString(in.reason, string(a.reason))
				reason = true
			}
		case dateAtom:
			today = a.date
		}
	}
	fillDerived(env, today, s.born.AgeOn(today))
	if err := s.e.decide(s.d, today, s.app.ID); err != nil {
		return false, false
	}
	if s.d.Approved() {
		return true, true
	}
	for _, id := range s.failed {
		if !slices.Contains(s.d.Failed, id) {
			return false, true
		}
	}
	return false, false
}

// mergeReasons makes the combinations that differ only in their reason one, listing the
// reasons in order.
func mergeReasons(fs []found) []found {
	var out []found
	for _, f := range fs {
		merged := false
		for i := range out {
			if sameButReason(out[i].atoms, f.atoms) {
				out[i].atoms = append(out[i].atoms, reasonOf(f.atoms))
				merged = true
				break
			}
		}
		if !merged {
			f.atoms = slices.Clone(f.atoms)
			out = append(out, f)
		}
	}
	return out
}

func reasonOf(atoms []*atom) *atom {
	for _, a := range atoms {
		if a.kind == reasonAtom {
			return a
		}
	}
	return nil
}

// sameButReason reports whether a (which may list several reasons) and b are the same
// combination but for their reason, both having one.
func sameButReason(a, b []*atom) bool {
	if reasonOf(a) == nil || reasonOf(b) == nil {
		return false
	}
	other := func(atoms []*atom) []*atom {
		var out []*atom
		for _, x := range atoms {
			if x.kind != reasonAtom {
				out = append(out, x)
			}
		}
		return out
	}
	return slices.Equal(other(a), other(b))
}

// remedy returns the [Remedy] of a combination, its day at noon in loc.
func (f found) remedy(loc *time.Location) Remedy {
	r := Remedy{EffectiveFrom: f.from, EffectiveUntil: f.until}
	for _, a := range f.atoms {
		switch a.kind {
		case waiveAtom:
			r.WaivesHomeVisits = true
		case doctorAtom:
			r.Doctor, r.doctor = a.doctor.ID, *a.doctor
		case reasonAtom:
			r.Reasons = append(r.Reasons, a.reason)
		case dateAtom:
			r.Date, r.Campaign = a.date, a.campaign
			r.at = a.date.Time(loc).Add(12 * time.Hour) // noon of the day
		}
	}
	return r
}

// remedyMessage says what the remedy changes and the decision it gives, with what the
// decision that approved it said.
func remedyMessage(r *Remedy, f *found, p *rules.Printer) string {
	reasons := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		reasons[i] = string(x)
	}
	if r.Changes() == 1 && len(r.Reasons) > 0 {
		return p.Phrase("remedy_reason", rules.ValueOf(reasons))
	}
	var conds []string
	if r.Doctor != "" {
		conds = append(conds, p.Phrase("remedy_doctor", rules.ValueOf(r.Doctor), rules.ValueOf(f.free.Int())))
	}
	if len(r.Reasons) > 0 {
		conds = append(conds, p.Phrase("remedy_reason_if", rules.ValueOf(reasons)))
	}
	if r.Date != 0 {
		if end := f.campaignEnd; r.Campaign && end.Kind() == rules.MonthDayKind {
			endDay := end.MonthDay().In(r.Date.Year())
			conds = append(conds, p.Phrase("remedy_campaign", rules.ValueOf(strconv.Itoa(r.Date.Year())),
				rules.ValueOf(r.Date.MonthDay()), end, rules.ValueOf(endDay)))
		} else {
			conds = append(conds, p.Phrase("remedy_date", rules.ValueOf(r.Date)))
		}
	}
	if r.WaivesHomeVisits {
		conds = append(conds, p.Phrase("remedy_waive"))
	}
	// "A, B and C": commas between the conditions, the phrase for "and" before the last.
	joined := conds[len(conds)-1]
	if len(conds) > 1 {
		joined = strings.Join(conds[:len(conds)-1], ", ") + p.Phrase("remedy_and") + joined
	}
	return p.Phrase("remedy_if", rules.ValueOf(joined), rules.ValueOf(f.from))
}
