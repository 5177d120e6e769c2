package analytics

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// deflateChunk compresses b as a self-contained, non-final run of deflate
// blocks (no back-reference reaches before it), so copies can be chained.
func deflateChunk(t *testing.T, b []byte, final bool) []byte {
	t.Helper()
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	w.Write(b)
	if final {
		w.Close()
	} else {
		w.Flush()
	}
	return out.Bytes()
}

// bombXLSX writes a genuine zip bomb: a valid workbook whose one sheet is
// head + body×copies + tail, declared with its true size and CRC, built from
// one compressed copy of body repeated (seconds to write, gigabytes to unpack).
// extra adds parts verbatim.
func bombXLSX(t *testing.T, path string, copies int, extra map[string][]byte) (unpacked uint64) {
	t.Helper()
	head := []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>unit_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>kind</t></is></c><c r="D1" t="inlineStr"><is><t>category</t></is></c></row>`)
	body := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>`+strings.Repeat("a", 200)+`</t></is></c></row>`), 4096)
	tail := []byte(`</sheetData></worksheet>`)
	zh, zb, zt := deflateChunk(t, head, false), deflateChunk(t, body, false), deflateChunk(t, tail, true)
	crc := crc32.Update(0, crc32.IEEETable, head)
	for range copies {
		crc = crc32.Update(crc, crc32.IEEETable, body)
	}
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	unpacked = uint64(len(head)) + uint64(copies)*uint64(len(body)) + uint64(len(tail))

	var pkg bytes.Buffer
	z := zip.NewWriter(&pkg)
	for name, b := range extra {
		w, _ := z.Create(name)
		w.Write(b)
	}
	// The package parts of sheetZip, then the bomb as a raw deflate entry.
	src, err := zip.NewReader(bytes.NewReader(sheetZip(nil)), int64(len(sheetZip(nil))))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range src.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		r, _ := f.Open()
		w, _ := z.Create(f.Name)
		var b bytes.Buffer
		b.ReadFrom(r)
		w.Write(b.Bytes())
	}
	compressed := uint64(len(zh)) + uint64(copies)*uint64(len(zb)) + uint64(len(zt))
	w, err := z.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: compressed, UncompressedSize64: unpacked})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(zh)
	for range copies {
		w.Write(zb)
	}
	w.Write(zt)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pkg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return unpacked
}

// importRefused imports path as kind, requires an *ImportError holding want
// and the table unchanged, and returns the Go heap allocated meanwhile.
func importRefused(t *testing.T, s *Store, path, kind, want string) (allocated uint64) {
	t.Helper()
	var before, after runtime.MemStats
	n0 := rowCount(t, s, kind)
	runtime.ReadMemStats(&before)
	_, err := s.ImportFile(context.Background(), path, ImportOptions{Kind: kind})
	runtime.ReadMemStats(&after)
	var ie *ImportError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) {
		t.Fatalf("import %s: got %v, want an *ImportError with %q", filepath.Base(path), err, want)
	}
	if n := rowCount(t, s, kind); n != n0 {
		t.Fatalf("refused import changed %s: %d rows → %d", kind, n0, n)
	}
	return after.TotalAlloc - before.TotalAlloc
}

func rowCount(t *testing.T, s *Store, table string) int {
	t.Helper()
	return count(t, s, "SELECT count(*) FROM "+ident(table))
}

// TestHostileZipBombXLSXRefused: workbooks that unpack to gigabytes are
// refused from their zip directory, before anything is unpacked: Go's heap
// grows by less than 64 MB and nothing reaches the temp directory.
func TestHostileZipBombXLSXRefused(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()

	big := filepath.Join(dir, "units-bomb.xlsx")
	size := bombXLSX(t, big, 5000, nil) // 4.4 GB of sheet XML
	if fi, _ := os.Stat(big); size < 4<<30 || fi.Size() > 32<<20 {
		t.Fatalf("the bomb unpacks to %d bytes from %d; want > 4 GiB from < 32 MB", size, fi.Size())
	}
	if a := importRefused(t, s, big, "units", "unpacks to more than 2 GB; it is refused as a possible zip bomb"); a > 64<<20 {
		t.Errorf("refusing the bomb allocated %d MB", a>>20)
	}

	// Under the total limit, but 1 GB out of a few MB: refused by its ratio.
	dense := filepath.Join(dir, "units-dense.xlsx")
	bombXLSX(t, dense, 1100, nil)
	if a := importRefused(t, s, dense, "units", "expands 1"); a > 64<<20 {
		t.Errorf("refusing the dense sheet allocated %d MB", a>>20)
	}

	// A part that excelize would read into memory: refused from 64 MB on.
	styles := filepath.Join(dir, "units-styles.xlsx")
	bombXLSX(t, styles, 1, map[string][]byte{"xl/styles.xml": bytes.Repeat([]byte(" "), 65<<20)})
	importRefused(t, s, styles, "units", "xl/styles.xml unpacks to 65 MB")

	// A small, honest sheet of the same package still imports.
	ok := filepath.Join(dir, "units-ok.xlsx")
	if err := os.WriteFile(ok, sheetZip([]byte(sheetXML([]string{"unit_id", "name", "kind", "category"}, []string{"D09", "新单位", "department", "经济发展类"}))), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := s.ImportFile(context.Background(), ok, ImportOptions{}); err != nil || res.New != 1 {
		t.Fatalf("honest workbook: %+v %v", res, err)
	}
	ents, _ := os.ReadDir(s.tempDir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "excelize-") {
			t.Errorf("excelize left %s in the temp directory", e.Name())
		}
	}
}

