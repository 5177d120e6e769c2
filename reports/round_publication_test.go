package reports

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scheme"
)

func TestVersionChanges(t *testing.T) {
	u := func(id string, score float64, rank int, tier string) analytics.UnitRanking {
		return analytics.UnitRanking{UnitID: id, Name: "单位" + id, Category: "甲类", Score: fp(score), Rank: ip(rank), Tier: sp(tier)}
	}
	old := analytics.Ranking{Units: []analytics.UnitRanking{u("A", 93.5, 1, "好"), u("B", 75, 2, "较好"), u("C", 75, 2, "较好"), u("D", 69.25, 4, "一般"),
		{UnitID: "E", Name: "单位E", Category: "甲类"}, u("G", 60, 5, "一般")}}
	// B unchanged; C loses 1 point (75 → 74): rank 2 → 3, tier 较好 → 一般; D gains 0.004
	// but its rounded score 69.25 is unchanged; E is still unranked; F is new; G is gone.
	nw := analytics.Ranking{Units: []analytics.UnitRanking{u("A", 93.5, 1, "好"), u("B", 75, 2, "较好"), u("C", 74, 3, "一般"), u("D", 69.254, 4, "一般"),
		{UnitID: "E", Name: "单位E", Category: "甲类"}, u("F", 50, 5, "一般")}}
	got := versionChanges(old, nw)
	want := []correctionRow{
		{Name: "单位C", Category: "甲类", OldScore: "75.00", NewScore: "74.00", OldRank: "2", NewRank: "3", OldTier: "较好", NewTier: "一般", Score: true, Rank: true, Tier: true},
		{Name: "单位F", Category: "甲类", OldScore: "—", NewScore: "50.00", OldRank: "—", NewRank: "5", OldTier: "—", NewTier: "一般", Score: true, Rank: true, Tier: true, Listing: true},
		{Name: "单位G", Category: "甲类", OldScore: "60.00", NewScore: "—", OldRank: "5", NewRank: "—", OldTier: "一般", NewTier: "—", Listing: true},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

var scriptRE = regexp.MustCompile(`(?s)<script.*?</script>`)

// TestRoundBulletinNamesNoEvaluator: no bulletin of the sample city's six
// rounds holds the id or the name of any evaluator of the city (outside the
// scripts, which hold the pinned chart library and unit names only, nor in
// them); the office-only annex names the evaluators the diagnostics flag.
func TestRoundBulletinNamesNoEvaluator(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	annexNamed := 0
	for _, round := range []string{"2019-B1", "2019-B2", "2019-B3", "2019-B4", "2019-B5", "2019-B6"} {
		evs, err := b.store.PeerParticipation(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) < 60 {
			t.Fatalf("%s: %d evaluators, the sample city has 68", round, len(evs))
		}
		d, err := b.Round(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		text := scriptRE.ReplaceAllString(string(d.HTML), "")
		for _, e := range evs {
			if strings.Contains(text, e.EvaluatorID) || strings.Contains(text, e.Name) {
				t.Errorf("%s bulletin names evaluator %s %s", round, e.EvaluatorID, e.Name)
			}
		}
		for _, m := range regexp.MustCompile(`"[^"]*"`).FindAllString(strings.Join(scriptRE.FindAllString(string(d.HTML), -1), ""), -1) {
			for _, e := range evs {
				if m == `"`+e.EvaluatorID+`"` || strings.Contains(m, e.Name) {
					t.Errorf("%s bulletin's scripts name evaluator %s", round, e.EvaluatorID)
				}
			}
		}
		qa, err := b.store.PeerQA(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		a, err := b.RoundQAAnnex(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "round-"+round+"-qa-annex" || !IsQAAnnex(a.Name+".html") || IsQAAnnex(d.Name+".html") {
			t.Errorf("annex name %q", a.Name)
		}
		annex := string(a.HTML)
		if !strings.Contains(annex, "效能办内部资料") {
			t.Errorf("%s annex is not marked office-only", round)
		}
		for _, id := range qa.SameScore {
			annexNamed++
			if !strings.Contains(annex, id) {
				t.Errorf("%s annex lacks same-score evaluator %s", round, id)
			}
		}
		for _, e := range qa.Evaluators {
			if e.Flagged {
				annexNamed++
				if !strings.Contains(annex, "<td>"+e.EvaluatorID+"</td>") {
					t.Errorf("%s annex lacks flagged evaluator %s", round, e.EvaluatorID)
				}
			}
		}
		for _, e := range evs {
			if e.Scores == 0 {
				annexNamed++
				if !strings.Contains(annex, e.Name+"（"+e.EvaluatorID) {
					t.Errorf("%s annex lacks absent evaluator %s", round, e.EvaluatorID)
				}
			}
		}
	}
	if annexNamed == 0 {
		t.Fatal("the sample city flags no evaluator in any round: the test checks nothing")
	}
}

// TestRoundBulletinPublicationNotes: fixtures/handcheck/full_round's
// 2019-B1 fails the service coverage (F01–F03 of 5 units have cases) and is
// published with a reason: the bulletin prints the 说明 box with the check
// and the reason. A deduction of 1 point for F03 is imported and version 2
// published as a correction: the bulletin starts with the 更正说明 and lists
// F03 (its score 1.00 lower), not F01 (unchanged, 18 points ahead).
func TestRoundBulletinPublicationNotes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(dir, "x.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	files, _, err := analytics.ExpandPaths([]string{"../fixtures/handcheck/full_round"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2019, 3, 5, 1, 0, 0, 0, time.UTC)
	if _, err := st.ScoreRound(ctx, "2019-B1", scheme.Default(), "test", at); err != nil {
		t.Fatal(err)
	}
	b, err := New(st, Meta{City: "测试市", Date: "2019年3月6日"}, scheme.Default())
	if err != nil {
		t.Fatal(err)
	}
	d, err := b.Round(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(d.HTML); strings.Contains(s, `class="notice-box`) {
		t.Fatal("an unpublished bulletin carries a publication note")
	}
	if _, err := st.Publish(ctx, "2019-B1", analytics.PublishOptions{Reason: "F04 不办理政务服务事项 <b>"}, "office", at); err != nil {
		t.Fatal(err)
	}
	d, err = b.Round(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	s := string(d.HTML)
	if w := "<strong>说明：</strong>本轮在以下条件未满足时发布：政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)。理由：F04 不办理政务服务事项 &lt;b&gt;"; !strings.Contains(s, w) {
		t.Errorf("bulletin lacks the override box %q", w)
	}
	if strings.Contains(s, "更正说明") {
		t.Error("a first publication is called a correction")
	}
	ded := filepath.Join(dir, "deductions.csv")
	if err := os.WriteFile(ded, []byte("deduction_id,unit_id,date,points,reason\nK900,F03,2019-02-25,1,复核补扣\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportFile(ctx, ded, analytics.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ScoreRound(ctx, "2019-B1", scheme.Default(), "test", at.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, "2019-B1", analytics.PublishOptions{Reason: "F03 漏计扣分 1 分"}, "office", at.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	d, err = b.Round(ctx, "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	s = string(d.HTML)
	corr := strings.Index(s, "<strong>更正说明：</strong>第 2 版（发布于 "+ChineseDate(at.Add(24*time.Hour).Local())+"）取代第 1 版（发布于 "+ChineseDate(at.Local())+"），理由：F03 漏计扣分 1 分")
	if corr < 0 || corr > strings.Index(s, "一、总体情况") {
		t.Fatalf("the correction note is missing or not at the top")
	}
	box := s[corr:strings.Index(s, "一、总体情况")]
	if !strings.Contains(box, `<td class="name">市市场监督管理局</td>`) || strings.Contains(box, "市行政审批局") {
		t.Errorf("the changes list F03 only if F01 is unchanged:\n%s", box)
	}
	old, _ := st.RankingVersion(ctx, "2019-B1", 1)
	nw, _ := st.RankingVersion(ctx, "2019-B1", 2)
	for i, u := range nw.Units {
		if u.UnitID == "F03" && (old.Units[i].UnitID != "F03" || *old.Units[i].Score-*u.Score < 0.999 || *old.Units[i].Score-*u.Score > 1.001) {
			t.Errorf("F03 %v → %v: want 1 point less", *old.Units[i].Score, *u.Score)
		}
	}
	if !strings.Contains(s, "本轮在以下条件未满足时发布") {
		t.Error("the corrected version (gate still failing) lacks the 说明 box")
	}
}
