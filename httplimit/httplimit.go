// Package httplimit keeps the server answering under load: a bound on
// requests in flight (the rest wait briefly, then get 503) and a rate per
// caller (beyond it, 429). Both answers carry Retry-After, so a client
// that backs off is served, and overload degrades cleanly instead of
// piling up goroutines until the process dies.
package httplimit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config sets the limits. Zero values take the defaults.
type Config struct {
	// MaxInFlight bounds requests being served at once; QueueWait is how
	// long one more may wait for a slot before it gets 503.
	MaxInFlight int
	QueueWait   time.Duration
	// Public is the rate (requests per second) and burst per address for
	// callers without a token; Token the same per token.
	PublicRate, TokenRate   float64
	PublicBurst, TokenBurst int
	// Now is the clock (tests replace it).
	Now func() time.Time
}

// Defaults: sized for the 2-core machine the benchmarks run on, where a
// search takes a few milliseconds: 64 in flight keeps both cores busy
// without letting latency run away.
const (
	DefaultMaxInFlight = 64
	DefaultQueueWait   = 200 * time.Millisecond
	DefaultPublicRate  = 20
	DefaultPublicBurst = 60
	DefaultTokenRate   = 50
	DefaultTokenBurst  = 150
	// idleAfter: a caller's bucket unused this long is forgotten, which
	// bounds the memory a flood of addresses can take.
	idleAfter = 10 * time.Minute
)

// Limiter is the middleware's state.
type Limiter struct {
	cfg   Config
	slots chan struct{}

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter with cfg's limits.
func New(cfg Config) *Limiter {
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = DefaultQueueWait
	}
	if cfg.PublicRate <= 0 {
		cfg.PublicRate = DefaultPublicRate
	}
	if cfg.PublicBurst <= 0 {
		cfg.PublicBurst = DefaultPublicBurst
	}
	if cfg.TokenRate <= 0 {
		cfg.TokenRate = DefaultTokenRate
	}
	if cfg.TokenBurst <= 0 {
		cfg.TokenBurst = DefaultTokenBurst
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{cfg: cfg, slots: make(chan struct{}, cfg.MaxInFlight), buckets: map[string]*bucket{}}
}

// key is who a request counts against: its token (hashed, so no secret
// is kept in memory longer than the request) or its address. A client
// can invent tokens, but an invented one is refused with 401 at once.
func key(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		sum := sha256.Sum256([]byte(h))
		return "t:" + hex.EncodeToString(sum[:8]), true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "a:" + host, false
}

// allow takes one request from the caller's bucket; when it is empty it
// returns how long until one is there.
func (l *Limiter) allow(r *http.Request) (bool, time.Duration) {
	k, token := key(r)
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > idleAfter {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idleAfter {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[k]
	if !ok {
		rt, burst := l.cfg.PublicRate, l.cfg.PublicBurst
		if token {
			rt, burst = l.cfg.TokenRate, l.cfg.TokenBurst
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(rt), burst)}
		l.buckets[k] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Handler wraps next with both limits.
func (l *Limiter) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.allow(r); !ok {
			refuse(w, http.StatusTooManyRequests, wait,
				"请求过于频繁，请稍后再试 / too many requests; retry later")
			return
		}
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			// A subscription lives for hours: it counts against the rate,
			// never against the slots, or a few lead boards would fill
			// them.
			next.ServeHTTP(w, r)
			return
		}
		select {
		case l.slots <- struct{}{}:
		default:
			t := time.NewTimer(l.cfg.QueueWait)
			select {
			case l.slots <- struct{}{}:
				t.Stop()
			case <-t.C:
				refuse(w, http.StatusServiceUnavailable, time.Second,
					"服务繁忙，请稍后再试 / server busy; retry later")
				return
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		defer func() { <-l.slots }()
		next.ServeHTTP(w, r)
	})
}

// InFlight is the number of requests being served, for metrics.
func (l *Limiter) InFlight() int { return len(l.slots) }

// refuse answers 429 or 503 in the GraphQL error shape, which the API's
// clients already read, with Retry-After in whole seconds (at least 1).
func refuse(w http.ResponseWriter, code int, after time.Duration, msg string) {
	secs := max(1, int(math.Ceil(after.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	// UNAVAILABLE is the API's one code for "not now"; the status says
	// which limit it was.
	fmt.Fprintf(w, `{"errors":[{"message":%q,"extensions":{"code":"UNAVAILABLE","retryAfter":%d}}]}`+"\n", msg, secs)
}

// Only sends the requests for the given paths through the limiter and
// the rest straight to next: the GraphQL endpoint does the expensive
// work, while health probes, metrics, static files and images (whose
// decodes the media service bounds itself) must answer under overload.
func (l *Limiter) Only(next http.Handler, paths ...string) http.Handler {
	limited := l.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range paths {
			if r.URL.Path == p {
				limited.ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
