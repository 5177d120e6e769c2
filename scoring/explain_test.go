package scoring

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func xfp(x float64) *float64 { return &x }
func xip(x int) *int         { return &x }

// explainUnits is a hand-made category 综合管理类 (nominal 50/20/15/15):
//
//	U1 rank 1, 90 = 45 + 20 + 12 + 13
//	U2 rank 2, 80 = 40 + 15 + 12 + 13
//	U3 rank 2, 80 = 42 + 14 + 12 + 14 − 2 (tie with U2)
//	U4 rank 4, 70 = 45 + — + 10 + 17 − 2 (no service: maxima 62.5/18.75/18.75)
//
// plus U5 unranked and X1 in another category. Means over U1–U4: score 80,
// peer 43, service 49/3, complaints 11.5, satisfaction 14.25, deductions −1;
// on-time rate (1.0 + 0.9 + 0.95)/3 = 0.95.
func explainUnits() []ExplainUnit {
	nom := NominalPoints(DefaultScheme())
	mk := func(id, name string, score float64, rank int, peer, svc, cmp, sat, ded *float64, onTime *float64, otPts float64) ExplainUnit {
		return ExplainUnit{UnitID: id, Name: name, Category: "综合管理类", Score: xfp(score), Rank: xip(rank), Nominal: nom,
			Parts:      map[string]*float64{PartPeer: peer, PartService: svc, PartComplaints: cmp, PartSatisfaction: sat, PartDeductions: ded},
			Indicators: map[string]Indicator{IndOnTime: {Value: onTime, Points: otPts}}}
	}
	return []ExplainUnit{
		{UnitID: "X1", Name: "青川区", Category: "县区", Score: xfp(99), Rank: xip(1), Nominal: nom, Parts: map[string]*float64{PartPeer: xfp(50)}},
		mk("U4", "市政府研究室", 70, 4, xfp(45), nil, xfp(10), xfp(17), xfp(2), nil, 0),
		mk("U3", "市市场监督管理局", 80, 2, xfp(42), xfp(14), xfp(12), xfp(14), xfp(2), xfp(0.95), 6),
		mk("U2", "市财政局", 80, 2, xfp(40), xfp(15), xfp(12), xfp(13), xfp(0), xfp(0.9), 4),
		mk("U1", "市行政审批局", 90, 1, xfp(45), xfp(20), xfp(12), xfp(13), xfp(0), xfp(1), 8),
		{UnitID: "U5", Name: "市效能办", Category: "综合管理类", Parts: map[string]*float64{}},
	}
}

// show prints a pointer or "nil", rounded to 2 decimals.
func xshow(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.2f", *p)
}

func xpartLine(p PartExplanation) string {
	return fmt.Sprintf("%s pts=%s max=%s lost=%s mean=%s vsMean=%s vsAbove=%s redist=%v", p.Name, xshow(p.Points),
		xshow(p.Max), xshow(p.Lost), xshow(p.Mean), xshow(p.VsMean), xshow(p.VsAbove), p.Redistributed)
}

