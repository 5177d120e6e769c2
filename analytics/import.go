package analytics

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// ImportOptions tune one import.
type ImportOptions struct {
	Kind     string               // force the kind instead of inferring it from the file name
	Sheet    string               // XLSX sheet; default the first
	Name     string               // name shown in messages (default: the file's base name)
	Actor    string               // who imports, for the import log
	Progress func(ImportProgress) // optional; called between phases and every 50k XLSX rows
	Now      func() time.Time     // clock for the import log; default time.Now
}

// ImportProgress reports the phase of one file's import.
type ImportProgress struct {
	File  string
	Phase string // reading, checking, writing, done
	Rows  int64
}

// ImportResult summarises one imported file.
type ImportResult struct {
	File      string
	Kind      string
	Encoding  Encoding
	Rows      int64
	New       int64
	Replaced  int64
	Unchanged int64
	Warnings  []string
	SHA256    string
}

// String is the one-line summary printed per file.
func (r ImportResult) String() string {
	enc := ""
	if r.Encoding != "" && r.Encoding != UTF8 {
		enc = ", " + string(r.Encoding)
	}
	return fmt.Sprintf("%s (%s%s): %d rows — %d new, %d replaced, %d unchanged", r.File, r.Kind, enc, r.Rows, r.New, r.Replaced, r.Unchanged)
}

// ImportFile imports one file as one transaction: either every row is
// written (new and changed rows; identical rows left alone) or, on any bad
// row, nothing, and the returned *ImportError lists the problems.
func (s *Store) ImportFile(ctx context.Context, path string, o ImportOptions) (ImportResult, error) {
	name := o.Name
	if name == "" {
		name = filepath.Base(path)
	}
	res := ImportResult{File: name}
	k, err := kindFor(path, name, o.Kind)
	if err != nil {
		return res, err
	}
	res.Kind = k.Name
	report := func(phase string, rows int64) {
		if o.Progress != nil {
			o.Progress(ImportProgress{File: name, Phase: phase, Rows: rows})
		}
	}
	s.importMu.Lock()
	defer s.importMu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	s.imports++ // under importMu
	tag := fmt.Sprintf("%d", s.imports)
	report("reading", 0)
	st, err := s.stage(ctx, conn, k, path, name, o.Sheet, tag, func(n int64) { report("reading", n) })
	if st != nil {
		defer func() { dropAll(conn, st.cleanup) }()
	}
	if err != nil {
		return res, err
	}
	res.Warnings, res.Encoding, res.SHA256 = st.warnings, st.encoding, st.sha256
	if res.SHA256 == "" {
		if res.SHA256, err = fileSHA256(path); err != nil {
			return res, fileError(name, err)
		}
	}
	report("checking", st.rows)
	if st.csv {
		done, err := s.importCSVFast(ctx, conn, k, st, tag, o, &res, report)
		if err != nil || done {
			return res, err
		}
	}
	typed := "typed_" + tag
	st.cleanup = append(st.cleanup, "table:"+typed)
	if err := s.checkWithLines(ctx, conn, k, st, tag, typed, name); err != nil {
		return res, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+ident(typed)).Scan(&res.Rows); err != nil {
		return res, err
	}
	if res.Rows == 0 {
		return res, &ImportError{File: name, Problems: []Problem{{Line: 1, Reason: "the file has a header but no data rows"}}, Total: 1, BadRows: 1}
	}
	st.rows = res.Rows
	report("writing", st.rows)
	if err := s.writeTx(ctx, conn, k, o, &res, func(id int64) (counts, error) { return merge(ctx, conn, k, typed, id) }); err != nil {
		return res, err
	}
	report("done", st.rows)
	return res, nil
}

// errTypedPath says that a file cannot take the fast path (importCSVFast).
var errTypedPath = errors.New("analytics: the file takes the typed-table path")

