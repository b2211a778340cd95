// Package model holds the GraphQL types that are not store types: the
// generated value types (models_gen.go) and the hand-written ones here.
package model

// Node is any entity with a stable id. The entities are the store's own
// types, which know nothing of GraphQL, so the interface asks nothing of
// them; the generated code dispatches on the concrete type.
type Node any
