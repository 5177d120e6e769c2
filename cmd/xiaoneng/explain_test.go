package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// runCmd runs one command built by mk on a fresh app and returns its output.
func runCmd(t *testing.T, db string, mk func(a *app) *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	a := &app{db: db, out: &buf, errOut: &buf}
	c := mk(a)
	c.SetArgs(args)
	c.SetOut(&buf)
	c.SetErr(&buf)
	c.SilenceUsage, c.SilenceErrors = true, true
	err := c.ExecuteContext(context.Background())
	return buf.String(), err
}

// fullRoundDB imports fixtures/handcheck/full_round and scores 2019-B1.
func fullRoundDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := analytics.ExpandPaths([]string{"../../fixtures/handcheck/full_round"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := st.ImportFile(context.Background(), f, analytics.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if out, err := runCmd(t, db, (*app).scoreCmd, "--round", "2019-B1"); err != nil {
		t.Fatalf("score: %v\n%s", err, out)
	}
	return db
}

func TestExplainCommand(t *testing.T) {
	db := fullRoundDB(t)
	explain := (*app).explainCmd
	t.Run("table", func(t *testing.T) {
		out, err := runCmd(t, db, explain, "--round", "2019-B1", "--unit", "F04")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			// the default scheme (m = 10), as in the handcheck README: F01 88.27,
			// F02 78.54, F03 76.69, F04 70.76; mean 314.26/4 = 78.565 → 78.57;
			// F04 − mean = −7.81, − F03 = −5.93; deductions 10 against F03's 4
			"2019-B1 F04 市政府研究室 (综合管理类): 得分 70.76, 排名 4/4, 类别平均 78.57, 上一名 F03 市市场监督管理局 (第 3 名, 76.69)",
			"政务服务", "无数据, 分值按比例分配",
			"- 市政府研究室（F04）得 70.76 分，在综合管理类 4 个排名单位中列第 4 名，比类别平均低 7.81 分，比上一名（市市场监督管理局）低 5.93 分\n",
			"- 扣分 10.00 分，比类别平均多扣 6.50 分，比上一名（市市场监督管理局）多扣 6.00 分\n",
			// resolution 3 of 5, category 18/20: (3 + 10 × 0.9)/15 = 80.0 %
			"诉求解决率 3/5 = 60.0%，件数较少，按同类平均水平折算为 80.0%",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		out, err := runCmd(t, db, explain, "--round", "2019-B1", "--unit", "F01", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var e scoring.Explanation
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if e.UnitID != "F01" || *e.Rank != 1 || e.Above != nil || len(e.Parts) != 5 || e.Parts[0].VsAbove != nil {
			t.Errorf("F01 (rank 1, nothing above): %+v", e)
		}
		if !strings.Contains(out, `"above": null`) {
			t.Errorf("json lacks \"above\": null:\n%s", out)
		}
	})
	for _, tt := range []struct{ name, want string }{
		{"F99", "F99"},      // unknown unit
		{"F04", "--format"}, // bad format
	} {
		args := []string{"--round", "2019-B1", "--unit", tt.name}
		if tt.want == "--format" {
			args = append(args, "--format", "csv")
		}
		if _, err := runCmd(t, db, explain, args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want an error naming %s", args, err, tt.want)
		}
	}
	if _, err := runCmd(t, db, explain, "--round", "2019-B2", "--unit", "F04"); err == nil || !strings.Contains(err.Error(), "xiaoneng score --round 2019-B2") {
		t.Errorf("unscored round: got %v", err)
	}
}
