package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is an expected output line: a decision of id, or an error line at file:line
// whose error contains err.
type want struct {
	id   string
	file string // "" for standard input, else the name given to writeFile
	line int    // 0 for a decision
	err  string
}

func decided(id string) want { return want{id: id} }

func failed(file string, line int, id, err string) want {
	return want{id: id, file: file, line: line, err: err}
}

// checkLines asserts that out holds the lines of ws, in order; files maps the names of
// ws to the paths given to the command.
func checkLines(t *testing.T, ws []want, files map[string]string, r result, what string) {
	t.Helper()
	require.Len(t, r.out, len(ws), "%s: one output line per input line:\n%.3000s", what, r.stdout)
	for i, w := range ws {
		o := r.out[i]
		assert.Equal(t, w.id, o["id"], "%s: output line %d id", what, i+1)
		if w.err == "" {
			assert.Contains(t, o, "outcome", "%s: output line %d is a decision", what, i+1)
			continue
		}
		assert.Contains(t, o["error"], w.err, "%s: output line %d error", what, i+1)
		assert.Equal(t, float64(w.line), o["line"], "%s: output line %d: the input line's number", what, i+1)
		if w.file == "" {
			assert.NotContains(t, o, "file", "%s: output line %d: no file for standard input", what, i+1)
		} else {
			assert.Equal(t, files[w.file], o["file"], "%s: output line %d file", what, i+1)
		}
	}
}

const tooLong = "line is longer than 1048576 bytes (-max-line)"

