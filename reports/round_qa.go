package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundQA is the peer-evaluation diagnostics section of round.html: counts
// only. The bulletin is distributed to the units and never names an
// evaluator; who stands out is in the office-only annex (roundQAAnnex).
type roundQA struct {
	Evaluators int
	Scores     int
	W          string // 2 decimals, or 不适用
	WNote      string
	Flagged    int // evaluators whose scale stands out
	SameScore  int // evaluators who gave every unit the same score
	Threshold  string
}

// roundQARow is an evaluator whose scale stands out (annex only).
type roundQARow struct{ EvaluatorID, Scores, Offset, Z, Direction string }

// roundQADetail is the evaluator-level QA of a round, for the annex.
type roundQADetail struct {
	Flagged   []roundQARow
	SameScore string // evaluator IDs joined, empty when none
}

// roundQAOf formats the round's peer QA: agreement (Kendall's W), lenient or
// severe evaluators and those who gave every unit the same score; the
// counts go to the bulletin, the evaluators to the annex.
func roundQAOf(qa analytics.PeerQA) (roundQA, roundQADetail) {
	out := roundQA{Evaluators: len(qa.Evaluators), W: "不适用", Threshold: fmt.Sprintf("%.2f", scoring.LeniencyZ)}
	var det roundQADetail
	for _, e := range qa.Evaluators {
		out.Scores += e.Scores
	}
	out.WNote = "评议人或被评单位过少，无法计算"
	if qa.KendallW != nil {
		out.W = fmt.Sprintf("%.2f", *qa.KendallW)
		out.WNote = kendallNote(*qa.KendallW)
	}
	for _, e := range qa.Evaluators {
		if !e.Flagged {
			continue
		}
		dir := "偏宽"
		if e.Offset < 0 {
			dir = "偏严"
		}
		det.Flagged = append(det.Flagged, roundQARow{EvaluatorID: e.EvaluatorID, Scores: fmt.Sprint(e.Scores),
			Offset: fmt.Sprintf("%+.2f", e.Offset), Z: fmt.Sprintf("%.2f", e.Z), Direction: dir})
	}
	out.Flagged, out.SameScore = len(det.Flagged), len(qa.SameScore)
	det.SameScore = strings.Join(qa.SameScore, "、")
	return out, det
}

// kendallNote reads Kendall's W in words.
func kendallNote(w float64) string {
	switch {
	case w >= 0.7:
		return "评议人对各单位优劣的排序较为一致"
	case w >= 0.4:
		return "评议人对各单位优劣的排序有一定一致性"
	}
	return "评议人对各单位优劣的排序一致性较低，评议结果宜结合其他部分审慎看待"
}
