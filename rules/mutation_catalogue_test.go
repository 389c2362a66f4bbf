package rules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/emkhana/emkhana/rules"
)

// TestCatalogueRuleSets reads the broken rule sets of the bad-input catalogue
// (../testdata/bad/rules.jsonl, the files under ../testdata/bad/rules/) that must fail to
// parse or compile, and checks that ParseSet and Compile give exactly the errors written
// there. The attach package runs the same catalogue through its Engine, with the sets that
// fail while deciding; this test holds the rules package itself to the texts.
func TestCatalogueRuleSets(t *testing.T) {
	const dir = "../testdata/bad"
	data, err := os.ReadFile(filepath.Join(dir, "rules.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	type badCase struct {
		Name, Reason, File, Phase, Error string
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c badCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("rules.jsonl: %v", err)
		}
		if c.Phase != "compile" {
			continue // decided by attach's catalogue test, with an application
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(dir, c.File))
			if err != nil {
				t.Fatal(err)
			}
			set, err := rules.ParseSet(doc)
			if err == nil {
				_, err = rules.Compile(rules.History{set})
			}
			var es rules.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("ParseSet and Compile(%s) = %T %v, want rules.Errors (%s)", c.File, err, err, c.Reason)
			}
			if got := es.Details(); got != c.Error {
				t.Errorf("ParseSet and Compile(%s) = %q\nwant %q (%s)", c.File, got, c.Error, c.Reason)
			}
		})
	}
	if n < 15 {
		t.Errorf("the catalogue holds %d rule sets that must not compile; want at least 15", n)
	}
}
