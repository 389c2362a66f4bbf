// Package schema holds the JSON Schemas (draft 2020-12) of the documents people write
// for emkhana, for editors and validators:
//
//   - rules.schema.json: a rule-set document (rules.ParseHistory), whole or extending
//     another set;
//   - application.schema.json: an application, one line of the checker's input
//     (attach.DecodeApplication).
//
// A document the schema refuses is refused by emkhana too; the converse does not hold:
// a schema checks the form (keys, types, names, dates, digits), not what only
// compiling or deciding finds (an expression that does not type-check, a code no set
// declares, an IIN whose check digit is wrong). Tests hold the schemas to the Go types
// they describe and to every set and application of the repository.
//
// A rule-set file points an editor at its schema with "$schema", a path relative to the
// file: "../schema/rules.schema.json" from rules/builtin. `attachcheck -schema rules`
// prints it.
package schema

import (
	"bytes"
	_ "embed"
)

//go:embed rules.schema.json
var rulesSchema []byte

//go:embed application.schema.json
var applicationSchema []byte

// Names returns the names of the schemas, as Named takes them, in a new slice.
func Names() []string { return []string{"rules", "application"} }

// Named returns the schema of that name, "rules" (rule-set documents) or "application"
// (applications), in a new slice.
func Named(name string) ([]byte, bool) {
	switch name {
	case "rules":
		return bytes.Clone(rulesSchema), true
	case "application":
		return bytes.Clone(applicationSchema), true
	}
	return nil, false
}
