package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vikstrous/dataloadgen"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/casework"
	"github.com/guigen/guigen/store"
)

// Cases is the lead workflow and the personal-data policy the resolvers
// call; NewHandler builds it from the store unless WithCasework gives one.
type Cases struct {
	Work   *casework.Service
	Policy auth.Policy
	// Tokens authenticates requests; nil when the store keeps no tokens,
	// and then every request with a token is refused.
	Tokens auth.TokenStore

	// loaderWait is the handler's dataloader wait (WithLoaderWait), for
	// the people loaders withAuth installs.
	loaderWait time.Duration
}

// WithCasework serves the lead workflow from c (tests share its broker).
func WithCasework(c *Cases) Option { return func(r *Resolver) { r.Cases = c } }

// NewCases wires the workflow over s, which also keeps the tokens and
// the audit log.
func NewCases(s store.Store, search Searcher, log *slog.Logger) *Cases {
	c := &Cases{Work: &casework.Service{Store: s, Broker: casework.NewBroker(), Log: log}}
	if search != nil {
		c.Work.Search = search
	}
	c.Work.Audit = s
	c.Policy.Audit = s
	c.Policy.Leads = s
	c.Tokens = s
	return c
}

// cases returns the workflow, building it on first use for a Resolver
// made without NewHandler.
func (r *Resolver) cases() *Cases {
	if r.Cases == nil {
		var s Searcher
		if r.Search != nil {
			s = r.Search
		}
		r.Cases = NewCases(r.Store, s, nil)
	}
	r.Cases.loaderWait = r.loaderWait
	return r.Cases
}

// noTokens refuses every token when the store cannot check them.
type noTokens struct{}

func (noTokens) CreateToken(context.Context, store.Token) (store.Token, error) {
	return store.Token{}, fmt.Errorf("tokens: %w", store.ErrUnavailable)
}
func (noTokens) TokenByHash(context.Context, string) (store.Token, error) {
	return store.Token{}, fmt.Errorf("tokens: %w", store.ErrNotFound)
}
func (noTokens) RevokeToken(context.Context, string) (store.Token, error) {
	return store.Token{}, fmt.Errorf("tokens: %w", store.ErrNotFound)
}
func (noTokens) ListTokens(context.Context) ([]store.Token, error) { return nil, nil }

func (c *Cases) tokens() auth.TokenStore {
	if c.Tokens == nil {
		return noTokens{}
	}
	return c.Tokens
}

// withAuth authenticates each request (401 for a bad token) and gives it
// the per-request people loaders.
func withAuth(c *Cases, log *slog.Logger, next http.Handler) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(withPeopleLoaders(r.Context(), c.Work.Store, c.loaderWait)))
	})
	return auth.Middleware(c.tokens(), log, inner)
}

// websocketTransport serves subscriptions over graphql-transport-ws. A
// browser cannot set headers on a websocket, so connection_init may carry
// {"Authorization": "Bearer gg_..."}; a bad one closes the connection.
func websocketTransport(c *Cases) transport.Websocket {
	return transport.Websocket{
		KeepAlivePingInterval: 15 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			h := p.Authorization()
			if h == "" {
				if v, ok := p["authorization"].(string); ok {
					h = v
				}
			}
			if h == "" {
				return ctx, &p, nil // the upgrade request's header, if any, was checked already
			}
			u, err := auth.Authenticate(ctx, c.tokens(), h)
			if err != nil {
				return ctx, nil, err
			}
			return auth.WithUser(ctx, u), &p, nil
		},
	}
}

// peopleLoaders batch the people and kin look-ups of one request.
type peopleLoaders struct {
	people    *dataloadgen.Loader[string, store.Person]
	relatives *dataloadgen.Loader[string, []store.Relative]
	kinOf     *dataloadgen.Loader[string, []store.Kin]
	announced *announcedSet
}

type peopleLoadersKey struct{}

func newPeopleLoaders(s store.Store, wait time.Duration) *peopleLoaders {
	if wait <= 0 {
		wait = loaderWait
	}
	w := dataloadgen.WithWait(wait)
	return &peopleLoaders{
		people:    dataloadgen.NewMappedLoader(s.GetPeople, w),
		relatives: dataloadgen.NewMappedLoader(s.Relatives, w),
		kinOf:     dataloadgen.NewMappedLoader(s.KinOf, w),
		announced: &announcedSet{s: s},
	}
}

func withPeopleLoaders(ctx context.Context, s store.Store, wait time.Duration) context.Context {
	return context.WithValue(ctx, peopleLoadersKey{}, newPeopleLoaders(s, wait))
}

func (r *Resolver) peopleFor(ctx context.Context) *peopleLoaders {
	if l, ok := ctx.Value(peopleLoadersKey{}).(*peopleLoaders); ok {
		return l
	}
	return newPeopleLoaders(r.Store, r.loaderWait)
}

// loadList loads a list by key: empty for a key the store has nothing for.
func loadList[T any](ctx context.Context, l *dataloadgen.Loader[string, []T], id string) ([]T, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return []T{}, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}
