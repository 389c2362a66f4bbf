package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExitStatus pins the one exit contract of every mode: 0 all decided, 1 some line
// invalid, 2 a usage error with nothing written.
func TestExitStatus(t *testing.T) {
	set := "../../rules/builtin/kz-2025.json"
	queries := writeFile(t, "queries.jsonl", query+"\n")
	dir := t.TempDir()
	tests := []struct {
		name, reason string
		args         []string
		code         int
		stderr       string // a part of the message on stderr, for a usage error
	}{
		{name: "decided", reason: "every line decided", args: []string{"../../testdata/applications.jsonl"}, code: 0},
		{name: "explain", reason: "every line decided, with traces", args: []string{"-explain", "../../testdata/applications.jsonl"}, code: 0},
		{name: "invalid", reason: "some lines invalid, the others decided", args: []string{"../../testdata/mixed.jsonl"}, code: 1},
		{name: "campaign invalid", reason: "the same contract in -campaign", args: []string{"-campaign", "../../testdata/mixed.jsonl"}, code: 1},
		{name: "compare invalid", reason: "the same contract in -compare", args: []string{"-compare", set, "../../testdata/mixed.jsonl"}, code: 1},
		{name: "compare as a campaign", reason: "-compare and -campaign go together", args: []string{"-compare", set, "-campaign", "../../testdata/applications.jsonl"}, code: 0},
		{name: "options", reason: "every query answered", args: []string{"-options", queries}, code: 0},
		{name: "keep repeats", reason: "-keep-repeats goes with -campaign", args: []string{"-keep-repeats", "-campaign", "../../testdata/campaign.jsonl"}, code: 0},
		{name: "keep repeats compare", reason: "and with -compare", args: []string{"-keep-repeats", "-compare", set, "../../testdata/campaign.jsonl"}, code: 0},

		{name: "unknown flag", reason: "a flag the command does not have", args: []string{"-nope"}, code: 2, stderr: "flag provided but not defined: -nope"},
		{name: "compare and options", reason: "-options was silently ignored", args: []string{"-compare", set, "-options"}, code: 2, stderr: "-options cannot be used with -compare"},
		{name: "options and campaign", reason: "-campaign was silently ignored", args: []string{"-options", "-campaign"}, code: 2, stderr: "-options cannot be used with -campaign"},
		{name: "explain and campaign", reason: "-explain was silently ignored", args: []string{"-explain", "-campaign"}, code: 2, stderr: "-explain cannot be used with -campaign"},
		{name: "explain and options", reason: "-explain was silently ignored", args: []string{"-options", "-explain"}, code: 2, stderr: "-explain cannot be used with -options"},
		{name: "explain and compare", reason: "-explain was silently ignored", args: []string{"-explain", "-compare", set}, code: 2, stderr: "-explain cannot be used with -compare"},
		{name: "lang and campaign", reason: "-lang was silently ignored", args: []string{"-lang", "ru", "-campaign"}, code: 2, stderr: "-lang cannot be used with -campaign"},
		{name: "keep repeats alone", reason: "-keep-repeats counts the places of a batch: plain mode has none", args: []string{"-keep-repeats"}, code: 2, stderr: "-keep-repeats needs -campaign or -compare"},
		{name: "keep repeats and options", reason: "-options decides no batch", args: []string{"-keep-repeats", "-options"}, code: 2, stderr: "-keep-repeats needs -campaign or -compare"},
		{name: "keep repeats and test", reason: "-test decides scenarios one by one", args: []string{"-keep-repeats", "-test", "../../testdata/scenarios"}, code: 2, stderr: "-test cannot be used with -keep-repeats"},
		{name: "empty compare", reason: "-compare needs a set", args: []string{"-compare", ""}, code: 2, stderr: "-compare needs a rule set FILE"},
		{name: "unknown lang", reason: "-lang fr gave Kazakh", args: []string{"-lang", "fr"}, code: 2, stderr: `-lang "fr": want kk, ru or en`},
		{name: "empty lang", reason: "no language is no match", args: []string{"-lang", ""}, code: 2, stderr: `-lang "": want kk, ru or en`},
		{name: "lang wildcard", reason: "* names no language of the messages", args: []string{"-lang", "*"}, code: 2, stderr: `-lang "*"`},
		{name: "max-line zero", reason: "no line fits in 0 bytes", args: []string{"-max-line", "0"}, code: 2, stderr: "-max-line 0: want 1 to 1073741824 bytes"},
		{name: "max-line huge", reason: "past 1 GiB", args: []string{"-max-line", "1073741825"}, code: 2, stderr: "-max-line 1073741825"},
		{name: "missing file", reason: "an unreadable FILE", args: []string{"../../testdata/applications.jsonl", dir + "/missing.jsonl"}, code: 2, stderr: "missing.jsonl: no such file or directory"},
		{name: "directory", reason: "a directory is no FILE of lines", args: []string{dir}, code: 2, stderr: "is a directory"},
		{name: "missing rules", reason: "an unreadable -rules FILE", args: []string{"-rules", dir + "/missing.json"}, code: 2, stderr: "missing.json"},
		{name: "broken compare set", reason: "a set that does not parse", args: []string{"-compare", "main_test.go"}, code: 2, stderr: "-compare main_test.go:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := command(t, "", tt.args...)
			require.Equal(t, tt.code, r.code, "attachcheck %q (%s); stderr: %s", tt.args, tt.reason, r.stderr)
			if tt.code == 2 {
				assert.Empty(t, r.stdout, "attachcheck %q: a usage error writes nothing (%s)", tt.args, tt.reason)
				assert.Contains(t, r.stderr, tt.stderr, "attachcheck %q: stderr names the problem (%s)", tt.args, tt.reason)
			} else {
				assert.NotEmpty(t, r.stdout)
			}
		})
	}
}

// TestLang pins the -lang values accepted: kk, ru, en, and the Accept-Language values
// and tags that match one of them, as rules.MatchLanguage matches them.
func TestLang(t *testing.T) {
	for _, lang := range []string{"kk", "ru", "en", "ru-KZ", "kk-Cyrl-KZ", "EN", "en-GB", "de-DE, en-GB;q=0.8, ru;q=0.5"} {
		r := command(t, approvedLine, "-lang", lang)
		assert.Equal(t, 0, r.code, "attachcheck -lang %q: %s", lang, r.stderr)
	}
	r := command(t, "", "-h")
	assert.Equal(t, 0, r.code, "-h asks for the usage: no error")
	assert.Contains(t, r.stderr, "usage: attachcheck")
}
