package analytics

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// staged describes the staging table built from one file: a view or table
// named stg with a line column and one VARCHAR column per present column.
type staged struct {
	csv      bool    // staged from a CSV file through a view over read_csv
	lines    bool    // the line column holds file lines (always, except a CSV view)
	pad      bool    // read_csv pads short rows (slower; only after a short row was met)
	clean    bool    // no cell can change under normalisation (cleanScan): cells are typed as read
	plain    bool    // no cell can break a character rule (fileScan.plain)
	keys     keyScan // the key column as the scan read it (fileScan.keys)
	csvSrc   string
	csvSpec  string
	csvSel   []string
	sha256   string // of the file, when staging already read it whole
	present  map[string]bool
	warnings []string
	rows     int64
	encoding Encoding
	cleanup  []string // tables, views and files to drop afterwards
}

// mapHeader maps raw header cells to column names, refusing duplicates and
// missing required columns, and warning about unknown ones.
func mapHeader(k *Kind, name string, header []string) (cols []string, st *staged, err error) {
	idx := headerIndex(k)
	st = &staged{present: map[string]bool{}}
	var probs []Problem
	cols = make([]string, len(header))
	for i, h := range header {
		c, ok := idx[foldHeader(h)]
		switch {
		case strings.TrimSpace(h) == "":
			cols[i] = ""
		case !ok:
			st.warnings = append(st.warnings, fmt.Sprintf("%s:1: column %q is not used by %s and was ignored", name, strings.TrimSpace(h), k.Name))
		case st.present[c]:
			probs = append(probs, Problem{Line: 1, Column: c, Reason: fmt.Sprintf("column appears twice (%q)", strings.TrimSpace(h))})
		default:
			cols[i] = c
			st.present[c] = true
		}
	}
	for _, c := range k.Columns {
		if c.Required && c.Default == "" && !st.present[c.Name] {
			probs = append(probs, Problem{Line: 1, Column: c.Name, Reason: "required column missing"})
		}
	}
	if len(probs) > 0 {
		return nil, nil, &ImportError{File: name, Problems: probs, Total: len(probs), BadRows: 1}
	}
	return cols, st, nil
}

// stageCSV loads a CSV file through DuckDB's read_csv (transcoded to UTF-8 first when needed).
func (s *Store) stageCSV(ctx context.Context, conn *sql.Conn, k *Kind, path, name, tag string) (*staged, error) {
	// The scan of a UTF-8 file (scanFile) reads it alongside the encoding
	// check (a second core, and the same pages of the page cache).
	scanned := make(chan fileScan, 1)
	go func() {
		r, err := scanFile(path, k)
		if err != nil {
			r = fileScan{}
		}
		scanned <- r
	}()
	enc, digest, err := detectEncoding(path, name)
	scan := <-scanned
	if ie := (*ImportError)(nil); errors.As(err, &ie) {
		return nil, err
	} else if err != nil {
		return nil, fileError(name, err)
	}
	src := path
	var tmpFile string
	switch enc {
	case GB18030:
		if src, scan, err = transcodeGB18030(path, s.tempDir, k); err != nil {
			return nil, fileError(name, fmt.Errorf("decode %s as %s: %w", filepath.Base(path), enc, err))
		}
		tmpFile = src
	case UTF16:
		if src, err = toUTF8(path, enc, s.tempDir); err != nil {
			return nil, fileError(name, err)
		}
		tmpFile, scan = src, fileScan{}
	}
	header, err := readCSVHeader(src)
	if err != nil {
		if tmpFile != "" {
			os.Remove(tmpFile)
		}
		return nil, fileError(name, err)
	}
	cols, st, err := mapHeader(k, name, header)
	if err != nil {
		if tmpFile != "" {
			os.Remove(tmpFile)
		}
		return nil, err
	}
	// The scan is of the text DuckDB reads: the file, or its transcoded copy.
	st.encoding, st.csv, st.sha256 = enc, true, digest
	st.clean, st.plain, st.keys = scan.clean, scan.plain, scan.keys
	if tmpFile != "" {
		st.cleanup = append(st.cleanup, "file:"+tmpFile)
	}
	spec := make([]string, len(cols))
	for i, c := range cols {
		col := "_x" + strconv.Itoa(i)
		spec[i] = lit(col) + ": 'VARCHAR'"
		if c != "" {
			st.csvSel = append(st.csvSel, ident(col)+" AS "+ident(c))
		}
	}
	st.csvSrc, st.csvSpec = src, strings.Join(spec, ", ")
	st.cleanup = append(st.cleanup, "view:stg_"+tag, "table:stg_raw_"+tag)
	return st, st.defineCSVView(ctx, conn, tag)
}

// maxCSVLine is the longest CSV line read (DuckDB's default is 2 MB): room
// for a cell of 10⁶ Chinese characters, so that an over-long cell is refused
// by the length check with its column rather than by the reader.
const maxCSVLine = 8 << 20

// csvBuffer is read_csv's buffer, kept at DuckDB's default for 2 MB lines
// (it would otherwise grow with max_line_size to 128 MB a buffer, which an
// import under a small memory_limit cannot allocate).
const csvBuffer = 32 << 20

