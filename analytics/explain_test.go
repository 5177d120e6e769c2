package analytics

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// fullRoundStore imports fixtures/handcheck/full_round.
func fullRoundStore(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	importFolder(t, s, "../fixtures/handcheck/full_round")
	return s
}

func showF(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.2f", *p)
}

// TestExplainFullRoundF04 checks F04 of the handcheck README: 69.25, rank 4,
// no cases (service redistributed: peer 52.5 of 62.5, complaints 12.5 and
// satisfaction 14.25 of 18.75), deductions capped at 10. Ranked units F01–F04
// (F00 has no data): score mean 312.75/4 = 78.1875; part means peer
// (45+43+40+52.5)/4 = 45.125 → 45.13, service (20+10+20)/3, complaints
// (15+10+10+12.5)/4 = 11.875 → 11.88, satisfaction (13.5+12+9+14.25)/4 = 12.1875,
// deductions −(0+0+4+10)/4 = −3.5; means are rounded to 2 decimals before the
// differences are taken. The unit above is F02 (75.00; F03 ties).
func TestExplainFullRoundF04(t *testing.T) {
	s := fullRoundStore(t)
	ctx := context.Background()
	if _, err := s.Explain(ctx, "2019-B1", "F04"); !errors.Is(err, ErrNotScored) {
		t.Fatalf("before scoring: got %v, want ErrNotScored", err)
	}
	if _, err := s.ScoreRound(ctx, "2019-B1", rawScheme(), "test", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	e, err := s.ExplainScheme(ctx, "2019-B1", "F04", rawScheme())
	if err != nil {
		t.Fatal(err)
	}
	if e.Above == nil || e.Above.UnitID != "F02" || *e.Rank != 4 || *e.Score != 69.25 || e.RankedInCat != 4 {
		t.Fatalf("got rank %v score %v above %+v ranked %d", e.Rank, e.Score, e.Above, e.RankedInCat)
	}
	if got := showF(e.ScoreMean) + " " + showF(e.ScoreVsMean) + " " + showF(e.ScoreVsAbove); got != "78.19 -8.94 -5.75" {
		t.Errorf("score mean/vs mean/vs above: %s", got)
	}
	var parts []string
	for _, p := range e.Parts {
		parts = append(parts, fmt.Sprintf("%s %s/%s lost %s mean %s %s %s %v", p.Name, showF(p.Points), showF(p.Max),
			showF(p.Lost), showF(p.Mean), showF(p.VsMean), showF(p.VsAbove), p.Redistributed))
	}
	want := []string{
		"peer 52.50/62.50 lost 10.00 mean 45.13 7.37 9.50 false",
		"service nil/nil lost nil mean 16.67 nil nil true",
		"complaints 12.50/18.75 lost 6.25 mean 11.88 0.62 2.50 false",
		"satisfaction 14.25/18.75 lost 4.50 mean 12.19 2.06 2.25 false",
		"deductions -10.00/0.00 lost 10.00 mean -3.50 -6.50 -10.00 false",
	}
	if !reflect.DeepEqual(parts, want) {
		t.Errorf("parts\n%s\nwant\n%s", strings.Join(parts, "\n"), strings.Join(want, "\n"))
	}
	sent := []string{
		"市政府研究室（F04）得 69.25 分，在综合管理类 4 个排名单位中列第 4 名，比类别平均低 8.94 分，比上一名（市人力资源和社会保障局）低 5.75 分",
		"效能评议得 52.50 分（满分 62.50，失 10.00 分），比类别平均高 7.37 分，比上一名（市人力资源和社会保障局）高 9.50 分；评议加权均分 84.00（得 42.00 分，类别平均 85.00）",
		"扣分 10.00 分，比类别平均多扣 6.50 分，比上一名（市人力资源和社会保障局）多扣 10.00 分",
		"满意度测评得 14.25 分（满分 18.75，失 4.50 分），比类别平均高 2.06 分，比上一名（市人力资源和社会保障局）高 2.25 分；满意度加权均分 76.00（得 11.40 分，类别平均 76.50）",
		"诉求办理得 12.50 分（满分 18.75，失 6.25 分），比类别平均高 0.62 分，比上一名（市人力资源和社会保障局）高 2.50 分；诉求按时办结率 100.0%（得 5.00 分，类别平均 100.0%），诉求解决率 60.0%（得 0.00 分，类别平均 90.0%），诉求好评率 100.0%（得 5.00 分，类别平均 73.3%）",
		"政务服务无数据，其分值按比例分配到其他部分",
	}
	if !reflect.DeepEqual(e.Sentences, sent) {
		t.Errorf("sentences\n%s\nwant\n%s", strings.Join(e.Sentences, "\n"), strings.Join(sent, "\n"))
	}
	if _, err := s.ExplainScheme(ctx, "2019-B1", "F99", rawScheme()); !errors.Is(err, scoring.ErrUnknownUnit) {
		t.Errorf("unknown unit: got %v", err)
	}
	other := rawScheme()
	other.DeductionCap = 20
	if _, err := s.ExplainScheme(ctx, "2019-B1", "F04", other); !errors.Is(err, ErrSchemeMismatch) {
		t.Errorf("other scheme: got %v, want ErrSchemeMismatch", err)
	}
}
