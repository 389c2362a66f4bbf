package rules

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
)

// Set is one period of the law as data: the date it takes effect, its parameters, its
// named facts and its ordered rules. A Set is a plain value; [Compile] checks it.
type Set struct {
	// ID names the set ("kz-2018"); decisions report it.
	ID string
	// Extends is the id of the set this one was read as a change of, if any (see
	// [ParseHistory]); the set holds every rule, fact and parameter, its base's included.
	Extends string
	// Title says in a few words what the set is.
	Title string
	// EffectiveFrom is the first local day on which the set decides applications. It stays
	// in force until the EffectiveFrom of the next set of the history.
	EffectiveFrom Date
	// Zone is the IANA zone whose civil dates the set reads; "" means Asia/Almaty.
	Zone string
	// Params are the set's named parameters, read by expressions as params.NAME.
	Params []Param
	// Facts are named expressions read by rules by name and shown in the trace; a decision
	// computes those its rules need. A fact may read other facts; they must not form a cycle.
	Facts []Fact
	// TakesEffect is an expression of type Date: the day an approved attachment takes
	// effect. It may read facts.
	TakesEffect string
	// EffectiveUntil, when given, is an expression of type Date: the last day of an
	// approved attachment that ends by itself (a temporary resident's contract), or 0
	// when it does not end. It may read facts.
	EffectiveUntil string
	// Rules must all hold for an approval. Their order is the order of the trace and of
	// the failed rule ids.
	Rules []Rule
	// Codes are the values the set knows of each coded input, by the kind of code the
	// table of inputs gives it ([Input.Codes]: "residency", "specialty", "channel",
	// "reason"), with their words: an application's code is valid when some set of the
	// history knows it.
	Codes map[string][]Code

	// origins are where the set's elements were written, when it was read from JSON.
	origins map[string]origin
}

// Code is one value of a coded input, such as the residency status "kandas", with the
// words messages show for it.
type Code struct {
	Code string
	// Words is the code's name by language tag ("kk", "ru", "en"): what a message shows
	// for one value. Every code has all three.
	Words map[string]string
	// Plural is the name of many, by language tag, what a message shows in a list of
	// codes ("граждане Казахстана; кандасы"); when empty, lists show Words.
	Plural map[string]string
}

// Param is a named, typed parameter of a set. Its kind is the kind of its Value: in a set
// written in Go, a date is ValueOf(rules.Date(20271231)) and a day of the year
// ValueOf(rules.MonthDay(901)), since ValueOf(20271231) is an Int (see [ValueOf]).
type Param struct {
	Name  string
	Value Value
	Doc   string // what the parameter means, and where its default comes from
	// Min and Max, when set, bound an int parameter, or every number of an int_map: a
	// value outside them is refused when the set is parsed, compiled or given a new value
	// with WithParam, never silently used.
	Min, Max *int
}

// problem returns what is wrong with the parameter's value, or "".
func (p *Param) problem() string {
	switch p.Value.Kind() {
	case Invalid:
		return "has no value"
	case Float:
		return "parameters are bool, int, string, strings, date, month_day or int_map, not float"
	case DateKind:
		if !p.Value.Date().Valid() {
			return fmt.Sprintf("%d is not a day of the calendar", p.Value.Int())
		}
	case MonthDayKind:
		if md := p.Value.MonthDay(); !validDay(2000, int(md.Month()), md.Day()) {
			return fmt.Sprintf("%d is not a day of the year MMDD", p.Value.Int())
		}
	case Int:
		return p.bounds(p.Value.Int(), "")
	case IntMap:
		keys := slices.Sorted(maps.Keys(p.Value.IntMap()))
		for _, k := range keys {
			if msg := p.bounds(p.Value.IntMap()[k], fmt.Sprintf(" for %q", k)); msg != "" {
				return msg
			}
		}
	}
	if (p.Min != nil || p.Max != nil) && p.Value.Kind() != Int && p.Value.Kind() != IntMap {
		return "min and max bound only int and int_map parameters"
	}
	return ""
}

func (p *Param) bounds(n int, what string) string {
	switch {
	case p.Min != nil && n < *p.Min:
		return fmt.Sprintf("%d%s is below the minimum %d", n, what, *p.Min)
	case p.Max != nil && n > *p.Max:
		return fmt.Sprintf("%d%s is above the maximum %d", n, what, *p.Max)
	}
	return ""
}

