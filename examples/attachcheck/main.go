// Command attachcheck decides attachment applications read as JSON Lines.
//
//	go run ./examples/attachcheck [-lang kk|ru|en] [-rules FILE] [-explain] [FILE...]
//
// It reads one application per line (standard input when no FILE is named) and writes one
// JSON object per input line, in input order, to standard output: the decision, or
// {"line":N,"id":"...","error":"..."} for a line that is not a valid application. Blank
// lines are skipped. It exits 0 when every line was decided, 1 when any line was invalid
// (the others are still decided), and 2 on a usage error.
//
// Three flags decide more than one application at a time (see campaign.go, options.go
// and compare.go):
//
//	attachcheck -options [FILE...]
//
// Each line is a query: the application's fields without clinic and doctor, and the
// clinics to consider with their doctors,
// {"id":"Q1","submitted_at":"...","channel":"egov","signed":true,"reason":"","waives_home_visits":false,"citizen":{...},"clinics":[{"id":"C1","fund_provider":true,"service_area":["75111"],"doctors":[{"id":"D1","specialty":"therapist","attached":1500}]}]}.
// Each gets {"id":"Q1","options":[{"clinic":"C1","doctor":"D1","specialty":"therapist","outcome":"approved","condition":"as_asked","effective_from":"2026-01-01"},...]}:
// every doctor, those that accept first, then those that accept if the person gives up
// home visits (condition "waive_home_visits"), then those that refuse ("not_available",
// with "failed").
//
//	attachcheck -campaign [FILE...]
//
// The lines are one campaign: applications, and optionally the doctors' counts before it,
// one per line whose first key is "count": {"count":{"clinic_id":"C1","doctor_id":"D1","attached":1999}}
// (go run ./examples/campaigngen/cmd writes such a file). The applications are decided
// in submission order with counts that move as they are approved (attach.RunCampaign);
// each gets a line in input order, with "attached", the count its decision read; a last
// line {"summary":{...}} counts approvals, rejections by rule and the doctors that
// reached their norm, with the day.
//
//	attachcheck -compare SET.json [-campaign] [FILE...]
//
// decides the applications with the rules (built-in or -rules) and again with the set
// of SET.json in place of the set of the same id, one by one, or as a campaign with
// -campaign. It writes one line per decision that differs,
// {"id":"A1","line":3,"before":{...},"after":{...},"newly_failing":["capacity"]}, then
// {"impact":{...}} with the counts by rule.
//
// These three read all their input first and write a progress line to standard error
// every 100,000 lines and decisions.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// maxLine is the longest input line accepted; a longer one is reported as invalid.
const maxLine = 1 << 20

// config is what the command line asks for.
type config struct {
	lang    string
	rules   []string
	explain bool
	files   []string

	options  bool   // -options: where can I attach
	campaign bool   // -campaign: decide the input as one campaign
	compare  string // -compare FILE: the impact of FILE's rule set
}

