package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/auth"
)

func TestTokenCommand(t *testing.T) {
	embedded(t)
	data := t.TempDir()
	code, stdout, stderr := runCmd(t, "token", "create", "--role", "volunteer", "--name", "王芳", "--data", data)
	if code != exitOK {
		t.Fatalf("token create: exit %d\n%s", code, stderr)
	}
	secret := strings.TrimSpace(stdout)
	if !strings.HasPrefix(secret, "gg_") || strings.Contains(secret, "\n") {
		t.Fatalf("token create printed %q, want one gg_ token", stdout)
	}
	if !strings.Contains(stderr, "只显示这一次") {
		t.Errorf("token create did not warn it is shown once: %q", stderr)
	}

	code, stdout, _ = runCmd(t, "token", "list", "--data", data)
	if code != exitOK || !strings.Contains(stdout, "王芳") || !strings.Contains(stdout, "volunteer") {
		t.Fatalf("token list: exit %d\n%s", code, stdout)
	}
	if strings.Contains(stdout, secret) || strings.Contains(stdout, auth.Hash(secret)) {
		t.Error("token list shows the secret or its hash")
	}
	fields := strings.Fields(strings.Split(strings.TrimSpace(stdout), "\n")[1])
	id := fields[0]

	// The store keeps only the hash, and the secret authenticates.
	s := openData(t, data)
	ts := s.(auth.TokenStore)
	u, err := auth.Authenticate(context.Background(), ts, "Bearer "+secret)
	if err != nil || u.Name != "王芳" || u.Role != auth.Volunteer || u.TokenID != id {
		t.Fatalf("Authenticate = %+v, %v", u, err)
	}
	tok, err := ts.TokenByHash(context.Background(), auth.Hash(secret))
	if err != nil || tok.Hash == secret {
		t.Fatalf("stored token %+v, %v", tok, err)
	}
	_ = s.Close(context.Background())

	if code, stdout, stderr := runCmd(t, "token", "revoke", id, "--data", data); code != exitOK {
		t.Fatalf("token revoke: exit %d\n%s%s", code, stdout, stderr)
	}
	s = openData(t, data)
	if _, err := auth.Authenticate(context.Background(), s.(auth.TokenStore), "Bearer "+secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("revoked token authenticates: %v", err)
	}
	if code, _, _ := runCmd(t, "token", "revoke", "tok_missing", "--data", data); code != exitFail {
		t.Errorf("revoking a missing token: exit %d, want %d", code, exitFail)
	}

	for _, bad := range [][]string{
		{"token"},
		{"token", "create", "--role", "emperor", "--name", "x", "--data", data},
		{"token", "create", "--role", "admin", "--data", data},
		{"token", "frobnicate", "--data", data},
		{"token", "revoke", "--data", data},
		{"token", "create", "--role", "admin", "--name", "x", "--expires", "yesterday", "--data", data},
		{"token", "create", "--role", "admin", "--name", "x", "--expires", "2020-01-01", "--data", data},
		{"token", "create", "--role", "admin", "--name", "x", "--expires", "0d", "--data", data},
	} {
		if code, _, _ := runCmd(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

func TestTokenExpiry(t *testing.T) {
	embedded(t)
	data := t.TempDir()
	code, stdout, stderr := runCmd(t, "token", "create", "--role", "caseworker", "--name", "赵经办", "--expires", "30d", "--data", data)
	if code != exitOK {
		t.Fatalf("token create --expires 30d: exit %d\n%s", code, stderr)
	}
	secret := strings.TrimSpace(stdout)
	s := openData(t, data)
	ts := s.(auth.TokenStore)
	tok, err := ts.TokenByHash(context.Background(), auth.Hash(secret))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.Expires); d < 29*24*time.Hour || d > 30*24*time.Hour+time.Minute {
		t.Errorf("--expires 30d stored expiry %v (in %v)", tok.Expires, d)
	}
	_ = s.Close(context.Background())
	code, stdout, _ = runCmd(t, "token", "list", "--data", data)
	if code != exitOK || !strings.Contains(stdout, "EXPIRES") || !strings.Contains(stdout, tok.Expires.Format(time.RFC3339)) {
		t.Errorf("token list does not show the expiry:\n%s", stdout)
	}

	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"never", time.Time{}, true},
		{"90d", now.AddDate(0, 0, 90), true},
		{"720h", now.Add(720 * time.Hour), true},
		{"2027-06-30", time.Date(2027, 6, 30, 16, 0, 0, 0, time.UTC), true},
		{"2026-11-27", time.Time{}, false},
		{"-5h", time.Time{}, false},
		{"5000d", time.Time{}, false},
		{"soon", time.Time{}, false},
	} {
		got, err := parseExpiry(c.in, now)
		if (err == nil) != c.ok || (c.ok && !got.Equal(c.want)) {
			t.Errorf("parseExpiry(%q) = %v, %v; want %v (ok %v)", c.in, got, err, c.want, c.ok)
		}
	}
}
