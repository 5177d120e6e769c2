package calendar_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/calendar"
)

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    []calendar.Entry
		wantErr string // substring of the error; empty: no error
	}{
		{"English header with BOM parses", "\uFEFFdate,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休上班\n",
			[]calendar.Entry{{Date: d(2027, 1, 1), Kind: calendar.Holiday, Name: "元旦"}, {Date: d(2027, 2, 6), Kind: calendar.Workday, Name: "春节调休上班"}}, ""},
		{"Chinese header, 休/班, reordered and extra columns parse", "名称,备注,类型,日期\n元旦,x,休,2027/1/1\n,y,班,2027-2-6\n",
			[]calendar.Entry{{Date: d(2027, 1, 1), Kind: calendar.Holiday, Name: "元旦"}, {Date: d(2027, 2, 6), Kind: calendar.Workday}}, ""},
		{"impossible date is a bad row", "date,kind\n2027-01-01,holiday\n2019-02-30,holiday\n", nil, "h.csv:3: date: 2019-02-30 is not a date"},
		{"unknown kind is a bad row", "date,kind\n2027-01-01,off\n", nil, `h.csv:2: kind: "off" is not holiday/休 or workday/班`},
		{"missing kind value is a bad row", "date,kind\n2027-01-01,\n", nil, "h.csv:2: kind: is required"},
		{"duplicate date is a bad row", "date,kind\n2027-01-01,holiday\n2027-01-01,workday\n", nil, "h.csv:3: date: 2027-01-01 given twice (first on line 2)"},
		{"every bad row is listed", "date,kind\nx,holiday\ny,holiday\n", nil, "h.csv:2: date: x is not a date\nh.csv:3: date: y is not a date"},
		{"missing column is an error", "date,name\n2027-01-01,元旦\n", nil, "h.csv:1: kind: missing column"},
		{"empty file is an error", "", nil, "h.csv:1: header: file is empty"},
		{"malformed quoting reports its line", "date,kind\n2027-01-01,\"holiday\n", nil, "h.csv:2: csv:"},
		{"more than 100 bad rows are counted", "date,kind\n" + strings.Repeat("x,holiday\n", 105), nil, "h.csv: 5 more bad rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := calendar.ParseCSV(strings.NewReader(tt.input), "h.csv")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || got != nil {
					t.Fatalf("got %v, %v, want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOfficialData(t *testing.T) {
	raw, err := os.ReadFile("holidays.csv")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := calendar.ParseCSV(bytes.NewReader(raw), "holidays.csv")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"元旦": true, "春节": true, "春节延长假期": true, "清明节": true, "劳动节": true,
		"端午节": true, "中秋节": true, "国庆节": true, "国庆节、中秋节": true, "中秋节、国庆节": true}
	for _, e := range entries {
		wd := e.Date.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		switch {
		case e.Date.Year() < 2018 || e.Date.Year() > 2026:
			t.Errorf("%v: outside 2018–2026", e.Date)
		case e.Kind == calendar.Workday && (!weekend || !names[strings.TrimSuffix(e.Name, "调休上班")]):
			t.Errorf("%v %s: a make-up day must be a weekend named <festival>调休上班", e.Date, e.Name)
		case e.Kind == calendar.Holiday && !names[e.Name]:
			t.Errorf("%v: unexpected holiday name %q", e.Date, e.Name)
		}
	}
}
