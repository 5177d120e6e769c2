// Package scheme reads, checks and prints scoring schemes (YAML). A scheme
// becomes a scoring.Scheme; its canonical form is that struct as JSON, and
// the hash stored with every result is the sha256 of it.
package scheme

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xiaoneng/xiaoneng/scoring"
	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML is the text of the default scheme, as `xiaoneng scheme show` prints it.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

type rate struct {
	Points    float64  `yaml:"points"`
	Target    float64  `yaml:"target"`
	Floor     float64  `yaml:"floor"`
	Method    string   `yaml:"method"`
	Direction string   `yaml:"direction"`
	Best      *float64 `yaml:"best"`
	Worst     *float64 `yaml:"worst"`
}

// ahpLevel is one pairwise comparison matrix: Matrix[i][j] says how many
// times more important Items[i] is than Items[j] (Saaty 1…9, "1/3" allowed).
type ahpLevel struct {
	Items  []string      `yaml:"items"`
	Matrix [][]judgement `yaml:"matrix"`
	result *scoring.AHPResult
}

// judgement is a matrix entry: a number or a fraction such as 1/3.
type judgement float64

func (j *judgement) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a comparison must be a number such as 3 or 1/3", n.Line)
	}
	text := strings.TrimSpace(n.Value)
	num, den, frac := strings.Cut(text, "/")
	a, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	b := 1.0
	if err == nil && frac {
		b, err = strconv.ParseFloat(strings.TrimSpace(den), 64)
	}
	if err != nil || b == 0 || math.IsInf(a, 0) || math.IsNaN(a) {
		return fmt.Errorf("line %d: %q is not a comparison such as 3 or 1/3", n.Line, n.Value)
	}
	*j = judgement(a / b)
	return nil
}

// share is a publish-gate fraction: a number such as 0.8 or a fraction
// such as 2/3.
type share float64

func (v *share) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a share must be a number such as 0.8 or 2/3", n.Line)
	}
	num, den, frac := strings.Cut(strings.TrimSpace(n.Value), "/")
	a, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	b := 1.0
	if err == nil && frac {
		b, err = strconv.ParseFloat(strings.TrimSpace(den), 64)
	}
	if err != nil || b == 0 || math.IsInf(a, 0) || math.IsNaN(a) {
		return fmt.Errorf("line %d: %q is not a share such as 0.8 or 2/3", n.Line, n.Value)
	}
	*v = share(a / b)
	return nil
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
		CommentBelow *float64           `yaml:"comment_below"` // optional: scoring.DefaultPeerOptions' when absent
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
	// Credibility is optional: scoring.DefaultCredibility when absent.
	Credibility *float64 `yaml:"credibility"`
	Year        struct {
		RoundsWeight float64 `yaml:"rounds_weight"`
		SurveyWeight float64 `yaml:"survey_weight"`
		// WenzhengSurvey is optional: scoring.DefaultWenzhengSurvey when absent.
		WenzhengSurvey *string `yaml:"wenzheng_survey"`
	} `yaml:"year"`
	Interviews struct {
		Period       string   `yaml:"period"`
		Consecutive  int      `yaml:"consecutive"`
		BottomPlaces int      `yaml:"bottom_places"`
		MinProjects  *float64 `yaml:"min_projects"` // an integer ≥ 0; absent: 3
	} `yaml:"interviews"`
	// Publish is the publish gate; an absent block or setting keeps the
	// default (scoring.PublishRule).
	Publish *struct {
		MinCoverage      *share `yaml:"min_coverage"`
		MinParticipation *share `yaml:"min_participation"`
	} `yaml:"publish"`
	// Tasks is the optional 督办落实 part; absent (the default) leaves it out.
	Tasks *struct {
		Lead        rate `yaml:"lead"`
		Cooperating rate `yaml:"cooperating"`
	} `yaml:"tasks"`
	AHP struct {
		Parts      *ahpLevel `yaml:"parts"`
		Service    *ahpLevel `yaml:"service"`
		Complaints *ahpLevel `yaml:"complaints"`
	} `yaml:"ahp"`
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
		return scoring.Scheme{}, &Error{[]string{syntaxProblem(name, text, err)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) { // no document at all (an empty file, only comments)
			return scoring.Scheme{}, &Error{[]string{name + ":1: the file holds no scheme settings (see xiaoneng scheme show)"}}
		}
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
		return scoring.Scheme{}, &Error{[]string{syntaxProblem(name, text, err)}}
	}
	c := checker{name: name, root: &root}
	c.check(&f)
	if len(c.probs) > 0 {
		return scoring.Scheme{}, &Error{c.messages()}
	}
	return f.scheme(), nil
}

