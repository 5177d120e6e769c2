package analytics

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestImportFastCleanScan(t *testing.T) {
	tests := []struct {
		name, text string
		clean      bool
	}{
		{"plain", "a,b\nA1,开办企业\nA2,x y\n", true},
		{"no final newline", "a,b\nA1,x", true},
		{"crlf", "a,b\r\nA1,x\r\n", true},
		{"space inside a cell", "a,b\nA1,x y z\n", true},
		{"leading space", "a,b\nA1, x\n", false},
		{"trailing space", "a,b\nA1,x \n", false},
		{"trailing space before crlf", "a,b\nA1,x \r\n", false},
		{"space before a comma", "a,b\nA1 ,x\n", false},
		{"tab at a line start", "a,b\n\tA1,x\n", false},
		{"space at the end of the text", "a,b\nA1,x ", false},
		{"lone carriage return", "a,b\nA1,x\ry\n", false},
		{"quoted cell with a space", "a,b\nA1,\" x\"\n", false},
		{"line break at a quoted cell's end", "a,b\nA1,\"x\n\"\n", false},
		{"quote at a line start", "a,b\n\"A1\",x\n", false},
		{"full-width digit", "a,b\nA1,１\n", false},
		{"full-width letter", "a,b\nＡ1,x\n", false},
		{"ideographic space", "a,b\nA1,x\u3000\n", false},
		{"CJK punctuation is fine", "a,b\nA1,甲、乙。\n", true},
		{"other EF characters are fine", "a,b\nA1,x\uFFFDy\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanScan([]byte(tt.text), 0, true); got != tt.clean {
				t.Errorf("cleanScan(%q) = %v, want %v", tt.text, got, tt.clean)
			}
			path := writeFile(t, t.TempDir(), "x.csv", tt.text)
			if got, err := scanFile(path, nil); err != nil || got.clean != tt.clean {
				t.Errorf("scanFile(%q).clean = %v, %v; want %v", tt.text, got.clean, err, tt.clean)
			}
		})
	}
	// A chunk that is not the text's last must end a line.
	if cleanScan([]byte("a,b\nA1,x"), 0, false) {
		t.Error("a piece cut inside a line was called clean")
	}
	// A line start in the next piece is checked against the previous piece's '\n'.
	if cleanScan([]byte(" A1,x\n"), '\n', true) {
		t.Error("a leading space after a piece boundary was missed")
	}
}

// TestImportFastDecodeMatchesLibrary checks the table-driven GB18030 decoder
// against golang.org/x/text on every two-byte sequence, four-byte characters
// and invalid bytes.
func TestImportFastDecodeMatchesLibrary(t *testing.T) {
	var src []byte
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail != 0x7F {
				src = append(src, byte(lead), byte(trail), ',')
			}
		}
		src = append(src, '\n')
	}
	lib := func(b []byte) []byte {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	check := func(name string, b []byte) {
		t.Helper()
		got, err := decodeGB18030(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := lib(b); !bytes.Equal(got, want) {
			t.Errorf("%s: decoded %d bytes differ from the library's %d", name, len(got), len(want))
		}
	}
	check("every two-byte sequence", src)
	four, _ := simplifiedchinese.GB18030.NewEncoder().String("𠀀扩展€\u00e9")
	check("four-byte characters", []byte("a,"+four+"\n"))
	check("invalid bytes", []byte("a,\x80\xff\x81\n\x81"))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		b := make([]byte, 64)
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		check(fmt.Sprintf("random %d", i), b)
	}
	// Through the chunked writer too, with the clean scan of the output.
	var out bytes.Buffer
	scan, err := gb18030ToUTF8Scan(&out, bytes.NewReader(src), nil)
	clean := scan.clean
	if err != nil || !bytes.Equal(out.Bytes(), lib(src)) {
		t.Errorf("gb18030ToUTF8Scan: err %v, equal %v", err, bytes.Equal(out.Bytes(), lib(src)))
	}
	if clean {
		t.Error("text holding full-width forms and the ideographic space was called clean")
	}
}

