package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

func loadCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("apibench load", flag.ContinueOnError)
	backend := fs.String("backend", "sqlite", "sqlite or neo4j (neo4j reads NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE and wipes the database)")
	dataDir := fs.String("data", "", "sqlite: the guigen data dir (guigen.db is written there)")
	n := fs.Int("n", 10000, "martyrs")
	leads := fs.Int("leads", 0, "leads (default n/10, at most 2000)")
	batch := fs.Int("batch", 2500, "martyrs per Apply (a multiple of 50)")
	workers := fs.Int("workers", 4, "concurrent lead writers")
	seed := fs.Uint64("seed", 1, "random seed")
	tokenOut := fs.String("token-out", "", "write a new caseworker token to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *batch%rollSize != 0 {
		return fmt.Errorf("-batch must be a multiple of %d", rollSize)
	}
	if *leads == 0 {
		*leads = min(*n/10, 2000)
	}
	s, err := openStore(ctx, *backend, *dataDir)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close(context.Background()) }()

	t0 := time.Now()
	g := newGen(*seed)
	if err := s.Apply(ctx, g.gazetteer()); err != nil {
		return fmt.Errorf("gazetteer: %w", err)
	}
	for i := 0; i < *n; i += *batch {
		if err := s.Apply(ctx, g.martyrs(i, min(*batch, *n-i))); err != nil {
			return fmt.Errorf("martyrs at %d: %w", i, err)
		}
	}
	tMartyrs := time.Since(t0)
	t1 := time.Now()
	if err := writeLeads(ctx, s, *leads, *n, *workers); err != nil {
		return err
	}
	slog.Info("loaded", "backend", *backend, "martyrs", *n, "leads", *leads,
		"martyrsTook", tMartyrs.Round(time.Millisecond), "leadsTook", time.Since(t1).Round(time.Millisecond))

	if *tokenOut != "" {
		secret, _, err := auth.Issue(ctx, s, "bench", auth.Caseworker)
		if err != nil {
			return fmt.Errorf("issue token: %w", err)
		}
		if err := os.WriteFile(*tokenOut, []byte(secret+"\n"), 0o600); err != nil {
			return fmt.Errorf("write token: %w", err)
		}
	}
	return nil
}

// writeLeads creates the leads and walks each through its steps, one
// transaction per step as the casework service does.
func writeLeads(ctx context.Context, s store.Store, leads, nMartyrs, workers int) error {
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := writeLead(ctx, s, leadFor(i, nMartyrs)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := 0; i < leads; i++ {
		select {
		case jobs <- i:
		case err = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return err
}

func writeLead(ctx context.Context, s store.Store, ls leadScript) error {
	l, err := s.CreateLead(ctx, ls.lead)
	if err != nil {
		return fmt.Errorf("create lead %s: %w", ls.lead.ID, err)
	}
	for _, ev := range ls.steps {
		l, err = s.AdvanceLead(ctx, store.LeadUpdate{LeadID: l.ID, ExpectVersion: l.Version, Event: ev})
		if err != nil {
			return fmt.Errorf("advance lead %s: %w", ls.lead.ID, err)
		}
	}
	return nil
}

func openStore(ctx context.Context, backend, dataDir string) (store.Store, error) {
	switch backend {
	case "sqlite":
		if dataDir == "" {
			return nil, fmt.Errorf("-data is required for sqlite")
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, err
		}
		path := filepath.Join(dataDir, "guigen.db")
		if _, err := os.Stat(path); err == nil {
			return nil, fmt.Errorf("%s exists; load into an empty data dir", path)
		}
		return sqlite.Open(ctx, path)
	case "neo4j":
		uri := os.Getenv("NEO4J_URI")
		if uri == "" {
			return nil, fmt.Errorf("NEO4J_URI is not set")
		}
		s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"),
			Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
		if err != nil {
			return nil, err
		}
		if err := neo4j.Wipe(ctx, s); err != nil {
			return nil, fmt.Errorf("wipe: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown backend %q", backend)
}
