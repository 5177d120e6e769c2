// Package scheme reads, checks and prints scoring schemes (YAML). A scheme
// becomes a scoring.Scheme; its canonical form is that struct as JSON, and
// the hash stored with every result is the sha256 of it.
package scheme

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/xiaoneng/xiaoneng/scoring"
	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML is the text of the default scheme, as `xiaoneng scheme show` prints it.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

type rate struct {
	Points float64 `yaml:"points"`
	Target float64 `yaml:"target"`
	Floor  float64 `yaml:"floor"`
}

type band struct {
	Min  float64 `yaml:"min"`
	Tier string  `yaml:"tier"`
}

type file struct {
	Peer struct {
		Points       float64            `yaml:"points"`
		ClassWeights map[string]float64 `yaml:"class_weights"`
		TrimMin      int                `yaml:"trim_min_scores"`
		MinValid     int                `yaml:"min_valid_scores"`
	} `yaml:"peer"`
	Service struct {
		OnTime   rate `yaml:"on_time"`
		Online   rate `yaml:"online"`
		OneVisit rate `yaml:"one_visit"`
		Instant  rate `yaml:"instant"`
	} `yaml:"service"`
	Complaints struct {
		OnTime       rate `yaml:"on_time"`
		Resolution   rate `yaml:"resolution"`
		Satisfaction rate `yaml:"satisfaction"`
	} `yaml:"complaints"`
	Satisfaction struct {
		Points            float64            `yaml:"points"`
		RespondentWeights map[string]float64 `yaml:"respondent_weights"`
	} `yaml:"satisfaction"`
	Deductions struct {
		Cap float64 `yaml:"cap"`
	} `yaml:"deductions"`
	Ranking struct {
		Dense bool `yaml:"dense"`
	} `yaml:"ranking"`
	Tiers struct {
		TopShare       float64 `yaml:"top_share"`
		NextShare      float64 `yaml:"next_share"`
		BottomShare    float64 `yaml:"bottom_share"`
		BottomMinUnits int     `yaml:"bottom_min_units"`
		Bands          []band  `yaml:"bands"`
		Below          string  `yaml:"below"`
	} `yaml:"tiers"`
}

// Error lists every problem of a scheme file, each as name:line: reason.
type Error struct{ Problems []string }

func (e *Error) Error() string { return strings.Join(e.Problems, "\n") }

// Parse reads a scheme; unknown or missing fields and out-of-range values are
// all reported at once with their YAML line. name is used in the messages.
func Parse(name string, text []byte) (scoring.Scheme, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return scoring.Scheme{}, &Error{[]string{name + ":" + strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), "line ")}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			probs := make([]string, len(te.Errors))
			for i, e := range te.Errors {
				if j := strings.Index(e, " not found in type "); j >= 0 {
					e = e[:j] + " is not a scheme setting (see xiaoneng scheme show)"
				}
				probs[i] = name + ":" + strings.TrimPrefix(e, "line ")
			}
			return scoring.Scheme{}, &Error{probs}
		}
		return scoring.Scheme{}, &Error{[]string{name + ": " + err.Error()}}
	}
	c := checker{name: name, root: &root}
	c.check(&f)
	if len(c.probs) > 0 {
		return scoring.Scheme{}, &Error{c.messages()}
	}
	return f.scheme(), nil
}

// Default is the parsed default scheme.
func Default() scoring.Scheme {
	s, err := Parse("default.yaml", defaultYAML)
	if err != nil {
		panic(fmt.Sprintf("scheme: the embedded default does not parse: %v", err))
	}
	return s
}

func (r rate) rule() scoring.RateRule {
	return scoring.RateRule{Points: r.Points, Target: r.Target, Floor: r.Floor}
}

func (f *file) scheme() scoring.Scheme {
	s := scoring.Scheme{
		PeerPoints: f.Peer.Points,
		Peer:       scoring.PeerOptions{ClassWeights: f.Peer.ClassWeights, TrimMin: f.Peer.TrimMin, MinValid: f.Peer.MinValid},
		OnTime:     f.Service.OnTime.rule(), Online: f.Service.Online.rule(),
		OneVisit: f.Service.OneVisit.rule(), Instant: f.Service.Instant.rule(),
		ComplaintOnTime: f.Complaints.OnTime.rule(), Resolution: f.Complaints.Resolution.rule(),
		Favourable:         f.Complaints.Satisfaction.rule(),
		SatisfactionPoints: f.Satisfaction.Points, RespondentWeights: f.Satisfaction.RespondentWeights,
		DeductionCap: f.Deductions.Cap, DenseRank: f.Ranking.Dense,
		Tiers: scoring.TierRule{TopShare: f.Tiers.TopShare, NextShare: f.Tiers.NextShare, BottomShare: f.Tiers.BottomShare,
			BottomMinUnits: f.Tiers.BottomMinUnits, Below: f.Tiers.Below},
	}
	for _, b := range f.Tiers.Bands {
		s.Tiers.Bands = append(s.Tiers.Bands, scoring.Band{Min: b.Min, Tier: b.Tier})
	}
	return s
}
