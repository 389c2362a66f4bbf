// Package fast compiles a type-checked expr AST into typed Go closures, so that a rule
// expression runs without expr's VM, without boxing values in interfaces and without
// allocating.
//
// Compile accepts the node kinds that rule sets use (literals, names, member access, the
// comparison, logical and arithmetic operators, in, map index, the ternary, int(),
// float() and the functions the caller declares) and refuses anything else with an
// error: the caller then runs that expression with expr's VM. The closures read a frame
// of the caller's type F through the Resolver, so this package knows nothing of the
// application's shape.
//
// A closure that meets a runtime failure (a modulo by zero, a function that returns an
// error) panics with a *Error. The caller recovers it (IsFailure) and reports the failure;
// expr's VM is the authority on its message and position, so the caller may re-run the
// expression there to report it. Any other panic is a bug and must not be recovered.
package fast

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/ast"
)

// Kind is the type of a compiled expression's result.
type Kind uint8

// The kinds of results Compile produces.
const (
	Invalid   Kind = iota
	Bool           // bool
	Int            // int
	Float          // float64
	String         // string
	Strings        // []string
	IntMap         // map[string]int (map index and in only)
	stringSet      // map[string]struct{} (a constant built by expr's optimizer)
)

var (
	boolType    = reflect.TypeOf(false)
	intType     = reflect.TypeOf(0)
	floatType   = reflect.TypeOf(0.0)
	stringType  = reflect.TypeOf("")
	stringsType = reflect.TypeOf([]string(nil))
	intMapType  = reflect.TypeOf(map[string]int(nil))
	setType     = reflect.TypeOf(map[string]struct{}(nil))
)

// KindOf returns the Kind of values of type t, or Invalid when t is none of them.
// Only the exact types count: a named type such as a Date defined over int is Invalid.
func KindOf(t reflect.Type) Kind {
	switch t {
	case boolType:
		return Bool
	case intType:
		return Int
	case floatType:
		return Float
	case stringType:
		return String
	case stringsType:
		return Strings
	case intMapType:
		return IntMap
	case setType:
		return stringSet
	}
	return Invalid
}

// Resolver tells Compile what the names of an expression are. The readers it gives must
// not panic: Expr.Fails counts only the failures of the nodes Compile compiles.
type Resolver[F any] struct {
	// Ident returns the reader of a top-level name: a func(*F) T for T one of bool, int,
	// float64, string, []string; a Field of F, read in place; or a constant of one of
	// those types.
	Ident func(name string) (any, bool)
	// Member returns the reader of obj.field (obj a top-level name), as Ident does, or a
	// constant map[string]int.
	Member func(obj, field string) (any, bool)
	// Funcs are the functions an expression may call, by name. Each is a
	// func(string, []string) bool, a func(string, int, []string) string, a
	// func(string, []string, int, []string) bool, a func(int, int) (int, error) or a
	// func(string, string) (string, error).
	Funcs map[string]any
}

// Expr is a compiled expression. The field of its Kind is set; the others are nil.
// The closures are safe for concurrent use with distinct frames.
type Expr[F any] struct {
	Kind Kind
	// Const is true when the expression reads nothing of the frame: its readers return
	// the same value whatever frame they are given, even nil.
	Const bool
	// Fails is true when the closures may panic with an *Error (a function that returns an
	// error, a modulo); the readers a Resolver gives must never panic.
	Fails bool
	// Field is, when the expression only reads a Field of the frame, that Field: a
	// Resolver may give it for a name that stands for the expression, so that what reads
	// the name reads the field in place. Its Kind is Invalid otherwise.
	Field   Field
	Bool    func(*F) bool
	Int     func(*F) int
	Float   func(*F) float64
	String  func(*F) string
	Strings func(*F) []string
}

// Error is the value a compiled closure panics with when the expression fails at run time.
type Error struct {
	Message string
	Offset  int // where the failing node starts in the expression, in characters from 0
}

// Error returns the message and where it happened.
func (e *Error) Error() string { return fmt.Sprintf("at %d: %s", e.Offset, e.Message) }

// IsFailure reports whether p, a value recovered from a panic, is a failure of a compiled
// closure: an *Error. A caller that recovers must panic again with any other value, which
// is a bug (a nil dereference, a reader that panicked), not a failure of the expression.
func IsFailure(p any) bool {
	_, ok := p.(*Error)
	return ok
}

// Compile compiles node, a type-checked and optimized expr AST (vm.Program.Node()).
// It returns an error naming the first node it does not support.
func Compile[F any](node ast.Node, r *Resolver[F]) (Expr[F], error) {
	c := compiler[F]{r: r}
	v, err := c.compile(node)
	if err != nil {
		return Expr[F]{}, err
	}
	e := Expr[F]{Kind: v.k, Const: v.c, Fails: c.fails}
	if v.field {
		e.Field = Field{Kind: v.k, Offset: v.off}
	}
	switch v.k {
	case Bool:
		e.Bool = v.b
	case Int:
		e.Int = v.i
	case Float:
		e.Float = v.f
	case String:
		e.String = v.s
	case Strings:
		e.Strings = v.l
	default:
		return Expr[F]{}, fmt.Errorf("fast: result of type %s is not supported", typeName(node.Type()))
	}
	return e, nil
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "unknown"
	}
	return t.String()
}

func fail(node ast.Node, format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...), Offset: node.Location().From}
}
