package main

import (
	"context"
	"errors"
	"strings"
	"testing"

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
	} {
		if code, _, _ := runCmd(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}
