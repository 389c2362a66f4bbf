// Package campaign decides batches of applications together, as the Social Health
// Insurance Fund processes an attachment campaign, and measures what a change of the
// rules does to a batch. Package attach decides and explains one application; this
// package only uses its exported API.
//
// A [Batch] holds the applications, packed so that a national campaign of millions fits
// in memory, and the doctors' counts before the first one. [Run] decides it with an
// attach.Engine in submission order, with counts that move as applications are approved
// and as people leave their previous doctor, one place per person, and returns a
// [Result]: a [Decision] per application and a [Summary]. [Compare] lists the decisions
// that differ between two runs of one batch, grouped by rule and counted by person: run
// a batch with two engines, the law before and after a change, and compare the runs.
//
//	b := &campaign.Batch{Doctors: counts}
//	b.Add(apps...)
//	res, err := campaign.Run(engine, b)
//	if err != nil {
//		return err // campaign.ErrInvalidBatch: a doctor listed twice, a bad count
//	}
//	fmt.Println(res.Summary.Approved, "approved of", res.Summary.Applications)
//	for i := range res.Len() {
//		d := res.Decision(i) // d.Err says why an invalid application got no decision
//	}
//
// Run decides in parallel where decisions are independent and gives the sequential
// answer whatever the number of workers. A Result never changes once Run returns and
// may be read from any number of goroutines.
package campaign
