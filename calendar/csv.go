package calendar

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxRowErrors is how many bad rows ParseCSV lists before it only counts.
const maxRowErrors = 100

// dateLayouts are the accepted spellings of a date; one- and two-digit
// months and days are both accepted.
var dateLayouts = []string{"2006-1-2", "2006/1/2", "2006年1月2日", "20060102"}

// columnNames maps the accepted header spellings to the canonical column.
var columnNames = map[string]string{
	"date": "date", "日期": "date",
	"kind": "kind", "类型": "kind",
	"name": "name", "名称": "name",
}

// ParseCSV parses a holidays.csv: a header row, then one row per date with
// the columns date (日期, e.g. 2027-01-01), kind (类型: holiday/休 or
// workday/班) and the optional name (名称). Column order does not matter
// and unknown columns are ignored. The input is UTF-8, with or without a
// byte order mark. file names the input in error messages.
//
// Every bad row is reported, up to 100, each on its own line as
// "file:line: column: reason"; the returned error then joins them (see
// errors.Join). A date given twice is a bad row. The result is nil on error.
func ParseCSV(r io.Reader, file string) ([]Entry, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s:1: header: file is empty", file)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		key, ok := columnNames[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			continue
		}
		if _, dup := cols[key]; dup {
			return nil, fmt.Errorf("%s:1: %s: column given twice", file, key)
		}
		cols[key] = i
	}
	for _, key := range []string{"date", "kind"} {
		if _, ok := cols[key]; !ok {
			return nil, fmt.Errorf("%s:1: %s: missing column", file, key)
		}
	}
	var (
		entries []Entry
		errs    []error
		bad     int
		seen    = map[time.Time]int{}
	)
	fail := func(line int, col, format string, args ...any) {
		bad++
		if bad <= maxRowErrors {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %s", file, line, col, fmt.Sprintf(format, args...)))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvError(file, err))
			break
		}
		line, _ := cr.FieldPos(0)
		field := func(key string) string {
			if i, ok := cols[key]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		e := Entry{Name: field("name")}
		ok := true
		if d, reason := parseDate(field("date")); reason != "" {
			fail(line, "date", "%s", reason)
			ok = false
		} else if prev, dup := seen[d]; dup {
			fail(line, "date", "%s given twice (first on line %d)", d.Format(time.DateOnly), prev)
			ok = false
		} else {
			seen[d] = line
			e.Date = d
		}
		switch k := field("kind"); strings.ToLower(k) {
		case "holiday", "休":
			e.Kind = Holiday
		case "workday", "班":
			e.Kind = Workday
		case "":
			fail(line, "kind", "is required (holiday/休 or workday/班)")
			ok = false
		default:
			fail(line, "kind", "%q is not holiday/休 or workday/班", k)
			ok = false
		}
		if ok {
			entries = append(entries, e)
		}
	}
	if bad > maxRowErrors {
		errs = append(errs, fmt.Errorf("%s: %d more bad rows", file, bad-maxRowErrors))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return entries, nil
}

// parseDate parses s in one of dateLayouts, or returns a reason.
func parseDate(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, "is required"
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, ""
		}
	}
	return time.Time{}, fmt.Sprintf("%s is not a date", s)
}

// csvError formats a malformed-CSV error as file:line: csv: reason.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: csv: %v", file, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", file, err)
}
