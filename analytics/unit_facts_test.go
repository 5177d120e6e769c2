package analytics

import (
	"context"
	"reflect"
	"testing"
)

// unitFactsComplaints, round 2019-B3 (May–June), unit D01:
//
//	X1 hotline recv Fri 06-14, responded Mon 06-17: the first working day after → within 1 working day
//	X2 hotline recv Fri 06-14, responded Tue 06-18 → not within
//	X3 efficiency recv Thu 06-06, responded Mon 06-10 (Dragon Boat Fri 06-07 off, weekend) → within; 查实
//	X4 efficiency recv 06-03, no response; not substantiated
//	X5 efficiency recv 06-04, 是否查实 not given
//	X6 recv in April (outside the round), X7 another unit: left out
//
// → received 5, responded 3, within 1 working day 2; efficiency 3, checked 2, substantiated 1.
const unitFactsComplaints = "complaint_id,unit_id,source,received_at,responded_at,closed_at,substantiated\n" +
	"X1,D01,hotline,2019-06-14 10:00,2019-06-17 09:00,,\n" +
	"X2,D01,hotline,2019-06-14 10:00,2019-06-18 09:00,,\n" +
	"X3,D01,efficiency,2019-06-06 10:00,2019-06-10 16:00,,是\n" +
	"X4,D01,efficiency,2019-06-03 10:00,,,否\n" +
	"X5,D01,efficiency,2019-06-04 10:00,,,\n" +
	"X6,D01,hotline,2019-04-10 10:00,2019-04-10 11:00,,\n" +
	"X7,D02,efficiency,2019-06-03 10:00,2019-06-03 11:00,,是\n"

// unitFactsSurveys, D01: 服务态度 90 (05-10) and 80 (06-01) in the round; 办事效率 70 (06-20) in
// the round and 60 (02-01) in the year only; an answer without a dimension and D02's are left out.
// Round: 办事效率 n 1 mean 70, 服务态度 n 2 mean (90+80)/2 = 85.
// Year:  办事效率 n 2 mean (70+60)/2 = 65, 服务态度 n 2 mean 85.
const unitFactsSurveys = "response_id,unit_id,survey,respondent_type,dimension,score,answered_at\n" +
	"S1,D01,监测点企业测评,enterprise,服务态度,90,2019-05-10\n" +
	"S2,D01,监测点企业测评,citizen,服务态度,80,2019-06-01\n" +
	"S3,D01,监测点企业测评,enterprise,办事效率,70,2019-06-20\n" +
	"S4,D01,监测点企业测评,enterprise,办事效率,60,2019-02-01\n" +
	"S5,D01,监测点企业测评,enterprise,,50,2019-06-01\n" +
	"S6,D02,监测点企业测评,enterprise,服务态度,10,2019-06-01\n"

func TestUnitFactsAreCountedByHand(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	ctx := context.Background()
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"complaints.csv", unitFactsComplaints}, {"surveys.csv", unitFactsSurveys}} {
		if _, err := s.ImportFile(ctx, writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	p, _ := ParseRound("2019-B3")
	f, err := s.UnitComplaintFacts(ctx, "D01", p)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ComplaintFacts{Received: 5, Responded: 3, Responded1WD: 2, Efficiency: 3, Checked: 2, Substantiated: 1}); f != want {
		t.Errorf("complaint facts %+v, want %+v", f, want)
	}
	ds, err := s.UnitSurveyDimensions(ctx, "D01", p)
	if err != nil {
		t.Fatal(err)
	}
	want := []SurveyDimension{
		{Dimension: "办事效率", RoundN: 1, RoundMean: 70, YearN: 2, YearMean: 65},
		{Dimension: "服务态度", RoundN: 2, RoundMean: 85, YearN: 2, YearMean: 85},
	}
	if !reflect.DeepEqual(ds, want) {
		t.Errorf("dimensions %+v, want %+v", ds, want)
	}
	// A round without answers of a dimension keeps the year's, with n 0.
	p1, _ := ParseRound("2019-B1")
	ds, err = s.UnitSurveyDimensions(ctx, "D01", p1)
	if err != nil || len(ds) != 2 || ds[0].RoundN != 1 || ds[0].RoundMean != 60 || ds[1].RoundN != 0 || ds[1].YearN != 2 {
		t.Errorf("2019-B1 dimensions %+v, %v", ds, err)
	}
}