// TestHostileMillionCharacterCells: a cell of 10⁶ characters, in CSV (ASCII
// and Chinese, 1 and 3 MB) or XLSX, is refused at its line with its length;
// one of 32,767 (Excel's limit) imports whole.
func TestHostileMillionCharacterCells(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	const want = "units.csv:3: name: holds 1000000 characters, more than the 32767 a cell may hold"
	for _, long := range []string{strings.Repeat("a", 1_000_000), strings.Repeat("网", 1_000_000)} {
		p := writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD08,短,department,x\nD09,"+long+",department,x\n")
		importRefused(t, s, p, "units", want)
	}
	x := filepath.Join(dir, "units.xlsx")
	os.WriteFile(x, sheetZip([]byte(sheetXML([]string{"unit_id", "name", "kind", "category"}, []string{"D08", "短", "department", "x"},
		[]string{"D09", strings.Repeat("网", 1_000_000), "department", "x"}))), 0o644)
	importRefused(t, s, x, "units", "units.xlsx:3: name: holds 1000000 characters")
	// A long value in a typed column is refused the same way, and the
	// message quotes no more than 60 characters of it.
	p := writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD09,x,"+strings.Repeat("b", 1_000_000)+",x\n")
	_, err := s.ImportFile(context.Background(), p, ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "kind: holds 1000000 characters") || len(err.Error()) > 1000 {
		t.Errorf("long enum cell: %.300v", err)
	}

	// A line beyond what any export holds is refused by the reader, at its line.
	p = writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD08,短,department,x\nD09,"+strings.Repeat("网", 3_000_000)+",department,x\n")
	importRefused(t, s, p, "units", "units.csv:3: the line is longer than 8 MB (a cell holds at most 32767 characters)")

	edge := strings.Repeat("网", MaxCellChars)
	p = writeFile(t, dir, "units.csv", "unit_id,name,kind,category\nD09,"+edge+",department,x\n")
	if _, err := s.ImportFile(context.Background(), p, ImportOptions{}); err != nil {
		t.Fatalf("a cell of %d characters: %.300v", MaxCellChars, err)
	}
	var got string
	if err := s.DB().QueryRow("SELECT name FROM units WHERE unit_id = 'D09'").Scan(&got); err != nil || got != edge {
		t.Errorf("the %d-character name came back with %d characters (%v)", MaxCellChars, len([]rune(got)), err)
	}
}

// TestHostileControlAndBidiCharacters: control characters and text-direction
// marks are refused in names, identifiers and free text (free text keeps tab
// and line breaks), and no message quotes them: they appear as <U+202E>.
func TestHostileControlAndBidiCharacters(t *testing.T) {
	s := openTest(t)
	importBase(t, s)
	dir := t.TempDir()
	hdr := "unit_id,name,kind,category\n"
	refused := []struct{ name, row, want string }{
		{"right-to-left override in a name", "D09,\u202e局务政市,department,x", "units.csv:2: name: contains the invisible character U+202E"},
		{"isolate in a name", "D09,市\u2067局,department,x", "U+2067"},
		{"right-to-left mark in an id", "D0\u200f9,市局,department,x", "units.csv:2: unit_id: contains the invisible character U+200F"},
		{"NUL in a name", "D09,市\x00局,department,x", "U+0000"},
		{"bell in a category", "D09,市局,department,a\x07b", "category: contains the invisible character U+0007"},
		{"C1 control in a name", "D09,市\u0085局,department,x", "U+0085"},
		{"tab inside an id", "D0\t9,市局,department,x", "unit_id: contains the invisible character U+0009"},
		{"line break inside an id", "\"D0\n9\",市局,department,x", "unit_id: contains the invisible character U+000A"},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			p := writeFile(t, dir, "units.csv", hdr+r.row+"\n")
			importRefused(t, s, p, "units", r.want)
			_, err := s.ImportFile(context.Background(), p, ImportOptions{})
			if strings.ContainsFunc(err.Error(), Invisible) {
				t.Errorf("the message holds the character itself: %q", err.Error())
			}
		})
	}
	// Free text keeps a tab and a line break inside.
	p := writeFile(t, dir, "units.csv", hdr+"D09,\"市\t数据\n管理局\",department,x\n")
	if _, err := s.ImportFile(context.Background(), p, ImportOptions{}); err != nil {
		t.Fatalf("tab and line break in a name: %v", err)
	}
	// A hostile file name is shown by code point, never as itself.
	evil := writeFile(t, dir, "units\u202Evsc.csv", hdr+"D09,\u202e局,department,x\n")
	_, err := s.ImportFile(context.Background(), evil, ImportOptions{Kind: "units"})
	if err == nil || !strings.HasPrefix(err.Error(), "units<U+202E>vsc.csv:2: name:") || strings.ContainsFunc(err.Error(), Invisible) {
		t.Errorf("hostile file name: %q", err)
	}
}
