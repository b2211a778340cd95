package neo4j

import (
	"context"
	"fmt"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// SchemaVersion is the schema this code writes and reads.
const SchemaVersion = 3

// migration brings the schema to version. Schema statements cannot share
// a transaction with data writes, so each statement runs on its own; all
// are idempotent (IF NOT EXISTS), so a migration cut short is simply run
// again.
type migration struct {
	version int
	stmts   []string
}

var migrations = []migration{
	{version: 1, stmts: []string{
		// One uniqueness constraint per entity id; each also gives the
		// index the id lookups use.
		`CREATE CONSTRAINT martyr_id IF NOT EXISTS FOR (n:Martyr) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT record_id IF NOT EXISTS FOR (n:ArchivalRecord) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT assertion_id IF NOT EXISTS FOR (n:Assertion) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT cemetery_id IF NOT EXISTS FOR (n:Cemetery) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (n:Unit) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT lead_id IF NOT EXISTS FOR (n:Lead) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT lead_event_key IF NOT EXISTS FOR (n:LeadEvent) REQUIRE (n.leadId, n.seq) IS UNIQUE`,
		`CREATE CONSTRAINT portrait_id IF NOT EXISTS FOR (n:Portrait) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT exhibit_id IF NOT EXISTS FOR (n:Exhibit) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT story_id IF NOT EXISTS FOR (n:Story) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE`,
		`CREATE CONSTRAINT guigen_schema_id IF NOT EXISTS FOR (n:GuigenSchema) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT guigen_counter_name IF NOT EXISTS FOR (n:GuigenCounter) REQUIRE n.name IS UNIQUE`,
		// What the filters and lists look up.
		`CREATE INDEX martyr_surname IF NOT EXISTS FOR (n:Martyr) ON (n.surname)`,
		`CREATE INDEX martyr_name IF NOT EXISTS FOR (n:Martyr) ON (n.name)`,
		`CREATE INDEX martyr_registry_no IF NOT EXISTS FOR (n:Martyr) ON (n.registryNo)`,
		`CREATE INDEX martyr_hometown IF NOT EXISTS FOR (n:Martyr) ON (n.hometownId)`,
		`CREATE INDEX martyr_unit IF NOT EXISTS FOR (n:Martyr) ON (n.unitId)`,
		`CREATE INDEX martyr_cemetery IF NOT EXISTS FOR (n:Martyr) ON (n.cemeteryId)`,
		`CREATE INDEX martyr_died_lo IF NOT EXISTS FOR (n:Martyr) ON (n.diedLo)`,
		`CREATE INDEX martyr_died_hi IF NOT EXISTS FOR (n:Martyr) ON (n.diedHi)`,
		`CREATE INDEX place_name IF NOT EXISTS FOR (n:Place) ON (n.name)`,
		`CREATE INDEX place_level IF NOT EXISTS FOR (n:Place) ON (n.level)`,
		`CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)`,
		`CREATE INDEX lead_state IF NOT EXISTS FOR (n:Lead) ON (n.state)`,
		`CREATE INDEX lead_assignee IF NOT EXISTS FOR (n:Lead) ON (n.assigneeId)`,
		`CREATE INDEX lead_martyr IF NOT EXISTS FOR (n:Lead) ON (n.martyrId)`,
		`CREATE INDEX portrait_martyr IF NOT EXISTS FOR (n:Portrait) ON (n.martyrId)`,
	}},
	{version: 2, stmts: []string{
		// API tokens (only their hashes) and the append-only audit log.
		`CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.id IS UNIQUE`,
		`CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.hash IS UNIQUE`,
		`CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.seq IS UNIQUE`,
		`CREATE INDEX audit_actor IF NOT EXISTS FOR (n:AuditEntry) ON (n.actor)`,
		`CREATE INDEX audit_action IF NOT EXISTS FOR (n:AuditEntry) ON (n.action)`,
		// The audit sequence's counter exists before the first writers
		// race to MERGE it.
		`MERGE (:GuigenCounter {name: 'audit'})`,
	}},
	{version: 3, stmts: []string{
		// Sorted lists of martyrs: by last change (by name uses martyr_name).
		`CREATE INDEX martyr_updated IF NOT EXISTS FOR (n:Martyr) ON (n.updatedAt)`,
		// The image server asks whether an image (by hash) is published.
		`CREATE INDEX portrait_sha IF NOT EXISTS FOR (n:Portrait) ON (n.sha256)`,
	}},
}

// SchemaVersion implements store.Store: the version recorded in the
// database, 0 when none is.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	v, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (int, error) { return recordedVersion(ctx, tx) })
	if err != nil {
		return 0, s.fail("schema version", err)
	}
	return v, nil
}

func recordedVersion(ctx context.Context, tx driver.ManagedTransaction) (int, error) {
	recs, err := collect(ctx, tx, `OPTIONAL MATCH (s:GuigenSchema {id: 'schema'}) RETURN s.version AS version`, nil)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	v, _ := recs[0].Get("version")
	n, _ := v.(int64)
	return int(n), nil
}

// Migrate implements store.Store. A database with a newer schema is left
// untouched and gives store.ErrSchemaTooNew.
func (s *Store) Migrate(ctx context.Context) error {
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > SchemaVersion {
		return fmt.Errorf("migrate: database has schema %d, this program knows %d: %w", current, SchemaVersion, store.ErrSchemaTooNew)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, stmt := range m.stmts {
			if _, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
				return struct{}{}, exec(ctx, tx, stmt, nil)
			}); err != nil {
				return s.fail(fmt.Sprintf("migrate to %d", m.version), err)
			}
		}
		if _, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
			// Never lower the version: another process may have migrated
			// further in the meantime.
			return struct{}{}, exec(ctx, tx, `MERGE (s:GuigenSchema {id: 'schema'})
SET s.version = CASE WHEN coalesce(s.version, 0) < $v THEN $v ELSE s.version END
MERGE (:GuigenCounter {name: 'change'})`, map[string]any{"v": int64(m.version)})
		}); err != nil {
			return s.fail(fmt.Sprintf("record schema %d", m.version), err)
		}
	}
	if _, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
		return struct{}{}, exec(ctx, tx, `CALL db.awaitIndexes(300)`, nil)
	}); err != nil {
		return s.fail("migrate: wait for indexes", err)
	}
	return nil
}
