// Package attach decides whether a person may attach to a primary health care clinic and
// district doctor in Kazakhstan, and explains the decision.
//
// New compiles a rule history ([rules.Builtin]() or sets of one's own) into an [Engine];
// [Engine.Decide] takes an [Application] and returns a [Decision]: approved or rejected, the day
// the attachment takes effect, the rule set that decided, every failed rule id in the
// set's order, and a trace of every rule with the facts it read. DecideInto does the same
// into a caller's Decision, reusing its storage, for callers deciding many applications.
//
// An invalid application is not decided: Decide returns an *[InvalidApplicationError] that
// names every bad field with its value. IINs are checked by length, digits and check
// digit; the birth date an IIN encodes is read only when no birth date is given.
//
// The civil date of an application is its submission instant in the rule history's zone
// (Asia/Almaty by default, embedded), so the offset a timestamp was written with does not
// matter, only the instant.
//
// An Engine never changes after New returns: it is safe for concurrent use by any number
// of goroutines.
package attach
