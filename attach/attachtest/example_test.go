package attachtest_test

import (
	"fmt"
	"testing"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/attachtest"
	"github.com/emkhana/emkhana/rules"
)

// A test starts from the application attachtest gives, which the built-in rules
// approve, and changes what it tests: here a person living outside the clinic's area, in
// the same city, who gives up home visits, asking for a doctor at the norm of 2,000.
func ExampleApplication() {
	t := &testing.T{} // in a test, the test's own t
	e, err := attach.New(rules.Builtin())
	if err != nil {
		panic(err)
	}
	app := attachtest.Application(t)
	d, _ := e.Decide(app)
	fmt.Println(d.Outcome, d.EffectiveFrom)

	app.Citizen.AddressCode = "751130000"
	app.WaivesHomeVisits = true
	app.Doctor.Attached = 2000
	d, _ = e.Decide(app)
	fmt.Println(d.Outcome, d.Failed)
	// Output:
	// approved 2027-01-01
	// rejected [capacity]
}