// readCSVSQL is the read_csv call of a staged CSV file, every cell as text.
func (st *staged) readCSVSQL() string {
	return fmt.Sprintf(`read_csv(%s, header = false, skip = 1, auto_detect = false, delim = ',', quote = '"', escape = '"',
		all_varchar = true, strict_mode = true, null_padding = %t, max_line_size = %d, buffer_size = %d, columns = {%s})`, lit(st.csvSrc), st.pad, maxCSVLine, csvBuffer, st.csvSpec)
}

// defineCSVView makes stg_<tag> a view straight over read_csv, so the typed
// table is built in one pass over the file. It has no line numbers (0):
// they are only needed when the file has problems, and withLines adds them.
func (st *staged) defineCSVView(ctx context.Context, conn *sql.Conn, tag string) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP VIEW %s AS SELECT 0::BIGINT AS line, %s FROM %s",
		ident("stg_"+tag), strings.Join(st.csvSel, ", "), st.readCSVSQL()))
	return err
}

// withLines re-stages a CSV file into a table, in file order, so that each
// row's line is its rowid + 2 (the header is line 1), and points the view at it.
func (st *staged) withLines(ctx context.Context, conn *sql.Conn, tag string) error {
	raw := ident("stg_raw_" + tag)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT * FROM %s", raw, st.readCSVSQL())); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP VIEW %s AS SELECT rowid + 2 AS line, %s FROM %s",
		ident("stg_"+tag), strings.Join(st.csvSel, ", "), raw))
	st.lines = true
	return err
}

// shortRow reports whether a DuckDB CSV error is a row with fewer cells than
// the header, which null padding accepts (the missing cells are empty).
func shortRow(err error) bool {
	m := duckColCount.FindStringSubmatch(err.Error())
	if m == nil {
		return false
	}
	want, _ := strconv.Atoi(m[1])
	found, _ := strconv.Atoi(m[2])
	return found < want
}

func readCSVHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
	}
	return rec, nil
}

var (
	duckLine     = regexp.MustCompile(`(?i)line:? (\d+)`)
	duckColCount = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)
)

// csvError turns a DuckDB CSV reader error into file:line: reason.
func csvError(name string, err error) error {
	msg := err.Error()
	reason := "cannot be read as CSV: " + firstLine(strings.TrimPrefix(msg, "Invalid Input Error: "))
	if strings.Contains(msg, "unterminated quote") {
		reason = `a quoted value is not closed properly (a " without its closing ", or text after it)`
	} else if strings.Contains(msg, "Maximum line size") {
		reason = fmt.Sprintf("the line is longer than %d MB (a cell holds at most %d characters)", maxCSVLine>>20, MaxCellChars)
	} else if m := duckColCount.FindStringSubmatch(msg); m != nil {
		reason = "the row has more cells than the header (" + m[1] + ")"
	}
	if m := duckLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &ImportError{File: name, Problems: []Problem{{Line: n, Reason: reason}}, Total: 1, BadRows: 1}
	}
	return fileError(name, errors.New(reason))
}

// stageParquet loads a Parquet file through DuckDB's read_parquet, every column as text.
func (s *Store) stageParquet(ctx context.Context, conn *sql.Conn, k *Kind, path, name, tag string) (*staged, error) {
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("DESCRIBE SELECT * FROM read_parquet(%s)", lit(path)))
	if err != nil {
		return nil, fileError(name, fmt.Errorf("not a readable Parquet file: %s", firstLine(err.Error())))
	}
	var header []string
	for rows.Next() {
		var col, typ string
		var a, b, c, d any
		if err := rows.Scan(&col, &typ, &a, &b, &c, &d); err != nil {
			rows.Close()
			return nil, err
		}
		header = append(header, col)
	}
	rows.Close()
	cols, st, err := mapHeader(k, name, header)
	if err != nil {
		return nil, err
	}
	sel := []string{"file_row_number + 2 AS line"}
	for i, c := range cols {
		if c != "" {
			sel = append(sel, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", ident(header[i]), ident(c)))
		}
	}
	tbl := "stg_" + tag
	st.lines = true
	st.cleanup = append(st.cleanup, "table:"+tbl)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TEMP TABLE %s AS SELECT %s FROM read_parquet(%s, file_row_number = true)",
		ident(tbl), strings.Join(sel, ", "), lit(path))); err != nil {
		return st, fileError(name, fmt.Errorf("not a readable Parquet file: %s", firstLine(err.Error())))
	}
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM "+ident(tbl)).Scan(&st.rows)
	return st, err
}

// createStageTable makes an all-VARCHAR staging table for rows appended from Go.
func createStageTable(ctx context.Context, conn *sql.Conn, tbl string, cols []string) error {
	defs := []string{"line BIGINT"}
	for _, c := range cols {
		if c != "" {
			defs = append(defs, ident(c)+" VARCHAR")
		}
	}
	_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TEMP TABLE %s (%s)", ident(tbl), strings.Join(defs, ", ")))
	return err
}

// withAppender runs fn with a DuckDB Appender on a temp table of conn.
func withAppender(conn *sql.Conn, tbl string, fn func(a *duckdb.Appender) error) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", tbl)
		if err != nil {
			return err
		}
		ferr := fn(a)
		cerr := a.Close()
		if ferr != nil {
			return ferr
		}
		return cerr
	})
}
