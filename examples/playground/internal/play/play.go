// Package play is the playground's engine room: it compiles the rule set being edited,
// decides the application being edited with it, and says where each problem is in the
// documents the author typed. The page runs it compiled to WebAssembly
// (examples/playground/wasm); it reads and writes nothing but its arguments and
// results, so it is tested here, natively, like any package.
package play

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/internal/jsonpos"
	"github.com/emkhana/emkhana/rules"
)

// RulesName and ApplicationName are the names the page's documents have in problems.
const (
	RulesName       = "rules.json"
	ApplicationName = "application.json"
)

// Languages are the languages of the messages, in the order the page offers them.
var Languages = []string{"kk", "ru", "en"}

// Result is what the page shows for one rule set and one application.
type Result struct {
	RuleSet  string    `json:"rule_set,omitempty"` // the id of the set being edited, once it compiles
	Problems []Problem `json:"problems"`           // what is wrong with either document, in order
	Decision *Decision `json:"decision,omitempty"` // nil when there is a problem
}

// Problem is one problem of a document, placed where the page can mark it.
type Problem struct {
	Doc     string `json:"doc"`     // RulesName, ApplicationName, or "" for neither
	Line    int    `json:"line"`    // in the document, from 1; 0 when it has no place
	Column  int    `json:"column"`  // in characters, from 1
	Text    string `json:"text"`    // "rules.json:12:31: rule capacity: expr: unknown name capacty"
	Snippet string `json:"snippet"` // the expression with a caret under the column, when the problem is in one
}

// Decision is a decision as the citizen and the official see it.
type Decision struct {
	// Official is the engine's decision as JSON, trace included: what a service logs.
	Official      json.RawMessage `json:"official"`
	Outcome       string          `json:"outcome"`
	EffectiveFrom string          `json:"effective_from"` // "" when rejected
	Failed        []string        `json:"failed"`
	Trace         []Step          `json:"trace"`
	// Citizen holds, by language, the messages of the failed rules and the remedies.
	Citizen map[string]Words `json:"citizen"`
}

// Step is one rule of the trace, with its facts and its source.
type Step struct {
	Rule   string          `json:"rule"`
	Passed bool            `json:"passed"`
	Facts  json.RawMessage `json:"facts"` // {"name": value, ...} in the rule's order
	Source Source          `json:"source"`
}

// Source is the text a rule comes from (rules.Citation).
type Source struct {
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	Date      string `json:"date"`
	URL       string `json:"url"`
	Lang      string `json:"lang"`
	Quote     string `json:"quote"`
	Reading   string `json:"reading"`
}

// Words are a decision told in one language.
type Words struct {
	Messages []attach.RuleMessage `json:"messages"`
	Remedies []string             `json:"remedies"`
}

// Playground decides with the rule set being edited, compiling it only when it changes.
// It is not safe for concurrent use: the page calls it from one goroutine.
type Playground struct {
	text     string // the rule-set document last compiled
	engine   *attach.Engine
	ruleSet  string
	problems []Problem
}

// Decide compiles the rule-set document set (alone, as the only set of the history; it
// may extend a built-in set) and decides the application app with it.
func (p *Playground) Decide(set, app []byte) Result {
	if p.engine == nil && p.problems == nil || string(set) != p.text {
		p.compile(set)
	}
	if len(p.problems) > 0 {
		return Result{Problems: p.problems}
	}
	r := Result{RuleSet: p.ruleSet}
	a, err := attach.DecodeApplication(app)
	var d attach.Decision
	if err == nil {
		d, err = p.engine.Decide(a)
	}
	if err != nil {
		r.Problems = applicationProblems(app, err)
		return r
	}
	r.Decision = p.describe(a, &d)
	return r
}

