package attach

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emkhana/emkhana/attach/internal/iin"
	"github.com/emkhana/emkhana/rules"
)

// problems collects the field errors of one application; its zero value is ready to use
// and costs nothing while no problem is found.
type problems []*FieldError

func (p *problems) add(field, value, msg string, err error) {
	*p = append(*p, &FieldError{Field: field, Value: value, Message: msg, Err: err})
}

// prepare validates app and builds what rules read about it, with the civil date of its
// submission in loc, which it returns. It reports every problem at once; env is written
// only when there is none.
func prepare(app *Application, loc *time.Location, known *codebook, env *rules.Env) (rules.Date, error) {
	today, age, err := validate(app, loc, known)
	if err != nil {
		return 0, err
	}
	fillEnv(env, app, allFields)
	fillDerived(env, today, age)
	return today, nil
}

// validate checks app, reporting every problem at once, and returns the civil date of
// its submission in loc and the person's age on it.
func validate(app *Application, loc *time.Location, known *codebook) (today rules.Date, age int, err error) {
	var p problems
	today, age = checkPerson(app, loc, known, &p)
	checkClinic(&app.Clinic, known, &p)
	checkDoctor(&app.Doctor, known, &p)
	checkKATO(app, &p)
	if len(p) > 0 {
		return 0, 0, &InvalidApplicationError{ID: app.ID, Problems: p}
	}
	return today, age, nil
}

// checkPerson validates what app says of the applicant, the moment and the choices,
// adding its problems to p. It returns the local date of submission and the applicant's
// age on it, as far as they could be found.
func checkPerson(app *Application, loc *time.Location, known *codebook, p *problems) (today rules.Date, age int) {
	known.checkID("id", app.ID, true, p)
	if app.SubmittedAt.IsZero() {
		p.add("submitted_at", "", "must be set to the instant the application was made", nil)
	} else {
		today = rules.DateOf(app.SubmittedAt, loc)
		if y := today.Year(); y < 1900 || y > 9998 {
			p.add("submitted_at", app.SubmittedAt.Format(time.RFC3339), "must be a time between the years 1900 and 9998", nil)
			today = 0
		}
	}
	if !slices.Contains(known.channel, string(app.Channel)) {
		p.add("channel", string(app.Channel), "must be "+orList(known.channel), nil)
	}
	if app.Reason != NoReason && !slices.Contains(known.reason, string(app.Reason)) {
		p.add("reason", string(app.Reason), "is not a known reason; want one of "+strings.Join(known.reason, ", ")+", or none", nil)
	}
	c := &app.Citizen
	if err := CheckIIN(c.IIN); err != nil {
		p.add("citizen.iin", c.IIN, err.Error(), err)
	} else if c.BirthDate == 0 {
		if born, err := IINBirthDate(c.IIN); err != nil {
			p.add("citizen.iin", c.IIN, err.Error()+", and no citizen.birth_date is given", err)
		} else if today != 0 {
			age = born.AgeOn(today)
			if born > today {
				p.add("citizen.iin", c.IIN, "encodes a birth date after the submission date "+today.String(), iin.ErrInvalid)
			}
		}
	}
	if c.BirthDate != 0 {
		switch {
		case !c.BirthDate.Valid():
			p.add("citizen.birth_date", strconv.Itoa(int(c.BirthDate)), "is not a day of the calendar", nil)
		case today != 0 && c.BirthDate > today:
			p.add("citizen.birth_date", c.BirthDate.String(), "is after the submission date "+today.String(), nil)
		case today != 0:
			age = c.BirthDate.AgeOn(today)
		}
	}
	if !slices.Contains(known.residency, string(c.Residency)) {
		p.add("citizen.residency", string(c.Residency), "must be "+orList(known.residency), nil)
	}
	known.checkID("citizen.current_clinic_id", c.CurrentClinicID, false, p)
	known.checkID("citizen.current_doctor_id", c.CurrentDoctorID, false, p)
	if c.CurrentClinicID == "" {
		if c.CurrentDoctorID != "" {
			p.add("citizen.current_doctor_id", c.CurrentDoctorID, "is given without citizen.current_clinic_id", nil)
		}
		if c.AttachedSince != 0 {
			p.add("citizen.attached_since", c.AttachedSince.String(), "is given without citizen.current_clinic_id", nil)
		}
	} else {
		if c.CurrentDoctorID == "" {
			p.add("citizen.current_doctor_id", "", "must not be empty when citizen.current_clinic_id is given", nil)
		}
		switch {
		case c.AttachedSince == 0:
			p.add("citizen.attached_since", "", "must be given with citizen.current_clinic_id: the day the present attachment took effect", nil)
		case !c.AttachedSince.Valid():
			p.add("citizen.attached_since", strconv.Itoa(int(c.AttachedSince)), "is not a day of the calendar", nil)
		case today != 0 && c.AttachedSince > today.AddMonths(12):
			p.add("citizen.attached_since", c.AttachedSince.String(), "is more than a year after the submission date "+today.String(), nil)
		}
	}
	return today, age
}

