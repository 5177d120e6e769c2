package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"
)

// stageXLSX streams the rows of one sheet (the first, or the named one) into
// an all-VARCHAR staging table through the Appender.
func (s *Store) stageXLSX(ctx context.Context, conn *sql.Conn, k *Kind, path, name, sheet, tag string, progress func(int64)) (*staged, error) {
	if err := checkXLSXPackage(path); err != nil {
		return nil, fileError(name, err)
	}
	wb, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: XLSXMaxUnpacked, UnzipXMLSizeLimit: XLSXMaxInMemory, TmpDir: s.tempDir})
	if err != nil {
		return nil, fileError(name, fmt.Errorf("not a readable .xlsx file (%s)", firstLine(err.Error())))
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, fileError(name, errors.New("the workbook has no sheet"))
		}
		sheet = sheets[0]
	} else if idx, _ := wb.GetSheetIndex(sheet); idx < 0 {
		return nil, fileError(name, fmt.Errorf("no sheet %q (sheets: %s)", sheet, strings.Join(sheets, ", ")))
	}
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, fileError(name, fmt.Errorf("sheet %q: %s", sheet, firstLine(err.Error())))
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, fileError(name, errors.New("file is empty"))
	}
	header, err := rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fileError(name, fmt.Errorf("row 1: %s", firstLine(err.Error())))
	}
	if allEmpty(header) {
		return nil, fileError(name, errors.New("file is empty (no header in row 1)"))
	}
	cols, st, err := mapHeader(k, name, header)
	if err != nil {
		return nil, err
	}
	tbl := "stg_" + tag
	st.lines = true
	st.cleanup = append(st.cleanup, "table:"+tbl)
	if err := createStageTable(ctx, conn, tbl, cols); err != nil {
		return st, err
	}
	isDate := make([]bool, len(cols))
	for i, c := range cols {
		if col, ok := k.Column(c); ok {
			isDate[i] = col.Type == Date || col.Type == DateTime
		}
	}
	err = withAppender(conn, tbl, func(a *duckdb.Appender) error {
		line := int64(1)
		vals := make([]driver.Value, 0, len(cols)+1)
		for rows.Next() {
			line++
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return &ImportError{File: name, Problems: []Problem{{Line: int(line), Reason: firstLine(err.Error())}}, Total: 1, BadRows: 1}
			}
			if allEmpty(cells) {
				continue
			}
			vals = append(vals[:0], line)
			for i, c := range cols {
				if c == "" {
					continue
				}
				var v string
				if i < len(cells) {
					v = cells[i]
				}
				if isDate[i] {
					v = excelSerial(v)
				}
				if v == "" {
					vals = append(vals, nil)
				} else {
					vals = append(vals, v)
				}
			}
			if err := a.AppendRow(vals...); err != nil {
				return err
			}
			st.rows++
			if progress != nil && st.rows%50000 == 0 {
				progress(st.rows)
			}
		}
		return rows.Error()
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return st, err
		}
		return st, fileError(name, fmt.Errorf("reading rows: %s", firstLine(err.Error())))
	}
	return st, nil
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// excelEpoch is day 0 of Excel's 1900 date system (after its 1900 leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial turns a raw numeric date cell (days since 1899-12-30, time as
// the fraction) into text the date parser reads; other text is returned as is.
func excelSerial(v string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 1 || f > 2958465 || strings.Count(v, "-") > 0 {
		return v
	}
	secs := math.Round(f * 86400)
	t := excelEpoch.Add(time.Duration(secs) * time.Second)
	if secs == math.Trunc(f)*86400 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}
