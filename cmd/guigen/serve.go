package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/graph/graphiql"
	"github.com/guigen/guigen/httplimit"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/web"
)

const (
	// shutdownTimeout is how long in-flight requests get to finish.
	shutdownTimeout = 10 * time.Second
	// readyTimeout bounds the store ping behind /readyz.
	readyTimeout = 2 * time.Second
)

func serveFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	fs.StringVar(&cfg.Addr, "addr", envOr("GUIGEN_ADDR", defaultAddr), "listen address (`HOST:PORT`; env GUIGEN_ADDR)")
	withDemo := fs.Bool("demo", false, "load the demo data set into an empty store")
	fs.IntVar(&cfg.Limits.MaxInFlight, "max-inflight", httplimit.DefaultMaxInFlight, "GraphQL requests served at once; more wait briefly, then get 503 (同时处理的请求数)")
	fs.Float64Var(&cfg.Limits.PublicRate, "rate-public", httplimit.DefaultPublicRate, "GraphQL requests per second per address without a token; beyond it 429 (每个地址每秒请求数)")
	fs.Float64Var(&cfg.Limits.TokenRate, "rate-token", httplimit.DefaultTokenRate, "GraphQL requests per second per token (每个令牌每秒请求数)")
	return func(ctx context.Context, env *runEnv) error {
		return serve(ctx, cfg, *withDemo, env.log)
	}
}

// serve opens the store and serves HTTP until ctx ends, then lets
// in-flight requests finish.
func serve(ctx context.Context, cfg config, withDemo bool, log *slog.Logger) error {
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	if v, err := s.SchemaVersion(ctx); err == nil {
		log.Info("数据库就绪 / store ready", "backend", s.Backend(), "schema", v)
	}
	if withDemo {
		if err := loadDemo(ctx, s, log); err != nil {
			return err
		}
		defer startDemoPortraits(ctx, cfg.DataDir, s, log)()
	}
	var gopts []graph.Option
	if svc, err := startSearch(ctx, cfg.DataDir, s, log, syncInterval); err != nil {
		log.Error("搜索不可用，继续提供其他服务 / search unavailable; serving without it", "err", err)
	} else {
		defer svc.Close()
		gopts = append(gopts, graph.WithSearch(svc))
	}

	ms := openMedia(cfg.DataDir, log)
	if ms != nil {
		gopts = append(gopts, graph.WithMedia(ms))
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s / cannot listen on %s: %v", cfg.Addr, cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           httplimit.New(cfg.Limits).Only(withMedia(newMux(s, log, gopts...), ms, s), "/graphql"),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("正在服务 / serving", "addr", ln.Addr().String(), "graphql", "http://"+ln.Addr().String()+"/graphql")

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("HTTP 服务异常退出 / HTTP server stopped: %v", err)
	case <-ctx.Done():
	}
	log.Info("正在停止 / shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("未能按时停止，强制关闭 / graceful shutdown timed out; closing", "err", err)
		_ = srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("HTTP server", "err", err)
	}
	log.Info("已停止 / stopped")
	return nil
}

// loadDemo loads the demo data set into a store without martyrs and
// leaves a store with data alone.
func loadDemo(ctx context.Context, s store.Store, log *slog.Logger) error {
	page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 1})
	if err != nil {
		return fmt.Errorf("无法检查数据库是否为空 / cannot check whether the store is empty: %v", err)
	}
	if page.Total > 0 {
		log.Info("数据库已有数据，未载入演示数据 / the store has data; demo data not loaded", "martyrs", page.Total)
		return nil
	}
	sum, err := demo.Load(ctx, s)
	if err != nil {
		return fmt.Errorf("载入演示数据失败 / loading the demo data failed: %v", err)
	}
	log.Info("已载入演示数据 / demo data loaded", "summary", sum.String(),
		"martyrs", sum.Martyrs, "people", sum.People, "places", sum.Places, "records", sum.Records, "leads", sum.Leads)
	return nil
}

// newMux routes the API and the probes.
func newMux(s store.Store, log *slog.Logger, opts ...graph.Option) http.Handler {
	mux := http.NewServeMux()
	metrics := graph.NewMetrics()
	gql := graph.NewHandler(s, log, append(opts, graph.WithMetrics(metrics))...)
	mux.Handle("/graphql", gql)
	mux.Handle("GET /metrics", metrics.Handler())
	mux.Handle("GET /graphiql", graphiql.Handler())
	mux.Handle("GET /graphiql/", graphiql.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", readiness(s, log))
	// The browser UI (web/): every other path, so that client routes such
	// as /martyr/m-0001 load the app; more specific patterns win.
	mux.Handle("/", web.Handler())
	return mux
}

// readiness answers 200 while the store answers a ping in time, 503 with
// the reason otherwise. It asks the store on every request, so it turns
// ready again by itself when the database comes back; it logs only the
// changes, not every failing probe.
func readiness(s store.Store, log *slog.Logger) http.Handler {
	var down atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		err := s.Ping(ctx)
		if err == nil {
			if down.Swap(false) {
				log.Info("数据库恢复 / store is back", "backend", s.Backend())
			}
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "backend": s.Backend()})
			return
		}
		reason := "数据库暂不可用 / database unavailable"
		if errors.Is(err, context.DeadlineExceeded) {
			reason = fmt.Sprintf("数据库 %s 内无应答 / database did not answer within %s", readyTimeout, readyTimeout)
		}
		if !down.Swap(true) {
			log.Warn("数据库不可用 / store unavailable", "backend", s.Backend(), "err", err)
		}
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "backend": s.Backend(), "reason": reason})
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
