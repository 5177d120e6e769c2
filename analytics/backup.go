package analytics

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ManifestName is the file, written last into a backup folder, that lists
// what the backup holds; a folder without it is an unfinished backup.
const ManifestName = "manifest.json"

// BackupFormat names the layout of a backup folder, so a future layout can
// be told apart.
const BackupFormat = "xiaoneng-backup/1"

// BackupManifest describes one backup: which program and schema wrote it,
// each table's row count and content checksum as of the snapshot, and the
// sha256 of every file of the folder.
type BackupManifest struct {
	Format        string        `json:"format"`
	Version       string        `json:"xiaoneng_version"`
	SchemaVersion int           `json:"schema_version"`
	DuckDB        string        `json:"duckdb_version"`
	CreatedAt     time.Time     `json:"created_at"`
	Actor         string        `json:"actor"`
	Tables        []BackupTable `json:"tables"`
	Files         []BackupFile  `json:"files"`
}

// BackupTable is one table of a backup: rows and the TableChecksums value.
type BackupTable struct {
	Name     string `json:"name"`
	Rows     int64  `json:"rows"`
	Checksum string `json:"checksum"`
}

// BackupFile is one file of a backup folder (path relative to it).
type BackupFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BackupOptions tune one backup.
type BackupOptions struct {
	Actor   string           // who backs up, for the manifest and the audit log
	Version string           // program version for the manifest; default from the build info
	Now     func() time.Time // clock; default time.Now
}

// Backup writes a consistent snapshot of the whole database into dir (which
// must not exist or be empty): DuckDB's EXPORT DATABASE to Parquet and the
// table checksums, both inside one transaction so that writes committed
// meanwhile are in neither, then manifest.json with the sha256 of every file.
// It runs beside the service's readers and writers (DuckDB's snapshot
// isolation), so the web service can call it on its open store. The backup
// is recorded in the audit log (action backup) after the snapshot.
func (s *Store) Backup(ctx context.Context, dir string, o BackupOptions) (BackupManifest, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return BackupManifest{}, fmt.Errorf("analytics: backup: %w", err)
	}
	created, err := prepareBackupDir(abs)
	if err != nil {
		return BackupManifest{}, err
	}
	m, err := s.backupInto(ctx, abs, o, now())
	if err != nil {
		// Leave nothing that could pass for a backup.
		if created {
			os.RemoveAll(abs)
		} else {
			clearDir(abs)
		}
		return BackupManifest{}, fmt.Errorf("analytics: backup to %s: %s (no backup was written)", dir, firstLine(err.Error()))
	}
	if err := s.Audit(ctx, now(), actorOr(o.Actor), "backup", "backup:"+filepath.Base(abs), nil, map[string]any{
		"dir": abs, "schema_version": m.SchemaVersion, "tables": len(m.Tables), "files": len(m.Files)}); err != nil {
		return m, fmt.Errorf("analytics: backup to %s was written, but its audit entry failed: %s", dir, firstLine(err.Error()))
	}
	return m, nil
}

func (s *Store) backupInto(ctx context.Context, dir string, o BackupOptions, at time.Time) (BackupManifest, error) {
	m := BackupManifest{Format: BackupFormat, Version: o.Version, CreatedAt: at.UTC(), Actor: actorOr(o.Actor)}
	if m.Version == "" {
		m.Version = programVersion()
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return m, err
	}
	defer conn.Close()
	// One transaction: the export and the checksums see the same snapshot.
	err = inTx(ctx, conn, func() error {
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&m.SchemaVersion); err != nil {
			return err
		}
		if err := conn.QueryRowContext(ctx, `SELECT library_version FROM pragma_version()`).Scan(&m.DuckDB); err != nil {
			return err
		}
		// The path is ours (an absolute folder name), quoted as a literal:
		// EXPORT DATABASE takes no parameters.
		if _, err := conn.ExecContext(ctx, "EXPORT DATABASE "+lit(dir)+" (FORMAT parquet)"); err != nil {
			return err
		}
		var err error
		m.Tables, err = tableSums(ctx, conn)
		return err
	})
	if err != nil {
		return m, err
	}
	if m.Files, err = hashFiles(dir); err != nil {
		return m, err
	}
	return m, writeManifest(dir, m)
}

