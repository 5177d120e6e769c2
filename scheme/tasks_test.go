package scheme

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// withTasks is the default scheme text with a tasks: section appended.
func withTasks(section string) []byte {
	return append(DefaultYAML(), []byte("\n"+section)...)
}

func TestTasksPartFromYAML(t *testing.T) {
	s, err := Parse("s.yaml", withTasks("tasks:\n  lead: {points: 4, target: 1.00, floor: 0.60}\n  cooperating: {points: 1, target: 0.9, floor: 0.5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.HasTasksPart() || s.TaskLead != (scoring.RateRule{Points: 4, Target: 1, Floor: 0.6}) ||
		s.TaskCoop != (scoring.RateRule{Points: 1, Target: 0.9, Floor: 0.5}) {
		t.Errorf("tasks rules %+v %+v", s.TaskLead, s.TaskCoop)
	}
	if scoring.SchemeHash(s) == scoring.SchemeHash(Default()) {
		t.Error("the tasks part does not change the scheme hash")
	}
	// A part worth nothing is no part, and leaves the hash alone.
	z, err := Parse("s.yaml", withTasks("tasks:\n  lead: {points: 0, target: 1.00, floor: 0.60}\n  cooperating: {points: 0, target: 1.00, floor: 0.60}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if z.HasTasksPart() || scoring.SchemeHash(z) != scoring.SchemeHash(Default()) {
		t.Errorf("a zero tasks part changed the scheme: %+v", z.TaskLead)
	}
	// The default file's own text (the part commented out) has no part.
	if Default().HasTasksPart() {
		t.Error("the default scheme scores the tasks part")
	}
}

func TestTasksPartBadYAML(t *testing.T) {
	lines := strings.Count(string(DefaultYAML()), "\n") + 1 // the blank line withTasks adds
	_, err := Parse("s.yaml", withTasks("tasks:\n  lead: {points: -1, target: 0.5, floor: 0.60}\n  cooperating: {points: 1, target: 1.0, floor: 0.6, method: best}\n"))
	if err == nil {
		t.Fatal("a bad tasks part was accepted")
	}
	got := err.Error()
	for _, want := range []string{
		"s.yaml:" + strconv.Itoa(lines+2) + ": tasks.lead.points: -1 must not be negative",
		"s.yaml:" + strconv.Itoa(lines+2) + ": tasks.lead.target: target 0.5 must be above floor 0.6",
		"s.yaml:" + strconv.Itoa(lines+3) + ": tasks.cooperating.method: \"best\": use one of",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if _, err := Parse("s.yaml", withTasks("tasks:\n  leader: {points: 1, target: 1, floor: 0.5}\n")); err == nil ||
		!strings.Contains(err.Error(), "is not a scheme setting") {
		t.Errorf("unknown tasks key: %v", err)
	}
}
