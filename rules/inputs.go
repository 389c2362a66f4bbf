package rules

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unsafe"

	"github.com/emkhana/emkhana/rules/internal/fast"
	"github.com/expr-lang/expr/types"
)

// The table of inputs: every value a rule expression may read about an application. The
// expr environment that expressions are checked against, the readers the fast path
// compiles, the analysis of which inputs an expression reads, Env and the list of names
// in doc.go all come from this one table (a test holds doc.go to it); package attach fills
// each input from an Application by its name, and a test there holds its table to this one.
//
// To add an input: a row here (and its slot count below), a field of attach.Application,
// and a row of attach's table of fields.

// Requirement says when an application must give an input.
type Requirement uint8

// The requirements of inputs.
const (
	// RequiredAlways: every application gives the input; an application without it is
	// invalid whatever the rules.
	RequiredAlways Requirement = iota
	// RequiredWhenRead: an application decided by a set that reads the input must give it;
	// one without it is invalid for that set, never read as a zero.
	RequiredWhenRead
	// Optional: the input may be left out, and then reads as its documented default, the
	// zero value of its kind (false, 0, "", no date).
	Optional
)

// String returns "always", "when read" or "optional".
func (r Requirement) String() string {
	switch r {
	case RequiredAlways:
		return "always"
	case RequiredWhenRead:
		return "when read"
	}
	return "optional"
}

// Input is one value rule expressions read about an application: a row of the table of
// inputs that [Inputs] returns.
type Input struct {
	// Name is the input as an expression writes it: "citizen.age". Its first part is one
	// of citizen, clinic, doctor and application.
	Name string
	// Kind is Bool, Int, String, Strings, DateKind (a number YYYYMMDD in expressions) or
	// MonthDayKind (MMDD).
	Kind Kind
	// Required says when an application must give the input.
	Required Requirement
	// Codes names the kind of code a String input holds ("residency", "reason", ...):
	// its values are the codes the rule sets declare under that name. "" for free text.
	Codes string
	// Doc says what the input is, and for an Optional one what its default means.
	Doc string

	slot int // its place among the slots of its kind in Env
}

// Default returns the value an Optional input reads as when it is not given: the zero
// value of its kind.
func (in *Input) Default() Value {
	switch in.Kind {
	case Bool:
		return boolValue(false)
	case Int:
		return intValue(0)
	case String:
		return stringValue("")
	case Strings:
		return stringsValue(nil)
	case DateKind:
		return dateValue(0)
	case MonthDayKind:
		return monthDayValue(0)
	}
	return Value{}
}

