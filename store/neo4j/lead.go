package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// leadProps are the scalar properties of a lead node; the document holds
// the whole lead, version and times included (leads are never upserted,
// so there is no identical-rewrite check to keep them out of).
func leadProps(l store.Lead) (map[string]any, error) {
	doc, err := canonical(l)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"id": l.ID, "doc": doc, "martyrId": l.MartyrID, "state": string(l.State),
		"assigneeId": opt(l.AssigneeID), "source": opt(l.Source), "createdBy": opt(l.CreatedBy),
		"createdAt": l.CreatedAt, "updatedAt": l.UpdatedAt, "version": l.Version,
	}, nil
}

func eventProps(e store.LeadEvent) (map[string]any, error) {
	doc, err := canonical(e)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"leadId": e.LeadID, "seq": int64(e.Seq), "doc": doc, "kind": e.Kind, "actor": opt(e.Actor), "at": e.At,
		"from": opt(string(e.From)), "to": opt(string(e.To)), "assignee": opt(e.Assignee),
	}, nil
}

const (
	qLeadEvent = `MATCH (l:Lead {id: $lead})
CREATE (e:LeadEvent)-[:OF]->(l)
SET e = $event
WITH e
UNWIND $evidence AS rid
MATCH (r:ArchivalRecord {id: rid})
CREATE (e)-[:CITES]->(r)`
)

// CreateLead implements store.Store.
func (s *Store) CreateLead(ctx context.Context, l store.Lead) (store.Lead, error) {
	if l.ID == "" || strings.TrimSpace(l.ID) != l.ID || len(l.ID) > 200 {
		return store.Lead{}, fmt.Errorf("create lead %q: id must be non-empty, at most 200 bytes, without surrounding spaces: %w", l.ID, store.ErrInvalid)
	}
	if l.MartyrID == "" {
		return store.Lead{}, fmt.Errorf("create lead %q: martyrId is empty: %w", l.ID, store.ErrInvalid)
	}
	refs := []store.Ref{{Kind: store.KindMartyr, ID: l.MartyrID, From: fmt.Sprintf("lead %q martyrId", l.ID)}}
	for _, p := range l.PersonIDs {
		refs = append(refs, store.Ref{Kind: store.KindPerson, ID: p, From: fmt.Sprintf("lead %q personIds", l.ID)})
	}
	created, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (store.Lead, error) {
		at := now()
		lead := l
		lead.State, lead.Version = store.LeadNew, 1
		if lead.CreatedAt.IsZero() {
			lead.CreatedAt = at
		}
		lead.CreatedAt = lead.CreatedAt.UTC()
		lead.UpdatedAt = lead.CreatedAt
		ev := store.LeadEvent{LeadID: l.ID, Seq: 1, Kind: "create", Actor: l.CreatedBy, At: lead.CreatedAt, To: store.LeadNew}

		exists, err := collect(ctx, tx, `MATCH (l:Lead {id: $id}) RETURN l.id AS id`, map[string]any{"id": l.ID})
		if err != nil {
			return store.Lead{}, err
		}
		if len(exists) > 0 {
			return store.Lead{}, fmt.Errorf("lead %q exists: %w", l.ID, store.ErrConflict)
		}
		if err := checkRefs(ctx, tx, refs); err != nil {
			return store.Lead{}, err
		}
		props, err := leadProps(lead)
		if err != nil {
			return store.Lead{}, err
		}
		evp, err := eventProps(ev)
		if err != nil {
			return store.Lead{}, err
		}
		// CREATE, not MERGE: a concurrent creator of the same id fails on
		// the uniqueness constraint, which maps to ErrConflict.
		if err := exec(ctx, tx, `CREATE (l:Lead)
SET l = $props, l.eventSeq = 1
WITH l
MATCH (m:Martyr {id: $martyr})
CREATE (l)-[:CONCERNS]->(m)
WITH l
UNWIND $people AS pid
MATCH (p:Person {id: pid})
CREATE (l)-[:CANDIDATE]->(p)`, map[string]any{"props": props, "martyr": l.MartyrID, "people": distinct(l.PersonIDs)}); err != nil {
			return store.Lead{}, err
		}
		if err := exec(ctx, tx, qLeadEvent, map[string]any{"lead": l.ID, "event": evp, "evidence": []string{}}); err != nil {
			return store.Lead{}, err
		}
		if err := logChanges(ctx, tx, []change{{kind: store.KindLead, id: l.ID}}, at); err != nil {
			return store.Lead{}, err
		}
		return lead, nil
	})
	if err != nil {
		return store.Lead{}, s.fail(fmt.Sprintf("create lead %q", l.ID), err)
	}
	return created, nil
}

