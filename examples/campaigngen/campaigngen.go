// Package campaigngen generates realistic synthetic attachment campaigns, seeded and
// reproducible: the same Config always gives the same campaign.
//
// A campaign has cities with their KATO codes, each split into districts; clinics that
// serve one or two districts (a few of them not providers of the Fund); district doctors
// (therapists, pediatricians and general practitioners) whose counts sit near the norm of
// 2,000, some above it; and applications spread over a year: first attachments (newborns
// and newcomers) at any time, changes of clinic in the campaign weeks, and changes outside
// it with a reason (mostly one that qualifies), from residents and from people living
// elsewhere in the city, some giving up home visits, a few unsigned or not eligible.
//
// Every person has their own IIN. A share of them (Config.Repeaters, 5% by default) apply
// two or three times: they change their mind and apply again, a few days later or the
// same day, to another doctor of their city or now and then to the same one, with the
// same personal data, now and then giving a reason they had not given or dropping one.
// A campaign of N applications therefore holds fewer than N people.
//
// The tests and benchmarks of packages attach and attach/campaign use it; the command in cmd/ writes a
// campaign as the JSON Lines that `attachcheck -campaign` reads.
package campaigngen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/rules"
)

// Config says what to generate. Zero fields take the defaults in their comments.
type Config struct {
	Seed         uint64
	Doctors      int // district doctors in all; default 1,000
	Applications int // default 10,000
	Year         int // the year the applications are submitted in; default 2025
	// CampaignStart and CampaignEnd bound the weeks most changes are submitted in;
	// default 1 September to 15 November, covering both built-in sets' campaigns.
	CampaignStart, CampaignEnd rules.MonthDay
	// Repeaters is the share of people, 0 to 1, who apply two or three times (two in
	// three of them twice); default 0.05. A negative value means none: every application
	// is another person's.
	Repeaters float64
}

// DefaultRepeaters is the share of people who apply more than once when Config.Repeaters
// is 0.
const DefaultRepeaters = 0.05

// Campaign is a generated campaign.
type Campaign struct {
	Clinics      []attach.ClinicDoctors
	Applications []attach.Application
}

// Doctors returns the counts of every doctor, clinic by clinic.
func (c *Campaign) Doctors() []campaign.DoctorCount {
	var out []campaign.DoctorCount
	for _, cl := range c.Clinics {
		for _, d := range cl.Doctors {
			out = append(out, campaign.DoctorCount{ClinicID: cl.ID, DoctorID: d.ID, Attached: d.Attached})
		}
	}
	return out
}

// Batch returns the campaign as a batch for campaign.Run: its doctors' counts and its
// applications, packed.
func (c *Campaign) Batch() *campaign.Batch {
	b := &campaign.Batch{Doctors: c.Doctors()}
	b.Add(c.Applications...)
	return b
}

// city is a city of Kazakhstan, its KATO code's first four digits and its weight in
// the population.
type city struct {
	name   string
	kato   string
	weight int
}

// Cities are the cities campaigns are made of, with the first digits of their KATO codes.
var cities = []city{
	{"Almaty", "7511", 22}, {"Astana", "7111", 15}, {"Shymkent", "7911", 12},
	{"Karaganda", "3510", 6}, {"Aktobe", "1510", 6}, {"Taraz", "3110", 5},
	{"Pavlodar", "5510", 4}, {"Ust-Kamenogorsk", "6310", 4}, {"Semey", "6328", 4},
	{"Atyrau", "2310", 4}, {"Kostanay", "3910", 3}, {"Kyzylorda", "4310", 3},
	{"Uralsk", "2710", 3}, {"Petropavlovsk", "5910", 3}, {"Aktau", "4710", 3},
	{"Turkestan", "6110", 3},
}

// Generate makes a campaign.
func Generate(cfg Config) *Campaign {
	if cfg.Doctors <= 0 {
		cfg.Doctors = 1000
	}
	if cfg.Applications <= 0 {
		cfg.Applications = 10000
	}
	if cfg.Year == 0 {
		cfg.Year = 2025
	}
	if cfg.CampaignStart == 0 {
		cfg.CampaignStart = 901
	}
	if cfg.CampaignEnd == 0 {
		cfg.CampaignEnd = 1115
	}
	if cfg.Repeaters == 0 {
		cfg.Repeaters = DefaultRepeaters
	}
	g := &gen{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x656d6b68616e61))}
	g.places()
	g.applications()
	g.uniqueIINs()
	g.repeat()
	return &Campaign{Clinics: g.clinics, Applications: g.apps}
}

