package attach

import (
	"strings"

	"github.com/emkhana/emkhana/rules"
)

// The built-in history (kz-2018 from 2018-01-01, kz-2023 from 2023-01-01, kz-2025 from
// 2025-05-12) at its default parameters, written by hand in plain Go over a validated
// application, its local day and the person's age (what validate gives). It is the oracle
// of the differential test and the floor of the benchmarks: what deciding costs without a
// rule engine.

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
	law2025         bool     // territory, actual residence, a temporary resident's contract
}

var refSets = [...]refSet{
	{
		id: "kz-2025", from: 20250512,
		eligible:        []string{"citizen", "permanent_resident", "stateless_permanent", "kandas", "refugee"},
		temporaryInsure: true,
		start:           901, end: 1101,
		reasons:   []string{"residence_change", "work_change", "study_change", "clinic_reorganized", "clinic_liquidated"},
		onceAYear: true,
		exempt:    []string{"clinic_reorganized", "clinic_liquidated"},
		law2025:   true,
	},
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

const (
	refCapacity     = 2000 // every set; capacity_by_specialty is empty
	refAdultAge     = 18
	refUnitLen      = 4 // kz-2025's territory_prefix_len
	refActualUnder  = 5 // kz-2025's actual_residence_under_age
	refWholeCityLen = 2
)

var refWholeCities = []string{"71", "75", "79"}

// refDecision is what the reference decides: the fields the differential test compares.
type refDecision struct {
	set       string // "" when no set is in force
	outcome   Outcome
	failed    []string
	effective rules.Date
	until     rules.Date
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// refUnit is the administrative-territorial unit of a KATO code or prefix.
func refUnit(code string) string {
	if len(code) >= refWholeCityLen && contains(refWholeCities, code[:refWholeCityLen]) {
		return code[:refWholeCityLen]
	}
	if len(code) > refUnitLen {
		return code[:refUnitLen]
	}
	return code
}

// reference decides a validated application with the built-in history, appending failed
// rule ids to d.failed[:0] so that a reused refDecision allocates nothing.
func reference(a *Application, today rules.Date, age int, d *refDecision) {
	d.failed = d.failed[:0]
	d.set, d.outcome, d.effective, d.until = "", Undecided, 0, 0
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

	first := c.CurrentClinicID == ""
	md := int(today.MonthDay())
	inCampaign := md >= s.start && md <= s.end
	qualifying := contains(s.reasons, string(a.Reason))
	startsOn := today
	if !first && inCampaign && !qualifying { // a change chosen in the campaign: from the next 1 January
		startsOn = rules.NewDate(today.Year()+1, 1, 1)
	}
	temporaryOK := s.temporaryInsure && c.Residency == "temporary_resident" && c.Insured
	if s.law2025 { // the contract ends after the attachment would take effect
		temporaryOK = temporaryOK && c.ContractUntil > startsOn
	}
	if !(contains(s.eligible, string(c.Residency)) || temporaryOK) {
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
	home := c.AddressCode
	if s.law2025 {
		if c.ActualAddressCode != "" && (age < refActualUnder || c.Pregnant) {
			home = c.ActualAddressCode
		}
		unit := refUnit(home)
		inUnit := false
		if cl.AddressCode != "" {
			inUnit = refUnit(cl.AddressCode) == unit
		} else {
			for _, p := range cl.ServiceArea {
				if strings.HasPrefix(unit, refUnit(p)) {
					inUnit = true
					break
				}
			}
		}
		if !inUnit {
			d.failed = append(d.failed, "territory")
		}
	}
	inArea := false
	for _, p := range cl.ServiceArea {
		if strings.HasPrefix(home, p) {
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
	if !first && !inCampaign && !qualifying {
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
	d.effective = startsOn
	if s.law2025 && c.Residency == "temporary_resident" && c.ContractUntil != 0 {
		d.until = c.ContractUntil
	}
}
