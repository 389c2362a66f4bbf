package attach_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emkhana/emkhana/attach"
)

// scenario is one case of testdata/scenarios: an application in the checker's JSON form
// and why it is there. Its decision is kept beside it in NAME.golden.
type scenario struct {
	Reason      string          `json:"reason"`
	Application json.RawMessage `json:"application"`
}

// TestScenarios decides every scenario of testdata/scenarios with the built-in history
// and compares the decision, trace included, with its golden file (go test -update
// rewrites them).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("../testdata/scenarios/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("%d scenarios; the suite promises at least 40", len(files))
	}
	e := builtinEngine(t, nil)
	seenRules := map[string]map[string]bool{} // set -> rules seen failing
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var sc scenario
			if err := json.Unmarshal(raw, &sc); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if sc.Reason == "" {
				t.Fatalf("%s has no reason: every scenario says why it is there", file)
			}
			app, err := attach.DecodeApplication(sc.Application)
			if err != nil {
				t.Fatalf("DecodeApplication(%s): %v", name, err)
			}
			d, err := e.Decide(app)
			if err != nil {
				t.Fatalf("Decide(%s): %v", name, err)
			}
			if seenRules[d.RuleSet] == nil {
				seenRules[d.RuleSet] = map[string]bool{}
			}
			for _, id := range d.Failed {
				seenRules[d.RuleSet][id] = true
			}
			d.RuleSetDigest = "" // pinned by TestRuleSetDigest; a golden file holds what the rules decide
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./attach -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Decide(%s) mismatch with %s (%s):\n got: %s\nwant: %s", name, golden, sc.Reason, got, want)
			}
		})
	}
	// Every rule of each set fails in at least one scenario.
	for set, all := range map[string][]string{
		"kz-2018": {"residency", "campaign"},
		"kz-2023": {"campaign"},
		"kz-2025": {"residency", "fund_provider", "signature", "already_attached", "specialty_age", "territory", "home_visits", "capacity", "campaign", "once_a_year"},
	} {
		for _, id := range all {
			if !seenRules[set][id] {
				t.Errorf("no scenario of %s fails rule %s", set, id)
			}
		}
	}
}
