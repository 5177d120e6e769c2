package analytics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badIDs are identifiers the importer refuses, with the reason it gives
// after "unit_id: "; each cell is written to CSV as cell.
var badIDs = []struct{ name, id, cell, reason string }{
	{"path traversal", "X/../../pwned", "X/../../pwned", "X/../../pwned is not a valid id: '/' is not allowed"},
	{"markup", "<b>", "<b>", "<b> is not a valid id: '<' is not allowed"},
	{"quote", `a"b`, `"a""b"`, `a"b is not a valid id: '"' is not allowed`},
	{"Chinese", "发改委", "发改委", "发改委 is not a valid id: '发' is not allowed"},
	{"space", "D 09", "D 09", "D 09 is not a valid id: ' ' is not allowed"},
	{"dot dot", "..", "..", ".. is not a valid id: it starts with '.'"},
	{"hidden", ".D09", ".D09", ".D09 is not a valid id: it starts with '.'"},
	{"backslash", `D09\x`, `D09\x`, `D09\x is not a valid id: '\' is not allowed`},
}

// importIDRefused imports path as kind and requires exactly the problem
// want, with the kind's table and the import log unchanged.
func importIDRefused(t *testing.T, s *Store, path, kind, want string) {
	t.Helper()
	n0, d0, l0 := tableState(t, s, kind)
	_, err := s.ImportFile(context.Background(), path, ImportOptions{Kind: kind})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("import %s: got %v, want an *ImportError", filepath.Base(path), err)
	}
	if got := ie.Error(); got != want {
		t.Errorf("import %s:\n got %q\nwant %q", filepath.Base(path), got, want)
	}
	if n1, d1, l1 := tableState(t, s, kind); n1 != n0 || d1 != d0 || l1 != l0 {
		t.Errorf("refused import changed %s: %d rows → %d, log %d → %d", kind, n0, n1, l0, l1)
	}
}

// TestIdentRefusedInUnits: a unit_id that could leave a folder as a file
// name, or break a link or markup, is refused at its line and column, by
// CSV (fast and typed paths alike), XLSX and Parquet; nothing is imported.
func TestIdentRefusedInUnits(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	for _, b := range badIDs {
		t.Run(b.name, func(t *testing.T) {
			dir := t.TempDir()
			want := "units.csv:3: unit_id: " + b.reason + idRuleText
			// A file of new keys alone takes the fast path first.
			p := writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD09,新单位,department,x\n"+b.cell+",坏单位,department,x\n")
			importIDRefused(t, s, p, "units", want)
			// A stored key in the file sends it down the typed path.
			p = writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD01,市发展和改革委员会,department,经济发展类\n"+b.cell+",坏单位,department,x\n")
			importIDRefused(t, s, p, "units", want)

			x := filepath.Join(dir, "units.xlsx")
			if err := os.WriteFile(x, sheetZip([]byte(sheetXML([]string{"unit_id", "name", "kind", "category"},
				[]string{"D09", "新单位", "department", "x"}, []string{b.id, "坏单位", "department", "x"}))), 0o644); err != nil {
				t.Fatal(err)
			}
			importIDRefused(t, s, x, "units", "units.xlsx:3: unit_id: "+b.reason+idRuleText)

			pq := filepath.Join(dir, "units.parquet")
			q := fmt.Sprintf(`COPY (SELECT * FROM (VALUES ('D09', '新单位', 'department', 'x'), (%s, '坏单位', 'department', 'x')) v(unit_id, name, kind, category)) TO %s (FORMAT parquet)`,
				lit(b.id), lit(pq))
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
			importIDRefused(t, s, pq, "units", "units.parquet:3: unit_id: "+b.reason+idRuleText)
		})
	}
}

// TestIdentRefusedInReferencesAndLists: the rule holds for every identifier
// column, keys and references alike, and for each element of a list.
func TestIdentRefusedInReferencesAndLists(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	importIDRefused(t, s, writeFile(t, dir, "work_groups.csv", "group_id,name,lead_unit_id,member_unit_ids\nG09,数字政府,D01,D02;../D03\n"),
		"work_groups", "work_groups.csv:2: member_unit_ids: ../D03 is not a valid id: '/' is not allowed"+idRuleText+
			"\nwork_groups.csv:2: member_unit_ids: unknown unit ../D03")
	importIDRefused(t, s, writeFile(t, dir, "cases.csv", casesHeader+"K/1,D01,I01,,online,2019-03-01 09:00,,1,0,pending\n"),
		"cases", "cases.csv:2: case_id: K/1 is not a valid id: '/' is not allowed"+idRuleText)
	importIDRefused(t, s, writeFile(t, dir, "cases.csv", casesHeader+"K1,D01,事项1,,online,2019-03-01 09:00,,1,0,pending\n"),
		"cases", "cases.csv:2: item_code: 事项1 is not a valid id: '事' is not allowed"+idRuleText)
	importIDRefused(t, s, writeFile(t, dir, "deductions.csv", "deduction_id,unit_id,date,points,reason\nKF<1>,D01,2019-03-01,1,迟报\n"),
		"deductions", "deductions.csv:2: deduction_id: KF<1> is not a valid id: '<' is not allowed"+idRuleText)
}

// TestIdentGoodAccepted: ASCII letters, digits, '-', '_' and '.' (after the
// first character) import, by the fast path and the typed path; a 文号
// (doc_id), a document number as issued, keeps its Chinese characters.
func TestIdentGoodAccepted(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	if _, err := s.ImportFile(context.Background(), writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD-09_a.b,新单位,department,x\n9z..,另一单位,department,x\n"), ImportOptions{}); err != nil {
		t.Fatalf("good ids: %v", err)
	}
	if _, err := s.ImportFile(context.Background(), writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD01,市发改委,department,经济发展类\nD-09_a.b,新单位,department,y\n"), ImportOptions{}); err != nil {
		t.Fatalf("good ids, typed path: %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM units WHERE unit_id IN ('D-09_a.b', '9z..')"); n != 2 {
		t.Errorf("%d of the 2 good ids stored", n)
	}
	docs := "doc_id,unit_id,step,started_at,finished_at,evaluation\n青效督〔2019〕1号,D-09_a.b,register,2019-03-01 09:00,2019-03-01 10:00,\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, dir, "documents.csv", docs), ImportOptions{}); err != nil {
		t.Fatalf("a 文号: %v", err)
	}
	for _, id := range []string{"D01", "D-09_a.b", "9z..", "a", "0"} {
		if !ValidID(id) {
			t.Errorf("ValidID(%q) = false", id)
		}
	}
	for _, b := range badIDs {
		if ValidID(b.id) {
			t.Errorf("ValidID(%q) = true", b.id)
		}
	}
	for _, id := range []string{"", ".", "-a", "_a", "a/b", "a\x00", strings.Repeat("网", 2)} {
		if ValidID(id) {
			t.Errorf("ValidID(%q) = true", id)
		}
	}
}