// TestLines pins how every mode reads its input: one output line per input line, in
// order, a long or empty line included, numbered in its own FILE.
func TestLines(t *testing.T) {
	long := `{"id":"L",` + strings.Repeat(" ", 1<<20) + `"x":1}`
	// padded is approvedLine with spaces between two tokens: 1 MiB and more, and valid.
	padded := strings.Replace(approvedLine, `"id":"A1",`, `"id":"A1",`+strings.Repeat(" ", 1<<20), 1)
	tests := []struct {
		name, reason string
		stdin        string
		files        [][2]string // name, content
		args         []string
		code         int
		want         []want
	}{
		{name: "long line", reason: "a long line is an error line and the lines after it are read",
			stdin: approvedLine + "\n" + long + "\n" + rejectedLine + "\n" + invalidLine + "\n", code: 1,
			want: []want{decided("A1"), failed("", 2, "", tooLong), decided("A2"), failed("", 4, "A3", "citizen.iin")}},
		{name: "long last line", reason: "a long line without a final newline is one line too",
			stdin: approvedLine + "\n" + long, code: 1,
			want: []want{decided("A1"), failed("", 2, "", tooLong)}},
		{name: "long lines in two files", reason: "each FILE is numbered from 1, whatever the FILE before held",
			files: [][2]string{{"a.jsonl", approvedLine + "\n" + long + "\n" + long + "\n" + rejectedLine + "\n"}, {"b.jsonl", invalidLine + "\n" + approvedLine}},
			code:  1,
			want: []want{decided("A1"), failed("a.jsonl", 2, "", tooLong), failed("a.jsonl", 3, "", tooLong), decided("A2"),
				failed("b.jsonl", 1, "A3", "citizen.iin"), decided("A1")}},
		{name: "one file", reason: "a named FILE is named on its error lines",
			files: [][2]string{{"a.jsonl", invalidLine + "\n"}}, code: 1,
			want: []want{failed("a.jsonl", 1, "A3", "citizen.iin")}},
		{name: "max-line raised", reason: "-max-line lets a longer line be decided",
			stdin: padded + "\n" + padded + "\n" + strings.Repeat(" ", 2000001) + "\n", args: []string{"-max-line", "2000000"}, code: 1,
			want: []want{decided("A1"), decided("A1"), failed("", 3, "", "line is longer than 2000000 bytes (-max-line)")}},
		{name: "max-line exactly", reason: "a line of exactly -max-line bytes is read, its \\r\\n not counted",
			stdin: approvedLine + "\r\n" + approvedLine + "x\n", args: []string{"-max-line", strconv.Itoa(len(approvedLine))}, code: 1,
			want: []want{decided("A1"), failed("", 2, "", "line is longer than "+strconv.Itoa(len(approvedLine))+" bytes")}},
		{name: "empty lines", reason: "an empty line, or one of spaces and tabs, gets an error line",
			stdin: "\n" + approvedLine + "\n\n \t\r\n" + rejectedLine, code: 1,
			want: []want{failed("", 1, "", "empty line"), decided("A1"), failed("", 3, "", "empty line"), failed("", 4, "", "empty line"), decided("A2")}},
		{name: "final newline", reason: "the newline that ends the input starts no line", stdin: approvedLine + "\n",
			want: []want{decided("A1")}},
		{name: "no input", reason: "an empty input has no line", stdin: ""},
		{name: "options", reason: "-options reads lines as plain mode does",
			stdin: query + "\n" + long + "\n\n" + query, args: []string{"-options"}, code: 1,
			want: []want{{id: "Q1", err: ""}, failed("", 2, "", tooLong), failed("", 3, "", "empty line"), {id: "Q1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string(nil), tt.args...)
			files := map[string]string{}
			for _, f := range tt.files {
				files[f[0]] = writeFile(t, f[0], f[1])
				args = append(args, files[f[0]])
			}
			r := command(t, tt.stdin, args...)
			require.Equal(t, tt.code, r.code, "%s: exit status (%s); stderr: %s", tt.name, tt.reason, r.stderr)
			if len(tt.args) > 0 && tt.args[0] == "-options" {
				for i := range r.out { // an answer has options, not an outcome
					if _, ok := r.out[i]["options"]; ok {
						r.out[i]["outcome"] = "options"
					}
				}
			}
			checkLines(t, tt.want, files, r, tt.name+" ("+tt.reason+")")
		})
	}
}

// TestLinesCampaign pins that -campaign reads every line: a long line is an error line
// in its place, the lines after it are decided, and the summary counts it.
func TestLinesCampaign(t *testing.T) {
	in := campaignInput(t, 20)
	nl := strings.Count(in, "\n")
	counts := strings.Count(in, `{"count"`)
	long := strings.Repeat("x", 1<<20+1)
	r := command(t, long+"\n"+in+"\n"+long+"\n", "-campaign")
	require.Equal(t, 1, r.code, r.stderr)
	require.Len(t, r.out, 2+nl-counts+2, "every input line but a count gets a line, then the summary")
	assert.Equal(t, tooLong, r.out[0]["error"])
	assert.Equal(t, float64(1), r.out[0]["line"])
	last := r.out[len(r.out)-2]
	assert.Equal(t, tooLong, last["error"])
	assert.Equal(t, float64(nl+3), last["line"], "the line after the empty one")
	assert.Equal(t, "empty line", r.out[len(r.out)-3]["error"])
	summary := r.out[len(r.out)-1]["summary"].(map[string]any)
	assert.Equal(t, float64(3), summary["invalid"], "the summary counts the long and the empty lines")
	assert.Equal(t, float64(nl-counts+3), summary["applications"])
	assert.Equal(t, float64(counts), summary["counts"])
}

// TestReadLinesSkipsTheRest pins readLines on a reader that gives a long line in small
// pieces: the rest of the line is skipped without being kept, and the next line is read.
func TestReadLinesSkipsTheRest(t *testing.T) {
	in := "ab\n" + strings.Repeat("y", 200000) + "\ncd\r\n\n"
	var got []string
	err := readLines(bytes.NewBufferString(in), "f", 3, func(l *inputLine) error {
		got = append(got, strconv.Itoa(l.n)+":"+string(l.data)+":"+l.problem)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"1:ab:", "2::line is longer than 3 bytes (-max-line)", "3:cd:", "4::empty line"}, got)
}
