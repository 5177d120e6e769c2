package reports

import (
	"context"
	"errors"
	"fmt"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundInput is everything the bimonthly bulletin (双月效能评议通报) shows,
// as plain values: roundBody turns it into the template's data without a
// store, so that it can be tested with any names.
type roundInput struct {
	Ranking analytics.Ranking
	// History holds the year's scored rounds up to and including this one,
	// in order, for the trend charts; empty means this round alone.
	History []analytics.Ranking
	QA      analytics.PeerQA
	// Participation is every evaluator with their number of scores.
	Participation []analytics.EvaluatorParticipation
	// Deductions are the round's deduction items (analytics.DeductionItems),
	// listed under their units and summed before the cap; the counted
	// points are the ranking's.
	Deductions []analytics.DeductionItem
	Cap        float64 // deduction cap per round of the scheme
	RobustRuns int     // Monte Carlo runs behind the robustness figures
}

// roundBody is what round.html shows.
type roundBody struct {
	WithTasks  bool // the round was scored with the 督办落实 part
	Summary    []string
	Categories []roundCategory
	QA         roundQA
	Taking     roundParticipation
	Deductions roundDeductions
	Robust     roundRobust
}

// Round renders the bulletin of a round (双月效能评议通报) from its newest
// stored result: the overview, the ranking of every category with its
// charts, the peer-evaluation diagnostics, the deductions and the
// robustness of last places and 较差 tiers.
func (b *Builder) Round(ctx context.Context, round string) (Document, error) {
	p, err := analytics.ParseRound(round)
	if err != nil {
		return Document{}, err
	}
	rk, err := b.store.Ranking(ctx, round)
	if err != nil {
		return Document{}, err
	}
	history, err := b.roundHistory(ctx, p, rk)
	if err != nil {
		return Document{}, err
	}
	qa, err := b.store.PeerQA(ctx, round)
	if err != nil {
		return Document{}, err
	}
	items, err := b.store.DeductionItems(ctx, round)
	if err != nil {
		return Document{}, err
	}
	part, err := b.store.PeerParticipation(ctx, round)
	if err != nil {
		return Document{}, err
	}
	body := buildRoundBody(roundInput{Ranking: rk, History: history, QA: qa, Participation: part, Deductions: items,
		Cap: b.scheme.DeductionCap, RobustRuns: scoring.DefaultRobustOptions().Runs})
	k := roundNumber(p)
	title := fmt.Sprintf("%d年第%d次机关效能评议通报", p.Start.Year(), k)
	subtitle := fmt.Sprintf("（%d—%d月）", int(p.Start.Month()), int(p.End.Month()))
	return b.doc(ctx, "round-"+round, "round.html", title, subtitle, body)
}

// roundHistory returns the year's scored rounds before p, in order, followed
// by rk, the ranking of p itself; rounds not scored are left out.
func (b *Builder) roundHistory(ctx context.Context, p analytics.Period, rk analytics.Ranking) ([]analytics.Ranking, error) {
	var history []analytics.Ranking
	for i := 1; i < roundNumber(p); i++ {
		h, err := b.store.Ranking(ctx, fmt.Sprintf("%d-B%d", p.Start.Year(), i))
		if errors.Is(err, analytics.ErrNotScored) {
			continue
		} else if err != nil {
			return nil, err
		}
		history = append(history, h)
	}
	return append(history, rk), nil
}

// roundNumber is the round's number in its year, 1…6.
func roundNumber(p analytics.Period) int { return (int(p.Start.Month())-1)/2 + 1 }

// buildRoundBody assembles the bulletin from values only.
func buildRoundBody(in roundInput) roundBody {
	rk := in.Ranking
	history := in.History
	if len(history) == 0 {
		history = []analytics.Ranking{rk}
	}
	cats := roundGroup(rk.Units)
	body := roundBody{WithTasks: analytics.WithTasksPart(rk.Units)}
	for i, c := range cats {
		body.Categories = append(body.Categories, roundCategoryOf(i, c, history))
	}
	body.Summary = roundSummary(rk, cats)
	body.QA = roundQAOf(in.QA)
	body.Taking = roundParticipationOf(in.Participation)
	body.Deductions = roundDeductionsOf(cats, in.Deductions, in.Cap)
	body.Robust = roundRobustOf(cats, in.RobustRuns)
	return body
}
