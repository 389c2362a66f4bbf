package campaign

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// How a Batch keeps a million applications in little memory.
//
// An attach.Application is about 340 bytes and a dozen strings. A batch keeps each as a
// record of 56 bytes and its id, IIN and address codes end to end in an arena of strings
// (about 35 bytes), read back as substrings of the arena's chunks. What many applications share
// is kept once and named by an index: clinics (with their service areas), doctors,
// places (a current clinic and doctor), codes (channel, reason, residency), time zones.
//
// What an application omits (attach.Application.Omitted: a JSON key left out, which
// Decide tells from a zero it was given) cannot be set from outside attach, so each
// distinct list of omitted fields has its form: an application that omits exactly those
// fields, made once by decoding a complete JSON line with their keys left out. Restoring
// an application copies its form and sets every exported field from the record. Each
// form also has a counted twin that gives doctor.attached, for a run with live counts,
// whose count replaces the application's own.
//
// An application that does not fit a record (more than 256 distinct codes, a date or
// count outside 32 bits, a list of omitted fields no form can be made for) is kept
// whole, as given.

// record is one packed application. Its strings are in the batch's arenas and tables.
type record struct {
	sec      int64  // SubmittedAt.Unix()
	strs     uint64 // arena chunk<<32 | offset: the IIN, address code and actual address code
	nsec     int32  // SubmittedAt.Nanosecond()
	birth    int32
	contract int32
	since    int32
	current  uint32 // index in places: citizen.current_clinic_id and current_doctor_id
	clinic   uint32 // index in clinics; for a whole application, its index in whole
	doctor   uint32 // index in doctors: doctor.id and specialty
	attached int32  // doctor.attached as given
	zone     uint16 // index in zones
	form     uint16 // index in forms: what the application omits
	channel  uint8  // index in codes
	reason   uint8
	resid    uint8
	flags    uint8
}

// The flags of a record.
const (
	flagSigned = 1 << iota
	flagWaives
	flagInsured
	flagPregnant
	flagWhole // kept whole: the application is whole[clinic]
)

// arenaChunk is the size of a chunk of an arena of strings: a string never spans two.
const arenaChunk = 1 << 20

// arena keeps short strings end to end in chunks, so that a string costs its bytes and
// no allocation of its own; one read back is a substring of its chunk.
type arena struct {
	sealed []string // full chunks, and those sealed by a run
	open   []byte   // the chunk being filled, not yet a string
}

// add appends the strings, each with its length, and returns where they start.
func (a *arena) add(ss ...string) uint64 {
	n := 0
	for _, s := range ss {
		n += binary.MaxVarintLen64 + len(s)
	}
	if len(a.open)+n > arenaChunk && len(a.open) > 0 {
		a.seal()
	}
	if a.open == nil {
		a.open = make([]byte, 0, max(arenaChunk, n))
	}
	at := uint64(len(a.sealed))<<32 | uint64(len(a.open))
	for _, s := range ss {
		a.open = binary.AppendUvarint(a.open, uint64(len(s)))
		a.open = append(a.open, s...)
	}
	return at
}

// seal makes the open chunk a string, so that the strings in it can be read.
func (a *arena) seal() {
	if a.open == nil {
		return
	}
	a.sealed = append(a.sealed, string(a.open))
	a.open = nil
}

// read returns the strings stored at at: the arena must be sealed since.
func (a *arena) read(at uint64, out []string) {
	chunk := a.sealed[at>>32]
	off := int(uint32(at))
	for i := range out {
		n := 0
		for shift := 0; ; shift += 7 {
			c := chunk[off]
			off++
			n |= int(c&0x7f) << shift
			if c < 0x80 {
				break
			}
		}
		out[i] = chunk[off : off+n]
		off += n
	}
}

// ids keeps ids: up to idsPerChunk to a chunk, each chunk's ids end to end.
type ids struct {
	chunks []string   // sealed chunks; the last of ends may be open
	ends   [][]uint32 // by chunk: where each id ends
	open   []byte
	hint   int // how many ids are to come, when known: storage is made for them
}

