package reports

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// ErrUnsafeName is returned for a document whose file name could leave its
// folder or break a link: a unit id outside the identifier rule (a
// separator, "..", markup or a quote) in a database imported before the rule.
var ErrUnsafeName = errors.New("not a safe file name")

// FilePath is the path of the file name in dir, refused (ErrUnsafeName)
// unless name is a plain base name under the identifier rule (ASCII letters,
// digits, - _ and ., starting with a letter or digit), so that no name, from
// a document or an id, is written outside dir, hidden, or odd in a link.
func FilePath(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	if !analytics.ValidID(name) || filepath.Dir(p) != filepath.Clean(dir) {
		return "", fmt.Errorf("reports: %q: %w in %s (ASCII letters, digits, - _ and . only, starting with a letter or digit)", name, ErrUnsafeName, dir)
	}
	return p, nil
}

// unitDocName is the document name of a unit's profile at a round; a unit id
// outside the identifier rule is refused with ErrUnsafeName.
func unitDocName(unitID, round string) (string, error) {
	if !analytics.ValidID(unitID) {
		return "", fmt.Errorf("reports: unit id %q of %s: %w (ids hold ASCII letters, digits, - _ and . only, starting with a letter or digit; correct the unit's id in the database)",
			unitID, round, ErrUnsafeName)
	}
	return "unit-" + unitID + "-" + round, nil
}
