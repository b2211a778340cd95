package casework

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store"
)

// Service runs the lead workflow over a store. Every method takes the
// caller from the context (auth.UserFrom) and checks the role before it
// writes anything.
type Service struct {
	Store store.Store
	// Audit receives a line per workflow move; nil leaves only the lead's
	// own trail.
	Audit auth.AuditLog
	// Broker receives every move for subscriptions; may be nil.
	Broker *Broker
	// Search backs SuggestMartyrs; nil makes it unavailable.
	Search Searcher
	Log    *slog.Logger
}

// Candidate is a family member a lead proposes, with the kinship the
// family claims; Relation empty links the person without a claim.
type Candidate struct {
	PersonID string
	Relation store.Relation
	Line     store.Line
}

// NewLead is what createLead takes.
type NewLead struct {
	MartyrID   string
	Candidates []Candidate
	// Source: "search", "claim" or "manual".
	Source     string
	Summary    string
	AssigneeID string
}

// Sources a lead may come from.
var Sources = []string{"search", "claim", "manual"}

// workers may create leads and read them.
var workers = []auth.Role{auth.Volunteer, auth.Caseworker, auth.Admin}

// CanRead reports whether the context's user may read leads: their
// candidate families are confidential, so the public, journalists and
// curators may not.
func CanRead(ctx context.Context) error { return auth.Require(ctx, workers...) }

func newLeadID() string { return "lead-" + strings.ToLower(rand.Text()[:16]) }

// CreateLead stores a lead in state NEW. Candidates with a relation get
// a claimed kinship to the martyr unless one exists already.
func (s *Service) CreateLead(ctx context.Context, in NewLead) (store.Lead, error) {
	if err := auth.Require(ctx, workers...); err != nil {
		return store.Lead{}, err
	}
	u := auth.UserFrom(ctx)
	if in.Source == "" {
		in.Source = "manual"
	}
	if !slices.Contains(Sources, in.Source) {
		return store.Lead{}, fmt.Errorf("create lead: source %q is not one of %v: %w", in.Source, Sources, store.ErrInvalid)
	}
	if strings.TrimSpace(in.MartyrID) == "" {
		return store.Lead{}, fmt.Errorf("create lead: 请指定烈士 / martyrId is empty: %w", store.ErrInvalid)
	}
	// A volunteer's lead is theirs to work until a caseworker reassigns it.
	if u.Role == auth.Volunteer {
		if in.AssigneeID != "" && in.AssigneeID != u.Name {
			return store.Lead{}, fmt.Errorf("志愿者不能指派他人 / a volunteer may not assign others: %w", auth.ErrForbidden)
		}
		in.AssigneeID = u.Name
	}
	l := store.Lead{ID: newLeadID(), MartyrID: in.MartyrID, Source: in.Source, Summary: in.Summary,
		AssigneeID: in.AssigneeID, CreatedBy: u.Name}
	var kin []store.Kinship
	if len(in.Candidates) > 0 {
		rel, err := s.Store.Relatives(ctx, []string{in.MartyrID})
		if err != nil {
			return store.Lead{}, fmt.Errorf("create lead: %w", err)
		}
		known := map[string]bool{}
		for _, r := range rel[in.MartyrID] {
			known[r.Kinship.PersonID] = true
		}
		for _, c := range in.Candidates {
			if slices.Contains(l.PersonIDs, c.PersonID) {
				continue
			}
			l.PersonIDs = append(l.PersonIDs, c.PersonID)
			if c.Relation != "" && !known[c.PersonID] {
				if !slices.Contains(store.Relations, c.Relation) {
					return store.Lead{}, fmt.Errorf("create lead: relation %q: %w", c.Relation, store.ErrInvalid)
				}
				kin = append(kin, store.Kinship{PersonID: c.PersonID, MartyrID: in.MartyrID, Relation: c.Relation,
					Line: c.Line, Status: store.KinClaimed, Note: "lead " + l.ID})
			}
		}
	}
	// Check the people exist before writing the claims, so a bad id
	// writes nothing at all.
	if len(l.PersonIDs) > 0 {
		ps, err := s.Store.GetPeople(ctx, l.PersonIDs)
		if err != nil {
			return store.Lead{}, fmt.Errorf("create lead: %w", err)
		}
		for _, id := range l.PersonIDs {
			if _, ok := ps[id]; !ok {
				return store.Lead{}, fmt.Errorf("create lead: person %q does not exist: %w", id, store.ErrInvalid)
			}
		}
	}
	ms, err := s.Store.GetMartyrs(ctx, []string{in.MartyrID})
	if err != nil {
		return store.Lead{}, fmt.Errorf("create lead: %w", err)
	}
	if _, ok := ms[in.MartyrID]; !ok {
		return store.Lead{}, fmt.Errorf("create lead: martyr %q does not exist: %w", in.MartyrID, store.ErrInvalid)
	}
	if len(kin) > 0 {
		// Claims are facts in their own right (the family says so); they
		// stay even if the lead is later rejected.
		if err := s.Store.Apply(ctx, &store.Batch{Kinships: kin}); err != nil {
			return store.Lead{}, fmt.Errorf("create lead: claimed kinships: %w", err)
		}
	}
	out, err := s.Store.CreateLead(ctx, l)
	if err != nil {
		return store.Lead{}, fmt.Errorf("create lead: %w", err)
	}
	s.after(ctx, u, auth.ActionLeadCreate, out, store.LeadEvent{LeadID: out.ID, Seq: 1, Kind: "create", Actor: u.Name, At: out.CreatedAt, To: store.LeadNew}, in.Source)
	return out, nil
}

