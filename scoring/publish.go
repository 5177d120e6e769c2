package scoring

// PublishRule is the publish gate of a round (README "Publishing"): a part
// of the scheme must have data for at least MinCoverage of the units the
// round lists, and at least MinParticipation of the assigned evaluators must
// have taken part. Zero means the default (DefaultMinCoverage,
// DefaultMinParticipation), so that the default rule stays out of the
// canonical form and the hash of a default scheme.
type PublishRule struct {
	MinCoverage      float64 `json:",omitempty"`
	MinParticipation float64 `json:",omitempty"`
}

// Defaults of the publish gate.
const (
	DefaultMinCoverage      = 0.8
	DefaultMinParticipation = 2.0 / 3
)

// Effective returns the rule with the defaults filled in.
func (r PublishRule) Effective() PublishRule {
	if r.MinCoverage == 0 {
		r.MinCoverage = DefaultMinCoverage
	}
	if r.MinParticipation == 0 {
		r.MinParticipation = DefaultMinParticipation
	}
	return r
}

// Canonical returns the rule with the default values unset, as stored.
func (r PublishRule) Canonical() PublishRule {
	if r.MinCoverage == DefaultMinCoverage {
		r.MinCoverage = 0
	}
	if r.MinParticipation == DefaultMinParticipation {
		r.MinParticipation = 0
	}
	return r
}
