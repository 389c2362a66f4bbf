package fast

import (
	"fmt"
	"unsafe"
)

// Field is what a Resolver may give for a value that lies in the frame itself, Offset
// bytes from its start: the compiled closures read it in place instead of calling a
// reader, and the common comparisons of a field with a constant run as one closure.
// Kind is Bool (an int holding 0 or 1), Int, String or Strings. Compile refuses a Field
// that does not lie inside F, aligned for its kind.
type Field struct {
	Kind   Kind
	Offset uintptr
}

// fieldType returns the size and alignment of the Go value a Field of kind k holds.
func fieldType(k Kind) (size, align uintptr, ok bool) {
	switch k {
	case Bool, Int:
		return unsafe.Sizeof(0), unsafe.Alignof(0), true
	case String:
		return unsafe.Sizeof(""), unsafe.Alignof(""), true
	case Strings:
		return unsafe.Sizeof([]string(nil)), unsafe.Alignof([]string(nil)), true
	}
	return 0, 0, false
}

// field returns the val of a Field of F.
func field[F any](x Field) (val[F], error) {
	size, align, ok := fieldType(x.Kind)
	var zero F
	if !ok || x.Offset%align != 0 || x.Offset > unsafe.Sizeof(zero) || unsafe.Sizeof(zero)-x.Offset < size {
		return val[F]{}, fmt.Errorf("fast: field of kind %d at offset %d does not lie in a frame of %d bytes", x.Kind, x.Offset, unsafe.Sizeof(zero))
	}
	off := x.Offset
	v := val[F]{k: x.Kind, field: true, off: off}
	switch x.Kind {
	case Bool:
		v.b = func(f *F) bool { return *at[F, int](f, off) != 0 }
	case Int:
		v.i = func(f *F) int { return *at[F, int](f, off) }
	case String:
		v.s = func(f *F) string { return *at[F, string](f, off) }
	case Strings:
		v.l = func(f *F) []string { return *at[F, []string](f, off) }
	}
	return v, nil
}

// at returns the T at offset off of *f: a Field that compile checked.
func at[F, T any](f *F, off uintptr) *T { return (*T)(unsafe.Add(unsafe.Pointer(f), off)) }

// fieldCmpConst is cmpConst of a field: one closure, no reader. Not fieldCmp with the
// constant as a ref: reading it through the ref made a decision 10% slower.
func fieldCmpConst[F any, T int | string](op string, off uintptr, k T) func(*F) bool {
	switch op {
	case "==":
		return func(f *F) bool { return *at[F, T](f, off) == k }
	case "!=":
		return func(f *F) bool { return *at[F, T](f, off) != k }
	case "<":
		return func(f *F) bool { return *at[F, T](f, off) < k }
	case "<=":
		return func(f *F) bool { return *at[F, T](f, off) <= k }
	case ">":
		return func(f *F) bool { return *at[F, T](f, off) > k }
	}
	return func(f *F) bool { return *at[F, T](f, off) >= k }
}

// fieldCmp is cmp of two fields: one closure, no reader.
func fieldCmp[F any, T int | string](op string, x, y uintptr) func(*F) bool {
	switch op {
	case "==":
		return func(f *F) bool { return *at[F, T](f, x) == *at[F, T](f, y) }
	case "!=":
		return func(f *F) bool { return *at[F, T](f, x) != *at[F, T](f, y) }
	case "<":
		return func(f *F) bool { return *at[F, T](f, x) < *at[F, T](f, y) }
	case "<=":
		return func(f *F) bool { return *at[F, T](f, x) <= *at[F, T](f, y) }
	case ">":
		return func(f *F) bool { return *at[F, T](f, x) > *at[F, T](f, y) }
	}
	return func(f *F) bool { return *at[F, T](f, x) >= *at[F, T](f, y) }
}

// fieldChain is chain of two terms, one of them or both a Bool field, read in place.
func fieldChain[F any](l, r val[F], and bool) func(*F) bool {
	a, b := l.b, r.b
	x, y := l.off, r.off
	switch {
	case l.field && r.field && and:
		return func(f *F) bool { return *at[F, int](f, x) != 0 && *at[F, int](f, y) != 0 }
	case l.field && r.field:
		return func(f *F) bool { return *at[F, int](f, x) != 0 || *at[F, int](f, y) != 0 }
	case l.field && and:
		return func(f *F) bool { return *at[F, int](f, x) != 0 && b(f) }
	case l.field:
		return func(f *F) bool { return *at[F, int](f, x) != 0 || b(f) }
	case and:
		return func(f *F) bool { return a(f) && *at[F, int](f, y) != 0 }
	}
	return func(f *F) bool { return a(f) || *at[F, int](f, y) != 0 }
}

// ref is an operand of a function call read in place: a constant's value, or a Field of
// the frame. A call whose operands after the first are refs runs as one closure: its get
// is inlined there, where calling a reader that returns a constant would cost a call.
type ref[F, T any] struct {
	base unsafe.Pointer // the constant's value; nil for a Field, at off in the frame
	off  uintptr
}

func (r ref[F, T]) get(f *F) T {
	p := r.base
	if p == nil {
		p = unsafe.Pointer(f)
	}
	return *(*T)(unsafe.Add(p, r.off))
}

// refOf returns the ref of a compiled operand, given its reader; false when it is
// neither a constant nor a Field.
func refOf[F, T any](v val[F], read func(*F) T) (ref[F, T], bool) {
	switch {
	case v.c:
		var zero *F
		x := read(zero)
		return ref[F, T]{base: unsafe.Pointer(&x)}, true
	case v.field:
		return ref[F, T]{off: v.off}, true
	}
	return ref[F, T]{}, false
}
