package reports

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"os"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// categoriesOf groups a stored ranking's ranked units by category, best
// first, in the order the categories first appear.
func categoriesOf(rk analytics.Ranking) ([]string, map[string][]analytics.UnitRanking) {
	var order []string
	by := map[string][]analytics.UnitRanking{}
	for _, u := range rk.Units {
		if _, ok := by[u.Category]; !ok {
			order = append(order, u.Category)
			by[u.Category] = nil
		}
		if u.Rank != nil {
			by[u.Category] = append(by[u.Category], u)
		}
	}
	for _, c := range order {
		us := by[c]
		for i := 1; i < len(us); i++ {
			for j := i; j > 0 && (*us[j].Rank < *us[j-1].Rank || *us[j].Rank == *us[j-1].Rank && us[j].UnitID < us[j-1].UnitID); j-- {
				us[j], us[j-1] = us[j-1], us[j]
			}
		}
	}
	return order, by
}

// section returns the text between two headings of a document.
func section(t *testing.T, html, from, to string) string {
	t.Helper()
	i := strings.Index(html, from)
	j := strings.Index(html, to)
	if i < 0 || j < i {
		t.Fatalf("no section %q … %q", from, to)
	}
	return html[i:j]
}

func TestRoundBulletinOfTheSampleCity(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	for _, tc := range []struct {
		round, title, subtitle string
		rounds                 int
	}{
		{"2019-B3", "2019年第3次机关效能评议通报", "（5—6月）", 3},
		{"2019-B4", "2019年第4次机关效能评议通报", "（7—8月）", 4},
	} {
		t.Run(tc.round, func(t *testing.T) {
			rk, err := b.store.Ranking(ctx, tc.round)
			if err != nil {
				t.Fatal(err)
			}
			qa, err := b.store.PeerQA(ctx, tc.round)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := b.Round(ctx, tc.round)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Name != "round-"+tc.round || doc.Title != tc.title {
				t.Errorf("name %q title %q", doc.Name, doc.Title)
			}
			if tc.round == "2019-B3" {
				if err := os.WriteFile("/tmp/round-2019-B3.html", doc.HTML, 0o644); err != nil {
					t.Log(err)
				}
			}
			want := []string{tc.title, tc.subtitle, "青川市机关效能建设领导小组办公室", "2020年1月6日",
				"一、总体情况", "二、评议结果", "三、评议参与与质量", "四、扣分情况", "五、排名稳健性",
				"<th>名次</th><th>单位</th><th>总分</th><th>效能评议</th><th>政务服务</th><th>诉求办理</th><th>满意度测评</th><th>扣分</th><th>等次</th><th>名次变化</th>",
				`class="tier-好">好<`, `class="tier-较好">较好<`, `class="tier-一般">一般<`, `class="tier-较差">较差<`,
				fmt.Sprintf("%d 名评议人", len(qa.Evaluators)), "不改变任何单位的得分和名次"}
			if qa.KendallW != nil {
				want = append(want, fmt.Sprintf("为 %.2f", *qa.KendallW))
			}
			if n := len(qa.SameScore); n > 0 {
				want = append(want, fmt.Sprintf("有 %d 名评议人对所评全部单位打出相同分数", n))
			}
			cats, by := categoriesOf(rk)
			want = append(want, roundCategoryWants(cats, by)...)
			charts := checkDocument(t, doc, want...)
			if len(charts) != 3*len(cats) {
				t.Errorf("%d charts, want 3 per category (%d)", len(charts), 3*len(cats))
			}
			checkRoundCharts(t, charts, cats, by, tc.rounds)
			checkRoundRobust(t, string(doc.HTML), rk)
		})
	}
}

// roundCategoryWants are the headings, score cells and summary phrases of
// every category of a stored ranking.
func roundCategoryWants(cats []string, by map[string][]analytics.UnitRanking) []string {
	var want []string
	for i, c := range cats {
		us := by[c]
		want = append(want, fmt.Sprintf("<h3>（%s）%s（%d 个单位参与排名）</h3>", chineseOrdinal(i+1), c, len(us)))
		for _, u := range us {
			want = append(want, fmt.Sprintf(`<td class="name">%s</td><td class="num">%.2f</td>`, u.Name, *u.Score))
		}
		// the summary names the first and the last of the category with their scores
		first, last := us[0], us[len(us)-1]
		if len(us) > 1 && *us[1].Rank == 1 {
			want = append(want, "并列第一")
		} else {
			want = append(want, fmt.Sprintf("%s（%.2f分）位列第一", first.Name, *first.Score))
		}
		if *us[len(us)-2].Rank == *last.Rank {
			want = append(want, "并列末位")
		} else {
			want = append(want, fmt.Sprintf("%s（%.2f分）位列末位", last.Name, *last.Score))
		}
	}
	return want
}

