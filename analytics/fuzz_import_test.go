package analytics

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The whole-file fuzzers import fuzzed files into an in-memory store holding
// a few units, groups and evaluators. Whatever the bytes, an import either
// succeeds, its counts adding up to the rows written, or returns an
// *ImportError naming the file (and lines within it) while the table and the
// import log are exactly as before: never a panic, never a half-written table.

// fuzzKinds are the kinds a fuzzed file is imported as (chosen by one byte):
// two that others reference and two that reference others.
var fuzzKinds = []string{"units", "evaluators", "peer_scores", "cases"}

// fuzzStore opens the in-memory store of one fuzz function.
func fuzzStore(f *testing.F) *Store {
	s, err := Open(context.Background(), Options{Path: ":memory:", Threads: 1, MemoryLimit: "512MB", TempDir: filepath.Join(f.TempDir(), "tmp")})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	dir := f.TempDir()
	for _, x := range []struct{ name, body string }{{"units.csv", baseUnits}, {"work_groups.csv", baseGroups}, {"evaluators.csv", baseEvaluators}} {
		p := filepath.Join(dir, x.name)
		if err := os.WriteFile(p, []byte(x.body), 0o644); err != nil {
			f.Fatal(err)
		}
		if _, err := s.ImportFile(context.Background(), p, ImportOptions{}); err != nil {
			f.Fatalf("import %s: %v", x.name, err)
		}
	}
	return s
}

// tableState is a fingerprint of a table's rows and of the import log.
func tableState(t *testing.T, s *Store, table string) (rows int64, digest string, logRows int64) {
	t.Helper()
	q := fmt.Sprintf("SELECT count(*), coalesce(md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))), '') FROM %s t", ident(table))
	if err := s.DB().QueryRow(q).Scan(&rows, &digest); err != nil {
		t.Fatalf("state of %s: %v", table, err)
	}
	if err := s.DB().QueryRow("SELECT count(*) FROM import_log").Scan(&logRows); err != nil {
		t.Fatal(err)
	}
	return rows, digest, logRows
}

// importChecked imports path as kind and checks the outcome against the
// table before and after; maxLine > 0 bounds the lines an error may name.
func importChecked(t *testing.T, s *Store, kind, path, name string, maxLine int) {
	t.Helper()
	n0, d0, l0 := tableState(t, s, kind)
	res, err := s.ImportFile(context.Background(), path, ImportOptions{Kind: kind, Name: name})
	n1, d1, l1 := tableState(t, s, kind)
	if err != nil {
		var ie *ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("import as %s: not an *ImportError: %v", kind, err)
		}
		if ie.File != name || len(ie.Problems) == 0 || ie.Total < len(ie.Problems) {
			t.Fatalf("import as %s: malformed error (file %q, %d problems, total %d): %v", kind, ie.File, len(ie.Problems), ie.Total, err)
		}
		for _, p := range ie.Problems {
			if p.Line < 0 || (maxLine > 0 && p.Line > maxLine) {
				t.Errorf("import as %s: problem on line %d of a file of %d lines: %s", kind, p.Line, maxLine, p.Format(name))
			}
			if !strings.HasPrefix(p.Format(name), name+":") {
				t.Errorf("problem does not start with the file name: %s", p.Format(name))
			}
		}
		if n1 != n0 || d1 != d0 || l1 != l0 {
			t.Fatalf("import as %s refused (%v) but the table changed: %d rows → %d, log %d → %d", kind, firstLine(err.Error()), n0, n1, l0, l1)
		}
		return
	}
	if res.Rows <= 0 || res.New+res.Replaced+res.Unchanged != res.Rows {
		t.Fatalf("import as %s: counts do not add up: %+v", kind, res)
	}
	if n1-n0 != res.New || l1 != l0+1 {
		t.Fatalf("import as %s: %d new rows reported, the table grew by %d; log %d → %d", kind, res.New, n1-n0, l0, l1)
	}
	if res.New+res.Replaced == 0 && d1 != d0 {
		t.Fatalf("import as %s: nothing new or replaced, yet the table changed", kind)
	}
}