type gen struct {
	cfg     Config
	rng     *rand.Rand
	clinics []attach.ClinicDoctors
	byCity  [][]int // city -> clinic indexes
	cityOf  []int   // clinic -> city
	apps    []attach.Application
	born    []rules.Date // by application: the person's birth date
	city    []int        // by application: the person's city
}

// places makes the clinics and their doctors, about 25 doctors a clinic.
func (g *gen) places() {
	total := 0
	for _, c := range cities {
		total += c.weight
	}
	g.byCity = make([][]int, len(cities))
	left := g.cfg.Doctors
	for ci, c := range cities {
		n := g.cfg.Doctors * c.weight / total
		if ci == len(cities)-1 || n > left {
			n = left
		}
		left -= n
		districts := 4 + c.weight/3
		for k := 0; n > 0; k++ {
			size := min(n, 10+g.rng.IntN(30))
			n -= size
			area := []string{fmt.Sprintf("%s%02d", c.kato, 10+k%districts)}
			if g.rng.IntN(3) == 0 {
				area = append(area, fmt.Sprintf("%s%02d", c.kato, 10+(k+1)%districts))
			}
			cl := attach.ClinicDoctors{Clinic: attach.Clinic{
				ID: fmt.Sprintf("C%s-%03d", c.kato, k), FundProvider: g.rng.IntN(30) != 0, ServiceArea: area,
			}}
			for j := 0; j < size; j++ {
				spec := attach.Therapist
				switch x := g.rng.IntN(100); {
				case x < 25:
					spec = attach.Pediatrician
				case x < 45:
					spec = attach.GeneralPractitioner
				}
				attached := int(1900 + g.rng.NormFloat64()*120)
				cl.Doctors = append(cl.Doctors, attach.Doctor{ID: fmt.Sprintf("D%02d", j), Specialty: spec, Attached: max(attached, 0)})
			}
			g.byCity[ci] = append(g.byCity[ci], len(g.clinics))
			g.cityOf = append(g.cityOf, ci)
			g.clinics = append(g.clinics, cl)
		}
	}
}

// applications makes the applications, in no particular order of submission.
func (g *gen) applications() {
	loc := time.FixedZone("KZ", 5*3600)
	y := g.cfg.Year
	from := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	days := int(time.Date(y+1, 1, 1, 0, 0, 0, 0, loc).Sub(from).Hours() / 24)
	cs := time.Date(y, g.cfg.CampaignStart.Month(), g.cfg.CampaignStart.Day(), 0, 0, 0, 0, loc)
	ce := time.Date(y, g.cfg.CampaignEnd.Month(), g.cfg.CampaignEnd.Day(), 0, 0, 0, 0, loc)
	campaignDays := int(ce.Sub(cs).Hours()/24) + 1
	g.apps = make([]attach.Application, g.cfg.Applications)
	g.born = make([]rules.Date, len(g.apps))
	g.city = make([]int, len(g.apps))
	for i := range g.apps {
		a := &g.apps[i]
		a.ID = fmt.Sprintf("A%07d", i+1)
		a.Signed = g.rng.IntN(50) != 0
		a.Channel = attach.Egov
		if g.rng.IntN(4) == 0 {
			a.Channel = attach.InPerson
		}
		ci := g.pickCity()
		home := g.byCity[ci][g.rng.IntN(len(g.byCity[ci]))]
		kind := g.rng.IntN(100)
		var day time.Time
		switch {
		case kind < 30: // first attachment, any day
			day = from.AddDate(0, 0, g.rng.IntN(days))
		case kind < 75: // a change in the campaign weeks
			day = cs.AddDate(0, 0, g.rng.IntN(campaignDays))
		default: // a change outside the campaign, with a reason
			day = from.AddDate(0, 0, g.rng.IntN(days))
			a.Reason = changeReasons[g.rng.IntN(len(changeReasons))]
			if g.rng.IntN(6) == 0 {
				a.Reason = attach.NoReason
			}
		}
		// Minutes only, so that some applications share an instant and order by id.
		a.SubmittedAt = day.Add(time.Duration(8*60+g.rng.IntN(16*60)) * time.Minute)
		var born rules.Date
		a.Citizen, born = g.citizen(ci, home, kind < 30, a.SubmittedAt)
		// Most choose a clinic serving their district; the others one elsewhere in the city.
		target := home
		if g.rng.IntN(10) < 3 {
			target = g.byCity[ci][g.rng.IntN(len(g.byCity[ci]))]
			a.WaivesHomeVisits = g.rng.IntN(2) == 0
		}
		cl := &g.clinics[target]
		a.Clinic = cl.Clinic
		a.Doctor = doctorFor(g.rng, cl, born, a.SubmittedAt)
		g.born[i], g.city[i] = born, ci
	}
}

