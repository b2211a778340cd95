package graph

import (
	"context"
	"slices"

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
