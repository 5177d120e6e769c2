package scheme

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

func TestDefaultYAMLIsTheDefaultScheme(t *testing.T) {
	got, _ := json.Marshal(Default())
	want, _ := json.Marshal(scoring.DefaultScheme())
	if string(got) != string(want) {
		t.Errorf("default.yaml gives\n%s\nscoring.DefaultScheme is\n%s", got, want)
	}
}

func TestBadSchemesReportEveryProblemWithItsLine(t *testing.T) {
	edit := func(old, new string) []byte {
		s := string(DefaultYAML())
		if !strings.Contains(s, old) {
			t.Fatalf("default.yaml lacks %q", old)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
	tests := []struct {
		name string
		text []byte
		want []string
	}{
		{"a typo in a field name", edit("trim_min_scores: 5", "trim_min_score: 5"),
			[]string{"s.yaml:24: field trim_min_score is not a scheme setting (see xiaoneng scheme show)"}},
		{"class weights not adding to 1", edit("leader: 0.4", "leader: 0.5"),
			[]string{"s.yaml:20: peer.class_weights: weights add up to 1.1, not 1"}},
		{"target below floor", edit("online:    {points: 4, target: 0.70, floor: 0.30}", "online:    {points: 4, target: 0.20, floor: 0.30}"),
			[]string{"s.yaml:30: service.online.target: target 0.2 must be above floor 0.3"}},
		{"every problem at once, by line", []byte(strings.Replace(strings.Replace(string(DefaultYAML()), "leader: 0.4", "leader: 0.5", 1), "cap: 10", "cap: -1", 1)),
			[]string{"s.yaml:20: peer.class_weights: weights add up to 1.1, not 1", "s.yaml:47: deductions.cap: -1 must not be negative"}},
		{"not YAML", []byte("peer: [\n"), []string{"s.yaml:1: did not find expected node content"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", tt.text)
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("got %v, want *Error", err)
			}
			if strings.Join(e.Problems, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(e.Problems, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestBandsAndDenseRankReachTheScheme(t *testing.T) {
	s := string(DefaultYAML())
	s = strings.Replace(s, "dense: false", "dense: true", 1)
	s = strings.Replace(s, "bands: []", "bands: [{min: 90, tier: 好}, {min: 80, tier: 较好}, {min: 70, tier: 一般}]", 1)
	got, err := Parse("s.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if !got.DenseRank || len(got.Tiers.Bands) != 3 || got.Tiers.Bands[1] != (scoring.Band{Min: 80, Tier: "较好"}) || got.Tiers.Below != "较差" {
		t.Errorf("got %+v", got)
	}
}

// edited returns the default scheme text with old replaced by new (once).
func edited(t *testing.T, pairs ...string) []byte {
	t.Helper()
	s := string(DefaultYAML())
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("default.yaml lacks %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

func parseOK(t *testing.T, text []byte) scoring.Scheme {
	t.Helper()
	s, err := Parse("s.yaml", text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func TestNormalisationSettingsReachTheScheme(t *testing.T) {
	s := parseOK(t, edited(t,
		"online:    {points: 4, target: 0.70, floor: 0.30}", "online:    {points: 4, target: 0.70, floor: 0.30, method: minmax}",
		"one_visit: {points: 4, target: 0.90, floor: 0.50}", "one_visit: {points: 4, target: 0.90, floor: 0.50, method: frontier, best: 1, worst: 0.4}",
		"instant:   {points: 4, target: 0.50, floor: 0.10}", "instant:   {points: 4, target: 0.10, floor: 0.50, method: tscore, direction: lower}",
		"resolution:   {points: 5, target: 0.95, floor: 0.60}", "resolution:   {points: 5, target: 0.95, floor: 0.60, method: rank}",
		"satisfaction: {points: 5, target: 0.95, floor: 0.60}", "satisfaction: {points: 5, target: 0.95, floor: 0.60, method: target, direction: higher}",
	))
	want := map[string]scoring.RateRule{
		scoring.IndOnline:     {Points: 4, Target: 0.7, Floor: 0.3, Method: scoring.MethodMinMax},
		scoring.IndOneVisit:   {Points: 4, Target: 0.9, Floor: 0.5, Method: scoring.MethodFrontier, Best: 1, Worst: 0.4},
		scoring.IndInstant:    {Points: 4, Target: 0.1, Floor: 0.5, Method: scoring.MethodTScore, Direction: scoring.DirectionLower},
		scoring.IndResolution: {Points: 5, Target: 0.95, Floor: 0.6, Method: scoring.MethodRank},
		// target and higher are the defaults, stored unset: the hash of a rule
		// does not change by spelling the default out
		scoring.IndFavourable: {Points: 5, Target: 0.95, Floor: 0.6},
	}
	for name, w := range want {
		if got := *s.Rule(name); got != w {
			t.Errorf("%s: got %+v, want %+v", name, got, w)
		}
	}
	d := scoring.DefaultScheme()
	d.Favourable = s.Favourable
	if scoring.SchemeHash(d) != scoring.SchemeHash(scoring.DefaultScheme()) {
		t.Error("spelling out method: target, direction: higher changed the hash")
	}
	if scoring.SchemeHash(s) == scoring.SchemeHash(scoring.DefaultScheme()) {
		t.Error("another method left the hash unchanged")
	}
}

func TestYearAndInterviewSettingsReachTheScheme(t *testing.T) {
	s := parseOK(t, edited(t, "rounds_weight: 0.8", "rounds_weight: 0.7", "survey_weight: 0.2", "survey_weight: 0.3",
		"period: quarter", "period: month", "consecutive: 2", "consecutive: 3", "bottom_places: 1", "bottom_places: 2"))
	if s.Year != (scoring.AnnualWeights{Rounds: 0.7, Survey: 0.3}) {
		t.Errorf("year %+v", s.Year)
	}
	if s.Interviews != (scoring.InterviewRule{Period: "month", Consecutive: 3, Bottom: 2, MinProjects: 3}) {
		t.Errorf("interviews %+v", s.Interviews)
	}
	if d := Default(); d.Year != scoring.DefaultAnnualWeights() || d.Interviews != scoring.DefaultInterviewRule() {
		t.Errorf("default year %+v interviews %+v", d.Year, d.Interviews)
	}
}

// TestCommentBelowReachesTheScheme: the portal's comment threshold is a
// scheme setting (60 by default, and when a scheme file predates it), range
// checked, and part of the scheme's hash.
func TestCommentBelowReachesTheScheme(t *testing.T) {
	if d := Default(); d.Peer.CommentBelow != 60 || scoring.DefaultScheme().Peer.CommentBelow != 60 {
		t.Errorf("default comment_below %g", d.Peer.CommentBelow)
	}
	s := parseOK(t, edited(t, "comment_below: 60", "comment_below: 70.5"))
	if s.Peer.CommentBelow != 70.5 {
		t.Errorf("comment_below 70.5 read as %g", s.Peer.CommentBelow)
	}
	if scoring.SchemeHash(s) == scoring.SchemeHash(Default()) {
		t.Error("comment_below left the hash unchanged")
	}
	text := string(DefaultYAML())
	i := strings.Index(text, "  comment_below:")
	j := i + strings.Index(text[i:], "\n") + 1
	old, err := Parse("old.yaml", []byte(text[:i]+text[j:]))
	if err != nil || old.Peer.CommentBelow != 60 {
		t.Errorf("a scheme without comment_below: %g, %v; want 60", old.Peer.CommentBelow, err)
	}
	_, err = Parse("s.yaml", edited(t, "comment_below: 60", "comment_below: 101"))
	if err == nil || !strings.Contains(err.Error(), "s.yaml:26: peer.comment_below: 101 is not a score between 0 and 100") {
		t.Errorf("comment_below 101: %v", err)
	}
}

const ahpParts = `
ahp:
  parts:
    items: [peer, service, complaints, satisfaction]
    matrix:
      - [1,   3,   3,   3]
      - [1/3, 1,   1,   1]
      - [1/3, 1,   1,   1]
      - [1/3, 1,   1,   1]
  complaints:
    items: [satisfaction, on_time, resolution]
    matrix: [[1, 2, 2], [1/2, 1, 1], [0.5, 1, 1]]
`

func TestAHPDerivesThePoints(t *testing.T) {
	s := parseOK(t, append(DefaultYAML(), ahpParts...))
	// The parts matrix is consistent (row i = w_i/w_j with w = 1/2, 1/6, 1/6,
	// 1/6): peer gets 100 × 1/2 = 50, each other part 100/6 = 16.667. Service
	// keeps its indicators' proportions 8:4:4:4 of 16.667; the complaint
	// matrix (also consistent, w = 1/2, 1/4, 1/4) gives satisfaction 8.333
	// and on_time, resolution 4.167 each.
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	near("peer", s.PeerPoints, 50)
	near("satisfaction part", s.SatisfactionPoints, 100.0/6)
	near("on_time", s.OnTime.Points, 100.0/6*8/20)
	near("online", s.Online.Points, 100.0/6*4/20)
	near("complaint satisfaction", s.Favourable.Points, 100.0/6/2)
	near("complaint on_time", s.ComplaintOnTime.Points, 100.0/6/4)
	near("resolution", s.Resolution.Points, 100.0/6/4)
	if len(s.AHP) != 2 || s.AHP[0].Items[0] != "peer" || s.AHP[1].Items[0] != "satisfaction" {
		t.Fatalf("stored AHP %+v", s.AHP)
	}
	near("λmax", s.AHP[0].LambdaMax, 4)
	near("RI for 4", s.AHP[0].RI, 0.90)
	if s.AHP[0].CR > 1e-9 {
		t.Errorf("CR %v, want 0 for a consistent matrix", s.AHP[0].CR)
	}
	if scoring.SchemeHash(s) == scoring.SchemeHash(scoring.DefaultScheme()) {
		t.Error("AHP left the hash unchanged")
	}
}

func TestBadNormalisationAndAHPAreReportedWithTheirLines(t *testing.T) {
	base := string(DefaultYAML())
	line := func(s, sub string) int {
		i := strings.Index(s, sub)
		if i < 0 {
			t.Fatalf("lacks %q", sub)
		}
		return strings.Count(s[:i], "\n") + 1
	}
	tests := []struct {
		name, text, want string
	}{
		{"unknown method", strings.Replace(base, "floor: 0.30}", "floor: 0.30, method: zscore}", 1),
			"service.online.method: \"zscore\": use one of target, minmax, tscore, frontier, rank"},
		{"frontier without best", strings.Replace(base, "floor: 0.30}", "floor: 0.30, method: frontier}", 1),
			"service.online.method: frontier needs best and worst"},
		{"best without frontier", strings.Replace(base, "floor: 0.30}", "floor: 0.30, best: 1}", 1),
			"service.online.best: best and worst belong to method frontier"},
		{"lower with target above floor", strings.Replace(base, "floor: 0.30}", "floor: 0.30, direction: lower}", 1),
			"service.online.target: target 0.7 must be below floor 0.3 when lower is better"},
		{"bad direction", strings.Replace(base, "floor: 0.30}", "floor: 0.30, direction: up}", 1),
			"service.online.direction: \"up\": use higher or lower"},
		{"year weights", strings.Replace(base, "survey_weight: 0.2", "survey_weight: 0.3", 1),
			"year: rounds_weight and survey_weight add up to 1.1, not 1"},
		{"interview period", strings.Replace(base, "period: quarter", "period: week", 1),
			"interviews.period: \"week\": use quarter or month"},
		{"inconsistent AHP", base + "ahp:\n  service:\n    items: [on_time, online, one_visit, instant]\n    matrix: [[1, 9, 1/9, 1], [1/9, 1, 9, 1], [9, 1/9, 1, 1], [1, 1, 1, 1]]\n",
			"ahp.service.matrix: consistency ratio CR = "},
		{"AHP not reciprocal", base + "ahp:\n  service:\n    items: [on_time, online, one_visit, instant]\n    matrix: [[1, 3, 1, 1], [3, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]\n",
			"ahp.service.matrix: row 1, column 2 (第1行第2列) and row 2, column 1 (第2行第1列): 3 and 3 are not reciprocal"},
		{"AHP items", base + "ahp:\n  complaints:\n    items: [on_time, resolution]\n    matrix: [[1, 2], [1/2, 1]]\n",
			"ahp.complaints.items: [on_time resolution]: list each of on_time, resolution, satisfaction once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.text))
			e, ok := err.(*Error)
			if !ok || len(e.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			key := tt.want[:strings.Index(tt.want, ":")]
			parts := strings.Split(key, ".")
			// the line is the one of the deepest key present in the text
			wantLine := line(tt.text, parts[0]+":")
			if len(parts) > 1 {
				from := strings.Index(tt.text, "\n"+parts[0]+":")
				if from < 0 {
					from = 0
				}
				sub := tt.text[from:]
				for _, p := range parts[1:] {
					if i := strings.Index(sub, p+":"); i >= 0 {
						from += i
						sub = tt.text[from:]
					}
				}
				wantLine = strings.Count(tt.text[:from], "\n") + 1
			}
			prefix := fmt.Sprintf("s.yaml:%d: %s", wantLine, tt.want)
			if !strings.HasPrefix(e.Problems[0], prefix) {
				t.Errorf("got  %s\nwant %s…", e.Problems[0], prefix)
			}
		})
	}
}

// TestInterviewMinProjects: interviews.min_projects is 3 by default and when
// a scheme file predates it, 0 lets every county take part, and a negative
// or fractional number is refused with its line.
func TestInterviewMinProjects(t *testing.T) {
	const line = "  min_projects: 3"
	for _, c := range []struct {
		name, text string
		want       int
	}{
		{"default", line, 3},
		{"absent", "", 3},
		{"zero", "  min_projects: 0", 0},
		{"five", "  min_projects: 5", 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			if s := parseOK(t, edited(t, line, c.text)); s.Interviews.MinProjects != c.want {
				t.Errorf("min_projects %d, want %d", s.Interviews.MinProjects, c.want)
			}
		})
	}
	text := string(DefaultYAML())
	at := strings.Count(text[:strings.Index(text, "\n"+line)+1], "\n") + 1
	for _, bad := range []string{"  min_projects: -1", "  min_projects: 2.5"} {
		t.Run(bad, func(t *testing.T) {
			_, err := Parse("s.yaml", edited(t, line, bad))
			if want := fmt.Sprintf("s.yaml:%d:", at); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, want an error on line %d", err, at)
			}
		})
	}
}

// TestCredibilityReachesTheScheme: credibility is 10 by default and when a
// scheme file predates it, 0 turns it off, and a negative or non-finite m is
// refused with its line.
func TestCredibilityReachesTheScheme(t *testing.T) {
	if d := Default(); d.Credibility != 10 || scoring.DefaultScheme().Credibility != 10 {
		t.Errorf("default credibility %g", d.Credibility)
	}
	if s := parseOK(t, edited(t, "credibility: 10", "credibility: 0")); s.Credibility != 0 {
		t.Errorf("credibility 0 read as %g", s.Credibility)
	}
	s := parseOK(t, edited(t, "credibility: 10", "credibility: 2.5"))
	if s.Credibility != 2.5 || scoring.SchemeHash(s) == scoring.SchemeHash(Default()) {
		t.Errorf("credibility 2.5 read as %g, or the hash did not change", s.Credibility)
	}
	text := string(DefaultYAML())
	old, err := Parse("old.yaml", []byte(strings.Replace(text, "\ncredibility: 10\n", "\n", 1)))
	if err != nil || old.Credibility != 10 {
		t.Errorf("a scheme without credibility: %g, %v; want 10", old.Credibility, err)
	}
	line := strings.Count(text[:strings.Index(text, "\ncredibility: 10")+1], "\n") + 1
	for _, bad := range []string{"-1", ".inf", ".nan"} {
		_, err := Parse("s.yaml", edited(t, "credibility: 10", "credibility: "+bad))
		want := fmt.Sprintf("s.yaml:%d: credibility:", line)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "at least 0") {
			t.Errorf("credibility %s: %v; want %q … at least 0", bad, err, want)
		}
	}
}

// TestWenzhengSurveyReachesTheScheme: the year's survey is 效能问政 by
// default (canonically unset, so the hash does not depend on it being
// written out), another name reaches the scheme, and an empty one is refused.
func TestWenzhengSurveyReachesTheScheme(t *testing.T) {
	if d := Default(); d.Year.SurveyName() != "效能问政" || d.Year.WenzhengSurvey != "" {
		t.Errorf("default survey %q (stored %q)", d.Year.SurveyName(), d.Year.WenzhengSurvey)
	}
	s := parseOK(t, edited(t, "wenzheng_survey: 效能问政", "wenzheng_survey: 年度问政"))
	if s.Year.SurveyName() != "年度问政" {
		t.Errorf("survey %q, want 年度问政", s.Year.SurveyName())
	}
	if _, err := Parse("s.yaml", edited(t, "wenzheng_survey: 效能问政", `wenzheng_survey: ""`)); err == nil ||
		!strings.Contains(err.Error(), "year.wenzheng_survey: must name a survey") {
		t.Errorf("empty survey name: %v", err)
	}
}
