package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/emkhana/emkhana/attach"
)

// progressEvery is how many lines or decisions pass between two progress lines on stderr.
const progressEvery = 100000

// eachLine calls fn with every non-blank line of the inputs (stdin when files is empty),
// numbered from 1 across files, and writes a progress line to stderr every
// progressEvery lines. A line longer than maxLine is passed as nil.
func eachLine(files []string, stdin io.Reader, stderr io.Writer, fn func(n int, line []byte)) error {
	n := 0
	read := func(r io.Reader) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), maxLine)
		for sc.Scan() {
			n++
			if n%progressEvery == 0 {
				fmt.Fprintf(stderr, "attachcheck: %d lines read\n", n)
			}
			if len(bytes.TrimSpace(sc.Bytes())) > 0 {
				fn(n, sc.Bytes())
			}
		}
		if errors.Is(sc.Err(), bufio.ErrTooLong) {
			n++
			fn(n, nil)
			return nil
		}
		return sc.Err()
	}
	if len(files) == 0 {
		return read(stdin)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = read(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
	}
	return nil
}

// batch is the applications of a -campaign or -compare input, with the doctors' counts.
type batch struct {
	campaign attach.Campaign
	lines    []int    // by application: its input line
	bad      []output // lines that are not applications, in input order
}

// readBatch reads count lines, {"count":{"clinic_id":"C1","doctor_id":"D1","attached":N}},
// and application lines.
func readBatch(cfg *config, stdin io.Reader, stderr io.Writer) (*batch, error) {
	b := &batch{}
	err := eachLine(cfg.files, stdin, stderr, func(n int, line []byte) {
		if line == nil {
			b.bad = append(b.bad, output{Line: n, Error: fmt.Sprintf("line is longer than %d bytes", maxLine)})
			return
		}
		if isCount(line) {
			var w struct {
				Count attach.DoctorCount `json:"count"`
			}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&w); err != nil {
				b.bad = append(b.bad, output{Line: n, Error: "count: " + strings.TrimPrefix(err.Error(), "json: ")})
				return
			}
			b.campaign.Doctors = append(b.campaign.Doctors, w.Count)
			return
		}
		app, err := attach.DecodeApplication(line)
		if err != nil {
			o := output{Line: n, Error: errorText(err)}
			var inv *attach.InvalidApplicationError
			if errors.As(err, &inv) {
				o.ID = inv.ID
			}
			b.bad = append(b.bad, o)
			return
		}
		b.campaign.Applications = append(b.campaign.Applications, *app)
		b.lines = append(b.lines, n)
	})
	return b, err
}

// isCount reports whether the line's first key is "count".
func isCount(line []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	t, err := dec.Token()
	return err == nil && t == "count"
}

// progress returns a Progress function writing a line every progressEvery decisions.
func progress(stderr io.Writer, what string, total int) func(int) {
	next := progressEvery
	return func(done int) {
		if done >= next || (done == total && total >= progressEvery) {
			fmt.Fprintf(stderr, "attachcheck: %s: %d of %d applications decided\n", what, done, total)
			for next <= done {
				next += progressEvery
			}
		}
	}
}

// campaignLine is one decision of -campaign's output.
type campaignLine struct {
	Line          int      `json:"line,omitempty"`
	ID            string   `json:"id"`
	Outcome       string   `json:"outcome,omitempty"`
	RuleSet       string   `json:"rule_set,omitempty"`
	EffectiveFrom string   `json:"effective_from,omitempty"`
	Failed        []string `json:"failed,omitempty"`
	Attached      *int     `json:"attached,omitempty"`
	Error         string   `json:"error,omitempty"`
}

func decisionLine(line int, d *attach.CampaignDecision) campaignLine {
	if d.Err != nil {
		return campaignLine{Line: line, ID: d.Application, Error: errorText(d.Err)}
	}
	o := campaignLine{ID: d.Application, Outcome: d.Outcome.String(), RuleSet: d.RuleSet, Failed: d.Failed, Attached: &d.Attached}
	if d.Outcome == attach.Approved {
		o.EffectiveFrom = d.EffectiveFrom.String()
	}
	return o
}

// runCampaign is -campaign: it decides the input as one campaign with live capacity and
// writes one line per input line, in input order, then {"summary":{...}}.
func runCampaign(eng *attach.Engine, cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	b, err := readBatch(cfg, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	b.campaign.Progress = progress(stderr, "campaign", len(b.campaign.Applications))
	res, err := eng.RunCampaign(&b.campaign)
	if err != nil {
		return fail(stderr, err)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	invalid := len(b.bad)
	bad := b.bad
	for i := range res.Decisions {
		for len(bad) > 0 && bad[0].Line < b.lines[i] {
			enc.Encode(bad[0])
			bad = bad[1:]
		}
		if res.Decisions[i].Err != nil {
			invalid++
		}
		enc.Encode(decisionLine(b.lines[i], &res.Decisions[i]))
	}
	for _, o := range bad {
		enc.Encode(o)
	}
	enc.Encode(struct {
		Summary attach.CampaignSummary `json:"summary"`
	}{res.Summary})
	if invalid > 0 {
		return 1
	}
	return 0
}
