package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// ParseSet reads the one set of a document without a name, for tests.
func ParseSet(data []byte) (Set, error) {
	h, err := ParseHistory(Document{Data: data})
	if err != nil {
		return Set{}, err
	}
	return h[0], nil
}

// EnvOf is envOf for the package's external tests.
var EnvOf = envOf

// envOf returns an Env that gives every input of the table: those named in values with
// their values (a string, int, bool, []string or Date), the others the zero value of
// their kind. A name that is not an input, or a value of another kind, panics: it is a
// literal of a test.
func envOf(values map[string]any) *Env {
	env := &Env{}
	for i := range inputs {
		env.SetInput(i, inputs[i].Default())
	}
	for name, x := range values {
		if err := env.Set(name, anyValue(name, x)); err != nil {
			panic(err)
		}
	}
	return env
}

// anyValue returns x, a literal of a test for the input name (a string, int, bool,
// []string or Date), as a Value; a type ValueOf does not take panics.
func anyValue(name string, x any) Value {
	if v, ok := valueOfAny(x); ok {
		return v
	}
	panic(fmt.Sprintf("envOf: %s: a %T", name, x))
}

// set gives the input name of env the value x, as envOf reads it, and fails the test
// when Set refuses it.
func set(t testing.TB, env *Env, name string, x any) {
	t.Helper()
	if err := env.Set(name, anyValue(name, x)); err != nil {
		t.Fatal(err)
	}
}

// envText formats the inputs env gives, for the messages of failed tests.
func envText(env *Env) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range inputs {
		if v, ok := env.Value(inputs[i].Name); ok {
			if b.Len() > 1 {
				b.WriteString(", ")
			}
			if v.Kind() == String {
				fmt.Fprintf(&b, "%s: %q", inputs[i].Name, v.Str())
			} else {
				fmt.Fprintf(&b, "%s: %v", inputs[i].Name, v)
			}
		}
	}
	b.WriteByte('}')
	return b.String()
}

// evalVMOf evaluates env into r with expr's VM, as Eval does after the fast path fails:
// every expression when vmOnly.
func (c *Compiled) evalVMOf(env *Env, r *Result, vmOnly bool) error {
	r.frame.env = env.vals
	r.last = nil
	return c.evalVM(r, vmOnly)
}

// testMessages are the messages of every rule of testSet.
var testMessages = map[string]string{"kk": "k", "ru": "r", "en": "e"}

// testSet is a set in force from 2018-01-01 with the given facts and one rule per
// expression (ids r0, r1, ...).
func testSet(facts []Fact, ruleExprs ...string) Set {
	s := Set{ID: "t", EffectiveFrom: 20180101, Facts: facts, TakesEffect: "application.date"}
	for i, e := range ruleExprs {
		s.Rules = append(s.Rules, Rule{ID: "r" + string(rune('0'+i)), Expr: e,
			Source: Citation{Publisher: "test", Quote: "test"}, Messages: testMessages})
	}
	return s
}

// compileErrors compiles h and returns the details of its errors, "" when it compiles.
func compileErrors(t *testing.T, h History) string {
	t.Helper()
	_, err := Compile(h)
	if err == nil {
		return ""
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Compile = %T %v, want Errors", err, err)
	}
	return es.Details()
}

// itoa formats n in decimal, for names and texts of tests.
func itoa(n int) string { return intValue(n).String() }

// PluralText renders a plural placeholder of forms (in the template syntax: "one:# day",
// "=0:none", ...) for n, in language l of Languages, and the number as the printer writes
// it, for the tests of messages against x/text.
func PluralText(l int, forms []string, n int) (text, number string) {
	src := "{n|" + strings.Join(forms, "|") + "}"
	t, err := compileTemplate(src, l, map[string]int{"n": 0}, func(string, string) int { return 0 }, func(string) Kind { return Int })
	if err != nil {
		panic(err)
	}
	p := &Printer{tag: languages[l], lang: l, v: newVocab(l, nil)}
	return p.render(t, []msgArg{{fact: 0}}, []Value{intValue(n)}), p.v.number(int64(n))
}

// MustCompile is Compile for the tests' sets, known to be good; it panics on error.
func MustCompile(h History, opts ...Option) *Program {
	p, err := Compile(h, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// WithoutSnippets drops the snippet lines (" | ...") of errors' texts, for tests that
// check where and what, not the document's line.
func WithoutSnippets(text string) string { return withoutSnippets(text) }

func withoutSnippets(text string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.HasPrefix(line, " | ") {
			b.WriteString(line)
		}
	}
	return b.String()
}
