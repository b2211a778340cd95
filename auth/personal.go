package auth

import (
	"context"
	"fmt"
	"slices"

	"github.com/guigen/guigen/store"
)

// Audit actions.
const (
	ActionReadPersonal   = "read_personal"
	ActionDeniedPersonal = "read_personal_denied"
	ActionLeadCreate     = "lead_create"
	ActionLeadAssign     = "lead_assign"
	ActionLeadTransition = "lead_transition"
)

// LeadLister lists leads; store.Store implements it.
type LeadLister interface {
	ListLeads(ctx context.Context, f store.LeadFilter, p store.PageReq) (store.Page[store.Lead], error)
}

// maxAssignedLeads bounds the leads looked through to decide whether a
// volunteer works a person's case; a volunteer works a handful.
const maxAssignedLeads = 1000

// Policy decides who reads a living person's personal data and writes
// every read, and every refused attempt, to the audit log.
type Policy struct {
	Leads LeadLister
	Audit AuditLog
}

// ReadPersonal returns nil when the context's user may read the personal
// data of personID, after recording the read; otherwise an error wrapping
// ErrUnauthenticated (no token) or ErrForbidden, after recording the
// refusal. field names what was asked for ("phone", "address", ...).
func (p Policy) ReadPersonal(ctx context.Context, personID, field string) error {
	u := UserFrom(ctx)
	allowed, leadID, err := p.mayRead(ctx, u, personID)
	if err != nil {
		return fmt.Errorf("personal data of %q: %w", personID, err)
	}
	action := ActionReadPersonal
	if !allowed {
		action = ActionDeniedPersonal
	}
	subject := []string{personID}
	if leadID != "" {
		subject = append(subject, leadID)
	}
	if p.Audit == nil {
		// Never serve personal data that cannot be audited.
		return fmt.Errorf("personal data of %q: no audit log: %w", personID, store.ErrUnavailable)
	}
	if _, err := p.Audit.AppendAudit(ctx, store.AuditEntry{
		Actor: u.Name, Role: string(u.Role), Action: action, Subject: subject, Detail: field,
	}); err != nil {
		return fmt.Errorf("personal data of %q: audit: %w", personID, err)
	}
	switch {
	case allowed:
		return nil
	case u.Role == Public:
		return fmt.Errorf("个人信息需登录后查看 / personal data needs a token: %w", ErrUnauthenticated)
	default:
		return fmt.Errorf("仅经办人员可查看个人信息 / only those working the case may see personal data: %w", ErrForbidden)
	}
}

// mayRead applies the rule: caseworkers and admins always; a volunteer
// when assigned to a lead listing the person; nobody else. It returns the
// lead that grants access to a volunteer.
func (p Policy) mayRead(ctx context.Context, u User, personID string) (bool, string, error) {
	switch u.Role {
	case Caseworker, Admin:
		return true, "", nil
	case Volunteer:
		if u.Name == "" || p.Leads == nil {
			return false, "", nil
		}
		page, err := p.Leads.ListLeads(ctx, store.LeadFilter{AssigneeID: u.Name}, store.PageReq{First: maxAssignedLeads})
		if err != nil {
			return false, "", err
		}
		for _, l := range page.Items {
			if slices.Contains(l.PersonIDs, personID) {
				return true, l.ID, nil
			}
		}
	}
	return false, "", nil
}