const idsPerChunk = 1 << 16

func (s *ids) add(id string) {
	k := len(s.ends)
	if k == 0 || len(s.chunks) == k || len(s.ends[k-1]) == idsPerChunk || len(s.open)+len(id) > math.MaxUint32 {
		s.seal()
		n := min(max(s.hint, 64), idsPerChunk)
		s.hint = max(s.hint-n, 0)
		s.ends = append(s.ends, make([]uint32, 0, n))
		s.open = make([]byte, 0, n*(len(id)+2))
		k++
	}
	s.open = append(s.open, id...)
	s.ends[k-1] = append(s.ends[k-1], uint32(len(s.open)))
}

// seal makes the open chunk a string. Ids added later go to a new chunk.
func (s *ids) seal() {
	if len(s.chunks) == len(s.ends) {
		return
	}
	s.chunks = append(s.chunks, string(s.open))
	s.open = nil
	s.ends[len(s.ends)-1] = slices.Clip(s.ends[len(s.ends)-1])
}

// idList is a sealed view of the ids, kept by a Result: ids added later are not in it.
type idList struct {
	chunks []string
	ends   [][]uint32
	starts []int // by chunk: the index of its first id
	n      int
}

// view seals the ids and returns them as they are now.
func (s *ids) view() idList {
	s.seal()
	v := idList{chunks: slices.Clip(s.chunks), ends: slices.Clip(s.ends), starts: make([]int, len(s.ends))}
	for k, e := range v.ends {
		v.starts[k] = v.n
		v.n += len(e)
	}
	return v
}

// each calls fn with every id in order.
func (v *idList) each(fn func(i int, id string)) {
	for k, ends := range v.ends {
		from := uint32(0)
		for j, end := range ends {
			fn(v.starts[k]+j, v.chunks[k][from:end])
			from = end
		}
	}
}

// at returns the i-th id, or "" when there is none.
func (v *idList) at(i int) string {
	if i < 0 || i >= v.n {
		return ""
	}
	k := i / idsPerChunk // chunks are full, but those a run sealed part full
	if k >= len(v.starts) || v.starts[k] > i || k+1 < len(v.starts) && v.starts[k+1] <= i {
		var found bool
		if k, found = slices.BinarySearch(v.starts, i); !found {
			k--
		}
	}
	j := i - v.starts[k]
	from := uint32(0)
	if j > 0 {
		from = v.ends[k][j-1]
	}
	return v.chunks[k][from:v.ends[k][j]]
}

// intern numbers distinct values of T by a key.
type intern[T any] struct {
	index map[string]uint32
	vals  []T
}

// get returns the number of the value with key, adding make() under it when new.
func (t *intern[T]) get(key []byte, make func() T) uint32 {
	if i, ok := t.index[string(key)]; ok {
		return i
	}
	if t.index == nil {
		t.index = map[string]uint32{}
	}
	i := uint32(len(t.vals))
	t.index[string(key)] = i
	t.vals = append(t.vals, make())
	return i
}

