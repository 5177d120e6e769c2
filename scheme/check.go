package scheme

import (
	"fmt"
	"math"
	"sort"

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

func (c *checker) rate(path []string, r rate) {
	c.nonNegative(append(path, "points"), r.Points)
	for _, x := range []struct {
		k string
		v float64
	}{{"target", r.Target}, {"floor", r.Floor}} {
		if x.v < 0 || x.v > 1 {
			c.fail(append(path, x.k), "%g is not a fraction between 0 and 1", x.v)
		}
	}
	if r.Target <= r.Floor {
		c.fail(append(path, "target"), "target %g must be above floor %g", r.Target, r.Floor)
	}
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
	for k, r := range map[string]rate{"on_time": f.Service.OnTime, "online": f.Service.Online, "one_visit": f.Service.OneVisit, "instant": f.Service.Instant} {
		c.rate([]string{"service", k}, r)
	}
	for k, r := range map[string]rate{"on_time": f.Complaints.OnTime, "resolution": f.Complaints.Resolution, "satisfaction": f.Complaints.Satisfaction} {
		c.rate([]string{"complaints", k}, r)
	}
	c.nonNegative([]string{"satisfaction", "points"}, f.Satisfaction.Points)
	c.weights([]string{"satisfaction", "respondent_weights"}, f.Satisfaction.RespondentWeights, "enterprise", "citizen", "deputy", "other")
	c.nonNegative([]string{"deductions", "cap"}, f.Deductions.Cap)
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