func (g *gen) pickCity() int {
	total := 0
	for _, c := range cities {
		total += c.weight
	}
	x := g.rng.IntN(total)
	for ci, c := range cities {
		if x < c.weight && len(g.byCity[ci]) > 0 {
			return ci
		}
		x -= c.weight
	}
	for ci := range cities {
		if len(g.byCity[ci]) > 0 {
			return ci
		}
	}
	return 0
}

// citizen makes a person living in the area of clinic home; one who changes is attached
// to a doctor of the city now.
func (g *gen) citizen(ci, home int, first bool, at time.Time) (attach.Citizen, rules.Date) {
	year := at.Year()
	var born rules.Date
	if first && g.rng.IntN(2) == 0 {
		b := at.AddDate(0, 0, -g.rng.IntN(60)) // a newborn
		born = rules.NewDate(b.Year(), b.Month(), b.Day())
	} else {
		born = rules.NewDate(year-1-g.rng.IntN(85), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28))
	}
	area := g.clinics[home].ServiceArea[0]
	c := attach.Citizen{
		IIN:         IIN(born, g.rng.IntN(2) == 0, g.rng.IntN(10000)),
		Residency:   attach.CitizenOfKazakhstan,
		AddressCode: fmt.Sprintf("%s%03d", area, g.rng.IntN(1000)),
	}
	switch x := g.rng.IntN(100); {
	case x < 3:
		c.Residency = attach.PermanentResident
	case x < 5:
		c.Residency = attach.Kandas
	case x < 7:
		c.Residency = attach.TemporaryResident
		c.Insured = g.rng.IntN(2) == 0
	}
	if !first {
		cl := &g.clinics[g.byCity[ci][g.rng.IntN(len(g.byCity[ci]))]]
		c.CurrentClinicID = cl.ID
		c.CurrentDoctorID = cl.Doctors[g.rng.IntN(len(cl.Doctors))].ID
		c.AttachedSince = rules.NewDate(year-1-g.rng.IntN(3), time.Month(1+g.rng.IntN(12)), 1)
		if g.rng.IntN(5) == 0 {
			c.AttachedSince = rules.NewDate(year, time.Month(1+g.rng.IntN(6)), 1) // changed this year
		}
	}
	return c, born
}

// doctorFor picks a doctor of the clinic, usually one serving the person's age.
func doctorFor(rng *rand.Rand, cl *attach.ClinicDoctors, born rules.Date, at time.Time) attach.Doctor {
	child := born.AgeOn(rules.NewDate(at.Year(), at.Month(), at.Day())) < 18
	for range 4 {
		d := cl.Doctors[rng.IntN(len(cl.Doctors))]
		if rng.IntN(10) == 0 || d.Specialty == attach.GeneralPractitioner || (d.Specialty == attach.Pediatrician) == child {
			return d
		}
	}
	return cl.Doctors[rng.IntN(len(cl.Doctors))]
}

// uniqueIINs gives each application's person an IIN no other has: two people born the
// same day with the same serial number get the next free serial.
func (g *gen) uniqueIINs() {
	used := make(map[string]bool, len(g.apps))
	for i := range g.apps {
		c := &g.apps[i].Citizen
		for used[c.IIN] {
			serial := int(c.IIN[7]-'0')*1000 + int(c.IIN[8]-'0')*100 + int(c.IIN[9]-'0')*10 + int(c.IIN[10]-'0')
			c.IIN = IIN(g.born[i], (c.IIN[6]-'0')%2 == 0, (serial+1)%10000)
		}
		used[c.IIN] = true
	}
}

