package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/graph"
)

// TestGraphQLOverHTTPAudit runs the graphql-http package's server audits
// (the GraphQL over HTTP spec) against the handler. Every MUST passes;
// the SHOULD and MAY results are logged (and listed in README.md). It
// needs Node.js; without it the test skips, except in CI.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	npm, err2 := exec.LookPath("npm")
	if err != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node and npm are needed for the GraphQL over HTTP audit in CI")
		}
		t.Skip("node/npm not installed")
	}
	dir, err := filepath.Abs("httpaudit")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil || os.Getenv("CI") != "" {
		ci := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
		ci.Dir = dir
		if out, err := ci.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
	srv := httptest.NewServer(graph.NewHandler(fixtureStore(t), nil))
	defer srv.Close()

	cmd := exec.CommandContext(ctx, node, "audit.mjs", srv.URL)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var must, mustOK int
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r struct{ ID, Name, Status, Reason string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit output %q: %v", sc.Text(), err)
		}
		if strings.HasPrefix(r.Name, "MUST") {
			must++
			if r.Status == "ok" {
				mustOK++
			} else {
				t.Errorf("%s %s: %s", r.ID, r.Name, r.Reason)
			}
			continue
		}
		t.Logf("%-4s %-7s %s %s", r.ID, r.Status, r.Name, r.Reason)
	}
	if must == 0 {
		t.Fatalf("no audits ran: %v\n%s", runErr, stderr.String())
	}
	if runErr != nil && mustOK == must {
		t.Errorf("audit script failed: %v\n%s", runErr, stderr.String())
	}
	t.Logf("MUST audits passed: %d of %d", mustOK, must)
}