// Fact is a named expression whose value rules read and a decision's trace shows.
type Fact struct {
	Name string
	Expr string
	// Type, when DateKind or MonthDayKind, says that the number the expression gives is a
	// date YYYYMMDD or a day of the year MMDD, so that traces and messages show it as one.
	// Invalid (the zero Kind) means the kind of the expression's result.
	Type Kind
	Doc  string
}

// Rule is one condition an application must meet.
type Rule struct {
	// ID is stable: services map it to screens and messages.
	ID string
	// Expr is an expr-lang expression of type bool that holds when the application meets
	// the rule.
	Expr string
	// Facts are shown in the rule's trace besides those its expression names.
	Facts []string
	// Source cites the text the rule comes from.
	Source Citation
	// Messages are what a citizen reads when the rule fails, by language tag ("kk", "ru",
	// "en"); {name} stands for the value of the fact name.
	Messages map[string]string
}

// Citation names the public source of a rule so that a reader can find it: who published
// it, what it is, when and where, and the words the rule comes from. A rule that is our
// reading of the sources says so in Reading.
type Citation struct {
	Publisher string // "Kazinform (ҚазАқпарат), citing the Social Health Insurance Fund", "NUR.KZ"
	Title     string // the title or subject of the text
	Date      string // when it was published: "2018", "2025-09-02"
	URL       string // its address, where known
	Lang      string // the language of Quote
	Quote     string // the sentence the rule comes from, as written
	Reading   string // how the rule reads the sources, when it is our reading of them; "" when it is their word
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// reserved are the names an expression reads from the application; a fact or parameter
// may not take them.
var reserved = map[string]bool{"citizen": true, "clinic": true, "doctor": true, "application": true, "params": true}

// Param returns the set's parameter of that name.
func (s *Set) Param(name string) (Param, bool) {
	for _, p := range s.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// WithParam returns a copy of the set whose parameter name has the value v. It fails
// when the set has no such parameter, v is of another kind, or v is out of the
// parameter's bounds: a set is never given a parameter its rules do not read.
func (s Set) WithParam(name string, v Value) (Set, error) {
	for i, p := range s.Params {
		if p.Name != name {
			continue
		}
		if p.Value.Kind() != v.Kind() {
			return s, &Error{Set: s.ID, Field: "params." + name, Message: fmt.Sprintf("is of type %s, not %s", p.Value.Kind(), v.Kind())}
		}
		params := append([]Param(nil), s.Params...)
		params[i].Value = v
		if msg := params[i].problem(); msg != "" {
			return s, &Error{Set: s.ID, Field: "params." + name, Message: msg}
		}
		s.Params = params
		return s, nil
	}
	return s, &Error{Set: s.ID, Field: "params." + name, Message: "no such parameter"}
}

// Rule returns the set's rule with that id.
func (s *Set) Rule(id string) (Rule, bool) {
	for _, r := range s.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// History is the succession of rule sets; the one in force on an application's local
// submission date decides it.
type History []Set

// At returns the set in force on the day d: the one with the latest EffectiveFrom not
// after d. It reports false when d is before every set.
func (h History) At(d Date) (*Set, bool) {
	var best *Set
	for i := range h {
		s := &h[i]
		if s.EffectiveFrom <= d && (best == nil || s.EffectiveFrom > best.EffectiveFrom) {
			best = s
		}
	}
	return best, best != nil
}

// check reports the structural problems of one set: names, parameter kinds, and with l
// the numbers of rules, facts and parameters ([ParseHistory] passes nil: [Compile] checks them
// with its own limits). Expressions are checked by Compile.
func (s *Set) check(l *Limits) Errors {
	var errs Errors
	add := func(e *Error) { e.Set = s.ID; errs = append(errs, e) }
	if s.ID == "" {
		add(&Error{Field: "id", Message: "must not be empty"})
	} else if len(s.ID) > maxNameLength {
		add(&Error{Field: "id", Message: fmt.Sprintf("must be at most %d bytes", maxNameLength)})
	}
	if !s.EffectiveFrom.Valid() {
		add(&Error{Field: "effective_from", Message: fmt.Sprintf("must be a day of the calendar, got %d", int(s.EffectiveFrom))})
	}
	if len(s.Rules) == 0 {
		add(&Error{Field: "rules", Message: "a set needs at least one rule"})
	}
	if l != nil && len(s.Rules) > l.MaxRules {
		add(&Error{Field: "rules", Message: fmt.Sprintf("%d rules; at most %d are allowed", len(s.Rules), l.MaxRules)})
	}
	if l != nil && len(s.Facts) > l.MaxFacts {
		add(&Error{Field: "facts", Message: fmt.Sprintf("%d facts; at most %d are allowed", len(s.Facts), l.MaxFacts)})
	}
	if l != nil && len(s.Params) > l.MaxParams {
		add(&Error{Field: "params", Message: fmt.Sprintf("%d parameters; at most %d are allowed", len(s.Params), l.MaxParams)})
	}
	names := map[string]string{}
	for _, p := range s.Params {
		field := "params." + p.Name
		if msg := badName(p.Name); msg != "" {
			add(&Error{Field: field, Message: msg})
		} else if names["param "+p.Name] != "" {
			add(&Error{Field: field, Message: "parameter defined twice"})
		}
		names["param "+p.Name] = "param"
		if msg := p.problem(); msg != "" {
			add(&Error{Field: field, Message: msg})
		}
	}
	for _, f := range s.Facts {
		if msg := badName(f.Name); msg != "" {
			add(&Error{Fact: f.Name, Field: "name", Message: msg})
		} else if names[f.Name] != "" {
			add(&Error{Fact: f.Name, Field: "name", Message: "fact defined twice"})
		}
		names[f.Name] = "fact"
	}
	ids := map[string]bool{}
	for i, r := range s.Rules {
		if msg := badName(r.ID); msg != "" {
			add(&Error{Rule: r.ID, Field: fmt.Sprintf("rules[%d].id", i), Message: msg})
		} else if ids[r.ID] {
			add(&Error{Rule: r.ID, Field: fmt.Sprintf("rules[%d].id", i), Message: "rule id used twice"})
		}
		ids[r.ID] = true
		for _, f := range r.Facts {
			if names[f] != "fact" {
				add(&Error{Rule: r.ID, Field: fmt.Sprintf("rules[%d].facts", i), Message: fmt.Sprintf("names %q, which is not a fact of the set", f)})
			}
		}
		if (r.Source.Quote == "" || r.Source.Publisher == "") && r.Source.Reading == "" {
			add(&Error{Rule: r.ID, Field: fmt.Sprintf("rules[%d].source", i), Message: "every rule cites its source: a publisher and the quoted words, or, for our reading of the sources, the reading"})
		}
	}
	return append(errs, s.checkCodes()...)
}

func badName(name string) string {
	switch {
	case name == "":
		return "name must not be empty"
	case len(name) > maxNameLength:
		return fmt.Sprintf("name %q is longer than %d bytes", name, maxNameLength)
	case !nameRE.MatchString(name):
		return fmt.Sprintf("name %q must be lower-case letters, digits and _, starting with a letter", name)
	case reserved[name]:
		return fmt.Sprintf("name %q is reserved for the application", name)
	}
	return ""
}

// check reports problems of the history as a whole; with l, also more sets than l allows
// ([ParseHistory] passes nil: [Compile] checks it with its own limits).
func (h History) check(l *Limits) Errors {
	var errs Errors
	if len(h) == 0 {
		errs = append(errs, &Error{Message: "a history needs at least one rule set"})
	}
	if l != nil && len(h) > l.MaxSets {
		errs = append(errs, &Error{Message: fmt.Sprintf("%d sets; at most %d are allowed", len(h), l.MaxSets)})
	}
	ids := map[string]bool{}
	from := map[Date]string{}
	order := make([]int, len(h))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return h[order[a]].EffectiveFrom < h[order[b]].EffectiveFrom })
	for _, i := range order {
		s := &h[i]
		if s.ID != "" && ids[s.ID] {
			errs = append(errs, s.placed(&Error{Set: s.ID, Field: "id", Message: "set id used twice in the history"}))
		}
		ids[s.ID] = true
		if other, ok := from[s.EffectiveFrom]; ok && s.EffectiveFrom != 0 {
			errs = append(errs, s.placed(&Error{Set: s.ID, Field: "effective_from", Message: fmt.Sprintf("%s is also the first day of set %s", s.EffectiveFrom, other)}))
		}
		from[s.EffectiveFrom] = s.ID
	}
	return errs
}
