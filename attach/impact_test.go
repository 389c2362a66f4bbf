package attach_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emkhana/emkhana/attach"
	"github.com/emkhana/emkhana/examples/campaigngen"
	"github.com/emkhana/emkhana/rules"
)

func TestCompareEngines(t *testing.T) {
	base := builtinEngine(t, nil)
	g := campaigngen.Generate(campaigngen.Config{Seed: 21, Doctors: 150, Applications: 3000})
	tests := []struct {
		name   string
		reason string
		params map[string]rules.Value
		static bool
		// what must hold of the impact
		check func(im *attach.Impact) string
	}{
		{
			name: "same rules", reason: "the same history changes nothing",
			check: func(im *attach.Impact) string {
				if len(im.Changes) != 0 || len(im.ByRule) != 0 {
					return fmt.Sprintf("%d changes, want none", len(im.Changes))
				}
				return ""
			},
		},
		{
			name: "capacity 1700", reason: "a lower norm only adds capacity failures, with live capacity",
			params: map[string]rules.Value{"kz-2023.capacity": rules.IntValue(1700)},
			check: func(im *attach.Impact) string {
				if im.NowRejected == 0 || im.NowApproved != 0 || len(im.ByRule) != 1 || im.ByRule[0].Rule != "capacity" || im.ByRule[0].NewlyFailing != im.NowRejected+countOther(im) {
					return fmt.Sprintf("impact %+v %+v, want only newly failing capacity", im.ByRule, im)
				}
				return ""
			},
		},
		{
			name: "campaign end 1 Oct", reason: "a shorter campaign rejects late changes without a reason, decided one by one",
			params: map[string]rules.Value{"kz-2025.campaign_end": rules.MonthDayValue(1001)},
			static: true,
			check: func(im *attach.Impact) string {
				for _, r := range im.ByRule {
					if r.Rule == "campaign" && r.NewlyFailing > 0 && r.NoLongerFailing == 0 {
						return ""
					}
				}
				return fmt.Sprintf("by rule %+v, want campaign newly failing", im.ByRule)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alt := builtinEngine(t, tt.params)
			c := g.Campaign()
			c.Static = tt.static
			im, err := attach.CompareEngines(base, alt, c)
			noError(t, err)
			if msg := tt.check(im); msg != "" {
				t.Errorf("CompareEngines(%s): %s (%s)", tt.name, msg, tt.reason)
			}
			if im.Applications != 3000 || im.Before.Approved-im.After.Approved != im.NowRejected-im.NowApproved {
				t.Errorf("CompareEngines(%s) = %+v: counts do not add up", tt.name, im)
			}
			b, err := base.RunCampaign(c)
			require.NoError(t, err)
			a, err := alt.RunCampaign(c)
			require.NoError(t, err)
			assert.Equal(t, peopleImpact(c.Applications, b, a), [3]int{im.PeopleAffected, im.PeopleNowApproved, im.PeopleNowRejected},
				"CompareEngines(%s): people affected, now approved, now rejected, counted by IIN", tt.name)
			assert.Equal(t, im.Before.PeopleApproved-im.After.PeopleApproved, im.PeopleNowRejected-im.PeopleNowApproved, "CompareEngines(%s): people approved add up", tt.name)
		})
	}
}

// peopleImpact counts, by the applicants' IINs, the people with a decision that differs
// between two runs, those approved after only, and those approved before only.
func peopleImpact(apps []attach.Application, before, after *attach.CampaignResult) [3]int {
	type marks struct{ differs, before, after bool }
	people := map[string]*marks{}
	for i := range apps {
		m := people[apps[i].Citizen.IIN]
		if m == nil {
			m = &marks{}
			people[apps[i].Citizen.IIN] = m
		}
		b, a := before.Decisions[i], after.Decisions[i]
		approved := func(d attach.CampaignDecision) bool { return d.Err == nil && d.Outcome == attach.Approved }
		m.before = m.before || approved(b)
		m.after = m.after || approved(a)
		m.differs = m.differs || approved(b) != approved(a) || (b.Err == nil) != (a.Err == nil) || b.EffectiveFrom != a.EffectiveFrom ||
			!slices.Equal(b.Failed, a.Failed) || b.SupersededBy != a.SupersededBy
	}
	var n [3]int
	for _, m := range people {
		if m.differs {
			n[0]++
		}
		switch {
		case m.after && !m.before:
			n[1]++
		case m.before && !m.after:
			n[2]++
		}
	}
	return n
}

// countOther counts the changes that fail capacity after yet did not change outcome (an
// application also rejected for another rule before).
func countOther(im *attach.Impact) int {
	n := 0
	for _, c := range im.Changes {
		if c.Before.Outcome == attach.Rejected && c.After.Outcome == attach.Rejected {
			n++
		}
	}
	return n
}

func TestCompareErrors(t *testing.T) {
	a := &attach.CampaignResult{Decisions: []attach.CampaignDecision{{Application: "A1"}}}
	b := &attach.CampaignResult{Decisions: []attach.CampaignDecision{{Application: "A2"}}}
	tests := []struct {
		name, reason string
		before       *attach.CampaignResult
		after        *attach.CampaignResult
		want         string
	}{
		{"length", "two batches of different sizes", a, &attach.CampaignResult{}, "attach: compare: 1 decisions before and 0 after; want the same batch"},
		{"ids", "two batches of other applications", a, b, `attach: compare: decision 0 is of "A1" before and of "A2" after; want the same batch`},
		{"nil", "nothing to compare", nil, a, "attach: compare: nil result"},
	}
	for _, tt := range tests {
		_, err := attach.Compare(tt.before, tt.after)
		if err == nil || err.Error() != tt.want || !errors.Is(err, attach.ErrNotComparable) || errors.Is(err, attach.ErrInvalidCampaign) {
			t.Errorf("Compare(%s) error = %v, want %q matching ErrNotComparable only (%s)", tt.name, err, tt.want, tt.reason)
		}
	}
}

func ExampleCompareEngines() {
	before, _ := attach.New(rules.Builtin())
	h := rules.Builtin()
	last := len(h) - 1
	h[last], _ = h[last].WithParam("capacity", rules.IntValue(1700)) // the set in force, with a limit of 1,700
	after, _ := attach.New(h)
	g := campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 100, Applications: 2000})
	im, err := attach.CompareEngines(before, after, g.Campaign())
	if err != nil {
		panic(err)
	}
	fmt.Println("applications approved:", im.Before.Approved, "->", im.After.Approved)
	fmt.Println("people approved:", im.Before.PeopleApproved, "->", im.After.PeopleApproved)
	for _, r := range im.ByRule {
		fmt.Printf("%s: %d newly failing, %d no longer failing\n", r.Rule, r.NewlyFailing, r.NoLongerFailing)
	}
	fmt.Println("people affected:", im.PeopleAffected, "of whom now rejected:", im.PeopleNowRejected)
	// Output:
	// applications approved: 1132 -> 1126
	// people approved: 1081 -> 1075
	// capacity: 19 newly failing, 0 no longer failing
	// people affected: 19 of whom now rejected: 6
}

// BenchmarkCampaign1M decides a national campaign: 1,000,000 applications to 10,000
// doctors, with live capacity, by people of whom 5% apply two or three times (the
// generator's default). Generating it takes a few seconds before the timer starts.
func BenchmarkCampaign1M(b *testing.B) {
	e := builtinEngine(b, nil)
	c := campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000}).Campaign()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := e.RunCampaign(c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Summary.Approved), "approved")
		b.ReportMetric(float64(res.Summary.Superseded), "superseded")
	}
}
