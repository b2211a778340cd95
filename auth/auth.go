// Package auth holds API tokens, roles, the user of a request and the
// personal-data policy: who may read a living relative's phone, address,
// ID number and DNA results, with every read written to the audit log.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/guigen/guigen/store"
)

// Role of a caller. Public is the role of a request without a token.
type Role string

const (
	Public     Role = "public"
	Journalist Role = "journalist"
	Volunteer  Role = "volunteer"
	Caseworker Role = "caseworker"
	Curator    Role = "curator"
	Admin      Role = "admin"
)

// Roles a token may carry (never Public: that is the absence of a token).
var Roles = []Role{Journalist, Volunteer, Caseworker, Curator, Admin}

// ParseRole reads a role name as typed on the command line.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, ok := range Roles {
		if r == ok {
			return r, nil
		}
	}
	return "", fmt.Errorf("未知角色 %q，可选 journalist/volunteer/caseworker/curator/admin / unknown role %q: %w", s, s, store.ErrInvalid)
}

// Errors a caller sees as UNAUTHENTICATED and FORBIDDEN.
var (
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrForbidden       = errors.New("forbidden")
)

// TokenStore keeps tokens as hashes; both store backends implement it.
type TokenStore interface {
	CreateToken(ctx context.Context, t store.Token) (store.Token, error)
	TokenByHash(ctx context.Context, hash string) (store.Token, error)
	RevokeToken(ctx context.Context, id string) (store.Token, error)
	ListTokens(ctx context.Context) ([]store.Token, error)
}

// AuditLog is the append-only log of reads of personal data and of
// workflow moves; both store backends implement it.
type AuditLog interface {
	AppendAudit(ctx context.Context, entries ...store.AuditEntry) ([]store.AuditEntry, error)
	Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error)
}

// tokenPrefix marks Guigen tokens, so a leaked one is recognisable by
// secret scanners and a malformed header is refused before any look-up.
const tokenPrefix = "gg_"

// secretBytes of randomness in a token: 256 bits.
const secretBytes = 32

// Hash is the stored form of a token: hex SHA-256. Tokens are random and
// long, so a fast hash is enough (no dictionary to slow down).
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormed reports whether s looks like a token this package issues.
func wellFormed(s string) bool {
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(secretBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// Issue creates a token for name with role and returns the secret, which
// is shown once and never stored.
func Issue(ctx context.Context, ts TokenStore, name string, role Role) (string, store.Token, error) {
	return IssueUntil(ctx, ts, name, role, time.Time{})
}

// IssueUntil is Issue for a token that stops working at expires (zero:
// never). An expiry in the past is refused.
func IssueUntil(ctx context.Context, ts TokenStore, name string, role Role, expires time.Time) (string, store.Token, error) {
	if !expires.IsZero() && !expires.After(time.Now()) {
		return "", store.Token{}, fmt.Errorf("issue token: 过期时间须在将来 / the expiry must be in the future: %w", store.ErrInvalid)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", store.Token{}, fmt.Errorf("issue token: 请填写名称 / name must not be empty: %w", store.ErrInvalid)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", store.Token{}, fmt.Errorf("issue token: %w", err)
	}
	secret, err := randomString(secretBytes)
	if err != nil {
		return "", store.Token{}, fmt.Errorf("issue token: %w", err)
	}
	secret = tokenPrefix + secret
	id, err := randomString(9)
	if err != nil {
		return "", store.Token{}, fmt.Errorf("issue token: %w", err)
	}
	t, err := ts.CreateToken(ctx, store.Token{ID: "tok_" + id, Name: name, Role: string(role), Hash: Hash(secret), Expires: expires})
	if err != nil {
		return "", store.Token{}, fmt.Errorf("issue token: %w", err)
	}
	return secret, t, nil
}

// User is the caller of a request.
type User struct {
	// Name is who holds the token; leads are assigned to it and the audit
	// log and lead events record it.
	Name    string
	Role    Role
	TokenID string
}

// Anonymous is the caller without a token.
var Anonymous = User{Role: Public}

// Has reports whether the user has one of the roles.
func (u User) Has(roles ...Role) bool {
	for _, r := range roles {
		if u.Role == r {
			return true
		}
	}
	return false
}

// Authenticate turns an Authorization header into a user. No header is
// the public user; anything else that is not a valid, unrevoked token is
// ErrUnauthenticated, never silently public.
func Authenticate(ctx context.Context, ts TokenStore, header string) (User, error) {
	if header == "" {
		return Anonymous, nil
	}
	scheme, secret, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return User{}, fmt.Errorf("授权头须为 Bearer 令牌 / the Authorization header must be a Bearer token: %w", ErrUnauthenticated)
	}
	secret = strings.TrimSpace(secret)
	if !wellFormed(secret) {
		return User{}, fmt.Errorf("令牌格式无效 / malformed token: %w", ErrUnauthenticated)
	}
	t, err := ts.TokenByHash(ctx, Hash(secret))
	if errors.Is(err, store.ErrNotFound) {
		return User{}, fmt.Errorf("令牌无效 / unknown token: %w", ErrUnauthenticated)
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if !t.Revoked.IsZero() {
		return User{}, fmt.Errorf("令牌已吊销 / token revoked: %w", ErrUnauthenticated)
	}
	if t.Expired(time.Now()) {
		return User{}, fmt.Errorf("令牌已过期 / token expired: %w", ErrUnauthenticated)
	}
	return User{Name: t.Name, Role: Role(t.Role), TokenID: t.ID}, nil
}

type userKey struct{}

// WithUser returns a context carrying u.
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the request's user; the public user when none is set.
func UserFrom(ctx context.Context) User {
	if u, ok := ctx.Value(userKey{}).(User); ok {
		return u
	}
	return Anonymous
}

// Require returns nil when the context's user has one of roles, else
// ErrUnauthenticated for the public user and ErrForbidden for others.
func Require(ctx context.Context, roles ...Role) error {
	u := UserFrom(ctx)
	if u.Has(roles...) {
		return nil
	}
	if u.Role == Public {
		return fmt.Errorf("请先登录 / a token is required: %w", ErrUnauthenticated)
	}
	return fmt.Errorf("角色 %s 无权执行此操作 / role %s may not do this: %w", u.Role, u.Role, ErrForbidden)
}