func TestExplainParts(t *testing.T) {
	tests := []struct {
		unit, above string
		score       string // mean, vs mean, vs above
		parts       []string
	}{
		{"U4", "U2", "80.00 -10.00 -10.00", []string{
			"peer pts=45.00 max=62.50 lost=17.50 mean=43.00 vsMean=2.00 vsAbove=5.00 redist=false",
			"service pts=nil max=nil lost=nil mean=16.33 vsMean=nil vsAbove=nil redist=true",
			"complaints pts=10.00 max=18.75 lost=8.75 mean=11.50 vsMean=-1.50 vsAbove=-2.00 redist=false",
			"satisfaction pts=17.00 max=18.75 lost=1.75 mean=14.25 vsMean=2.75 vsAbove=4.00 redist=false",
			"deductions pts=-2.00 max=0.00 lost=2.00 mean=-1.00 vsMean=-1.00 vsAbove=-2.00 redist=false",
		}},
		{"U3", "U1", "80.00 0.00 -10.00", []string{ // tie at 2: the unit above is rank 1
			"peer pts=42.00 max=50.00 lost=8.00 mean=43.00 vsMean=-1.00 vsAbove=-3.00 redist=false",
			"service pts=14.00 max=20.00 lost=6.00 mean=16.33 vsMean=-2.33 vsAbove=-6.00 redist=false",
			"complaints pts=12.00 max=15.00 lost=3.00 mean=11.50 vsMean=0.50 vsAbove=0.00 redist=false",
			"satisfaction pts=14.00 max=15.00 lost=1.00 mean=14.25 vsMean=-0.25 vsAbove=1.00 redist=false",
			"deductions pts=-2.00 max=0.00 lost=2.00 mean=-1.00 vsMean=-1.00 vsAbove=-2.00 redist=false",
		}},
		{"U1", "", "80.00 10.00 nil", []string{ // rank 1: nothing above
			"peer pts=45.00 max=50.00 lost=5.00 mean=43.00 vsMean=2.00 vsAbove=nil redist=false",
			"service pts=20.00 max=20.00 lost=0.00 mean=16.33 vsMean=3.67 vsAbove=nil redist=false",
			"complaints pts=12.00 max=15.00 lost=3.00 mean=11.50 vsMean=0.50 vsAbove=nil redist=false",
			"satisfaction pts=13.00 max=15.00 lost=2.00 mean=14.25 vsMean=-1.25 vsAbove=nil redist=false",
			"deductions pts=0.00 max=0.00 lost=0.00 mean=-1.00 vsMean=1.00 vsAbove=nil redist=false",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			e, err := Explain(explainUnits(), tt.unit)
			if err != nil {
				t.Fatal(err)
			}
			above := ""
			if e.Above != nil {
				above = e.Above.UnitID
			}
			if above != tt.above || e.RankedInCat != 4 {
				t.Errorf("above %q, ranked %d; want %q, 4", above, e.RankedInCat, tt.above)
			}
			if got := xshow(e.ScoreMean) + " " + xshow(e.ScoreVsMean) + " " + xshow(e.ScoreVsAbove); got != tt.score {
				t.Errorf("score: got %s, want %s", got, tt.score)
			}
			var got []string
			for _, p := range e.Parts {
				got = append(got, xpartLine(p))
			}
			if !reflect.DeepEqual(got, tt.parts) {
				t.Errorf("parts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.parts, "\n"))
			}
		})
	}
}

func TestExplainSentences(t *testing.T) {
	e, err := Explain(explainUnits(), "U4")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"市政府研究室（U4）得 70.00 分，在综合管理类 4 个排名单位中列第 4 名，比类别平均低 10.00 分，比上一名（市财政局）低 10.00 分",
		"满意度测评得 17.00 分（满分 18.75，失 1.75 分），比类别平均高 2.75 分，比上一名（市财政局）高 4.00 分",
		"效能评议得 45.00 分（满分 62.50，失 17.50 分），比类别平均高 2.00 分，比上一名（市财政局）高 5.00 分",
		"诉求办理得 10.00 分（满分 18.75，失 8.75 分），比类别平均低 1.50 分，比上一名（市财政局）低 2.00 分",
		"扣分 2.00 分，比类别平均多扣 1.00 分，比上一名（市财政局）多扣 2.00 分",
		"政务服务无数据，其分值按比例分配到其他部分",
	}
	if !reflect.DeepEqual(e.Sentences, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(e.Sentences, "\n"), strings.Join(want, "\n"))
	}
	e2, _ := Explain(explainUnits(), "U2")
	svc := "政务服务得 15.00 分（满分 20.00，失 5.00 分），比类别平均低 1.33 分，比上一名（市行政审批局）低 5.00 分；办结及时率 90.0%（得 4.00 分，类别平均 95.0%）"
	if e2.Sentences[2] != svc { // after peer (−3.00 against the mean)
		t.Errorf("U2 biggest gap:\n got %s\nwant %s", e2.Sentences[2], svc)
	}
	again, _ := Explain(explainUnits(), "U4")
	if !reflect.DeepEqual(e, again) {
		t.Error("Explain is not deterministic")
	}
}

func TestExplainUnrankedAndUnknown(t *testing.T) {
	e, err := Explain(explainUnits(), "U5")
	if err != nil {
		t.Fatal(err)
	}
	if e.Above != nil || e.Rank != nil || len(e.Sentences) != 1 || e.Sentences[0] != "市效能办（U5）本轮无任何数据，未排名" {
		t.Errorf("unranked: %+v", e)
	}
	if _, err := Explain(explainUnits(), "Z9"); !errors.Is(err, ErrUnknownUnit) {
		t.Errorf("unknown unit: got %v, want ErrUnknownUnit", err)
	}
}
