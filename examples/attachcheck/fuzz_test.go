package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"runtime/debug"
	"testing"
	"time"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// FuzzCheckerLine gives the checker any line: it writes exactly one JSON object, which is
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
		var out bytes.Buffer
		ck := &checker{eng: eng, cfg: &config{lang: "en", explain: true}, out: bufio.NewWriter(&out), line: 7}
		ck.write(ck.decide(line))
		ck.out.Flush()
		b := out.Bytes()
		if bytes.Count(b, []byte("\n")) != 1 || b[len(b)-1] != '\n' {
			t.Fatalf("decide(%q) wrote %q, want one line", line, b)
		}
		var o map[string]any
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatalf("decide(%q) wrote %q, not JSON: %v", line, b, err)
		}
		_, hasErr := o["error"]
		_, hasOutcome := o["outcome"]
		if hasErr == hasOutcome {
			t.Fatalf("decide(%q) wrote %q, want an error or an outcome", line, b)
		}
		if hasErr && (o["line"] != float64(7) || ck.invalid != 1) {
			t.Fatalf("decide(%q) wrote %q, want line 7 and one invalid line counted", line, b)
		}
	})
}