// inputs is the table. Its order is the order of [Inputs] and of the bits of inputSet.
var inputs = [...]Input{
	{Name: "citizen.residency", Kind: String, Required: RequiredAlways, Codes: "residency", Doc: "the person's residency status"},
	{Name: "citizen.insured", Kind: Bool, Required: Optional, Doc: "insured under compulsory social health insurance (ОСМС); default false"},
	{Name: "citizen.age", Kind: Int, Required: RequiredAlways, Doc: "whole years on the local submission date (from citizen.birth_date, else the IIN)"},
	{Name: "citizen.address_code", Kind: String, Required: RequiredAlways, Doc: "KATO code of the residence (9 digits)"},
	{Name: "citizen.actual_address_code", Kind: String, Required: Optional, Doc: `KATO code of the actual residence (9 digits), where a child under five or a pregnant woman may be served; default "": none`},
	{Name: "citizen.pregnant", Kind: Bool, Required: Optional, Doc: "the person is pregnant; default false"},
	{Name: "citizen.contract_until", Kind: DateKind, Required: Optional, Doc: "the last day of a temporary resident's employment contract or insurance; default none (0)"},
	{Name: "citizen.current_clinic_id", Kind: String, Required: Optional, Doc: `the clinic the person is attached to; default "": attached nowhere`},
	{Name: "citizen.current_doctor_id", Kind: String, Required: Optional, Doc: `the doctor the person is attached to; default "": attached nowhere`},
	{Name: "citizen.attached_since", Kind: DateKind, Required: Optional, Doc: "the day the present attachment took effect; default none (0), given with citizen.current_clinic_id"},
	{Name: "clinic.id", Kind: String, Required: RequiredAlways, Doc: "the chosen clinic"},
	{Name: "clinic.address_code", Kind: String, Required: Optional, Doc: `KATO code of the clinic's location (9 digits); default "": the clinic lies where its service area does`},
	{Name: "clinic.fund_provider", Kind: Bool, Required: RequiredWhenRead, Doc: "the clinic is on the Social Health Insurance Fund's provider list"},
	{Name: "clinic.service_area", Kind: Strings, Required: RequiredWhenRead, Doc: "KATO code prefixes of the clinic's service area"},
	{Name: "doctor.id", Kind: String, Required: RequiredAlways, Doc: "the chosen district doctor"},
	{Name: "doctor.specialty", Kind: String, Required: RequiredAlways, Codes: "specialty", Doc: "the doctor's specialty"},
	{Name: "doctor.attached", Kind: Int, Required: RequiredWhenRead, Doc: "people attached to the doctor now"},
	{Name: "application.id", Kind: String, Required: RequiredAlways, Doc: "the application's id"},
	{Name: "application.channel", Kind: String, Required: RequiredAlways, Codes: "channel", Doc: "how the application was made"},
	{Name: "application.signed", Kind: Bool, Required: RequiredWhenRead, Doc: "signed: by ЭЦП online, by hand in person"},
	{Name: "application.reason", Kind: String, Required: Optional, Codes: "reason", Doc: `the reason given for a change; default "": none`},
	{Name: "application.waives_home_visits", Kind: Bool, Required: Optional, Doc: "the applicant agrees to give up home visits; default false"},
	{Name: "application.date", Kind: DateKind, Required: RequiredAlways, Doc: "the local civil date of submission"},
	{Name: "application.month_day", Kind: MonthDayKind, Required: RequiredAlways, Doc: "the same day without its year"},
	{Name: "application.year", Kind: Int, Required: RequiredAlways, Doc: "the year of the submission date"},
}

// The slots of Env by kind of input; init checks them against the table.
const (
	numStringSlots = 12 // String inputs
	numNumberSlots = 12 // Bool, Int, DateKind and MonthDayKind inputs
	numListSlots   = 1  // Strings inputs
)

// objects are the parts of an application an expression names, in the order of doc.go.
var objects = [...]string{"citizen", "clinic", "doctor", "application"}

// inputIndex is the index in inputs of each input, by name.
var inputIndex = map[string]int{}

// strAt, intAt, boolAt and listAt are, by input, its slot in Env if it is of their kind
// (intAt: Int, DateKind or MonthDayKind), else noSlot: the typed setters read them, and a
// slot below the length of its array is the one check they need.
var strAt, intAt, boolAt, listAt [len(inputs)]uint8

const noSlot = 255

// strInput, numInput and listInput are, by slot of Env, the input in it.
var (
	strInput  [numStringSlots]inputSet
	numInput  [numNumberSlots]inputSet
	listInput [numListSlots]inputSet
)

// sliceInputs are the inputs that hold slices. An Env shares their elements with the
// caller, who may change them once Eval returns: a fact that reads one is never deferred
// (compileFast), so that [Result.Fact] gives the value the evaluation saw.
var sliceInputs inputSet