// repeat makes a share of the people apply again: an application that starts a repeater
// keeps its person, and the one or two applications after it in the slice become that
// person's later applications, each a few days after the one before (or later the same
// day), with the same personal data and mostly the same reason, to a doctor of the same
// city (now and then the same doctor). It draws from its own random stream, so the other applications
// are those of a campaign without repeaters.
func (g *gen) repeat() {
	if g.cfg.Repeaters <= 0 {
		return
	}
	rng := rand.New(rand.NewPCG(g.cfg.Seed, 0x7265706561747321))
	for i := 0; i < len(g.apps); i++ {
		if rng.Float64() >= g.cfg.Repeaters {
			continue
		}
		times := 2
		if rng.IntN(3) == 0 {
			times = 3
		}
		first := i
		for k := 1; k < times && i+1 < len(g.apps); k++ {
			i++
			g.again(rng, first, i-1, i)
		}
	}
}

// again makes application i the person of application first applying again after
// application before (first or a later one of the same person).
func (g *gen) again(rng *rand.Rand, first, before, i int) {
	a, prev := &g.apps[i], &g.apps[before]
	a.Citizen = g.apps[first].Citizen
	a.Reason = g.apps[first].Reason
	if rng.IntN(4) == 0 { // now with a reason, or without the one given before
		a.Reason = attach.NoReason
		if g.apps[first].Reason == attach.NoReason {
			a.Reason = changeReasons[rng.IntN(len(changeReasons))]
		}
	}
	a.Signed = rng.IntN(50) != 0
	a.Channel = prev.Channel
	g.born[i], g.city[i] = g.born[first], g.city[first]
	if days := rng.IntN(15); days == 0 {
		a.SubmittedAt = prev.SubmittedAt.Add(time.Duration(1+rng.IntN(180)) * time.Minute)
	} else {
		y, m, d := prev.SubmittedAt.Date()
		day := time.Date(y, m, d+days, 0, 0, 0, 0, prev.SubmittedAt.Location())
		a.SubmittedAt = day.Add(time.Duration(8*60+rng.IntN(16*60)) * time.Minute)
	}
	if rng.IntN(10) == 0 { // the same doctor again
		a.Clinic, a.Doctor, a.WaivesHomeVisits = prev.Clinic, prev.Doctor, prev.WaivesHomeVisits
		return
	}
	clinics := g.byCity[g.city[i]]
	cl := &g.clinics[clinics[rng.IntN(len(clinics))]]
	a.Clinic = cl.Clinic
	a.WaivesHomeVisits = rng.IntN(2) == 0
	a.Doctor = doctorFor(rng, cl, g.born[i], a.SubmittedAt)
}

// IIN makes a valid individual identification number for a person born on the day, with
// the serial number given (0 to 9999): its check digit is computed as DOMAIN.md says, and
// a serial whose check would be 10 twice is moved to the next one.
func IIN(born rules.Date, female bool, serial int) string {
	century := (born.Year()-1800)/100*2 + 1
	if female {
		century++
	}
	for ; ; serial = (serial + 1) % 10000 {
		s := fmt.Sprintf("%02d%02d%02d%d%04d", born.Year()%100, int(born.Month()), born.Day(), century, serial)
		if c, ok := checkDigit(s); ok {
			return s + string(rune('0'+c))
		}
	}
}

func checkDigit(s string) (int, bool) {
	sum := func(w func(i int) int) int {
		n := 0
		for i := 0; i < 11; i++ {
			n += int(s[i]-'0') * w(i)
		}
		return n % 11
	}
	c := sum(func(i int) int { return i + 1 })
	if c == 10 {
		c = sum(func(i int) int { return (i+2)%11 + 1 })
	}
	return c, c != 10
}

// changeReasons are the reasons a generated change outside the campaign gives.
var changeReasons = []attach.Reason{
	attach.ResidenceChange, attach.WorkChange, attach.StudyChange, attach.SentenceServed, attach.MilitaryServiceEnded,
	attach.ClinicReorganized, attach.ClinicLiquidated, attach.QualityDissatisfaction,
}
