package analytics

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const casesHeader = "case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n"

// A second group for the group-membership cases: E01..E03 belong to G01 only.
const extraGroups = `group_id,name,lead_unit_id,member_unit_ids
G02,数字政府,D03,D02
`

const baseProjects = `project_id,name,unit_id,level,year,annual_plan,land_need_mu,planned_start,industry
P01,青川新材料产业园,C01,city,2019,50000,120,2019-03-01,新材料
`

const peerHeader = "round,evaluator_id,unit_id,group_id,score,comment\n"

// openBad opens a store with units, groups (G01, G02), evaluators and one project.
func openBad(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{{"work_groups-2.csv", extraGroups}, {"projects.csv", baseProjects}} {
		if _, err := s.ImportFile(context.Background(), writeFile(t, dir, f.name, f.body), ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	return s
}

func checksums(t *testing.T, s *Store) map[string]string {
	t.Helper()
	m, err := s.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func gb18030(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manyBadCases is a cases file of n rows, each naming an unknown unit.
func manyBadCases(n int) string {
	var b strings.Builder
	b.WriteString(casesHeader)
	for i := range n {
		fmt.Fprintf(&b, "X%04d,D99,I01,,online,2019-03-01 09:00,,1,0,pending\n", i)
	}
	return b.String()
}

func manyBadWant(n int) []string {
	var out []string
	for i := range min(n, MaxListed) {
		out = append(out, fmt.Sprintf("cases.csv:%d: unit_id: unknown unit D99", i+2))
	}
	if n > MaxListed {
		out = append(out, fmt.Sprintf("cases.csv: … and %d more problems (%d bad rows in all); nothing was imported", n-MaxListed, n))
	}
	return out
}

func TestBadInputRefusedWithMessage(t *testing.T) {
	s := openBad(t)
	ctx := context.Background()
	xlsx := xlsxBytes(t, [][]any{{"case_id", "unit_id"}, {"A1", "D01"}})
	tests := []struct {
		name string
		file string
		body string
		want []string
	}{
		{"bad_date", "cases.csv", casesHeader +
			"A1,D01,I01,开办企业,online,2019-02-01 09:00,2019-02-01 10:00,1,0,completed\n" +
			"A2,D01,I01,开办企业,online,2019-02-01 09:00,2019-02-30,1,0,completed\n",
			[]string{"cases.csv:3: completed_at: 2019-02-30 is not a date"}},
		{"negative_amount", "signed_projects.csv", "project_id,unit_id,name,signed_on,amount,landed_on\nS01,C01,光伏组件,2019-04-02,-5,\n",
			[]string{"signed_projects.csv:2: amount: -5 is negative"}},
		{"peer_score_over_100", "peer_scores.csv", peerHeader + "2019-B1,E01,D02,G01,101,\n",
			[]string{"peer_scores.csv:2: score: 101 is outside 0–100"}},
		{"unknown_unit", "cases.csv", casesHeader + "A1,D99,I01,,window,2019-02-01 09:00,,1,0,pending\n",
			[]string{"cases.csv:2: unit_id: unknown unit D99"}},
		{"unknown_evaluator", "peer_scores.csv", peerHeader + "2019-B1,E99,D02,G01,90,\n",
			[]string{"peer_scores.csv:2: evaluator_id: unknown evaluator E99"}},
		{"unknown_group", "peer_scores.csv", peerHeader + "2019-B1,E01,D02,G99,90,\n",
			[]string{"peer_scores.csv:2: group_id: unknown group G99"}},
		{"duplicate_key", "cases.csv", casesHeader +
			"A1,D01,I01,,window,2019-02-01 09:00,,1,0,pending\n" +
			"A2,D01,I01,,window,2019-02-01 09:00,,1,0,pending\n" +
			"A1,D02,I01,,window,2019-02-01 09:00,,1,0,pending\n",
			[]string{"cases.csv:4: case_id: duplicate key A1 (first on line 2)"}},
		{"missing_required_column", "cases.csv",
			"case_id,unit_id,item_code,channel,received_at,promised_days,visits\nA1,D01,I01,window,2019-02-01,1,0\n",
			[]string{"cases.csv:1: status: required column missing"}},
		{"empty_file", "cases.csv", "", []string{"cases.csv: file is empty"}},
		{"header_only", "cases.csv", casesHeader, []string{"cases.csv:1: the file has a header but no data rows"}},
		{"truncated_xlsx", "cases.xlsx", string(xlsx[:len(xlsx)/2]),
			[]string{"cases.xlsx: not a readable .xlsx file (zip: not a valid zip file)"}},
		{"legacy_xls", "cases.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
			[]string{"cases.xls: legacy .xls workbooks are not read; open it in Excel or WPS and save as .xlsx"}},
		{"mixed_encodings", "cases.csv", casesHeader +
			"A1,D01,I01,开办企业,online,2019-02-01 09:00,,1,0,pending\n" +
			gb18030(t, "A2,D01,I01,开办企业,online,2019-02-01 09:00,,1,0,pending\n"),
			[]string{"cases.csv:3: mixed encodings: line 2 is UTF-8 but line 3 is not; save the whole file in one encoding"}},
		{"own_unit", "peer_scores.csv", peerHeader + "2019-B1,E02,D01,G01,90,\n",
			[]string{"peer_scores.csv:2: unit_id: evaluator E02 may not score their own unit D01"}},
		{"unit_outside_group", "peer_scores.csv", peerHeader + "2019-B1,E01,C01,G01,90,\n",
			[]string{"peer_scores.csv:2: unit_id: unit C01 is not in group G01"}},
		{"evaluator_outside_group", "peer_scores.csv", peerHeader + "2019-B1,E01,D02,G02,90,\n",
			[]string{"peer_scores.csv:2: group_id: evaluator E01 does not belong to group G02"}},
		{"completed_before_received", "cases.csv", casesHeader + "A1,D01,I01,,window,2019-03-02 09:00,2019-03-01 09:00,1,0,completed\n",
			[]string{"cases.csv:2: completed_at: 2019-03-01 09:00:00 is before received_at"}},
		{"project_for_department", "projects.csv",
			"project_id,name,unit_id,level,year,annual_plan,land_need_mu,planned_start\nP02,数据中心,D01,city,2019,100,0,2019-05-01\n",
			[]string{"projects.csv:2: unit_id: D01 is not a county"}},
		{"progress_unknown_project", "project_progress.csv",
			"project_id,month,investment_ytd,land_supplied_mu\nP01,2019-03,100,10\nP99,2019-03,100,10\n",
			[]string{"project_progress.csv:3: project_id: unknown project P99 in year 2019"}},
		{"unknown_enum_value", "cases.csv", casesHeader + "A1,D01,I01,,邮寄,2019-02-01 09:00,,1,0,pending\n",
			[]string{"cases.csv:2: channel: 邮寄 is not one of online, window, mobile, self_service"}},
		{"unknown_member_units", "work_groups.csv", "group_id,name,lead_unit_id,member_unit_ids\nG03,乡村振兴,C01,C02、D98；D99\n",
			[]string{"work_groups.csv:2: member_unit_ids: unknown unit D98, D99"}},
		{"unterminated_quote", "cases.csv", casesHeader + "A1,D01,I01,,window,2019-02-01,,1,0,pending\n" +
			"A2,D01,I01,\"开办企业,online,2019-02-01 09:00,,1,0,pending\nA3,D01,I01,,window,2019-02-01,,1,0,pending\n",
			[]string{`cases.csv:3: a quoted value is not closed properly (a " without its closing ", or text after it)`}},
		{"text_after_closing_quote", "cases.csv", casesHeader + "A1,D01,I01,\"开办\"企业,online,2019-02-01 09:00,,1,0,pending\n",
			[]string{`cases.csv:2: a quoted value is not closed properly (a " without its closing ", or text after it)`}},
		{"too_many_cells", "cases.csv", casesHeader + "A1,D01,I01,开办,企业,online,2019-02-01 09:00,,1,0,pending\n",
			[]string{"cases.csv:2: the row has more cells than the header (10)"}},
		{"over_100_bad_rows", "cases.csv", manyBadCases(150), manyBadWant(150)},
		{"unknown_kind", "data-2019.csv", casesHeader + "A1,D01,I01,,window,2019-02-01,,1,0,pending\n",
			[]string{"data-2019.csv: cannot tell the kind of this file from its name; rename it (e.g. cases-2019-03.csv, 办件.xlsx) or pass --kind (" +
				strings.Join(kindNames(), ", ") + ")"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), tt.file, tt.body)
			before := checksums(t, s)
			_, err := s.ImportFile(ctx, path, ImportOptions{})
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("ImportFile: got error %v (%T), want *ImportError", err, err)
			}
			if got, want := strings.Split(err.Error(), "\n"), tt.want; !slicesEqual(got, want) {
				t.Errorf("error:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if after := checksums(t, s); !maps.Equal(after, before) {
				t.Errorf("database changed by a refused file:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// dataChecksums drops the import log, which records every import.
func dataChecksums(t *testing.T, s *Store) map[string]string {
	m := checksums(t, s)
	// The logs record every import, a repeated one too, and each row names
	// the import that wrote it: the data is the rest.
	delete(m, "import_log")
	delete(m, "audit_log")
	for _, k := range Kinds() {
		var sum string
		q := fmt.Sprintf("SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(t::VARCHAR))::VARCHAR, '0') FROM (SELECT * EXCLUDE (import_id) FROM %s) t", ident(k.Name))
		if err := s.db.QueryRow(q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		m[k.Name] = sum
	}
	return m
}

const twoCases = casesHeader +
	"A1,D01,I01,开办企业,online,2019-02-01 09:00,2019-02-01 10:00,1,0,completed\n" +
	"A2,D02,I02,,window,2019-02-02 09:00,,3,1,pending\n"

func TestReimportSameFileIsUnchanged(t *testing.T) {
	s := openBad(t)
	ctx := context.Background()
	path := writeFile(t, t.TempDir(), "cases.csv", twoCases)
	first, err := s.ImportFile(ctx, path, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [3]int64{first.New, first.Replaced, first.Unchanged}, [3]int64{2, 0, 0}; got != want {
		t.Errorf("first import new/replaced/unchanged: got %v, want %v", got, want)
	}
	before := dataChecksums(t, s)
	again, err := s.ImportFile(ctx, path, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [3]int64{again.New, again.Replaced, again.Unchanged}, [3]int64{0, 0, 2}; got != want {
		t.Errorf("re-import new/replaced/unchanged: got %v, want %v", got, want)
	}
	if after := dataChecksums(t, s); !maps.Equal(after, before) {
		t.Errorf("re-import changed data:\nbefore %v\nafter  %v", before, after)
	}
	// Both imports are in the audit log, the second with its unchanged rows.
	es, err := s.AuditLog(ctx, AuditFilter{ActionPrefix: "import", Subject: "file:cases.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || !strings.Contains(string(es[0].New), `"unchanged":2`) || es[0].Actor != "cli" {
		t.Errorf("audit of the two imports: %+v", es)
	}
}

func TestUpstreamCorrectionReplacesOneRow(t *testing.T) {
	s := openBad(t)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := s.ImportFile(ctx, writeFile(t, dir, "cases.csv", twoCases), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	corrected := strings.Replace(twoCases, "A2,D02,I02,,window,2019-02-02 09:00,,3,1,pending",
		"A2,D02,I02,,window,2019-02-02 09:00,2019-02-05 16:30,3,1,completed", 1)
	res, err := s.ImportFile(ctx, writeFile(t, dir, "cases-fix.csv", corrected), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [3]int64{res.New, res.Replaced, res.Unchanged}, [3]int64{0, 1, 1}; got != want {
		t.Errorf("correction new/replaced/unchanged: got %v, want %v", got, want)
	}
	var n int
	var status, completed string
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) OVER (), status, strftime(completed_at, '%Y-%m-%d %H:%M')
		FROM cases WHERE case_id = 'A2'`).Scan(&n, &status, &completed); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(n, " ", status, " ", completed), "1 completed 2019-02-05 16:30"; got != want {
		t.Errorf("stored A2 (rows, status, completed_at): got %q, want %q", got, want)
	}
}

func TestImportAfterRefusedFileSucceeds(t *testing.T) {
	s := openBad(t)
	ctx := context.Background()
	dir := t.TempDir()
	bad := writeFile(t, dir, "cases.csv", casesHeader+"A1,D99,I01,,window,2019-02-01,,1,0,pending\n")
	if _, err := s.ImportFile(ctx, bad, ImportOptions{}); err == nil {
		t.Fatal("bad file imported without error")
	}
	good := writeFile(t, dir, "cases-good.csv", twoCases)
	res, err := s.ImportFile(ctx, good, ImportOptions{})
	if err != nil {
		t.Fatalf("import after a refused file: %v", err)
	}
	if got, want := res.New, int64(2); got != want {
		t.Errorf("new rows: got %d, want %d", got, want)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got, want := n, 2; got != want {
		t.Errorf("cases rows: got %d, want %d", got, want)
	}
}