func init() {
	var str, num, list int
	for i := range inputs {
		in := &inputs[i]
		obj, _, _ := strings.Cut(in.Name, ".")
		if _, dup := inputIndex[in.Name]; dup || !isObject(obj) {
			panic("rules: input table: " + in.Name) // caught by the package's tests
		}
		inputIndex[in.Name] = i
		strAt[i], intAt[i], boolAt[i], listAt[i] = noSlot, noSlot, noSlot, noSlot
		switch in.Kind {
		case String:
			in.slot, str = str, str+1
			strAt[i] = uint8(in.slot)
			strInput[in.slot] = 1 << i
		case Bool, Int, DateKind, MonthDayKind:
			in.slot, num = num, num+1
			numInput[in.slot] = 1 << i
			if in.Kind == Bool {
				boolAt[i] = uint8(in.slot)
			} else {
				intAt[i] = uint8(in.slot)
			}
		case Strings:
			in.slot, list = list, list+1
			listAt[i] = uint8(in.slot)
			listInput[in.slot] = 1 << i
			sliceInputs |= 1 << i
		default:
			panic("rules: input table: kind of " + in.Name)
		}
	}
	if str != numStringSlots || num != numNumberSlots || list != numListSlots || len(inputs) > 64 || max(str, num, list) >= noSlot {
		panic(fmt.Sprintf("rules: input table: %d string, %d number and %d list inputs; the slot counts say %d, %d, %d", str, num, list, numStringSlots, numNumberSlots, numListSlots))
	}
}

func isObject(name string) bool {
	for _, o := range objects {
		if o == name {
			return true
		}
	}
	return false
}

// Inputs returns the table of inputs, in a new slice: every value a rule expression may
// read about an application, with its kind and when an application must give it.
func Inputs() []Input { return append([]Input(nil), inputs[:]...) }

// inputSet is a set of inputs, a bit per index in the table. The zero inputSet is empty.
type inputSet uint64

// allInputs is every input.
const allInputs = inputSet(1)<<len(inputs) - 1

// inputsNamed returns the set of the inputs of that name: an input such as
// "doctor.attached", or a whole part: "citizen", "clinic", "doctor" or "application".
func inputsNamed(name string) (inputSet, bool) {
	if i, ok := inputIndex[name]; ok {
		return 1 << i, true
	}
	var s inputSet
	for i := range inputs {
		if strings.HasPrefix(inputs[i].Name, name+".") {
			s |= 1 << i
		}
	}
	return s, s != 0
}

// names returns the names of the inputs of s, in the table's order.
func (s inputSet) names() []string {
	out := make([]string, 0, bits.OnesCount64(uint64(s)))
	for i := range inputs {
		if s&(1<<i) != 0 {
			out = append(out, inputs[i].Name)
		}
	}
	return out
}

// Env is what rule expressions read about one application: a value for each input of
// the table ([Inputs]). The zero Env gives no input; an input not given reads as the zero
// value of its kind, and evaluating a set that needs it is an error. Package attach fills
// an Env from a validated application; other front ends and tests may fill one with Set.
// An Env is a plain value: copying one copies its values.
//
// Evaluating reads an Env and never writes it: one Env may be evaluated from several
// goroutines at once, as long as none changes it meanwhile.
type Env struct {
	vals  envValues
	given inputSet // the inputs set and not unset
}

// envValues are the values of an Env's inputs, in slots by kind (Input.slot).
type envValues struct {
	str  [numStringSlots]string
	num  [numNumberSlots]int // Bool (0 or 1), Int, DateKind, MonthDayKind
	list [numListSlots][]string
}

// Set gives the input of that name the value v. It fails when there is no such input or
// v is not of its kind (a date or day of the year may also be given as an Int).
func (e *Env) Set(name string, v Value) error {
	i, ok := inputIndex[name]
	if !ok {
		return fmt.Errorf("rules: %q is not an input; the inputs are %s", name, strings.Join(allInputs.names(), ", "))
	}
	in := &inputs[i]
	k := v.Kind()
	if k != in.Kind && !(k == Int && (in.Kind == DateKind || in.Kind == MonthDayKind)) {
		return fmt.Errorf("rules: input %s is of kind %s, not %s", name, in.Kind, k)
	}
	e.SetInput(i, v)
	return nil
}

// SetInput gives input i, its index in [Inputs], the value v, read as the input's kind. It
// is Set for a caller that looked the index up once; it does nothing for an i that is
// not an input.
func (e *Env) SetInput(i int, v Value) {
	if i < 0 || i >= len(inputs) {
		return
	}
	switch inputs[i].Kind {
	case String:
		e.SetString(i, v.Str())
	case Bool:
		e.SetBool(i, v.Bool())
	case Strings:
		e.SetStrings(i, v.Strings())
	default:
		e.SetInt(i, int(v.n))
	}
}

