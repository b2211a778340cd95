package neo4j

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// envConfig reads the server to test against. Without NEO4J_URI the
// Neo4j tests skip, except in CI, which must never skip them.
func envConfig(t testing.TB) Config {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests (start one with `bash scripts/neo4j-local.sh start`)")
		}
		t.Skip("NEO4J_URI is not set; start Neo4j with `bash scripts/neo4j-local.sh start` and export NEO4J_URI=bolt://127.0.0.1:7687")
	}
	return Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
}

// openEmpty opens the configured server and empties its database (Neo4j
// Community has a single user database, so tests share it and run one at
// a time). The store is closed when the test ends.
func openEmpty(t testing.TB, cfg Config) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", cfg.URI, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if err := Wipe(ctx, s); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	return s
}

// newStore is the factory the contract suite gets.
func newStore(t *testing.T) store.Store {
	return openEmpty(t, envConfig(t))
}
