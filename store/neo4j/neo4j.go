// Package neo4j is Guigen's production storage backend: the knowledge
// graph in Neo4j 5, spoken to over Bolt with the official Go driver.
//
// One driver per Store (and one Store per process); every session names
// its database; every unit of work runs through ExecuteRead/ExecuteWrite,
// which retry transient failures, so work functions have no side effects
// outside their transaction. Cypher is written with parameters only;
// labels and relationship types are constants. Batches are written with
// UNWIND over parameter lists.
//
// Graph model: entities are nodes (:Martyr, :Person, :Place, ...) with a
// few scalar properties for filtering and browsing plus a canonical JSON
// document (property doc) that round-trips the nested structure; the
// references between them are relationships (HOMETOWN, PART_OF,
// REPLACED_BY, KIN_OF, ...). A kinship is a KIN_OF relationship.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// Config says where Neo4j is. User empty means no authentication.
type Config struct {
	URI      string
	User     string
	Password string
	// Database defaults to "neo4j".
	Database string
}

// DefaultDatabase is the database used when Config.Database is empty.
const DefaultDatabase = "neo4j"

// Store is the Neo4j implementation of store.Store.
type Store struct {
	drv       driver.DriverWithContext
	uri       string
	db        string
	bookmarks driver.BookmarkManager
}

var _ store.Store = (*Store)(nil)

// Open connects to Neo4j, checks the server answers and accepts the
// credentials, and migrates the schema. Errors reaching the server wrap
// store.ErrUnavailable and name the URI and what failed.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, fmt.Errorf("open neo4j: no URI given (set NEO4J_URI, e.g. bolt://127.0.0.1:7687): %w", store.ErrInvalid)
	}
	if cfg.Database == "" {
		cfg.Database = DefaultDatabase
	}
	auth := driver.NoAuth()
	if cfg.User != "" {
		auth = driver.BasicAuth(cfg.User, cfg.Password, "")
	}
	drv, err := driver.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		// A request waiting on a dead server should learn it soon, so the
		// API can answer "unavailable"; the pool reconnects by itself when
		// the server is back.
		c.MaxTransactionRetryTime = 15 * time.Second
		c.ConnectionAcquisitionTimeout = 30 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("open neo4j %s: bad URI or configuration: %w: %w", cfg.URI, store.ErrInvalid, err)
	}
	s := &Store{
		drv:       drv,
		uri:       cfg.URI,
		db:        cfg.Database,
		bookmarks: driver.NewBookmarkManager(driver.BookmarkManagerConfig{}),
	}
	if err := drv.VerifyConnectivity(ctx); err != nil {
		_ = drv.Close(ctx)
		return nil, s.openError(err)
	}
	if err := s.Migrate(ctx); err != nil {
		_ = drv.Close(ctx)
		return nil, fmt.Errorf("open neo4j %s database %q: %w", cfg.URI, cfg.Database, err)
	}
	return s, nil
}

// openError explains why the first contact failed.
func (s *Store) openError(err error) error {
	switch {
	case isAuthError(err):
		return fmt.Errorf("open neo4j %s: 认证失败 authentication failed (check NEO4J_USER / NEO4J_PASSWORD): %w: %w",
			s.uri, store.ErrUnavailable, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("open neo4j %s: gave up waiting for the server: %w: %w", s.uri, store.ErrUnavailable, err)
	default:
		return fmt.Errorf("open neo4j %s: 无法连接 unreachable (is Neo4j running there?): %w: %w", s.uri, store.ErrUnavailable, err)
	}
}

// Backend implements store.Store.
func (s *Store) Backend() string { return "neo4j" }

// Close releases the driver and its connections.
func (s *Store) Close(ctx context.Context) error {
	if err := s.drv.Close(ctx); err != nil {
		return fmt.Errorf("close neo4j: %w", err)
	}
	return nil
}

// Ping runs a trivial query against the configured database.
func (s *Store) Ping(ctx context.Context) error {
	_, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
		_, err := collect(ctx, tx, "RETURN 1 AS one", nil)
		return struct{}{}, err
	})
	return s.fail("ping", err)
}

func (s *Store) session(ctx context.Context, mode driver.AccessMode) driver.SessionWithContext {
	return s.drv.NewSession(ctx, driver.SessionConfig{
		DatabaseName: s.db,
		AccessMode:   mode,
		// One bookmark manager per Store gives read-your-writes across
		// sessions when the URI routes to a cluster.
		BookmarkManager: s.bookmarks,
	})
}

// readTx runs work in a read transaction with the driver's retries.
func readTx[T any](ctx context.Context, s *Store, work func(tx driver.ManagedTransaction) (T, error)) (T, error) {
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	return driver.ExecuteRead(ctx, sess, driver.ManagedTransactionWorkT[T](work))
}

