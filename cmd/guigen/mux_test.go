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
