package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// formulas are names a spreadsheet would run as formulas if a CSV cell
// started with them.
var formulas = []string{"=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"}

// requireNeutralised parses a CSV output and requires every formula to come
// out prefixed with ' and no cell to start like a formula, numbers aside.
func requireNeutralised(t *testing.T, what, out string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%s: not CSV: %v\n%s", what, err, out)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) && !isNumber(c) {
				t.Errorf("%s: a cell starts like a formula: %q", what, c)
			}
			seen[c] = true
		}
	}
	for _, f := range formulas {
		if !seen["'"+f] {
			t.Errorf("%s: %q does not come out as '%s:\n%s", what, f, f, out)
		}
	}
}

func isNumber(s string) bool {
	return len(neutralise([]string{s})[0]) == len(s)
}

// TestHostileFormulaCellsInEveryCLICSV: the CSV outputs of projects,
// interviews and alerts neutralise formula-looking text as the ranking and
// annual outputs do (TestAnnualAndFormulaCellsNeutralisedInCSV) and as the web
// exports do (web/export_test.go), while negative numbers stay numbers.
func TestHostileFormulaCellsInEveryCLICSV(t *testing.T) {
	db := projectsDB(t)
	ctx := context.Background()
	st, err := analytics.Open(ctx, analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"unit_id", "name", "kind", "category"})
	n := 0
	for _, u := range units {
		if u.Kind == "county" && n < len(formulas) {
			w.Write([]string{u.ID, formulas[n], u.Kind, u.Category})
			n++
		}
	}
	w.Flush()
	fix := filepath.Join(t.TempDir(), "units.csv")
	os.WriteFile(fix, b.Bytes(), 0o644)
	if _, err := st.ImportFile(ctx, fix, analytics.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if n != len(formulas) {
		t.Fatalf("the sample city has %d counties; the test needs %d", n, len(formulas))
	}

	var out bytes.Buffer
	a := &app{db: db, out: &out, errOut: &out}
	c := a.projectsCmd()
	c.SetArgs([]string{"--quarter", "2019-Q2", "--format", "csv"})
	c.SetOut(&out)
	c.SetErr(&out)
	if err := c.ExecuteContext(ctx); err != nil {
		t.Fatal(err)
	}
	requireNeutralised(t, "projects --format csv", out.String())

	var ivs []scoring.Interview
	var as []analytics.Alert
	for i, f := range formulas {
		ivs = append(ivs, scoring.Interview{UnitID: "C0" + string(rune('1'+i)), Name: f, Label: "供地率", Periods: []string{"2019-Q1"}, Values: []float64{-12.5}})
		as = append(as, analytics.Alert{Kind: "case", ID: f, UnitID: "D01", Level: analytics.LevelOverdue, Due: time.Date(2019, 6, 3, 0, 0, 0, 0, time.UTC), Days: -3, Detail: f})
	}
	out.Reset()
	if err := writeInterviewsCSV(&out, ivs); err != nil {
		t.Fatal(err)
	}
	requireNeutralised(t, "interviews --format csv", out.String())
	if !strings.Contains(out.String(), ",-1250.00\n") {
		t.Errorf("a negative value was changed:\n%s", out.String())
	}
	out.Reset()
	if err := writeAlerts(&out, "csv", "2019-06-30", as); err != nil {
		t.Fatal(err)
	}
	requireNeutralised(t, "alerts --format csv", out.String())
	if !strings.Contains(out.String(), ",-3,") {
		t.Errorf("a negative day count was changed:\n%s", out.String())
	}
}
