package rules

import (
	"fmt"
	"math"
	"reflect"
	"regexp/syntax"

	"github.com/expr-lang/expr/ast"
)

// visit returns the cost and size of one node of a checked tree (cost.go says how they are
// counted); builtin, in cost_builtin.go, those of expr's builtins.
func (e *estimator) visit(node ast.Node) (uint64, *size) {
	switch n := node.(type) {
	case *ast.NilNode, *ast.BoolNode, *ast.IntegerNode, *ast.FloatNode:
		return 1, nil
	case *ast.StringNode:
		return 1, &size{n: uint64(len(n.Value))}
	case *ast.BytesNode:
		return 1, &size{n: uint64(len(n.Value))}
	case *ast.ConstantNode:
		return 1, sizeOf(reflect.ValueOf(n.Value))
	case *ast.IdentifierNode:
		return e.ident(n)
	case *ast.PointerNode:
		if n.Name != "" { // #index
			return 1, nil
		}
		if len(e.loops) == 0 {
			return e.noBound("# outside a predicate")
		}
		return costFetch, elemOf(e.loops[len(e.loops)-1])
	case *ast.MemberNode:
		return e.member(n)
	case *ast.ChainNode:
		return e.node(n.Node)
	case *ast.SliceNode:
		cost, sz := e.node(n.Node)
		for _, x := range []ast.Node{n.From, n.To} {
			if x != nil {
				c, _ := e.node(x)
				cost = add(cost, c)
			}
		}
		return add(cost, costFetch), sz
	case *ast.UnaryNode:
		cost, sz := e.node(n.Node)
		return add(cost, 1), sz
	case *ast.BinaryNode:
		return e.binary(n)
	case *ast.ConditionalNode:
		c, _ := e.node(n.Cond)
		a, as := e.node(n.Exp1)
		b, bs := e.node(n.Exp2)
		return add(add(c, max(a, b)), 1), maxSize(as, bs)
	case *ast.VariableDeclaratorNode:
		vc, vs := e.node(n.Value)
		e.vars = append(e.vars, scopeVar{n.Name, vs})
		c, sz := e.node(n.Expr)
		e.vars = e.vars[:len(e.vars)-1]
		return add(vc, c), sz
	case *ast.SequenceNode:
		var cost uint64
		var sz *size
		for _, x := range n.Nodes {
			var c uint64
			c, sz = e.node(x)
			cost = add(cost, c)
		}
		return cost, sz
	case *ast.ArrayNode:
		cost, elem := uint64(1), (*size)(nil)
		for _, x := range n.Nodes {
			c, s := e.node(x)
			cost, elem = add(cost, c), maxSize(elem, s)
		}
		return add(cost, build(uint64(len(n.Nodes)), costElem)), &size{n: uint64(len(n.Nodes)), elem: elem}
	case *ast.MapNode:
		cost, key, elem := uint64(1), (*size)(nil), (*size)(nil)
		for _, p := range n.Pairs {
			pair, ok := p.(*ast.PairNode)
			if !ok {
				return e.noBound("a map literal holds %T", p)
			}
			kc, ks := e.node(pair.Key)
			vc, vs := e.node(pair.Value)
			cost, key, elem = add(add(cost, kc), vc), maxSize(key, ks), maxSize(elem, vs)
		}
		return add(cost, add(costMap, mul(uint64(len(n.Pairs)), 2*costElem+scanCost(key.len())))), &size{n: uint64(len(n.Pairs)), elem: elem, key: key}
	case *ast.CallNode:
		return e.call(n)
	case *ast.BuiltinNode:
		return e.builtin(n)
	}
	return e.noBound("%s cannot be estimated", kindName(node))
}

func kindName(node ast.Node) string { return fmt.Sprintf("%T", node)[len("*ast."):] }

