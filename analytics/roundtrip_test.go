package analytics

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// The reference content of every round-trip variant: Chinese text (with a
// comma and a quote), empty cells, dates and times down to the second.
var rtHeader = []string{"case_id", "unit_id", "item_code", "item_name", "channel", "received_at", "completed_at", "promised_days", "visits", "status"}

var rtRows = [][]string{
	{"A001", "D01", "I0001", `企业开办"一网通办"`, "online", "2019-02-01 09:15:00", "2019-02-01 16:40:30", "0", "0", "completed"},
	{"A002", "D02", "I0002", "", "window", "2019-02-28 17:59:59", "", "5", "2", "pending"},
	{"A003", "D03", "I0003", "不动产登记，抵押、查封", "mobile", "2019-12-31 23:00:00", "2020-01-02 08:00:00", "3", "1", "completed"},
	{"A004", "C01", "I0004", "户籍 迁移", "self_service", "2019-06-15 00:00:00", "", "1", "0", "returned"},
}

// The stored table every variant must produce.
var rtWant = []string{
	"{'case_id': A001, 'unit_id': D01, 'item_code': I0001, 'item_name': '企业开办\"一网通办\"', 'channel': online, 'received_at': '2019-02-01 09:15:00', 'completed_at': '2019-02-01 16:40:30', 'promised_days': 0, 'visits': 0, 'status': completed}",
	"{'case_id': A002, 'unit_id': D02, 'item_code': I0002, 'item_name': NULL, 'channel': window, 'received_at': '2019-02-28 17:59:59', 'completed_at': NULL, 'promised_days': 5, 'visits': 2, 'status': pending}",
	"{'case_id': A003, 'unit_id': D03, 'item_code': I0003, 'item_name': 不动产登记，抵押、查封, 'channel': mobile, 'received_at': '2019-12-31 23:00:00', 'completed_at': '2020-01-02 08:00:00', 'promised_days': 3, 'visits': 1, 'status': completed}",
	"{'case_id': A004, 'unit_id': C01, 'item_code': I0004, 'item_name': 户籍 迁移, 'channel': self_service, 'received_at': '2019-06-15 00:00:00', 'completed_at': NULL, 'promised_days': 1, 'visits': 0, 'status': returned}",
}