// checkRoundCharts checks the ranking, parts and trend charts of every category.
func checkRoundCharts(t *testing.T, charts map[string]map[string]any, cats []string, by map[string][]analytics.UnitRanking, rounds int) {
	t.Helper()
	for i, c := range cats {
		n := len(by[c])
		bar := charts[fmt.Sprintf("round-rank-%d", i+1)]
		if bar == nil {
			t.Fatalf("no ranking chart for %s", c)
		}
		data := bar["series"].([]any)[0].(map[string]any)["data"].([]any)
		names := bar["yAxis"].(map[string]any)["data"].([]any)
		if len(data) != n || len(names) != n {
			t.Fatalf("%s: ranking chart has %d bars and %d names, want %d", c, len(data), len(names), n)
		}
		for j, u := range by[c] {
			item := data[j].(map[string]any)
			if names[j] != u.Name || item["value"].(float64) != *u.Score {
				t.Errorf("%s bar %d: %v %v, want %s %v", c, j, names[j], item["value"], u.Name, *u.Score)
			}
			if got := item["itemStyle"].(map[string]any)["color"]; got != tierColors[*u.Tier] {
				t.Errorf("%s: %s (%s) coloured %v", c, u.Name, *u.Tier, got)
			}
			if got := item["label"].(map[string]any)["formatter"]; got != fmt.Sprintf("%.2f", *u.Score) {
				t.Errorf("%s: label %v", u.Name, got)
			}
		}
		parts := charts[fmt.Sprintf("round-parts-%d", i+1)]["series"].([]any)
		if len(parts) != 5 {
			t.Errorf("%s: %d part series, want 5", c, len(parts))
		}
		for _, s := range parts {
			if d := s.(map[string]any)["data"].([]any); len(d) != n {
				t.Errorf("%s: part series %v has %d points, want %d", c, s.(map[string]any)["name"], len(d), n)
			}
		}
		trend := charts[fmt.Sprintf("round-trend-%d", i+1)]
		if x := trend["xAxis"].(map[string]any)["data"].([]any); len(x) != rounds {
			t.Errorf("%s: trend over %d rounds, want %d", c, len(x), rounds)
		}
		// the last point of the maximum line is the category's first score
		hi := trend["series"].([]any)[0].(map[string]any)["data"].([]any)
		if hi[len(hi)-1].(map[string]any)["value"].(float64) != *by[c][0].Score {
			t.Errorf("%s: trend max %v, want %v", c, hi[len(hi)-1], *by[c][0].Score)
		}
	}
}

// checkRoundRobust checks that every unit flagged not robust is in the
// robustness section with its simulated ranks and conclusion.
func checkRoundRobust(t *testing.T, html string, rk analytics.Ranking) {
	t.Helper()
	robust := section(t, html, "五、排名稳健性", "</main>")
	flagged := 0
	for _, u := range rk.Units {
		if containsString(u.Flags, scoring.FlagNotRobustLast) || containsString(u.Flags, scoring.FlagNotRobustPoor) {
			flagged++
			r := u.Robustness
			for _, w := range []string{u.Name, fmt.Sprintf("<td>%d</td><td>第 %d—%d 名</td>", r.MedianRank, r.P05, r.P95)} {
				if !strings.Contains(robust, w) {
					t.Errorf("robustness section lacks %q", w)
				}
			}
		}
		if containsString(u.Flags, scoring.FlagNotRobustLast) && !strings.Contains(robust, fmt.Sprintf("末位仅在 %.2f%% 的模拟情形中成立（不足 80%%），约谈前宜复核", u.Robustness.LastShare*100)) {
			t.Errorf("robustness section lacks the conclusion on %s", u.Name)
		}
	}
	if flagged == 0 {
		t.Errorf("%s: the sample city has no unit with a robustness flag; the test expects some", rk.Round)
	}
	if strings.Count(robust, "宜复核") < flagged {
		t.Errorf("robustness section names fewer than %d conclusions", flagged)
	}
}

