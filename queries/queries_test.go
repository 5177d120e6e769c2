package queries

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var useRE = regexp.MustCompile(`queries\.SQL\("([a-z0-9_]+)"\)`)

// repoUses scans every Go file of the repository outside this folder for
// queries.SQL("name") calls.
func repoUses(t *testing.T) map[string][]string {
	t.Helper()
	uses := map[string][]string{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "queries") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range useRE.FindAllStringSubmatch(string(b), -1) {
			uses[m[1]] = append(uses[m[1]], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses
}

func TestEveryStatementIsUsed(t *testing.T) {
	uses := repoUses(t)
	for _, n := range Names() {
		if len(uses[n]) == 0 {
			t.Errorf("%s.sql is not used by any queries.SQL(%q) call", n, n)
		}
	}
}

func TestEveryUsedStatementExists(t *testing.T) {
	have := map[string]bool{}
	for _, n := range Names() {
		have[n] = true
	}
	for n, at := range repoUses(t) {
		if !have[n] {
			t.Errorf("queries.SQL(%q) in %v has no %s.sql", n, at, n)
		}
	}
}

func TestStatementsHaveHeaderAndOneStatement(t *testing.T) {
	for _, n := range Names() {
		s := SQL(n)
		if !strings.HasPrefix(s, "-- "+n+":") {
			t.Errorf("%s.sql must start with the header comment \"-- %s: purpose\"", n, n)
		}
		for _, want := range []string{"Parameters:", "Result"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s.sql header lacks %q", n, want)
			}
		}
		var code []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				code = append(code, l)
			}
		}
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.Join(code, "\n")), ";"))
		if strings.Contains(body, ";") {
			t.Errorf("%s.sql holds more than one statement", n)
		}
	}
}

func TestSQLPanicsOnUnknownName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SQL of an unknown name did not panic")
		}
	}()
	SQL("no_such_statement")
}
