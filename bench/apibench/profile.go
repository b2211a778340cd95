package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

// profileCmd runs one query through Guigen's GraphQL handler in this
// process (no network, no other server) under a CPU profile, and counts
// the store round trips per request, to see where a slow query's time
// goes.
//
//	apibench profile -backend sqlite -data DIR -query queries/guigen-leads.graphql -vars leads -token-file T -cpu leads.pprof
func profileCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("apibench profile", flag.ContinueOnError)
	backend := fs.String("backend", "sqlite", "sqlite (with -data) or neo4j (NEO4J_URI); the data is only read")
	dataDir := fs.String("data", "", "sqlite: the guigen data dir")
	queryFile := fs.String("query", "", "file with the GraphQL document")
	vars := fs.String("vars", "card", "card or leads")
	n := fs.Int("n", 10000, "martyrs in the data set")
	requests := fs.Int("requests", 500, "requests to send")
	clients := fs.Int("c", 10, "concurrent requests")
	tokenFile := fs.String("token-file", "", "bearer token file")
	cpu := fs.String("cpu", "", "write a CPU profile here")
	wait := fs.Duration("loader-wait", 0, "the dataloaders' wait (graph.WithLoaderWait; 0: Guigen's default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	doc, err := os.ReadFile(*queryFile)
	if err != nil {
		return err
	}
	var token string
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return err
		}
		token = strings.TrimSpace(string(b))
	}
	mkVars, err := varMaker(*vars, *n)
	if err != nil {
		return err
	}
	var s store.Store
	switch *backend {
	case "sqlite":
		s, err = sqlite.Open(ctx, filepath.Join(*dataDir, "guigen.db"))
	case "neo4j":
		s, err = neo4j.Open(ctx, neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
			Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	default:
		err = fmt.Errorf("unknown backend %q", *backend)
	}
	if err != nil {
		return err
	}
	defer func() { _ = s.Close(context.Background()) }()
	cs := &countingStore{Store: s, calls: map[string]int{}}
	var opts []graph.Option
	if *wait > 0 {
		opts = append(opts, graph.WithLoaderWait(*wait))
	}
	h := graph.NewHandler(cs, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)

	send := func(rng *rand.Rand) error {
		body, _ := json.Marshal(map[string]any{"query": string(doc), "variables": mkVars(rng)})
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
			return fmt.Errorf("status %d: %.300s", w.Code, w.Body.String())
		}
		return nil
	}
	// One request alone: its round trips.
	cs.reset()
	if err := send(rand.New(rand.NewPCG(1, 1))); err != nil {
		return err
	}
	fmt.Printf("round trips of one request: %v\n", cs.snapshot())

	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cs.reset()
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	t0 := time.Now()
	for w := 0; w < *clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for range jobs {
				if err := send(rng); err != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, err)
					mu.Unlock()
				}
			}
		}(w)
	}
	for i := 0; i < *requests; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	el := time.Since(t0)
	calls := cs.snapshot()
	total := 0
	for _, c := range calls {
		total += c
	}
	fmt.Printf("%d requests in %s (%.0f req/s in process); store round trips per request: %.2f %v\n",
		*requests, el.Round(time.Millisecond), float64(*requests)/el.Seconds(), float64(total)/float64(*requests), calls)
	return firstErr
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// countingStore counts the store methods a request calls. Only the read
// methods the two queries use are wrapped; the rest pass through.
type countingStore struct {
	store.Store
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingStore) count(m string) {
	c.mu.Lock()
	c.calls[m]++
	c.mu.Unlock()
}

func (c *countingStore) reset() {
	c.mu.Lock()
	c.calls = map[string]int{}
	c.mu.Unlock()
}

func (c *countingStore) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

func (c *countingStore) GetMartyrs(ctx context.Context, ids []string) (map[string]store.Martyr, error) {
	c.count("GetMartyrs")
	return c.Store.GetMartyrs(ctx, ids)
}

func (c *countingStore) GetPeople(ctx context.Context, ids []string) (map[string]store.Person, error) {
	c.count("GetPeople")
	return c.Store.GetPeople(ctx, ids)
}

func (c *countingStore) GetPlaces(ctx context.Context, ids []string) (map[string]store.Place, error) {
	c.count("GetPlaces")
	return c.Store.GetPlaces(ctx, ids)
}

func (c *countingStore) Relatives(ctx context.Context, ids []string) (map[string][]store.Relative, error) {
	c.count("Relatives")
	return c.Store.Relatives(ctx, ids)
}

func (c *countingStore) RecordsCiting(ctx context.Context, ids []string) (map[string][]store.ArchivalRecord, error) {
	c.count("RecordsCiting")
	return c.Store.RecordsCiting(ctx, ids)
}

func (c *countingStore) Assertions(ctx context.Context, ids []string) (map[string][]store.Assertion, error) {
	c.count("Assertions")
	return c.Store.Assertions(ctx, ids)
}

func (c *countingStore) Lineages(ctx context.Context, ids []string) (map[string]store.Lineage, error) {
	c.count("Lineages")
	return c.Store.Lineages(ctx, ids)
}

func (c *countingStore) PortraitsOf(ctx context.Context, ids []string) (map[string][]store.Portrait, error) {
	c.count("PortraitsOf")
	return c.Store.PortraitsOf(ctx, ids)
}

func (c *countingStore) ListLeads(ctx context.Context, f store.LeadFilter, p store.PageReq) (store.Page[store.Lead], error) {
	c.count("ListLeads")
	return c.Store.ListLeads(ctx, f, p)
}

func (c *countingStore) LeadEventsOf(ctx context.Context, ids []string) (map[string][]store.LeadEvent, error) {
	c.count("LeadEventsOf")
	return c.Store.LeadEventsOf(ctx, ids)
}

func (c *countingStore) LeadEvents(ctx context.Context, id string) ([]store.LeadEvent, error) {
	c.count("LeadEvents")
	return c.Store.LeadEvents(ctx, id)
}

func (c *countingStore) GetLeads(ctx context.Context, ids []string) (map[string]store.Lead, error) {
	c.count("GetLeads")
	return c.Store.GetLeads(ctx, ids)
}

func (c *countingStore) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	c.count("TokenByHash")
	return c.Store.TokenByHash(ctx, hash)
}

func (c *countingStore) AppendAudit(ctx context.Context, entries ...store.AuditEntry) ([]store.AuditEntry, error) {
	c.count("AppendAudit")
	return c.Store.AppendAudit(ctx, entries...)
}
