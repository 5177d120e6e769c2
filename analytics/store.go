// Package analytics owns the DuckDB database of the process: migrations,
// imports, the calendar table and the queries that feed scoring and reports.
package analytics

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Options configure how the database file is opened.
type Options struct {
	// Path is the DuckDB file; ":memory:" or "" opens an in-memory database.
	Path string
	// MemoryLimit is DuckDB's memory_limit, e.g. "4GB"; empty keeps DuckDB's default (80% of RAM).
	MemoryLimit string
	// Threads is DuckDB's thread count; 0 means the number of CPUs.
	Threads int
	// TempDir is where DuckDB spills and where imports write transcoded files; empty means PATH.tmp.
	TempDir string
	// MaxTempSize is DuckDB's max_temp_directory_size, e.g. "10GB"; empty keeps
	// DuckDB's default (90% of the free disk). Tests set it small to fill it.
	MaxTempSize string
	// PasswordCost is the bcrypt cost of new password hashes (and of the
	// comparison an unknown user name costs); 0 means 10. Tests lower it.
	PasswordCost int
	// AllowInconsistent opens a database whose integrity check found
	// problems that no repair has cleared (for `xiaoneng check`); every
	// other open refuses it with an *IntegrityError.
	AllowInconsistent bool
	// WriteFault, when set, is called inside the transaction of a round's
	// computation after its rows are written and before COMMIT, with the
	// operation's name ("score"); an error it returns fails the operation
	// there, as a full disk does. Tests use it; nil in production.
	WriteFault func(op string) error
}

// Store is the single connector to the database file; open it once per process.
type Store struct {
	db      *sql.DB
	conn    *duckdb.Connector
	path    string
	tempDir string
	// importMu serialises imports: DuckDB has one writer, and each import
	// holds one connection for its staging tables and transaction.
	importMu sync.Mutex
	// writeMu serialises the web service's small writes (accounts, sessions,
	// rounds, scores, audit), each one short transaction.
	writeMu sync.Mutex
	// logins holds the login throttle's in-memory counts and per-name locks.
	logins loginGuard
	// passwordCost is Options.PasswordCost; dummy, made once at that cost,
	// is compared against when a user name does not exist.
	passwordCost int
	dummyOnce    sync.Once
	dummy        []byte
	imports      int64 // numbers each import's temp tables; guarded by importMu
	// writeFault is Options.WriteFault.
	writeFault func(op string) error
}

// ErrLocked is returned (wrapped) when another process holds the database file.
var ErrLocked = errors.New("database is locked by another process")

var lockPID = regexp.MustCompile(`(?s)Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// Open opens (creating if needed) the database, applies pending migrations and
// returns the Store. A file held by another process gives a one-line error
// that names the process and points to the web import.
func Open(ctx context.Context, o Options) (*Store, error) {
	path := o.Path
	if path == "" {
		path = ":memory:"
	}
	tempDir := o.TempDir
	if tempDir == "" {
		if path == ":memory:" {
			tempDir = filepath.Join(os.TempDir(), "xiaoneng.tmp")
		} else {
			tempDir = path + ".tmp"
		}
	}
	if err := os.MkdirAll(tempDir, 0o755); err != nil {
		return nil, fmt.Errorf("analytics: temp directory: %w", err)
	}
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
	if o.MaxTempSize != "" {
		q.Set("max_temp_directory_size", o.MaxTempSize)
	}
	dsn := path
	if path == ":memory:" {
		dsn = ""
	}
	if path != ":memory:" {
		if err := checkForeignFile(path); err != nil {
			return nil, err
		}
	}
	unclean := walPresent(path)
	c, err := duckdb.NewConnector(dsn+"?"+q.Encode(), nil)
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: sql.OpenDB(c), conn: c, path: path, tempDir: tempDir, passwordCost: cmp.Or(o.PasswordCost, bcryptCost), writeFault: o.WriteFault}
	if _, err := s.db.ExecContext(ctx, "SET preserve_insertion_order = true"); err != nil {
		s.Close()
		return nil, fmt.Errorf("analytics: settings: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.ensureCalendar(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("analytics: calendar: %w", err)
	}
	if err := s.checkAfterOpen(ctx, unclean, o.AllowInconsistent); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkAfterOpen runs the integrity check when the last process left a
// write-ahead log behind (it stopped without closing the database) and
// records what it finds; then, unless allowed, it refuses a database with
// recorded findings, so that no command and no page serves its numbers.
func (s *Store) checkAfterOpen(ctx context.Context, unclean, allow bool) error {
	if unclean {
		rep, err := s.CheckIntegrity(ctx)
		if err != nil {
			return err
		}
		if !rep.OK() {
			if err := s.recordIntegrity(ctx, rep, time.Now()); err != nil {
				return fmt.Errorf("analytics: record integrity findings: %w", err)
			}
		}
	}
	if allow {
		return nil
	}
	summary, err := s.IntegrityState(ctx)
	if err != nil {
		return fmt.Errorf("analytics: integrity state: %w", err)
	}
	if summary != "" {
		return &IntegrityError{Summary: summary}
	}
	return nil
}

// checkForeignFile refuses a file that exists, is not empty and is not a
// DuckDB database, before DuckDB gets to report it less clearly.
func checkForeignFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // missing: DuckDB creates it
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return nil
	}
	if n < 12 || string(head[8:12]) != "DUCK" {
		return fmt.Errorf("analytics: %s is not a xiaoneng (DuckDB) database file", path)
	}
	return nil
}

func openError(path string, err error) error {
	msg := err.Error()
	if m := lockPID.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%w: %s is held by process %s (%s); stop it, or import through the web service's 数据导入 page while it runs", ErrLocked, path, m[2], filepath.Base(strings.TrimSpace(m[1])))
	}
	if strings.Contains(msg, "Could not set lock") {
		return fmt.Errorf("%w: %s is held by another process; stop it, or import through the web service's 数据导入 page while it runs", ErrLocked, path)
	}
	if d, ok := damagedMessage(path, msg); ok {
		return errors.New(d)
	}
	return fmt.Errorf("analytics: open %s: %s", path, firstLine(msg))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// DB gives read access to the pool for packages that run embedded queries.
func (s *Store) DB() *sql.DB { return s.db }

// Path is the database file path (":memory:" for an in-memory database).
func (s *Store) Path() string { return s.path }

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	if s.path != ":memory:" {
		_, _ = s.db.Exec("CHECKPOINT")
	}
	err := s.db.Close()
	if cerr := s.conn.Close(); err == nil {
		err = cerr
	}
	s.db = nil
	return err
}

// inTx runs fn between BEGIN and COMMIT on one connection, so that statements
// and Appenders on conn share the transaction; any error rolls everything back.
func inTx(ctx context.Context, conn *sql.Conn, fn func() error) (err error) {
	if _, err = conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
			panic(p)
		}
		if err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if err = fn(); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}