// syntaxProblem gives a YAML syntax error as name:line: reason; an error
// that names no line (the text ends inside a quote or a flow collection) is
// reported on the last line, where the reader has to look.
func syntaxProblem(name string, text []byte, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ":"); ok {
			if _, err := strconv.Atoi(n); err == nil {
				return name + ":" + n + ":" + after
			}
		}
	}
	return fmt.Sprintf("%s:%d: %s", name, bytes.Count(text, []byte("\n"))+1, msg)
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
	out := scoring.RateRule{Points: r.Points, Target: r.Target, Floor: r.Floor, Method: r.Method}
	if out.Method == scoring.MethodTarget {
		out.Method = "" // the default, canonically unset
	}
	if r.Direction == scoring.DirectionLower {
		out.Direction = r.Direction
	}
	if r.Best != nil {
		out.Best = *r.Best
	}
	if r.Worst != nil {
		out.Worst = *r.Worst
	}
	return out
}

func (f *file) scheme() scoring.Scheme {
	peer := scoring.PeerOptions{ClassWeights: f.Peer.ClassWeights, TrimMin: f.Peer.TrimMin, MinValid: f.Peer.MinValid,
		CommentBelow: scoring.DefaultPeerOptions().CommentBelow}
	if f.Peer.CommentBelow != nil {
		peer.CommentBelow = *f.Peer.CommentBelow
	}
	s := scoring.Scheme{
		PeerPoints: f.Peer.Points,
		Peer:       peer,
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
	s.Year = scoring.AnnualWeights{Rounds: f.Year.RoundsWeight, Survey: f.Year.SurveyWeight}
	if w := f.Year.WenzhengSurvey; w != nil && *w != scoring.DefaultWenzhengSurvey {
		s.Year.WenzhengSurvey = *w // the default stays canonically unset
	}
	s.Credibility = scoring.DefaultCredibility
	if f.Credibility != nil {
		s.Credibility = *f.Credibility
	}
	s.Interviews = scoring.InterviewRule{Period: f.Interviews.Period, Consecutive: f.Interviews.Consecutive, Bottom: f.Interviews.BottomPlaces,
		MinProjects: scoring.DefaultInterviewRule().MinProjects}
	if n := f.Interviews.MinProjects; n != nil {
		s.Interviews.MinProjects = int(*n)
	}
	if t := f.Tasks; t != nil && t.Lead.Points+t.Cooperating.Points > 0 {
		// A part worth no points is no part: it stays out of the canonical form.
		s.TaskLead, s.TaskCoop = t.Lead.rule(), t.Cooperating.rule()
	}
	if p := f.Publish; p != nil {
		if p.MinCoverage != nil {
			s.Publish.MinCoverage = float64(*p.MinCoverage)
		}
		if p.MinParticipation != nil {
			s.Publish.MinParticipation = float64(*p.MinParticipation)
		}
		s.Publish = s.Publish.Canonical()
	}
	f.applyAHP(&s)
	return s
}

// applyAHP replaces points by the AHP weights of the checked matrices: the
// parts share the total of the parts' points, and the indicators of the
// service and complaint parts share their part's (possibly new) points.
// Without a parts matrix, the part keeps its points.
func (f *file) applyAHP(s *scoring.Scheme) {
	if l := f.AHP.Parts; l != nil && l.result != nil {
		total := s.PeerPoints + s.SatisfactionPoints
		for _, names := range [][]string{scoring.ServiceIndicators, scoring.ComplaintIndicators} {
			for _, n := range names {
				total += s.Rule(n).Points
			}
		}
		for i, item := range l.result.Items {
			p := total * l.result.Weights[i]
			switch item {
			case "peer":
				s.PeerPoints = p
			case "satisfaction":
				s.SatisfactionPoints = p
			case "service":
				scaleRules(s, scoring.ServiceIndicators, p)
			case "complaints":
				scaleRules(s, scoring.ComplaintIndicators, p)
			}
		}
		s.AHP = append(s.AHP, *l.result)
	}
	for _, lv := range []struct {
		l     *ahpLevel
		names []string
		keys  []string
	}{
		{f.AHP.Service, scoring.ServiceIndicators, serviceKeys},
		{f.AHP.Complaints, scoring.ComplaintIndicators, complaintKeys},
	} {
		if lv.l == nil || lv.l.result == nil {
			continue
		}
		var part float64
		for _, n := range lv.names {
			part += s.Rule(n).Points
		}
		for i, item := range lv.l.result.Items {
			for k, key := range lv.keys {
				if key == item {
					s.Rule(lv.names[k]).Points = part * lv.l.result.Weights[i]
				}
			}
		}
		s.AHP = append(s.AHP, *lv.l.result)
	}
}

// scaleRules rescales the points of the named rules to add up to total,
// keeping their proportions (equal shares when they were all zero).
func scaleRules(s *scoring.Scheme, names []string, total float64) {
	var sum float64
	for _, n := range names {
		sum += s.Rule(n).Points
	}
	for _, n := range names {
		r := s.Rule(n)
		if sum > 0 {
			r.Points = total * r.Points / sum
		} else {
			r.Points = total / float64(len(names))
		}
	}
}

// The YAML keys of the service and complaint indicators, in the order of
// scoring.ServiceIndicators and scoring.ComplaintIndicators.
var (
	serviceKeys   = []string{"on_time", "online", "one_visit", "instant"}
	complaintKeys = []string{"on_time", "resolution", "satisfaction"}
	partKeys      = []string{"peer", "service", "complaints", "satisfaction"}
)