// appendKey appends s with its length: keys built of several strings stay distinct.
func appendKey(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

type doctor struct {
	id        string
	specialty attach.Specialty
}

type zoneKey struct {
	name   string
	offset int
}

// form is an application that omits the fields of one list (attach.Application.Omitted):
// given as the list says, and counted with doctor.attached given.
type form struct {
	given, counted attach.Application
}

// recsPerChunk is how many records a chunk holds: chunks are never copied to grow, so
// that a batch of a million does not hold its records twice while it grows.
const recsPerChunk = 1 << 14

// store is a batch's applications, packed.
type store struct {
	recs    [][]record // chunks of recsPerChunk records
	n       int        // records
	strs    arena
	whole   []attach.Application
	clinics intern[attach.Clinic]
	doctors intern[doctor]
	places  intern[doctorKey]
	codes   intern[string]
	forms   intern[form]
	zones   map[zoneKey]uint16
	zoneLoc []*time.Location
	key     []byte // scratch for keys
}

// add packs app and appends it.
func (s *store) add(app *attach.Application) {
	if len(s.forms.vals) == 0 {
		s.forms.get(nil, func() form { return form{} }) // form 0 omits nothing
		s.codes.get(nil, func() string { return "" })   // code 0 is ""
	}
	if !s.pack(app) {
		s.append(record{flags: flagWhole, clinic: uint32(len(s.whole))})
		s.whole = append(s.whole, *app)
		s.whole[len(s.whole)-1].Clinic.ServiceArea = slices.Clone(app.Clinic.ServiceArea)
	}
}

// pack appends app's record; it reports false, appending nothing, when app does not fit one.
func (s *store) pack(app *attach.Application) bool {
	c := &app.Citizen
	var r record
	for _, n := range []int{int(c.BirthDate), int(c.ContractUntil), int(c.AttachedSince), app.Doctor.Attached} {
		if n < math.MinInt32 || n > math.MaxInt32 {
			return false
		}
	}
	r.birth, r.contract, r.since, r.attached = int32(c.BirthDate), int32(c.ContractUntil), int32(c.AttachedSince), int32(app.Doctor.Attached)
	var ok [3]bool
	r.channel, ok[0] = s.code(string(app.Channel))
	r.reason, ok[1] = s.code(string(app.Reason))
	r.resid, ok[2] = s.code(string(c.Residency))
	if ok != [3]bool{true, true, true} {
		return false
	}
	var f uint32
	if omitted := app.Omitted(); len(omitted) > 0 {
		s.key = appendKey(s.key[:0], omitted...)
		f = s.forms.get(s.key, func() form { return makeForm(omitted) })
		if f > math.MaxUint16 || s.forms.vals[f].given.ID == "" {
			return false
		}
	}
	r.form = uint16(f)
	zone, ok2 := s.zone(app.SubmittedAt)
	if !ok2 {
		return false
	}
	r.zone = zone
	r.sec, r.nsec = app.SubmittedAt.Unix(), int32(app.SubmittedAt.Nanosecond())
	if app.Signed {
		r.flags |= flagSigned
	}
	if app.WaivesHomeVisits {
		r.flags |= flagWaives
	}
	if c.Insured {
		r.flags |= flagInsured
	}
	if c.Pregnant {
		r.flags |= flagPregnant
	}
	s.key = appendKey(s.key[:0], c.CurrentClinicID, c.CurrentDoctorID)
	r.current = s.places.get(s.key, func() doctorKey { return doctorKey{c.CurrentClinicID, c.CurrentDoctorID} })
	r.clinic = s.clinic(&app.Clinic)
	d := &app.Doctor
	s.key = appendKey(s.key[:0], d.ID, string(d.Specialty))
	r.doctor = s.doctors.get(s.key, func() doctor { return doctor{d.ID, d.Specialty} })
	r.strs = s.strs.add(app.ID, c.IIN, c.AddressCode, c.ActualAddressCode)
	s.append(r)
	return true
}

// code returns the number of a code; false when 256 codes are numbered already.
func (s *store) code(c string) (uint8, bool) {
	s.key = append(s.key[:0], c...)
	i, known := s.codes.index[c]
	if known {
		return uint8(i), true
	}
	if len(s.codes.vals) > math.MaxUint8 {
		return 0, false
	}
	return uint8(s.codes.get(s.key, func() string { return c })), true
}

// zone returns the number of t's zone: its name and offset at t, restored as the first
// location seen with them.
func (s *store) zone(t time.Time) (uint16, bool) {
	name, off := t.Zone()
	k := zoneKey{name, off}
	if z, ok := s.zones[k]; ok {
		return z, true
	}
	if len(s.zoneLoc) > math.MaxUint16 {
		return 0, false
	}
	if s.zones == nil {
		s.zones = map[zoneKey]uint16{}
	}
	z := uint16(len(s.zoneLoc))
	s.zones[k] = z
	s.zoneLoc = append(s.zoneLoc, t.Location())
	return z, true
}

// clinic returns the number of the clinic, the same for clinics equal in every field.
func (s *store) clinic(c *attach.Clinic) uint32 {
	fund, list := "0", "n" // a nil service area is kept apart from an empty one
	if c.FundProvider {
		fund = "1"
	}
	if c.ServiceArea != nil {
		list = "l"
	}
	s.key = appendKey(s.key[:0], c.ID, c.AddressCode, fund, list)
	s.key = appendKey(s.key, c.ServiceArea...)
	return s.clinics.get(s.key, func() attach.Clinic {
		k := *c
		k.ServiceArea = slices.Clone(c.ServiceArea)
		return k
	})
}

// len returns the number of applications.
func (s *store) len() int { return s.n }

// append appends a record.
func (s *store) append(r record) {
	if s.n%recsPerChunk == 0 {
		s.recs = append(s.recs, make([]record, 0, recsPerChunk))
	}
	k := len(s.recs) - 1
	s.recs[k] = append(s.recs[k], r)
	s.n++
}

// rec returns record i.
func (s *store) rec(i int32) *record { return &s.recs[i/recsPerChunk][i%recsPerChunk] }

// seal makes every string added so far readable: a run calls it first. With nothing
// added since the last seal it writes nothing, so that runs may read the store at once.
func (s *store) seal() { s.strs.seal() }

// ids returns the ids of the applications, a copy of its own: what a Result keeps.
func (s *store) ids() idList {
	out := ids{hint: s.n}
	for i := range int32(s.n) {
		out.add(s.id(i))
	}
	return out.view()
}

func boolBit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// touch reads a byte of application i's record and of its strings, so that they are in
// the cache when it is restored.
func (s *store) touch(i int32) byte {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		return 0
	}
	return s.strs.sealed[r.strs>>32][uint32(r.strs)]
}

