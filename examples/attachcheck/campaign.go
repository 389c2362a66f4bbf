package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/attach/campaign"
)

// progressEvery is how many lines or decisions pass between two progress lines on stderr.
const progressEvery = 100000

// source is where an input line was read.
type source struct {
	file string
	line int
}

// batch is the input of -campaign or -compare, read whole: the applications and the
// doctors' counts, and the error lines of the input lines that are neither.
type batch struct {
	campaign campaign.Batch
	src      []source             // by application: where it was read
	bad      []errorLine          // the error lines of lines not in the campaign, in input order
	badAt    []int                // by error line: how many applications were read before it
	counted  map[[2]string]source // by clinic and doctor id: the count line read
	firstOf  map[string]int       // by application id: its first application, made when needed
	// counts are the valid count lines, badCounts the count lines with an error line,
	// badApps the other lines with an error line, which are not applications.
	counts, badCounts, badApps int
}

// readBatch reads every input line: count lines,
// {"count":{"clinic_id":"C1","doctor_id":"D1","attached":N}}, and application lines. A
// line that is neither gets its error line, kept in input order. It writes a progress
// line to stderr every progressEvery lines.
func readBatch(cfg *config, stdin io.Reader, stderr io.Writer) (*batch, error) {
	b := &batch{counted: map[[2]string]source{}}
	read := 0
	err := eachLine(cfg, stdin, func(l *inputLine) error {
		if read++; read%progressEvery == 0 {
			fmt.Fprintf(stderr, "attachcheck: %d lines read\n", read)
		}
		switch {
		case l.problem != "":
			b.badApps++
			b.keep(l.errorLine("", l.problem))
		case isCount(l.data):
			b.count(l)
		default:
			app, err := attach.DecodeApplication(l.data)
			if err != nil {
				b.badApps++
				b.keep(l.errorLine(errorID(err), errorText(err)))
				return nil
			}
			b.campaign.Add(*app)
			b.src = append(b.src, source{l.file, l.n})
		}
		return nil
	})
	return b, err
}

// count reads a count line: a doctor's count before the campaign.
func (b *batch) count(l *inputLine) {
	c, err := decodeCount(l.data)
	if err == nil {
		if first, dup := b.counted[[2]string{c.ClinicID, c.DoctorID}]; dup {
			err = fmt.Errorf("count: doctor %q of clinic %q is already counted on %s", c.DoctorID, c.ClinicID, where(first.file, first.line))
		}
	}
	if err != nil {
		b.badCounts++
		b.keep(l.errorLine("", err.Error()))
		return
	}
	b.counts++
	b.counted[[2]string{c.ClinicID, c.DoctorID}] = source{l.file, l.n}
	b.campaign.Doctors = append(b.campaign.Doctors, c)
}

// keep keeps the error line of a line that is not in the campaign, to be written in
// its place among the applications' lines.
func (b *batch) keep(e errorLine) {
	b.bad = append(b.bad, e)
	b.badAt = append(b.badAt, b.campaign.Len())
}

// writeBad writes the error lines of the lines read before application i, and before
// the end for i = len(applications).
func (b *batch) writeBad(out *output, i int) error {
	for len(b.bad) > 0 && b.badAt[0] <= i {
		if err := out.reject(b.bad[0]); err != nil {
			return err
		}
		b.bad, b.badAt = b.bad[1:], b.badAt[1:]
	}
	return nil
}

// undecided returns the error line of application i of res, which has no decision:
// d.Err.
func (b *batch) undecided(res *campaign.Result, i int, d *campaign.Decision) errorLine {
	e := errorLine{File: b.src[i].file, Line: b.src[i].line, ID: d.Application, Error: errorText(d.Err)}
	if errors.Is(d.Err, campaign.ErrDuplicateID) {
		if b.firstOf == nil {
			b.firstOf = make(map[string]int)
			for j := res.Len() - 1; j >= 0; j-- {
				b.firstOf[res.Decision(j).Application] = j
			}
		}
		first := b.src[b.firstOf[d.Application]]
		e.Error = (&attach.FieldError{Field: "id", Value: d.Application, Message: "is already the id of the application on " + where(first.file, first.line)}).Error()
	}
	return e
}

// summarize counts, in a summary of the campaign's applications, the lines that were
// not: each is one more application, an invalid one.
func (b *batch) summarize(s *campaign.Summary) {
	s.Applications += b.badApps
	s.Invalid += b.badApps
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

// campaignLine is one decision of -campaign's output, and each side of a -compare line.
type campaignLine struct {
	ID            string   `json:"id"`
	Outcome       string   `json:"outcome,omitempty"`
	RuleSet       string   `json:"rule_set,omitempty"`
	EffectiveFrom string   `json:"effective_from,omitempty"`
	Failed        []string `json:"failed,omitempty"`
	Attached      *int     `json:"attached,omitempty"`
	SupersededBy  string   `json:"superseded_by,omitempty"` // the id of the person's later approval that took this one's place
	Error         string   `json:"error,omitempty"`         // -compare: no decision on this side
}

func decisionLine(d *campaign.Decision) campaignLine {
	if d.Err != nil {
		return campaignLine{ID: d.Application, Error: errorText(d.Err)}
	}
	o := campaignLine{ID: d.Application, Outcome: d.Outcome.String(), RuleSet: d.RuleSet, Failed: d.Failed, Attached: &d.Attached, SupersededBy: d.SupersededBy}
	if d.Outcome == attach.Approved {
		o.EffectiveFrom = d.EffectiveFrom.String()
	}
	return o
}

// lineCounts are the counts of the input's count lines, on the last line of -campaign
// and -compare.
type lineCounts struct {
	Counts        int `json:"counts"`         // count lines read
	InvalidCounts int `json:"invalid_counts"` // count lines with an error line
}

// runCampaign is -campaign: it decides the input as one campaign with live capacity and
// writes one line per input line that is not a count, in input order, then
// {"summary":{...}}. The lines are written once the whole campaign is decided, so an
// approval's line already says which later line of the same person superseded it.
func runCampaign(eng *attach.Engine, cfg *config, stdin io.Reader, stderr io.Writer, out *output) error {
	b, err := readBatch(cfg, stdin, stderr)
	if err != nil {
		return err
	}
	b.campaign.KeepRepeats = cfg.keepRepeats
	b.campaign.Progress = progress(stderr, "campaign", b.campaign.Len())
	res, err := campaign.Run(eng, &b.campaign)
	if err != nil {
		return err
	}
	for i := range res.Len() {
		if err := b.writeBad(out, i); err != nil {
			return err
		}
		d := res.Decision(i)
		if d.Err != nil {
			err = out.reject(b.undecided(res, i, &d))
		} else {
			err = out.line(decisionLine(&d))
		}
		if err != nil {
			return err
		}
	}
	if err := b.writeBad(out, res.Len()); err != nil {
		return err
	}
	b.summarize(&res.Summary)
	type summary struct {
		campaign.Summary
		lineCounts
	}
	return out.line(struct {
		Summary summary `json:"summary"`
	}{summary{res.Summary, lineCounts{b.counts, b.badCounts}}})
}
