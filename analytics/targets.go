package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// The reform targets (目标任务) as of a date (README "Tasks and targets"):
// each target's monthly series from the indicator statements of the rounds
// (PeriodInputs with one-month periods), its progress and its trend.

// FirstContactRate is the target metric 一次性办结率: complaints closed in
// the period with first_contact true ÷ complaints closed in the period. It
// is no indicator of the scheme; targets compute it from the complaints.
const FirstContactRate = "first_contact_rate"

// TargetIndicatorLabel is the Chinese name of a target's metric (the key
// itself when unknown).
func TargetIndicatorLabel(key string) string {
	if key == FirstContactRate {
		return "一次性办结率"
	}
	if l, ok := scoring.IndicatorLabels[key]; ok {
		return l
	}
	return key
}

// TargetsAsOf is the default as-of date of the targets: DefaultAsOf, the
// earlier of today and the last day of imported data.
func (s *Store) TargetsAsOf(ctx context.Context, today time.Time) (time.Time, error) {
	return s.DefaultAsOf(ctx, today)
}

// firstContactCounts reads the counts of 一次性办结率 per unit in a period.
func (s *Store) firstContactCounts(ctx context.Context, p Period) (map[string]scoring.Ratio, error) {
	out := map[string]scoring.Ratio{}
	err := s.eachRow(ctx, queries.SQL("targets_first_contact"), []any{p.Start, p.End}, func(r *sql.Rows) error {
		var id string
		var closed, first int
		if err := r.Scan(&id, &closed, &first); err != nil {
			return err
		}
		out[id] = scoring.Ratio{Num: first, Den: closed}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: 一次性办结率 %s: %w", p.Name, err)
	}
	return out, nil
}

// TargetMonth is one month of a target's series: the indicator's counts for
// the target's scope (the city: every unit together) in the month, up to the
// as-of date for the as-of month. Value is Num/Den, NaN when Den is 0.
type TargetMonth struct {
	Month    string // YYYY-MM
	Index    int    // months since the target's start month
	Num, Den int
	Value    float64
}

// Target is one target as of a date. Lower is true for a lower-is-better
// indicator under the scheme. Months runs from the start month to the as-of
// month (or the due month, whichever is first). ReachOn is the month
// (YYYY-MM) the trend line reaches the value, when Reaches; DueIndex the due
// month's index.
type Target struct {
	ID, Name, Indicator, Scope string
	Value                      float64
	StartMonth                 string
	Due                        time.Time
	Lower                      bool
	DueIndex                   int
	HasCurrent                 bool
	Months                     []TargetMonth
	scoring.TargetAssessment
	ReachOn string
}

// Targets assesses every target as of asOf under the scheme's directions, by
// due date and target_id.
func (s *Store) Targets(ctx context.Context, asOf time.Time, sch scoring.Scheme) ([]Target, error) {
	day := civil(asOf)
	var ts []Target
	err := s.eachRow(ctx, queries.SQL("targets_list"), nil, func(r *sql.Rows) error {
		var t Target
		if err := r.Scan(&t.ID, &t.Name, &t.Indicator, &t.Scope, &t.Value, &t.StartMonth, &t.Due); err != nil {
			return err
		}
		t.Due = civil(t.Due)
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: targets: %w", err)
	}
	if len(ts) == 0 {
		return nil, nil
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	monthOf := func(start time.Time) Period {
		end := start.AddDate(0, 1, -1)
		if end.After(day) {
			end = day
		}
		return Period{Name: start.Format("2006-01"), Start: start, End: end}
	}
	firsts := map[string]map[string]scoring.Ratio{} // month → unit → 一次性办结 counts, read once
	monthRatios := func(start time.Time) (map[string]scoring.Ratio, error) {
		p := monthOf(start)
		if m, ok := firsts[p.Name]; ok {
			return m, nil
		}
		m, err := s.firstContactCounts(ctx, p)
		firsts[p.Name] = m
		return m, err
	}
	months := map[string][]scoring.UnitInput{} // month → every unit's inputs, read once
	monthInputs := func(start time.Time) ([]scoring.UnitInput, error) {
		key := start.Format("2006-01")
		if in, ok := months[key]; ok {
			return in, nil
		}
		in, err := s.PeriodInputs(ctx, monthOf(start))
		if err != nil {
			return nil, err
		}
		var all []scoring.UnitInput
		for _, kind := range []string{"department", "county"} {
			all = append(all, in.UnitInputs(units, kind)...)
		}
		months[key] = all
		return all, nil
	}
	for i := range ts {
		t := &ts[i]
		if r := sch.Rule(t.Indicator); r != nil && r.Direction == scoring.DirectionLower {
			t.Lower = true
		}
		start, err := time.Parse("2006-01", t.StartMonth)
		if err != nil {
			return nil, fmt.Errorf("analytics: target %s: start month %q: %w", t.ID, t.StartMonth, err)
		}
		dueMonth := time.Date(t.Due.Year(), t.Due.Month(), 1, 0, 0, 0, 0, time.UTC)
		t.DueIndex = monthsBetween(start, dueMonth)
		var xs, ys []float64
		var num, den int
		for m, k := start, 0; !m.After(day) && !m.After(dueMonth); m, k = m.AddDate(0, 1, 0), k+1 {
			tm := TargetMonth{Month: m.Format("2006-01"), Index: k, Value: math.NaN()}
			if t.Indicator == FirstContactRate {
				rs, err := monthRatios(m)
				if err != nil {
					return nil, err
				}
				for id, ra := range rs {
					if t.Scope == "city" || id == t.Scope {
						tm.Num += ra.Num
						tm.Den += ra.Den
					}
				}
			} else {
				in, err := monthInputs(m)
				if err != nil {
					return nil, err
				}
				for j := range in {
					if t.Scope != "city" && in[j].UnitID != t.Scope {
						continue
					}
					ra, ok := scoring.IndicatorRatio(&in[j], t.Indicator)
					if !ok {
						return nil, fmt.Errorf("analytics: target %s: %q is not a rate indicator", t.ID, t.Indicator)
					}
					tm.Num += ra.Num
					tm.Den += ra.Den
				}
			}
			if tm.Den > 0 {
				tm.Value = float64(tm.Num) / float64(tm.Den)
				xs, ys = append(xs, float64(k)), append(ys, tm.Value)
			}
			num, den = num+tm.Num, den+tm.Den
			t.Months = append(t.Months, tm)
		}
		current := math.NaN()
		if den > 0 {
			current, t.HasCurrent = float64(num)/float64(den), true
		}
		due := !day.Before(t.Due) // on and after the due date: judged by the value
		t.TargetAssessment = scoring.AssessTarget(xs, ys, current, t.HasCurrent, t.Value, t.Lower, t.DueIndex, timeProgress(start, t.Due, day), due)
		if t.Reaches {
			t.ReachOn = start.AddDate(0, t.ReachMonth, 0).Format("2006-01")
		}
	}
	return ts, nil
}

// monthsBetween counts whole months from the month of a to the month of b.
func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// timeProgress is the elapsed share of the days from start to due (both
// included) at asOf (included), 0–1.
func timeProgress(start, due, asOf time.Time) float64 {
	total := due.Sub(start).Hours()/24 + 1
	done := asOf.Sub(start).Hours()/24 + 1
	if total <= 0 {
		return 1
	}
	return math.Max(0, math.Min(1, done/total))
}
