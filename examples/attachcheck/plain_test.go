package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/examples/campaigngen"
)

// oneByOne is plain mode's output as a loop that decides the lines one after the other
// writes it: what runPlain, with its workers and chunks, must write byte for byte.
func oneByOne(t *testing.T, cfg *config, in string) (string, int) {
	t.Helper()
	eng, err := builtinEngine()
	require.NoError(t, err)
	d := newDecider(eng, cfg)
	var out []byte
	invalid := 0
	err = readLines(strings.NewReader(in), "", cfg.maxLine, func(l *inputLine) error {
		if l.problem != "" {
			out = appendErrorLine(out, &errorLine{Line: l.n, Error: l.problem})
			invalid++
		} else if o, err := d.decide(l.data); err != nil {
			out = appendErrorLine(out, &errorLine{Line: l.n, ID: o.ID, Error: errorText(err)})
			invalid++
		} else {
			out = appendDecision(out, o)
		}
		out = append(out, '\n')
		return nil
	})
	require.NoError(t, err)
	return string(out), map[bool]int{false: exitDecided, true: exitInvalid}[invalid > 0]
}

// hostile are lines that no decoder should trip on: each must get its error line.
var hostile = []string{
	"{", "}", "[]", "null", "0", `""`, "\uFEFF" + approvedLine, "\xff\xfe", `{"id":"\ud800"}`,
	`{"id":"X","id":"Y"}`, `{"citizen":{"citizen":{}}}`, strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	`{"id":"N","doctor":{"attached":1e999}}`, `{"id":"N","doctor":{"attached":-99999999999999999999999}}`,
	approvedLine + approvedLine, approvedLine + " x", strings.Replace(invalidLine, `"A3"`, `"A3\u0000<&>\u2028"`, 1),
	strings.Replace(approvedLine, `"submitted_at":"2026-10-05T10:00:00+05:00"`, `"submitted_at":"2026-02-30T10:00:00+05:00"`, 1),
}

// mixedInput is generated applications with hostile, empty and long lines among them.
func mixedInput(t *testing.T, apps int, maxLine int) string {
	t.Helper()
	g := campaigngen.Generate(campaigngen.Config{Seed: 77, Doctors: 30, Applications: apps})
	var b strings.Builder
	for i := range g.Applications {
		j, err := json.Marshal(&g.Applications[i])
		require.NoError(t, err)
		b.Write(j)
		b.WriteByte('\n')
		switch i % 7 {
		case 3:
			b.WriteString(hostile[i%len(hostile)] + "\n")
		case 5:
			b.WriteString(strings.Repeat("x", maxLine+i%3) + "\n") // too long, or just so (i%3 == 0)
		case 6:
			b.WriteString(" \t\r\n")
		}
	}
	return b.String()
}

// TestPlainOrder pins that plain mode writes, whatever its workers and chunks, what
// deciding the lines one by one writes, in input order, with the same exit status.
func TestPlainOrder(t *testing.T) {
	const maxLine = 700
	in := mixedInput(t, 300, maxLine)
	for _, explain := range []bool{false, true} {
		base := config{lang: "ru", explain: explain, maxLine: maxLine}
		want, code := oneByOne(t, &base, in)
		require.Equal(t, exitInvalid, code)
		for _, w := range []struct{ workers, chunk int }{{1, 0}, {2, 1}, {16, 1}, {16, 3}, {5, 50}, {64, 2}} {
			args := []string{"-lang", "ru", "-max-line", fmt.Sprint(maxLine)}
			if explain {
				args = append(args, "-explain")
			}
			var out, stderr bytes.Buffer
			code := runWith(args, strings.NewReader(in), &out, &stderr, w.workers, w.chunk)
			require.Equal(t, exitInvalid, code, "%d workers, chunks of %d: stderr %s", w.workers, w.chunk, stderr.String())
			require.Equal(t, want, out.String(), "%d workers, chunks of %d lines, -explain=%v: the lines one by one", w.workers, w.chunk, explain)
		}
	}
}

// runWith is run in plain mode with its workers and chunk size set, which no flag sets.
func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer, workers, chunk int) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return exitUsage
	}
	cfg.workers, cfg.chunkLines = workers, chunk
	eng, err := builtinEngine()
	if err != nil {
		return exitUsage
	}
	out := newOutput(stdout)
	return out.finish(stderr, runPlain(eng, cfg, stdin, out))
}

