package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	// Publication is the publication of this version (nil when it was not
	// published); Replaced and Before, for a correction, the publication
	// it replaced and that version's ranking.
	Publication *analytics.Publication
	Replaced    *analytics.Publication
	Before      *analytics.Ranking
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
	Override   *roundOverride   // published although gate checks failed
	Correction *roundCorrection // this version corrects a published one
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
	in := roundInput{Ranking: rk, History: history, QA: qa, Participation: part, Deductions: items,
		Cap: b.scheme.DeductionCap, RobustRuns: scoring.DefaultRobustOptions().Runs}
	if err := b.roundPublication(ctx, &in); err != nil {
		return Document{}, err
	}
	body := buildRoundBody(in)
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
	body.QA, _ = roundQAOf(in.QA)
	body.Taking = roundParticipationOf(in.Participation)
	body.Taking.Absent = nil // names are for the annex only
	body.Override, body.Correction = roundPublicationOf(in)
	body.Deductions = roundDeductionsOf(cats, in.Deductions, in.Cap)
	body.Robust = roundRobustOf(cats, in.RobustRuns)
	return body
}

// qaAnnexBody is what round_qa_annex.html shows.
type qaAnnexBody struct {
	QA     roundQA
	Detail roundQADetail
	Taking roundParticipation
}

// RoundQAAnnex renders the office-only annex of a round bulletin
// (评议质量附件): the evaluators who did not take part, whose scale stands
// out or who gave every unit the same score. The bulletin itself gives
// counts only.
func (b *Builder) RoundQAAnnex(ctx context.Context, round string) (Document, error) {
	p, err := analytics.ParseRound(round)
	if err != nil {
		return Document{}, err
	}
	if _, err := b.store.Ranking(ctx, round); err != nil {
		return Document{}, err
	}
	qa, err := b.store.PeerQA(ctx, round)
	if err != nil {
		return Document{}, err
	}
	part, err := b.store.PeerParticipation(ctx, round)
	if err != nil {
		return Document{}, err
	}
	body := qaAnnexBody{Taking: roundParticipationOf(part)}
	body.QA, body.Detail = roundQAOf(qa)
	title := fmt.Sprintf("%d年第%d次机关效能评议评议质量附件", p.Start.Year(), roundNumber(p))
	return b.doc(ctx, QAAnnexName(round), "round_qa_annex.html", title, "（效能办内部资料，不随通报分发）", body)
}

// QAAnnexName is the document name of a round's QA annex
// (round-2019-B3-qa-annex): report folders and the web keep it from
// anyone but the office.
func QAAnnexName(round string) string { return "round-" + round + "-qa-annex" }

// IsQAAnnex tells whether a report file name is a QA annex.
func IsQAAnnex(file string) bool {
	return strings.Contains(file, "-qa-annex.")
}