// SetString gives the String input i (its index in [Inputs]) the value s; it does nothing
// when i is not a String input. SetInt, SetBool and SetStrings do the same for the other
// kinds: they are the typed, allocation-free forms of SetInput.
func (e *Env) SetString(i int, s string) {
	if uint(i) < uint(len(inputs)) {
		if k := strAt[i]; k < numStringSlots {
			e.vals.str[k] = s
			e.changed(i)
		}
	}
}

// SetInt gives the Int, DateKind or MonthDayKind input i the value n (a date as YYYYMMDD).
func (e *Env) SetInt(i int, n int) {
	if uint(i) < uint(len(inputs)) {
		if k := intAt[i]; k < numNumberSlots {
			e.vals.num[k] = n
			e.changed(i)
		}
	}
}

// SetBool gives the Bool input i the value b.
func (e *Env) SetBool(i int, b bool) {
	if uint(i) < uint(len(inputs)) {
		if k := boolAt[i]; k < numNumberSlots {
			n := 0
			if b {
				n = 1
			}
			e.vals.num[k] = n
			e.changed(i)
		}
	}
}

// SetStrings gives the Strings input i the list l, shared, not copied.
func (e *Env) SetStrings(i int, l []string) {
	if uint(i) < uint(len(inputs)) {
		if k := listAt[i]; k < numListSlots {
			e.vals.list[k] = l
			e.changed(i)
		}
	}
}

// changed records that input i is given.
func (e *Env) changed(i int) { e.given |= 1 << i }

// Unset makes input i, its index in [Inputs], not given: it reads as its default.
func (e *Env) Unset(i int) {
	if i < 0 || i >= len(inputs) {
		return
	}
	bit := inputSet(1) << i
	if e.given&bit == 0 {
		return
	}
	in := &inputs[i]
	switch in.Kind {
	case String:
		e.vals.str[in.slot] = ""
	case Strings:
		e.vals.list[in.slot] = nil
	default:
		e.vals.num[in.slot] = 0
	}
	e.given &^= bit
}

// Value returns the value of the input of that name, as expressions read it, and
// whether it was given.
func (e *Env) Value(name string) (Value, bool) {
	i, ok := inputIndex[name]
	if !ok {
		return Value{}, false
	}
	return e.vals.value(i), e.given&(1<<i) != 0
}

// syncTo writes into old each value of ev that differs from it and returns the inputs
// whose values differed. A list counts as changed when it is another slice, or the same
// slice with other elements, changed in place: lists holds a copy of each list's elements
// as the last evaluation saw them (valid when kept), which then takes the new ones.
// It compares and writes in one pass, so that an incremental evaluation copies only what
// changed. It is not inlined: inlined into Eval, its loops made a decision without them
// (after Result.Reset) 10 ns slower (BenchmarkDecide, 240 -> 250 ns).
//
//go:noinline
func (ev *envValues) syncTo(old *envValues, lists *[numListSlots][]string, kept bool) inputSet {
	var s inputSet
	for k := range ev.str {
		a, b := ev.str[k], old.str[k]
		if len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b) {
			continue // the same string, as most are from one evaluation to the next: no call
		}
		if a != b {
			old.str[k] = a
			s |= strInput[k]
		}
	}
	for k := range ev.num {
		if ev.num[k] != old.num[k] {
			old.num[k] = ev.num[k]
			s |= numInput[k]
		}
	}
	for k := range ev.list {
		// Another slice is a change even with the same elements: a fact of the list's
		// value would keep the old one, which the caller may reuse once Eval returns.
		a, b := ev.list[k], old.list[k]
		if !kept || len(a) != len(b) || unsafe.SliceData(a) != unsafe.SliceData(b) || !slices.Equal(a, lists[k]) {
			lists[k] = append(lists[k][:0], ev.list[k]...)
			s |= listInput[k]
		}
	}
	old.list = ev.list
	return s
}

