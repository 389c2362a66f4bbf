package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heavyBodies are loop bodies that cost expr's VM the most time per unit of estimated cost
// (TestCostMatchesTime times these and more): strings of two-byte runes read rune by rune
// and built, a regular expression, maps and lists built, fields of the application read
// with reflection, function calls.
var heavyBodies = []string{
	`upper(application.id) != ""`,
	`len(application.id) > 0`,
	`application.id matches "(?i)AC"`,
	`lower(application.id + citizen.residency) != ""`,
	`len(concat(params.l, params.l)) > 0`,
	`addMonths(application.date, # % 12) > 0`,
	`int(citizen.age) > 0`,
	`keys({"a": #, "b": #})[0] != ""`,
	`first(clinic.service_area) != citizen.address_code`,
	`len(keys(groupBy(clinic.service_area, #))) > 0`,
}

// worstParams are the parameters the heavy bodies read.
var worstParams = []Param{{Name: "l", Value: stringsValue(strings.Split("a,b,c,d,e,f,g,h", ","))}}

// loopOver returns an expression that runs body for each of n elements, whatever body
// gives, and then reads the fact read (when not "").
func loopOver(n int, body, read string) string {
	src := fmt.Sprintf("let R = 1..%d; none(R, (%s) && # < 0)", n, body)
	if read != "" {
		src += " && " + read
	}
	return src
}

// worstEnv is an application whose every list and string is as long as the default limits
// allow, of two-byte runes, so that every operation on them costs the most.
func worstEnv() *Env {
	long := func(c string) string { return strings.Repeat("ɐ", maxInputStringLen/2-1) + c }
	area := make([]string, maxInputListLen) // all different: uniq compares each with each
	for i := range area {
		area[i] = strings.Repeat("ɐ", maxInputStringLen/2-2) + fmt.Sprintf("%03d", i)
	}
	return envOf(map[string]any{
		"citizen.residency": long("c"), "citizen.address_code": long("7"), "citizen.age": 40,
		"citizen.current_clinic_id": long("x"), "citizen.current_doctor_id": long("y"),
		"clinic.id": long("c"), "clinic.service_area": area,
		"doctor.id": long("d"), "doctor.specialty": long("s"),
		"application.id": long("a"), "application.channel": long("e"), "application.reason": long("r"),
		"application.date": 20260105, "application.month_day": 105, "application.year": 2026,
	})
}

// worstSet returns the costliest set to evaluate that compiles at the limits l: l.MaxFacts
// facts, l.MaxRules rules and takes_effect, each a loop over the bodies given in turn,
// as long as its share of what is left of l.MaxCost allows (none when one step is over
// it, which leaves more to the others); each fact reads the one before it, and every rule
// reads the last.
func worstSet(t testing.TB, l Limits, bodies ...string) Set {
	t.Helper()
	const read = 4 // the && and the fact read
	type probe struct{ zero, one, step uint64 }
	probes := make([]probe, len(bodies))
	for i, body := range bodies {
		cost := func(n int) uint64 {
			c, err := compileRule(loopOver(n, body, ""), nil, worstParams, WithLimits(l))
			require.NoError(t, err)
			return c.rules[0].worst
		}
		probes[i] = probe{cost(0), cost(1), cost(2) - cost(1)}
	}
	exprs := l.MaxFacts + l.MaxRules + 1
	budget := uint64(l.MaxCost) - probes[0].zero // takes_effect's application.date, and slack
	k := 0
	next := func(fact string) string {
		p := probes[k%len(bodies)]
		share := budget / uint64(exprs-k)
		n, cost := 0, p.zero+read
		if share >= p.one+read {
			n = 1 + int((share-read-p.one)/p.step)
			cost = p.one + uint64(n-1)*p.step + read
		}
		budget -= cost
		src := loopOver(n, bodies[k%len(bodies)], fact)
		k++
		return src
	}
	s := testSet(nil)
	s.Params = worstParams
	s.Rules = nil
	prev := ""
	for i := range l.MaxFacts {
		name := "f" + itoa(i)
		s.Facts = append(s.Facts, Fact{Name: name, Expr: next(prev)})
		prev = name
	}
	for i := range l.MaxRules {
		s.Rules = append(s.Rules, Rule{ID: "r" + itoa(i), Expr: next(prev), Source: Citation{Publisher: "test", Quote: "test"}, Messages: testMessages})
	}
	s.TakesEffect = next(prev) + " ? application.date : application.date"
	return s
}

// worstSets are the costliest sets that compile at the default limits: one of all the
// heavy bodies, and one of each.
func worstSets(t testing.TB) map[string]Set {
	sets := map[string]Set{"mixed": worstSet(t, defaultLimits(), heavyBodies...)}
	for i, body := range heavyBodies {
		sets["body"+itoa(i)] = worstSet(t, defaultLimits(), body)
	}
	return sets
}

// TestWorstSetIsBounded: the costliest sets that compile at the default limits cost, by
// the estimate, nearly the limit and not more, and decide the longest application the
// limits allow. How long that takes, a few milliseconds, BenchmarkWorstSet measures.
func TestWorstSetIsBounded(t *testing.T) {
	for name, s := range worstSets(t) {
		t.Run(name, func(t *testing.T) { checkWorstSet(t, s) })
	}
}

