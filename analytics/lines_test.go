package analytics

import (
	"context"
	"errors"
	"testing"
)

func TestBadRowLinesArePhysicalFileLines(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	const head = "case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n"
	const good = "A1,D01,I1,ok,online,2019-01-02 09:00,2019-01-03 10:00,5,0,completed\n"
	tests := []struct {
		name, body string
		want       string
	}{
		{"after a blank line", head + good + "\n" + "A2,D99,I1,x,online,2019-01-02 09:00,,5,0,pending\n",
			"cases.csv:4: unit_id: unknown unit D99"},
		{"after a cell holding line breaks", head + "A1,D01,I1,\"two\nlines\nhere\",online,2019-01-02 09:00,,5,0,pending\n" + "A2,D99,I1,x,online,2019-01-02 09:00,,5,0,pending\n",
			"cases.csv:5: unit_id: unknown unit D99"},
		{"duplicate key names both physical lines", head + good + "\n\n" + good,
			"cases.csv:5: case_id: duplicate key A1 (first on line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "cases.csv", tt.body), ImportOptions{})
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an ImportError", err)
			}
			if got := ie.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
