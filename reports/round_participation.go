package reports

import (
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// roundParticipation is the 参评情况 part of the QA section: per evaluator
// class how many of its evaluators gave scores, and who did not.
type roundParticipation struct {
	Lines    []string // 牵头市领导 8 人中 8 人参评
	Sentence string   // the lines joined
	Absent   []string // 姓名（编码，类别）: for the office-only annex, never the bulletin
	AbsentN  int      // how many did not take part (the bulletin's figure)
}

var classLabels = map[string]string{scoring.ClassLeader: "牵头市领导", scoring.ClassLeadHead: "牵头部门主要负责人",
	scoring.ClassMemberHead: "责任部门主要负责人"}

// roundParticipationOf counts the evaluators per class (in the order listed)
// and names those without a score in the round.
func roundParticipationOf(list []analytics.EvaluatorParticipation) roundParticipation {
	var out roundParticipation
	var order []string
	all, took := map[string]int{}, map[string]int{}
	for _, e := range list {
		if all[e.Class] == 0 {
			order = append(order, e.Class)
		}
		all[e.Class]++
		label := classLabels[e.Class]
		if label == "" {
			label = e.Class
		}
		if e.Scores > 0 {
			took[e.Class]++
		} else {
			out.Absent = append(out.Absent, fmt.Sprintf("%s（%s，%s）", e.Name, e.EvaluatorID, label))
		}
	}
	for _, c := range order {
		label := classLabels[c]
		if label == "" {
			label = c
		}
		out.Lines = append(out.Lines, fmt.Sprintf("%s %d 人中 %d 人参评", label, all[c], took[c]))
	}
	out.Sentence = strings.Join(out.Lines, "，")
	out.AbsentN = len(out.Absent)
	return out
}
