package rules

import (
	"fmt"
	"slices"
	"sort"
)

// codeKinds returns the kinds of code the table of inputs names, sorted.
func codeKinds() []string {
	var kinds []string
	for _, in := range inputs {
		if in.Codes != "" && !slices.Contains(kinds, in.Codes) {
			kinds = append(kinds, in.Codes)
		}
	}
	sort.Strings(kinds)
	return kinds
}

// checkCodes reports the problems of a set's codes: a kind no input holds, a code that is
// not a name, given twice, or with words missing in a language; and one code declared in
// two kinds with other words.
func (s *Set) checkCodes() Errors {
	var errs Errors
	add := func(field, msg string) { errs = append(errs, &Error{Set: s.ID, Field: field, Message: msg}) }
	kinds := codeKinds()
	type declared struct {
		kind string
		code Code
	}
	seen := map[string]declared{}
	for _, kind := range sortedKeys(s.Codes) {
		if !slices.Contains(kinds, kind) {
			add("codes."+kind, fmt.Sprintf("no input holds codes of kind %q; the kinds are %v", kind, kinds))
			continue
		}
		inKind := map[string]bool{}
		for i, c := range s.Codes[kind] {
			field := fmt.Sprintf("codes.%s[%d]", kind, i)
			if msg := badCode(c.Code); msg != "" {
				add(field+".code", msg)
				continue
			}
			if inKind[c.Code] {
				add(field+".code", fmt.Sprintf("code %q is given twice", c.Code))
			}
			inKind[c.Code] = true
			for _, tag := range languages {
				if c.Words[tag.String()] == "" {
					add(field+"."+tag.String(), "missing: every code has its words in kk, ru and en")
				}
				if len(c.Plural) > 0 && c.Plural[tag.String()] == "" {
					add(field+".plural."+tag.String(), "missing: a plural is given in kk, ru and en, or not at all")
				}
			}
			if prev, ok := seen[c.Code]; ok && prev.kind != kind && !sameWords(prev.code, c) {
				add(field+".code", fmt.Sprintf("code %q is declared in kind %s too, with other words", c.Code, prev.kind))
			}
			seen[c.Code] = declared{kind, c}
		}
	}
	return errs
}

func sameWords(a, b Code) bool {
	for _, tag := range languages {
		l := tag.String()
		if a.Words[l] != b.Words[l] || a.Plural[l] != b.Plural[l] {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Codes returns the codes of that kind that some set of the history knows, in the order
// of the sets' declarations, oldest set first: the values an application may give for
// an input holding codes of that kind ([Input.Codes]).
func (p *Program) Codes(kind string) []string {
	var out []string
	for _, c := range p.sets {
		for _, code := range c.set.Codes[kind] {
			if !slices.Contains(out, code.Code) {
				out = append(out, code.Code)
			}
		}
	}
	return out
}

// badCode says what is wrong with a code's name: it is a name as a rule's id is, and not
// true or false, whose words are the vocabulary's.
func badCode(code string) string {
	switch {
	case code == "true" || code == "false":
		return fmt.Sprintf("code %q is reserved: true and false are words of every set", code)
	case code == "" || len(code) > maxNameLength || !nameRE.MatchString(code):
		return fmt.Sprintf("code %q must be 1 to %d lower-case letters, digits and _, starting with a letter", code, maxNameLength)
	}
	return ""
}
