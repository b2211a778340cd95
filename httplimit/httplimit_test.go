package httplimit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func do(h http.Handler, addr, auth string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.RemoteAddr = addr
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRatePerCaller(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	l := New(Config{PublicRate: 2, PublicBurst: 3, TokenRate: 10, TokenBurst: 5, Now: func() time.Time { return now }})
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := l.Handler(ok)

	cases := []struct {
		name       string
		addr, auth string
		allowed    int
	}{
		{"address", "10.0.0.1:5000", "", 3},
		{"same address, other port", "10.0.0.1:6000", "", 0},
		{"other address", "10.0.0.2:5000", "", 3},
		{"token", "10.0.0.1:5000", "Bearer gg_a", 5},
		{"other token, same address", "10.0.0.1:5000", "Bearer gg_b", 5},
	}
	for _, c := range cases {
		got := 0
		for range 10 {
			rec := do(h, c.addr, c.auth)
			switch rec.Code {
			case http.StatusNoContent:
				got++
			case http.StatusTooManyRequests:
				ra, err := strconv.Atoi(rec.Header().Get("Retry-After"))
				if err != nil || ra < 1 {
					t.Errorf("%s: Retry-After %q", c.name, rec.Header().Get("Retry-After"))
				}
				var body struct {
					Errors []struct {
						Extensions map[string]any
					}
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "UNAVAILABLE" {
					t.Errorf("%s: body %s", c.name, rec.Body)
				}
			default:
				t.Fatalf("%s: status %d", c.name, rec.Code)
			}
		}
		if got != c.allowed {
			t.Errorf("%s: %d of 10 allowed at once, want %d", c.name, got, c.allowed)
		}
	}
	// The bucket refills at the rate: after one second, two more.
	now = now.Add(time.Second)
	got := 0
	for range 5 {
		if do(h, "10.0.0.1:5000", "").Code == http.StatusNoContent {
			got++
		}
	}
	if got != 2 {
		t.Errorf("after 1 s at 2/s: %d allowed, want 2", got)
	}
	// Idle callers are forgotten, so the table cannot grow without end.
	now = now.Add(idleAfter + time.Second)
	do(h, "10.0.0.9:1", "")
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	if n != 1 {
		t.Errorf("%d buckets after everyone went idle, want 1", n)
	}
}

func TestInFlightBound(t *testing.T) {
	l := New(Config{MaxInFlight: 2, QueueWait: 50 * time.Millisecond, PublicRate: 1000, PublicBurst: 1000})
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	h := l.Handler(slow)
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- do(h, "10.0.0."+strconv.Itoa(i)+":1", "").Code
		}()
	}
	<-entered
	<-entered
	if l.InFlight() != 2 {
		t.Errorf("in flight %d, want 2", l.InFlight())
	}
	start := time.Now()
	rec := do(h, "10.0.0.7:1", "")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("third request: %d, Retry-After %q; want 503 and 1", rec.Code, rec.Header().Get("Retry-After"))
	}
	if waited := time.Since(start); waited < 40*time.Millisecond || waited > 2*time.Second {
		t.Errorf("refused after %v; want about the queue wait (50ms)", waited)
	}
	// A websocket upgrade does not take a slot.
	req := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	req.Header.Set("Upgrade", "websocket")
	rec = httptest.NewRecorder()
	go func() {
		l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusSwitchingProtocols) })).ServeHTTP(rec, req)
	}()
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusNoContent {
			t.Errorf("a request within the bound got %d", c)
		}
	}
	// Freed slots serve again.
	if rec := do(h, "10.0.0.8:1", ""); rec.Code != http.StatusNoContent {
		t.Errorf("after the load: %d", rec.Code)
	}
}

func TestOnly(t *testing.T) {
	l := New(Config{PublicRate: 1, PublicBurst: 1})
	h := l.Only(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }), "/graphql")
	for _, path := range []string{"/healthz", "/media/ab/w160.jpg", "/graphql/x"} {
		for range 5 {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusNoContent {
				t.Fatalf("%s limited: %d", path, rec.Code)
			}
		}
	}
	codes := map[int]int{}
	for range 3 {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		codes[rec.Code]++
	}
	if codes[http.StatusNoContent] != 1 || codes[http.StatusTooManyRequests] != 2 {
		t.Errorf("graphql under a 1-burst limit: %v", codes)
	}
}
