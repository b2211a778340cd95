// Package graph is Guigen's GraphQL API: the schema under schema/, the
// code gqlgen generates from it, and thin resolvers over store.Store.
package graph

//go:generate sh -c "cd .. && go run github.com/99designs/gqlgen generate"

import (
	"context"
	"io"
	"time"

	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// Resolver is the root resolver: the dependencies every resolver shares.
type Resolver struct {
	Store store.Store
	// Search answers searchMartyrs and searchPlaces; nil when search is not
	// configured, and those queries are UNAVAILABLE.
	Search Searcher
	// Media takes in uploaded portraits; nil when the server has no media
	// directory, and uploadPortrait is UNAVAILABLE.
	Media PortraitIntake
	// Cases is the lead workflow, tokens and personal-data policy
	// (graph/auth.go); NewHandler builds it when nil.
	Cases *Cases

	loaderWait time.Duration
	metrics    *Metrics
}

// Searcher is the fuzzy search behind searchMartyrs and searchPlaces.
type Searcher interface {
	// SearchMartyrs returns the best hits for q; invalid input wraps
	// store.ErrInvalid.
	SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error)
	// SearchPlaces returns at most n readings of a place name, best first.
	SearchPlaces(ctx context.Context, text string, n int) ([]search.Resolution, error)
}

// PortraitIntake takes in portrait images; media.Service implements it.
type PortraitIntake interface {
	Intake(ctx context.Context, martyrID string, r io.Reader, meta media.Meta) (store.Portrait, error)
}

// WithMedia serves uploadPortrait through m.
func WithMedia(m PortraitIntake) Option { return func(r *Resolver) { r.Media = m } }

// Option configures NewHandler.
type Option func(*Resolver)

// WithSearch serves searchMartyrs and searchPlaces from s.
func WithSearch(s Searcher) Option { return func(r *Resolver) { r.Search = s } }

// WithLoaderWait sets how long a dataloader gathers keys before it asks
// the store (default 2ms): longer batches more reliably under load, at
// that much latency per level of a query.
func WithLoaderWait(d time.Duration) Option { return func(r *Resolver) { r.loaderWait = d } }
