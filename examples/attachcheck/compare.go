package main

import (
	"io"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
)

// changeLine is one differing decision of -compare's output.
type changeLine struct {
	ID              string       `json:"id"`
	File            string       `json:"file,omitempty"`
	Line            int          `json:"line"`
	Before          campaignLine `json:"before"`
	After           campaignLine `json:"after"`
	NewlyFailing    []string     `json:"newly_failing,omitempty"`
	NoLongerFailing []string     `json:"no_longer_failing,omitempty"`
}

// runCompare is -compare FILE: it decides the input with eng and with alt, FILE's set in
// place of the set of its id, one by one (or as a campaign with -campaign), and writes,
// in input order, one line per decision that differs and an error line per input line
// that neither decides, then {"impact":{...}}.
func runCompare(eng, alt *attach.Engine, cfg *config, stdin io.Reader, stderr io.Writer, out *output) error {
	defer batchGC()()
	b, err := readBatch(cfg, stdin, stderr)
	if err != nil {
		return err
	}
	c := &b.campaign
	c.Static = !cfg.campaign
	c.KeepRepeats = cfg.keepRepeats
	n := c.Len()
	c.Progress = progress(stderr, "before", n)
	before, err := campaign.Run(eng, c)
	if err != nil {
		return err
	}
	c.Progress = progress(stderr, "after", n)
	after, err := campaign.Run(alt, c)
	if err != nil {
		return err
	}
	im, err := campaign.Compare(before, after)
	if err != nil {
		return err
	}
	changes := im.Changes
	for i := range n {
		if err := b.writeBad(out, i); err != nil {
			return err
		}
		bd, ad := before.Decision(i), after.Decision(i)
		switch {
		case bd.Err != nil && ad.Err != nil:
			err = out.reject(b.undecided(before, i, &bd))
		case len(changes) > 0 && changes[0].Index == i:
			ch := &changes[0]
			changes = changes[1:]
			src := b.source(i)
			err = out.line(changeLine{
				ID: bd.Application, File: src.file, Line: src.line,
				Before: decisionLine(&ch.Before), After: decisionLine(&ch.After),
				NewlyFailing: ch.NewlyFailing, NoLongerFailing: ch.NoLongerFailing,
			})
		}
		if err != nil {
			return err
		}
	}
	if err := b.writeBad(out, n); err != nil {
		return err
	}
	im.Applications += b.badApps
	b.summarize(&im.Before)
	b.summarize(&im.After)
	type impact struct {
		*campaign.Impact
		lineCounts
	}
	return out.line(struct {
		Impact impact `json:"impact"`
	}{impact{im, lineCounts{b.counts, b.badCounts}}})
}
