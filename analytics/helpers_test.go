package analytics

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// openTest opens a fresh database file in a temp dir.
func openTest(t *testing.T) *Store {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), Options{Path: filepath.Join(dir, "t.duckdb"), MemoryLimit: "1GB", Threads: 2, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writeFile writes content to name in a temp dir and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const baseUnits = `unit_id,name,kind,category
D01,市发展和改革委员会,department,经济发展类
D02,市财政局,市直部门,经济发展类
D03,市教育局,department,社会事业类
C01,青川区,county,县(市、区)
C02,临江县,县区,县(市、区)
`

const baseGroups = `group_id,name,lead_unit_id,member_unit_ids
G01,营商环境,D01,D02;D03
`

const baseEvaluators = `evaluator_id,name,class,unit_id,group_ids
E01,张三,leader,,G01
E02,李四,lead_head,D01,G01
E03,王五,member_head,D02,G01
`

// importBase loads units, groups and evaluators.
func importBase(t *testing.T, s *Store) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"units.csv", baseUnits}, {"work_groups.csv", baseGroups}, {"evaluators.csv", baseEvaluators}} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
}

// importFolder imports every file of a folder, in import order.
func importFolder(t *testing.T, s *Store, dir string) {
	t.Helper()
	files, _, err := ExpandPaths([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := s.ImportFile(context.Background(), f, ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
}
