package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
)

// Exports: every table of the dashboard pages as CSV (UTF-8 with a BOM, so
// Excel reads the Chinese right) or XLSX. GET /export/:table takes the
// page's own query plus format=csv|xlsx.
//
// Names come from imported spreadsheets, so a cell may hold a formula in
// disguise (=HYPERLINK(…), =cmd|' /C calc'!A0): every text cell starting
// with =, +, -, @, a tab or a carriage return gets a leading apostrophe,
// which spreadsheets read as "text, not a formula" (OWASP's CSV injection
// advice). Numbers are written as numbers and never touched.

// exportTable is one exportable table. Cells are string, int, float64 or
// nil (empty); only strings are neutralised.
type exportTable struct {
	Name   string // Chinese title: the sheet and the file name
	ASCII  string // the file name for clients without RFC 5987
	Header []string
	Rows   [][]any
}

// exportInt and exportF turn optional values into cells.
func exportInt(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

func exportF(v *float64) any {
	if v == nil {
		return nil
	}
	return round2(*v)
}

// exportPct is a fraction as a percentage with 2 decimals (97.83 for 0.9783).
func exportPct(v *float64) any {
	if v == nil {
		return nil
	}
	return round2(*v * 100)
}

// neutralise makes a text cell inert in a spreadsheet.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportText is a cell as CSV text: numbers plainly, text neutralised.
func exportText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return neutralise(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return neutralise(fmt.Sprint(v))
}

// exportCell is a cell for excelize: numbers stay numbers.
func exportCell(v any) any {
	switch x := v.(type) {
	case nil, int, float64:
		return x
	case string:
		return neutralise(x)
	}
	return neutralise(fmt.Sprint(v))
}

// writeCSV encodes a table as UTF-8 CSV with a BOM and CRLF line ends.
func writeCSV(t exportTable) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = neutralise(h)
	}
	_ = w.Write(header)
	rec := make([]string, len(t.Header))
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, v := range row {
			rec = append(rec, exportText(v))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// exportSheetName is a valid sheet name: at most 31 characters, none of
// []:*?/\ and not starting or ending with an apostrophe.
func exportSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if rs := []rune(s); len(rs) > 31 {
		s = string(rs[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}

// writeXLSX encodes a table as one sheet, the header in bold and frozen.
func writeXLSX(t exportTable) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	name := exportSheetName(t.Name)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: bold, Value: neutralise(h)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	for i, row := range t.Rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = exportCell(v)
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), cells); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// rfc5987 percent-encodes a UTF-8 value for filename*= (every byte that is
// not an attr-char of RFC 5987).
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// asciiFileName keeps letters, digits, '-', '_' and '.' of a fallback name.
func asciiFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// fileName replaces what no file system or browser accepts in a file name
// (path separators, reserved and control characters) with '_': a unit name
// is free text from a spreadsheet.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, s)
}

// contentDisposition names the attachment in ASCII and, for every browser
// of the last decade, in Chinese (RFC 6266 with RFC 5987's filename*).
func contentDisposition(t exportTable, ext string) string {
	return fmt.Sprintf(`attachment; filename="%s.%s"; filename*=UTF-8''%s.%s`, asciiFileName(t.ASCII), ext, rfc5987(fileName(t.Name)), ext)
}

// exportTableOf builds the table named in the path from the page's query.
func (s *Server) exportTableOf(c echo.Context) (exportTable, error) {
	switch c.Param("table") {
	case "ranking":
		p, rk, err := s.dashData(c)
		if err != nil {
			return exportTable{}, err
		}
		if p.Empty {
			return exportTable{}, echo.NewHTTPError(http.StatusNotFound, "尚无已发布的排名")
		}
		return dashRankingTable(p, rk), nil
	case "indicators":
		p, err := s.unitData(c, c.QueryParam("unit"))
		if err != nil {
			return exportTable{}, err
		}
		return unitIndicatorTable(p), nil
	case "counties":
		p, err := s.cntyData(c)
		if err != nil {
			return exportTable{}, err
		}
		return cntyTable(p), nil
	case "interviews":
		p, err := s.cntyData(c)
		if err != nil {
			return exportTable{}, err
		}
		return cntyInterviewTable(p), nil
	case "alerts":
		p, err := s.alertsData(c, false)
		if err != nil {
			return exportTable{}, err
		}
		return alertsTable(p), nil
	case "annual":
		p, err := s.annualData(c)
		if err != nil {
			return exportTable{}, err
		}
		if p.Empty {
			return exportTable{}, echo.NewHTTPError(http.StatusNotFound, "该年度尚无已发布的轮次")
		}
		return annualTable(p), nil
	}
	return exportTable{}, echo.NewHTTPError(http.StatusNotFound, "没有这个可导出的表格")
}

// export answers GET /export/:table?…&format=csv|xlsx.
func (s *Server) export(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return echo.NewHTTPError(http.StatusBadRequest, "导出格式应为 csv 或 xlsx")
	}
	t, err := s.exportTableOf(c)
	if err != nil {
		return err
	}
	var b []byte
	var ctype string
	if format == "csv" {
		b, err = writeCSV(t)
		ctype = "text/csv; charset=utf-8"
	} else {
		b, err = writeXLSX(t)
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, contentDisposition(t, format))
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, ctype, b)
}
