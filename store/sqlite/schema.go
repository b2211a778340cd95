package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// migrations[i] brings the schema from version i to i+1. Append only;
// never edit a migration that has shipped.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE martyr (
	id          TEXT PRIMARY KEY,
	doc         TEXT NOT NULL,    -- canonical JSON without version and updatedAt
	version     INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL, -- unix nanoseconds, UTC
	surname     TEXT NOT NULL,
	hometown_id TEXT,
	died_lo     INTEGER,          -- earliest possible death year; NULL unknown
	died_hi     INTEGER,
	cemetery_id TEXT,
	unit_id     TEXT,
	unnamed     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX martyr_surname  ON martyr(surname);
CREATE INDEX martyr_hometown ON martyr(hometown_id);
CREATE INDEX martyr_died     ON martyr(died_lo, died_hi);
CREATE INDEX martyr_cemetery ON martyr(cemetery_id);
CREATE INDEX martyr_unit     ON martyr(unit_id);
CREATE INDEX martyr_unnamed  ON martyr(unnamed);

CREATE TABLE person (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE kinship (
	person_id TEXT NOT NULL,
	martyr_id TEXT NOT NULL,
	doc       TEXT NOT NULL,
	PRIMARY KEY (person_id, martyr_id)
) WITHOUT ROWID;
CREATE INDEX kinship_martyr ON kinship(martyr_id, person_id);

CREATE TABLE place (
	id        TEXT PRIMARY KEY,
	doc       TEXT NOT NULL,
	parent_id TEXT,
	level     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX place_parent ON place(parent_id);

-- place_change: from_id was replaced by to_id (Place.ReplacedBy).
CREATE TABLE place_change (
	from_id TEXT NOT NULL,
	ord     INTEGER NOT NULL,
	to_id   TEXT NOT NULL,
	year    INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	PRIMARY KEY (from_id, ord)
) WITHOUT ROWID;
CREATE INDEX place_change_to ON place_change(to_id);

CREATE TABLE unit     (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE cemetery (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE event    (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE exhibit  (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE story    (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE record   (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE record_martyr (
	record_id TEXT NOT NULL,
	martyr_id TEXT NOT NULL,
	PRIMARY KEY (record_id, martyr_id)
) WITHOUT ROWID;
CREATE INDEX record_martyr_by_martyr ON record_martyr(martyr_id, record_id);

CREATE TABLE assertion (
	id        TEXT PRIMARY KEY,
	martyr_id TEXT NOT NULL,
	doc       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX assertion_martyr ON assertion(martyr_id, id);

CREATE TABLE assertion_cite (
	assertion_id TEXT NOT NULL,
	record_id    TEXT NOT NULL,
	PRIMARY KEY (assertion_id, record_id)
) WITHOUT ROWID;

CREATE TABLE portrait (
	id        TEXT PRIMARY KEY,
	martyr_id TEXT NOT NULL,
	doc       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX portrait_martyr ON portrait(martyr_id, id);

CREATE TABLE lead (
	id          TEXT PRIMARY KEY,
	doc         TEXT NOT NULL, -- the whole lead, version and times included
	martyr_id   TEXT NOT NULL,
	state       TEXT NOT NULL,
	assignee_id TEXT,
	version     INTEGER NOT NULL,
	event_seq   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX lead_martyr   ON lead(martyr_id);
CREATE INDEX lead_state    ON lead(state);
CREATE INDEX lead_assignee ON lead(assignee_id);

CREATE TABLE lead_event (
	lead_id TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	doc     TEXT NOT NULL,
	PRIMARY KEY (lead_id, seq)
) WITHOUT ROWID;

-- AUTOINCREMENT: a sequence number is never reused, even if old entries
-- are pruned, so the search index's watermark stays meaningful.
CREATE TABLE change_log (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	id   TEXT NOT NULL,
	at   INTEGER NOT NULL
);
`,
	// 2: API tokens (only their hashes) and the append-only audit log.
	`
CREATE TABLE api_token (
	id   TEXT PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,
	doc  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	doc    TEXT NOT NULL
);
CREATE INDEX audit_log_actor  ON audit_log(actor, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);

CREATE TABLE audit_subject (
	subject_id TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	PRIMARY KEY (subject_id, seq)
) WITHOUT ROWID;
`,
	// 3: sorted lists of martyrs (by name, by last change) read an index
	// instead of sorting the whole table for every page. The expression
	// is the one ListMartyrs orders by.
	`
CREATE INDEX martyr_sort_name    ON martyr(coalesce(json_extract(doc, '$.name'), ''), id);
CREATE INDEX martyr_sort_updated ON martyr(updated_at, id);
-- The image server asks whether an image (by hash) is published.
CREATE INDEX portrait_sha ON portrait(json_extract(doc, '$.sha256'));
`,
}

// currentSchema is the schema version this program writes.
var currentSchema = int64(len(migrations))

// Migrate implements store.Store: it applies the missing migrations in
// one transaction and records the new version and the application id.
func (s *Store) Migrate(ctx context.Context) error {
	return s.write(ctx, "migrate", func(tx *sql.Tx, _ time.Time) error {
		var appID, version, objects int64
		if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
			return err
		}
		if err := checkIdentity(appID, version, objects); err != nil {
			return err
		}
		if version == currentSchema {
			return nil
		}
		for v := version; v < currentSchema; v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration to version %d: %w", v+1, err)
			}
		}
		// PRAGMA arguments cannot be bound; both values are constants.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", currentSchema)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return err
		}
		if version == 0 {
			slog.DebugContext(ctx, "sqlite database created", "path", s.path, "schema", currentSchema)
		} else {
			slog.InfoContext(ctx, "sqlite schema migrated", "path", s.path, "from", version, "to", currentSchema)
		}
		return nil
	})
}
