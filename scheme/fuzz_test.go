package scheme

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// problemLine is the form of every reported problem: name:line: reason.
var problemLine = regexp.MustCompile(`^f\.yaml:[1-9]\d*:`)

// FuzzParse feeds any bytes to the scheme parser: it either returns a scheme
// that round-trips (to JSON and back unchanged, and the same scheme when the
// text is parsed again) or an *Error whose every problem names a line; it
// never panics.
func FuzzParse(f *testing.F) {
	def := string(DefaultYAML())
	f.Add(def)
	f.Add("")
	f.Add("---\n")
	f.Add("peer: [\n")
	f.Add("\xff\xfe")
	f.Add("a: &a [*a]\n")
	f.Add(strings.Replace(def, "leader: 0.4", "leader: .nan", 1))
	f.Add(strings.Replace(def, "leader: 0.4", "leader: .inf", 1))
	f.Add(strings.Replace(def, "cap: 10", "cap: 1e400", 1))
	f.Add(strings.Replace(def, "trim_min_scores: 5", "trim_min_scores: -9223372036854775809", 1))
	f.Add(strings.Replace(def, "dense: false", "dense: [1]", 1))
	f.Add(def + "\n---\npeer: {}\n")
	f.Add("ahp:\n  parts:\n    matrix: [[1, 2], [0.5]]\n")
	f.Add("ahp:\n  parts:\n    order: [a, b]\n    matrix: [[1, 0], [0, 1]]\n")
	f.Add("tiers:\n  bands: [{min: 1e308, label: x}, {min: -1e308}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse("f.yaml", []byte(text))
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if len(e.Problems) == 0 {
				t.Fatalf("an *Error with no problem")
			}
			for _, p := range e.Problems {
				if !problemLine.MatchString(p) {
					t.Errorf("problem without a line: %q", p)
				}
			}
			return
		}
		js, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("a valid scheme does not encode: %v", err)
		}
		var back scoring.Scheme
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("a valid scheme does not decode: %v", err)
		}
		if again, _ := json.Marshal(back); string(again) != string(js) {
			t.Fatalf("the scheme does not round-trip:\n%s\n%s", js, again)
		}
		s2, err := Parse("f.yaml", []byte(text))
		if err != nil {
			t.Fatalf("parsed once, refused the second time: %v", err)
		}
		if js2, _ := json.Marshal(s2); string(js2) != string(js) {
			t.Fatalf("two parses of the same text differ")
		}
	})
}