func csvText(t *testing.T, rows [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func xlsxBytes(t *testing.T, rows [][]any) []byte {
	t.Helper()
	wb := excelize.NewFile()
	defer wb.Close()
	for i, r := range rows {
		if err := wb.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := wb.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rtChinese returns the rows with Chinese headers, enum values and 年月日 dates.
func rtChinese() [][]string {
	head := []string{"办件编号", "单位编码", "事项编码", "事项名称", "渠道", "受理时间", "办结时间", "承诺时限", "跑动次数", "状态"}
	zh := map[string]string{"online": "网上", "window": "窗口", "mobile": "移动端", "self_service": "自助",
		"completed": "办结", "pending": "在办", "returned": "退回"}
	out := [][]string{head}
	for _, r := range rtRows {
		r = append([]string(nil), r...)
		r[4], r[9] = zh[r[4]], zh[r[9]]
		for _, i := range []int{5, 6} {
			if r[i] != "" { // 2019-02-01 09:15:00 → 2019年02月01日 09:15:00
				r[i] = r[i][:4] + "年" + r[i][5:7] + "月" + r[i][8:10] + "日" + r[i][10:]
			}
		}
		out = append(out, r)
	}
	return out
}

// rtXLSX gives the rows as an XLSX sheet; with dates, the date columns are
// real Excel dates (numeric serials with a date format) and numbers are numbers.
func rtXLSX(t *testing.T, dates bool) []byte {
	rows := [][]any{anys(rtHeader)}
	for _, r := range rtRows {
		row := anys(r)
		for i, v := range r {
			switch {
			case v == "":
				row[i] = nil
			case dates && (i == 5 || i == 6):
				tm, err := time.Parse(time.DateTime, v)
				if err != nil {
					t.Fatal(err)
				}
				row[i] = tm
			case dates && (i == 7 || i == 8):
				var n int
				fmt.Sscan(v, &n)
				row[i] = n
			}
		}
		rows = append(rows, row)
	}
	return xlsxBytes(t, rows)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// rtParquet writes the rows as Parquet with typed columns through DuckDB's COPY.
func rtParquet(t *testing.T, dir string) string {
	t.Helper()
	s := openTest(t)
	src := writeFile(t, dir, "src.csv", csvText(t, append([][]string{rtHeader}, rtRows...)))
	out := filepath.Join(dir, "cases.parquet")
	q := fmt.Sprintf(`COPY (SELECT * FROM read_csv(%s, header = true, auto_detect = false, columns = {
		'case_id': 'VARCHAR', 'unit_id': 'VARCHAR', 'item_code': 'VARCHAR', 'item_name': 'VARCHAR', 'channel': 'VARCHAR',
		'received_at': 'TIMESTAMP', 'completed_at': 'TIMESTAMP', 'promised_days': 'INTEGER', 'visits': 'INTEGER', 'status': 'VARCHAR'}))
		TO %s (FORMAT parquet)`, lit(src), lit(out))
	if _, err := s.DB().Exec(q); err != nil {
		t.Fatal(err)
	}
	return out
}

// dumpCases is the full cases table, one row per string, sorted by key.
func dumpCases(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.DB().Query("SELECT c::VARCHAR FROM (SELECT * EXCLUDE (import_id) FROM cases) c ORDER BY case_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// importCases imports units and then the cases file into a fresh database.
func importCases(t *testing.T, path string) (*Store, ImportResult) {
	t.Helper()
	s := openTest(t)
	importBase(t, s)
	res, err := s.ImportFile(context.Background(), path, ImportOptions{})
	if err != nil {
		t.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	return s, res
}

func TestRoundTripFormatsGiveIdenticalCases(t *testing.T) {
	plain := csvText(t, append([][]string{rtHeader}, rtRows...))
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, body string
		wantEnc          Encoding
	}{
		{"utf8_csv", "cases.csv", plain, UTF8},
		{"utf8_bom_csv", "cases.csv", "\uFEFF" + plain, UTF8BOM},
		{"utf16le_bom_csv", "cases.csv", utf16, UTF16},
		{"gb18030_chinese_headers_and_values", "办件-2019.csv", gb18030(t, csvText(t, rtChinese())), GB18030},
		{"xlsx_text_cells", "cases.xlsx", string(rtXLSX(t, false)), ""},
		{"xlsx_date_serials", "cases-2019-02.xlsx", string(rtXLSX(t, true)), ""},
		{"parquet", "cases.parquet", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var path string
			if tt.name == "parquet" {
				path = rtParquet(t, dir)
			} else {
				path = writeFile(t, dir, tt.file, tt.body)
			}
			s, res := importCases(t, path)
			if got, want := res.Encoding, tt.wantEnc; got != want {
				t.Errorf("encoding: got %q, want %q", got, want)
			}
			if got, want := [2]int64{res.Rows, res.New}, [2]int64{4, 4}; got != want {
				t.Errorf("rows, new: got %v, want %v", got, want)
			}
			if got, want := strings.Join(dumpCases(t, s), "\n"), strings.Join(rtWant, "\n"); got != want {
				t.Errorf("cases table:\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestXLSXDateVariantHoldsNumericSerials(t *testing.T) {
	wb, err := excelize.OpenReader(bytes.NewReader(rtXLSX(t, true)))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	got, err := wb.GetCellValue("Sheet1", "F2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := "43497.385416666664"; !strings.HasPrefix(got, "43497.3854") {
		t.Errorf("raw F2: got %q, want a serial like %q", got, want)
	}
	if got, want := excelSerial(got), "2019-02-01 09:15:00"; got != want {
		t.Errorf("excelSerial: got %q, want %q", got, want)
	}
}

func TestFoldedSpellingsUnknownColumnsAndOrder(t *testing.T) {
	// Columns reversed, full-width and U+3000-padded headers, ids, numbers,
	// dates and enum values, plus one unknown column.
	head := []string{"状\u3000态", "ｖｉｓｉｔｓ", "备注", "\u3000promised_days ", "Completed_At", "received_at", "ＣＨＡＮＮＥＬ", "item_name", "item_code", "单位编码", "ｃａｓｅ＿ｉｄ"}
	rows := [][]string{head}
	for i, r := range rtRows {
		id := strings.Map(func(c rune) rune {
			if c < 0x7F && c > 0x20 {
				return c + 0xFF01 - 0x21
			}
			return c
		}, r[0])
		status := map[string]string{"completed": "\u3000办结 ", "pending": "在办", "returned": "ＲＥＴＵＲＮＥＤ"}[r[9]]
		recv := r[5]
		if i == 0 {
			recv = "２０１９－０２－０１\u3000０９：１５：００"
		}
		rows = append(rows, []string{status, "\u3000" + r[8], "备注" + r[0], r[7], r[6], recv,
			" " + strings.ToUpper(r[4]) + "\u3000", r[3], "\u3000" + r[2], " " + r[1] + " ", id})
	}
	s, res := importCases(t, writeFile(t, t.TempDir(), "cases.csv", csvText(t, rows)))
	if got, want := strings.Join(res.Warnings, "\n"), `cases.csv:1: column "备注" is not used by cases and was ignored`; got != want {
		t.Errorf("warnings: got %q, want %q", got, want)
	}
	if got, want := strings.Join(dumpCases(t, s), "\n"), strings.Join(rtWant, "\n"); got != want {
		t.Errorf("cases table:\ngot:\n%s\nwant:\n%s", got, want)
	}
}
