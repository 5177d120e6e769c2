package analytics

import (
	"fmt"
	"strings"
)

// MaxListed is how many problems an import error lists before it only counts.
const MaxListed = 100

// Problem is one bad cell or row of an input file.
type Problem struct {
	Line   int    // 1-based line (row) of the file; 0 for the whole file
	Column string // canonical column name, empty for a whole row or file
	Reason string
	Ref    int // for a duplicate key: the line where the key first appeared
}

// ImportError rejects a whole file: nothing of it was written.
type ImportError struct {
	File     string
	Problems []Problem // the first MaxListed problems, by line
	Total    int       // all problems found
	BadRows  int
}

// Error lists the problems as file:line: column: reason, one per line, and
// ends with a count of those not listed.
func (e *ImportError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Format(e.File))
	}
	if rest := e.Total - len(e.Problems); rest > 0 {
		fmt.Fprintf(&b, "\n%s: … and %d more problems (%d bad rows in all); nothing was imported", e.File, rest, e.BadRows)
	}
	return b.String()
}

// Summary is the one-line reason for the rejection.
func (e *ImportError) Summary() string {
	if e.BadRows <= 1 && len(e.Problems) == 1 {
		return e.Problems[0].Format(e.File) + "; nothing was imported"
	}
	return fmt.Sprintf("%s: %d problems in %d rows; nothing was imported", e.File, e.Total, e.BadRows)
}

// Format renders the problem as file:line: column: reason.
func (p Problem) Format(file string) string {
	var b strings.Builder
	b.WriteString(Visible(file))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Column != "" {
		b.WriteString(": " + p.Column)
	}
	b.WriteString(": " + Visible(p.Reason))
	if p.Ref > 0 {
		fmt.Fprintf(&b, " (first on line %d)", p.Ref)
	}
	return b.String()
}

func fileError(name string, err error) error {
	return &ImportError{File: name, Problems: []Problem{{Reason: err.Error()}}, Total: 1, BadRows: 0}
}

// Visible replaces the control characters and text-direction marks of s
// (those the importer refuses in names) by their code points, <U+202E>, so
// that a message quoting a hostile file name or cell can neither reverse the
// text around it nor hide what it holds. Tabs and line breaks are kept.
func Visible(s string) string {
	if !strings.ContainsFunc(s, Invisible) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if Invisible(r) {
			fmt.Fprintf(&b, "<U+%04X>", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Invisible reports whether r is a control character (other than tab and
// line breaks) or a text-direction mark: what the importer refuses in names.
func Invisible(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r >= 0x7F && r <= 0x9F, r == 0x061C, r == 0x200E, r == 0x200F,
		r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
