// Package sqlite is Guigen's embedded storage backend: the whole
// knowledge graph in one SQLite file (modernc.org/sqlite, pure Go).
//
// Layout: one table per entity kind holding the entity as canonical JSON
// (doc) plus the columns filters need, link tables for the edges queries
// follow (place parent and changes, record mentions, assertion
// citations, kinships), recursive CTEs for place scope and lineage, and
// a change log written in the same transaction as the data.
//
// Concurrency: one writer connection, so writers queue in Go instead of
// failing with SQLITE_BUSY; BEGIN IMMEDIATE and a busy timeout cover
// another process writing the same file. Readers use a separate pool of
// read-only connections and, in WAL mode, never wait for the writer.
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/guigen/guigen/store"
)

// applicationID marks a SQLite file as Guigen's ("GUIG"), so a file of
// another application is refused instead of migrated.
const applicationID = 0x47554947

// Store is the SQLite backend. It is safe for concurrent use.
type Store struct {
	path string
	wdb  *sql.DB // exactly one connection: the single writer
	rdb  *sql.DB // read-only connections
}

var _ store.Store = (*Store)(nil)

// Open opens the Guigen database at path, creating the file when it does
// not exist, and migrates it to the current schema. A file that is not a
// Guigen database gives an error wrapping store.ErrCorrupt, one written by
// a newer Guigen store.ErrSchemaTooNew; in both cases the file is left
// exactly as it was (it is inspected read-only before anything writes).
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := inspect(ctx, abs); err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("open %s: %w: %w", abs, store.ErrUnavailable, err)
	}
	s := &Store{path: abs}
	s.wdb, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	s.wdb.SetConnMaxIdleTime(0)
	s.wdb.SetConnMaxLifetime(0)
	if err := s.Migrate(ctx); err != nil {
		_ = s.wdb.Close()
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	// Readers open after the writer so the file exists and is in WAL mode.
	s.rdb, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		_ = s.wdb.Close()
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.rdb.SetMaxOpenConns(n)
	s.rdb.SetMaxIdleConns(n)
	if err := s.rdb.PingContext(ctx); err != nil {
		_ = s.rdb.Close()
		_ = s.wdb.Close()
		return nil, fmt.Errorf("open %s: %w", abs, classify(err))
	}
	return s, nil
}

// dsn builds the connection string. Both kinds of connection wait up to
// 10 s for a lock another process holds.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(0)") // references are checked by Apply, in any order within a batch
	q.Add("_pragma", "temp_store(memory)")
	if readOnly {
		q.Set("mode", "ro")
		q.Add("_pragma", "cache_size(-32768)") // KiB, per reader
	} else {
		q.Add("_pragma", "cache_size(-131072)") // the writer keeps big batches' index pages in memory
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "synchronous(normal)")
		// After a checkpoint the log shrinks back to this size rather than
		// keeping the size of the largest batch ever written.
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	return u.String()
}

// sqliteMagic opens every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// inspect checks, without writing anything, that path is absent, empty,
// or a Guigen database this program can open. It reads the header itself
// and asks SQLite through a read-only connection.
func inspect(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	_ = f.Close()
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return nil // an empty file is an empty database
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("read header: %w: %w", store.ErrUnavailable, err)
	case n < len(header) || !bytes.HasPrefix(header, sqliteMagic):
		return fmt.Errorf("数据库文件不是 SQLite 格式 (not a SQLite file): %w", store.ErrCorrupt)
	}
	// A process killed in the middle of a write in rollback-journal mode
	// (a new database before it switches to WAL) leaves a hot journal. A
	// read-only connection cannot roll it back (SQLITE_READONLY_ROLLBACK),
	// so the writer's open recovers the file first, as any SQLite client
	// would; Migrate checks the identity afterwards.
	if st, err := os.Stat(path + "-journal"); err == nil && st.Size() > 0 {
		return nil
	}

	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	defer db.Close()
	var appID, version, objects int64
	err = db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	}
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects)
	}
	if err != nil {
		if errors.Is(classify(err), store.ErrCorrupt) {
			return fmt.Errorf("数据库文件已损坏 (damaged file): %w", classify(err))
		}
		return fmt.Errorf("inspect: %w", classify(err))
	}
	return checkIdentity(appID, version, objects)
}

// checkIdentity decides from the header fields whether the database is
// ours and not too new.
func checkIdentity(appID, version, objects int64) error {
	switch {
	case appID == applicationID:
		if version > currentSchema {
			return fmt.Errorf("数据库由更新版本的归根写入 (schema version %d, this program knows %d): %w",
				version, currentSchema, store.ErrSchemaTooNew)
		}
		return nil
	case appID == 0 && version == 0 && objects == 0:
		return nil // a fresh, empty SQLite database
	default:
		return fmt.Errorf("不是归根数据库 (application id %#x, user version %d, %d schema objects): %w",
			appID, version, objects, store.ErrCorrupt)
	}
}

// Backend implements store.Store.
func (s *Store) Backend() string { return "sqlite" }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.rdb.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", classify(err))
	}
	return nil
}

// SchemaVersion implements store.Store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	db := s.rdb
	if db == nil {
		db = s.wdb
	}
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", classify(err))
	}
	return v, nil
}

// Close implements store.Store. Closing the last connection checkpoints
// the write-ahead log into the database file.
func (s *Store) Close(ctx context.Context) error {
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		// Refresh the planner's statistics where SQLite thinks it pays.
		_, _ = s.wdb.ExecContext(ctx, "PRAGMA optimize")
		errs = append(errs, s.wdb.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// classify wraps a database error with the store sentinel it means.
func classify(err error) error {
	if err == nil {
		return nil
	}
	for _, sentinel := range []error{store.ErrNotFound, store.ErrConflict, store.ErrInvalid,
		store.ErrUnavailable, store.ErrSchemaTooNew, store.ErrCorrupt, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %w", store.ErrCorrupt, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOMEM:
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		case sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		}
	}
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, sql.ErrTxDone) || err.Error() == "sql: database is closed" {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

// now is the time of a write: UTC, no monotonic reading.
func now() time.Time { return time.Now().UTC().Round(0) }

// write runs fn in one IMMEDIATE transaction on the writer connection.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx, at time.Time) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, classify(err))
	}
	if err := fn(tx, now()); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("%s: %w", op, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, classify(err))
	}
	return nil
}

// read runs fn in one read transaction, so every query sees the same
// snapshot.
func (s *Store) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, classify(err))
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", op, classify(err))
	}
	return nil
}
