package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store/sqlite"
)

// TestMuxServesGraphiQLAndMetrics: the served binary has GraphiQL and
// Prometheus metrics beside the API.
func TestMuxServesGraphiQLAndMetrics(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	srv := httptest.NewServer(newMux(s, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"query Count { martyrs { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for path, want := range map[string]string{
		"/graphiql": `<div id="graphiql">`,
		"/metrics":  `guigen_graphql_operations_total{operation="Count",type="query"} 1`,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, want %q in the body", path, resp.StatusCode, want)
		}
	}
}

// TestMuxAuthenticatesBehindMetrics: the served API counts store round
// trips through a decorator around the store; tokens and the audit log
// must still work through it (a decorator once hid them, and every token
// was refused).
func TestMuxAuthenticatesBehindMetrics(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	secret, _, err := auth.Issue(ctx, s, "李干事", auth.Caseworker)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newMux(s, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	post := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ leads { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post(secret); code != 200 || strings.Contains(body, "errors") || !strings.Contains(body, `"totalCount":0`) {
		t.Errorf("caseworker token: %d %s", code, body)
	}
	if code, body := post("gg_" + strings.Repeat("A", 43)); code != http.StatusUnauthorized {
		t.Errorf("forged token: %d %s, want 401", code, body)
	}
	if code, body := post(""); code != 200 || !strings.Contains(body, "UNAUTHENTICATED") {
		t.Errorf("no token: %d %s, want UNAUTHENTICATED", code, body)
	}
}
