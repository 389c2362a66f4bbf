package campaign

import (
	"sync"

	"github.com/emkhana/emkhana/attach"
)

// Batch is a campaign to decide: applications decided together, as the Fund processes a
// campaign, in submission order, with doctors' counts that move as applications are
// approved. [Run] decides it.
//
// A Batch keeps its applications packed, in about a quarter of the memory of an
// []attach.Application (what many applications share, such as clinics and their service
// areas, is kept once), so that a campaign of millions fits in memory. The zero Batch is
// empty and ready to use. Add must not be called while a [Run] of the batch is running;
// several runs may read one batch at once.
type Batch struct {
	// Doctors are the doctors' counts before the first application, each 0 to
	// [attach.MaxAttached]. A doctor that an application names and this list does not
	// starts with the doctor.attached of the first application, in submission order,
	// that names it with a count of 0 to [attach.MaxAttached].
	Doctors []DoctorCount
	// Workers is how many goroutines decide at once; 0 means GOMAXPROCS. The result does
	// not depend on it.
	Workers int
	// Static, when true, decides every application on its own, with its own
	// doctor.attached: counts do not move. Impact analyses of independent decisions use it.
	// Supersession (see KeepRepeats) still marks a person's earlier approvals.
	Static bool
	// KeepRepeats, when true, lets every approved application hold a place, as before
	// people were told apart: a person who applies twice and is approved twice is
	// counted at both doctors. By default (false) one person holds one place: a person's
	// later approval supersedes their earlier one (see [Run]). People are told apart by
	// citizen.iin, exactly as given; the summary counts people either way.
	KeepRepeats bool
	// Progress, when set, is called from [Run]'s goroutine with the number of applications
	// decided so far, after each local day of submissions. Applications refused for a
	// duplicate id count as decided from the first call.
	Progress func(decided int)

	mu   sync.Mutex // held while a run seals the applications
	apps store
}

// Add appends copies of the applications, in the order given, which is their index in
// the [Result] (the order of decision is the submission order). An application whose id
// an earlier one already has is not decided (see [Run]). The batch keeps nothing of the
// caller's: the applications may be changed or reused once Add returns.
func (b *Batch) Add(apps ...attach.Application) {
	for i := range apps {
		b.apps.add(&apps[i])
	}
}

// Len returns the number of applications added.
func (b *Batch) Len() int { return b.apps.len() }

// DoctorCount is how many people are attached to one doctor of one clinic. A doctor is
// named by its clinic's id and its own id together.
type DoctorCount struct {
	ClinicID string `json:"clinic_id"`
	DoctorID string `json:"doctor_id"`
	Attached int    `json:"attached"`
}
