package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/guigen/guigen/store"
)

func validID(id string) bool { return id != "" && strings.TrimSpace(id) == id && len(id) <= 200 }

// writeLead upserts the lead row; the document holds the whole lead,
// version and times included (leads are never compared for no-ops).
func (w *writer) writeLead(l store.Lead, eventSeq int) error {
	doc, err := canonical(l)
	if err != nil {
		return err
	}
	return w.exec(`INSERT INTO lead (id, doc, martyr_id, state, assignee_id, version, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, martyr_id = excluded.martyr_id, state = excluded.state,
assignee_id = excluded.assignee_id, version = excluded.version, event_seq = excluded.event_seq`,
		l.ID, doc, l.MartyrID, string(l.State), nullable(l.AssigneeID), l.Version, eventSeq)
}

func (w *writer) appendEvent(e store.LeadEvent) error {
	doc, err := canonical(e)
	if err != nil {
		return err
	}
	return w.exec("INSERT INTO lead_event (lead_id, seq, doc) VALUES (?, ?, ?)", e.LeadID, e.Seq, doc)
}

// CreateLead implements store.Store.
func (s *Store) CreateLead(ctx context.Context, l store.Lead) (store.Lead, error) {
	op := fmt.Sprintf("create lead %q", l.ID)
	if !validID(l.ID) {
		return store.Lead{}, fmt.Errorf("%s: id must be non-empty, at most 200 bytes, without surrounding spaces: %w", op, store.ErrInvalid)
	}
	if l.MartyrID == "" {
		return store.Lead{}, fmt.Errorf("%s: martyrId is empty: %w", op, store.ErrInvalid)
	}
	refs := []store.Ref{{Kind: store.KindMartyr, ID: l.MartyrID, From: fmt.Sprintf("lead %q martyrId", l.ID)}}
	for _, p := range l.PersonIDs {
		refs = append(refs, store.Ref{Kind: store.KindPerson, ID: p, From: fmt.Sprintf("lead %q personIds", l.ID)})
	}
	var out store.Lead
	err := s.write(ctx, op, func(tx *sql.Tx, at time.Time) error {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM lead WHERE id = ?", l.ID).Scan(&one)
		if err == nil {
			return fmt.Errorf("lead exists: %w", store.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		w := newWriter(ctx, tx, at)
		defer w.close()
		if err := w.checkRefs(refs); err != nil {
			return err
		}
		lead := l
		lead.State, lead.Version = store.LeadNew, 1
		if lead.CreatedAt.IsZero() {
			lead.CreatedAt = at
		}
		lead.CreatedAt = lead.CreatedAt.UTC()
		lead.UpdatedAt = lead.CreatedAt
		if err := w.writeLead(lead, 1); err != nil {
			return err
		}
		ev := store.LeadEvent{LeadID: l.ID, Seq: 1, Kind: "create", Actor: l.CreatedBy, At: lead.CreatedAt, To: store.LeadNew}
		if err := w.appendEvent(ev); err != nil {
			return err
		}
		w.changes = append(w.changes, change{kind: store.KindLead, id: l.ID})
		if err := w.logChanges(); err != nil {
			return err
		}
		out = lead
		return nil
	})
	return out, err
}

// AdvanceLead implements store.Store.
func (s *Store) AdvanceLead(ctx context.Context, u store.LeadUpdate) (store.Lead, error) {
	op := fmt.Sprintf("advance lead %q", u.LeadID)
	ev := u.Event
	if err := u.ValidateEvent(); err != nil {
		return store.Lead{}, fmt.Errorf("%s: %w", op, err)
	}
	effects, err := prepare(u.Effects)
	if err != nil {
		return store.Lead{}, fmt.Errorf("%s: effects: %w", op, err)
	}
	evidence := map[string]bool{}
	for _, id := range ev.Evidence {
		if !evidence[id] {
			evidence[id] = true
			effects.refs = append(effects.refs, store.Ref{Kind: store.KindRecord, ID: id, From: fmt.Sprintf("lead %q event evidence", u.LeadID)})
		}
	}

	var out store.Lead
	err = s.write(ctx, op, func(tx *sql.Tx, at time.Time) error {
		var doc string
		var seq int
		err := tx.QueryRowContext(ctx, "SELECT doc, event_seq FROM lead WHERE id = ?", u.LeadID).Scan(&doc, &seq)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no such lead: %w", store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		lead, err := decode[store.Lead](doc)
		if err != nil {
			return err
		}
		if lead.Version != u.ExpectVersion {
			return fmt.Errorf("lead has version %d, not %d: %w", lead.Version, u.ExpectVersion, store.ErrConflict)
		}
		e := ev
		e.LeadID, e.Seq = u.LeadID, seq+1
		if e.At.IsZero() {
			e.At = at
		}
		e.At = e.At.UTC()
		switch e.Kind {
		case "transition":
			if e.From != lead.State {
				return fmt.Errorf("lead is %s, not %s: %w", lead.State, e.From, store.ErrConflict)
			}
			lead.State = e.To
		case "assign":
			lead.AssigneeID = e.Assignee
		}
		lead.Version++
		lead.UpdatedAt = at

		w := newWriter(ctx, tx, at)
		defer w.close()
		// Effects and evidence are checked before anything is written.
		if err := w.run(effects); err != nil {
			return err
		}
		if err := w.writeLead(lead, e.Seq); err != nil {
			return err
		}
		if err := w.appendEvent(e); err != nil {
			return err
		}
		w.changes = append(w.changes, change{kind: store.KindLead, id: u.LeadID})
		if err := w.logChanges(); err != nil {
			return err
		}
		out = lead
		return nil
	})
	return out, err
}

// ListLeads implements store.Store.
func (s *Store) ListLeads(ctx context.Context, f store.LeadFilter, p store.PageReq) (store.Page[store.Lead], error) {
	q := listQuery{table: "lead", cols: "v.id, v.doc"}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		q.conds = append(q.conds, "v.state IN (SELECT value FROM json_each(?))")
		q.args = append(q.args, idsJSON(states))
	}
	if f.AssigneeID != "" {
		q.conds, q.args = append(q.conds, "v.assignee_id = ?"), append(q.args, f.AssigneeID)
	}
	if f.MartyrID != "" {
		q.conds, q.args = append(q.conds, "v.martyr_id = ?"), append(q.args, f.MartyrID)
	}
	return page(ctx, s, "list leads", q, p, func(r *sql.Rows) (store.Lead, string, error) {
		id, l, err := scanKeyDoc[store.Lead](r)
		return l, id, err
	})
}

// LeadEvents implements store.Store. An unknown lead is ErrNotFound.
func (s *Store) LeadEvents(ctx context.Context, leadID string) ([]store.LeadEvent, error) {
	op := fmt.Sprintf("events of lead %q", leadID)
	out := []store.LeadEvent{}
	err := s.read(ctx, op, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM lead WHERE id = ?", leadID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return store.ErrNotFound
			}
			return err
		}
		return queryEach(ctx, tx, "SELECT lead_id, doc FROM lead_event WHERE lead_id = ? ORDER BY seq", []any{leadID},
			func(r *sql.Rows) error {
				_, e, err := scanKeyDoc[store.LeadEvent](r)
				out = append(out, e)
				return err
			})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LeadEventsOf implements store.Store.
func (s *Store) LeadEventsOf(ctx context.Context, leadIDs []string) (map[string][]store.LeadEvent, error) {
	return byKey(ctx, s, "events of leads", `SELECT lead_id, doc FROM lead_event
WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, seq`, leadIDs, scanKeyDoc[store.LeadEvent])
}
