package scoring

import (
	"math"
	"testing"
)

// ps builds peer scores of one class.
func ps(class string, scores ...float64) []PeerScore {
	out := make([]PeerScore, len(scores))
	for i, s := range scores {
		out[i] = PeerScore{EvaluatorID: class + string(rune('A'+i)), Class: class, Score: s}
	}
	return out
}

func join(parts ...[]PeerScore) []PeerScore {
	var out []PeerScore
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestAggregatePeer(t *testing.T) {
	tests := []struct {
		name   string
		scores []PeerScore
		want   float64
		wantOK bool
	}{
		{
			// leader 88, lead_head 84, member: drop one 95 and one 80 → (95+86+80)/3 = 87
			// 0.4×88 + 0.3×84 + 0.3×87 = 35.2 + 25.2 + 26.1 = 86.5
			name:   "tied extremes trim exactly one copy each",
			scores: join(ps(ClassLeader, 90, 86), ps(ClassLeadHead, 84), ps(ClassMemberHead, 95, 95, 86, 80, 80)),
			want:   86.5, wantOK: true,
		},
		{
			// all 88 in a class of 5 → 88; 0.4×88 + 0.3×90 + 0.3×88 = 88.6
			name:   "all equal scores trimmed to the same mean",
			scores: join(ps(ClassLeader, 88, 88), ps(ClassLeadHead, 90), ps(ClassMemberHead, 88, 88, 88, 88, 88)),
			want:   88.6, wantOK: true,
		},
		{
			// class of 4 is not trimmed: (90+88+92+86)/4 = 89; 0.4×90 + 0.3×90 + 0.3×89 = 89.7
			name:   "class below trim size keeps all scores",
			scores: join(ps(ClassLeader, 90), ps(ClassLeadHead, 90), ps(ClassMemberHead, 90, 88, 92, 86)),
			want:   89.7, wantOK: true,
		},
		{
			// no lead_head: leader 91, member drop 95 and 70 → (90+89+88+87)/4 = 88.5
			// (0.4×91 + 0.3×88.5)/0.7 = 62.95/0.7 = 89.92857…
			name:   "missing class renormalises weights",
			scores: join(ps(ClassLeader, 90, 92), ps(ClassMemberHead, 95, 90, 89, 88, 87, 70)),
			want:   62.95 / 0.7, wantOK: true,
		},
		{
			name:   "two scores are insufficient",
			scores: join(ps(ClassLeader, 85), ps(ClassMemberHead, 80)),
			want:   0, wantOK: false,
		},
		{
			name:   "no scores are insufficient",
			scores: nil,
			want:   0, wantOK: false,
		},
		{
			// unknown class and out-of-range scores are not valid: only 2 valid remain
			name:   "invalid scores do not count towards the minimum",
			scores: join(ps(ClassLeader, 85, 101), ps("guest", 80), ps(ClassMemberHead, 80, math.NaN())),
			want:   0, wantOK: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, _ := AggregatePeer(tt.scores, DefaultPeerOptions())
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestAggregatePeerDetail(t *testing.T) {
	scores := join(ps(ClassLeader, 90, 86), ps(ClassMemberHead, 95, 95, 86, 80, 80))
	_, _, d := AggregatePeer(scores, DefaultPeerOptions())
	if d.Valid != 7 || len(d.Classes) != 2 {
		t.Fatalf("got valid %d classes %d, want 7 and 2", d.Valid, len(d.Classes))
	}
	m := d.Classes[1] // sorted: leader, member_head
	if m.Class != ClassMemberHead || !m.Trimmed || m.Count != 5 || m.Used != 3 || m.Mean != 87 {
		t.Errorf("got %+v, want member_head trimmed 5→3 mean 87", m)
	}
	// weights 0.4 and 0.3 renormalised over 0.7
	if w := d.Classes[0].Weight; math.Abs(w-0.4/0.7) > 1e-12 {
		t.Errorf("got leader weight %v, want %v", w, 0.4/0.7)
	}
}
