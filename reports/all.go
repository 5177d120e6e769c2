package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// All renders everything an office sends for a month (YYYY-MM): the month's
// key-project bulletin; when the month ends a round, that round's bulletin
// the profile of every unit of it (each as HTML to send to the unit, and
// all of them in one compendium, which is what gets printed); when it ends a quarter, the
// quarterly bulletin; in December, the year composite. A round not scored
// yet is skipped and named in skipped.
func (b *Builder) All(ctx context.Context, month string, progress func(done, total int, name string)) (docs []Document, skipped []string, err error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, nil, fmt.Errorf("%q is not a month (YYYY-MM)", month)
	}
	type job struct {
		name string
		run  func() (Document, error)
	}
	jobs := []job{{"projects-" + month, func() (Document, error) { return b.Month(ctx, month) }}}
	year, mon := m.Year(), int(m.Month())
	units := "" // the round whose unit profiles go with the month
	if mon%3 == 0 {
		q := fmt.Sprintf("%d-Q%d", year, mon/3)
		jobs = append(jobs, job{"projects-" + q, func() (Document, error) { return b.Quarter(ctx, q) }})
	}
	if mon%2 == 0 {
		round := fmt.Sprintf("%d-B%d", year, mon/2)
		_, err := b.store.Ranking(ctx, round)
		switch {
		case errors.Is(err, analytics.ErrNotScored):
			skipped = append(skipped, round)
		case err != nil:
			return nil, nil, err
		default:
			jobs = append(jobs, job{"round-" + round, func() (Document, error) { return b.Round(ctx, round) }})
			units = round
			if mon == 12 {
				jobs = append(jobs, job{fmt.Sprintf("year-%d", year), func() (Document, error) { return b.Year(ctx, year) }})
			}
		}
	}
	total := len(jobs)
	if units != "" {
		total++
	}
	for i, j := range jobs {
		d, err := j.run()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", j.name, err)
		}
		docs = append(docs, d)
		if progress != nil {
			progress(i+1, total, j.name)
		}
	}
	if units != "" {
		each, all, err := b.UnitSet(ctx, units)
		if err != nil {
			return nil, nil, fmt.Errorf("units-%s: %w", units, err)
		}
		docs = append(append(docs, all), each...)
		if progress != nil {
			progress(total, total, all.Name)
		}
	}
	return docs, skipped, nil
}
