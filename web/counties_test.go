package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// dtQuarter is a quarter whose counties have only a land supply rate:
// supplied/100 mu each.
func dtQuarter(period string, supplied map[string]float64) scoring.QuarterRates {
	var sums []scoring.CountySums
	for _, id := range []string{"A", "B", "C"} {
		sums = append(sums, scoring.CountySums{UnitID: id, Name: "县" + id, LandSupplied: supplied[id], LandNeed: 100})
	}
	return scoring.ComputeCountyRates(period, period, 3, sums, 0)
}

func TestCountiesAtRiskByHand(t *testing.T) {
	q1 := dtQuarter("Q1", map[string]float64{"A": 90, "B": 50, "C": 70})  // B last
	q2 := dtQuarter("Q2", map[string]float64{"A": 90, "B": 80, "C": 60})  // C last
	q3 := dtQuarter("Q3", map[string]float64{"A": 40, "B": 80, "C": 60})  // A last
	q3c := dtQuarter("Q3", map[string]float64{"A": 70, "B": 80, "C": 50}) // C last again
	all100 := dtQuarter("Q3", map[string]float64{"A": 100, "B": 100, "C": 100})
	two := scoring.InterviewRule{Period: scoring.PeriodQuarter, Consecutive: 2, Bottom: 1}
	three := scoring.InterviewRule{Period: scoring.PeriodQuarter, Consecutive: 3, Bottom: 1}
	cases := []struct {
		name  string
		ended []scoring.QuarterRates
		rule  scoring.InterviewRule
		want  string // UnitID/Period/Value/Run/Need per risk
	}{
		// A is last in Q3 only: one more last quarter lists it. C was last
		// in Q2 but not in Q3: no longer at risk. B's Q1 is history.
		{"new last place", []scoring.QuarterRates{q1, q2, q3}, two, "A/Q3/0.4/1/1"},
		// C last in Q2 and Q3: on the list, so not "at risk".
		{"already listed", []scoring.QuarterRates{q1, q2, q3c}, two, ""},
		// With three quarters needed, C's run of two needs one more.
		{"run of two of three", []scoring.QuarterRates{q1, q2, q3c}, three, "C/Q3/0.5/2/1"},
		// Everybody at 100%: nobody is last.
		{"all tied", []scoring.QuarterRates{q1, all100}, two, ""},
		{"nothing ended", nil, two, ""},
		// Q1 alone: B last for the first time.
		{"first quarter", []scoring.QuarterRates{q1}, two, "B/Q1/0.5/1/1"},
	}
	for _, c := range cases {
		var got []string
		for _, r := range cntyAtRisk(c.ended, c.rule) {
			if r.Label != "供地率" || r.Name != "县"+r.UnitID {
				t.Errorf("%s: risk %+v has the wrong label or name", c.name, r)
			}
			got = append(got, fmt.Sprintf("%s/%s/%g/%d/%d", r.UnitID, r.Period, r.Value, r.Run, r.Need))
		}
		if g := strings.Join(got, ","); g != c.want {
			t.Errorf("%s: at risk %q, want %q", c.name, g, c.want)
		}
	}
}

func TestCountiesPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	status, body := c.getBody("/counties")
	if status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	body = dtSquash(body)
	// The newest month with progress is December 2019; hand-checked against
	// `xiaoneng projects --month 2019-12` and `xiaoneng interviews --year
	// 2019`: 南湖区 (C04) land supply 100.00% ranked 1, investment 112.23%
	// ranked 7, 12.23 points ahead of time; four 约谈 entries, 白水县 on land
	// supply in every quarter; nobody at risk (every county last in Q4 is
	// listed already).
	for _, want := range []string{"重点项目县区排名 · 2019-12", "时间进度 100.00%",
		`<tr><td>南湖区</td><td class="num">100.00%</td><td class="num">1</td><td class="num">112.23%</td><td class="num">7</td>`,
		`<td class="num">12.23 个百分点</td>`,
		`<td>白水县</td><td>供地率</td><td>2019-Q1、2019-Q2、2019-Q3、2019-Q4</td><td>4.84%、9.70%、14.57%、19.43%</td>`,
		`data-chart="cnty-investment"`, `href="/export/counties?format=csv&amp;period=2019-12"`,
		`href="/export/interviews?format=xlsx&amp;period=2019-12"`} {
		if !strings.Contains(body, want) {
			t.Errorf("counties page lacks %s", want)
		}
	}
	if n := len(regexp.MustCompile(`<tr><td>[^<]*</td><td>(供地率|投资完成率|开工率|签约项目落地率)</td><td>2019-Q[^<]*</td><td>\d`).FindAllString(body, -1)); n != 4 {
		t.Errorf("约谈 list has %d entries, want 4", n)
	}
	if strings.Contains(body, ">样本不足</span>") {
		t.Error("a county is 样本不足 in December (every county signed at least 6 projects by then)")
	}
	// In Q1 some counties have signed fewer than 3 projects: 样本不足.
	_, q1 := c.getBody("/counties?period=2019-Q1")
	if !strings.Contains(q1, ">样本不足</span>") || !strings.Contains(q1, "提前开工") {
		t.Error("the Q1 page marks no rate 样本不足 or lacks the 提前开工 column")
	}
	dtInert(t, body, true)
}

func TestCountiesPageCountsOnlyEndedQuarters(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t, leaderUser)
	_, body := c.getBody("/counties?period=2019-06")
	body = dtSquash(body)
	if !strings.Contains(body, "计至 2019-Q2") {
		t.Errorf("the June page does not count through Q2")
	}
	if strings.Contains(body, "2019-Q3") {
		t.Errorf("the June page judges on Q3")
	}
	// 白水县 was last on land supply in Q1 and Q2 already.
	if !strings.Contains(body, `<td>白水县</td><td>供地率</td><td>2019-Q1、2019-Q2</td>`) {
		t.Errorf("白水县 not listed through Q2")
	}
	// A month in the middle of a quarter judges on the quarter before.
	_, body = c.getBody("/counties?period=2019-05")
	if !strings.Contains(body, "计至 2019-Q1") {
		t.Errorf("the May page does not count through Q1")
	}
	for p, want := range map[string]int{"/counties?period=2019-Q2": http.StatusOK, "/counties?period=2019-13": http.StatusBadRequest,
		"/counties?period=Q2": http.StatusBadRequest} {
		if got, _ := c.getBody(p); got != want {
			t.Errorf("%s: status %d, want %d", p, got, want)
		}
	}
}
