package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/guigen/guigen/auth"
)

// No secret reaches the log: tokens sent with requests (valid, forged,
// revoked, in headers and in GraphQL variables), at any log level serve
// writes, appear neither as themselves nor as their hashes.
func TestNoSecretInLogs(t *testing.T) {
	embedded(t)
	data := t.TempDir()
	code, stdout, stderr := runCmd(t, "token", "create", "--role", "caseworker", "--name", "赵经办", "--data", data)
	if code != exitOK {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	secret := strings.TrimSpace(stdout)
	forged := "gg_" + strings.Repeat("Z", 43)
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", data, "--demo")
	for _, tok := range []string{secret, forged, "not-a-token " + secret} {
		for _, body := range []string{
			`{"query":"{ leads(first: 5) { totalCount } }"}`,
			`{"query":"query($t: String!) { searchMartyrs(name: $t) { total } }","variables":{"t":"` + tok + `"}}`,
			`{"query":"{ nosuchfield }"}`,
			`not json`,
		} {
			req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exit %d", code)
	}
	out := logs.String()
	if !strings.Contains(out, "graphql request") {
		t.Fatalf("the log does not show the requests; the test proves nothing:\n%s", out)
	}
	for _, s := range []string{secret, auth.Hash(secret), forged, auth.Hash(forged)} {
		if strings.Contains(out, s) {
			t.Errorf("the log contains %q", s[:12]+"…")
		}
	}
	if m := regexp.MustCompile(`gg_[A-Za-z0-9_-]{20,}`).FindString(out); m != "" {
		t.Errorf("the log contains something like a token: %q", m[:12]+"…")
	}
}
