package rules

import (
	"embed"
	"sync"
)

//go:embed builtin/*.json
var builtinFS embed.FS

// BuiltinFiles are the names, in builtinFS, of the built-in sets, oldest first.
var builtinFiles = []string{"builtin/kz-2018.json", "builtin/kz-2023.json", "builtin/kz-2025.json"}

var builtin = sync.OnceValues(func() (History, error) {
	docs := make([]Document, len(builtinFiles))
	parsed := make([]*jsonSet, len(builtinFiles))
	byDoc := make([]Errors, len(builtinFiles))
	for i, name := range builtinFiles {
		b, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		docs[i] = Document{Name: name, Data: b}
		parsed[i], byDoc[i] = decodeSet(docs[i])
	}
	h := resolve(docs, parsed, nil, byDoc) // built-in sets extend built-in sets only
	var errs Errors
	for _, es := range byDoc {
		errs = append(errs, es...)
	}
	if len(errs) == 0 {
		errs = h.check(nil)
	}
	return h, errs.errOrNil()
})

// builtinBases returns the built-in sets by id: the sets a document may extend besides
// those of its history. It is empty if the built-in sets do not parse (a test catches it).
func builtinBases() map[string]Set {
	h, err := builtin()
	bases := map[string]Set{}
	if err == nil {
		for _, s := range h {
			bases[s.ID] = s
		}
	}
	return bases
}

// Builtin returns the built-in history: kz-2018 (in force from 2018-01-01), kz-2023 (from
// 2023-01-01) and kz-2025 (from 2025-05-12, extending kz-2023), each rule citing its
// source. The result is a fresh copy: its sets' parameters, facts, rules and codes may be
// changed ([Set.WithParam], or in place) without affecting other callers.
func Builtin() History {
	h, err := builtin()
	if err != nil {
		panic("rules: built-in rule sets do not parse: " + err.Error()) // caught by the package's tests
	}
	out := make(History, len(h))
	for i := range h {
		out[i] = h[i].clone()
	}
	return out
}

// BuiltinJSON returns the JSON document of the built-in set with that id, the form to
// copy when writing a new set.
func BuiltinJSON(id string) ([]byte, bool) {
	b, err := builtinFS.ReadFile("builtin/" + id + ".json")
	return b, err == nil
}