// run is the whole command, with its streams as arguments so that tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	eng, err := engine(cfg.rules)
	if err != nil {
		if es, ok := err.(rules.Errors); ok {
			fmt.Fprintf(stderr, "attachcheck: %d problem(s) in the rule sets:\n%s", len(es), es.Details())
			return 2
		}
		return fail(stderr, err)
	}
	switch {
	case cfg.options:
		return runOptions(eng, cfg, stdin, stdout, stderr)
	case cfg.compare != "":
		return runCompare(eng, cfg, stdin, stdout, stderr)
	case cfg.campaign:
		return runCampaign(eng, cfg, stdin, stdout, stderr)
	}
	ck := &checker{eng: eng, cfg: cfg, out: bufio.NewWriter(stdout)}
	defer ck.out.Flush()
	if len(cfg.files) == 0 {
		if err := ck.stream(stdin); err != nil {
			fmt.Fprintf(stderr, "attachcheck: reading standard input: %v\n", err)
			return 2
		}
	}
	for _, name := range cfg.files {
		f, err := os.Open(name)
		if err != nil {
			return fail(stderr, err)
		}
		err = ck.stream(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "attachcheck: reading %s: %v\n", name, err)
			return 2
		}
	}
	if ck.invalid > 0 {
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("attachcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.lang, "lang", "kk", "language of the messages: kk, ru or en (or an Accept-Language string)")
	fs.Func("rules", "a rule set JSON `FILE` to decide with instead of the built-in history (repeat for a history)", func(s string) error {
		cfg.rules = append(cfg.rules, s)
		return nil
	})
	fs.BoolVar(&cfg.explain, "explain", false, "add the trace of every rule to each decision")
	fs.BoolVar(&cfg.options, "options", false, "read queries and list, for each, every doctor that would accept the person")
	fs.BoolVar(&cfg.campaign, "campaign", false, "decide the input as one campaign, with counts that move as applications are approved")
	fs.StringVar(&cfg.compare, "compare", "", "report the decisions that differ when the rule set `FILE` replaces the set of its id")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: attachcheck [-lang kk|ru|en] [-rules FILE] [-explain | -options | -campaign | -compare FILE] [FILE...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.files = fs.Args()
	return cfg, nil
}

// engine compiles the built-in history, or the sets named by -rules.
func engine(files []string) (*attach.Engine, error) {
	if len(files) == 0 {
		return attach.New(rules.Builtin())
	}
	docs := make([]rules.Document, len(files))
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		docs[i] = rules.Document{Name: name, Data: b}
	}
	h, err := rules.ParseHistory(docs...)
	if err != nil {
		return nil, err
	}
	return attach.New(h)
}

// checker decides the lines of its inputs, numbering them across files.
type checker struct {
	eng     *attach.Engine
	cfg     *config
	out     *bufio.Writer
	line    int
	invalid int
	dec     attach.Decision
}

// stream decides every line of r.
func (c *checker) stream(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	for sc.Scan() {
		c.line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		c.write(c.decide(sc.Bytes()))
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		c.line++
		c.invalid++
		c.write(output{Line: c.line, Error: fmt.Sprintf("line is longer than %d bytes", maxLine)})
		return nil
	}
	return sc.Err()
}

// output is one line of the checker's output.
type output struct {
	Line          int           `json:"line,omitempty"`
	ID            string        `json:"id"`
	Outcome       string        `json:"outcome,omitempty"`
	RuleSet       string        `json:"rule_set,omitempty"`
	EffectiveFrom string        `json:"effective_from,omitempty"`
	Failed        []string      `json:"failed,omitempty"`
	Reasons       []reason      `json:"reasons,omitempty"`
	Remedies      []remedy      `json:"remedies,omitempty"`
	Trace         []attach.Step `json:"trace,omitempty"`
	Error         string        `json:"error,omitempty"`
}

type reason struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// remedy is a change that would have a rejected application approved, found by the
// engine deciding the changed application.
type remedy struct {
	WaivesHomeVisits bool   `json:"waives_home_visits,omitempty"`
	Reason           string `json:"reason,omitempty"`
	Date             string `json:"date,omitempty"`
	EffectiveFrom    string `json:"effective_from"`
	Message          string `json:"message"`
}

// decide turns one input line into one output object.
func (c *checker) decide(line []byte) output {
	app, err := attach.DecodeApplication(line)
	if err == nil {
		err = c.eng.DecideInto(&c.dec, app)
	}
	if err != nil {
		c.invalid++
		o := output{Line: c.line, Error: errorText(err)}
		var inv *attach.InvalidApplicationError
		if errors.As(err, &inv) {
			o.ID = inv.ID
		}
		if app != nil {
			o.ID = app.ID
		}
		return o
	}
	d := &c.dec
	o := output{ID: d.Application, Outcome: d.Outcome.String(), RuleSet: d.RuleSet, Failed: d.Failed}
	if d.Approved() {
		o.EffectiveFrom = d.EffectiveFrom.String()
	}
	for _, m := range c.eng.Explain(d, c.cfg.lang).Messages {
		o.Reasons = append(o.Reasons, reason{Rule: m.Rule, Message: m.Message})
	}
	if !d.Approved() {
		remedies, _ := c.eng.Remedies(app, c.cfg.lang) // app was just decided: no error
		for _, r := range remedies {
			o.Remedies = append(o.Remedies, remedy{WaivesHomeVisits: r.WaivesHomeVisits, Reason: string(r.Reason),
				Date: r.Date.String(), EffectiveFrom: r.Decision.EffectiveFrom.String(), Message: r.Message})
		}
	}
	if c.cfg.explain {
		o.Trace = d.Trace()
	}
	return o
}

// fail reports an error that stops the checker and returns its exit status, 2.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "attachcheck: %v\n", err)
	return 2
}

// errorText is the error without the library's prefix: the field problems, "; "-separated.
func errorText(err error) string {
	var inv *attach.InvalidApplicationError
	if errors.As(err, &inv) {
		parts := make([]string, len(inv.Problems))
		for i, p := range inv.Problems {
			parts[i] = p.Error()
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

func (c *checker) write(o output) {
	b, err := json.Marshal(o)
	if err != nil {
		b, _ = json.Marshal(output{Line: o.Line, ID: o.ID, Error: "cannot write the decision: " + err.Error()})
	}
	c.out.Write(b)
	c.out.WriteByte('\n')
}
