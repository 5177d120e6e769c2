package analytics

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestImportFastPlainScan(t *testing.T) {
	tests := []struct {
		name, text string
		plain      bool
	}{
		{"plain", "a,b\nA1,开办企业\nA2,x y\n", true},
		{"crlf", "a,b\r\nA1,x\r\n", true},
		{"a quote", "a,b\nA1,\"x\"\n", false},
		{"a tab", "a,b\nA1,x\ty\n", false},
		{"lone carriage return", "a,b\nA1,x\ry\n", false},
		{"NUL", "a,b\nA1,x\x00\n", false},
		{"bell", "a,b\nA1,x\x07\n", false},
		{"DEL", "a,b\nA1,x\x7f\n", false},
		{"C1 control U+0085", "a,b\nA1,x\u0085\n", false},
		{"U+00A0 is fine", "a,b\nA1,x\u00a0y\n", true},
		{"arabic letter mark U+061C", "a,b\nA1,x\u061c\n", false},
		{"other Arabic is fine U+0627", "a,b\nA1,\u0627\n", true},
		{"LRM U+200E", "a,b\nA1,x\u200e\n", false},
		{"RLM U+200F", "a,b\nA1,x\u200f\n", false},
		{"RLO U+202E", "a,b\nA1,x\u202e\n", false},
		{"LRE U+202A", "a,b\nA1,x\u202a\n", false},
		{"PDI U+2069", "a,b\nA1,x\u2069\n", false},
		{"LRI U+2066", "a,b\nA1,x\u2066\n", false},
		{"en dash U+2013 is fine", "a,b\nA1,x\u2013y\n", true},
		{"U+2065 is fine", "a,b\nA1,x\u2065\n", true},
		{"U+202F is fine", "a,b\nA1,x\u202f\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainScan([]byte(tt.text)); got != tt.plain {
				t.Errorf("plainScan(%q) = %v, want %v", tt.text, got, tt.plain)
			}
			// Every character plainScan refuses is one the row rule refuses:
			// a plain verdict must never hide one (forbiddenChars(Text) plus
			// the tab and line breaks identifiers refuse).
			if tt.plain && strings.ContainsAny(tt.text, "\t\x00\x07\x7f\u0085\u061c\u200e\u200f\u202a\u202e\u2066\u2069") {
				t.Errorf("%q holds a refused character", tt.text)
			}
		})
	}
}

func TestImportFastKeyScan(t *testing.T) {
	k, ok := KindByName("cases")
	if !ok {
		t.Fatal("no cases kind")
	}
	head := "case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n"
	row := func(id string) string {
		return id + ",D01,I1,开办企业,online,2019-03-01 08:30:01,2019-03-01 09:00:00,1,0,completed\n"
	}
	tests := []struct {
		name, text string
		ok         bool
		rows       int64
		lo, hi     string
	}{
		{"rising", head + row("SP1") + row("SP2") + row("SP3"), true, 3, "SP1", "SP3"},
		{"byte order, not numeric", head + row("SP10") + row("SP9"), true, 2, "SP10", "SP9"},
		{"falling: distinct by hash", head + row("SP2") + row("SP1") + row("SP3"), true, 3, "SP1", "SP3"},
		{"unsorted, twice", head + row("SP2") + row("SP1") + row("SP2"), false, 0, "", ""},
		{"twice", head + row("SP1") + row("SP1"), false, 0, "", ""},
		{"empty key", head + row("SP1") + row(""), false, 0, "", ""},
		{"an empty line", head + row("SP1") + "\n" + row("SP2"), false, 0, "", ""},
		{"header only", head, false, 0, "", ""},
		{"key not first", "unit_id,case_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\nD01,SP1,I,x,online,2019-03-01 08:30:01,,1,0,pending\nD01,SP2,I,x,online,2019-03-01 08:30:01,,1,0,pending\n", true, 2, "SP1", "SP2"},
		{"Chinese header", "办件编号,单位编码,事项编码,事项名称,办理渠道,受理时间,办结时间,承诺时限,跑动次数,办理状态\r\n" + strings.ReplaceAll(row("SP1")+row("SP2"), "\n", "\r\n"), true, 2, "SP1", "SP2"},
		{"no final newline", head + row("SP1") + strings.TrimSuffix(row("SP2"), "\n"), true, 2, "SP1", "SP2"},
		{"quoted: not plain", head + row("SP1") + `"SP2",D01,I1,x,online,2019-03-01 08:30:01,,1,0,pending` + "\n", false, 0, "", ""},
		{"a short row", head + row("SP1") + "SP2\n", true, 2, "SP1", "SP2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "cases.csv", "\uFEFF"+tt.text)
			r, err := scanFile(path, k)
			if err != nil {
				t.Fatal(err)
			}
			got := r.keys
			if got.ok != tt.ok || (tt.ok && (got.rows != tt.rows || got.lo != tt.lo || got.hi != tt.hi)) {
				t.Errorf("keys %+v, want ok %v rows %d %q…%q", got, tt.ok, tt.rows, tt.lo, tt.hi)
			}
		})
	}
	// A kind keyed on two columns gets no key scan.
	pk, _ := KindByName("peer_scores")
	path := writeFile(t, t.TempDir(), "p.csv", "round,evaluator_id,unit_id,score\n2019-B1,E1,D01,90\n")
	if r, err := scanFile(path, pk); err != nil || r.keys.ok {
		t.Errorf("peer scores key scan %+v %v", r.keys, err)
	}
}

