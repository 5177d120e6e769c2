package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scheme"
)

// run executes the real command tree with args and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRoot(&out, &errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestEveryCommandHasHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if strings.TrimSpace(c.Short) == "" {
			t.Errorf("command %q has no help text", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(&bytes.Buffer{}, &bytes.Buffer{}))
	out, _, err := run(t, "import", "--help")
	if err != nil || !strings.Contains(out, "file:line: column: reason") {
		t.Errorf("import --help: err %v, output lacks the error format:\n%s", err, out)
	}
}

func TestCalendarCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"five working days over the Spring Festival", []string{"calendar", "due", "2026-02-13", "5"}, "2026-02-27 周五\n"},
		{"lands on a make-up Saturday", []string{"calendar", "due", "2026-09-30", "3"}, "2026-10-10 周六\n"},
		{"instant case is the same day", []string{"calendar", "due", "2019-02-05", "0"}, "2019-02-05 周二\n"},
		{"calendar days moved off a holiday", []string{"calendar", "due", "--calendar-days", "2019-09-24", "7"}, "2019-10-08 周二\n"},
		{"working days in 2026", []string{"calendar", "between", "2025-12-31", "2026-12-31"}, "248\n"},
		{"make-up Sunday is a working day", []string{"calendar", "is-working", "2019-02-03"}, "2019-02-03 周日 工作日 (working day)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := run(t, append([]string{"--db", db}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("unknown year is an error naming it", func(t *testing.T) {
		_, _, err := run(t, "--db", db, "calendar", "due", "2026-12-30", "5")
		if err == nil || !strings.Contains(err.Error(), "2027") {
			t.Errorf("got %v, want an error naming 2027", err)
		}
	})
}

func TestImportFolderThenLog(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	out, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "units.csv (units):") || !strings.Contains(out, "new, 0 replaced, 0 unchanged") {
		t.Errorf("import summary lacks per-file lines:\n%s", out)
	}
	again, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(again, " new,") && !strings.Contains(again, "— 0 new, 0 replaced") {
		t.Errorf("re-import changed rows:\n%s", again)
	}
	log, _, err := run(t, "--db", db, "imports", "--limit", "100")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(log, "\n"), 2*strings.Count(out, "\n"); got != want {
		t.Errorf("import log has %d rows, want %d:\n%s", got, want, log)
	}
}

func TestImportBadFileFailsWithFileLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	bad := filepath.Join(dir, "units.csv")
	os.WriteFile(bad, []byte("unit_id,name,kind,category\nD01,市财政局,ministry,经济发展类\n"), 0o644)
	_, _, err := run(t, "--db", db, "import", bad)
	var ie *analytics.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an ImportError", err)
	}
	if got, want := ie.Error(), "units.csv:2: kind: ministry is not one of department, county"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestDemoAndGoldenResults runs the demo (generate, import, score 2019-B1…B6)
// and compares every round's ranking and the year composite, as JSON, with
// the golden files: any change to a published number shows up here.
func TestDemoAndGoldenResults(t *testing.T) {
	dir := t.TempDir()
	out, _, err := run(t, "demo", "--dir", dir, "--no-pdf", "--no-serve")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"complaints.csv (complaints, GB18030)", "cases-2019-03.xlsx (cases)", "projects                  340", "2019-B6 第 1 版"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	db := filepath.Join(dir, "xiaoneng.duckdb")
	// schemes that change the year weights and the 约谈 rule (monthly, the
	// bottom two places)
	other := string(scheme.DefaultYAML())
	for _, r := range [][2]string{{"rounds_weight: 0.8", "rounds_weight: 0.5"}, {"survey_weight: 0.2", "survey_weight: 0.5"},
		{"period: quarter", "period: month"}, {"consecutive: 2", "consecutive: 3"}, {"bottom_places: 1", "bottom_places: 2"}} {
		if !strings.Contains(other, r[0]) {
			t.Fatalf("default scheme lacks %q", r[0])
		}
		other = strings.Replace(other, r[0], r[1], 1)
	}
	otherFile := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(otherFile, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"annual-2019-halves":            {"annual", "--year", "2019", "--scheme", otherFile},
		"interviews-2019-months-3-of-2": {"interviews", "--year", "2019", "--scheme", otherFile},
		"annual-2019":                   {"annual", "--year", "2019"},
		"projects-2019-Q2":              {"projects", "--quarter", "2019-Q2"},
		"projects-2019-Q3":              {"projects", "--quarter", "2019-Q3"},
		"projects-2019-06":              {"projects", "--month", "2019-06"},
		"interviews-2019":               {"interviews", "--year", "2019"},
		"qa-2019-B3":                    {"qa", "--round", "2019-B3"},
	}
	for b := 1; b <= 6; b++ {
		cases[fmt.Sprintf("ranking-2019-B%d", b)] = []string{"ranking", "--round", fmt.Sprintf("2019-B%d", b)}
	}
	t.Run("report", func(t *testing.T) { checkReportCommand(t, db) })
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			got, _, err := run(t, append([]string{"--db", db}, append(args, "--format", "json")...)...)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/xiaoneng -run TestDemoAndGoldenResults -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (if intended, rerun with -update and review the diff)", name, path)
			}
		})
	}
}