// TestImportFastPathMatchesTypedPath imports the same rows through the fast
// path (a clean CSV of new keys) and through the typed-table path (the same
// cells with stray spaces, re-imported over rows that differ), and expects
// identical tables and correct counts.
func TestImportFastPathMatchesTypedPath(t *testing.T) {
	ctx := context.Background()
	rows := []string{
		"A1,D01,I01,开办企业,online,2019-02-01 09:00:00,2019-02-01 10:00:00,1,0,completed",
		"A2,D02,I02,,window,2019-02-02 09:00,,3,1,pending",
		"A3,D01,I03,不动产登记,网上办理,2019/02/03 09:00,2019-02-05,5,2,办结",
		"A4,D02,I01,x,mobile,2019-02-04 08:00:00,,0,0,returned",
	}
	fast := openBad(t)
	res, err := fast.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", casesHeader+strings.Join(rows, "\n")+"\n"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 4 || res.New != 4 || res.Replaced != 0 || res.Unchanged != 0 {
		t.Errorf("fast path: %s", res)
	}
	slow := openBad(t)
	// Stored rows for A1 and A2 that the second file replaces: the typed path.
	old := casesHeader + "A1,D01,I01,旧,online,2019-02-01 09:00,,1,0,pending\nA2,D02,I02,,window,2019-02-02 09:00,,9,1,pending\n"
	if _, err := slow.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", old), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	spaced := make([]string, len(rows))
	for i, r := range rows {
		spaced[i] = strings.ReplaceAll(r, ",", " , ")
	}
	res, err = slow.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", casesHeader+strings.Join(spaced, "\n")+"\n"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 4 || res.New != 2 || res.Replaced != 2 || res.Unchanged != 0 {
		t.Errorf("typed path: %s", res)
	}
	if a, b := dataChecksums(t, fast)["cases"], dataChecksums(t, slow)["cases"]; a != b {
		t.Errorf("the two paths stored different cases: %s vs %s", a, b)
	}
	// Importing the clean file again changes nothing.
	res, err = fast.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", casesHeader+strings.Join(rows, "\n")+"\n"), ImportOptions{})
	if err != nil || res.New != 0 || res.Replaced != 0 || res.Unchanged != 4 {
		t.Errorf("re-import: %s, %v", res, err)
	}
}

// TestImportFastKeysInStoredRange covers a file of new keys that lie inside
// the stored key range (the range look finds stored rows, so the file is
// merged): nothing stored is touched and the counts are right.
func TestImportFastKeysInStoredRange(t *testing.T) {
	ctx := context.Background()
	s := openBad(t)
	first := casesHeader + "A1,D01,I01,,online,2019-02-01 09:00,,1,0,pending\nA9,D01,I01,,online,2019-02-01 09:00,,1,0,pending\n"
	if _, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", first), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	second := casesHeader + "A5,D02,I01,,window,2019-02-03 09:00,,2,0,pending\nA9,D01,I01,,online,2019-02-01 09:00,,1,0,pending\n"
	res, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", second), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 1 || res.Replaced != 0 || res.Unchanged != 1 {
		t.Errorf("got %s, want 1 new, 1 unchanged", res)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&n); err != nil || n != 3 {
		t.Errorf("cases holds %d rows (%v), want 3", n, err)
	}
}

// TestImportFastBadRowRollsBack checks that a bad row met by the one-pass
// insert leaves nothing behind and still gives the typed path's message.
func TestImportFastBadRowRollsBack(t *testing.T) {
	ctx := context.Background()
	s := openBad(t)
	before := checksums(t, s)
	body := casesHeader + "A1,D01,I01,,online,2019-02-01 09:00,,1,0,pending\nA2,D01,I01,,online,2019-02-01 09:00,,-1,0,pending\n"
	_, err := s.ImportFile(ctx, writeFile(t, t.TempDir(), "cases.csv", body), ImportOptions{})
	if err == nil || err.Error() != "cases.csv:3: promised_days: -1 is negative" {
		t.Errorf("got %v", err)
	}
	if after := checksums(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("database changed by a refused file")
	}
}
