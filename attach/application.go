package attach

import (
	"time"

	"github.com/emkhana/emkhana/rules"
)

// Application is one request to attach a person to a clinic and a district doctor.
// The zero Application is invalid: Decide reports each missing field.
//
// In Go every field holds a value: false and 0 are values, and an empty string or a zero
// Date or time is "not given". [DecodeApplication] also knows which keys a JSON line left
// out or set to null, and Decide refuses such an application when the set in force reads
// the field (a missing doctor.attached is an error, never 0).
type Application struct {
	ID               string    `json:"id"`
	SubmittedAt      time.Time `json:"submitted_at"` // the instant; its civil date in Kazakhstan decides
	Channel          Channel   `json:"channel"`
	Signed           bool      `json:"signed"`           // signed by ЭЦП online, or by hand in person
	Reason           Reason    `json:"reason,omitempty"` // for a change outside the campaign; "" for none
	WaivesHomeVisits bool      `json:"waives_home_visits"`
	Citizen          Citizen   `json:"citizen"`
	Clinic           Clinic    `json:"clinic"`
	Doctor           Doctor    `json:"doctor"`

	// absent holds the fields its JSON form left out or set to null ([DecodeApplication]);
	// such a field that still holds its zero value is not given.
	absent fieldSet
}

// Omitted returns the paths, as the JSON form spells them ("signed", "doctor.attached"),
// of the fields that the application does not give: [DecodeApplication] found the key left
// out or null, and the Go field still holds its zero value (a field set in Go since is
// given). [Engine.Decide] refuses an application that omits a field the set in force reads; an
// optional field omitted reads as its default. The paths are in the order of the JSON
// form; the result is nil for an application made in Go, and the caller's to keep.
func (a *Application) Omitted() []string {
	if a == nil || a.absent == 0 {
		return nil
	}
	var out []string
	for i := range fields {
		if a.absent&(1<<i) != 0 && isZero(fields[i].ptr(a)) {
			out = append(out, fields[i].path)
		}
	}
	return out
}

// Citizen is the applicant, whatever their citizenship.
type Citizen struct {
	// IIN is the individual identification number: 12 digits with a check digit.
	IIN string `json:"iin"`
	// BirthDate, when given, is the birth date; otherwise the date the IIN encodes is used.
	BirthDate rules.Date `json:"birth_date,omitempty"`
	Residency Residency  `json:"residency"`
	// Insured is true when the person is insured under compulsory social health insurance.
	Insured bool `json:"insured,omitempty"`
	// AddressCode is the KATO code (9 digits) of the residence address.
	AddressCode string `json:"address_code"`
	// ActualAddressCode, when given, is the KATO code of the address where the person
	// actually lives, by which a child under five or a pregnant woman may be served.
	ActualAddressCode string `json:"actual_address_code,omitempty"`
	// Pregnant is true for a pregnant woman.
	Pregnant bool `json:"pregnant,omitempty"`
	// ContractUntil, for a temporary resident, is the last day of the employment contract
	// or insurance under which they attach; an approval then ends on that day.
	ContractUntil rules.Date `json:"contract_until,omitempty"`
	// CurrentClinicID and CurrentDoctorID name the present attachment; both are empty for a
	// person attached nowhere (a first attachment).
	CurrentClinicID string `json:"current_clinic_id,omitempty"`
	CurrentDoctorID string `json:"current_doctor_id,omitempty"`
	// AttachedSince is the day the present attachment took effect; required with it.
	AttachedSince rules.Date `json:"attached_since,omitempty"`
}

// FirstAttachment reports whether the person is attached nowhere.
func (c *Citizen) FirstAttachment() bool { return c.CurrentClinicID == "" }

// Clinic is the chosen primary health care organization.
type Clinic struct {
	ID string `json:"id"`
	// AddressCode, when given, is the KATO code of the clinic's location; otherwise the
	// clinic lies in the administrative-territorial units its service area lies in.
	AddressCode  string   `json:"address_code,omitempty"`
	FundProvider bool     `json:"fund_provider"` // on the Social Health Insurance Fund's provider list
	ServiceArea  []string `json:"service_area"`  // KATO code prefixes; an address is inside when one is its prefix
}

// Doctor is the chosen district doctor.
type Doctor struct {
	ID        string    `json:"id"`
	Specialty Specialty `json:"specialty"`
	Attached  int       `json:"attached"` // people attached to the doctor now
}

// Channel is how an application was made.
type Channel string

// The channels.
const (
	Egov     Channel = "egov"      // egov.kz portal or eGov Mobile, signed with ЭЦП
	InPerson Channel = "in_person" // at the clinic's registry, with an identity document
)

// Residency is the applicant's status in Kazakhstan.
type Residency string

// The residency statuses.
const (
	CitizenOfKazakhstan Residency = "citizen"
	PermanentResident   Residency = "permanent_resident"  // foreigner residing permanently
	StatelessPermanent  Residency = "stateless_permanent" // stateless person residing permanently
	Kandas              Residency = "kandas"              // ethnic Kazakh repatriate
	Refugee             Residency = "refugee"
	TemporaryResident   Residency = "temporary_resident" // foreigner on a temporary stay
)

// Specialty is a district doctor's specialty.
type Specialty string

// The specialties of district doctors.
const (
	Therapist           Specialty = "therapist"            // adults
	Pediatrician        Specialty = "pediatrician"         // children under 18
	GeneralPractitioner Specialty = "general_practitioner" // everyone (ВОП)
)

// Reason is a reason given for changing clinic outside the campaign.
type Reason string

// The reasons of the built-in history. Which of them qualify is a parameter of the rule
// set in force; which are known, the sets' codes (rules.Set.Codes).
const (
	NoReason               Reason = ""
	ResidenceChange        Reason = "residence_change"
	WorkChange             Reason = "work_change"
	StudyChange            Reason = "study_change"
	SentenceServed         Reason = "sentence_served"
	MilitaryServiceEnded   Reason = "military_service_ended"
	ClinicReorganized      Reason = "clinic_reorganized"
	ClinicLiquidated       Reason = "clinic_liquidated"
	QualityDissatisfaction Reason = "quality_dissatisfaction"
)