func checkWorstSet(t *testing.T, s Set) {
	l := defaultLimits()
	p, err := Compile(History{s})
	require.NoError(t, err)
	c, _ := p.At(20180101)
	require.True(t, c.needVM, "loops run on expr's VM: the slowest path")
	assert.LessOrEqual(t, c.worst, uint64(l.MaxCost))
	assert.GreaterOrEqual(t, c.worst, uint64(l.MaxCost)*3/4, "the set takes nearly all of the limit")

	// A loop 1,000 steps longer puts the set over the limit.
	over := s
	over.Rules = append([]Rule(nil), s.Rules...)
	over.Rules[0].Expr = strings.Replace(over.Rules[0].Expr, "1..", "1..1"+strings.Repeat("0", 3)+"+", 1)
	_, err = Compile(History{over})
	require.Error(t, err)

	env := worstEnv()
	var r Result
	require.NoError(t, c.Eval(env, &r), "the costliest set decides the longest application")
}

// BenchmarkWorstSet evaluates the costliest sets that compile at the default limits, for
// the longest application they allow.
func BenchmarkWorstSet(b *testing.B) {
	sets := worstSets(b)
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		b.Run(name, func(b *testing.B) {
			c, _ := MustCompile(History{sets[name]}).At(20180101)
			env := worstEnv()
			var r Result
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Eval(env, &r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.worst), "cost/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.worst), "ns/unit")
		})
	}
}

// BenchmarkCostMatchesTime evaluates loops of many kinds of body on expr's VM, each as
// long as costs about the default limit, for the longest application the limits allow,
// and reports the time of a unit of its estimated cost (ns/unit) and its ratio to the
// simplest body's in the same run (x-simplest). The weights of cost.go keep a unit under
// 10 ns; a body far above the others is a construct whose cost the estimate misses (uniq,
// which compares each element with each, was one).
//
//	go test -run '^$' -bench CostMatchesTime ./rules
func BenchmarkCostMatchesTime(b *testing.B) {
	bodies := append([]string{
		`# > 0`, `true`, `citizen.age > #`, `upper(application.id) != ""`,
		`application.id contains citizen.address_code`, `application.id == clinic.id`,
		`application.id matches "a+b+c+"`, `application.id matches "(a|aa)*c"`,
		`!hasAnyPrefix(citizen.address_code, clinic.service_area)`, `len(split(application.id, "")) > 0`,
		`len(sortBy(1..100, -#)) > 0`, `len(sort(clinic.service_area)) > 0`, `len(groupBy(1..100, # % 7)) > 0`,
		`len(map(1..100, # * 2)) > 0`, `len(filter(1..100, # > 50)) > 0`, `application.id in clinic.service_area`,
		`len(uniq(clinic.service_area)) > 0`, `len(toPairs(groupBy(clinic.service_area, #))) > 0`,
		`len(reverse(clinic.service_area)) > 0`, `median(1..100) > 0`, `len(toBase64(application.id)) > 0`,
		`len(1..10) > 0`, `len(application.id) > 0`, `len([#, #, #, #, #]) > 0`, `int("123") > 0`,
		`trim(application.id) != ""`, `indexOf(application.id, "b") > 0`, `(# > 5 ? "a" : "b") != ""`,
		`application.id startsWith citizen.address_code`, `count(R[0:10], # > 2) > 0`,
		`trim(application.id, citizen.residency) != ""`, `len(map(clinic.service_area, upper(#))) > 0`,
		`application.id matches "(?i)A{1,8}C"`, `lower(citizen.address_code) != ""`,
		`clinic.service_area == clinic.service_area`, `len(sortBy(clinic.service_area, #)) > 0`,
		`len(fromPairs(map(clinic.service_area, [#, #]))) > 0`,
		`len(concat(clinic.service_area, clinic.service_area)) > 0`, `max(map(1..100, [#, #])) > 0`,
	}, heavyBodies...)
	env := worstEnv()
	l := defaultLimits()
	l.MaxCost, l.MaxMemory = 1<<40, 1<<30
	perUnit := func(b *testing.B, body string) float64 {
		// As many steps as cost about 500,000 units: a few milliseconds.
		c, err := compileRule(loopOver(1, body, ""), nil, worstParams, WithLimits(l))
		require.NoError(b, err, body)
		c, err = compileRule(loopOver(int(max(1, maxCost/c.worst)), body, ""), nil, worstParams, WithLimits(l))
		require.NoError(b, err, body)
		var r Result
		start := time.Now()
		for b.Loop() {
			require.NoError(b, c.Eval(env, &r), body)
		}
		return float64(time.Since(start).Nanoseconds()) / float64(b.N) / float64(c.worst)
	}
	var simplest float64
	b.Run("simplest", func(b *testing.B) { simplest = perUnit(b, bodies[0]) })
	for i, body := range bodies {
		b.Run(fmt.Sprintf("%02d %s", i, body), func(b *testing.B) {
			u := perUnit(b, body)
			b.ReportMetric(u, "ns/unit")
			b.ReportMetric(u/simplest, "x-simplest")
		})
	}
}