// recorder keeps what is written to it until it fails: every write after the first ok
// bytes.
type recorder struct {
	failingWriter
	got bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	n, err := r.failingWriter.Write(p)
	r.got.Write(p[:n])
	return n, err
}

// TestPlainWriteFailsMidStream pins that when a write fails in the middle of the output,
// with many workers, the run stops with status 3 and the writer's error, and what was
// written is the start of the output, in order.
func TestPlainWriteFailsMidStream(t *testing.T) {
	in := mixedInput(t, 200, 1000)
	want, _ := oneByOne(t, &config{lang: "kk", maxLine: 1000}, in)
	for _, ok := range []int{0, 1, 4095, 4096, 4097, 30000, len(want) - 1} {
		for _, w := range []struct{ workers, chunk int }{{1, 0}, {8, 1}, {3, 7}} {
			var stderr bytes.Buffer
			out := &recorder{failingWriter: failingWriter{ok: ok}}
			code := runWith([]string{"-max-line", "1000"}, strings.NewReader(in), out, &stderr, w.workers, w.chunk)
			assert.Equal(t, exitWrite, code, "failing after %d bytes, %d workers", ok, w.workers)
			assert.Equal(t, "attachcheck: writing the output: the disk is gone\n", stderr.String())
			assert.Equal(t, want[:ok], out.got.String(), "failing after %d bytes, %d workers: the start of the output", ok, w.workers)
		}
	}
	// A write that fails after the last byte does not happen: the run succeeds.
	out := &recorder{failingWriter: failingWriter{ok: len(want)}}
	code := runWith([]string{"-max-line", "1000"}, strings.NewReader(in), out, io.Discard, 8, 1)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, want, out.got.String())
}

// TestPlainEndlessInputStops pins that a failed write stops the reading of an endless
// input with many workers and small chunks, as with one.
func TestPlainEndlessInputStops(t *testing.T) {
	for _, ok := range []int{0, 50000} {
		var stderr bytes.Buffer
		code := runWith(nil, &endless{line: []byte(rejectedLine + "\n")}, &failingWriter{ok: ok}, &stderr, 16, 1)
		assert.Equal(t, exitWrite, code)
		assert.Equal(t, "attachcheck: writing the output: the disk is gone\n", stderr.String())
	}
}

// TestPlainHostileLines pins that lines made to trip a decoder each get their error line,
// in their place, across many workers, and the valid lines between them their decisions.
func TestPlainHostileLines(t *testing.T) {
	var in strings.Builder
	for _, h := range hostile {
		in.WriteString(h + "\n" + rejectedLine + "\n")
	}
	var out, stderr bytes.Buffer
	code := runWith(nil, strings.NewReader(in.String()), &out, &stderr, 8, 1)
	require.Equal(t, exitInvalid, code, stderr.String())
	objs := lines(t, out.String())
	require.Len(t, objs, 2*len(hostile))
	for i, o := range objs {
		if i%2 == 1 {
			assert.Equal(t, "rejected", o["outcome"], "line %d: the valid line after %q", i+1, hostile[i/2])
			continue
		}
		assert.NotEmpty(t, o["error"], "line %d, %.60q: an error line", i+1, hostile[i/2])
		assert.Equal(t, float64(i+1), o["line"], "line %d, %.60q: its number", i+1, hostile[i/2])
	}
}