// A plain file whose keys rise goes in without the DuckDB key pass, and the
// outcome is the same as before: rows in, a stored key refused, a short row
// (a missing required cell) refused with its line.
func TestImportFastScannedKeys(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	ctx := context.Background()
	dir := t.TempDir()
	head := "case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n"
	row := func(id string) string {
		return id + ",D01,I1,开办企业,online,2019-03-01 08:30:01,2019-03-01 09:00:00,1,0,completed\n"
	}
	r, err := s.ImportFile(ctx, writeFile(t, dir, "cases-2019-03.csv", head+row("SP1")+row("SP2")+row("SP3")), ImportOptions{})
	if err != nil || r.New != 3 {
		t.Fatalf("first import: %+v %v", r, err)
	}
	// Rising keys again, one of them stored: the merge finds it unchanged.
	r, err = s.ImportFile(ctx, writeFile(t, dir, "cases-2019-03b.csv", head+row("SP3")+row("SP4")), ImportOptions{})
	if err != nil || r.New != 1 || r.Unchanged != 1 {
		t.Fatalf("overlapping import: %+v %v", r, err)
	}
	_, err = s.ImportFile(ctx, writeFile(t, dir, "cases-2019-04.csv", head+row("SP5")+"SP6,D01\n"), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "cases-2019-04.csv:3:") {
		t.Fatalf("a short row: %v", err)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&n); err != nil || n != 4 {
		t.Errorf("%d cases stored (%v), want 4", n, err)
	}
}

// The key scan runs across chunk boundaries, in UTF-8 files and in the
// GB18030 transcoder, and sees a repeated key anywhere.
func TestImportFastKeyScanLargeAndGB18030(t *testing.T) {
	k, _ := KindByName("complaints")
	var b strings.Builder
	b.WriteString("诉求编号,单位编码,来源,受理时间,答复时间,办结时间,办理时限,时限单位,是否解决,满意度,是否属实,首次办结\n")
	const n = 120000 // about 9 MB: three 4 MB chunks
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "GD%08d,D01,热线,2019-03-01 08:30:01,2019-03-02 09:00:00,2019-03-03 10:00:00,5,工作日,是,满意,是,是,请尽快处理相关问题办理情况良好\n", i)
	}
	text := b.String()
	enc, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	utf := writeFile(t, dir, "complaints.csv", text)
	r1, err := scanFile(utf, k)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r2, err := gb18030ToUTF8Scan(&out, strings.NewReader(enc), k)
	if err != nil || out.String() != text {
		t.Fatalf("transcode: %v (equal %v)", err, out.String() == text)
	}
	for i, r := range []fileScan{r1, r2} {
		if !r.clean || !r.plain || !r.keys.ok || r.keys.rows != n || r.keys.lo != "GD00000000" || r.keys.hi != fmt.Sprintf("GD%08d", n-1) {
			t.Errorf("scan %d: clean %v plain %v keys %+v", i, r.clean, r.plain, r.keys)
		}
	}
	// Unsorted but distinct (the sample city's complaints are in time
	// order, their ids by source): proven by the hashes.
	lines := strings.SplitAfter(text, "\n")
	lines[1], lines[n-1] = lines[n-1], lines[1]
	r5, err := scanFile(writeFile(t, dir, "complaints-mixed.csv", strings.Join(lines, "")), k)
	if err != nil || !r5.keys.ok || r5.keys.lo != "GD00000000" || r5.keys.hi != fmt.Sprintf("GD%08d", n-1) {
		t.Errorf("unsorted keys: %+v %v", r5.keys, err)
	}
	// One key repeated near the end (in the last chunk) spoils the proof.
	bad := strings.Replace(text, fmt.Sprintf("GD%08d,", n-2), fmt.Sprintf("GD%08d,", n-3), 1)
	r3, err := scanFile(writeFile(t, dir, "complaints-bad.csv", bad), k)
	if err != nil || r3.keys.ok || !r3.plain {
		t.Errorf("a repeated key: %+v %v", r3, err)
	}
	encBad, _ := simplifiedchinese.GB18030.NewEncoder().String(bad)
	out.Reset()
	if r4, err := gb18030ToUTF8Scan(&out, strings.NewReader(encBad), k); err != nil || r4.keys.ok {
		t.Errorf("a repeated key, GB18030: %+v %v", r4.keys, err)
	}
}