// id returns application i's id.
func (s *store) id(i int32) string {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		return s.whole[r.clinic].ID
	}
	var strs [1]string
	s.strs.read(r.strs, strs[:])
	return strs[0]
}

// restore writes application i into dst, whose previous contents are overwritten: as
// given, or, when counted, with doctor.attached given even if the application omits it.
// Its Clinic.ServiceArea is the batch's: dst must not modify it. *held says which form
// dst holds (form<<1 | counted, or -1 when unknown): the form is copied only when it
// changes, since it differs from another restored application only in what it omits.
func (s *store) restore(i int32, dst *attach.Application, counted bool, held *int) {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		*dst = s.whole[r.clinic]
		*held = -1
		return
	}
	if h := int(r.form)<<1 | boolBit(counted); *held != h {
		f := &s.forms.vals[r.form]
		if counted {
			*dst = f.counted
		} else {
			*dst = f.given
		}
		*held = h
	}
	var strs [4]string
	s.strs.read(r.strs, strs[:])
	cur := &s.places.vals[r.current]
	dst.ID = strs[0]
	dst.SubmittedAt = time.Unix(r.sec, int64(r.nsec)).In(s.zoneLoc[r.zone])
	dst.Channel = attach.Channel(s.codes.vals[r.channel])
	dst.Signed = r.flags&flagSigned != 0
	dst.Reason = attach.Reason(s.codes.vals[r.reason])
	dst.WaivesHomeVisits = r.flags&flagWaives != 0
	dst.Citizen = attach.Citizen{
		IIN:               strs[1],
		BirthDate:         rules.Date(r.birth),
		Residency:         attach.Residency(s.codes.vals[r.resid]),
		Insured:           r.flags&flagInsured != 0,
		AddressCode:       strs[2],
		ActualAddressCode: strs[3],
		Pregnant:          r.flags&flagPregnant != 0,
		ContractUntil:     rules.Date(r.contract),
		CurrentClinicID:   cur.clinic,
		CurrentDoctorID:   cur.doctor,
		AttachedSince:     rules.Date(r.since),
	}
	dst.Clinic = s.clinics.vals[r.clinic]
	d := &s.doctors.vals[r.doctor]
	dst.Doctor = attach.Doctor{ID: d.id, Specialty: d.specialty, Attached: int(r.attached)}
}

