package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// defaultAuditLimit bounds an audit read that names no limit.
const defaultAuditLimit = 1000

func checkToken(t store.Token) error {
	switch {
	case t.ID == "" || strings.TrimSpace(t.ID) != t.ID || len(t.ID) > 200:
		return fmt.Errorf("token id must be non-empty, at most 200 bytes, without surrounding spaces: %w", store.ErrInvalid)
	case t.Hash == "":
		return fmt.Errorf("token %q: hash is empty: %w", t.ID, store.ErrInvalid)
	case t.Role == "":
		return fmt.Errorf("token %q: role is empty: %w", t.ID, store.ErrInvalid)
	}
	return nil
}

func tokenOf(r *driver.Record) (store.Token, error) {
	return decode[store.Token](str(r, "doc"))
}

// CreateToken stores a new token. ErrConflict when the id or the hash
// exists already (the uniqueness constraints refuse the CREATE).
func (s *Store) CreateToken(ctx context.Context, t store.Token) (store.Token, error) {
	op := fmt.Sprintf("create token %q", t.ID)
	if err := checkToken(t); err != nil {
		return store.Token{}, fmt.Errorf("%s: %w", op, err)
	}
	if t.Created.IsZero() {
		t.Created = time.Now()
	}
	t.Created = t.Created.UTC().Truncate(time.Millisecond)
	t.Revoked = time.Time{}
	if !t.Expires.IsZero() {
		t.Expires = t.Expires.UTC().Truncate(time.Millisecond)
	}
	doc, err := canonical(t)
	if err != nil {
		return store.Token{}, fmt.Errorf("%s: %w", op, err)
	}
	_, err = writeTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
		return struct{}{}, exec(ctx, tx, `CREATE (:ApiToken {id: $id, hash: $hash, doc: $doc})`,
			map[string]any{"id": t.ID, "hash": t.Hash, "doc": doc})
	})
	if err != nil {
		return store.Token{}, s.fail(op, err)
	}
	return t, nil
}

// TokenByHash finds a token, revoked or not, by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (t:ApiToken {hash: $hash}) RETURN t.doc AS doc`, map[string]any{"hash": hash})
	})
	if err != nil {
		return store.Token{}, s.fail("token by hash", err)
	}
	if len(recs) == 0 {
		return store.Token{}, fmt.Errorf("token by hash: no such token: %w", store.ErrNotFound)
	}
	return tokenOf(recs[0])
}

// RevokeToken marks a token revoked at the time of the call; revoking a
// revoked token keeps the first time. ErrNotFound when there is none.
func (s *Store) RevokeToken(ctx context.Context, id string) (store.Token, error) {
	op := fmt.Sprintf("revoke token %q", id)
	t, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (store.Token, error) {
		recs, err := collect(ctx, tx, `MATCH (t:ApiToken {id: $id}) RETURN t.doc AS doc`, map[string]any{"id": id})
		if err != nil {
			return store.Token{}, err
		}
		if len(recs) == 0 {
			return store.Token{}, fmt.Errorf("no such token: %w", store.ErrNotFound)
		}
		t, err := tokenOf(recs[0])
		if err != nil || !t.Revoked.IsZero() {
			return t, err
		}
		t.Revoked = time.Now().UTC().Truncate(time.Millisecond)
		doc, err := canonical(t)
		if err != nil {
			return store.Token{}, err
		}
		return t, exec(ctx, tx, `MATCH (t:ApiToken {id: $id}) SET t.doc = $doc, t.revoked = $at`,
			map[string]any{"id": id, "doc": doc, "at": t.Revoked})
	})
	if err != nil {
		return store.Token{}, s.fail(op, err)
	}
	return t, nil
}

// ListTokens lists every token in ID order.
func (s *Store) ListTokens(ctx context.Context) ([]store.Token, error) {
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (t:ApiToken) RETURN t.doc AS doc ORDER BY t.id`, nil)
	})
	if err != nil {
		return nil, s.fail("list tokens", err)
	}
	out := make([]store.Token, 0, len(recs))
	for _, r := range recs {
		t, err := tokenOf(r)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

// AppendAudit appends entries to the audit log in one transaction and
// returns them with Seq (and At, when zero) set. Seq comes from a counter
// node, so concurrent writers serialise on its lock and never share one.
func (s *Store) AppendAudit(ctx context.Context, entries ...store.AuditEntry) ([]store.AuditEntry, error) {
	out := slices.Clone(entries)
	for _, e := range out {
		if e.Action == "" || strings.TrimSpace(e.Action) != e.Action {
			return nil, fmt.Errorf("append audit: action is empty: %w", store.ErrInvalid)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	rows := make([]map[string]any, len(out))
	for i := range out {
		e := &out[i]
		if e.At.IsZero() {
			e.At = at
		}
		e.At = e.At.UTC().Truncate(time.Millisecond)
		e.Seq = 0
		doc, err := canonical(*e)
		if err != nil {
			return nil, fmt.Errorf("append audit: %w", err)
		}
		subj := slices.Compact(slices.Sorted(slices.Values(e.Subject)))
		if subj == nil {
			subj = []string{}
		}
		rows[i] = map[string]any{"i": int64(i), "doc": doc, "actor": e.Actor, "action": e.Action, "at": e.At, "subject": subj}
	}
	seqs, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) ([]int64, error) {
		recs, err := collect(ctx, tx, `MERGE (c:GuigenCounter {name: 'audit'})
SET c.value = coalesce(c.value, 0) + size($rows)
WITH c.value - size($rows) AS base
UNWIND $rows AS row
CREATE (a:AuditEntry {seq: base + row.i + 1, doc: row.doc, actor: row.actor, action: row.action, at: row.at, subject: row.subject})
RETURN a.seq AS seq ORDER BY seq`, map[string]any{"rows": rows})
		if err != nil {
			return nil, err
		}
		out := make([]int64, len(recs))
		for i, r := range recs {
			out[i] = integer(r, "seq")
		}
		return out, nil
	})
	if err != nil {
		return nil, s.fail("append audit", err)
	}
	if len(seqs) != len(out) {
		return nil, fmt.Errorf("append audit: wrote %d entries of %d", len(seqs), len(out))
	}
	for i := range out {
		out[i].Seq = seqs[i]
	}
	return out, nil
}

// Audit reads the audit log in Seq order.
func (s *Store) Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (a:AuditEntry) WHERE a.seq > $after
AND ($actor = '' OR a.actor = $actor) AND ($action = '' OR a.action = $action)
AND ($subject = '' OR $subject IN a.subject)
RETURN a.seq AS seq, a.doc AS doc ORDER BY a.seq LIMIT $limit`,
			map[string]any{"after": f.After, "actor": f.Actor, "action": f.Action, "subject": f.Subject, "limit": int64(limit)})
	})
	if err != nil {
		return nil, s.fail("audit", err)
	}
	out := make([]store.AuditEntry, 0, len(recs))
	for _, r := range recs {
		e, err := decode[store.AuditEntry](str(r, "doc"))
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		e.Seq = integer(r, "seq")
		out = append(out, e)
	}
	return out, nil
}
