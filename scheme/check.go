package scheme

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/xiaoneng/xiaoneng/scoring"

	"go.yaml.in/yaml/v3"
)

// checker collects semantic problems, each with the line of its YAML node.
type checker struct {
	name  string
	root  *yaml.Node
	probs []problem
}

type problem struct {
	line int
	text string
}

// messages returns the problems ordered by line.
func (c *checker) messages() []string {
	sort.SliceStable(c.probs, func(i, j int) bool {
		if c.probs[i].line != c.probs[j].line {
			return c.probs[i].line < c.probs[j].line
		}
		return c.probs[i].text < c.probs[j].text
	})
	out := make([]string, len(c.probs))
	for i, p := range c.probs {
		out[i] = p.text
	}
	return out
}

// line finds the line of the key at a path of mapping keys (the deepest
// present one when the path is incomplete).
func (c *checker) line(path ...string) int {
	n := c.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	last := n.Line
	for _, key := range path {
		found := false
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				last = n.Content[i].Line // the key's line: where a reader looks
				n, found = n.Content[i+1], true
				break
			}
		}
		if !found {
			return last
		}
	}
	return last
}

func (c *checker) fail(path []string, format string, args ...any) {
	l := c.line(path...)
	c.probs = append(c.probs, problem{l, fmt.Sprintf("%s:%d: %s: %s", c.name, l, pathName(path), fmt.Sprintf(format, args...))})
}

func pathName(p []string) string {
	s := ""
	for i, k := range p {
		if i > 0 {
			s += "."
		}
		s += k
	}
	return s
}

func (c *checker) required(path []string, present bool) bool {
	if !present {
		c.fail(path, "missing")
	}
	return present
}

func (c *checker) nonNegative(path []string, v float64) {
	if v < 0 || math.IsNaN(v) {
		c.fail(path, "%g must not be negative", v)
	}
}

// rate checks a rate rule. Every rule keeps its target and floor, whatever
// its method: they are the alternative normalisation of the robustness runs.
func (c *checker) rate(path []string, r rate) {
	c.nonNegative(append(path, "points"), r.Points)
	fraction := func(k string, v float64) {
		if v < 0 || v > 1 || math.IsNaN(v) {
			c.fail(append(path, k), "%g is not a fraction between 0 and 1", v)
		}
	}
	fraction("target", r.Target)
	fraction("floor", r.Floor)
	lower := false
	switch r.Direction {
	case "", "higher":
	case scoring.DirectionLower:
		lower = true
	default:
		c.fail(append(path, "direction"), "%q: use higher or lower", r.Direction)
	}
	switch {
	case !lower && r.Target <= r.Floor:
		c.fail(append(path, "target"), "target %g must be above floor %g", r.Target, r.Floor)
	case lower && r.Target >= r.Floor:
		c.fail(append(path, "target"), "target %g must be below floor %g when lower is better", r.Target, r.Floor)
	}
	known := false
	for _, m := range scoring.Methods {
		known = known || m == r.Method
	}
	if r.Method != "" && !known {
		c.fail(append(path, "method"), "%q: use one of %s", r.Method, strings.Join(scoring.Methods, ", "))
	}
	if r.Method != scoring.MethodFrontier {
		if r.Best != nil || r.Worst != nil {
			c.fail(append(path, "best"), "best and worst belong to method frontier")
		}
		return
	}
	if r.Best == nil || r.Worst == nil {
		c.fail(append(path, "method"), "frontier needs best and worst")
		return
	}
	fraction("best", *r.Best)
	fraction("worst", *r.Worst)
	if !lower && *r.Best <= *r.Worst {
		c.fail(append(path, "best"), "best %g must be above worst %g", *r.Best, *r.Worst)
	}
	if lower && *r.Best >= *r.Worst {
		c.fail(append(path, "best"), "best %g must be below worst %g when lower is better", *r.Best, *r.Worst)
	}
}

// ahp checks one comparison matrix and keeps its result: the items must be
// exactly the level's keys, the matrix valid (scoring.AHP) and consistent
// enough (CR ≤ 0.10).
func (c *checker) ahp(path []string, l *ahpLevel, keys []string) {
	if l == nil {
		return
	}
	want := append([]string(nil), keys...)
	got := append([]string(nil), l.Items...)
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(want, ",") != strings.Join(got, ",") {
		c.fail(append(path, "items"), "%v: list each of %s once", l.Items, strings.Join(keys, ", "))
		return
	}
	m := make([][]float64, len(l.Matrix))
	for i, row := range l.Matrix {
		m[i] = make([]float64, len(row))
		for j, x := range row {
			m[i][j] = float64(x)
		}
	}
	r, err := scoring.AHP(l.Items, m)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), scoring.ErrAHPInput.Error()+":\n")
		c.fail(append(path, "matrix"), "%s", strings.ReplaceAll(msg, "\n", "; "))
		return
	}
	if !r.Consistent() {
		c.fail(append(path, "matrix"), "consistency ratio CR = %.3f exceeds %.2f (λmax %.4f, CI %.4f, RI %.2f): revise the comparisons",
			r.CR, scoring.AHPMaxCR, r.LambdaMax, r.CI, r.RI)
		return
	}
	l.result = &r
}

