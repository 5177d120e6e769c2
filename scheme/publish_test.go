package scheme

import (
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// withPublish replaces the default file's publish block by block.
func withPublish(t *testing.T, block string) []byte {
	t.Helper()
	s := string(DefaultYAML())
	i := strings.Index(s, "publish:")
	j := strings.Index(s, "# A round failing either")
	if i < 0 || j < i {
		t.Fatal("default.yaml has no publish block")
	}
	return []byte(s[:i] + block + s[j:])
}

func TestPublishSettings(t *testing.T) {
	def := Default()
	if def.Publish != (scoring.PublishRule{}) {
		t.Fatalf("the default publish rule is stored as %+v, want it unset (canonical)", def.Publish)
	}
	if e := def.Publish.Effective(); e.MinCoverage != 0.8 || e.MinParticipation != 2.0/3 {
		t.Fatalf("effective default %+v, want 0.8 and 2/3", e)
	}
	if scoring.SchemeHash(def) != scoring.SchemeHash(scoring.DefaultScheme()) {
		t.Fatal("the publish block changed the hash of the default scheme")
	}
	cases := []struct {
		name, block string
		want        scoring.PublishRule // effective rule
		problem     string              // expected in the error; "" for none
	}{
		{"absent block", "", scoring.PublishRule{MinCoverage: 0.8, MinParticipation: 2.0 / 3}, ""},
		{"fractions", "publish:\n  min_coverage: 9/10\n  min_participation: 3/4\n", scoring.PublishRule{MinCoverage: 0.9, MinParticipation: 0.75}, ""},
		{"one of two", "publish:\n  min_coverage: 1\n", scoring.PublishRule{MinCoverage: 1, MinParticipation: 2.0 / 3}, ""},
		{"zero", "publish:\n  min_coverage: 0\n", scoring.PublishRule{}, "publish.min_coverage: 0 must be above 0 and at most 1"},
		{"above one", "publish:\n  min_participation: 1.5\n", scoring.PublishRule{}, "publish.min_participation: 1.5 must be above 0 and at most 1"},
		{"negative", "publish:\n  min_participation: -1/3\n", scoring.PublishRule{}, "must be above 0 and at most 1"},
		{"text", "publish:\n  min_coverage: most\n", scoring.PublishRule{}, `"most" is not a share`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse("s.yaml", withPublish(t, c.block))
			if c.problem != "" {
				if err == nil || !strings.Contains(err.Error(), c.problem) {
					t.Fatalf("error %v, want one containing %q", err, c.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Publish.Effective(); got != c.want {
				t.Fatalf("effective rule %+v, want %+v", got, c.want)
			}
		})
	}
}
