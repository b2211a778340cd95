package graph

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/guigen/guigen/store"
)

// Metrics are the API's Prometheus metrics, in a registry of their own
// (no global state): requests and their durations by operation, errors
// by code, store round trips by method.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	durations  *prometheus.HistogramVec
	errors     *prometheus.CounterVec
	roundTrips *prometheus.CounterVec
}

// NewMetrics makes the registry; pass it to NewHandler with WithMetrics
// and serve Handler at /metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guigen_graphql_operations_total", Help: "GraphQL operations by operation name and type.",
		}, []string{"operation", "type"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "guigen_graphql_operation_duration_seconds", Help: "GraphQL operation duration by operation name.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guigen_graphql_errors_total", Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
		roundTrips: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guigen_store_round_trips_total", Help: "Store calls made by the API, by method.",
		}, []string{"method"}),
	}
	m.reg.MustRegister(m.requests, m.durations, m.errors, m.roundTrips,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// WithMetrics records the handler's operations, errors and store round
// trips in m.
func WithMetrics(m *Metrics) Option { return func(r *Resolver) { r.metrics = m } }

// operationName labels an operation: anonymous ones share a label, and
// names, which clients choose, are cut to 64 bytes.
func operationName(oc *graphql.OperationContext) string {
	name := oc.OperationName
	if name == "" && oc.Operation != nil {
		name = oc.Operation.Name
	}
	if name == "" {
		return "anonymous"
	}
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

// metricsExtension times each operation and counts its errors by code.
type metricsExtension struct{ m *Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = metricsExtension{}

func (metricsExtension) ExtensionName() string                   { return "Metrics" }
func (metricsExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e metricsExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	op, typ := "invalid", "unknown"
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		op = operationName(oc)
		if oc.Operation != nil {
			typ = string(oc.Operation.Operation)
		}
	}
	e.m.requests.WithLabelValues(op, typ).Inc()
	e.m.durations.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if resp != nil {
		for _, err := range resp.Errors {
			code, _ := err.Extensions["code"].(string)
			if !knownCodes[code] {
				code = "OTHER"
			}
			e.m.errors.WithLabelValues(code).Inc()
		}
	}
	return resp
}

// meteredStore counts the store calls the API makes. It overrides the
// read methods resolvers use; writes go through casework and are few.
type meteredStore struct {
	store.Store
	c *prometheus.CounterVec
}

func metered[T any](s meteredStore, method string, f func() (T, error)) (T, error) {
	s.c.WithLabelValues(method).Inc()
	return f()
}

func (s meteredStore) GetMartyrs(ctx context.Context, ids []string) (map[string]store.Martyr, error) {
	return metered(s, "GetMartyrs", func() (map[string]store.Martyr, error) { return s.Store.GetMartyrs(ctx, ids) })
}
func (s meteredStore) GetPeople(ctx context.Context, ids []string) (map[string]store.Person, error) {
	return metered(s, "GetPeople", func() (map[string]store.Person, error) { return s.Store.GetPeople(ctx, ids) })
}
func (s meteredStore) GetPlaces(ctx context.Context, ids []string) (map[string]store.Place, error) {
	return metered(s, "GetPlaces", func() (map[string]store.Place, error) { return s.Store.GetPlaces(ctx, ids) })
}
func (s meteredStore) GetRecords(ctx context.Context, ids []string) (map[string]store.ArchivalRecord, error) {
	return metered(s, "GetRecords", func() (map[string]store.ArchivalRecord, error) { return s.Store.GetRecords(ctx, ids) })
}
func (s meteredStore) GetCemeteries(ctx context.Context, ids []string) (map[string]store.Cemetery, error) {
	return metered(s, "GetCemeteries", func() (map[string]store.Cemetery, error) { return s.Store.GetCemeteries(ctx, ids) })
}
func (s meteredStore) GetUnits(ctx context.Context, ids []string) (map[string]store.Unit, error) {
	return metered(s, "GetUnits", func() (map[string]store.Unit, error) { return s.Store.GetUnits(ctx, ids) })
}
func (s meteredStore) GetEvents(ctx context.Context, ids []string) (map[string]store.Event, error) {
	return metered(s, "GetEvents", func() (map[string]store.Event, error) { return s.Store.GetEvents(ctx, ids) })
}
func (s meteredStore) GetPortraits(ctx context.Context, ids []string) (map[string]store.Portrait, error) {
	return metered(s, "GetPortraits", func() (map[string]store.Portrait, error) { return s.Store.GetPortraits(ctx, ids) })
}
func (s meteredStore) GetExhibits(ctx context.Context, ids []string) (map[string]store.Exhibit, error) {
	return metered(s, "GetExhibits", func() (map[string]store.Exhibit, error) { return s.Store.GetExhibits(ctx, ids) })
}
func (s meteredStore) GetStories(ctx context.Context, ids []string) (map[string]store.Story, error) {
	return metered(s, "GetStories", func() (map[string]store.Story, error) { return s.Store.GetStories(ctx, ids) })
}
func (s meteredStore) GetLeads(ctx context.Context, ids []string) (map[string]store.Lead, error) {
	return metered(s, "GetLeads", func() (map[string]store.Lead, error) { return s.Store.GetLeads(ctx, ids) })
}
func (s meteredStore) ListMartyrs(ctx context.Context, f store.MartyrFilter, p store.PageReq) (store.Page[store.Martyr], error) {
	return metered(s, "ListMartyrs", func() (store.Page[store.Martyr], error) { return s.Store.ListMartyrs(ctx, f, p) })
}
func (s meteredStore) ListCemeteries(ctx context.Context, p store.PageReq) (store.Page[store.Cemetery], error) {
	return metered(s, "ListCemeteries", func() (store.Page[store.Cemetery], error) { return s.Store.ListCemeteries(ctx, p) })
}
func (s meteredStore) ListUnits(ctx context.Context, p store.PageReq) (store.Page[store.Unit], error) {
	return metered(s, "ListUnits", func() (store.Page[store.Unit], error) { return s.Store.ListUnits(ctx, p) })
}
func (s meteredStore) ListEvents(ctx context.Context, p store.PageReq) (store.Page[store.Event], error) {
	return metered(s, "ListEvents", func() (store.Page[store.Event], error) { return s.Store.ListEvents(ctx, p) })
}
func (s meteredStore) ListExhibits(ctx context.Context, f store.ExhibitFilter, p store.PageReq) (store.Page[store.Exhibit], error) {
	return metered(s, "ListExhibits", func() (store.Page[store.Exhibit], error) { return s.Store.ListExhibits(ctx, f, p) })
}
func (s meteredStore) ListPortraits(ctx context.Context, f store.PortraitFilter, p store.PageReq) (store.Page[store.Portrait], error) {
	return metered(s, "ListPortraits", func() (store.Page[store.Portrait], error) { return s.Store.ListPortraits(ctx, f, p) })
}
func (s meteredStore) Neighbours(ctx context.Context, id string, n store.Neighbourhood, p store.PageReq) (store.Page[store.Martyr], error) {
	return metered(s, "Neighbours", func() (store.Page[store.Martyr], error) { return s.Store.Neighbours(ctx, id, n, p) })
}
func (s meteredStore) Relatives(ctx context.Context, ids []string) (map[string][]store.Relative, error) {
	return metered(s, "Relatives", func() (map[string][]store.Relative, error) { return s.Store.Relatives(ctx, ids) })
}
func (s meteredStore) KinOf(ctx context.Context, ids []string) (map[string][]store.Kin, error) {
	return metered(s, "KinOf", func() (map[string][]store.Kin, error) { return s.Store.KinOf(ctx, ids) })
}
func (s meteredStore) RecordsCiting(ctx context.Context, ids []string) (map[string][]store.ArchivalRecord, error) {
	return metered(s, "RecordsCiting", func() (map[string][]store.ArchivalRecord, error) { return s.Store.RecordsCiting(ctx, ids) })
}
func (s meteredStore) Assertions(ctx context.Context, ids []string) (map[string][]store.Assertion, error) {
	return metered(s, "Assertions", func() (map[string][]store.Assertion, error) { return s.Store.Assertions(ctx, ids) })
}
func (s meteredStore) Lineages(ctx context.Context, ids []string) (map[string]store.Lineage, error) {
	return metered(s, "Lineages", func() (map[string]store.Lineage, error) { return s.Store.Lineages(ctx, ids) })
}
func (s meteredStore) PortraitsOf(ctx context.Context, ids []string) (map[string][]store.Portrait, error) {
	return metered(s, "PortraitsOf", func() (map[string][]store.Portrait, error) { return s.Store.PortraitsOf(ctx, ids) })
}
func (s meteredStore) ListLeads(ctx context.Context, f store.LeadFilter, p store.PageReq) (store.Page[store.Lead], error) {
	return metered(s, "ListLeads", func() (store.Page[store.Lead], error) { return s.Store.ListLeads(ctx, f, p) })
}
func (s meteredStore) LeadEventsOf(ctx context.Context, ids []string) (map[string][]store.LeadEvent, error) {
	return metered(s, "LeadEventsOf", func() (map[string][]store.LeadEvent, error) { return s.Store.LeadEventsOf(ctx, ids) })
}
func (s meteredStore) LeadEvents(ctx context.Context, id string) ([]store.LeadEvent, error) {
	return metered(s, "LeadEvents", func() ([]store.LeadEvent, error) { return s.Store.LeadEvents(ctx, id) })
}

// Request ids: X-Request-Id in (when it looks like one) and out, on every
// log line of the request.

type requestIDKey struct{}

type requestInfo struct {
	id        string
	operation string
}

// RequestID returns the request id of ctx, "" outside a request.
func RequestID(ctx context.Context) string {
	if ri, ok := ctx.Value(requestIDKey{}).(*requestInfo); ok {
		return ri.id
	}
	return ""
}

func validRequestID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter remembers the status for the access log. It passes
// Flush and Hijack through (websockets hijack the connection).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// withRequestID tags the request with an id and logs one line when it ends.
func withRequestID(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		ri := &requestInfo{id: id}
		w.Header().Set("X-Request-Id", id)
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, ri)))
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "graphql request",
			slog.String("request_id", id), slog.String("method", r.Method), slog.Int("status", status),
			slog.String("operation", ri.operation), slog.Duration("duration", time.Since(start)))
	})
}

// requestIDHandler adds the request id to every record logged with a
// request's context.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// operationLog puts the operation's name on the request's access log line.
type operationLog struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = operationLog{}

func (operationLog) ExtensionName() string                   { return "OperationLog" }
func (operationLog) Validate(graphql.ExecutableSchema) error { return nil }

func (operationLog) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if ri, ok := ctx.Value(requestIDKey{}).(*requestInfo); ok {
		ri.operation = operationName(oc)
	}
	return nil
}

func (s meteredStore) PlaceChildren(ctx context.Context, ids []string) (map[string][]store.Place, error) {
	return metered(s, "PlaceChildren", func() (map[string][]store.Place, error) { return s.Store.PlaceChildren(ctx, ids) })
}