// TestPlainLongLines pins -max-line with chunks: lines longer than a chunk's bytes and
// than the bytes in flight are decided in their place, and lines over -max-line get their
// error line, wherever they fall among the chunks.
func TestPlainLongLines(t *testing.T) {
	pad := func(n int) string { // a valid application line of about n bytes
		return strings.Replace(approvedLine, `"id":"A1",`, `"id":"A1",`+strings.Repeat(" ", n), 1)
	}
	big := pad(inFlightBytes + 1000) // alone in flight
	mid := pad(chunkBytes + 10)      // a chunk of its own
	max := len(big) + 1
	tooLong := strings.Repeat(" ", max+1)
	in := strings.Join([]string{approvedLine, big, mid, tooLong, rejectedLine, big, big, tooLong, mid, approvedLine, pad(max - len(approvedLine) + 1)}, "\n")
	want := []string{"A1", "A1", "A1", "", "A2", "A1", "A1", "", "A1", "A1", ""}
	for _, w := range []struct{ workers, chunk int }{{1, 0}, {4, 1}, {4, 2}, {2, 0}} {
		var out, stderr bytes.Buffer
		code := runWith([]string{"-max-line", fmt.Sprint(max)}, strings.NewReader(in), &out, &stderr, w.workers, w.chunk)
		require.Equal(t, exitInvalid, code, stderr.String())
		objs := lines(t, out.String())
		require.Len(t, objs, len(want))
		for i, o := range objs {
			assert.Equal(t, want[i], o["id"], "%d workers, chunks of %d: line %d", w.workers, w.chunk, i+1)
			if want[i] == "" {
				assert.Equal(t, fmt.Sprintf("line is longer than %d bytes (-max-line)", max), o["error"], "line %d", i+1)
			}
		}
	}
}

// brokenInput gives its text, then fails.
type brokenInput struct{ r io.Reader }

var errInputGone = errors.New("the input is gone")

func (b brokenInput) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, errInputGone
	}
	return n, err
}

// TestPlainReadFails pins that an input that fails while it is read has the lines read
// before it decided and written, in order, whatever the workers, and the run exits 2
// naming the input; a line cut short by the failure is not a line.
func TestPlainReadFails(t *testing.T) {
	in := strings.Repeat(approvedLine+"\n"+rejectedLine+"\n", 20) + `{"id":"cut`
	want, _ := oneByOne(t, &config{lang: "kk", maxLine: 1 << 20}, strings.Repeat(approvedLine+"\n"+rejectedLine+"\n", 20))
	for _, w := range []struct{ workers, chunk int }{{1, 0}, {8, 1}, {3, 7}} {
		var out, stderr bytes.Buffer
		code := runWith(nil, brokenInput{strings.NewReader(in)}, &out, &stderr, w.workers, w.chunk)
		assert.Equal(t, exitUsage, code, "%d workers", w.workers)
		assert.Equal(t, "attachcheck: reading standard input: the input is gone\n", stderr.String(), "%d workers", w.workers)
		assert.Equal(t, want, out.String(), "%d workers, chunks of %d: the lines before the failure", w.workers, w.chunk)
	}
}

// TestPlainOrderFiles pins that lines of several FILEs, numbered in each and named on
// their error lines, come out in order whatever the workers: as with one worker.
func TestPlainOrderFiles(t *testing.T) {
	in := mixedInput(t, 60, 700)
	a, b := writeFile(t, "a.jsonl", in), writeFile(t, "b.jsonl", "\n"+in+"{")
	args := []string{"-max-line", "700", "-lang", "en", a, b, a}
	var want bytes.Buffer
	require.Equal(t, exitInvalid, runWith(args, nil, &want, io.Discard, 1, 0))
	require.Contains(t, want.String(), `{"file":"`+b+`","line":1,"id":"","error":"empty line"}`)
	for _, w := range []struct{ workers, chunk int }{{16, 1}, {4, 5}} {
		var out bytes.Buffer
		require.Equal(t, exitInvalid, runWith(args, nil, &out, io.Discard, w.workers, w.chunk))
		require.Equal(t, want.String(), out.String(), "%d workers, chunks of %d", w.workers, w.chunk)
	}
}

// TestPlainAnswersEachLine pins that a line given on a pipe is answered before the next
// is given: plain mode waits for no more lines than the input has ready.
func TestPlainAnswersEachLine(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := runWith(nil, inR, outW, io.Discard, 4, 0)
		outW.Close()
		done <- code
	}()
	answers := bufio.NewReader(outR)
	for i, line := range []string{approvedLine, "{", rejectedLine} {
		_, err := io.WriteString(inW, line+"\n")
		require.NoError(t, err)
		got := make(chan string, 1)
		go func() {
			s, _ := answers.ReadString('\n')
			got <- s
		}()
		select {
		case s := <-got:
			assert.Contains(t, s, []string{`"id":"A1"`, `"line":2`, `"id":"A2"`}[i], "the answer to line %d", i+1)
		case <-time.After(20 * time.Second):
			t.Fatalf("line %d was not answered before the next was given", i+1)
		}
	}
	inW.Close()
	assert.Equal(t, exitInvalid, <-done)
}
