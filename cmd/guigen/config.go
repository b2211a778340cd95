package main

import (
	"flag"
	"os"

	"github.com/guigen/guigen/httplimit"
)

// config is where the store lives and where to listen. Flags win over
// the environment; Neo4j is configured by the environment only, so the
// password never shows in a process list.
type config struct {
	DataDir string
	Addr    string
	Neo4j   neo4jConfig
	// Limits on the GraphQL endpoint (serve only).
	Limits httplimit.Config
}

type neo4jConfig struct {
	URI, User, Password, Database string
}

const (
	defaultDataDir = "./guigen-data"
	defaultAddr    = "127.0.0.1:8080"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// storeFlags registers the flags every command that opens the store has
// and reads the Neo4j settings from the environment.
func storeFlags(fs *flag.FlagSet, cfg *config) {
	fs.StringVar(&cfg.DataDir, "data", envOr("GUIGEN_DATA", defaultDataDir), "data directory (`DIR`; env GUIGEN_DATA)")
	cfg.Neo4j = neo4jConfig{
		URI:      os.Getenv("NEO4J_URI"),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
}
