package attach

import (
	"strings"

	"github.com/emkhana/emkhana/rules"
)

// The table of fields: every key of an application's JSON form, the Go field it is read
// into, and the input of the rules it fills ([rules.Inputs]). [DecodeApplication] reads a
// line with it, fillEnv fills what rules read with it, and a test holds it to the table
// of inputs: every input is filled by a field of the same name or derived from others
// (derivedInputs).

// field is one key of an application's JSON form.
type field struct {
	path string // the key's path as the JSON form writes it: "doctor.attached"
	// need is when an application must give the field: the requirement of the input it
	// fills, or its own for a field that fills none.
	need  rules.Requirement
	input int    // the index in rules.Inputs of the input it fills (inputName); -1 for none
	doc   string // what the field is, for a field that fills no input (the input's Doc else)
	kato  bool   // a string field that holds a KATO code of 9 digits when given
	// ptr returns a pointer to the Go field: *string, *bool, *int, *[rules.Date],
	// *time.Time or *[]string.
	ptr func(*Application) any
}

// fields is the table. Its order is the order of the JSON form and of fieldSet's bits.
var fields = []field{
	{path: "id", ptr: func(a *Application) any { return &a.ID }},
	{path: "submitted_at", need: rules.RequiredAlways, doc: "the instant, RFC 3339 with its offset; its civil date in Kazakhstan decides", ptr: func(a *Application) any { return &a.SubmittedAt }},
	{path: "channel", ptr: func(a *Application) any { return (*string)(&a.Channel) }},
	{path: "signed", ptr: func(a *Application) any { return &a.Signed }},
	{path: "reason", ptr: func(a *Application) any { return (*string)(&a.Reason) }},
	{path: "waives_home_visits", ptr: func(a *Application) any { return &a.WaivesHomeVisits }},
	{path: "citizen.iin", need: rules.RequiredAlways, doc: "the IIN: 12 digits with a valid check digit and a 7th digit of 1-6", ptr: func(a *Application) any { return &a.Citizen.IIN }},
	{path: "citizen.birth_date", need: rules.Optional, doc: `"YYYY-MM-DD"; default: the birth date the IIN encodes`, ptr: func(a *Application) any { return &a.Citizen.BirthDate }},
	{path: "citizen.residency", ptr: func(a *Application) any { return (*string)(&a.Citizen.Residency) }},
	{path: "citizen.insured", ptr: func(a *Application) any { return &a.Citizen.Insured }},
	{path: "citizen.address_code", kato: true, ptr: func(a *Application) any { return &a.Citizen.AddressCode }},
	{path: "citizen.actual_address_code", kato: true, ptr: func(a *Application) any { return &a.Citizen.ActualAddressCode }},
	{path: "citizen.pregnant", ptr: func(a *Application) any { return &a.Citizen.Pregnant }},
	{path: "citizen.contract_until", ptr: func(a *Application) any { return &a.Citizen.ContractUntil }},
	{path: "citizen.current_clinic_id", ptr: func(a *Application) any { return &a.Citizen.CurrentClinicID }},
	{path: "citizen.current_doctor_id", ptr: func(a *Application) any { return &a.Citizen.CurrentDoctorID }},
	{path: "citizen.attached_since", ptr: func(a *Application) any { return &a.Citizen.AttachedSince }},
	{path: "clinic.id", ptr: func(a *Application) any { return &a.Clinic.ID }},
	{path: "clinic.address_code", kato: true, ptr: func(a *Application) any { return &a.Clinic.AddressCode }},
	{path: "clinic.fund_provider", ptr: func(a *Application) any { return &a.Clinic.FundProvider }},
	{path: "clinic.service_area", ptr: func(a *Application) any { return &a.Clinic.ServiceArea }},
	{path: "doctor.id", ptr: func(a *Application) any { return &a.Doctor.ID }},
	{path: "doctor.specialty", ptr: func(a *Application) any { return (*string)(&a.Doctor.Specialty) }},
	{path: "doctor.attached", ptr: func(a *Application) any { return &a.Doctor.Attached }},
}

// derivedInputs are the inputs no field fills by name: fillEnv computes them from
// others. citizen.age comes from citizen.birth_date or citizen.iin, the application's day
// from submitted_at.
var derivedInputs = []string{"citizen.age", "application.date", "application.month_day", "application.year"}

// fieldSet is a set of fields, a bit per index in fields.
type fieldSet uint64

// allFields is every field.
var allFields = fieldSet(1)<<len(fields) - 1

// fieldsUnder returns the fields whose path begins with prefix.
func fieldsUnder(prefix string) fieldSet {
	var s fieldSet
	for i, f := range fields {
		if strings.HasPrefix(f.path, prefix) {
			s |= 1 << i
		}
	}
	return s
}

// The indexes in [rules.Inputs] of the derived inputs, and of each field's input.
var inAge, inDate, inMonthDay, inYear = inputIndex(derivedInputs[0]), inputIndex(derivedInputs[1]), inputIndex(derivedInputs[2]), inputIndex(derivedInputs[3])

// fieldIndex is the index in fields of each field, by path.
var fieldIndex = map[string]int{}

// katoFields are the fields that hold a KATO code, in the order of fields: checkKATO
// checks them without walking the whole table for each application.
var katoFields []*field