var csvFileSeeds = []string{
	baseUnits,
	"unit_id,name,kind,category\nD09,新单位,department,经济发展类\n",
	"单位编码,单位名称,类型,考评类别\r\nD01,市发改委,部门,经济发展类\r\n",
	"unit_id,name,kind,category\nD09,\"a \"\"quoted\"\"\nname\",department,x\n",
	"unit_id,name,kind,category\nD09,\"unclosed,department,x\n",
	"unit_id,name,kind,category\nD09,a,department,x,extra\n",
	"unit_id,name,kind,category\nD09,a\n",
	"unit_id,name,kind,category\n",
	"unit_id,unit_id,name,kind,category\nD09,D09,a,department,x\n",
	"",
	"\ufeffunit_id,name,kind,category\nD09,名,department,x\n",
	"unit_id,name,kind,category\nD09,\u202e名称,department,x\n",
	"unit_id,name,kind,category\nD09,a\x00b,department,x\n",
	"unit_id,name,kind,category\nD09,=cmd|' /C calc'!A0,department,x\n",
	"evaluator_id,name,class,unit_id,group_ids\nE09,赵六,member_head,D03,G01\n",
	"evaluator_id,name,class,unit_id,group_ids\nE09,赵六,leader,,G01;G99\n",
	"round,evaluator_id,unit_id,group_id,score,comment\n2019-B1,E02,D02,G01,88,\n2019-B1,E02,D03,G01,101,\n",
	"round,evaluator_id,unit_id,group_id,score,comment\n2019-B1,E03,D01,G01,45,差\n",
	"case_id,unit_id,item_code,item_name,channel,received_at,promised_days,completed_at,status\nK1,D01,I1,事项,online,2019-03-01 09:00,5,2019-03-04 10:00,completed\n",
	"case_id,unit_id,item_code,channel,received_at,promised_days,status\nK1,D01,I1,window,2019-02-30,5,pending\nK1,D01,I1,window,2019-03-01,x,pending\n",
	"\xff\xfe\x00u\x00n\x00i\x00t\x00_\x00i\x00d\x00",
	"\xb5\xa5\xce\xbb,name,kind,category\n",
}

func FuzzImportCSV(f *testing.F) {
	s := fuzzStore(f)
	dir := f.TempDir()
	for i, seed := range csvFileSeeds {
		f.Add(uint8(i%len(fuzzKinds)), []byte(seed))
		for k := range fuzzKinds {
			if strings.HasPrefix(seed, "round,") && fuzzKinds[k] == "peer_scores" || strings.HasPrefix(seed, "case_id") && fuzzKinds[k] == "cases" ||
				strings.HasPrefix(seed, "evaluator_id") && fuzzKinds[k] == "evaluators" {
				f.Add(uint8(k), []byte(seed))
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		kind := fuzzKinds[int(which)%len(fuzzKinds)]
		p := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		// Lines a message may name: the file's lines, counting a last line
		// without its newline and the header line of an empty file.
		lines := bytes.Count(body, []byte{'\n'}) + bytes.Count(body, []byte{'\r'}) + 1
		importChecked(t, s, kind, p, "fuzz.csv", lines)
	})
}

// sheetZip is an .xlsx package around one worksheet's XML, written by hand so
// that the fuzzer reaches the sheet parser with any XML it likes.
func sheetZip(sheetXML []byte) []byte {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, p := range parts {
		w, _ := z.Create(p.name)
		w.Write([]byte(p.body))
	}
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	w.Write(sheetXML)
	z.Close()
	return b.Bytes()
}

// sheetXML writes rows of inline-string cells as worksheet XML.
func sheetXML(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, r := range rows {
		fmt.Fprintf(&b, `<row r="%d">`, i+1)
		for j, c := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var esc bytes.Buffer
			xmlEscape(&esc, c)
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, esc.String())
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

func xmlEscape(b *bytes.Buffer, s string) {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	b.WriteString(r.Replace(s))
}

func FuzzImportXLSX(f *testing.F) {
	s := fuzzStore(f)
	dir := f.TempDir()
	unitsHdr := []string{"unit_id", "name", "kind", "category"}
	seeds := []string{
		sheetXML(unitsHdr, []string{"D09", "新单位", "department", "经济发展类"}),
		sheetXML(unitsHdr, []string{"D09", "新单位", "部门", "x"}, []string{"D09", "重复", "部门", "x"}),
		sheetXML(unitsHdr),
		sheetXML(),
		sheetXML(unitsHdr, []string{"D09", "\u202e名称", "department", "x"}),
		sheetXML([]string{"round", "evaluator_id", "unit_id", "group_id", "score"}, []string{"2019-B1", "E02", "D02", "G01", "88"}),
		sheetXML([]string{"case_id", "unit_id", "item_code", "channel", "received_at", "promised_days", "status"},
			[]string{"K1", "D01", "I1", "window", "43525.375", "5", "pending"}),
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1048577"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="0"><c r="A0"><v>1</v></c></row><row r="-1"/></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c r="B2" t="n"><v>NaN</v></c><c t="e"><v>#REF!</v></c><c t="b"><v>2</v></c></row></sheetData></worksheet>`,
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>`,
		`<worksheet`,
	}
	for i, sx := range seeds {
		f.Add(uint8(i%len(fuzzKinds)), []byte(sx))
		f.Add(uint8(0), []byte(sx))
	}
	f.Add(uint8(0), []byte("PK\x03\x04 not a zip"))
	f.Fuzz(func(t *testing.T, which uint8, sheet []byte) {
		kind := fuzzKinds[int(which)%len(fuzzKinds)]
		p := filepath.Join(dir, "fuzz.xlsx")
		body := sheet
		if !bytes.HasPrefix(sheet, []byte("PK")) {
			body = sheetZip(sheet)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		importChecked(t, s, kind, p, "fuzz.xlsx", 0)
	})
}
