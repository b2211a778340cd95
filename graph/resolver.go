// Package graph is Guigen's GraphQL API: the schema under schema/, the
// code gqlgen generates from it, and thin resolvers over store.Store.
package graph

//go:generate sh -c "cd .. && go run github.com/99designs/gqlgen generate"

import "github.com/guigen/guigen/store"

// Resolver is the root resolver: the dependencies every resolver shares.
type Resolver struct {
	Store store.Store
}