// sizeOf returns the size of a constant: a parameter's value or one expr's optimizer made.
func sizeOf(v reflect.Value) *size {
	switch v.Kind() {
	case reflect.String:
		return &size{n: uint64(v.Len())}
	case reflect.Slice, reflect.Array:
		s := &size{n: uint64(v.Len())}
		for i := range v.Len() {
			s.elem = maxSize(s.elem, sizeOf(v.Index(i)))
		}
		return s
	case reflect.Map:
		s := &size{n: uint64(v.Len())}
		it := v.MapRange()
		for it.Next() {
			s.key, s.elem = maxSize(s.key, sizeOf(it.Key())), maxSize(s.elem, sizeOf(it.Value()))
		}
		return s
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return sizeOf(v.Elem())
	case reflect.Struct:
		return unknownSize
	}
	return nil
}

func (e *estimator) ident(n *ast.IdentifierNode) (uint64, *size) {
	for i := len(e.vars) - 1; i >= 0; i-- {
		if e.vars[i].name == n.Value {
			return 1, e.vars[i].size
		}
	}
	if f, ok := e.facts[n.Value]; ok {
		return f.cost, f.size
	}
	switch n.Value {
	case "citizen", "clinic", "doctor", "application", "params":
		return 1, unknownSize // a part of Env, or all parameters: only its members have sizes
	}
	return e.noBound("%s has no known size", n.Value)
}

func (e *estimator) member(n *ast.MemberNode) (uint64, *size) {
	if n.Method {
		return e.noBound("method %s cannot be estimated", ast.Dump(n.Property))
	}
	if obj, ok := n.Node.(*ast.IdentifierNode); ok && e.isGlobal(obj.Value) {
		if field, ok := n.Property.(*ast.StringNode); ok {
			switch obj.Value {
			case "params":
				if v, ok := e.params[field.Value]; ok {
					return costFetch, sizeOf(reflect.ValueOf(v))
				}
			case "citizen", "clinic", "doctor", "application":
				if obj.Value+"."+field.Value == "clinic.service_area" {
					return costEnv, e.inputList()
				}
				if n.Type() != nil && n.Type().Kind() == reflect.String {
					return costEnv, e.inputString()
				}
				return costEnv, nil
			}
		}
	}
	// An index: a list's element, a map's value, a string's rune.
	c, sz := e.node(n.Node)
	kc, ks := e.node(n.Property)
	cost := add(add(c, kc), costFetch)
	if t := n.Node.Type(); t != nil && t.Kind() == reflect.String {
		return cost, &size{n: maxRuneSize}
	}
	if t := n.Node.Type(); t != nil && t.Kind() == reflect.Map {
		cost = add(cost, scanCost(ks.len())) // the key is hashed
	}
	return cost, elemOf(sz)
}

// isGlobal reports whether name is one of Env's parts or params, not a let variable.
func (e *estimator) isGlobal(name string) bool {
	for _, v := range e.vars {
		if v.name == name {
			return false
		}
	}
	return true
}

func (e *estimator) binary(n *ast.BinaryNode) (uint64, *size) {
	lc, ls := e.node(n.Left)
	rc, rs := e.node(n.Right)
	cost := add(lc, rc)
	isString := func(x ast.Node) bool { t := x.Type(); return t != nil && t.Kind() == reflect.String }
	var op uint64 = 1
	var out *size
	switch n.Operator {
	case "==", "!=", "<", "<=", ">", ">=":
		switch {
		case isString(n.Left) || isString(n.Right):
			op = scanCost(min(ls.len(), rs.len()))
		case ls != nil || rs != nil: // lists or maps compare element by element
			op = add(1, mul(min(ls.len(), rs.len()), add(costReflect, scanCost(max(elemOf(ls).len(), elemOf(rs).len())))))
		}
	case "+":
		if ls != nil || rs != nil { // strings of unknown type: + is not bounded by MaxStringLen
			out = &size{n: add(ls.len(), rs.len())}
			op = buildStr(out.n)
		}
	case "contains": // Go's strings.Index is linear
		op = scanCost(add(ls.len(), rs.len()))
	case "startsWith", "endsWith":
		op = scanCost(min(ls.len(), rs.len()))
	case "matches":
		pattern, ok := n.Right.(*ast.StringNode)
		if !ok {
			return e.noBound("matches needs a pattern written as a string literal, compiled once")
		}
		re, err := syntax.Parse(pattern.Value, syntax.Perl)
		if err != nil {
			return e.noBound("the pattern does not compile: %v", err)
		}
		prog, err := syntax.Compile(re.Simplify())
		if err != nil {
			return e.noBound("the pattern does not compile: %v", err)
		}
		op = add(1, mul(add(ls.len(), 1), uint64(len(prog.Inst)))/costRegexp)
	case "in":
		switch t := n.Right.Type(); {
		case t != nil && t.Kind() == reflect.Map:
			op = scanCost(ls.len())
		case rs != nil:
			op = add(1, mul(rs.len(), add(costFetch, scanCost(min(ls.len(), elemOf(rs).len())))))
		}
	case "..":
		from, ok1 := e.constInt(n.Left)
		to, ok2 := e.constInt(n.Right)
		if !ok1 || !ok2 {
			// expr's VM refuses a range past its memory budget, before it is built.
			out = &size{n: uint64(e.limits.MaxMemory)}
		} else if to >= from {
			out = &size{n: uint64(to-from) + 1}
		} else {
			out = &size{n: 0}
		}
		op = build(out.n, costElem)
	case "??":
		out = maxSize(ls, rs)
	}
	return add(cost, op), out
}

