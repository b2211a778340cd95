package graph

import (
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/guigen/guigen/graph/generated"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

const (
	// MaxPageSize bounds `first` on every connection.
	MaxPageSize = 100
	// DefaultPageSize is what a connection returns without `first`.
	DefaultPageSize = 20
	// MaxComplexity bounds a query's cost (one per field, lists priced
	// by complexity()), so one request cannot ask for the whole graph; a
	// page of 100 martyr cards fits.
	MaxComplexity = 5000
	// MaxBodyBytes bounds a request body; queries are small.
	MaxBodyBytes = 1 << 20
	// MaxUploadBytes bounds a multipart request carrying a portrait: the
	// media service's own limit on an image, and room for the form.
	MaxUploadBytes = media.DefaultMaxBytes + 1<<20
)

// NewHandler returns the GraphQL endpoint over the store: queries by GET
// or POST, errors shaped by presentError, per-request loaders.
func NewHandler(s store.Store, log *slog.Logger, opts ...Option) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	log = slog.New(requestIDHandler{log.Handler()})
	root := &Resolver{Store: s}
	for _, o := range opts {
		o(root)
	}
	if root.metrics != nil {
		root.Store = meteredStore{Store: s, c: root.metrics.roundTrips}
		s = root.Store
	}
	cases := root.cases() // leads, tokens, personal data: graph/auth.go
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: root, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: MaxUploadBytes, MaxMemory: 32 << 20})
	srv.AddTransport(websocketTransport(cases))
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.Use(depthLimit{max: MaxDepth})
	srv.Use(operationLog{})
	if root.metrics != nil {
		srv.Use(metricsExtension{root.metrics})
	}
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))

	return withBaseURL(withRequestID(log, checkRequest(withLoaders(s, root.loaderWait, withAuth(cases, log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(MaxBodyBytes)
		if isMultipart(r) {
			limit = MaxUploadBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		srv.ServeHTTP(w, r)
	}))))))
}
