package rules_test

import (
	"errors"
	"testing"

	"golang.org/x/text/language"

	"github.com/emkhana/emkhana/rules"
)

// These tests add to messages_test.go the template forms it does not write: literal braces
// and percent signs, exact plural selectors, errors on a later line, and the values a
// Printer shows as they are.

func TestTemplateLiterals(t *testing.T) {
	msgs := goodMessages()
	msgs["en"] = "{{norm}} is 100% of {capacity}; {attached|=0:nobody|one:# person|other:# people} attached, $5"
	c := rules.MustCompile(rules.History{messageSet(t, msgs)}).Sets()[0]
	facts := []rules.Value{rules.IntValue(0), rules.IntValue(1700), rules.DateValue(20260101), rules.StringValue(""), rules.IntValue(30)}
	p := c.Printer(language.English)
	if got, want := p.Message(0, facts), "{norm} is 100% of 1,700; nobody attached, $5"; got != want {
		t.Errorf("Message(attached=0) = %q, want %q", got, want)
	}
	facts[0] = rules.IntValue(1)
	if got, want := p.Message(0, facts), "{norm} is 100% of 1,700; 1 person attached, $5"; got != want {
		t.Errorf("Message(attached=1) = %q, want %q", got, want)
	}
	if got := p.Message(-1, facts); got != "" {
		t.Errorf("Message(-1) = %q, want \"\"", got)
	}
	if got := p.Language(); got != language.English {
		t.Errorf("Language() = %v, want en", got)
	}
	if got := c.Printer(language.German).Language(); got != language.Kazakh {
		t.Errorf("Printer(de).Language() = %v, want the default kk", got)
	}
}

func TestTemplateErrorPlaces(t *testing.T) {
	tests := []struct {
		name, reason string
		en           string
		want         string // the whole error of messages.en
	}{
		{name: "second_line", reason: "a problem on a later line is placed on it, the caret under its column",
			en:   "Attached: {attached}.\nNorm: {capacity.\nEnd",
			want: "rules: pilot: rule capacity: messages.en:2:7: unclosed {\n | Norm: {capacity.\n | ......^"},
		{name: "brace_inside", reason: "a { inside a placeholder is placed where it is",
			en:   "Norm {cap{acity}",
			want: "rules: pilot: rule capacity: messages.en:1:10: unexpected { inside a placeholder\n | Norm {cap{acity}\n | .........^"},
		{name: "dollar_brace", reason: "$ before a literal { would be read as a variable by x/text",
			en:   "Norm ${{capacity}}",
			want: "rules: pilot: rule capacity: messages.en:1:6: $ before a literal { is not allowed\n | Norm ${{capacity}}\n | .....^"},
		{name: "exact_without_number", reason: "= needs a number",
			en:   "{attached|=:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"=\"; want zero, one, two, few, many, other or =N\n | {attached|=:none|other:some}\n | ..........^"},
		{name: "exact_too_large", reason: "=N takes numbers up to 65535",
			en:   "{attached|other:some|=65536:many}",
			want: "rules: pilot: rule capacity: messages.en:1:22: unknown plural selector \"=65536\"; want zero, one, two, few, many, other or =N\n | {attached|other:some|=65536:many}\n | .....................^"},
		{name: "exact_not_a_number", reason: "=N takes digits",
			en:   "{attached|=x:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"=x\"; want zero, one, two, few, many, other or =N\n | {attached|=x:none|other:some}\n | ..........^"},
		{name: "selector_x", reason: "a selector that does not start with = is not exact",
			en:   "{attached|x5:none|other:some}",
			want: "rules: pilot: rule capacity: messages.en:1:11: unknown plural selector \"x5\"; want zero, one, two, few, many, other or =N\n | {attached|x5:none|other:some}\n | ..........^"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs := goodMessages()
			msgs["en"] = tc.en
			_, err := rules.Compile(rules.History{messageSet(t, msgs)})
			var es rules.Errors
			if !errors.As(err, &es) || len(es) != 1 || es[0].Error() != tc.want {
				t.Errorf("Compile(en %q) = %v\nwant %q (%s)", tc.en, err, tc.want, tc.reason)
			}
		})
	}
}

func TestPrinterValueAsIs(t *testing.T) {
	c := rules.MustCompile(rules.History{messageSet(t, goodMessages())}).Sets()[0]
	p := c.Printer(language.English)
	tests := []struct {
		name string
		v    rules.Value
		want string
	}{
		{name: "float", v: rules.FloatValue(0.5), want: "0.5"},
		{name: "false", v: rules.BoolValue(false), want: "no"},
		{name: "zero_date", v: rules.DateValue(0), want: "none given"},
		{name: "int_map", v: rules.IntMapValue(map[string]int{"therapist": 2200}), want: `{"therapist":2200}`},
		{name: "invalid", v: rules.Value{}, want: ""},
		{name: "empty_reason", v: rules.StringValue(""), want: "none given"},
	}
	for _, tc := range tests {
		if got := p.Value(tc.v); got != tc.want {
			t.Errorf("Printer(en).Value(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