// compile reads and compiles the rule-set document, keeping the engine or the problems.
func (p *Playground) compile(set []byte) {
	p.text, p.engine, p.ruleSet, p.problems = string(set), nil, "", []Problem{}
	h, err := rules.ParseHistory(rules.Document{Name: RulesName, Data: set})
	if err == nil {
		p.engine, err = attach.New(h)
	}
	if err != nil {
		p.problems = ruleProblems(err)
		p.engine = nil
		return
	}
	p.ruleSet = h[0].ID
}

// describe turns a decision into what the page shows.
func (p *Playground) describe(app *attach.Application, d *attach.Decision) *Decision {
	out := &Decision{Outcome: d.Outcome.String(), EffectiveFrom: d.EffectiveFrom.String(), Failed: d.Failed, Citizen: map[string]Words{}}
	out.Official, _ = json.MarshalIndent(d, "", "  ") // a Decision always marshals
	for _, st := range d.Trace() {
		facts, _ := json.Marshal(st) // {"rule":..., "passed":..., "facts":{...}}
		var f struct {
			Facts json.RawMessage `json:"facts"`
		}
		_ = json.Unmarshal(facts, &f)
		out.Trace = append(out.Trace, Step{Rule: st.Rule, Passed: st.Passed, Facts: f.Facts, Source: Source(st.Source)})
	}
	for _, lang := range Languages {
		w := Words{Messages: p.engine.Explain(d, lang).Messages, Remedies: []string{}}
		if w.Messages == nil {
			w.Messages = []attach.RuleMessage{}
		}
		if !d.Approved() {
			remedies, _ := p.engine.Remedies(app, lang) // app was just decided: no error
			for _, r := range remedies {
				w.Remedies = append(w.Remedies, r.Message)
			}
		}
		out.Citizen[lang] = w
	}
	return out
}

// ruleProblems lists every problem of a rule set, placed where the library places it:
// in the document the author typed, or nowhere for a problem of no document (a base set's
// or the engine's).
func ruleProblems(err error) []Problem {
	var es rules.Errors
	if !errors.As(err, &es) {
		return []Problem{{Doc: RulesName, Text: RulesName + ": " + err.Error()}}
	}
	out := make([]Problem, 0, len(es))
	for _, e := range es {
		text, snippet, _ := strings.Cut(strings.TrimPrefix(e.Error(), "rules: "), "\n")
		pr := Problem{Doc: RulesName, Text: text}
		if e.File == RulesName && e.Line > 0 {
			pr.Line, pr.Column, pr.Snippet = e.Line, e.Column, snippet
		} else if e.File == "" {
			pr.Text = RulesName + ": " + text
		}
		out = append(out, pr)
	}
	return out
}

// applicationProblems places the problems of an application that could not be decided.
func applicationProblems(doc []byte, err error) []Problem {
	var inv *attach.InvalidApplicationError
	if !errors.As(err, &inv) {
		return []Problem{{Text: strings.TrimPrefix(err.Error(), "attach: ")}}
	}
	var out []Problem
	for _, fe := range inv.Problems {
		pr := Problem{Doc: ApplicationName}
		off := int64(-1)
		if fe.Field != "" {
			off = jsonpos.NearestOffset(doc, jsonpos.Pointer(fe.Field))
		} else {
			off = syntaxOffset(doc)
		}
		if off >= 0 {
			pr.Line, pr.Column = jsonpos.LineCol(doc, off)
			pr.Text = fmt.Sprintf("%s:%d:%d: %s", ApplicationName, pr.Line, pr.Column, fe.Error())
		} else {
			pr.Text = ApplicationName + ": " + fe.Error()
		}
		out = append(out, pr)
	}
	return out
}

// syntaxOffset returns the offset of the first syntax error of a JSON document, or -1.
func syntaxOffset(doc []byte) int64 {
	dec := jsontext.NewDecoder(bytes.NewReader(doc))
	_, err := dec.ReadValue()
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return syn.ByteOffset
	}
	if err != nil {
		return int64(len(doc))
	}
	return -1
}
