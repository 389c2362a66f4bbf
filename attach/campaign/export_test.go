package campaign

import "github.com/emkhana/emkhana/attach"

// ResultOf builds a result from decisions written by hand, as if a batch of their
// applications had been run, for the tests of Compare: an application that supersedes
// one and is not among them is kept after them, and each application is a person.
func ResultOf(s Summary, ds ...Decision) *Result {
	var ids ids
	index := map[string]int32{}
	for i, d := range ds {
		ids.add(d.Application)
		index[d.Application] = int32(i)
	}
	var extra []string
	for _, d := range ds {
		if _, ok := index[d.SupersededBy]; !ok && d.SupersededBy != "" {
			index[d.SupersededBy] = int32(len(ds) + len(extra))
			extra = append(extra, d.SupersededBy)
		}
	}
	for _, id := range extra {
		ids.add(id)
	}
	r := &Result{Summary: s, ids: ids.view(), recs: make([]decided, len(ds)), errs: map[int32]error{}}
	var vs verdicts
	var key []byte
	for i, d := range ds {
		rec := decided{date: int32(d.Date), effective: int32(d.EffectiveFrom), attached: int32(d.Attached), person: -1}
		if d.SupersededBy != "" {
			rec.superseded = index[d.SupersededBy] + 1
		}
		if d.Err != nil {
			r.errs[int32(i)] = d.Err
		} else {
			key = verdictKey(key[:0], d.RuleSet, d.Outcome, d.Failed)
			rec.verdict = vs.get(key, func() verdict { return verdict{d.RuleSet, d.Outcome, d.Failed} }) + 1
		}
		r.recs[i] = rec
	}
	r.verdicts = vs.vals
	return r
}

// Applications returns the applications of b as Run decides them (as given, not
// counted), for benchmarks that decide them one by one beside a run.
func Applications(b *Batch) []attach.Application {
	b.mu.Lock()
	b.apps.seal()
	b.mu.Unlock()
	out := make([]attach.Application, b.apps.len())
	held := -1
	for i := range out {
		b.apps.restore(int32(i), &out[i], false, &held)
		held = -1 // each one in its own Application: copy the form each time
	}
	return out
}
