package main

import (
	"bytes"
	"os"
	"runtime/debug"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// FuzzCheckerLine gives plain mode any line: it writes exactly one JSON object, which is
// either a decision with an outcome or an error with the line number, never both.
func FuzzCheckerLine(f *testing.F) {
	for _, name := range []string{"../../testdata/applications.jsonl"} {
		data, _ := os.ReadFile(name)
		for _, l := range bytes.Split(data, []byte("\n")) {
			f.Add(l)
		}
	}
	for _, s := range []string{"", "{}", "null", "[", `{"id":"x"}`, "\xff\xfe", `{"id":"\u2028"}`} {
		f.Add([]byte(s))
	}
	eng, err := attach.New(rules.Builtin())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		stop := time.AfterFunc(5*time.Second, func() {
			debug.SetTraceback("all")
			panic("fuzz input ran longer than 5s")
		}).Stop
		defer stop()
		if len(line) == 0 || bytes.IndexByte(line, '\n') >= 0 {
			t.Skip("not one line")
		}
		var b bytes.Buffer
		out := newOutput(&b)
		err := runPlain(eng, &config{lang: "en", explain: true, maxLine: 1 << 20}, bytes.NewReader(append([]byte("\n\n\n\n\n\n"), line...)), out)
		if err != nil {
			t.Fatal(err)
		}
		out.w.Flush()
		objs := lines(t, b.String())[6:] // after the errors of six empty lines
		if len(objs) != 1 {
			t.Fatalf("decide(%q) wrote %d lines, want one", line, len(objs))
		}
		o := objs[0]
		_, hasErr := o["error"]
		_, hasOutcome := o["outcome"]
		if hasErr == hasOutcome {
			t.Fatalf("decide(%q) wrote %v, want an error or an outcome", line, o)
		}
		if hasErr && (o["line"] != float64(7) || out.invalid != 7) {
			t.Fatalf("decide(%q) wrote %v, want line 7 and one more invalid line counted", line, o)
		}
	})
}