func TestScoreThenRankingInEveryFormat(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1"); err == nil || !strings.Contains(err.Error(), "xiaoneng score --round 2019-B1") {
		t.Errorf("ranking before score: got %v, want a pointer to the score command", err)
	}
	out, _, err := run(t, "--db", db, "score", "--round", "2019-B1")
	if err != nil || !strings.Contains(out, "2019-B1 第 1 版: 4 个单位排名, 1 个未排名") {
		t.Fatalf("score: %v\n%s", err, out)
	}
	js, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rk struct {
		AsOf  string `json:"as_of"`
		Units []struct {
			UnitID string   `json:"unit_id"`
			Score  *float64 `json:"score"`
			Rank   *int     `json:"rank"`
		} `json:"units"`
	}
	if err := json.Unmarshal([]byte(js), &rk); err != nil {
		t.Fatal(err)
	}
	// the default scheme (m = 10): F03 third with 76.69 (handcheck README)
	if rk.AsOf != "2019-02-28" || len(rk.Units) != 5 || *rk.Units[2].Rank != 3 || *rk.Units[2].Score != 76.69 || rk.Units[4].Score != nil {
		t.Errorf("json ranking: %s", js)
	}
	csvOut, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(csvOut), "\n"); len(lines) != 6 || !strings.HasPrefix(lines[1], "1,F01,") || !strings.HasPrefix(lines[5], ",F00,") {
		t.Errorf("csv ranking:\n%s", csvOut)
	}
	table, _, err := run(t, "--db", db, "ranking", "--round", "2019-B1")
	if err != nil || !strings.Contains(table, "70.76") {
		t.Errorf("table ranking: %v\n%s", err, table)
	}
}

func TestAnnualAndFormulaCellsNeutralisedInCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	rename := filepath.Join(dir, "units.csv")
	os.WriteFile(rename, []byte("unit_id,name,kind,category\nF01,=cmd|' /C calc'!A0,department,综合管理类\n"), 0o644)
	if _, _, err := run(t, "--db", db, "import", rename); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	// the year composite counts published rounds only
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(context.Background(), "2019-B1", analytics.PublishOptions{Reason: "测试:小样本轮次"}, "test", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, args := range [][]string{{"ranking", "--round", "2019-B1"}, {"annual", "--year", "2019"}} {
		out, _, err := run(t, append([]string{"--db", db}, append(args, "--format", "csv")...)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `'=cmd|' /C calc'!A0`) || strings.Contains(out, ",=cmd") {
			t.Errorf("%v: formula cell not neutralised:\n%s", args, out)
		}
	}
	out, _, err := run(t, "--db", db, "annual", "--year", "2019")
	// F01: 88.27 in 2019-B1 under the default scheme (handcheck README), no 效能问政 answer
	if err != nil || !strings.Contains(out, "2019 年度综合评议") || !strings.Contains(out, "88.27") {
		t.Errorf("annual table: %v\n%s", err, out)
	}
}

// checkReportCommand writes a month's reports as HTML and checks the flags.
func checkReportCommand(t *testing.T, db string) {
	out := t.TempDir()
	got, _, err := run(t, "--db", db, "report", "--month", "2019-06", "--all", "--out", out, "--date", "2019-07-05", "--office", "青川市机关效能建设领导小组办公室")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.html"))
	// month, quarter, round, compendium and one profile per unit (60)
	if len(files) != 64 || !strings.Contains(got, "已写出 64 份 HTML 报告") {
		t.Errorf("%d files, output %q; want 64", len(files), got)
	}
	html, err := os.ReadFile(filepath.Join(out, "round-2019-B3.html"))
	if err != nil || !strings.Contains(string(html), "2019年7月5日") || !strings.Contains(string(html), "青川市机关效能建设领导小组办公室") {
		t.Errorf("round report: %v, or the cover lacks the date and office", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(out, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	for _, bad := range [][]string{
		{"report", "--round", "2019-B3", "--month", "2019-06"},
		{"report", "--unit", "D38"},
		{"report", "--round", "2019-B3", "--all"},
		{"report", "--year", "2019", "--date", "5.7.2019"},
		{"report"},
	} {
		if _, _, err := run(t, append([]string{"--db", db}, bad...)...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestScorePrintsTheStoredResultInEachFormat(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := run(t, "--db", db, "score", "--round", "2019-B1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rk analytics.Ranking
	if err := json.Unmarshal([]byte(out), &rk); err != nil || rk.Round != "2019-B1" || rk.Version != 1 {
		t.Errorf("stdout is not the round's JSON alone: %v\n%s", err, out)
	}
	if !strings.Contains(errOut, "2019-B1 第 1 版") {
		t.Errorf("the summary line is not on stderr: %q", errOut)
	}
	ranking, _, _ := run(t, "--db", db, "ranking", "--round", "2019-B1", "--format", "csv")
	scored, _, _ := run(t, "--db", db, "score", "--round", "2019-B1", "--format", "csv")
	if scored != ranking {
		t.Errorf("score --format csv differs from ranking --format csv:\n%s\n%s", scored, ranking)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1", "--format", "xml"); err == nil {
		t.Error("--format xml accepted")
	}
}
