// Package casework is the lead workflow: which states a lead may move
// between, who may move it, what a move writes (the audit trail, the
// kinships confirmed), candidate suggestions for a family's claim, and
// the live feed of lead events.
package casework

import (
	"errors"
	"fmt"
	"slices"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store"
)

// ErrInvalidTransition: the lead cannot move to that state from where it
// is, or the move lacks what it needs (family consent, a second person).
var ErrInvalidTransition = errors.New("invalid transition")

// TransitionError says which move was refused and why.
type TransitionError struct {
	From, To store.LeadState
	Reason   string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("不能从 %s 转到 %s / cannot move from %s to %s: %s", e.From, e.To, e.From, e.To, e.Reason)
}

func (e *TransitionError) Unwrap() error { return ErrInvalidTransition }

// edges are the moves the workflow allows. The main line follows
// DOMAIN.md; documents alone may confirm (DOC_VERIFIED→CONFIRMED) where
// no remains need identifying; DNA_EXCLUDED sends the lead back to
// investigation or rejection; every open state may be put on hold or
// rejected; closed and held leads come back only through REOPENED.
var edges = map[store.LeadState][]store.LeadState{
	store.LeadNew:             {store.LeadTriaged, store.LeadRejected, store.LeadOnHold},
	store.LeadTriaged:         {store.LeadInvestigating, store.LeadRejected, store.LeadOnHold},
	store.LeadInvestigating:   {store.LeadCandidateFamily, store.LeadRejected, store.LeadOnHold},
	store.LeadCandidateFamily: {store.LeadDocVerified, store.LeadDNARequested, store.LeadInvestigating, store.LeadRejected, store.LeadOnHold},
	store.LeadDocVerified:     {store.LeadDNARequested, store.LeadConfirmed, store.LeadRejected, store.LeadOnHold},
	store.LeadDNARequested:    {store.LeadDNAMatch, store.LeadDNAExcluded, store.LeadOnHold},
	store.LeadDNAMatch:        {store.LeadConfirmed, store.LeadRejected, store.LeadOnHold},
	store.LeadDNAExcluded:     {store.LeadInvestigating, store.LeadRejected},
	store.LeadConfirmed:       {store.LeadAnnounced, store.LeadReopened},
	store.LeadAnnounced:       {store.LeadReopened},
	store.LeadRejected:        {store.LeadReopened},
	store.LeadOnHold:          {store.LeadReopened},
	store.LeadReopened:        {store.LeadTriaged, store.LeadInvestigating, store.LeadRejected, store.LeadOnHold},
}

// Next lists the states a lead in state s may move to.
func Next(s store.LeadState) []store.LeadState { return slices.Clone(edges[s]) }

// MovesFor lists the moves of Next that u's role permits on l: what a
// lead board offers. The second-person rule for CONFIRMED needs the
// trail and is checked when the move is made.
func MovesFor(u auth.User, l store.Lead) []store.LeadState {
	var out []store.LeadState
	for _, to := range edges[l.State] {
		if mayMove(u, l, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

// Allowed reports whether the workflow has the edge from→to.
func Allowed(from, to store.LeadState) bool { return slices.Contains(edges[from], to) }

// volunteerMoves are the moves an assigned volunteer makes while working
// a lead; everything else (triage, DNA requests, verdicts, closing,
// holding, reopening) is the bureau's.
var volunteerMoves = map[store.LeadState]bool{
	store.LeadInvestigating:   true,
	store.LeadCandidateFamily: true,
}

// mayMove reports whether u may move lead l to to (the role rule only;
// the second-person rule for CONFIRMED needs the trail).
func mayMove(u auth.User, l store.Lead, to store.LeadState) error {
	switch {
	case u.Has(auth.Caseworker, auth.Admin):
		return nil
	case u.Has(auth.Volunteer) && volunteerMoves[to]:
		if l.AssigneeID != u.Name {
			return fmt.Errorf("只有被指派的志愿者可推进此线索 / only the assigned volunteer may move this lead: %w", auth.ErrForbidden)
		}
		return nil
	case u.Role == auth.Public:
		return fmt.Errorf("请先登录 / a token is required: %w", auth.ErrUnauthenticated)
	default:
		return fmt.Errorf("角色 %s 不能将线索转到 %s / role %s may not move a lead to %s: %w", u.Role, to, u.Role, to, auth.ErrForbidden)
	}
}
