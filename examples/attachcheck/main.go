package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/rules"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// The exit statuses, the same in every mode.
const (
	exitDecided = 0 // every input line was decided
	exitInvalid = 1 // some input line got an error line; the others were decided
	exitUsage   = 2 // a usage error: a flag, -lang, a FILE, a rule set
	exitWrite   = 3 // the output could not be written: the run stopped there
)

// maxMaxLine is the largest -max-line accepted: 1 GiB.
const maxMaxLine = 1 << 30

// defaultMaxLine is -max-line when none is given: 1 MiB.
const defaultMaxLine = 1 << 20

// config is what the command line asks for.
type config struct {
	lang    string
	rules   []string
	explain bool
	files   []string
	maxLine int

	options     bool   // -options: where can I attach
	campaign    bool   // -campaign: decide the input as one campaign
	compare     string // -compare FILE: the impact of FILE's rule set
	keepRepeats bool   // -keep-repeats: every approval holds a place (campaign.Batch.KeepRepeats)

	test     bool   // -test: run the scenario files and directories named (scenario.go)
	coverage bool   // -coverage: with -test, what each rule was seen doing
	schema   string // -schema rules|application: print that JSON Schema

	// Not flags: how plain mode shares its work, set by tests. 0 means the default.
	workers    int // the goroutines deciding lines; runtime.GOMAXPROCS(0)
	chunkLines int // the most lines a worker decides at once; chunkLines
}

// run is the whole command, with its streams as arguments so that tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitDecided
	}
	if err != nil {
		return exitUsage
	}
	if cfg.schema != "" {
		return printSchema(cfg.schema, stdout, stderr)
	}
	h, err := history(cfg.rules)
	if err != nil {
		return failRules(stderr, "", err)
	}
	var eng *attach.Engine
	if len(cfg.rules) == 0 {
		eng, err = builtinEngine()
	} else {
		eng, err = attach.New(h)
	}
	if err != nil {
		return failRules(stderr, "", err)
	}
	out := newOutput(stdout)
	switch {
	case cfg.test:
		err = runTests(eng, cfg, out)
	case cfg.options:
		err = runOptions(eng, cfg, stdin, out)
	case cfg.compare != "":
		alt, aerr := alternative(h, cfg.compare)
		if aerr != nil {
			return failRules(stderr, "-compare "+cfg.compare+": ", aerr)
		}
		err = runCompare(eng, alt, cfg, stdin, stderr, out)
	case cfg.campaign:
		err = runCampaign(eng, cfg, stdin, stderr, out)
	default:
		err = runPlain(eng, cfg, stdin, out)
	}
	return out.finish(stderr, err)
}

// parseFlags reads the command line. It reports a usage error on stderr, with the
// usage, and returns it; for -h, it writes the usage and returns flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("attachcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.lang, "lang", "kk", "the `LANGUAGE` of the messages: kk, ru or en, or an Accept-Language value or tag that matches one (ru-KZ)")
	fs.Func("rules", "a rule set JSON `FILE` to decide with instead of the built-in history (repeat for a history)", func(s string) error {
		cfg.rules = append(cfg.rules, s)
		return nil
	})
	fs.BoolVar(&cfg.explain, "explain", false, "add the trace of every rule to each decision")
	fs.IntVar(&cfg.maxLine, "max-line", defaultMaxLine, "the longest input line read, in `BYTES` without its line ending; a longer line gets an error line")
	fs.BoolVar(&cfg.options, "options", false, "read queries and list, for each, every doctor that would accept the person")
	fs.BoolVar(&cfg.campaign, "campaign", false, "decide the input as one campaign, with counts that move as applications are approved")
	fs.StringVar(&cfg.compare, "compare", "", "report the decisions that differ when the rule set `FILE` replaces the set of its id")
	fs.BoolVar(&cfg.keepRepeats, "keep-repeats", false, "with -campaign or -compare: let every approved application hold a place, as before people were told apart by IIN (a person approved twice is counted twice)")
	fs.BoolVar(&cfg.test, "test", false, "run the scenario files and directories named, each scenario an application and what it must give")
	fs.BoolVar(&cfg.coverage, "coverage", false, "with -test, report for each rule whether some scenario saw it pass and some saw it fail")
	fs.StringVar(&cfg.schema, "schema", "", "print the JSON Schema of rule sets (rules) or of applications (application)")
	const usage = "usage: attachcheck [-rules FILE] [-max-line BYTES] [-lang kk|ru|en] [-explain | -options | [-keep-repeats] -campaign | [-keep-repeats] -compare FILE [-campaign]] [FILE...]\n" +
		"       attachcheck [-rules FILE] -test [-coverage] PATH...\n" +
		"       attachcheck -schema rules|application"
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.files = fs.Args()
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if err := checkConfig(cfg, given); err != nil {
		fmt.Fprintf(stderr, "attachcheck: %v\n%s\n", err, usage)
		return nil, err
	}
	return cfg, nil
}

