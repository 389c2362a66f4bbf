package rules

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// Fields is a set of the fields of Env, used to say which parts of an application
// changed between two evaluations (see Compiled.EvalChanged). The zero Fields is empty.
type Fields uint32

// envFields are the fields of Env an expression may read, in the order of their bits.
var envFields = []string{
	"citizen.residency", "citizen.insured", "citizen.age", "citizen.address_code",
	"citizen.current_clinic_id", "citizen.current_doctor_id", "citizen.attached_since",
	"clinic.id", "clinic.fund_provider", "clinic.service_area",
	"doctor.id", "doctor.specialty", "doctor.attached",
	"application.id", "application.channel", "application.signed", "application.reason",
	"application.waives_home_visits", "application.date", "application.month_day", "application.year",
}

// sliceFields are the fields of Env that hold slices (a test checks them against Env). An
// Env copied into a Result shares their elements with the caller, who may change them once
// Eval returns: a fact that reads one is never deferred (compileFast), so that Result.Fact
// gives the value the evaluation saw.
var sliceFields, _ = FieldsOf("clinic.service_area")

// allFields is every field of Env (a test checks that envFields has numFields names).
const (
	numFields = 21
	allFields = Fields(1)<<numFields - 1
)

// FieldsOf returns the set of the named fields: a field such as "doctor.attached", or a
// whole part: "citizen", "clinic", "doctor" or "application".
func FieldsOf(names ...string) (Fields, error) {
	var f Fields
	for _, name := range names {
		g, ok := fieldsNamed(name)
		if !ok {
			return 0, fmt.Errorf("rules: %q is not a field or part of Env", name)
		}
		f |= g
	}
	return f, nil
}

func fieldsNamed(name string) (Fields, bool) {
	var f Fields
	for i, n := range envFields {
		if n == name || strings.HasPrefix(n, name+".") {
			f |= 1 << i
		}
	}
	return f, f != 0
}

// reads returns the fields of Env that the checked tree of an expression reads itself,
// not through facts: obj.field reads that field, obj alone (passed whole) every field of obj.
func reads(node ast.Node) Fields {
	var f Fields
	idents, members := map[string]int{}, map[string]int{}
	ast.Find(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			idents[n.Value]++
		case *ast.MemberNode:
			obj, ok1 := n.Node.(*ast.IdentifierNode)
			prop, ok2 := n.Property.(*ast.StringNode)
			if ok1 && ok2 {
				if g, ok := fieldsNamed(obj.Value + "." + prop.Value); ok {
					f |= g
					members[obj.Value]++
				}
			}
		}
		return false
	})
	for _, root := range []string{"citizen", "clinic", "doctor", "application"} {
		if idents[root] > members[root] {
			g, _ := fieldsNamed(root)
			f |= g
		}
	}
	return f
}

// computeReads sets, for every compiled expression, the fields of Env it reads directly
// or through the facts it reads.
func (c *Compiled) computeReads() {
	for _, i := range c.order { // facts first, each after those it reads
		c.facts[i].reads = c.readsOf(&c.facts[i])
	}
	for i := range c.rules {
		c.rules[i].reads = c.readsOf(&c.rules[i])
	}
	c.takes.reads = c.readsOf(&c.takes)
}

// readsOf returns the fields e reads itself or through the facts it names, whose reads
// must be known already; an expression that did not compile counts as reading all.
func (c *Compiled) readsOf(e *expression) Fields {
	if e.prog == nil {
		return allFields
	}
	f := reads(e.prog.Node())
	for _, d := range e.factDep {
		f |= c.facts[d].reads
	}
	return f
}

// EvalChanged is Eval for an env that differs from the one r was last evaluated with
// only in the changed fields: it evaluates again only the facts, rules and takes_effect
// that read a changed field, directly or through facts, and leaves the rest of r as it
// is. A query that decides one person against many doctors evaluates what reads only the
// person once. When r does not hold a successful evaluation of this set, or the set runs
// on expr's VM, it is Eval. The result is always the one Eval would give.
func (c *Compiled) EvalChanged(env *Env, r *Result, changed Fields) error {
	// r.last == c: r's storage is this set's, filled by a successful evaluation.
	if c.needVM || r.last != c {
		return c.Eval(env, r)
	}
	r.last = nil
	if c.evalFast(env, r, changed) {
		r.last = c
		return nil
	}
	return c.Eval(env, r)
}
