package attach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emkhana/emkhana/rules"
)

// Query asks "where can I attach": one person, one moment and the applicant's own choices,
// against every doctor of the clinics given (all clinics of a city, say). Options answers
// it.
type Query struct {
	// ID names the query in errors; it may be empty.
	ID               string    `json:"id,omitempty"`
	SubmittedAt      time.Time `json:"submitted_at"` // the moment the person would apply
	Channel          Channel   `json:"channel"`
	Signed           bool      `json:"signed"`
	Reason           Reason    `json:"reason,omitempty"`
	WaivesHomeVisits bool      `json:"waives_home_visits"`
	Citizen          Citizen   `json:"citizen"`
	// Clinics are the clinics to consider, each with its district doctors.
	Clinics []ClinicDoctors `json:"clinics"`
}

// ClinicDoctors is a clinic with its district doctors.
type ClinicDoctors struct {
	Clinic
	Doctors []Doctor `json:"doctors"`
}

// Option is one doctor's answer to a Query.
type Option struct {
	ClinicID  string    `json:"clinic"`
	DoctorID  string    `json:"doctor"`
	Specialty Specialty `json:"specialty"`
	// Outcome is Approved when the doctor would accept, as asked or only if the person
	// gives up home visits; Rejected when the doctor would refuse whatever the person
	// chooses about home visits.
	Outcome Outcome `json:"outcome"`
	// IfWaivesHomeVisits is true when the doctor would accept only if the person gives
	// up home visits: the query does not waive them, and the decision with the waiver
	// is Approved.
	IfWaivesHomeVisits bool `json:"if_waives_home_visits,omitempty"`
	// EffectiveFrom is the day the attachment would take effect when approved.
	EffectiveFrom rules.Date `json:"effective_from,omitempty"`
	// Failed holds the rules that fail as the query stands, in the set's order: empty
	// when the doctor accepts as asked, the home_visits rule (and no other) when only
	// if the person waives home visits. Options
	// with the same failed rules share the list: copy it before changing it in place.
	Failed []string `json:"failed,omitempty"`
}

// Options decides the query's application against every doctor of every clinic given
// and returns one [Option] per doctor: first those that accept as asked, then those that
// accept only if the person gives up home visits, then those that refuse; within each
// group by clinic id, then doctor id (doctors listed twice keep their order).
//
// The person, the moment and the choices are validated and prepared once, and the rules
// and facts that read only them are evaluated once per query; each doctor then costs one
// evaluation of what reads the clinic and the doctor, or two when it refuses and the query
// does not already waive home visits (the second with the waiver). The cost grows
// linearly with the number of doctors. Every decision is made by the rules, as Decide
// makes it, so an Option never contradicts the [Decision] for the same application.
//
// An invalid query gives an *[InvalidApplicationError] naming every bad field, with paths
// such as "citizen.iin" and "clinics[2].doctors[0].attached" (a nil query, one problem
// naming no field). A rule that fails while it runs gives the *[rules.RuntimeError], naming
// the doctor, and no options.
func (e *Engine) Options(q *Query) ([]Option, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if q == nil {
		return nil, nilInput("query")
	}
	app, today, age, places, err := e.prepareQuery(q)
	if err != nil {
		return nil, err
	}
	runs := sortPlaces(q, places)
	// The options go straight to their group: those accepted as asked from the front,
	// those refused from the back (reversed at the end), the others aside until the
	// first two are known.
	out := make([]Option, len(places))
	front, back := 0, len(out)
	var waive []Option
	var failed failedLists
	var d Decision
	fillEnv(&d.env, app, allFields&^placeFields)
	fillDerived(&d.env, today, age)
	// What reads only the person, the moment and the choices is evaluated for the first
	// doctor and kept for the others: only the clinic, the doctor and the waiver change.
	for _, run := range runs {
		for _, pl := range run {
			p := pl.of(q)
			fillPlace(&d.env, p.clinic, p.doctor, q.WaivesHomeVisits)
			if err := e.decide(&d, today, app.ID); err != nil {
				return nil, fmt.Errorf("attach: options for clinic %q, doctor %q: %w", p.clinic.ID, p.doctor.ID, err)
			}
			o := Option{ClinicID: p.clinic.ID, DoctorID: p.doctor.ID, Specialty: p.doctor.Specialty, Outcome: d.Outcome, EffectiveFrom: d.EffectiveFrom}
			if d.Approved() {
				out[front] = o
				front++
				continue
			}
			o.Failed = failed.of(d.Failed)
			if !q.WaivesHomeVisits && e.canMend(&d, true) {
				d.env.SetBool(in.waives, true)
				if err := e.decide(&d, today, app.ID); err != nil {
					return nil, fmt.Errorf("attach: options for clinic %q, doctor %q with home visits given up: %w", p.clinic.ID, p.doctor.ID, err)
				}
				if d.Approved() {
					o.Outcome, o.IfWaivesHomeVisits, o.EffectiveFrom = Approved, true, d.EffectiveFrom
					waive = append(waive, o)
					continue
				}
			}
			back--
			out[back] = o
		}
	}
	copy(out[front:], waive)
	slices.Reverse(out[back:])
	return out, nil
}

// failedLists shares the lists of failed rules among options: few combinations of rules
// fail among thousands of doctors.
type failedLists [][]string

