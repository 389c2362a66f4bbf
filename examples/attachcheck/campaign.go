package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"

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
// doctors' counts, and the error lines of the input lines that are neither. Of each
// application it keeps the packed application (in campaign) and its line number: the
// lines themselves are not kept.
type batch struct {
	campaign campaign.Batch
	lines    []uint32             // by application: its line number in its FILE
	files    []fileStart          // the FILEs, by their first application
	bad      []errorLine          // the error lines of lines not in the campaign, in input order
	badAt    []int                // by error line: how many applications were read before it
	counted  map[[2]string]source // by clinic and doctor id: the count line read
	firstOf  map[string]int       // by id of an application refused as a duplicate: its first application
	// counts are the valid count lines, badCounts the count lines with an error line,
	// badApps the other lines with an error line, which are not applications.
	counts, badCounts, badApps int
}

// fileStart is a FILE whose applications start at app.
type fileStart struct {
	app  int
	name string
}

// source returns where application i was read.
func (b *batch) source(i int) source {
	k, found := slices.BinarySearchFunc(b.files, i, func(f fileStart, i int) int { return cmp.Compare(f.app, i) })
	if !found {
		k--
	}
	return source{b.files[k].name, int(b.lines[i])}
}

// decoded is a chunk of lines (plain.go) as a batch reads it: each line decoded by a
// worker, taken in input order.
type decoded struct {
	c     *chunk
	items []item // by line of c, once done is closed
	done  chan struct{}
}

// item is what one input line is.
type item struct {
	app   *attach.Application // an application
	count *campaign.DoctorCount
	err   error  // a count line's error, or an application line's
	id    string // the id an invalid application's error names
}

// decode reads every line of the chunk.
func (d *decoded) decode() {
	c := d.c
	d.items = make([]item, len(c.lines))
	for j := range c.lines {
		l, it := &c.lines[j], &d.items[j]
		data := c.data[l.start:l.end]
		switch {
		case l.problem != "":
		case isCount(data):
			cnt, err := decodeCount(data)
			it.count, it.err = &cnt, err
		default:
			it.app, it.err = attach.DecodeApplication(data)
			if it.err != nil {
				it.id = errorID(it.err)
			}
		}
	}
	close(d.done)
}

// readBatch reads every input line: count lines,
// {"count":{"clinic_id":"C1","doctor_id":"D1","attached":N}}, and application lines. A
// line that is neither gets its error line, kept in input order. The lines are read in
// chunks as plain mode reads them, decoded by workers in parallel and taken in input
// order; a fixed number of chunks circulate, so reading waits when taking falls behind.
// It writes a progress line to stderr every progressEvery lines.
func readBatch(cfg *config, stdin io.Reader, stderr io.Writer) (*batch, error) {
	b := &batch{counted: map[[2]string]source{}}
	workers := cfg.workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := 2*workers + 2 // the chunks that circulate
	free := make(chan *chunk, n)
	for range n {
		free <- &chunk{}
	}
	work, order := make(chan *decoded, n), make(chan *decoded, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for d := range work {
				d.decode()
			}
		})
	}
	budget := newByteBudget(inFlightBytes) // as in plain mode: long lines wait their turn
	r := chunkReader{cfg: cfg, free: free, send: func(c *chunk) {
		budget.acquire(len(c.data))
		d := &decoded{c: c, done: make(chan struct{})}
		work <- d
		order <- d
	}}
	var err error
	read := make(chan struct{})
	go func() {
		defer close(read)
		err = r.read(stdin)
		close(work)
		close(order)
	}()
	lines := 0
	for d := range order {
		<-d.done
		for j := range d.items {
			if lines++; lines%progressEvery == 0 {
				fmt.Fprintf(stderr, "attachcheck: %d lines read\n", lines)
			}
			b.take(d, j)
		}
		budget.release(len(d.c.data))
		d.c.reset()
		free <- d.c
	}
	<-read
	wg.Wait()
	return b, err
}