// iin returns application i's IIN, once sealed.
func (s *store) iin(i int32) string {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		return s.whole[r.clinic].Citizen.IIN
	}
	var strs [2]string
	s.strs.read(r.strs, strs[:])
	return strs[1]
}

// attached returns application i's doctor.attached as given.
func (s *store) attached(i int32) int {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		return s.whole[r.clinic].Doctor.Attached
	}
	return int(r.attached)
}

// target returns the clinic and doctor application i chooses.
func (s *store) target(i int32) doctorKey {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		a := &s.whole[r.clinic]
		return doctorKey{a.Clinic.ID, a.Doctor.ID}
	}
	return doctorKey{s.clinics.vals[r.clinic].ID, s.doctors.vals[r.doctor].id}
}

// current returns the clinic and doctor application i says the person is attached to.
func (s *store) current(i int32) doctorKey {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		c := &s.whole[r.clinic].Citizen
		return doctorKey{c.CurrentClinicID, c.CurrentDoctorID}
	}
	return s.places.vals[r.current]
}

// submitted returns application i's submission instant, in Unix seconds and nanoseconds.
func (s *store) submitted(i int32) (sec int64, nsec int32) {
	r := s.rec(i)
	if r.flags&flagWhole != 0 {
		t := s.whole[r.clinic].SubmittedAt
		return t.Unix(), int32(t.Nanosecond())
	}
	return r.sec, r.nsec
}

// complete is an application with every field given, in the JSON form: leaving keys
// out of it makes an application that omits exactly those fields.
var complete = func() map[string]any {
	app := attach.Application{
		ID: "F", SubmittedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Channel: "c", Signed: true, Reason: "r", WaivesHomeVisits: true,
		Citizen: attach.Citizen{IIN: "i", BirthDate: 20000101, Residency: "r", Insured: true, AddressCode: "a", ActualAddressCode: "a",
			Pregnant: true, ContractUntil: 20000101, CurrentClinicID: "c", CurrentDoctorID: "d", AttachedSince: 20000101},
		Clinic: attach.Clinic{ID: "c", AddressCode: "a", FundProvider: true, ServiceArea: []string{"a"}},
		Doctor: attach.Doctor{ID: "d", Specialty: "s", Attached: 1},
	}
	b, err := json.Marshal(&app)
	if err != nil {
		panic(err) // cannot happen: an Application always encodes
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err) // cannot happen: json.Marshal wrote it
	}
	return m
}()

// attachedPath is the path of doctor.attached, which a run with live counts gives.
const attachedPath = "doctor.attached"

// makeForm returns the form of the applications that omit the fields of omitted, or a
// form whose given.ID is "" when no application made by decoding omits exactly them.
func makeForm(omitted []string) form {
	given, ok := omitting(omitted)
	if !ok {
		return form{}
	}
	counted, ok := omitting(slices.DeleteFunc(slices.Clone(omitted), func(p string) bool { return p == attachedPath }))
	if !ok {
		return form{}
	}
	return form{given, counted}
}

// omitting decodes the complete application with the keys of omitted left out, and
// reports whether it omits exactly those fields.
func omitting(omitted []string) (attach.Application, bool) {
	m := cloneJSON(complete).(map[string]any)
	for _, p := range omitted {
		obj := m
		parts := strings.Split(p, ".")
		for _, k := range parts[:len(parts)-1] {
			obj, _ = obj[k].(map[string]any)
		}
		if obj == nil {
			return attach.Application{}, false
		}
		delete(obj, parts[len(parts)-1])
	}
	b, err := json.Marshal(m)
	if err != nil {
		return attach.Application{}, false
	}
	app, err := attach.DecodeApplication(b)
	if err != nil || !slices.Equal(app.Omitted(), omitted) {
		return attach.Application{}, false
	}
	return *app, true
}

func cloneJSON(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = cloneJSON(x)
	}
	return out
}