// writeTx runs work in a write transaction with the driver's retries; work
// may run more than once and must have no effect outside the transaction.
func writeTx[T any](ctx context.Context, s *Store, work func(tx driver.ManagedTransaction) (T, error)) (T, error) {
	sess := s.session(ctx, driver.AccessModeWrite)
	defer sess.Close(ctx)
	return driver.ExecuteWrite(ctx, sess, driver.ManagedTransactionWorkT[T](work))
}

// collect runs one statement and reads all of its records.
func collect(ctx context.Context, tx driver.ManagedTransaction, q string, params map[string]any) ([]*driver.Record, error) {
	res, err := tx.Run(ctx, q, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// exec runs one statement whose records are not needed.
func exec(ctx context.Context, tx driver.ManagedTransaction, q string, params map[string]any) error {
	res, err := tx.Run(ctx, q, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// fail wraps an error of operation op, mapping driver failures to the
// store's sentinels: anything that says the server cannot be reached or
// refused us becomes store.ErrUnavailable. Nothing is cached: the next
// call tries the server again.
func (s *Store) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	for _, sentinel := range []error{store.ErrNotFound, store.ErrConflict, store.ErrInvalid, store.ErrUnavailable,
		store.ErrSchemaTooNew, store.ErrCorrupt, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, sentinel) {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if isConstraintViolation(err) {
		return fmt.Errorf("%s: %w: %w", op, store.ErrConflict, err)
	}
	// Neo4j calls a transaction over its memory limit transient, but
	// retrying the same batch fails the same way: it is the caller's batch
	// that must shrink, so it must not look like an outage.
	if isMemoryLimit(err) {
		return fmt.Errorf("%s: 事务超出 Neo4j 内存上限，请减小批量 / transaction exceeds Neo4j's memory limit, use smaller batches: %w: %w",
			op, store.ErrInvalid, err)
	}
	if isUnavailable(err) {
		return fmt.Errorf("%s: neo4j %s unavailable: %w: %w", op, s.uri, store.ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isUnavailable(err error) bool {
	var conn *driver.ConnectivityError
	if errors.As(err, &conn) {
		return true
	}
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) {
		// Retries ran out: every failure in the list was transient or a
		// lost connection, else the driver would have stopped earlier.
		return true
	}
	var expired *driver.TokenExpiredError
	if errors.As(err, &expired) {
		return true
	}
	if isAuthError(err) {
		return true
	}
	var nerr *driver.Neo4jError
	if errors.As(err, &nerr) {
		return strings.HasPrefix(nerr.Code, "Neo.TransientError.") ||
			nerr.Code == "Neo.ClientError.Database.DatabaseNotFound" ||
			nerr.Code == "Neo.ClientError.Cluster.NotALeader"
	}
	var usage *driver.UsageError
	if errors.As(err, &usage) {
		return false
	}
	var nerrT interface{ Timeout() bool }
	return errors.As(err, &nerrT) && nerrT.Timeout()
}

// isAuthError reports whether the server refused the credentials. Some
// driver wrappers (a failed routing-table fetch) do not unwrap, so the
// server's error code is also looked for in the text.
func isAuthError(err error) bool {
	var nerr *driver.Neo4jError
	if errors.As(err, &nerr) && nerr.HasSecurityCode() {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "Neo.ClientError.Security.Unauthorized") ||
		strings.Contains(msg, "Neo.ClientError.Security.AuthenticationRateLimit") ||
		strings.Contains(msg, "Neo.ClientError.Security.CredentialsExpired")
}

// isMemoryLimit reports whether the server refused a transaction for the
// memory it needed. The text is searched because the driver reports the
// failure inside its list of retried errors.
func isMemoryLimit(err error) bool {
	return strings.Contains(err.Error(), "MemoryPoolOutOfMemoryError") ||
		strings.Contains(err.Error(), "Neo.TransientError.General.OutOfMemoryError")
}

func isConstraintViolation(err error) bool {
	var nerr *driver.Neo4jError
	return errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed"
}

// Wipe deletes every node and relationship in the store's database, in
// batches, keeps the constraints and indexes, and records the schema
// version again. It exists for tests and benchmarks; never point it at a
// database whose data you want.
func Wipe(ctx context.Context, s *Store) error {
	// Relationships first: deleting a dense node (a village with thousands
	// of HOMETOWN links) together with its relationships would put them all
	// in one transaction, beyond the server's transaction memory limit.
	for _, q := range []string{
		`MATCH ()-[r]->() WITH r LIMIT 5000 DELETE r RETURN count(*) AS n`,
		`MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n`,
	} {
		for {
			n, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (int64, error) {
				recs, err := collect(ctx, tx, q, nil)
				if err != nil || len(recs) == 0 {
					return 0, err
				}
				return integer(recs[0], "n"), nil
			})
			if err != nil {
				return s.fail("wipe neo4j", err)
			}
			if n == 0 {
				break
			}
		}
	}
	return s.Migrate(ctx)
}