// take takes the j-th line of d, decoded.
func (b *batch) take(d *decoded, j int) {
	c, it := d.c, &d.items[j]
	l := inputLine{file: c.file, n: c.lines[j].n}
	switch {
	case c.lines[j].problem != "":
		b.badApps++
		b.keep(l.errorLine("", c.lines[j].problem))
	case it.count != nil:
		b.count(&l, *it.count, it.err)
	case it.err != nil:
		b.badApps++
		b.keep(l.errorLine(it.id, errorText(it.err)))
	default:
		if k := len(b.files); k == 0 || b.files[k-1].name != c.file {
			b.files = append(b.files, fileStart{b.campaign.Len(), c.file})
		}
		b.campaign.Add(*it.app)
		b.lines = append(b.lines, uint32(min(l.n, math.MaxUint32)))
	}
	*it = item{} // the application is packed: let it go
}

// count takes a count line, c as decodeCount read it: a doctor's count before the
// campaign.
func (b *batch) count(l *inputLine, c campaign.DoctorCount, err error) {
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
	src := b.source(i)
	e := errorLine{File: src.file, Line: src.line, ID: d.Application, Error: errorText(d.Err)}
	if errors.Is(d.Err, campaign.ErrDuplicateID) {
		if b.firstOf == nil {
			b.findFirsts(res)
		}
		first := b.source(b.firstOf[d.Application])
		e.Error = (&attach.FieldError{Field: "id", Value: d.Application, Message: "is already the id of the application on " + where(first.file, first.line)}).Error()
	}
	return e
}

// findFirsts finds, for each id of an application refused as a duplicate, the first
// application with that id: the map holds the repeated ids alone, not every id.
func (b *batch) findFirsts(res *campaign.Result) {
	b.firstOf = map[string]int{}
	for j := range res.Len() {
		if d := res.Decision(j); errors.Is(d.Err, campaign.ErrDuplicateID) {
			b.firstOf[d.Application] = -1
		}
	}
	for j := range res.Len() {
		id := res.Decision(j).Application
		if f, ok := b.firstOf[id]; ok && f < 0 {
			b.firstOf[id] = j
		}
	}
}

// summarize counts, in a summary of the campaign's applications, the lines that were
// not: each is one more application, an invalid one.
func (b *batch) summarize(s *campaign.Summary) {
	s.Applications += b.badApps
	s.Invalid += b.badApps
}

// batchGC makes the garbage collector collect when the heap has grown by half, not
// doubled, unless GOGC is set, and returns what restores it. A batch keeps its
// applications and decisions in large arrays without pointers, which a collection marks
// in little time, so that a national campaign stays under 300 MiB for little CPU.
func batchGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(old) }
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

// MarshalJSON writes the line as encoding/json writes its fields, without reflection: a
// national campaign writes a million of them.
func (l campaignLine) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 160)), nil
}

// appendJSON appends the line's JSON to b.
func (l *campaignLine) appendJSON(b []byte) []byte {
	b = appendString(append(b, `{"id":`...), l.ID)
	for _, f := range [...]struct{ key, v string }{{`,"outcome":`, l.Outcome}, {`,"rule_set":`, l.RuleSet}, {`,"effective_from":`, l.EffectiveFrom}} {
		if f.v != "" {
			b = appendString(append(b, f.key...), f.v)
		}
	}
	if len(l.Failed) > 0 {
		b = append(b, `,"failed":[`...)
		for i, id := range l.Failed {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, id)
		}
		b = append(b, ']')
	}
	if l.Attached != nil {
		b = strconv.AppendInt(append(b, `,"attached":`...), int64(*l.Attached), 10)
	}
	for _, f := range [...]struct{ key, v string }{{`,"superseded_by":`, l.SupersededBy}, {`,"error":`, l.Error}} {
		if f.v != "" {
			b = appendString(append(b, f.key...), f.v)
		}
	}
	return append(b, '}')
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
	defer batchGC()()
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
	var buf []byte
	for i := range res.Len() {
		if err := b.writeBad(out, i); err != nil {
			return err
		}
		d := res.Decision(i)
		if d.Err != nil {
			err = out.reject(b.undecided(res, i, &d))
		} else {
			l := decisionLine(&d)
			buf = append(l.appendJSON(buf[:0]), '\n')
			err = out.chunk(buf, 0)
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
