// Package scoring implements the default bimonthly scheme of CONTRACT §3: peer
// aggregation, rate normalisation, part redistribution, deductions, rounding,
// ranking and tiers. It is pure: standard library only, no I/O, no clock and no
// package-level mutable state.
package scoring

import (
	"math"
	"sort"
)

// Peer evaluator classes of the default scheme.
const (
	ClassLeader     = "leader"
	ClassLeadHead   = "lead_head"
	ClassMemberHead = "member_head"
)

// PeerScore is one evaluator's score (0–100) for a unit in a round.
type PeerScore struct {
	EvaluatorID, Class string
	Score              float64
}

// PeerOptions controls peer aggregation.
type PeerOptions struct {
	// ClassWeights maps an evaluator class to its weight; scores of classes
	// absent from the map (or with weight ≤ 0) are not valid.
	ClassWeights map[string]float64
	// TrimMin is the class size from which one highest and one lowest score are dropped.
	TrimMin int
	// MinValid is the least number of valid scores (all classes) a unit needs.
	MinValid int
	// CommentBelow is the score below which an evaluator entering scores
	// through the web must give a comment; it does not change aggregation.
	CommentBelow float64
}

// DefaultPeerOptions returns the CONTRACT §3 peer defaults.
func DefaultPeerOptions() PeerOptions {
	return PeerOptions{
		ClassWeights: map[string]float64{ClassLeader: 0.4, ClassLeadHead: 0.3, ClassMemberHead: 0.3},
		TrimMin:      5,
		MinValid:     3,
		CommentBelow: 60,
	}
}

// ClassMean is the aggregation of one evaluator class.
type ClassMean struct {
	Class   string
	Count   int     // valid scores received
	Used    int     // scores left after trimming
	Trimmed bool    // one highest and one lowest were dropped
	Mean    float64 // mean of the used scores
	Weight  float64 // weight renormalised over the classes present
}

// PeerDetail explains how a peer mean was obtained.
type PeerDetail struct {
	Valid   int         // valid scores over all classes
	Classes []ClassMean // classes present, sorted by class name
}

// validPeer reports whether a score counts: a weighted class and a finite score in 0–100.
func validPeer(s PeerScore, o PeerOptions) bool {
	return o.ClassWeights[s.Class] > 0 && !math.IsNaN(s.Score) && s.Score >= 0 && s.Score <= 100
}

// AggregatePeer computes the class-weighted peer mean (0–100). Within a class
// with at least TrimMin scores exactly one copy of the highest and one of the
// lowest score are dropped; class weights are renormalised over the classes
// present. With fewer than MinValid valid scores ok is false and mean is 0;
// the caller flags insufficient_peer_scores. The result does not depend on
// the order of scores.
func AggregatePeer(scores []PeerScore, o PeerOptions) (mean float64, ok bool, detail PeerDetail) {
	byClass := map[string][]float64{}
	for _, s := range scores {
		if validPeer(s, o) {
			byClass[s.Class] = append(byClass[s.Class], s.Score)
			detail.Valid++
		}
	}
	if detail.Valid == 0 || detail.Valid < o.MinValid {
		return 0, false, detail
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var wsum float64
	for _, c := range classes {
		wsum += o.ClassWeights[c]
	}
	var total float64
	for _, c := range classes {
		cm := classMean(c, byClass[c], o.TrimMin)
		cm.Weight = o.ClassWeights[c] / wsum
		total += cm.Weight * cm.Mean
		detail.Classes = append(detail.Classes, cm)
	}
	return total, true, detail
}

// classMean sorts a copy of one class's scores, trims when the class is large
// enough, and averages what is left.
func classMean(class string, scores []float64, trimMin int) ClassMean {
	v := append([]float64(nil), scores...)
	sort.Float64s(v)
	cm := ClassMean{Class: class, Count: len(v)}
	if trimMin > 0 && len(v) >= trimMin && len(v) > 2 {
		v = v[1 : len(v)-1]
		cm.Trimmed = true
	}
	cm.Used = len(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	cm.Mean = sum / float64(len(v))
	return cm
}