// checkClinic validates a clinic, adding its problems to p with fields "clinic.*".
func checkClinic(c *Clinic, known *codebook, p *problems) {
	known.checkID("clinic.id", c.ID, true, p)
	if n := len(c.ServiceArea); n > known.maxList {
		p.add("clinic.service_area", strconv.Itoa(n)+" codes", "must hold at most "+strconv.Itoa(known.maxList)+" codes (rules.Limits.MaxInputListLen)", nil)
	}
	for i, code := range c.ServiceArea {
		if !isKATO(code, 1, 9) {
			p.add("clinic.service_area["+strconv.Itoa(i)+"]", code, "must be a KATO code prefix of 1 to 9 digits", nil)
		}
	}
}

// MaxAttached is the largest count of people attached to one doctor that an application
// (doctor.attached), a query or a campaign ([DoctorCount.Attached]) may give. The norm is
// 2,000 per district doctor and the highest norm of any specialty 2,200, so a count fifty
// times the norm is a mistake in the data, not a doctor; bounding counts also keeps a
// campaign's sums (a count plus one per approval) far from overflowing an int.
const MaxAttached = 100000

// checkDoctor validates a doctor, adding its problems to p with fields "doctor.*".
func checkDoctor(d *Doctor, known *codebook, p *problems) {
	known.checkID("doctor.id", d.ID, true, p)
	if !slices.Contains(known.specialty, string(d.Specialty)) {
		p.add("doctor.specialty", string(d.Specialty), "must be "+orList(known.specialty), nil)
	}
	switch {
	case d.Attached < 0:
		p.add("doctor.attached", strconv.Itoa(d.Attached), "must not be negative", nil)
	case d.Attached > MaxAttached:
		p.add("doctor.attached", strconv.Itoa(d.Attached), "must be at most "+strconv.Itoa(MaxAttached), nil)
	}
}

// codebook is the codes that some set of an engine's history knows, by kind
// (rules.Program.Codes): the values an application may give.
type codebook struct {
	channel, residency, specialty, reason []string
	maxString, maxList                    int // the Program's Limits.MaxInputStringLen and MaxInputListLen
}

func newCodebook(p *rules.Program) *codebook {
	l := p.Limits()
	return &codebook{channel: p.Codes("channel"), residency: p.Codes("residency"), specialty: p.Codes("specialty"), reason: p.Codes("reason"),
		maxString: l.MaxInputStringLen, maxList: l.MaxInputListLen}
}

// checkID adds a problem for an id that is empty when required, or longer than the
// engine's limit of an input string.
func (known *codebook) checkID(path, id string, required bool, p *problems) {
	switch {
	case id == "" && required:
		p.add(path, "", "must not be empty", nil)
	case len(id) > known.maxString:
		p.add(path, shown([]byte(id)), "is "+strconv.Itoa(len(id))+" bytes; at most "+strconv.Itoa(known.maxString)+" are allowed (rules.Limits.MaxInputStringLen)", nil)
	}
}

// orList returns the codes as "a, b or c".
func orList(codes []string) string {
	if len(codes) < 2 {
		return strings.Join(codes, "")
	}
	return strings.Join(codes[:len(codes)-1], ", ") + " or " + codes[len(codes)-1]
}

// checkKATO validates every field of the table of fields that holds a KATO code: 9
// digits when given, and given when required. It adds its problems to p in the order of
// the table.
func checkKATO(app *Application, p *problems) {
	for _, f := range katoFields {
		code := *f.ptr(app).(*string)
		if (code != "" || f.need != rules.Optional) && !isKATO(code, 9, 9) {
			p.add(f.path, code, "must be a KATO code of 9 digits", nil)
		}
	}
}

// isKATO reports whether s is min to max decimal digits.
func isKATO(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