// constInt returns the value of an int expression known when the set is compiled: a
// number, a parameter, or +, -, * of those.
func (e *estimator) constInt(node ast.Node) (int64, bool) {
	switch n := node.(type) {
	case *ast.IntegerNode:
		return int64(n.Value), true
	case *ast.ConstantNode:
		v, ok := n.Value.(int)
		return int64(v), ok
	case *ast.MemberNode:
		if obj, ok := n.Node.(*ast.IdentifierNode); ok && obj.Value == "params" && e.isGlobal("params") {
			if field, ok := n.Property.(*ast.StringNode); ok {
				v, ok := e.params[field.Value].(int)
				return int64(v), ok
			}
		}
	case *ast.UnaryNode:
		x, ok := e.constInt(n.Node)
		if ok && n.Operator == "-" && x != math.MinInt64 {
			return -x, true
		}
		return x, ok && n.Operator == "+"
	case *ast.BinaryNode:
		a, ok1 := e.constInt(n.Left)
		b, ok2 := e.constInt(n.Right)
		if !ok1 || !ok2 || a < -1<<31 || a > 1<<31 || b < -1<<31 || b > 1<<31 {
			return 0, false
		}
		switch n.Operator {
		case "+":
			return a + b, true
		case "-":
			return a - b, true
		case "*":
			return a * b, true
		}
	}
	return 0, false
}

func (e *estimator) call(n *ast.CallNode) (uint64, *size) {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return e.noBound("a call of %s cannot be estimated", kindName(n.Callee))
	}
	cost := uint64(0)
	args := make([]*size, len(n.Arguments))
	for i, a := range n.Arguments {
		c, s := e.node(a)
		cost, args[i] = add(cost, c), s
	}
	switch callee.Value {
	case "hasAnyPrefix":
		if len(args) == 2 {
			per := scanCost(min(args[0].len(), elemOf(args[1]).len()))
			return add(cost, add(costFetch, mul(args[1].len(), per))), nil
		}
	case "addMonths", "startOfPeriod", "nextMonthDay":
		return add(cost, costCall), nil
	case "adminUnit":
		if len(args) == 3 {
			return add(cost, add(costCall, mul(args[2].len(), scanCost(2)))), &size{n: args[0].len()}
		}
	case "inUnit":
		if len(args) == 4 {
			per := add(costCall, mul(args[3].len(), scanCost(2)))
			return add(cost, mul(args[1].len(), add(per, scanCost(args[0].len())))), nil
		}
	case concatName:
		if len(args) == 2 {
			out := min(add(args[0].len(), args[1].len()), uint64(e.limits.MaxStringLen))
			return add(cost, buildStr(out)), &size{n: out}
		}
	}
	return e.noBound("a call of %s cannot be estimated", callee.Value)
}
