package attachtest_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/attachtest"
	"github.com/emkhana/emkhana/rules"
)

func TestApplicationIsApproved(t *testing.T) {
	e, err := attach.New(rules.Builtin())
	require.NoError(t, err)
	d, err := e.Decide(attachtest.Application(t))
	require.NoError(t, err)
	assert.Equal(t, attach.Approved, d.Outcome, "failed: %v", d.Failed)
	assert.Equal(t, "kz-2025", d.RuleSet)
}

// The application is the one its documentation describes: 5 October 2026, 10:00 in
// Almaty, and the decision says so (it takes effect that day, inside the campaign).
func TestApplicationIsAsDocumented(t *testing.T) {
	app := attachtest.Application(t)
	almaty, err := time.LoadLocation("Asia/Almaty")
	require.NoError(t, err)
	assert.Equal(t, "2026-10-05 10:00", app.SubmittedAt.In(almaty).Format("2006-01-02 15:04"))
	born, err := attach.IINBirthDate(app.Citizen.IIN)
	require.NoError(t, err)
	assert.Equal(t, rules.Date(19960510), born)
}

func TestApplicationsAreIndependent(t *testing.T) {
	a, b := attachtest.Application(t), attachtest.Application(t)
	a.Clinic.ServiceArea[0] = "99999"
	a.Doctor.Attached = 7
	assert.Equal(t, attachtest.Clinic(), b.Clinic, "changing one application changed another")
	assert.Equal(t, attachtest.Doctor(), b.Doctor)
}

func TestIIN(t *testing.T) {
	for _, birth := range []rules.Date{18000101, 19000228, 19960510, 20000229, 20991231} {
		for _, female := range []bool{false, true} {
			s := attachtest.IIN(t, birth, female, 9999)
			require.NoError(t, attach.CheckIIN(s), "IIN(%s, %v)", birth, female)
			got, err := attach.IINBirthDate(s)
			require.NoError(t, err)
			assert.Equal(t, birth, got)
			assert.Equal(t, female, (s[6]-'0')%2 == 0, "IIN(%s, female=%v) = %s: digit 7 gives the sex", birth, female, s)
		}
	}
}

// fatalTB records a fatal failure and stops its goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestIINFailsTheTestOutOfRange(t *testing.T) {
	for _, c := range []struct {
		birth  rules.Date
		serial int
		want   string
	}{
		{17991231, 0, "birth date 1799-12-31 is not a day of the years 1800-2099"},
		{21000101, 0, "birth date 2100-01-01"},
		{20230229, 0, "birth date"},
		{20000101, -1, "serial -1 is not in 0-9999"},
		{20000101, 10000, "serial 10000"},
	} {
		f := &fatalTB{TB: t}
		done := make(chan string)
		go func() {
			defer func() { done <- f.msg }()
			attachtest.IIN(f, c.birth, false, c.serial)
		}()
		assert.Contains(t, <-done, c.want, "IIN(%s, %d)", c.birth, c.serial)
	}
}
