package rules_test

import (
	"errors"
	"testing"

	"github.com/emkhana/emkhana/rules"
)

func TestWithParamBounds(t *testing.T) {
	kz2023 := rules.Builtin()[1]
	tests := []struct {
		name, param, reason string
		v                   rules.Value
		want                string // the error, "" for none
	}{
		{"capacity 1", "capacity", "the smallest norm the set allows", rules.ValueOf(1), ""},
		{"capacity 0", "capacity", "a norm of 0 would refuse everyone outside the area without saying why", rules.ValueOf(0), "rules: kz-2023: params.capacity: 0 is below the minimum 1"},
		{"changes 12", "changes_per_year", "once a month is the most the set allows", rules.ValueOf(12), ""},
		{"changes 13", "changes_per_year", "13 changes a year give an interval of 0 months", rules.ValueOf(13), "rules: kz-2023: params.changes_per_year: 13 is above the maximum 12"},
		{"changes -1", "changes_per_year", "a negative count would make every change pass", rules.ValueOf(-1), "rules: kz-2023: params.changes_per_year: -1 is below the minimum 1"},
		{"adult age 121", "adult_age", "no one is a child at 120", rules.ValueOf(121), "rules: kz-2023: params.adult_age: 121 is above the maximum 120"},
		{"norm by specialty", "capacity_by_specialty", "each norm is bounded", rules.ValueOf(map[string]int{"therapist": 2200, "pediatrician": -3}), `rules: kz-2023: params.capacity_by_specialty: -3 for "pediatrician" is below the minimum 1`},
		{"month 13", "campaign_end", "13-01 is not a day of the year", rules.ValueOf(rules.MonthDay(1301)), "rules: kz-2023: params.campaign_end: 1301 is not a day of the year MMDD"},
		{"29 February", "campaign_end", "29 February is a day of the year (in leap years)", rules.ValueOf(rules.MonthDay(229)), ""},
		{"wrong kind", "capacity", "a parameter keeps its type", rules.ValueOf("2000"), "rules: kz-2023: params.capacity: is of type int, not string"},
		{"unknown", "capacityy", "a set is not given a parameter its rules do not read", rules.ValueOf(1), "rules: kz-2023: params.capacityy: no such parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := kz2023.WithParam(tt.param, tt.v)
			got := ""
			if err != nil {
				got = err.Error()
				var re *rules.Error
				if !errors.As(err, &re) || re.Field != "params."+tt.param {
					t.Errorf("WithParam(%s) error %v is not a *rules.Error naming params.%s", tt.param, err, tt.param)
				}
			}
			if got != tt.want {
				t.Fatalf("WithParam(%s, %v) = %q, want %q (%s)", tt.param, tt.v, got, tt.want, tt.reason)
			}
			if err == nil {
				if p, _ := s.Param(tt.param); !p.Value.Equal(tt.v) {
					t.Errorf("WithParam(%s, %v) set %v", tt.param, tt.v, p.Value)
				}
				if p, _ := kz2023.Param(tt.param); p.Value.Equal(tt.v) && tt.param == "capacity" {
					t.Errorf("WithParam changed the original set")
				}
			}
		})
	}
}