func (c *checker) weights(path []string, w map[string]float64, allowed ...string) {
	if !c.required(path, len(w) > 0) {
		return
	}
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sum float64
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			c.fail(append(path, k), "unknown; use %v", allowed)
		}
		c.nonNegative(append(path, k), w[k])
		sum += w[k]
	}
	if math.Abs(sum-1) > 1e-9 {
		c.fail(path, "weights add up to %g, not 1", sum)
	}
}

func (c *checker) check(f *file) {
	c.nonNegative([]string{"peer", "points"}, f.Peer.Points)
	c.weights([]string{"peer", "class_weights"}, f.Peer.ClassWeights, "leader", "lead_head", "member_head")
	if f.Peer.TrimMin < 3 {
		c.fail([]string{"peer", "trim_min_scores"}, "%d: trimming needs at least 3 scores", f.Peer.TrimMin)
	}
	if f.Peer.MinValid < 1 {
		c.fail([]string{"peer", "min_valid_scores"}, "%d must be at least 1", f.Peer.MinValid)
	}
	if cb := f.Peer.CommentBelow; cb != nil && (*cb < 0 || *cb > 100 || math.IsNaN(*cb)) {
		c.fail([]string{"peer", "comment_below"}, "%g is not a score between 0 and 100", *cb)
	}
	for k, r := range map[string]rate{"on_time": f.Service.OnTime, "online": f.Service.Online, "one_visit": f.Service.OneVisit, "instant": f.Service.Instant} {
		c.rate([]string{"service", k}, r)
	}
	for k, r := range map[string]rate{"on_time": f.Complaints.OnTime, "resolution": f.Complaints.Resolution, "satisfaction": f.Complaints.Satisfaction} {
		c.rate([]string{"complaints", k}, r)
	}
	if f.Tasks != nil {
		c.rate([]string{"tasks", "lead"}, f.Tasks.Lead)
		c.rate([]string{"tasks", "cooperating"}, f.Tasks.Cooperating)
	}
	c.nonNegative([]string{"satisfaction", "points"}, f.Satisfaction.Points)
	c.weights([]string{"satisfaction", "respondent_weights"}, f.Satisfaction.RespondentWeights, "enterprise", "citizen", "deputy", "other")
	c.nonNegative([]string{"deductions", "cap"}, f.Deductions.Cap)
	if m := f.Credibility; m != nil && (*m < 0 || math.IsNaN(*m) || math.IsInf(*m, 0)) {
		c.fail([]string{"credibility"}, "%g must be a number of at least 0 (0 turns credibility weighting off)", *m)
	}
	y := f.Year
	if w := y.WenzhengSurvey; w != nil && strings.TrimSpace(*w) == "" {
		c.fail([]string{"year", "wenzheng_survey"}, "must name a survey (default 效能问政)")
	}
	c.nonNegative([]string{"year", "rounds_weight"}, y.RoundsWeight)
	c.nonNegative([]string{"year", "survey_weight"}, y.SurveyWeight)
	if math.Abs(y.RoundsWeight+y.SurveyWeight-1) > 1e-9 {
		c.fail([]string{"year"}, "rounds_weight and survey_weight add up to %g, not 1", y.RoundsWeight+y.SurveyWeight)
	}
	iv := f.Interviews
	if iv.Period != scoring.PeriodQuarter && iv.Period != scoring.PeriodMonth {
		c.fail([]string{"interviews", "period"}, "%q: use quarter or month", iv.Period)
	}
	if iv.Consecutive < 1 {
		c.fail([]string{"interviews", "consecutive"}, "%d must be at least 1", iv.Consecutive)
	}
	if iv.BottomPlaces < 1 {
		c.fail([]string{"interviews", "bottom_places"}, "%d must be at least 1", iv.BottomPlaces)
	}
	if n := iv.MinProjects; n != nil && (*n < 0 || *n != math.Trunc(*n) || *n > 1e6) {
		c.fail([]string{"interviews", "min_projects"}, "%g must be a whole number of projects, at least 0", *n)
	}
	if p := f.Publish; p != nil {
		for k, v := range map[string]*share{"min_coverage": p.MinCoverage, "min_participation": p.MinParticipation} {
			if v != nil && !(*v > 0 && *v <= 1) {
				c.fail([]string{"publish", k}, "%g must be above 0 and at most 1", float64(*v))
			}
		}
	}
	c.ahp([]string{"ahp", "parts"}, f.AHP.Parts, partKeys)
	c.ahp([]string{"ahp", "service"}, f.AHP.Service, serviceKeys)
	c.ahp([]string{"ahp", "complaints"}, f.AHP.Complaints, complaintKeys)
	t := f.Tiers
	for k, v := range map[string]float64{"top_share": t.TopShare, "next_share": t.NextShare, "bottom_share": t.BottomShare} {
		if v < 0 || v > 1 {
			c.fail([]string{"tiers", k}, "%g is not a fraction between 0 and 1", v)
		}
	}
	if t.TopShare+t.NextShare+t.BottomShare > 1+1e-9 {
		c.fail([]string{"tiers"}, "the shares add up to more than 1")
	}
	for i := 1; i < len(t.Bands); i++ {
		if t.Bands[i].Min >= t.Bands[i-1].Min {
			c.fail([]string{"tiers", "bands"}, "bands must be listed from the highest minimum down")
		}
	}
	if len(t.Bands) > 0 && t.Below == "" {
		c.fail([]string{"tiers", "below"}, "missing: the tier below the lowest band")
	}
}
