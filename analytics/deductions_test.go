package analytics

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestDeductionItemsOfTheHandCheckedRound lists the items of
// fixtures/handcheck/full_round/deductions.csv by hand: KF2019-006 is dated
// 1 March and belongs to B2.
func TestDeductionItemsOfTheHandCheckedRound(t *testing.T) {
	s := openTest(t)
	importFolder(t, s, "../fixtures/handcheck/full_round")
	tests := []struct {
		name, round string
		want        []DeductionItem
	}{
		{"B1 by unit then date", "2019-B1", []DeductionItem{
			{"KF2019-001", "F03", day(2019, 1, 15), 1.5, "12345热线工单超期未办结，被效能督查通报"},
			{"KF2019-004", "F03", day(2019, 2, 20), 2.5, "明察暗访发现服务态度生硬"},
			{"KF2019-002", "F04", day(2019, 1, 10), 5.0, "重点工作推进不力，被市政府督查通报"},
			{"KF2019-003", "F04", day(2019, 1, 22), 4.0, "市政府常务会议议定事项未按期落实"},
			{"KF2019-005", "F04", day(2019, 2, 14), 3.0, "公文办理超时，多次催办未反馈"},
		}},
		{"B2 holds the 1 March item", "2019-B2", []DeductionItem{
			{"KF2019-006", "F04", day(2019, 3, 1), 2.0, "网络问政留言逾期未回复"},
		}},
		{"B3 has none", "2019-B3", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.DeductionItems(context.Background(), tt.round)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDeductionItemsBoundariesAndTies: the first and last day of a round are
// in it, the days either side are not, and items of one unit and day are
// ordered by id.
func TestDeductionItemsBoundariesAndTies(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	body := "deduction_id,unit_id,date,points,reason\n" +
		"K9,D01,2019-02-28,1,末日\n" +
		"K2,D01,2019-02-28,0.25,同日按编号\n" +
		"K5,C01,2019-01-01,3,首日\n" +
		"K1,D01,2018-12-31,4,上一轮\n" +
		"K3,D01,2019-03-01,5,下一轮\n"
	if _, err := s.ImportFile(context.Background(), writeFile(t, t.TempDir(), "deductions.csv", body), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DeductionItems(context.Background(), "2019-B1")
	if err != nil {
		t.Fatal(err)
	}
	want := []DeductionItem{
		{"K5", "C01", day(2019, 1, 1), 3, "首日"},
		{"K2", "D01", day(2019, 2, 28), 0.25, "同日按编号"},
		{"K9", "D01", day(2019, 2, 28), 1, "末日"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDeductionItemsOfABadRoundIsAnError(t *testing.T) {
	s := openTest(t)
	if got, err := s.DeductionItems(context.Background(), "2019-B7"); err == nil {
		t.Errorf("got %v and no error", got)
	}
}
