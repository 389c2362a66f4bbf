// Package emkhana decides whether a person may attach to a primary health care (PHC)
// clinic in Kazakhstan ("прикрепление к поликлинике", "емханаға тіркелу"), and explains why.
//
// The library does no I/O. It has three packages:
//
//   - [github.com/emkhana/emkhana/attach]: the vocabulary (Application, Citizen, Clinic,
//     Doctor, Decision) and the Engine that decides one application with a full trace,
//     explains it and proposes remedies.
//   - [github.com/emkhana/emkhana/attach/campaign]: batches decided together, as the Fund
//     runs a campaign (counts that move as applications are approved, one place per
//     person), and the impact of a change of the rules on a batch.
//   - [github.com/emkhana/emkhana/rules]: the law as data. A rule set is a JSON document of
//     typed parameters, named facts and rules written as expr-lang expressions, each rule
//     citing its source; one set per period of the law, a set may extend another. The
//     built-in history holds kz-2018, kz-2023 and kz-2025, the law in force since May 2025.
//
// Start with one call:
//
//	engine, err := attach.New(rules.Builtin()) // compile once
//	if err != nil {
//		return err // rules.Errors: every broken rule, with its id, line and column
//	}
//	d, err := engine.Decide(&attach.Application{ /* ... */ })
//	switch {
//	case err != nil:
//		// *attach.InvalidApplicationError names every bad field
//	case d.Approved():
//		fmt.Println("attached from", d.EffectiveFrom)
//	default:
//		fmt.Println("refused by", d.Failed) // rule ids, in the set's order; d.Trace() says why
//	}
//
// An Engine never changes after attach.New returns: one Engine may decide from any number
// of goroutines at once.
//
// Dates are civil dates in Kazakhstan (Asia/Almaty, embedded with time/tzdata): the
// instant an application was submitted is converted to its local day, so an application at
// 23:30 local time on the last day of the campaign is inside it, whatever offset its
// timestamp was written with.
//
// The rules, their sources and the points where the sources disagree are described in the
// README and in each built-in rule set (rules/builtin/*.json); rules/doc.go lists every
// name a rule expression may use. The command examples/attachcheck decides applications
// read as JSON Lines.
package emkhana
