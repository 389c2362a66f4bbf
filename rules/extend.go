package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// How a set extends another. A document with "extends" names the set it starts from: a
// built-in set, or another set of the same history. Its other fields change that set:
//
//	"values"   sets parameters of the base by name: {"capacity": 1700}
//	"params"   declares new parameters
//	"facts"    adds facts, or replaces the base's fact of the same name
//	"rules"    adds rules at the end, or after the rule named by "after"; a rule with
//	           the id of one of the base's replaces it, in its place or after "after"
//	"remove"   drops the base's rules by id
//	"remove_facts"
//	           drops the base's facts by name (a reform without a campaign drops the
//	           campaign's days, which the engine would otherwise propose)
//	"codes"    adds codes, or replaces the words of a code of the same kind
//	"takes_effect", "effective_until", "title", "effective_from"
//	           replace the base's; "effective_from" is the base's when left out
//
// The result is a whole set, checked and compiled as any other; [Set.Extends] names the
// base.

// resolve builds the sets of the documents, each extending set from its base: another
// document's set (resolved first) or one of bases. It adds each document's problems,
// naming it, to errs[i], and returns the history when there is none.
func resolve(docs []Document, parsed []*jsonSet, bases map[string]Set, errs []Errors) History {
	const (
		todo = iota
		busy
		done
	)
	state := make([]int, len(parsed))
	out := make([]*Set, len(parsed))
	byID := map[string]int{}
	for i := len(parsed) - 1; i >= 0; i-- {
		if parsed[i] == nil { // not JSON of a set: reported
			state[i] = done
			continue
		}
		byID[parsed[i].ID] = i
	}
	var visit func(i int)
	visit = func(i int) {
		if state[i] != todo {
			return
		}
		state[i] = busy
		js := parsed[i]
		var s Set
		var es Errors
		if js.Extends == "" {
			s, es = js.set()
		} else {
			var base *Set
			if j, ok := byID[js.Extends]; ok && j != i {
				switch visit(j); {
				case state[j] == busy:
					es = Errors{{Set: js.ID, Field: "extends", Message: fmt.Sprintf("sets extend each other in a cycle through %s", js.Extends)}}
				case out[j] == nil:
					es = Errors{{Set: js.ID, Field: "extends", Message: fmt.Sprintf("extends %s, which has errors", js.Extends)}}
				default:
					base = out[j]
				}
			} else if b, ok := bases[js.Extends]; ok {
				base = &b
			} else {
				known := slices.Sorted(maps.Keys(bases))
				es = Errors{{Set: js.ID, Field: "extends", Message: fmt.Sprintf("extends %q, which is neither a built-in set (%s) nor a set of the history", js.Extends, strings.Join(known, ", "))}}
			}
			if base != nil {
				s, es = js.extend(base)
			}
		}
		s.recordOrigins(js, &docs[i])
		if len(es) == 0 {
			es = s.check(nil)
		}
		for _, e := range es {
			s.place(e)
			if e.File == "" {
				e.File = docs[i].Name
			}
		}
		errs[i] = append(errs[i], es...)
		if len(es) == 0 {
			out[i] = &s
		}
		state[i] = done
	}
	for i := range parsed {
		visit(i)
	}
	if slices.Contains(out, nil) {
		return nil
	}
	h := make(History, len(out))
	for i, s := range out {
		h[i] = *s
	}
	return h
}

