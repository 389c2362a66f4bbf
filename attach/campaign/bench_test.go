package campaign_test

import (
	"testing"

	"github.com/emkhana/emkhana/attach/campaign"
	"github.com/emkhana/emkhana/examples/campaigngen"
)

// BenchmarkCampaign1M decides a national campaign: 1,000,000 applications to 10,000
// doctors, with live capacity, by people of whom 5% apply two or three times (the
// generator's default). Generating it takes a few seconds before the timer starts.
func BenchmarkCampaign1M(b *testing.B) {
	e := builtinEngine(b, nil)
	c := campaigngen.Generate(campaigngen.Config{Seed: 1, Doctors: 10000, Applications: 1000000}).Batch()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := campaign.Run(e, c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Summary.Approved), "approved")
		b.ReportMetric(float64(res.Summary.Superseded), "superseded")
	}
}