// getLead reads one lead; ErrNotFound when there is none.
func (s *Service) getLead(ctx context.Context, id string) (store.Lead, error) {
	ls, err := s.Store.GetLeads(ctx, []string{id})
	if err != nil {
		return store.Lead{}, err
	}
	l, ok := ls[id]
	if !ok {
		return store.Lead{}, fmt.Errorf("lead %q: %w", id, store.ErrNotFound)
	}
	return l, nil
}

// AssignLead gives a lead to a volunteer (or anyone by name); caseworkers
// and admins only. expectVersion 0 means the current version.
func (s *Service) AssignLead(ctx context.Context, leadID, assignee string, expectVersion int64) (store.Lead, error) {
	if err := auth.Require(ctx, auth.Caseworker, auth.Admin); err != nil {
		return store.Lead{}, err
	}
	u := auth.UserFrom(ctx)
	l, err := s.getLead(ctx, leadID)
	if err != nil {
		return store.Lead{}, fmt.Errorf("assign lead: %w", err)
	}
	if expectVersion == 0 {
		expectVersion = l.Version
	}
	ev := store.LeadEvent{Kind: "assign", Actor: u.Name, Assignee: strings.TrimSpace(assignee)}
	out, err := s.Store.AdvanceLead(ctx, store.LeadUpdate{LeadID: leadID, ExpectVersion: expectVersion, Event: ev})
	if err != nil {
		return store.Lead{}, fmt.Errorf("assign lead: %w", err)
	}
	s.after(ctx, u, auth.ActionLeadAssign, out, s.lastEvent(ctx, out.ID, ev), assignee)
	return out, nil
}

// Move is what transitionLead takes.
type Move struct {
	LeadID string
	To     store.LeadState
	Note   string
	// Evidence: archival record ids the move rests on; each must exist.
	Evidence []string
	// ExpectVersion: the version the caller saw; 0 for the current one.
	ExpectVersion int64
	// FamilyConsent: the family agreed to the announcement (ANNOUNCED
	// needs it).
	FamilyConsent bool
}

// Transition moves a lead. Refusals: ErrForbidden or ErrUnauthenticated
// for the wrong caller, a *TransitionError for a move the workflow does
// not have, store.ErrConflict for a stale version, store.ErrInvalid for
// evidence that does not exist. A refusal writes nothing.
func (s *Service) Transition(ctx context.Context, m Move) (store.Lead, error) {
	if err := auth.Require(ctx, workers...); err != nil {
		return store.Lead{}, err
	}
	u := auth.UserFrom(ctx)
	if !slices.Contains(store.LeadStates, m.To) {
		return store.Lead{}, fmt.Errorf("transition lead: unknown state %q: %w", m.To, store.ErrInvalid)
	}
	l, err := s.getLead(ctx, m.LeadID)
	if err != nil {
		return store.Lead{}, fmt.Errorf("transition lead: %w", err)
	}
	if err := mayMove(u, l, m.To); err != nil {
		return store.Lead{}, err
	}
	if !Allowed(l.State, m.To) {
		return store.Lead{}, &TransitionError{From: l.State, To: m.To, Reason: fmt.Sprintf("可转到 / allowed: %v", Next(l.State))}
	}
	note := strings.TrimSpace(m.Note)
	switch m.To {
	case store.LeadAnnounced:
		if !m.FamilyConsent {
			return store.Lead{}, &TransitionError{From: l.State, To: m.To, Reason: "须注明家属同意公布 / the family's consent must be noted"}
		}
		note = strings.TrimSpace("[家属同意公布 / family consents] " + note)
	case store.LeadConfirmed:
		if err := s.checkSecondPerson(ctx, u, l); err != nil {
			return store.Lead{}, err
		}
	}
	evidence := slices.Compact(slices.Sorted(slices.Values(m.Evidence)))
	if len(evidence) > 0 {
		recs, err := s.Store.GetRecords(ctx, evidence)
		if err != nil {
			return store.Lead{}, fmt.Errorf("transition lead: %w", err)
		}
		for _, id := range evidence {
			if _, ok := recs[id]; !ok {
				return store.Lead{}, fmt.Errorf("transition lead: evidence record %q does not exist: %w", id, store.ErrInvalid)
			}
		}
	}
	var effects *store.Batch
	if m.To == store.LeadConfirmed {
		if effects, err = s.confirmEffects(ctx, l, evidence); err != nil {
			return store.Lead{}, err
		}
	}
	if m.ExpectVersion == 0 {
		m.ExpectVersion = l.Version
	}
	ev := store.LeadEvent{Kind: "transition", Actor: u.Name, From: l.State, To: m.To, Note: note, Evidence: evidence}
	out, err := s.Store.AdvanceLead(ctx, store.LeadUpdate{LeadID: l.ID, ExpectVersion: m.ExpectVersion, Event: ev, Effects: effects})
	if err != nil {
		return store.Lead{}, fmt.Errorf("transition lead: %w", err)
	}
	s.after(ctx, u, auth.ActionLeadTransition, out, s.lastEvent(ctx, out.ID, ev), fmt.Sprintf("%s→%s", l.State, m.To))
	return out, nil
}

