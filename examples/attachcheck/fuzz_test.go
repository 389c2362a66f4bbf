package main

import (
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzMaxLine is the -max-line of FuzzCheckerInput: an application of the samples fits,
// and the fuzzer easily makes a line that does not.
const fuzzMaxLine = 600

// FuzzCheckerInput gives the checker, in-process, any input of any number of lines, in
// plain mode, -options or -campaign (mode%3), with a -max-line of 600 bytes. Whatever the
// input, the run exits 0 or 1 (1 exactly when it wrote an error line), and writes one
// JSON object per input line, in order: a decision ("outcome"), an answer ("options") or
// an error line ("error") whose "line" is the input line's number. In -campaign a valid
// count line gets no line, and a last line, the summary, counts the others.
func FuzzCheckerInput(f *testing.F) {
	apps, err := os.ReadFile("../../testdata/applications.jsonl")
	require.NoError(f, err)
	mixed, err := os.ReadFile("../../testdata/mixed.jsonl")
	require.NoError(f, err)
	// A few lines each, so that the fuzzer's minimization, a run per change, is quick.
	first3 := bytes.Join(bytes.SplitAfterN(apps, []byte("\n"), 4)[:3], nil)
	mixed4 := bytes.Join(bytes.SplitAfterN(mixed, []byte("\n"), 7)[2:6], nil) // two of them invalid
	for mode := range uint8(3) {
		f.Add(first3, mode)
		f.Add(mixed4, mode)
		f.Add([]byte(query+"\n\n"+query), mode)
	}
	f.Fuzz(func(t *testing.T, in []byte, mode uint8) {
		stop := time.AfterFunc(10*time.Second, func() {
			debug.SetTraceback("all")
			panic("fuzz input ran longer than 10s")
		}).Stop
		defer stop()
		args := []string{"-max-line", strconv.Itoa(fuzzMaxLine)}
		switch mode % 3 {
		case 1:
			args = append(args, "-options")
		case 2:
			args = append(args, "-campaign")
		}
		var out, stderr bytes.Buffer
		code := run(args, bytes.NewReader(in), &out, &stderr)
		n := bytes.Count(in, []byte("\n")) // the input's lines
		if len(in) > 0 && in[len(in)-1] != '\n' {
			n++
		}
		objs := lines(t, out.String())
		var summary map[string]any
		if mode%3 == 2 {
			require.NotEmpty(t, objs, "-campaign wrote no summary")
			summary, _ = objs[len(objs)-1]["summary"].(map[string]any)
			require.NotNil(t, summary, "-campaign's last line is %v, want the summary", objs[len(objs)-1])
			objs = objs[:len(objs)-1]
			require.Equal(t, float64(len(objs)), summary["applications"].(float64)+summary["invalid_counts"].(float64),
				"every line that is not a valid count is an application or an invalid count")
			n -= int(summary["counts"].(float64))
		}
		require.Len(t, objs, n, "run(%q, %q) wrote %d lines, want one per input line", args, in, len(objs))
		errs, last := 0, 0
		for i, o := range objs {
			_, isErr := o["error"]
			_, isOutcome := o["outcome"]
			_, isOptions := o["options"]
			require.True(t, isErr != (isOutcome || isOptions) && !(isOutcome && isOptions), "output line %d, %v: want one of an error, an outcome or options", i+1, o)
			if !isErr {
				require.NotContains(t, o, "line", "output line %d: a decision with a line number", i+1)
				continue
			}
			errs++
			line, _ := o["line"].(float64)
			if mode%3 == 2 {
				require.Greater(t, int(line), last, "output line %d: error lines out of input order", i+1)
				last = int(line)
			} else {
				require.Equal(t, float64(i+1), line, "output line %d is the error of input line %v", i+1, o["line"])
			}
		}
		if summary != nil {
			require.Equal(t, float64(errs), summary["invalid"].(float64)+summary["invalid_counts"].(float64), "the summary counts every error line")
		}
		require.Equal(t, map[bool]int{false: 0, true: 1}[errs > 0], code, "run(%q) = %d with %d error lines; stderr: %s", args, code, errs, stderr.String())
	})
}
