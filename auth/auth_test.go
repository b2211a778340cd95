package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func TestIssueAndAuthenticate(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	secret, tok, err := auth.Issue(ctx, s, "王芳", auth.Caseworker)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "gg_") || len(secret) != 3+43 || tok.Hash != auth.Hash(secret) || strings.Contains(tok.Hash, secret) {
		t.Fatalf("secret %q, token %+v", secret, tok)
	}
	other, _, err := auth.Issue(ctx, s, "王芳", auth.Caseworker)
	if err != nil || other == secret {
		t.Fatalf("second token %q, %v; want a different one", other, err)
	}
	for _, c := range []struct {
		name, header string
		want         auth.User
		err          error
	}{
		{"none", "", auth.Anonymous, nil},
		{"valid", "Bearer " + secret, auth.User{Name: "王芳", Role: auth.Caseworker, TokenID: tok.ID}, nil},
		{"lower-case scheme", "bearer " + secret, auth.User{Name: "王芳", Role: auth.Caseworker, TokenID: tok.ID}, nil},
		{"forged", "Bearer gg_" + strings.Repeat("x", 43), auth.User{}, auth.ErrUnauthenticated},
		{"truncated", "Bearer " + secret[:20], auth.User{}, auth.ErrUnauthenticated},
		{"no prefix", "Bearer " + strings.TrimPrefix(secret, "gg_"), auth.User{}, auth.ErrUnauthenticated},
		{"basic", "Basic dXNlcjpwYXNz", auth.User{}, auth.ErrUnauthenticated},
		{"bare token", secret, auth.User{}, auth.ErrUnauthenticated},
	} {
		u, err := auth.Authenticate(ctx, s, c.header)
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) || u != c.want {
			t.Errorf("%s: %+v, %v; want %+v, %v", c.name, u, err, c.want, c.err)
		}
	}
	if _, err := s.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Authenticate(ctx, s, "Bearer "+secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("revoked: %v", err)
	}
	if _, _, err := auth.Issue(ctx, s, "x", auth.Public); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("issuing a public token: %v", err)
	}
	if _, _, err := auth.Issue(ctx, s, " ", auth.Admin); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("issuing without a name: %v", err)
	}
}

func TestExpiredToken(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	soon, _, err := auth.IssueUntil(ctx, s, "李志愿", auth.Volunteer, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if u, err := auth.Authenticate(ctx, s, "Bearer "+soon); err != nil || u.Role != auth.Volunteer {
		t.Errorf("a token within its time: %+v, %v", u, err)
	}
	if _, _, err := auth.IssueUntil(ctx, s, "李志愿", auth.Volunteer, time.Now().Add(-time.Second)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("issuing an already expired token: %v", err)
	}
	// A token whose time has run out, written as the store would hold it
	// a year after it was issued.
	secret := "gg_" + strings.Repeat("e", 43)
	if _, err := s.CreateToken(ctx, store.Token{ID: "tok_old", Name: "旧志愿者", Role: string(auth.Volunteer),
		Hash: auth.Hash(secret), Created: time.Now().AddDate(-1, 0, 0), Expires: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	_, err = auth.Authenticate(ctx, s, "Bearer "+secret)
	if !errors.Is(err, auth.ErrUnauthenticated) || !strings.Contains(err.Error(), "过期") {
		t.Errorf("an expired token: %v, want ErrUnauthenticated saying 过期", err)
	}
}

func TestRequire(t *testing.T) {
	ctx := t.Context()
	if err := auth.Require(ctx, auth.Volunteer); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("public: %v", err)
	}
	j := auth.WithUser(ctx, auth.User{Name: "j", Role: auth.Journalist})
	if err := auth.Require(j, auth.Volunteer, auth.Caseworker); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("journalist: %v", err)
	}
	if err := auth.Require(j, auth.Journalist); err != nil {
		t.Errorf("journalist for journalists: %v", err)
	}
	if r, err := auth.ParseRole(" Admin "); err != nil || r != auth.Admin {
		t.Errorf("ParseRole: %v %v", r, err)
	}
	if _, err := auth.ParseRole("public"); err == nil {
		t.Error("public is not a token role")
	}
}

func TestMiddleware(t *testing.T) {
	s := openStore(t)
	secret, _, err := auth.Issue(t.Context(), s, "v", auth.Volunteer)
	if err != nil {
		t.Fatal(err)
	}
	var seen auth.User
	h := auth.Middleware(s, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = auth.UserFrom(r.Context()) }))
	for _, c := range []struct {
		header string
		status int
		role   auth.Role
	}{
		{"", http.StatusOK, auth.Public},
		{"Bearer " + secret, http.StatusOK, auth.Volunteer},
		{"Bearer gg_nope", http.StatusUnauthorized, ""},
	} {
		seen = auth.User{}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if c.header != "" {
			req.Header.Set("Authorization", c.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status || seen.Role != c.role {
			t.Errorf("%q: status %d role %q; want %d %q", c.header, rec.Code, seen.Role, c.status, c.role)
		}
		if c.status == http.StatusUnauthorized && !strings.Contains(rec.Body.String(), `"UNAUTHENTICATED"`) {
			t.Errorf("401 body %s", rec.Body.String())
		}
	}
}

func TestPolicyFailsClosedWithoutAudit(t *testing.T) {
	s := openStore(t)
	ctx := auth.WithUser(t.Context(), auth.User{Name: "c", Role: auth.Caseworker})
	if err := (auth.Policy{Leads: s}).ReadPersonal(ctx, "p1", "phone"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("without an audit log: %v, want unavailable", err)
	}
	if err := (auth.Policy{Leads: s, Audit: s}).ReadPersonal(ctx, "p1", "phone"); err != nil {
		t.Errorf("caseworker: %v", err)
	}
	es, _ := s.Audit(t.Context(), store.AuditFilter{Subject: "p1"})
	if len(es) != 1 || es[0].Actor != "c" || es[0].Action != auth.ActionReadPersonal || es[0].Detail != "phone" {
		t.Errorf("audit %+v", es)
	}
}
