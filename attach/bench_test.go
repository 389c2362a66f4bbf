package attach

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/emkhana/emkhana/rules"
	"github.com/expr-lang/expr"
)

// benchApps are the benchmarks' inputs: generated applications that the built-in history
// decides, about half approved and half rejected, across both sets.
func benchApps(b *testing.B) []*Application {
	b.Helper()
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	var apps []*Application
	approved := 0
	for i := 0; len(apps) < 64; i++ {
		app, _ := genApplication(r, i)
		d, err := e.Decide(app)
		if err != nil {
			continue
		}
		if d.Approved() {
			if approved >= 32 {
				continue
			}
			approved++
		} else if len(apps)-approved >= 32 {
			continue
		}
		apps = append(apps, app)
	}
	return apps
}

func BenchmarkDecide(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	apps := benchApps(b)
	var d Decision
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := e.DecideInto(&d, apps[i%len(apps)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkReference(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	loc := e.prog.Location()
	apps := benchApps(b)
	var d refDecision
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		app := apps[i%len(apps)]
		today, age, err := validate(app, loc, e.known)
		if err != nil {
			b.Fatal(err)
		}
		reference(app, today, age, &d)
		i++
	}
}

func BenchmarkDecideParallel(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	apps := benchApps(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var d Decision
		i := 0
		for pb.Next() {
			if err := e.DecideInto(&d, apps[i%len(apps)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	h := rules.Builtin()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNaiveEval is the anti-pattern, for scale: expr.Eval parses, checks and runs
// every fact and rule expression again for each application.
func BenchmarkNaiveEval(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	loc := e.prog.Location()
	apps := benchApps(b)
	funcs := map[string]any{
		"hasAnyPrefix": func(s string, prefixes []string) bool {
			for _, p := range prefixes {
				if len(s) >= len(p) && s[:len(p)] == p {
					return true
				}
			}
			return false
		},
		"addMonths":     func(d, n int) int { return int(rules.Date(d).AddMonths(n)) },
		"startOfPeriod": func(d, months int) int { return int(rules.NewDate(rules.Date(d).Year(), 1, 1)) },
		"nextMonthDay": func(d, md int) int {
			if next := rules.MonthDay(md).In(rules.Date(d).Year()); int(next) > d {
				return int(next)
			}
			return int(rules.MonthDay(md).In(rules.Date(d).Year() + 1))
		},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var env rules.Env
		today, err := prepare(apps[i%len(apps)], loc, e.known, &env)
		if err != nil {
			b.Fatal(err)
		}
		i++
		c, ok := e.prog.At(today)
		if !ok {
			b.Fatal("no set")
		}
		s := c.Set()
		params := map[string]any{}
		for _, p := range s.Params {
			v := p.Value.Any()
			switch p.Value.Kind() {
			case rules.DateKind, rules.MonthDayKind:
				v = p.Value.Int()
			}
			params[p.Name] = v
		}
		m := map[string]any{"params": params}
		for _, in := range rules.Inputs() {
			obj, field, _ := strings.Cut(in.Name, ".")
			if m[obj] == nil {
				m[obj] = map[string]any{}
			}
			v, _ := env.Value(in.Name)
			x := v.Any()
			if k := v.Kind(); k == rules.DateKind || k == rules.MonthDayKind {
				x = v.Int()
			}
			m[obj].(map[string]any)[field] = x
		}
		for k, f := range funcs {
			m[k] = f
		}
		for _, f := range s.Facts { // the built-in sets list facts after those they read
			v, err := expr.Eval(f.Expr, m)
			if err != nil {
				b.Fatal(f.Name, err)
			}
			m[f.Name] = v
		}
		for _, r := range s.Rules {
			if _, err := expr.Eval(r.Expr, m); err != nil {
				b.Fatal(r.ID, err)
			}
		}
		if _, err := expr.Eval(s.TakesEffect, m); err != nil {
			b.Fatal(err)
		}
	}
}

// rejectedApps are the rejected applications of benchApps: what Explain and Remedies
// are asked about.
func rejectedApps(b *testing.B, e *Engine) []*Application {
	var out []*Application
	for _, app := range benchApps(b) {
		if d, err := e.Decide(app); err == nil && !d.Approved() {
			out = append(out, app)
		}
	}
	return out
}

// BenchmarkExplain explains a decided rejection in Russian: what a service does per
// request after Decide. Compare with BenchmarkDecide.
func BenchmarkExplain(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	apps := rejectedApps(b, e)
	ds := make([]Decision, len(apps))
	for i, app := range apps {
		if ds[i], err = e.Decide(app); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if x := e.Explain(&ds[i%len(ds)], "ru-KZ,ru;q=0.9"); len(x.Messages) == 0 {
			b.Fatal("no message for a rejection")
		}
		i++
	}
}

// BenchmarkRemedies finds the remedies of a rejection, with two other doctors of the
// clinic, in Russian. Compare with BenchmarkDecide.
func BenchmarkRemedies(b *testing.B) {
	e, err := New(rules.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	apps := rejectedApps(b, e)
	others := []Doctor{{ID: "D2", Specialty: Therapist, Attached: 1990}, {ID: "D3", Specialty: GeneralPractitioner, Attached: 2100}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := e.Remedies(apps[i%len(apps)], "ru-KZ,ru;q=0.9", others...); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
