package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/store"
)

// defaultAuditLimit bounds an audit read that names no limit.
const defaultAuditLimit = 1000

func checkToken(t store.Token) error {
	switch {
	case !validID(t.ID):
		return fmt.Errorf("token id must be non-empty, at most 200 bytes, without surrounding spaces: %w", store.ErrInvalid)
	case t.Hash == "":
		return fmt.Errorf("token %q: hash is empty: %w", t.ID, store.ErrInvalid)
	case t.Role == "":
		return fmt.Errorf("token %q: role is empty: %w", t.ID, store.ErrInvalid)
	}
	return nil
}

// CreateToken stores a new token. ErrConflict when the id or the hash
// exists already.
func (s *Store) CreateToken(ctx context.Context, t store.Token) (store.Token, error) {
	op := fmt.Sprintf("create token %q", t.ID)
	if err := checkToken(t); err != nil {
		return store.Token{}, fmt.Errorf("%s: %w", op, err)
	}
	err := s.write(ctx, op, func(tx *sql.Tx, at time.Time) error {
		if t.Created.IsZero() {
			t.Created = at
		}
		t.Created = t.Created.UTC().Truncate(time.Millisecond)
		t.Revoked = time.Time{}
		if !t.Expires.IsZero() {
			t.Expires = t.Expires.UTC().Truncate(time.Millisecond)
		}
		doc, err := canonical(t)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO api_token (id, hash, doc) VALUES (?, ?, ?)", t.ID, t.Hash, doc)
		return err // a duplicate id or hash is a constraint error: ErrConflict
	})
	if err != nil {
		return store.Token{}, err
	}
	return t, nil
}

func scanToken(row interface{ Scan(...any) error }) (store.Token, error) {
	var doc string
	if err := row.Scan(&doc); err != nil {
		return store.Token{}, err
	}
	var t store.Token
	if err := json.Unmarshal([]byte(doc), &t); err != nil {
		return store.Token{}, fmt.Errorf("decode token: %w: %w", store.ErrCorrupt, err)
	}
	return t, nil
}

// TokenByHash finds a token, revoked or not, by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	var t store.Token
	err := s.read(ctx, "token by hash", func(tx *sql.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRowContext(ctx, "SELECT doc FROM api_token WHERE hash = ?", hash))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no such token: %w", store.ErrNotFound)
		}
		return err
	})
	return t, err
}

// RevokeToken marks a token revoked at the time of the call; revoking a
// revoked token keeps the first time. ErrNotFound when there is none.
func (s *Store) RevokeToken(ctx context.Context, id string) (store.Token, error) {
	var t store.Token
	err := s.write(ctx, fmt.Sprintf("revoke token %q", id), func(tx *sql.Tx, at time.Time) error {
		var err error
		t, err = scanToken(tx.QueryRowContext(ctx, "SELECT doc FROM api_token WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no such token: %w", store.ErrNotFound)
		}
		if err != nil || !t.Revoked.IsZero() {
			return err
		}
		t.Revoked = at.Truncate(time.Millisecond)
		doc, err := canonical(t)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE api_token SET doc = ? WHERE id = ?", doc, id)
		return err
	})
	return t, err
}

// ListTokens lists every token in ID order.
func (s *Store) ListTokens(ctx context.Context) ([]store.Token, error) {
	var out []store.Token
	err := s.read(ctx, "list tokens", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT doc FROM api_token ORDER BY id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// AppendAudit appends entries to the audit log in one transaction and
// returns them with Seq (and At, when zero) set.
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
	err := s.write(ctx, "append audit", func(tx *sql.Tx, at time.Time) error {
		for i := range out {
			e := &out[i]
			if e.At.IsZero() {
				e.At = at
			}
			e.At = e.At.UTC().Truncate(time.Millisecond)
			// Seq is known only after the insert; the document is
			// written without it and completed on read.
			e.Seq = 0
			doc, err := canonical(e)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, "INSERT INTO audit_log (actor, action, doc) VALUES (?, ?, ?)", e.Actor, e.Action, doc)
			if err != nil {
				return err
			}
			if e.Seq, err = res.LastInsertId(); err != nil {
				return err
			}
			for _, sub := range slices.Compact(slices.Sorted(slices.Values(e.Subject))) {
				if _, err := tx.ExecContext(ctx, "INSERT INTO audit_subject (subject_id, seq) VALUES (?, ?)", sub, e.Seq); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Audit reads the audit log in Seq order.
func (s *Store) Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	q := "SELECT a.seq, a.doc FROM audit_log a WHERE a.seq > ?"
	args := []any{f.After}
	if f.Actor != "" {
		q += " AND a.actor = ?"
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		q += " AND a.action = ?"
		args = append(args, f.Action)
	}
	if f.Subject != "" {
		q += " AND a.seq IN (SELECT seq FROM audit_subject WHERE subject_id = ?)"
		args = append(args, f.Subject)
	}
	q += " ORDER BY a.seq LIMIT ?"
	args = append(args, limit)
	var out []store.AuditEntry
	err := s.read(ctx, "audit", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var doc string
			if err := rows.Scan(&seq, &doc); err != nil {
				return err
			}
			var e store.AuditEntry
			if err := json.Unmarshal([]byte(doc), &e); err != nil {
				return fmt.Errorf("decode audit entry %d: %w: %w", seq, store.ErrCorrupt, err)
			}
			e.Seq = seq
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