// importCSVFast imports a CSV file in two passes over it and no table in
// between, when it can: one pass reads only the key columns (the row count,
// a key twice in the file, the key range), a look at the stored rows in that
// range finds none (a file of new keys, like a month's first import), and
// one statement types, checks and appends every row in the transaction of
// the file, failing at the first row a rule refuses.
//
// It reports false, having written nothing, for any file it cannot take so:
// a CSV error, a bad row, a key twice in the file or already stored. That
// file goes down the typed-table path, which gives the messages and merges.
func (s *Store) importCSVFast(ctx context.Context, conn *sql.Conn, k *Kind, st *staged, tag string, o ImportOptions, res *ImportResult, report func(string, int64)) (bool, error) {
	stg := ident("stg_" + tag)
	var lo, hi any
	var rows, distinct int64
	if st.keys.ok && st.clean {
		// The scan saw every key, rising: no DuckDB pass over the key column.
		// (Clean: the cells are typed as read, so the keys are as stored.)
		lo, hi, rows = st.keys.lo, st.keys.hi, st.keys.rows
	} else if err := conn.QueryRowContext(ctx, keysSQL(k, stg, st.present, st.clean)).Scan(&lo, &hi, &rows, &distinct); err != nil || rows == 0 || rows != distinct {
		return false, ctx.Err()
	}
	var stored int64
	q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s BETWEEN $1 AND $2", ident(k.Name), ident(k.Key[0]))
	if err := conn.QueryRowContext(ctx, q, lo, hi).Scan(&stored); err != nil || stored > 0 {
		return false, ctx.Err()
	}
	report("writing", rows)
	res.Rows = rows
	err := s.writeTx(ctx, conn, k, o, res, func(id int64) (counts, error) {
		r, err := conn.ExecContext(ctx, insertSQL(k, stg, st.present, st.clean, st.plain, id))
		if err != nil {
			return counts{}, errTypedPath
		}
		if n, err := r.RowsAffected(); err != nil || n != rows {
			return counts{}, errTypedPath
		}
		return counts{New: rows}, nil
	})
	if errors.Is(err, errTypedPath) {
		res.Rows, res.New = 0, 0
		return false, ctx.Err()
	}
	if err != nil {
		return false, err
	}
	report("done", rows)
	return true, nil
}

// writeTx writes the file's rows (write, which stamps each row it writes
// with the import's id) and records the import under that id in the import
// log and the audit log, all in one transaction.
func (s *Store) writeTx(ctx context.Context, conn *sql.Conn, k *Kind, o ImportOptions, res *ImportResult, write func(importID int64) (counts, error)) error {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	err := inTx(ctx, conn, func() error {
		var id int64
		if err := conn.QueryRowContext(ctx, "SELECT nextval('import_log_id')").Scan(&id); err != nil {
			return err
		}
		c, err := write(id)
		if err != nil {
			return err
		}
		res.New, res.Replaced, res.Unchanged = c.New, c.Replaced, c.Unchanged
		if k.Name == "holidays" {
			if err := rebuildCalendar(ctx, conn); err != nil {
				return err
			}
		}
		at := now()
		if _, err = conn.ExecContext(ctx, queries.SQL("import_log_insert"), id, res.File, k.Name, res.SHA256, c.New, c.Replaced, c.Unchanged, actorOr(o.Actor), at); err != nil {
			return err
		}
		// The audit entry commits with the data, from the CLI as from the web.
		return AuditTx(ctx, conn, at, actorOr(o.Actor), "import", "file:"+res.File, nil, map[string]any{
			"status": "imported", "import_id": id, "kind": k.Name, "sha256": res.SHA256, "rows": res.Rows,
			"new": c.New, "replaced": c.Replaced, "unchanged": c.Unchanged})
	})
	if errors.Is(err, errTypedPath) {
		return err
	}
	if err != nil {
		return fmt.Errorf("analytics: import %s: %s (nothing was imported)", res.File, oneLine(err))
	}
	return nil
}

// stage loads the file into the staging view or table stg_<tag> by format.
func (s *Store) stage(ctx context.Context, conn *sql.Conn, k *Kind, path, name, sheet, tag string, progress func(int64)) (*staged, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return s.stageXLSX(ctx, conn, k, path, name, sheet, tag, progress)
	case ".parquet":
		return s.stageParquet(ctx, conn, k, path, name, tag)
	default:
		return s.stageCSV(ctx, conn, k, path, name, tag)
	}
}

