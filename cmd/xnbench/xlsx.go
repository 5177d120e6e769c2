package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

const xlsxRows = 200000

// benchXLSXChild runs benchXLSX in a fresh process of this binary, as a user
// runs an import (xiaoneng import, or a request to a server): the bench's own
// process has by then run every other phase, whose heap and threads are no
// part of an import.
func benchXLSXChild(ctx context.Context, out string, scale fixtures.Scale, mem string) ([]row, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-xlsx-only", "-out", out, "-scale", string(scale), "-memory-limit", mem)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	var f []string
	if err := json.Unmarshal(b, &f); err != nil || len(f) != 4 {
		return nil, fmt.Errorf("xlsx: reading the child's row: %v", err)
	}
	return []row{{f[0], f[1], f[2], f[3] + "; in a fresh process"}}, nil
}

// benchXLSX writes the first rows of a cases CSV as an XLSX workbook and times
// importing it into a fresh database that already holds the units.
func benchXLSX(ctx context.Context, out, data, mem string) ([]row, error) {
	csvs, err := filesOf(data, "cases")
	if err != nil || len(csvs) == 0 {
		return nil, fmt.Errorf("no cases CSV in %s: %v", data, err)
	}
	path := filepath.Join(out, fmt.Sprintf("cases-bench-%d.xlsx", xlsxRows))
	n, err := csvToXLSX(csvs[0], path, xlsxRows)
	if err != nil {
		return nil, err
	}
	st, err := freshStore(ctx, filepath.Join(out, "bench-xlsx.duckdb"), mem)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	units, err := kindFiles(data, "units", "")
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if _, err := st.ImportFile(ctx, u, analytics.ImportOptions{Actor: "bench"}); err != nil {
			return nil, err
		}
	}
	t := time.Now()
	if _, err := st.ImportFile(ctx, path, analytics.ImportOptions{Actor: "bench"}); err != nil {
		return nil, err
	}
	d := time.Since(t)
	return []row{{"cases import from XLSX", fmt.Sprintf("%s rows in %.2f s = %s rows/s", thousands(int64(n)), d.Seconds(), thousands(int64(float64(n)/d.Seconds()))), "≥ 20,000 rows/s", "streamed with excelize into the DuckDB Appender"}}, nil
}

// csvToXLSX copies up to limit data rows of a CSV file into a new workbook
// through excelize's stream writer.
func csvToXLSX(src, dst string, limit int) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	wb := excelize.NewFile()
	defer wb.Close()
	sw, err := wb.NewStreamWriter("Sheet1")
	if err != nil {
		return 0, err
	}
	n := 0
	for i := 0; n < limit; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		cells := make([]any, len(rec))
		for j, v := range rec {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return 0, err
		}
		if i > 0 {
			n++
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	return n, wb.SaveAs(dst)
}

// utf8Copy writes a UTF-8 copy of a GB18030 file for DuckDB's own reader.
func utf8Copy(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "plain-*.csv")
	if err != nil {
		return "", err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	if _, err := io.Copy(w, transform.NewReader(bufio.NewReaderSize(in, 1<<20), simplifiedchinese.GB18030.NewDecoder())); err != nil {
		return "", err
	}
	return out.Name(), w.Flush()
}
