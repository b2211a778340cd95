package graph

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store"
)

// seesUnpublished reports whether the request's user may see portraits,
// exhibits and stories not yet published: the curators preparing them
// and admins. Everyone else sees published works only (ARCHITECTURE.md:
// published portraits and stories are open to all, nothing else).
func seesUnpublished(ctx context.Context) bool {
	return auth.UserFrom(ctx).Has(auth.Curator, auth.Admin)
}

// visiblePortraits drops the portraits the user may not see.
func visiblePortraits(ctx context.Context, ps []store.Portrait) []store.Portrait {
	if seesUnpublished(ctx) {
		return ps
	}
	return slices.DeleteFunc(slices.Clone(ps), func(p store.Portrait) bool { return !p.Published })
}

// seesFamilies reports whether the user works tracing cases and so sees
// every claimed and confirmed kinship: volunteers, caseworkers, admins.
// (Personal data stays narrower: auth.Policy.)
func seesFamilies(ctx context.Context) bool {
	return auth.UserFrom(ctx).Has(auth.Volunteer, auth.Caseworker, auth.Admin)
}

// announcedSet is, for one request, which living people a family
// announcement made public: the people of every lead in state ANNOUNCED,
// a state reached only with the family's consent. Announcements are few,
// so one read of them serves a whole page, whatever its size.
type announcedSet struct {
	s       store.Store
	once    sync.Once
	kin     map[[2]string]bool // {martyr, person}
	persons map[string]bool
	err     error
}

func (a *announcedSet) load(ctx context.Context) error {
	a.once.Do(func() {
		a.kin, a.persons = map[[2]string]bool{}, map[string]bool{}
		p := store.PageReq{First: store.MaxPageSize}
		for {
			page, err := a.s.ListLeads(ctx, store.LeadFilter{States: []store.LeadState{store.LeadAnnounced}}, p)
			if err != nil {
				a.err = fmt.Errorf("announced leads: %w", err)
				return
			}
			for _, l := range page.Items {
				for _, pid := range l.PersonIDs {
					a.kin[[2]string{l.MartyrID, pid}] = true
					a.persons[pid] = true
				}
			}
			if !page.HasNext {
				return
			}
			p.After = page.EndCursor
		}
	})
	return a.err
}

// publicKinship decides whether someone outside tracing work may see that
// person is kin to the martyr. Unconfirmed claims are working material
// and never public. A confirmed kinship is public when the person is no
// longer living (a historical fact) or the family consented to an
// announcement; a living family that has not is not named to strangers.
func (a *announcedSet) publicKinship(ctx context.Context, k store.Kinship, p store.Person) (bool, error) {
	if k.Status != store.KinConfirmed {
		return false, nil
	}
	if !p.Living {
		return true, nil
	}
	if err := a.load(ctx); err != nil {
		return false, err
	}
	return a.kin[[2]string{k.MartyrID, k.PersonID}], nil
}

// publicPerson decides whether someone outside tracing work may see a
// person at all: the dead, and the living named in an announcement.
func (a *announcedSet) publicPerson(ctx context.Context, p store.Person) (bool, error) {
	if !p.Living {
		return true, nil
	}
	if err := a.load(ctx); err != nil {
		return false, err
	}
	return a.persons[p.ID], nil
}

// announcedFor returns the request's announced set, or a fresh one for a
// caller that did not come through the handler.
func announcedFor(ctx context.Context, s store.Store) *announcedSet {
	if l, ok := ctx.Value(peopleLoadersKey{}).(*peopleLoaders); ok {
		return l.announced
	}
	return &announcedSet{s: s}
}
