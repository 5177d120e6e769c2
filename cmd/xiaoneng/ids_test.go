package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// TestReportAllRefusesUnsafeUnitID: `report --month --all` over a database
// holding a unit id that climbs out of the folder (forced in by SQL, as a
// database from before the identifier rule may hold) fails naming it and
// writes nothing, in the output folder or beside it.
func TestReportAllRefusesUnsafeUnitID(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", filepath.Join("..", "..", "fixtures", "handcheck", "full_round")); err != nil {
		t.Fatal(err)
	}
	bad := "X/../../pwned/pwned"
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE units SET unit_id = $1 WHERE unit_id = 'F04'`, bad); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(dir, "pwned"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(out, "unit-X"), 0o755) // the folder the id climbs from
	_, _, err = run(t, "--db", db, "report", "--month", "2019-02", "--all", "--out", out)
	if err == nil || !strings.Contains(err.Error(), `"X/../../pwned/pwned"`) {
		t.Fatalf("report --all: %v; want an error naming the unit id", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "pwned")); len(ents) != 0 {
		t.Errorf("written outside the folder: %v", ents)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*.html")); len(files) != 0 {
		t.Errorf("written although refused: %v", files)
	}
}
