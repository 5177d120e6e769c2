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
	b.WriteString(file)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Column != "" {
		b.WriteString(": " + p.Column)
	}
	b.WriteString(": " + p.Reason)
	if p.Ref > 0 {
		fmt.Fprintf(&b, " (first on line %d)", p.Ref)
	}
	return b.String()
}

func fileError(name string, err error) error {
	return &ImportError{File: name, Problems: []Problem{{Reason: err.Error()}}, Total: 1, BadRows: 0}
}