// extend returns the set js describes: base with js's changes made.
func (js *jsonSet) extend(base *Set) (Set, Errors) {
	own, errs := js.set()
	s := base.clone()
	s.ID, s.Extends = js.ID, base.ID
	if js.Title != "" {
		s.Title = js.Title
	}
	if js.EffectiveFrom != "" {
		s.EffectiveFrom = own.EffectiveFrom
	}
	if js.Zone != "" {
		s.Zone = js.Zone
	}
	if js.TakesEffect != "" {
		s.TakesEffect = js.TakesEffect
	}
	if js.EffectiveUntil != "" {
		s.EffectiveUntil = js.EffectiveUntil
	}
	add := func(field, msg string) { errs = append(errs, &Error{Set: js.ID, Field: field, Message: msg}) }
	for _, name := range sortedKeys(js.Values) {
		i := slices.IndexFunc(s.Params, func(p Param) bool { return p.Name == name })
		if i < 0 {
			add("values."+name, fmt.Sprintf("%s has no parameter %s; its parameters are %s", base.ID, name, paramNames(s.Params)))
			continue
		}
		v, err := decodeParam(s.Params[i].Value.Kind().String(), js.Values[name])
		if err != nil {
			add("values."+name, err.Error())
			continue
		}
		s.Params[i].Value = v
	}
	for _, p := range own.Params {
		if slices.ContainsFunc(s.Params, func(q Param) bool { return q.Name == p.Name }) {
			add("params."+p.Name, fmt.Sprintf("%s already has parameter %s: give its value under values", base.ID, p.Name))
			continue
		}
		s.Params = append(s.Params, p)
	}
	for _, f := range own.Facts {
		if i := slices.IndexFunc(s.Facts, func(g Fact) bool { return g.Name == f.Name }); i >= 0 {
			s.Facts[i] = f
		} else {
			s.Facts = append(s.Facts, f)
		}
	}
	for i, r := range own.Rules {
		after := js.Rules[i].After
		if j := slices.IndexFunc(s.Rules, func(q Rule) bool { return q.ID == r.ID }); j >= 0 {
			if after == "" {
				s.Rules[j] = r
				continue
			}
			s.Rules = slices.Delete(s.Rules, j, j+1)
		}
		at := len(s.Rules)
		if after != "" {
			k := slices.IndexFunc(s.Rules, func(q Rule) bool { return q.ID == after })
			if k < 0 {
				add(fmt.Sprintf("rules[%d].after", i), fmt.Sprintf("names rule %q, which the set does not have; its rules are %s", after, ruleIDs(s.Rules)))
				continue
			}
			at = k + 1
		}
		s.Rules = slices.Insert(s.Rules, at, r)
	}
	for i, id := range js.Remove {
		j := slices.IndexFunc(s.Rules, func(q Rule) bool { return q.ID == id })
		if j < 0 {
			add(fmt.Sprintf("remove[%d]", i), fmt.Sprintf("names rule %q, which the set does not have; its rules are %s", id, ruleIDs(s.Rules)))
			continue
		}
		s.Rules = slices.Delete(s.Rules, j, j+1)
	}
	for i, name := range js.RemoveFacts {
		j := slices.IndexFunc(s.Facts, func(f Fact) bool { return f.Name == name })
		if j < 0 {
			add(fmt.Sprintf("remove_facts[%d]", i), fmt.Sprintf("names fact %q, which the set does not have", name))
			continue
		}
		s.Facts = slices.Delete(s.Facts, j, j+1)
		for k := range s.Rules {
			s.Rules[k].Facts = slices.DeleteFunc(slices.Clone(s.Rules[k].Facts), func(f string) bool { return f == name })
		}
	}
	for kind, codes := range own.Codes {
		if s.Codes == nil {
			s.Codes = map[string][]Code{}
		}
		for _, c := range codes {
			if j := slices.IndexFunc(s.Codes[kind], func(d Code) bool { return d.Code == c.Code }); j >= 0 {
				s.Codes[kind][j] = c
			} else {
				s.Codes[kind] = append(s.Codes[kind], c)
			}
		}
	}
	return s, errs
}

// clone returns a copy of s that shares nothing a change of the copy's slices or maps
// could reach.
func (s *Set) clone() Set {
	c := *s
	c.Params = slices.Clone(s.Params)
	for i := range c.Params {
		c.Params[i].Min, c.Params[i].Max = cloneInt(c.Params[i].Min), cloneInt(c.Params[i].Max)
	}
	c.Facts = slices.Clone(s.Facts)
	c.Rules = slices.Clone(s.Rules)
	for i := range c.Rules {
		c.Rules[i].Facts = slices.Clone(c.Rules[i].Facts)
		c.Rules[i].Messages = maps.Clone(c.Rules[i].Messages)
	}
	c.Codes = map[string][]Code{}
	for k, v := range s.Codes {
		codes := slices.Clone(v)
		for i := range codes {
			codes[i].Words, codes[i].Plural = maps.Clone(codes[i].Words), maps.Clone(codes[i].Plural)
		}
		c.Codes[k] = codes
	}
	return c
}

// cloneInt returns a pointer to a copy of *p, or nil.
func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func paramNames(ps []Param) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func ruleIDs(rs []Rule) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}