// checkWithLines builds and checks the typed table; when a CSV file, read
// without line numbers for speed, has problems, it is read again with them so
// the returned *ImportError names physical file lines.
func (s *Store) checkWithLines(ctx context.Context, conn *sql.Conn, k *Kind, st *staged, tag, typed, name string) error {
	ie, err := s.check(ctx, conn, k, st, tag, typed, name)
	if err != nil || ie == nil {
		return err
	}
	if !st.lines {
		if err := st.withLines(ctx, conn, tag); err != nil {
			return csvError(name, err)
		}
		if ie, err = s.check(ctx, conn, k, st, tag, typed, name); err != nil || ie == nil {
			return err
		}
		if err := st.physicalLines(ie); err != nil {
			return fileError(name, err)
		}
	}
	return ie
}

// check builds the typed table from the staging view (re-reading a CSV with
// null padding if it meets a short row) and collects the file's problems.
func (s *Store) check(ctx context.Context, conn *sql.Conn, k *Kind, st *staged, tag, typed, name string) (*ImportError, error) {
	q := typedSQL(k, "stg_"+tag, typed, st.present, st.clean)
	if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+ident(typed)); err != nil {
		return nil, err
	}
	_, err := conn.ExecContext(ctx, q)
	if err != nil && st.csv && !st.pad && shortRow(err) {
		st.pad = true
		if err = st.defineCSVView(ctx, conn, tag); err == nil {
			_, err = conn.ExecContext(ctx, q)
		}
	}
	if err != nil {
		if st.csv && strings.Contains(err.Error(), "CSV Error") {
			return nil, csvError(name, err)
		}
		return nil, checkError(name, err)
	}
	ie, err := collectProblems(ctx, conn, k, typed, name)
	if err != nil {
		return nil, checkError(name, err)
	}
	return ie, nil
}

func actorOr(a string) string {
	if a != "" {
		return a
	}
	return "cli"
}

func kindFor(path, name, forced string) (*Kind, error) {
	if strings.EqualFold(filepath.Ext(path), ".xls") {
		return nil, fileError(name, errors.New("legacy .xls workbooks are not read; open it in Excel or WPS and save as .xlsx"))
	}
	if forced != "" {
		k, ok := KindByName(forced)
		if !ok {
			return nil, fmt.Errorf("unknown kind %q (kinds: %s)", forced, strings.Join(kindNames(), ", "))
		}
		return k, nil
	}
	k := KindForFile(path)
	if k == nil {
		return nil, fileError(name, fmt.Errorf("cannot tell the kind of this file from its name; rename it (e.g. cases-2019-03.csv, 办件.xlsx) or pass --kind (%s)", strings.Join(kindNames(), ", ")))
	}
	return k, nil
}

func kindNames() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, k.Name)
	}
	return out
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// dropAll removes the staging tables, views and transcoded files of an import.
func dropAll(conn *sql.Conn, items []string) {
	for i := len(items) - 1; i >= 0; i-- {
		what, name, _ := strings.Cut(items[i], ":")
		switch what {
		case "file":
			os.Remove(name)
		case "view":
			conn.ExecContext(context.Background(), "DROP VIEW IF EXISTS "+ident(name))
		case "table":
			conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+ident(name))
		}
	}
}

// ExpandPaths turns files and folders into the files to import, in import
// order (referenced kinds first). Files in a folder whose kind cannot be
// told from the name are returned in skipped.
func ExpandPaths(paths []string, forced string) (files []string, skipped []string, err error) {
	var items []fileKind
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			k := KindForFile(p)
			if forced != "" {
				k, _ = KindByName(forced)
			}
			if k == nil {
				k = &Kind{order: 1 << 20}
			}
			items = append(items, fileKind{p, k})
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range ents {
			fp := filepath.Join(p, e.Name())
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "~$") || !(ext == ".csv" || ext == ".xlsx" || ext == ".parquet" || ext == ".xls") {
				continue
			}
			if k := KindForFile(fp); k != nil {
				items = append(items, fileKind{fp, k})
			} else {
				skipped = append(skipped, fp)
			}
		}
	}
	sortByImportOrder(items)
	for _, it := range items {
		files = append(files, it.path)
	}
	sort.Strings(skipped)
	return files, skipped, nil
}