// checkConfig reports the first problem of a command line that parsed: flags that
// cannot go together, a -lang that matches no language, a -max-line out of range, a
// FILE that cannot be read.
func checkConfig(cfg *config, given map[string]bool) error {
	if given["schema"] {
		return checkSchema(cfg, given)
	}
	if given["test"] || given["coverage"] {
		return checkTest(cfg, given)
	}
	var modes []string // the flags that choose a mode other than plain
	for _, name := range []string{"options", "campaign", "compare"} {
		if given[name] {
			modes = append(modes, "-"+name)
		}
	}
	if given["options"] && len(modes) > 1 {
		return fmt.Errorf("-options cannot be used with %s", strings.Join(modes[1:], " or "))
	}
	for _, name := range []string{"explain", "lang"} {
		if given[name] && len(modes) > 0 {
			return fmt.Errorf("-%s cannot be used with %s: it shapes the decisions of plain mode only", name, modes[0])
		}
	}
	if given["keep-repeats"] && !given["campaign"] && !given["compare"] {
		return errors.New("-keep-repeats needs -campaign or -compare: it counts the places of a batch")
	}
	if given["compare"] && cfg.compare == "" {
		return errors.New("-compare needs a rule set FILE")
	}
	if err := checkLang(cfg.lang); err != nil {
		return err
	}
	if cfg.maxLine < 1 || cfg.maxLine > maxMaxLine {
		return fmt.Errorf("-max-line %d: want 1 to %d bytes", cfg.maxLine, maxMaxLine)
	}
	for _, name := range cfg.files {
		if err := readable(name); err != nil {
			return err
		}
	}
	return nil
}

// languages matches -lang against the languages of the messages.
var languages = language.NewMatcher(rules.Languages())

// checkLang reports whether s, an Accept-Language value or a tag, matches one of the
// languages of the messages, as rules.MatchLanguage would choose it.
func checkLang(s string) error {
	tags, _, err := language.ParseAcceptLanguage(s)
	if err == nil && len(tags) > 0 {
		if _, _, conf := languages.Match(tags...); conf != language.No {
			return nil
		}
	}
	return fmt.Errorf("-lang %q: want kk, ru or en, or an Accept-Language value or tag that matches one of them", s)
}

// readable reports whether the FILE can be opened and is not a directory.
func readable(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a FILE of lines", name)
	}
	return nil
}

// builtinEngine is the engine of the built-in history, compiled once per process: an
// engine never changes, and tests and the fuzz target call run many times.
var builtinEngine = sync.OnceValues(func() (*attach.Engine, error) { return attach.New(rules.Builtin()) })

// history returns the built-in history, or the sets of the files named by -rules.
func history(files []string) (rules.History, error) {
	if len(files) == 0 {
		return rules.Builtin(), nil
	}
	docs := make([]rules.Document, len(files))
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		docs[i] = rules.Document{Name: name, Data: b}
	}
	return rules.ParseHistory(docs...)
}

// alternative returns the engine of the history h with the set of FILE in place of the
// set of the same id, or added to it when no set has that id.
func alternative(h rules.History, file string) (*attach.Engine, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	parsed, err := rules.ParseHistory(rules.Document{Name: file, Data: b})
	if err != nil {
		return nil, err
	}
	s := parsed[0]
	alt := append(rules.History(nil), h...)
	for i := range alt {
		if alt[i].ID == s.ID {
			alt[i] = s
			return attach.New(alt)
		}
	}
	return attach.New(append(alt, s))
}

// failRules reports a rule set that cannot be read or compiled, every problem of it,
// and returns the usage status.
func failRules(stderr io.Writer, prefix string, err error) int {
	var es rules.Errors
	if errors.As(err, &es) {
		fmt.Fprintf(stderr, "attachcheck: %s%d problem(s) in the rule sets:\n%s", prefix, len(es), es.Details())
		return exitUsage
	}
	fmt.Fprintf(stderr, "attachcheck: %s%v\n", prefix, err)
	return exitUsage
}
