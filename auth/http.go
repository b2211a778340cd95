package auth

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
)

// Middleware authenticates every request from its Authorization header
// and puts the user in the request's context. A bad token is answered
// 401 with a GraphQL-shaped error; it never falls back to public.
func Middleware(ts TokenStore, log *slog.Logger, next http.Handler) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := Authenticate(r.Context(), ts, r.Header.Get("Authorization"))
		if err != nil {
			msg := err.Error()
			status, code := http.StatusUnauthorized, "UNAUTHENTICATED"
			if !errors.Is(err, ErrUnauthenticated) {
				log.WarnContext(r.Context(), "auth: token look-up failed", "err", err)
				status, code, msg = http.StatusServiceUnavailable, "UNAVAILABLE", "暂时无法验证令牌 / cannot check the token now"
			} else {
				w.Header().Set("WWW-Authenticate", `Bearer realm="guigen"`)
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
				"message": msg, "extensions": map[string]any{"code": code},
			}}})
			return
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
}
