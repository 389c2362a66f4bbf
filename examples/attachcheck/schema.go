package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/emkhana/emkhana/rules/schema"
)

// -schema NAME prints a JSON Schema (draft 2020-12) of the package schema: "rules", of
// rule-set documents, or "application", of the applications plain mode reads. An
// editor pointed at it checks a document as it is typed and completes its keys.

// printSchema writes the schema of that name, checked by checkSchema, and returns the
// exit status: 0, or 3 when it could not be written.
func printSchema(name string, stdout, stderr io.Writer) int {
	b, _ := schema.Named(name)
	out := newOutput(stdout)
	return out.finish(stderr, out.text(string(bytes.TrimRight(b, "\n"))))
}

// checkSchema reports the first problem of a command line with -schema: a name that
// is not a schema's, another flag, a FILE.
func checkSchema(cfg *config, given map[string]bool) error {
	if !slices.Contains(schema.Names(), cfg.schema) {
		return fmt.Errorf("-schema %q: want %s", cfg.schema, strings.Join(schema.Names(), " or "))
	}
	var others []string
	for name := range given {
		if name != "schema" {
			others = append(others, "-"+name)
		}
	}
	sort.Strings(others)
	if len(others) > 0 {
		return fmt.Errorf("-schema cannot be used with %s", strings.Join(others, " or "))
	}
	if len(cfg.files) > 0 {
		return fmt.Errorf("-schema takes no FILE (got %s)", cfg.files[0])
	}
	return nil
}