// value returns the value of input i.
func (ev *envValues) value(i int) Value {
	in := &inputs[i]
	switch in.Kind {
	case String:
		return stringValue(ev.str[in.slot])
	case Bool:
		return boolValue(ev.num[in.slot] != 0)
	case Int:
		return intValue(ev.num[in.slot])
	case DateKind:
		return dateValue(Date(ev.num[in.slot]))
	case MonthDayKind:
		return monthDayValue(MonthDay(ev.num[in.slot]))
	}
	return stringsValue(ev.list[in.slot])
}

// exprType returns the type expressions see for an input of kind k.
func exprType(k Kind) types.Type {
	switch k {
	case String:
		return types.String
	case Bool:
		return types.Bool
	case Strings:
		return types.TypeOf([]string(nil))
	}
	return types.Int
}

// exprEnv returns the names an expression may use for the application, with their types:
// one strict map per part, so that a misspelt input is a compile error.
func exprEnv() map[string]any {
	env := map[string]any{}
	for _, o := range objects {
		env[o] = types.Map{}
	}
	for _, in := range inputs {
		obj, field, _ := strings.Cut(in.Name, ".")
		env[obj].(types.Map)[field] = exprType(in.Kind)
	}
	return env
}

// vmObjects puts into m the parts of the application as expr's VM reads them.
func (ev *envValues) vmObjects(m map[string]any) {
	parts := map[string]map[string]any{}
	for _, o := range objects {
		parts[o] = map[string]any{}
		m[o] = parts[o]
	}
	for i, in := range inputs {
		obj, field, _ := strings.Cut(in.Name, ".")
		parts[obj][field] = ev.value(i).exprAny()
	}
}

// reader returns the fast path's reader of the input of that name: the [fast.Field] of
// its slot in a frame's copy of the Env, which the compiled closures read in place.
func reader(name string) (any, bool) {
	i, ok := inputIndex[name]
	if !ok {
		return nil, false
	}
	k, env := uintptr(inputs[i].slot), unsafe.Offsetof(frame{}.env)
	switch inputs[i].Kind {
	case String:
		return fast.Field{Kind: fast.String, Offset: env + unsafe.Offsetof(envValues{}.str) + k*unsafe.Sizeof("")}, true
	case Strings:
		return fast.Field{Kind: fast.Strings, Offset: env + unsafe.Offsetof(envValues{}.list) + k*unsafe.Sizeof([]string(nil))}, true
	case Bool:
		return fast.Field{Kind: fast.Bool, Offset: env + unsafe.Offsetof(envValues{}.num) + k*unsafe.Sizeof(0)}, true
	}
	return fast.Field{Kind: fast.Int, Offset: env + unsafe.Offsetof(envValues{}.num) + k*unsafe.Sizeof(0)}, true
}

// unknownMember rewrites expr's "unknown field NAME" for a member of an application's
// part or of params, found before column col (from 0) of line of src, as a message that
// names the part and what it has.
func unknownMember(msg, src string, line, col int) string {
	name, ok := strings.CutPrefix(msg, "unknown field ")
	lines := strings.Split(src, "\n")
	if !ok || line < 1 || line > len(lines) {
		return msg
	}
	runes := []rune(lines[line-1])
	if col > len(runes) {
		return msg
	}
	before := strings.TrimRight(strings.TrimSuffix(string(runes[:col]), "?."), ".")
	end := len(before)
	for end > 0 && (before[end-1] == '_' || before[end-1] >= 'a' && before[end-1] <= 'z') {
		end--
	}
	obj := before[end:]
	if obj == "params" {
		return fmt.Sprintf("the set has no parameter %s", name)
	}
	if !isObject(obj) {
		return msg
	}
	var fields []string
	for _, in := range inputs {
		if f, ok := strings.CutPrefix(in.Name, obj+"."); ok {
			fields = append(fields, f)
		}
	}
	return fmt.Sprintf("%s has no input %s; its inputs are %s", obj, name, strings.Join(fields, ", "))
}
