package scheme

import (
	"encoding/json"
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
			[]string{"s.yaml:14: field trim_min_score is not a scheme setting (see xiaoneng scheme show)"}},
		{"class weights not adding to 1", edit("leader: 0.4", "leader: 0.5"),
			[]string{"s.yaml:10: peer.class_weights: weights add up to 1.1, not 1"}},
		{"target below floor", edit("online:    {points: 4, target: 0.70, floor: 0.30}", "online:    {points: 4, target: 0.20, floor: 0.30}"),
			[]string{"s.yaml:19: service.online.target: target 0.2 must be above floor 0.3"}},
		{"every problem at once, by line", []byte(strings.Replace(strings.Replace(string(DefaultYAML()), "leader: 0.4", "leader: 0.5", 1), "cap: 10", "cap: -1", 1)),
			[]string{"s.yaml:10: peer.class_weights: weights add up to 1.1, not 1", "s.yaml:36: deductions.cap: -1 must not be negative"}},
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
