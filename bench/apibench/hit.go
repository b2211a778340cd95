package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// result is what hit prints, one JSON line per run.
type result struct {
	Server     string  `json:"server"`
	Query      string  `json:"query"`
	Clients    int     `json:"clients"`
	Seconds    float64 `json:"seconds"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	RPS        float64 `json:"rps"`
	P50        float64 `json:"p50ms"`
	P95        float64 `json:"p95ms"`
	P99        float64 `json:"p99ms"`
	MeanBytes  int     `json:"meanBytes"`
	FirstError string  `json:"firstError,omitempty"`
}

func hitCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("apibench hit", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/graphql", "GraphQL endpoint")
	queryFile := fs.String("query", "", "file with the GraphQL document")
	vars := fs.String("vars", "card", "variables per request: card ({id: a random martyr}) or leads ({state: a random lead state})")
	n := fs.Int("n", 10000, "martyrs in the data set (card ids are drawn from [0, n))")
	clients := fs.Int("c", 10, "concurrent clients, each with one request in flight")
	dur := fs.Duration("d", 30*time.Second, "measured duration")
	warm := fs.Duration("warmup", 5*time.Second, "unmeasured warm-up at the same concurrency")
	tokenFile := fs.String("token-file", "", "send Authorization: Bearer with the token in this file")
	server := fs.String("server", "", "server name printed with the result")
	check := fs.Bool("check", false, "send one request, print the response, and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	doc, err := os.ReadFile(*queryFile)
	if err != nil {
		return fmt.Errorf("read query: %w", err)
	}
	var token string
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fmt.Errorf("read token: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	mkVars, err := varMaker(*vars, *n)
	if err != nil {
		return err
	}
	// One connection per client, kept alive, as a browser or a BFF would.
	tr := &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	c := &client{http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, url: *url, doc: string(doc), token: token}

	if *check {
		rng := rand.New(rand.NewPCG(1, 2))
		body, _, err := c.do(ctx, mkVars(rng))
		os.Stdout.Write(body)
		fmt.Println()
		return err
	}

	run := func(d time.Duration) *stats {
		rctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		st := &stats{}
		var wg sync.WaitGroup
		for w := 0; w < *clients; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
				for rctx.Err() == nil {
					t := time.Now()
					_, size, err := c.do(rctx, mkVars(rng))
					if rctx.Err() != nil {
						return // cut off by the end of the run: not counted
					}
					st.add(time.Since(t), size, err)
				}
			}(w)
		}
		wg.Wait()
		return st
	}
	if *warm > 0 {
		run(*warm)
	}
	t0 := time.Now()
	st := run(*dur)
	elapsed := time.Since(t0).Seconds()
	r := st.result(*server, *vars, *clients, elapsed)
	return json.NewEncoder(os.Stdout).Encode(r)
}

func varMaker(kind string, n int) (func(*rand.Rand) map[string]any, error) {
	switch kind {
	case "card":
		return func(r *rand.Rand) map[string]any { return map[string]any{"id": martyrID(r.IntN(n))} }, nil
	case "leads":
		return func(r *rand.Rand) map[string]any {
			return map[string]any{"state": string(leadStates[r.IntN(len(leadStates))])}
		}, nil
	}
	return nil, fmt.Errorf("unknown -vars %q", kind)
}

type client struct {
	http  *http.Client
	url   string
	doc   string
	token string
}

// do sends one request. A response counts as an error when the status
// is not 200, the body is not JSON, it carries GraphQL errors, or its
// data is null.
func (c *client) do(ctx context.Context, vars map[string]any) ([]byte, int, error) {
	body, err := json.Marshal(map[string]any{"query": c.doc, "variables": vars})
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return out, len(out), fmt.Errorf("status %d: %.200s", resp.StatusCode, out)
	}
	var gr struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(out, &gr); err != nil {
		return out, len(out), fmt.Errorf("decode response: %w", err)
	}
	if len(gr.Errors) > 0 {
		return out, len(out), fmt.Errorf("graphql error: %.200s", gr.Errors[0].Message)
	}
	if len(gr.Data) == 0 || string(gr.Data) == "null" {
		return out, len(out), errors.New("data is null")
	}
	return out, len(out), nil
}

type stats struct {
	mu       sync.Mutex
	lat      []time.Duration
	bytes    int64
	errors   int
	firstErr string
}

func (s *stats) add(d time.Duration, size int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat = append(s.lat, d)
	s.bytes += int64(size)
	if err != nil {
		s.errors++
		if s.firstErr == "" {
			s.firstErr = err.Error()
		}
	}
}

func (s *stats) result(server, query string, clients int, seconds float64) result {
	slices.Sort(s.lat)
	at := func(p float64) float64 {
		if len(s.lat) == 0 {
			return 0
		}
		return float64(s.lat[min(len(s.lat)-1, int(p*float64(len(s.lat))))].Microseconds()) / 1000
	}
	r := result{Server: server, Query: query, Clients: clients, Seconds: seconds, Requests: len(s.lat), Errors: s.errors,
		RPS: float64(len(s.lat)) / seconds, P50: at(0.50), P95: at(0.95), P99: at(0.99), FirstError: s.firstErr}
	if len(s.lat) > 0 {
		r.MeanBytes = int(s.bytes / int64(len(s.lat)))
	}
	return r
}
