package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/examples/campaigngen"
)

// TestAppendDecisionIsEncodingJSON holds the hand-written encoding of plain mode to
// encoding/json's: the same bytes for the decisions of generated applications and of the
// project's files, in every language, with and without -explain, and for their error lines.
func TestAppendDecisionIsEncodingJSON(t *testing.T) {
	var lines [][]byte
	g := campaigngen.Generate(campaigngen.Config{Seed: 5, Doctors: 40, Applications: 600})
	for i := range g.Applications {
		b, err := json.Marshal(&g.Applications[i])
		require.NoError(t, err)
		lines = append(lines, b)
	}
	for _, name := range []string{"../../testdata/applications.jsonl", "../../testdata/mixed.jsonl"} {
		f, err := os.Open(name)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, bytes.Clone(sc.Bytes()))
		}
		f.Close()
	}
	eng, err := builtinEngine()
	require.NoError(t, err)
	decided, failed := 0, 0
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, explain := range []bool{false, true} {
			d := newDecider(eng, &config{lang: lang, explain: explain})
			for i, line := range lines {
				o, err := d.decide(line)
				if err != nil {
					e := errorLine{File: "a<&>.jsonl", Line: i + 1, ID: o.ID, Error: errorText(err)}
					want, merr := json.Marshal(&e)
					require.NoError(t, merr)
					assert.Equal(t, string(want), string(appendErrorLine(nil, &e)), "the error line of %s", line)
					failed++
					continue
				}
				want, err := json.Marshal(o)
				require.NoError(t, err)
				require.Equal(t, string(want), string(appendDecision(nil, o)), "-lang %s -explain=%v: the decision of %s", lang, explain, line)
				decided++
			}
		}
	}
	assert.Greater(t, decided, 3000, "decisions compared")
	assert.Greater(t, failed, 10, "error lines compared")
}

// TestAppendString holds appendString to encoding/json on the strings that are escaped.
func TestAppendString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `"quoted" \ back`, "<a href='x'>&amp;</a>", "\x00\x01\x1f\x7f", "\b\f\n\r\t",
		"Қазақ тілі", "line\u2028sep\u2029par", "bad \xff utf-8 \xe2\x80", "\xed\xa0\x80 surrogate", "😀 emoji", "\u2027\u202a",
	} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendString(nil, s)), "appendString(%q)", s)
	}
}

// FuzzAppendString holds appendString to encoding/json on any string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", "Қ\u2028\xff", strings.Repeat("ж", 40) + "\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		got := appendString(nil, s)
		require.Equal(t, string(want), string(got), "appendString(%q)", s)
		require.True(t, utf8.Valid(got), "appendString(%q) is not UTF-8", s)
	})
}