// checkSecondPerson: CONFIRMED needs someone other than whoever last
// moved the lead to CANDIDATE_FAMILY (the proposer).
func (s *Service) checkSecondPerson(ctx context.Context, u auth.User, l store.Lead) error {
	events, err := s.Store.LeadEvents(ctx, l.ID)
	if err != nil {
		return fmt.Errorf("transition lead: %w", err)
	}
	for _, e := range slices.Backward(events) {
		if e.Kind == "transition" && e.To == store.LeadCandidateFamily {
			if e.Actor == u.Name {
				return fmt.Errorf("提出候选家属者不能自行确认，须由另一位经办人确认 / the person who proposed the family (%s) may not confirm it: %w", e.Actor, auth.ErrForbidden)
			}
			return nil
		}
	}
	return nil
}

// confirmEffects marks the kinships between the lead's people and its
// martyr confirmed, citing the evidence of the move.
func (s *Service) confirmEffects(ctx context.Context, l store.Lead, evidence []string) (*store.Batch, error) {
	rel, err := s.Store.Relatives(ctx, []string{l.MartyrID})
	if err != nil {
		return nil, fmt.Errorf("transition lead: %w", err)
	}
	b := &store.Batch{}
	for _, r := range rel[l.MartyrID] {
		k := r.Kinship
		if !slices.Contains(l.PersonIDs, k.PersonID) {
			continue
		}
		k.Status = store.KinConfirmed
		for _, rid := range evidence {
			if !slices.ContainsFunc(k.Citations, func(c store.Citation) bool { return c.RecordID == rid }) {
				k.Citations = append(k.Citations, store.Citation{RecordID: rid, Locator: "lead " + l.ID, Confidence: 3})
			}
		}
		b.Kinships = append(b.Kinships, k)
	}
	if len(b.Kinships) == 0 {
		return nil, &TransitionError{From: l.State, To: store.LeadConfirmed,
			Reason: "线索的候选家属与烈士之间没有亲属关系记录 / no kinship links the lead's people to the martyr"}
	}
	return b, nil
}

// lastEvent reads back the event a move appended (for its Seq and time);
// the event as sent when it cannot.
func (s *Service) lastEvent(ctx context.Context, leadID string, ev store.LeadEvent) store.LeadEvent {
	events, err := s.Store.LeadEvents(ctx, leadID)
	if err == nil && len(events) > 0 {
		return events[len(events)-1]
	}
	ev.LeadID = leadID
	return ev
}

// after audits and publishes a move that was written. The lead's own
// trail is already in the store; a failed audit line is logged, not
// returned, since the move itself happened.
func (s *Service) after(ctx context.Context, u auth.User, action string, l store.Lead, ev store.LeadEvent, detail string) {
	if s.Audit != nil {
		subject := append([]string{l.ID, l.MartyrID}, l.PersonIDs...)
		if _, err := s.Audit.AppendAudit(ctx, store.AuditEntry{Actor: u.Name, Role: string(u.Role), Action: action, Subject: subject, Detail: detail}); err != nil {
			s.log().WarnContext(ctx, "casework: audit line not written", "lead", l.ID, "action", action, "err", err)
		}
	}
	if s.Broker != nil {
		s.Broker.Publish(Event{Lead: l, Event: ev})
	}
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// IsRefusal reports whether err is a refusal the caller caused (as
// opposed to an outage).
func IsRefusal(err error) bool {
	return errors.Is(err, auth.ErrForbidden) || errors.Is(err, auth.ErrUnauthenticated) ||
		errors.Is(err, ErrInvalidTransition) || errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict)
}
