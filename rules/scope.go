package rules

import (
	"github.com/expr-lang/expr/ast"
)

// reads returns the inputs that the checked tree of an expression reads itself, not
// through facts: obj.field reads that input, obj alone (passed whole) every input of obj.
func reads(node ast.Node) inputSet {
	var s inputSet
	idents, members := map[string]int{}, map[string]int{}
	ast.Find(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			idents[n.Value]++
		case *ast.MemberNode:
			obj, ok1 := n.Node.(*ast.IdentifierNode)
			prop, ok2 := n.Property.(*ast.StringNode)
			if ok1 && ok2 {
				if g, ok := inputsNamed(obj.Value + "." + prop.Value); ok {
					s |= g
					members[obj.Value]++
				}
			}
		}
		return false
	})
	for _, root := range objects {
		if idents[root] > members[root] {
			g, _ := inputsNamed(root)
			s |= g
		}
	}
	return s
}

// computeReads sets, for every compiled expression, the inputs it reads directly or
// through the facts it reads, and the inputs the set needs: those it reads that an
// application must give when they are read.
func (c *Compiled) computeReads() {
	for _, i := range c.order { // facts first, each after those it reads
		c.facts[i].reads = c.readsOf(&c.facts[i])
	}
	c.reads = 0
	for i := range c.rules {
		c.rules[i].reads = c.readsOf(&c.rules[i])
		c.reads |= c.rules[i].reads
	}
	c.takes.reads = c.readsOf(&c.takes)
	c.reads |= c.takes.reads
	if c.until.prog != nil {
		c.until.reads = c.readsOf(&c.until)
		c.reads |= c.until.reads
	}
	for i := range c.facts {
		c.reads |= c.facts[i].reads
	}
	c.needs = 0
	for i := range inputs {
		if c.reads&(1<<i) != 0 && inputs[i].Required != Optional {
			c.needs |= 1 << i
		}
	}
}

// readsOf returns the inputs e reads itself or through the facts it names, whose reads
// must be known already; an expression that did not compile counts as reading all.
func (c *Compiled) readsOf(e *expression) inputSet {
	if e.prog == nil {
		return allInputs
	}
	s := reads(e.prog.Node())
	for _, d := range e.factDep {
		s |= c.facts[d].reads
	}
	return s
}

// Reads returns the names of the inputs the set's expressions read, in the table's
// order ([Inputs]).
func (c *Compiled) Reads() []string { return c.reads.names() }

// RuleReads returns the names of the inputs rule i of the set reads, directly or through
// the facts it reads, in the table's order; nil when i is not a rule of the set. A rule
// that reads none of some inputs decides the same whatever they hold.
func (c *Compiled) RuleReads(i int) []string {
	if i < 0 || i >= len(c.rules) {
		return nil
	}
	return c.rules[i].reads.names()
}

// Missing returns the names of the inputs the set reads that env does not give and an
// application must give when they are read (every input but the Optional ones), in the
// table's order; nil when env gives all of them. Eval refuses such an env.
func (c *Compiled) Missing(env *Env) []string {
	if m := c.needs &^ env.given; m != 0 {
		return m.names()
	}
	return nil
}