func init() {
	all := rules.Inputs()
	for i := range fields {
		f := &fields[i]
		fieldIndex[f.path] = i
		f.input = inputIndex(inputName(f.path))
		if f.input >= 0 {
			f.need = all[f.input].Required
		}
		if f.kato {
			katoFields = append(katoFields, f)
		}
	}
}

// inputName is the name of the input a field fills: its path, or for a key of the
// application itself, "application." and the key.
func inputName(path string) string {
	if !strings.Contains(path, ".") {
		return "application." + path
	}
	return path
}

// fieldPath is the path of the field that fills the named input: the name without
// "application.".
func fieldPath(input string) string { return strings.TrimPrefix(input, "application.") }

// inputIndex returns the index in [rules.Inputs] of the named input, or -1.
func inputIndex(name string) int {
	for i, in := range rules.Inputs() {
		if in.Name == name {
			return i
		}
	}
	return -1
}

// fillEnv writes what rules read about a valid application: the input of each field of
// only, or nothing (the input's default) for a field the application's JSON form left
// out. fillDerived writes the others.
func fillEnv(env *rules.Env, app *Application, only fieldSet) {
	if only == allFields && app.absent == 0 {
		fillAll(env, app)
		return
	}
	for i := range fields {
		f := &fields[i]
		if f.input < 0 || only&(1<<i) == 0 {
			continue
		}
		p := f.ptr(app)
		if app.absent&(1<<i) != 0 && isZero(p) { // left out, and not set in Go since
			env.Unset(f.input)
			continue
		}
		switch p := p.(type) {
		case *string:
			env.SetString(f.input, *p)
		case *bool:
			env.SetBool(f.input, *p)
		case *int:
			env.SetInt(f.input, *p)
		case *rules.Date:
			env.SetInt(f.input, int(*p))
		case *[]string:
			env.SetStrings(f.input, *p)
		}
	}
}

// fillAll is fillEnv of every field of an application that left none out, written out
// for speed; a test holds it to the table.
func fillAll(env *rules.Env, a *Application) {
	env.SetString(in.id, a.ID)
	env.SetString(in.channel, string(a.Channel))
	env.SetBool(in.signed, a.Signed)
	env.SetString(in.reason, string(a.Reason))
	c := &a.Citizen
	env.SetString(in.residency, string(c.Residency))
	env.SetBool(in.insured, c.Insured)
	env.SetString(in.addressCode, c.AddressCode)
	env.SetString(in.actualAddressCode, c.ActualAddressCode)
	env.SetBool(in.pregnant, c.Pregnant)
	env.SetInt(in.contractUntil, int(c.ContractUntil))
	env.SetString(in.currentClinic, c.CurrentClinicID)
	env.SetString(in.currentDoctor, c.CurrentDoctorID)
	env.SetInt(in.attachedSince, int(c.AttachedSince))
	fillPlace(env, &a.Clinic, &a.Doctor, a.WaivesHomeVisits)
}

// fillPlace is fillEnv of placeFields, all given: the clinic, the doctor and the waiver.
func fillPlace(env *rules.Env, c *Clinic, d *Doctor, waives bool) {
	env.SetBool(in.waives, waives)
	env.SetString(in.clinicID, c.ID)
	env.SetString(in.clinicAddressCode, c.AddressCode)
	env.SetBool(in.fundProvider, c.FundProvider)
	env.SetStrings(in.serviceArea, c.ServiceArea)
	env.SetString(in.doctorID, d.ID)
	env.SetString(in.specialty, string(d.Specialty))
	env.SetInt(in.attached, d.Attached)
}

// in holds the index in [rules.Inputs] of each input fillAll fills.
var in = struct {
	id, channel, signed, reason, waives                                          int
	residency, insured, addressCode, currentClinic, currentDoctor, attachedSince int
	actualAddressCode, pregnant, contractUntil, clinicAddressCode                int
	clinicID, fundProvider, serviceArea, doctorID, specialty, attached           int
}{
	inputIndex("application.id"), inputIndex("application.channel"), inputIndex("application.signed"),
	inputIndex("application.reason"), inputIndex("application.waives_home_visits"),
	inputIndex("citizen.residency"), inputIndex("citizen.insured"), inputIndex("citizen.address_code"),
	inputIndex("citizen.current_clinic_id"), inputIndex("citizen.current_doctor_id"), inputIndex("citizen.attached_since"),
	inputIndex("citizen.actual_address_code"), inputIndex("citizen.pregnant"), inputIndex("citizen.contract_until"), inputIndex("clinic.address_code"),
	inputIndex("clinic.id"), inputIndex("clinic.fund_provider"), inputIndex("clinic.service_area"),
	inputIndex("doctor.id"), inputIndex("doctor.specialty"), inputIndex("doctor.attached"),
}

// isZero reports whether the Go field p points to holds its zero value.
func isZero(p any) bool {
	switch p := p.(type) {
	case *string:
		return *p == ""
	case *bool:
		return !*p
	case *int:
		return *p == 0
	case *rules.Date:
		return *p == 0
	case *[]string:
		return *p == nil
	}
	return false
}

// fillDerived writes the derived inputs: the person's age and the local day of submission.
func fillDerived(env *rules.Env, today rules.Date, age int) {
	env.SetInt(inAge, age)
	env.SetInt(inDate, int(today))
	env.SetInt(inMonthDay, int(today.MonthDay()))
	env.SetInt(inYear, today.Year())
}
