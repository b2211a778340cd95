package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Past its rate a caller gets 429 with Retry-After from the served
// GraphQL endpoint, while the health probe keeps answering.
func TestServeRateLimit(t *testing.T) {
	embedded(t)
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", t.TempDir(), "--rate-public", "1")
	defer func() {
		if code := stop(); code != exitOK {
			t.Errorf("serve exit %d:\n%s", code, logs.String())
		}
	}()
	codes := map[int]int{}
	for range 80 { // the default burst is 60
		resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ martyrs(first: 1) { totalCount } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
		if resp.StatusCode == http.StatusTooManyRequests {
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("429 with Retry-After %q", resp.Header.Get("Retry-After"))
			}
		}
	}
	if codes[http.StatusOK] < 55 || codes[http.StatusTooManyRequests] < 15 || codes[http.StatusOK]+codes[http.StatusTooManyRequests] != 80 {
		t.Errorf("80 quick requests at 1/s with a burst of 60: %v", codes)
	}
	for range 5 {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("/healthz while limited: %d", resp.StatusCode)
		}
	}
}
