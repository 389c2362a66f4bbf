package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emkhana/emkhana/rules/schema"
)

func TestPrintSchema(t *testing.T) {
	for _, name := range schema.Names() {
		code, out, stderr := runIn(t, "-schema", name)
		assert.Equal(t, exitDecided, code, stderr)
		want, _ := schema.Named(name)
		assert.Equal(t, string(want), out, "-schema %s prints the embedded schema", name)
	}
	for _, tt := range []struct {
		name, reason string
		args         []string
		stderr       string
	}{
		{"unknown", "a schema that does not exist", []string{"-schema", "scenario"}, `-schema "scenario": want rules or application`},
		{"with a flag", "-schema is a mode of its own", []string{"-schema", "rules", "-test"}, "-schema cannot be used with -test"},
		{"with a FILE", "-schema reads nothing", []string{"-schema", "rules", "x.json"}, "-schema takes no FILE"},
	} {
		code, out, stderr := runIn(t, tt.args...)
		assert.Equal(t, exitUsage, code, "attachcheck %v (%s)", tt.args, tt.reason)
		assert.Empty(t, out)
		assert.Contains(t, stderr, tt.stderr, tt.name)
	}
}