// of returns a list equal to ids that options may keep.
func (l *failedLists) of(ids []string) []string {
	for _, f := range *l {
		if slices.Equal(f, ids) {
			return f
		}
	}
	f := slices.Clip(slices.Clone(ids))
	if len(*l) < 32 {
		*l = append(*l, f)
	}
	return f
}

// placeFields are what changes from one option to the next: the clinic, the doctor and
// whether the person gives up home visits.
var placeFields = fieldsUnder("clinic.") | fieldsUnder("doctor.") | fieldsUnder("waives_home_visits")

// sortPlaces orders the places by clinic id, then doctor id, then their rank in the query,
// and returns them as runs to read one after the other. The places of one clinic come
// together in a query: each clinic's doctors are sorted among themselves (a few dozen),
// then the runs of the clinics, not copied, unless two clinics have one id. Sorting
// places (two pointers each) rather than options, and grouping by outcome and waiver
// after, keeps the order Options promises at a small cost per doctor.
func sortPlaces(q *Query, places []place) [][]place {
	byDoctor := func(a, b place) int {
		return cmp.Or(cmp.Compare(a.of(q).doctor.ID, b.of(q).doctor.ID), cmp.Compare(a.n, b.n))
	}
	var runs [][]place // the places of each clinic
	for start := 0; start < len(places); {
		end := start + 1
		for end < len(places) && places[end].clinic == places[start].clinic {
			end++
		}
		run := places[start:end]
		if !slices.IsSortedFunc(run, byDoctor) {
			slices.SortFunc(run, byDoctor)
		}
		runs = append(runs, run)
		start = end
	}
	byClinic := func(a, b []place) int {
		return cmp.Or(cmp.Compare(a[0].of(q).clinic.ID, b[0].of(q).clinic.ID), cmp.Compare(a[0].n, b[0].n))
	}
	if !slices.IsSortedFunc(runs, byClinic) {
		slices.SortFunc(runs, byClinic) // reorders the runs, not the places
	}
	if !sameClinicID(q, runs) {
		return runs
	}
	// Two clinics with one id: their doctors interleave.
	slices.SortFunc(places, func(a, b place) int {
		return cmp.Or(cmp.Compare(a.of(q).clinic.ID, b.of(q).clinic.ID), byDoctor(a, b))
	})
	return [][]place{places}
}

// sameClinicID reports whether two runs of places, sorted by clinic id, are of clinics
// with one id: two neighbours.
func sameClinicID(q *Query, runs [][]place) bool {
	for i := 1; i < len(runs); i++ {
		if runs[i][0].of(q).clinic.ID == runs[i-1][0].of(q).clinic.ID {
			return true
		}
	}
	return false
}

// place is one validated clinic and doctor of a query, by their indexes: a list of
// places holds no pointer for the collector to scan.
type place struct {
	clinic, doctor int32 // q.Clinics[clinic].Doctors[doctor]
	n              int32 // its rank in the query
}

// placed is a place's clinic and doctor.
type placed struct {
	clinic *Clinic
	doctor *Doctor
}

// of returns the clinic and doctor of p in q.
func (p place) of(q *Query) placed {
	c := &q.Clinics[p.clinic]
	return placed{&c.Clinic, &c.Doctors[p.doctor]}
}

// prepareQuery validates a query with prepare's checks: the person, moment and choices
// once, then each clinic once and each doctor once. It returns the query as an
// application (without clinic and doctor), the local day, the person's age then, and every
// clinic and doctor.
func (e *Engine) prepareQuery(q *Query) (*Application, rules.Date, int, []place, error) {
	var all problems
	app := &Application{
		ID: cmp.Or(q.ID, "query"), SubmittedAt: q.SubmittedAt, Channel: q.Channel, Signed: q.Signed,
		Reason: q.Reason, WaivesHomeVisits: q.WaivesHomeVisits, Citizen: q.Citizen,
	}
	today, age := checkPerson(app, e.prog.Location(), e.known, &all)
	checkKATO(app, &all)
	n := 0
	for _, c := range q.Clinics {
		n += len(c.Doctors)
	}
	places := make([]place, 0, n)
	var p problems
	for i := range q.Clinics {
		c := &q.Clinics[i]
		if checkClinic(&c.Clinic, e.known, &p); len(p) > 0 {
			all = renamed(all, p, "clinic.", fmt.Sprintf("clinics[%d].", i))
			p = p[:0]
			continue
		}
		for j := range c.Doctors {
			if checkDoctor(&c.Doctors[j], e.known, &p); len(p) > 0 {
				all = renamed(all, p, "doctor.", fmt.Sprintf("clinics[%d].doctors[%d].", i, j))
				p = p[:0]
				continue
			}
			places = append(places, place{clinic: int32(i), doctor: int32(j), n: int32(len(places))})
		}
	}
	if len(all) > 0 {
		return nil, 0, 0, nil, &InvalidApplicationError{ID: q.ID, Problems: all}
	}
	return app, today, age, places, nil
}

// renamed appends to all the problems ps with the field prefix from replaced by to.
func renamed(all, ps problems, from, to string) problems {
	for _, p := range ps {
		if rest, ok := strings.CutPrefix(p.Field, from); ok {
			p.Field = to + rest
		}
		all = append(all, p)
	}
	return all
}
