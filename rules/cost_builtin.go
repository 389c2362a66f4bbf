package rules

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
)

// loopBuiltins are expr's builtins that run a predicate once per element of a list.
var loopBuiltins = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
	"count": true, "sum": true, "groupBy": true, "sortBy": true,
}

// builtin returns the cost and size of a call of one of expr's builtins. A builtin that is
// not listed here has no known cost: the expression that calls it is refused.
func (e *estimator) builtin(n *ast.BuiltinNode) (uint64, *size) {
	if loopBuiltins[n.Name] && (len(n.Arguments) >= 2 || n.Map != nil) {
		return e.loop(n)
	}
	cost := uint64(costFetch) // a builtin's call
	args := make([]*size, len(n.Arguments))
	for i, a := range n.Arguments {
		c, s := e.node(a)
		cost, args[i] = add(cost, c), s
	}
	arg := func(i int) *size {
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	isString := func(i int) bool {
		t := n.Arguments[i].Type()
		return t != nil && t.Kind() == reflect.String
	}
	first, count := arg(0), arg(0).len()
	switch n.Name {
	case "type", "abs", "ceil", "floor", "round", "bitnot", "bitand", "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr":
		return cost, nil
	case "len", "int", "float":
		if len(args) == 1 && isString(0) { // len counts runes; int and float parse
			return add(cost, strCost(count)), nil
		}
		return cost, nil
	case "trim": // with a cutset, each rune is looked for in it
		return add(cost, add(mul(strCost(count), scanCost(arg(1).len())), buildStr(count))), first
	case "trimPrefix", "trimSuffix":
		return add(cost, add(scanCost(arg(1).len()), buildStr(count))), first
	case "upper", "lower": // each rune is mapped; its case may take more bytes: 2 become 3 at most
		out := add(count, count/2)
		return add(cost, add(count/costWrite, buildStr(out))), &size{n: out}
	case "split", "splitAfter":
		parts := add(count, 1)
		return add(cost, add(add(strCost(count), scanCost(mul(count, arg(1).len()))), build(parts, costElem))), &size{n: parts, elem: &size{n: count}}
	case "indexOf", "lastIndexOf": // Go's strings.Index is linear; the index counts runes
		return add(cost, add(scanCost(add(count, arg(1).len())), strCost(count))), nil
	case "hasPrefix", "hasSuffix":
		return add(cost, scanCost(min(count, arg(1).len()))), nil
	case "toBase64":
		out := mul(count/3+1, 4)
		return add(cost, add(strCost(count), buildStr(out))), &size{n: out}
	case "fromBase64":
		return add(cost, add(strCost(count), buildStr(count))), &size{n: count}
	case "max", "min", "mean", "median", "sum", "count":
		// over the numbers given and in the lists given, nested lists included; median
		// sorts a copy
		var elems uint64
		for _, a := range args {
			elems = add(elems, leaves(a))
		}
		if n.Name == "median" {
			elems = add(build(elems, costReflect), mul(elems, log2(elems)))
		}
		return add(cost, mul(elems, 2)), nil
	case "first", "last":
		return cost, elemOf(first)
	case "get":
		if len(args) == 2 {
			return add(cost, scanCost(arg(1).len())), elemOf(first)
		}
	case "take", "reverse":
		return add(cost, build(count, costReflect)), first
	case "uniq": // each element is compared with each one kept before it
		return add(cost, build(mul(count, count), add(costReflect, scanCost(elemOf(first).len())))), first
	case "sort":
		return add(cost, add(build(count, costReflect), mul(mul(count, log2(count)), scanCost(elemOf(first).len())))), first
	case "keys":
		if first == nil || first == unknownSize {
			return add(cost, build(count, costReflect)), unknownSize
		}
		return add(cost, build(count, costReflect)), &size{n: count, elem: first.key}
	case "values":
		return add(cost, build(count, costReflect)), &size{n: count, elem: elemOf(first)}
	case "toPairs":
		if first == nil || first == unknownSize {
			return add(cost, build(count, 2*costReflect)), unknownSize
		}
		return add(cost, build(count, 2*costReflect)), &size{n: count, elem: &size{n: 2, elem: maxSize(first.key, first.elem)}}
	case "fromPairs":
		pair := elemOf(elemOf(first))
		return add(cost, add(costMap, mul(count, add(2*costReflect, scanCost(pair.len()))))), &size{n: count, key: pair, elem: pair}
	case "concat":
		out := &size{}
		for _, a := range args {
			out.n, out.elem = add(out.n, a.len()), maxSize(out.elem, elemOf(a))
		}
		return add(cost, build(out.n, costReflect)), out
	}
	return e.noBound("the cost of %s cannot be estimated", n.Name)
}

// loop returns the cost and size of a builtin that runs its predicate (and, for a filter
// fused with a map, its map) once per element of its first argument.
func (e *estimator) loop(n *ast.BuiltinNode) (uint64, *size) {
	cost, coll := e.node(n.Arguments[0])
	count := coll.len()
	e.loops = append(e.loops, coll)
	var per uint64 = costFetch // one iteration: the loop's own steps
	var body *size
	if len(n.Arguments) >= 2 {
		b := n.Arguments[1]
		if p, ok := b.(*ast.PredicateNode); ok {
			b = p.Node
		}
		var c uint64
		c, body = e.node(b)
		per = add(per, c)
	}
	if n.Map != nil {
		c, s := e.node(n.Map)
		per, body = add(per, c), s
	}
	e.loops = e.loops[:len(e.loops)-1]
	for _, a := range n.Arguments[min(2, len(n.Arguments)):] { // sortBy's order
		c, _ := e.node(a)
		cost = add(cost, c)
	}
	cost = add(add(cost, costFetch), mul(count, per))
	switch n.Name {
	case "filter":
		elem := elemOf(coll)
		if n.Map != nil {
			elem = body
		}
		return add(cost, build(count, costElem)), &size{n: count, elem: elem}
	case "map":
		return add(cost, build(count, costElem)), &size{n: count, elem: body}
	case "find", "findLast":
		return cost, elemOf(coll)
	case "groupBy": // each element hashed and appended to its group
		cost = add(cost, add(costMap, mul(count, add(costReflect, scanCost(body.len())))))
		return cost, &size{n: count, key: body, elem: &size{n: count, elem: elemOf(coll)}}
	case "sortBy":
		return add(cost, add(build(count, costReflect), mul(mul(count, log2(count)), scanCost(body.len())))), coll
	}
	return cost, nil
}

// leaves returns how many values a value of size s holds, its lists flattened: what max,
// min, mean and median, which read nested lists, go through.
func leaves(s *size) uint64 {
	if s == nil || s == unknownSize {
		if s == nil {
			return 1
		}
		return unbounded
	}
	return mul(max(s.n, 1), leaves(s.elem))
}
