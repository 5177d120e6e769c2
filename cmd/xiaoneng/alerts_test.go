package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// alertsDB imports two units and three cases. As of Thu 2019-06-13:
// K1 recv Mon 06-10 +2 → due Wed 06-12 → 超期 1; K2 recv Wed 06-12 +2 →
// due Fri 06-14 → 临期 1; K3 completed → none.
func alertsDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	files := []struct{ name, body string }{
		{"units.csv", "unit_id,name,kind,category\nD01,市财政局,department,经济发展类\nD02,市教育局,department,社会事业类\n"},
		{"cases.csv", "case_id,unit_id,item_code,channel,received_at,completed_at,promised_days,visits,status\n" +
			"K2,D01,I,window,2019-06-12 09:00,,2,1,pending\n" +
			"K1,D02,I,window,2019-06-10 09:00,,2,1,pending\n" +
			"K3,D01,I,window,2019-06-10 09:00,2019-06-11 09:00,2,1,completed\n"},
	}
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportFile(context.Background(), p, analytics.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return db
}

// runAlerts runs the alerts command alone with args and returns its output.
func runAlerts(t *testing.T, db string, args ...string) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	a := &app{db: db, out: &buf, errOut: &buf}
	c := a.alertsCmd()
	c.SetArgs(args)
	c.SetOut(&buf)
	c.SetErr(&buf)
	c.SilenceUsage, c.SilenceErrors = true, true
	err := c.ExecuteContext(context.Background())
	return buf.String(), err
}

func TestAlertsCommandFormats(t *testing.T) {
	db := alertsDB(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"table lists 超期 before 临期", []string{"--date", "2019-06-13"},
			[]string{"预警 (截至 2019-06-13): 2 条", "超期  办件  D02", "临期  办件  D01", "超期 1 个工作日(1 个自然日)"}},
		{"csv has a header and one row per alert", []string{"--date", "2019-06-13", "--format", "csv"},
			[]string{"等级,类型,单位,编号,期限,工作日,时长,说明\n超期,办件,D02,K1,2019-06-12,1,超期 1 个工作日(1 个自然日),", "\n临期,办件,D01,K2,2019-06-14,1,剩余 1 个工作日,"}},
		{"no alerts before anything was received", []string{"--date", "2019-06-01"},
			[]string{"预警 (截至 2019-06-01): 0 条"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runAlerts(t, db, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestAlertsCommandJSON(t *testing.T) {
	got, err := runAlerts(t, alertsDB(t), "--date", "2019-06-13", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		AsOf   string `json:"as_of"`
		Alerts []struct {
			Level, Kind, ID string
			UnitID          string  `json:"unit_id"`
			Due             *string `json:"due"`
			Days            int
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(got), &out); err != nil {
		t.Fatalf("%v in %s", err, got)
	}
	if out.AsOf != "2019-06-13" || len(out.Alerts) != 2 {
		t.Fatalf("got %+v, want as_of 2019-06-13 and 2 alerts", out)
	}
	first := out.Alerts[0]
	if first.Level != "超期" || first.ID != "K1" || first.UnitID != "D02" || first.Due == nil || *first.Due != "2019-06-12" || first.Days != 1 {
		t.Errorf("first alert %+v, want 超期 K1 D02 due 2019-06-12 1 day", first)
	}
}

func TestAlertsCommandRefusesBadFlags(t *testing.T) {
	db := alertsDB(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a date", []string{"--date", "2019-02-30"}, "is not a date"},
		{"unknown format", []string{"--date", "2019-06-13", "--format", "xml"}, "unknown --format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runAlerts(t, db, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// Without --date the alerts are as of the earlier of today and the data's
// last day: alertsDB's latest date is K2's receipt, Wed 2019-06-12. As of
// that day K1 (due 06-12, the as-of day) is 临期 0 and K2 (due Fri 06-14:
// 13, 14 left) 临期 2; the note on stderr says which day was used.
func TestAlertsCommandDefaultsToTheDataLastDay(t *testing.T) {
	db := alertsDB(t)
	out, err := runAlerts(t, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"数据截至 2019-06-12,按此日期计算", "预警 (截至 2019-06-12): 2 条", "临期  办件  D01"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runAlerts(t, db, "--date", "yesterday"); err == nil || err.Error() != `--date "yesterday" is not a date (YYYY-MM-DD)` {
		t.Errorf("bad --date: %v", err)
	}
}