func TestRoundBulletinShowsCappedDeductions(t *testing.T) {
	b := sampleBuilder(t)
	ctx := context.Background()
	rk, err := b.store.Ranking(ctx, "2019-B4")
	if err != nil {
		t.Fatal(err)
	}
	in, err := b.store.RoundInputs(ctx, "2019-B4")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := b.Round(ctx, "2019-B4")
	if err != nil {
		t.Fatal(err)
	}
	ded := section(t, string(doc.HTML), "四、扣分情况", "五、排名稳健性")
	var d38 analytics.UnitRanking
	units := 0
	for _, u := range rk.Units {
		if u.UnitID == "D38" {
			d38 = u
		}
		if v := u.Parts[scoring.PartDeductions]; v != nil && *v > 0 {
			units++
			if !strings.Contains(ded, u.Name) {
				t.Errorf("deductions section lacks %s", u.Name)
			}
		}
	}
	raw := in.Deductions["D38"]
	if !containsString(d38.Flags, scoring.FlagDeductionsCapped) || raw.Points <= b.scheme.DeductionCap {
		t.Fatalf("D38 is not over the cap in 2019-B4: %v, %v", d38.Flags, raw)
	}
	row := fmt.Sprintf(`<td class="name">%s</td><td class="num">%d</td><td class="num">%.2f</td><td class="num">%.2f</td><td>超过每轮 %.2f 分上限，按上限计</td>`,
		d38.Name, raw.Items, raw.Points, *d38.Parts[scoring.PartDeductions], b.scheme.DeductionCap)
	if !strings.Contains(ded, row) {
		t.Errorf("deductions section lacks D38's row %s:\n%s", row, ded)
	}
	if !strings.Contains(ded, fmt.Sprintf("共有 %d 个单位被扣分", units)) {
		t.Errorf("deductions summary does not count %d units:\n%s", units, ded)
	}
	items, err := b.store.DeductionItems(ctx, "2019-B4")
	if err != nil {
		t.Fatal(err)
	}
	var mine []analytics.DeductionItem
	for _, it := range items {
		if it.UnitID == "D38" {
			mine = append(mine, it)
		}
	}
	if int64(len(mine)) != raw.Items {
		t.Errorf("DeductionItems gives D38 %d items, RoundInputs %d", len(mine), raw.Items)
	}
	checkItemsUnderRow(t, ded, row, mine)
	// D38 comes first: the most points counted
	if i, j := strings.Index(ded, d38.Name), strings.Index(ded, "<tbody>"); i < j {
		t.Error("D38 is not in the table")
	}
}

// checkItemsUnderRow checks that the rows following a unit's deduction row,
// up to the next unit's, list exactly its items with date, points and
// reason, in the order given.
func checkItemsUnderRow(t *testing.T, ded, row string, items []analytics.DeductionItem) {
	t.Helper()
	i := strings.Index(ded, row)
	if i < 0 {
		return // reported by the caller
	}
	rest := ded[i+len(row):]
	if end := strings.Index(rest, "<tr><td>"); end >= 0 {
		rest = rest[:end]
	}
	if n := strings.Count(rest, `<tr class="deduction-item">`); n != len(items) {
		t.Errorf("%d item rows under the unit, want %d:\n%s", n, len(items), rest)
	}
	for _, it := range items {
		w := fmt.Sprintf(`<td class="name" colspan="5">%s，扣 %.2f 分：%s</td>`,
			ChineseDate(it.Date), it.Points, template.HTMLEscapeString(it.Reason))
		j := strings.Index(rest, w)
		if j < 0 {
			t.Errorf("the unit's items lack %s (or not in date order):\n%s", w, rest)
			continue
		}
		rest = rest[j+len(w):]
	}
}

func TestRoundOfAnUnscoredRound(t *testing.T) {
	b := sampleBuilder(t)
	if _, err := b.Round(context.Background(), "2018-B6"); !errors.Is(err, analytics.ErrNotScored) {
		t.Errorf("2018-B6: %v, want ErrNotScored", err)
	}
	if _, err := b.Round(context.Background(), "2019-B7"); err == nil {
		t.Error("2019-B7 gave no error")
	}
}
