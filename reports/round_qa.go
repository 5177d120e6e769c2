package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundQA is the peer-evaluation diagnostics section of round.html.
type roundQA struct {
	Evaluators int
	Scores     int
	W          string // 2 decimals, or 不适用
	WNote      string
	Flagged    []roundQARow
	SameScore  string // evaluator IDs joined, empty when none
	Threshold  string
}

// roundQARow is an evaluator whose scale stands out.
type roundQARow struct{ EvaluatorID, Scores, Offset, Z, Direction string }

// roundQAOf formats the round's peer QA: agreement (Kendall's W), lenient or
// severe evaluators and those who gave every unit the same score.
func roundQAOf(qa analytics.PeerQA) roundQA {
	out := roundQA{Evaluators: len(qa.Evaluators), W: "不适用", Threshold: fmt.Sprintf("%.2f", scoring.LeniencyZ)}
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
		out.Flagged = append(out.Flagged, roundQARow{EvaluatorID: e.EvaluatorID, Scores: fmt.Sprint(e.Scores),
			Offset: fmt.Sprintf("%+.2f", e.Offset), Z: fmt.Sprintf("%.2f", e.Z), Direction: dir})
	}
	out.SameScore = strings.Join(qa.SameScore, "、")
	return out
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