func distinct(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// AdvanceLead implements store.Store.
func (s *Store) AdvanceLead(ctx context.Context, u store.LeadUpdate) (store.Lead, error) {
	op := fmt.Sprintf("advance lead %q", u.LeadID)
	ev := u.Event
	if err := u.ValidateEvent(); err != nil {
		return store.Lead{}, fmt.Errorf("%s: %w", op, err)
	}
	var (
		groups []group
		refs   []store.Ref
	)
	if u.Effects != nil && u.Effects.Len() > 0 {
		var err error
		if refs, err = u.Effects.Validate(); err != nil {
			return store.Lead{}, fmt.Errorf("%s: effects: %w", op, err)
		}
		if groups, err = encodeBatch(u.Effects); err != nil {
			return store.Lead{}, fmt.Errorf("%s: effects: %w", op, err)
		}
	}
	for _, id := range distinct(ev.Evidence) {
		refs = append(refs, store.Ref{Kind: store.KindRecord, ID: id, From: fmt.Sprintf("lead %q event evidence", u.LeadID)})
	}

	lead, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (store.Lead, error) {
		recs, err := collect(ctx, tx, `MATCH (l:Lead {id: $id})
SET l._lock = true REMOVE l._lock
RETURN l.doc AS doc, l.eventSeq AS eventSeq`, map[string]any{"id": u.LeadID})
		if err != nil {
			return store.Lead{}, err
		}
		if len(recs) == 0 {
			return store.Lead{}, fmt.Errorf("lead %q: %w", u.LeadID, store.ErrNotFound)
		}
		lead, err := decodeAny[store.Lead](recs[0])
		if err != nil {
			return store.Lead{}, err
		}
		if lead.Version != u.ExpectVersion {
			return store.Lead{}, fmt.Errorf("lead %q has version %d, not %d: %w", u.LeadID, lead.Version, u.ExpectVersion, store.ErrConflict)
		}
		e := ev
		e.LeadID, e.Seq = u.LeadID, int(integer(recs[0], "eventSeq"))+1
		at := now()
		if e.At.IsZero() {
			e.At = at
		}
		e.At = e.At.UTC()
		switch e.Kind {
		case "transition":
			if e.From != lead.State {
				return store.Lead{}, fmt.Errorf("lead %q is %s, not %s: %w", u.LeadID, lead.State, e.From, store.ErrConflict)
			}
			lead.State = e.To
		case "assign":
			lead.AssigneeID = e.Assignee
		}
		lead.Version++
		lead.UpdatedAt = at

		// Effects and evidence are checked before anything is written.
		res, err := applyTx(ctx, tx, groups, refs, at)
		if err != nil {
			return store.Lead{}, err
		}
		props, err := leadProps(lead)
		if err != nil {
			return store.Lead{}, err
		}
		evp, err := eventProps(e)
		if err != nil {
			return store.Lead{}, err
		}
		if err := exec(ctx, tx, `MATCH (l:Lead {id: $id}) SET l += $props, l.eventSeq = $seq`,
			map[string]any{"id": u.LeadID, "props": props, "seq": int64(e.Seq)}); err != nil {
			return store.Lead{}, err
		}
		if err := exec(ctx, tx, qLeadEvent, map[string]any{"lead": u.LeadID, "event": evp, "evidence": distinct(e.Evidence)}); err != nil {
			return store.Lead{}, err
		}
		changes := append(res.changes, change{kind: store.KindLead, id: u.LeadID})
		if err := logChanges(ctx, tx, changes, at); err != nil {
			return store.Lead{}, err
		}
		return lead, nil
	})
	if err != nil {
		return store.Lead{}, s.fail(op, err)
	}
	return lead, nil
}

// ListLeads implements store.Store.
func (s *Store) ListLeads(ctx context.Context, f store.LeadFilter, p store.PageReq) (store.Page[store.Lead], error) {
	q := listQuery{match: "MATCH (v:Lead)", ret: "v.id AS id, v.doc AS doc", params: map[string]any{}}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		q.conds = append(q.conds, "v.state IN $states")
		q.params["states"] = states
	}
	if f.AssigneeID != "" {
		q.conds = append(q.conds, "v.assigneeId = $assignee")
		q.params["assignee"] = f.AssigneeID
	}
	if f.MartyrID != "" {
		q.conds = append(q.conds, "v.martyrId = $martyr")
		q.params["martyr"] = f.MartyrID
	}
	return page(ctx, s, "list leads", q, p, decodeAny[store.Lead])
}

// LeadEvents implements store.Store.
func (s *Store) LeadEvents(ctx context.Context, leadID string) ([]store.LeadEvent, error) {
	op := fmt.Sprintf("events of lead %q", leadID)
	recs, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*driver.Record, error) {
		return collect(ctx, tx, `MATCH (l:Lead {id: $id})
OPTIONAL MATCH (e:LeadEvent)-[:OF]->(l)
RETURN e.doc AS doc, e.seq AS seq
ORDER BY seq`, map[string]any{"id": leadID})
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	out := make([]store.LeadEvent, 0, len(recs))
	for _, r := range recs {
		if str(r, "doc") == "" {
			continue
		}
		e, err := decodeAny[store.LeadEvent](r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// LeadEventsOf implements store.Store.
func (s *Store) LeadEventsOf(ctx context.Context, leadIDs []string) (map[string][]store.LeadEvent, error) {
	return byID(ctx, s, "events of leads", `UNWIND $ids AS id
MATCH (e:LeadEvent)-[:OF]->(:Lead {id: id})
RETURN id, e.seq AS seq, e.doc AS doc
ORDER BY id, seq`, leadIDs, decodeAny[store.LeadEvent])
}
