package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

// alternative returns the engine of the history with the set of FILE in place of the set
// of the same id, or added to it when no set has that id.
func alternative(cfg *config) (*attach.Engine, error) {
	h := rules.Builtin()
	if len(cfg.rules) > 0 {
		docs := make([]rules.Document, len(cfg.rules))
		for i, name := range cfg.rules {
			b, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			docs[i] = rules.Document{Name: name, Data: b}
		}
		var err error
		if h, err = rules.ParseHistory(docs...); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(cfg.compare)
	if err != nil {
		return nil, err
	}
	parsed, err := rules.ParseHistory(rules.Document{Name: cfg.compare, Data: b})
	if err != nil {
		return nil, err
	}
	s := parsed[0]
	replaced := false
	for i := range h {
		if h[i].ID == s.ID {
			h[i], replaced = s, true
		}
	}
	if !replaced {
		h = append(h, s)
	}
	return attach.New(h)
}

// changeLine is one differing decision of -compare's output.
type changeLine struct {
	ID              string       `json:"id"`
	Line            int          `json:"line"`
	Before          campaignLine `json:"before"`
	After           campaignLine `json:"after"`
	NewlyFailing    []string     `json:"newly_failing,omitempty"`
	NoLongerFailing []string     `json:"no_longer_failing,omitempty"`
}

// runCompare is -compare FILE: it decides the input with the rules and with FILE's set in
// their place, one by one (or as a campaign with -campaign), and writes one line per
// decision that differs, in input order, then {"impact":{...}}.
func runCompare(eng *attach.Engine, cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	alt, err := alternative(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "attachcheck: -compare %s: %v\n", cfg.compare, err)
		if es, ok := err.(rules.Errors); ok {
			fmt.Fprint(stderr, es.Details())
		}
		return 2
	}
	b, err := readBatch(cfg, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	c := &b.campaign
	c.Static = !cfg.campaign
	n := len(c.Applications)
	c.Progress = progress(stderr, "before", n)
	before, err := eng.RunCampaign(c)
	if err != nil {
		return fail(stderr, err)
	}
	c.Progress = progress(stderr, "after", n)
	after, err := alt.RunCampaign(c)
	if err != nil {
		return fail(stderr, err)
	}
	im, err := attach.Compare(before, after)
	if err != nil {
		return fail(stderr, err)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for _, o := range b.bad {
		enc.Encode(o)
	}
	for _, ch := range im.Changes {
		line := b.lines[ch.Index]
		enc.Encode(changeLine{
			ID: ch.Before.Application, Line: line,
			Before: decisionLine(0, &ch.Before), After: decisionLine(0, &ch.After),
			NewlyFailing: ch.NewlyFailing, NoLongerFailing: ch.NoLongerFailing,
		})
	}
	enc.Encode(struct {
		Impact *attach.Impact `json:"impact"`
	}{im})
	if len(b.bad) > 0 {
		return 1
	}
	return 0
}
