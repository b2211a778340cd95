package graphiql_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/guigen/guigen/graph/graphiql"
)

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestServesPageAndAssetsFromTheBinary(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/graphiql/", graphiql.Handler())
	mux.Handle("/graphiql", graphiql.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, page := get(t, srv.Client(), srv.URL+"/graphiql")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/graphiql/" {
		t.Fatalf("/graphiql: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	// Every script and stylesheet is local: nothing from a CDN.
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) < 5 {
		t.Fatalf("page references %d files: %s", len(refs), page)
	}
	for _, m := range refs {
		if regexp.MustCompile(`^(?:[a-z]+:)?//`).MatchString(m[1]) {
			t.Errorf("page loads %s from elsewhere", m[1])
			continue
		}
		r, b := get(t, srv.Client(), srv.URL+"/graphiql/"+m[1])
		if r.StatusCode != 200 || len(b) == 0 {
			t.Errorf("%s: %d, %d bytes", m[1], r.StatusCode, len(b))
		}
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy")
	}
}

// TestVendoredAssetsMatchNpm re-runs vendor.sh into a temporary directory
// and compares: the committed files are exactly the pinned packages'
// builds. It needs npm; without it the test skips, except in CI.
func TestVendoredAssetsMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("npm is needed in CI to check the vendored GraphiQL assets")
		}
		t.Skip("npm not installed")
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "vendor.sh", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vendor.sh: %v\n%s", err, b)
	}
	want, _ := filepath.Glob(filepath.Join(out, "*"))
	have, _ := filepath.Glob(filepath.Join("assets", "*"))
	if len(want) != len(have) {
		t.Errorf("assets/ has %d files, vendor.sh makes %d", len(have), len(want))
	}
	for _, w := range want {
		a, _ := os.ReadFile(w)
		b, err := os.ReadFile(filepath.Join("assets", filepath.Base(w)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("assets/%s differs from what vendor.sh makes; run sh graph/graphiql/vendor.sh", filepath.Base(w))
		}
	}
}
