package rules

// Env is what a rule expression reads about one application: the names citizen, clinic,
// doctor and application, each a struct below. The engine in package attach fills it from
// a validated application; Env is exported so that other front ends and tests can too.
// The expr tags are the names an expression uses. Dates are plain numbers YYYYMMDD and
// days of the year MMDD (the values of Date and MonthDay), since expr orders only numbers.
type Env struct {
	Citizen     EnvCitizen     `expr:"citizen"`
	Clinic      EnvClinic      `expr:"clinic"`
	Doctor      EnvDoctor      `expr:"doctor"`
	Application EnvApplication `expr:"application"`
}

// EnvCitizen is the applicant as rules see them.
type EnvCitizen struct {
	Residency       string `expr:"residency"`         // citizen, permanent_resident, stateless_permanent, kandas, refugee, temporary_resident
	Insured         bool   `expr:"insured"`           // insured under compulsory social health insurance (ОСМС)
	Age             int    `expr:"age"`               // whole years on the local submission date
	AddressCode     string `expr:"address_code"`      // KATO code of the residence address
	CurrentClinicID string `expr:"current_clinic_id"` // "" when attached nowhere
	CurrentDoctorID string `expr:"current_doctor_id"` // "" when attached nowhere
	AttachedSince   int    `expr:"attached_since"`    // YYYYMMDD: the day the current attachment took effect; 0 when none
}

// EnvClinic is the chosen clinic.
type EnvClinic struct {
	ID           string   `expr:"id"`
	FundProvider bool     `expr:"fund_provider"` // on the Social Health Insurance Fund's provider list
	ServiceArea  []string `expr:"service_area"`  // KATO code prefixes of the clinic's service area
}

// EnvDoctor is the chosen district doctor.
type EnvDoctor struct {
	ID        string `expr:"id"`
	Specialty string `expr:"specialty"` // therapist, pediatrician, general_practitioner
	Attached  int    `expr:"attached"`  // people attached to the doctor now
}

// EnvApplication is the application itself.
type EnvApplication struct {
	ID               string `expr:"id"`
	Channel          string `expr:"channel"`            // egov or in_person
	Signed           bool   `expr:"signed"`             // signed: by ЭЦП online, by hand in person
	Reason           string `expr:"reason"`             // the reason given for a change, "" for none
	WaivesHomeVisits bool   `expr:"waives_home_visits"` // agrees to give up home visits
	Date             int    `expr:"date"`               // YYYYMMDD: the local civil date of submission
	MonthDay         int    `expr:"month_day"`          // MMDD: the same day without its year
	Year             int    `expr:"year"`               // the year of the submission date
}
