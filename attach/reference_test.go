package attach

import (
	"strings"

	"github.com/emkhana/emkhana/rules"
)

// The built-in history (kz-2018 from 2018-01-01, kz-2023 from 2023-01-01) at its default
// parameters, written by hand in plain Go over a validated application, its local day and
// the person's age (what validate gives). It is the
// oracle of the differential test and the floor of the benchmarks: what deciding costs
// without a rule engine.

// refSet is one built-in set at its default parameters.
type refSet struct {
	id              string
	from            rules.Date
	eligible        []string
	temporaryInsure bool
	start, end      int // MMDD, both inclusive
	reasons         []string
	onceAYear       bool
	exempt          []string // reasons not limited to once a year
}

var refSets = [...]refSet{
	{
		id: "kz-2023", from: 20230101,
		eligible:        []string{"citizen", "permanent_resident", "stateless_permanent", "kandas", "refugee"},
		temporaryInsure: true,
		start:           901, end: 1101,
		reasons:   []string{"residence_change", "work_change", "study_change", "clinic_reorganized", "clinic_liquidated"},
		onceAYear: true,
		exempt:    []string{"clinic_reorganized", "clinic_liquidated"},
	},
	{
		id: "kz-2018", from: 20180101,
		eligible: []string{"citizen", "permanent_resident", "stateless_permanent"},
		start:    915, end: 1115,
		reasons: []string{"residence_change", "work_change", "study_change", "sentence_served", "military_service_ended", "clinic_reorganized", "clinic_liquidated", "quality_dissatisfaction"},
	},
}

// The codes of the built-in history, for the generator of applications.
var (
	channels    = []Channel{Egov, InPerson}
	residencies = []Residency{CitizenOfKazakhstan, PermanentResident, StatelessPermanent, Kandas, Refugee, TemporaryResident}
	specialties = []Specialty{Therapist, Pediatrician, GeneralPractitioner}
	reasons     = []Reason{NoReason, ResidenceChange, WorkChange, StudyChange, SentenceServed, MilitaryServiceEnded, ClinicReorganized, ClinicLiquidated, QualityDissatisfaction}
)

const refCapacity = 2000 // both sets; capacity_by_specialty is empty
const refAdultAge = 18

// refDecision is what the reference decides: the fields the differential test compares.
type refDecision struct {
	set       string // "" when no set is in force
	outcome   Outcome
	failed    []string
	effective rules.Date
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reference decides env with the built-in history, appending failed rule ids to
// d.failed[:0] so that a reused refDecision allocates nothing.
func reference(a *Application, today rules.Date, age int, d *refDecision) {
	d.failed = d.failed[:0]
	d.set, d.outcome, d.effective = "", Undecided, 0
	var s *refSet
	for i := range refSets {
		if today >= refSets[i].from {
			s = &refSets[i]
			break
		}
	}
	if s == nil {
		return
	}
	d.set = s.id
	c, cl, doc := &a.Citizen, &a.Clinic, &a.Doctor

	if !(contains(s.eligible, string(c.Residency)) || s.temporaryInsure && c.Residency == "temporary_resident" && c.Insured) {
		d.failed = append(d.failed, "residency")
	}
	if !cl.FundProvider {
		d.failed = append(d.failed, "fund_provider")
	}
	if !a.Signed {
		d.failed = append(d.failed, "signature")
	}
	if c.CurrentClinicID == cl.ID && c.CurrentDoctorID == doc.ID {
		d.failed = append(d.failed, "already_attached")
	}
	switch doc.Specialty {
	case "general_practitioner":
	case "pediatrician":
		if age >= refAdultAge {
			d.failed = append(d.failed, "specialty_age")
		}
	default:
		if age < refAdultAge {
			d.failed = append(d.failed, "specialty_age")
		}
	}
	inArea := false
	for _, p := range cl.ServiceArea {
		if strings.HasPrefix(c.AddressCode, p) {
			inArea = true
			break
		}
	}
	if !inArea && !a.WaivesHomeVisits {
		d.failed = append(d.failed, "home_visits")
	}
	if !inArea && doc.Attached >= refCapacity {
		d.failed = append(d.failed, "capacity")
	}
	first := c.CurrentClinicID == ""
	md := int(today.MonthDay())
	inCampaign := md >= s.start && md <= s.end
	if !first && !inCampaign && !contains(s.reasons, string(a.Reason)) {
		d.failed = append(d.failed, "campaign")
	}
	if s.onceAYear && !first && !inCampaign && !contains(s.exempt, string(a.Reason)) &&
		today < c.AttachedSince.AddMonths(12) {
		d.failed = append(d.failed, "once_a_year")
	}
	if len(d.failed) > 0 {
		d.outcome = Rejected
		return
	}
	d.outcome = Approved
	d.effective = today
	if !first && inCampaign { // a change chosen in the campaign: from the next 1 January
		d.effective = rules.NewDate(today.Year()+1, 1, 1)
	}
}
