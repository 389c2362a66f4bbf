package campaign

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// fill sets every exported field that v reaches to a value drawn from rng: strings of
// the pool, lists of one to three of them, numbers and dates, booleans, times. A field
// added to attach.Application later is filled too, so that a batch that forgets to keep
// it fails TestStoreRoundTrip.
func fill(rng *rand.Rand, v reflect.Value, pool []string) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zone := time.FixedZone(fmt.Sprintf("Z%d", rng.IntN(3)), (rng.IntN(27)-12)*3600)
			v.Set(reflect.ValueOf(time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).In(zone)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(rng, v.Field(i), pool)
			}
		}
	case reflect.String:
		v.SetString(pool[rng.IntN(len(pool))])
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Int:
		v.SetInt(rng.Int64N(1e8) - 1e4)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1+rng.IntN(3), 3)
		for i := range s.Len() {
			fill(rng, s.Index(i), pool)
		}
		v.Set(s)
	default:
		panic("fill: a field of kind " + v.Kind().String())
	}
}

// restored adds the applications to a store and returns them as restore gives them back.
func restored(t *testing.T, apps []attach.Application, counted bool) ([]attach.Application, *store) {
	t.Helper()
	var s store
	for i := range apps {
		s.add(&apps[i])
	}
	s.seal()
	out := make([]attach.Application, len(apps))
	held := -1 // restored into one application, then copied out: forms change and come back
	var app attach.Application
	for i := range out {
		s.restore(int32(i), &app, counted, &held)
		out[i] = app
	}
	return out, &s
}

// sameApplication fails the test when two applications differ in an exported field or
// in what they omit; times must be the same instant written the same way.
func sameApplication(t *testing.T, want, got *attach.Application, what string) {
	t.Helper()
	require.True(t, want.SubmittedAt.Equal(got.SubmittedAt), "%s: submitted_at %v, want %v", what, got.SubmittedAt, want.SubmittedAt)
	require.Equal(t, want.SubmittedAt.Format(time.RFC3339Nano+" MST"), got.SubmittedAt.Format(time.RFC3339Nano+" MST"), what)
	w, g := *want, *got
	w.SubmittedAt, g.SubmittedAt = time.Time{}, time.Time{}
	require.Equal(t, w.Omitted(), g.Omitted(), "%s: omitted", what)
	wj, err := json.Marshal(&w)
	require.NoError(t, err)
	gj, err := json.Marshal(&g)
	require.NoError(t, err)
	require.JSONEq(t, string(wj), string(gj), what)
	require.True(t, reflect.DeepEqual(w.Clinic.ServiceArea == nil, g.Clinic.ServiceArea == nil), "%s: a nil service area stays nil", what)
}

// TestStoreRoundTrip holds restore to the applications added, every exported field
// filled at random (with few distinct values, so that clinics, doctors and codes are
// shared), and to deciding them alike.
func TestStoreRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	pool := make([]string, 60) // strings of 0 to 200 bytes, "" among them
	for i := range pool {
		pool[i] = strings.Repeat(string(rune('a'+i%26)), rng.IntN(200)) + fmt.Sprint(i)
	}
	pool[0] = ""
	apps := make([]attach.Application, 3000)
	for i := range apps {
		fill(rng, reflect.ValueOf(&apps[i]).Elem(), pool)
		if i%7 == 0 {
			apps[i].Clinic.ServiceArea = nil
		}
	}
	got, s := restored(t, apps, false)
	for i := range apps {
		sameApplication(t, &apps[i], &got[i], fmt.Sprintf("application %d", i))
	}
	assert.Empty(t, s.whole, "every application packed")
}

// TestStoreOmitted holds restore to what a decoded application omits: as given, and
// counted (doctor.attached given); and the engine decides a restored application as it
// decides the decoded one.
func TestStoreOmitted(t *testing.T) {
	const line = `{"id":"J1","submitted_at":"2026-10-05T10:00:00+05:00","channel":"egov","signed":true,"reason":"","waives_home_visits":false,` +
		`"citizen":{"iin":"791028302728","residency":"citizen","address_code":"751110000","current_clinic_id":"C9","current_doctor_id":"D9","attached_since":"2024-01-01"},` +
		`"clinic":{"id":"C1","fund_provider":true,"service_area":["75111"]},"doctor":{"id":"D1","specialty":"therapist","attached":1500}}`
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	var apps []attach.Application
	for _, cut := range [][]string{nil, {`"signed":true,`}, {`,"attached":1500`}, {`"signed":true,`, `,"attached":1500`}, {`"fund_provider":true,`}, {`,"service_area":["75111"]`}, {`"reason":"",`}} {
		l := line
		for _, c := range cut {
			require.Contains(t, l, c)
			l = strings.Replace(l, c, "", 1)
		}
		app, err := attach.DecodeApplication([]byte(l))
		require.NoError(t, err, l)
		apps = append(apps, *app)
	}
	given, _ := restored(t, apps, false)
	counted, s := restored(t, apps, true)
	assert.Empty(t, s.whole, "every list of omitted fields has its form")
	for i := range apps {
		what := fmt.Sprintf("application %d omitting %v", i, apps[i].Omitted())
		sameApplication(t, &apps[i], &given[i], what)
		want, werr := e.Decide(&apps[i])
		got, gerr := e.Decide(&given[i])
		assert.Equal(t, fmt.Sprint(werr), fmt.Sprint(gerr), what)
		assert.Equal(t, want.Failed, got.Failed, what)
		assert.NotContains(t, counted[i].Omitted(), attachedPath, what)
		assert.Equal(t, len(apps[i].Omitted())-len(counted[i].Omitted()), len(apps[i].Omitted())-len(given[i].Omitted())+boolInt(apps[i].Doctor.Attached == 0 && contains(apps[i].Omitted(), attachedPath)), what)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestStoreWhole pins what is kept whole: an application with a 257th code, or a count
// or date out of 32 bits; it comes back as given.
func TestStoreWhole(t *testing.T) {
	var apps []attach.Application
	for i := range 300 {
		apps = append(apps, attach.Application{ID: fmt.Sprint("A", i), Channel: attach.Channel(fmt.Sprint("ch", i))})
	}
	apps = append(apps, attach.Application{ID: "big", Doctor: attach.Doctor{Attached: math.MaxInt32 + 1}}, attach.Application{ID: "date", Citizen: attach.Citizen{BirthDate: math.MinInt32 - 1}})
	got, s := restored(t, apps, false)
	for i := range apps {
		sameApplication(t, &apps[i], &got[i], apps[i].ID)
	}
	assert.Len(t, s.whole, 300-255+2, `the channels past the 256th code ("" is the first), and the two out of 32 bits`)
}

// TestIDsSealed pins that ids stay readable across runs that seal a part-full chunk, and
// that a view made before more ids are added does not see them.
func TestIDsSealed(t *testing.T) {
	var s ids
	var want []string
	var views []idList
	for i := range 3*idsPerChunk + 100 {
		id := fmt.Sprint("A", i)
		s.add(id)
		want = append(want, id)
		if i%50000 == 17 {
			views = append(views, s.view())
		}
	}
	all := s.view()
	require.Equal(t, len(want), all.n)
	for i, id := range want {
		require.Equal(t, id, all.at(i), "id %d", i)
	}
	for _, v := range views {
		for i := 0; i < v.n; i += 997 {
			require.Equal(t, want[i], v.at(i))
		}
		assert.Empty(t, v.at(v.n), "an id added after the view")
	}
	assert.Empty(t, all.at(-1))
}
