package play

import (
	"bytes"
	_ "embed"

	"github.com/emkhana/emkhana/rules"
)

// examples are a few lines of testdata/applications.jsonl, the applications the page
// offers ready (a test holds them to that file).
//
//go:embed examples.jsonl
var examples []byte

// Examples returns the ready applications, one JSON object each.
func Examples() []string {
	var out []string
	for _, l := range bytes.Split(bytes.TrimSpace(examples), []byte("\n")) {
		out = append(out, string(l))
	}
	return out
}

// NewestSet returns the document of the newest built-in set, the last of
// rules.Builtin(): the set the page's editor starts with.
func NewestSet() (id string, doc []byte) {
	h := rules.Builtin()
	id = h[len(h)-1].ID
	doc, _ = rules.BuiltinJSON(id) // every built-in set has its document
	return id, doc
}