// queryer is a pool, a connection or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tableSums is TableChecksums on one connection (so inside its
// transaction), with the row counts apart, ordered by table name.
func tableSums(ctx context.Context, q queryer) ([]BackupTable, error) {
	rows, err := q.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND database_name = current_database() ORDER BY table_name")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []BackupTable
	for _, n := range names {
		t := BackupTable{Name: n}
		// The same expression as TableChecksums, so the two can be compared.
		qs := fmt.Sprintf("SELECT count(*), count(*)::VARCHAR || ':' || coalesce(sum(hash(t::VARCHAR))::VARCHAR, '0') FROM %s t", ident(n))
		if err := q.QueryRowContext(ctx, qs).Scan(&t.Rows, &t.Checksum); err != nil {
			return nil, fmt.Errorf("checksum %s: %w", n, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// prepareBackupDir creates dir, or accepts an existing empty folder.
func prepareBackupDir(dir string) (created bool, err error) {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("analytics: backup: %w", err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("analytics: backup: %s is not a usable folder: %w", dir, err)
	case len(ents) > 0:
		return false, fmt.Errorf("analytics: backup: %s is not empty; back up into a new folder", dir)
	}
	return false, nil
}

func clearDir(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// hashFiles lists every regular file under dir but the manifest, with its sha256.
func hashFiles(dir string) ([]BackupFile, error) {
	var out []BackupFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == ManifestName {
			return nil
		}
		sum, size, err := sha256File(p)
		if err != nil {
			return err
		}
		out = append(out, BackupFile{Name: rel, Size: size, SHA256: sum})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func sha256File(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// writeManifest writes manifest.json through a temporary name, so a crash
// never leaves a half-written manifest that would pass for a backup.
func writeManifest(dir string, m BackupManifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, ManifestName+".part")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ManifestName))
}

func programVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, st := range bi.Settings {
		if st.Key == "vcs.revision" && len(st.Value) >= 12 {
			v += "+" + st.Value[:12]
		}
	}
	return v
}

// ReadBackupManifest reads and checks the manifest of a backup folder.
func ReadBackupManifest(dir string) (BackupManifest, error) {
	var m BackupManifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("analytics: %s is not a xiaoneng backup (no %s; an interrupted backup has none)", dir, ManifestName)
	}
	if err != nil {
		return m, fmt.Errorf("analytics: backup %s: %w", dir, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("analytics: backup %s: %s is not valid JSON: %v", dir, ManifestName, err)
	}
	if m.Format != BackupFormat {
		return m, fmt.Errorf("analytics: backup %s: format %q, this program reads %q", dir, m.Format, BackupFormat)
	}
	return m, nil
}

// VerifyBackupFiles checks that every file the manifest lists is present
// with its sha256; the first difference is the error.
func VerifyBackupFiles(dir string, m BackupManifest) error {
	if len(m.Files) == 0 {
		return fmt.Errorf("analytics: backup %s: the manifest lists no files", dir)
	}
	for _, f := range m.Files {
		if strings.Contains(f.Name, "..") || filepath.IsAbs(f.Name) {
			return fmt.Errorf("analytics: backup %s: the manifest names %q outside the folder", dir, f.Name)
		}
		sum, _, err := sha256File(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("analytics: backup %s: %s is missing; nothing was restored", dir, f.Name)
		}
		if err != nil {
			return fmt.Errorf("analytics: backup %s: %s: %v", dir, f.Name, err)
		}
		if sum != f.SHA256 {
			return fmt.Errorf("analytics: backup %s: %s has changed since the backup (sha256 %s, manifest %s); nothing was restored", dir, f.Name, sum[:12], f.SHA256[:12])
		}
	}
	return nil
}

// Restore creates the new database file o.Path from the backup in dir: it
// checks every file's sha256 against the manifest, imports the export
// (schema, sequences and data), checks every table's rows and checksum
// against the manifest and the sequences against the highest ids, then
// opens the result once to apply migrations newer than the backup. It
// refuses an existing file; on any failure it removes what it created.
//
// The database is built as o.Path + ".restoring" and renamed to o.Path only
// when complete and closed, so a restore killed at any moment leaves either
// no o.Path or the whole restored database, never a part of it; a staging
// file left by a killed restore is removed by the next restore to o.Path.
func Restore(ctx context.Context, dir string, o Options) (BackupManifest, error) {
	m, err := ReadBackupManifest(dir)
	if err != nil {
		return m, err
	}
	if err := VerifyBackupFiles(dir, m); err != nil {
		return m, err
	}
	if o.Path == "" || o.Path == ":memory:" {
		return m, errors.New("analytics: restore: name the new database file")
	}
	for _, p := range []string{o.Path, o.Path + ".wal"} {
		if _, err := os.Lstat(p); err == nil {
			return m, fmt.Errorf("analytics: restore: %s already exists; restore into a new file", p)
		}
	}
	if ms, err := loadMigrations(); err == nil && len(ms) > 0 && m.SchemaVersion > ms[len(ms)-1].version {
		return m, fmt.Errorf("analytics: restore: the backup has schema version %d, newer than this program (%d); upgrade xiaoneng", m.SchemaVersion, ms[len(ms)-1].version)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return m, err
	}
	tempDir := o.TempDir
	if tempDir == "" {
		tempDir = o.Path + ".tmp"
	}
	_, statErr := os.Stat(tempDir)
	tempExisted := statErr == nil
	final := o.Path
	o.Path = final + ".restoring"
	cleanup := func() {
		os.Remove(o.Path)
		os.Remove(o.Path + ".wal")
		if !tempExisted {
			os.RemoveAll(tempDir)
		}
	}
	cleanup()
	if err := importBackup(ctx, abs, tempDir, o, m); err != nil {
		cleanup()
		return m, fmt.Errorf("analytics: restore %s: %s (nothing was restored)", dir, firstLine(err.Error()))
	}
	// Open applies the migrations newer than the backup and fills the calendar.
	if o.TempDir == "" {
		o.TempDir = tempDir
	}
	s, err := Open(ctx, o)
	if err != nil {
		cleanup()
		return m, err
	}
	if err := s.Close(); err != nil {
		cleanup()
		return m, fmt.Errorf("analytics: restore: %w", err)
	}
	if walPresent(o.Path) {
		cleanup()
		return m, errors.New("analytics: restore: the new database did not close cleanly (nothing was restored)")
	}
	if err := os.Rename(o.Path, final); err != nil {
		cleanup()
		return m, fmt.Errorf("analytics: restore: %w (nothing was restored)", err)
	}
	return m, nil
}

// nextvalDefault finds the sequence of a column default nextval('name').
var nextvalDefault = regexp.MustCompile(`^nextval\('([^']+)'\)$`)

// importBackup imports the export into a fresh file through DuckDB directly
// (Open would first create the current schema) and checks it.
func importBackup(ctx context.Context, dir, tempDir string, o Options, m BackupManifest) error {
	threads := o.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("threads", fmt.Sprint(threads))
	q.Set("temp_directory", tempDir)
	if o.MemoryLimit != "" {
		q.Set("memory_limit", o.MemoryLimit)
	}
	c, err := duckdb.NewConnector(o.Path+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	db := sql.OpenDB(c)
	defer c.Close()
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET preserve_insertion_order = true"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "IMPORT DATABASE "+lit(dir)); err != nil {
		return err
	}
	var schema int
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&schema); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if schema != m.SchemaVersion {
		return fmt.Errorf("restored schema version %d, manifest %d", schema, m.SchemaVersion)
	}
	got, err := tableSums(ctx, conn)
	if err != nil {
		return err
	}
	if err := compareTables(got, m.Tables); err != nil {
		return err
	}
	if err := checkSequences(ctx, conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return err
	}
	return nil
}

func compareTables(got, want []BackupTable) error {
	g := map[string]BackupTable{}
	for _, t := range got {
		g[t.Name] = t
	}
	for _, w := range want {
		t, ok := g[w.Name]
		if !ok {
			return fmt.Errorf("table %s of the manifest was not restored", w.Name)
		}
		if t.Rows != w.Rows || t.Checksum != w.Checksum {
			return fmt.Errorf("table %s restored with %d rows (checksum %s), manifest %d rows (checksum %s)", w.Name, t.Rows, t.Checksum, w.Rows, w.Checksum)
		}
		delete(g, w.Name)
	}
	for n := range g {
		return fmt.Errorf("restored table %s is not in the manifest", n)
	}
	return nil
}

// checkSequences makes sure every id sequence (audit_log_id, import_log_id,
// score_run_id) continues after the highest restored id, so new rows never
// collide with restored ones.
func checkSequences(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT table_name, column_name, column_default FROM duckdb_columns()
		WHERE schema_name = 'main' AND database_name = current_database() AND column_default LIKE 'nextval(%'`)
	if err != nil {
		return err
	}
	type seqCol struct{ table, column, seq string }
	var cols []seqCol
	for rows.Next() {
		var t, c, d string
		if err := rows.Scan(&t, &c, &d); err != nil {
			rows.Close()
			return err
		}
		if mm := nextvalDefault.FindStringSubmatch(d); mm != nil {
			cols = append(cols, seqCol{t, c, mm[1]})
		}
	}
	rows.Close()
	for _, sc := range cols {
		var maxID int64
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT coalesce(max(%s), 0) FROM %s", ident(sc.column), ident(sc.table))).Scan(&maxID); err != nil {
			return err
		}
		// The sequence's next value: its start if never used, else last + 1.
		var start int64
		var last sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT start_value, last_value FROM duckdb_sequences() WHERE sequence_name = ? AND schema_name = 'main'`, sc.seq).Scan(&start, &last); err != nil {
			return fmt.Errorf("sequence %s: %w", sc.seq, err)
		}
		next := start
		if last.Valid {
			next = last.Int64 + 1
		}
		if next <= maxID {
			return fmt.Errorf("sequence %s would restart at %d, below the highest %s.%s %d", sc.seq, next, sc.table, sc.column, maxID)
		}
	}
	return nil
}

// BackupInfo is one backup folder as listed on the admin page.
type BackupInfo struct {
	Name     string
	Manifest BackupManifest
	Bytes    int64
	Err      string // why the folder is not a usable backup, if it is not
}

// ListBackups lists the backup folders directly under root, newest first;
// folders without a readable manifest are listed with the reason.
func ListBackups(root string) ([]BackupInfo, error) {
	ents, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("analytics: backups: %w", err)
	}
	var out []BackupInfo
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		b := BackupInfo{Name: e.Name()}
		m, err := ReadBackupManifest(filepath.Join(root, e.Name()))
		if err != nil {
			b.Err = err.Error()
		}
		b.Manifest = m
		for _, f := range m.Files {
			b.Bytes += f.Size
		}
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Manifest.CreatedAt.Equal(out[j].Manifest.CreatedAt) {
			return out[i].Manifest.CreatedAt.After(out[j].Manifest.CreatedAt)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}
