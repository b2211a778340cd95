package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// embedded makes run use the SQLite store whatever the environment says
// (CI sets NEO4J_URI for the Neo4j suites).
func embedded(t *testing.T) {
	t.Setenv("NEO4J_URI", "")
	t.Setenv("GUIGEN_DATA", "")
	t.Setenv("GUIGEN_ADDR", "")
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestRunVersion(t *testing.T) {
	code, out, errs := runCmd(t, "version")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, "guigen dev\n") || !strings.Contains(out, runtime.Version()) {
		t.Fatalf("version printed %q", out)
	}
}

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, exitUsage, "", "Usage: guigen <command>"},
		{[]string{"help"}, exitOK, "serve", ""},
		{[]string{"help", "serve"}, exitOK, "-demo", ""},
		{[]string{"help", "nope"}, exitUsage, "", "unknown command"},
		{[]string{"frobnicate"}, exitUsage, "", "未知命令 \"frobnicate\""},
		{[]string{"serve", "--no-such-flag"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"migrate", "extra"}, exitUsage, "", "unexpected arguments: extra"},
		{[]string{"serve", "-h"}, exitOK, "", "-addr"},
	} {
		code, out, errs := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errs, tc.stderr) {
			t.Errorf("guigen %v: exit %d, stdout %q, stderr %q; want exit %d, %q, %q",
				tc.args, code, out, errs, tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestRunMigrateCreatesTheStore(t *testing.T) {
	embedded(t)
	dir := filepath.Join(t.TempDir(), "nested", "data")
	code, out, errs := runCmd(t, "migrate", "--data", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !regexp.MustCompile(`^schema version [1-9][0-9]* \(sqlite\)\n$`).MatchString(out) {
		t.Errorf("migrate printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, dbFile)); err != nil {
		t.Errorf("no database file: %v", err)
	}
	if !strings.Contains(errs, "backend=sqlite") {
		t.Errorf("the log does not say which backend: %q", errs)
	}
	// The environment names the data dir when the flag does not.
	t.Setenv("GUIGEN_DATA", dir)
	if code, out2, errs := runCmd(t, "migrate"); code != exitOK || out2 != out {
		t.Errorf("migrate with GUIGEN_DATA: exit %d, %q, %s", code, out2, errs)
	}
}

func TestRunCorruptDatabase(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	path := filepath.Join(dir, dbFile)
	junk := bytes.Repeat([]byte("这不是数据库 this is not a database\n"), 200)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"migrate", "--data", dir},
		{"serve", "--data", dir, "--addr", "127.0.0.1:0"},
	} {
		code, _, errs := runCmd(t, args...)
		line := lastLine(errs)
		if code != exitFail {
			t.Errorf("%s: exit %d, want %d", args[0], code, exitFail)
		}
		for _, want := range []string{"guigen: ", "损坏", "corrupt", path} {
			if !strings.Contains(line, want) {
				t.Errorf("%s: last line %q lacks %q", args[0], line, want)
			}
		}
	}
	// The file is left as it was.
	if got, _ := os.ReadFile(path); !bytes.Equal(got, junk) {
		t.Error("the corrupt file was changed")
	}
}

func TestRunNewerSchema(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "migrate", "--data", dir); code != exitOK {
		t.Fatalf("migrate: %s", errs)
	}
	// Pretend a later Guigen migrated the file further.
	path := filepath.Join(dir, dbFile)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errs := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	line := lastLine(errs)
	if code != exitFail {
		t.Errorf("exit %d, want %d", code, exitFail)
	}
	for _, want := range []string{"更新版本", "newer Guigen", path} {
		if !strings.Contains(line, want) {
			t.Errorf("last line %q lacks %q", line, want)
		}
	}
}

func TestRunNeo4jUnreachable(t *testing.T) {
	// Nothing listens on port 1: the failure is immediate.
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1")
	t.Setenv("NEO4J_USER", "neo4j")
	t.Setenv("NEO4J_PASSWORD", "not-to-be-printed")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"migrate"}, &out, &errb)
	if code != exitFail {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFail, errb.String())
	}
	line := lastLine(errb.String())
	for _, want := range []string{"无法连接 Neo4j bolt://127.0.0.1:1", "cannot reach Neo4j at bolt://127.0.0.1:1"} {
		if !strings.Contains(line, want) {
			t.Errorf("last line %q lacks %q", line, want)
		}
	}
	if strings.Contains(errb.String(), "not-to-be-printed") {
		t.Error("the password was printed")
	}
	if !strings.Contains(errb.String(), "backend=neo4j") {
		t.Errorf("the log does not say which backend: %q", errb.String())
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `guigen serve` in the background and returns its base
// URL once it listens, and a function that stops it and returns the exit
// code.
func startServe(t *testing.T, logs *syncBuffer, args ...string) (base string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, logs)
	}()
	addr := regexp.MustCompile(`msg="正在服务 / serving" addr=(\S+)`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with %d before listening:\n%s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
	}
	return base, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(shutdownTimeout + 5*time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
}

func TestServeDemoEndToEnd(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", dir, "--demo")

	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	q := `{"query":"{ martyrs(first: 3) { totalCount edges { node { id name } } } }"}`
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(q))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Data struct {
			Martyrs struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID, Name string } }
			}
		}
		Errors json.RawMessage
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || body.Errors != nil {
		t.Fatalf("graphql: %v %s", err, body.Errors)
	}
	if m := body.Data.Martyrs; m.TotalCount != demo.Size || len(m.Edges) != 3 || m.Edges[0].Node.ID != demo.MartyrLiuDeshan || m.Edges[0].Node.Name != "刘德善" {
		t.Errorf("martyrs = %+v", m)
	}
	if code := stop(); code != exitOK {
		t.Errorf("serve exit %d after SIGTERM-like cancel:\n%s", code, logs.String())
	}
	for _, want := range []string{"backend=sqlite", "已载入演示数据", "martyrs=200", "leads=5", "已停止 / stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	// A second start with --demo leaves the data alone.
	logs2 := &syncBuffer{}
	_, stop = startServe(t, logs2, "--data", dir, "--demo")
	if code := stop(); code != exitOK {
		t.Errorf("second serve exit %d", code)
	}
	if !strings.Contains(logs2.String(), "未载入演示数据") || strings.Contains(logs2.String(), "已载入演示数据") {
		t.Errorf("second start with --demo:\n%s", logs2.String())
	}
}

func TestServeAddrInUse(t *testing.T) {
	embedded(t)
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", t.TempDir())
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	code, _, errs := runCmd(t, "serve", "--data", t.TempDir(), "--addr", addr)
	if code != exitFail || !strings.Contains(lastLine(errs), "无法监听 "+addr) {
		t.Errorf("second server on %s: exit %d, %q", addr, code, lastLine(errs))
	}
}

// flakyStore is the real store whose Ping fails while down is set.
type flakyStore struct {
	store.Store
	down atomic.Bool
	slow atomic.Bool
}

func (f *flakyStore) Ping(ctx context.Context) error {
	if f.slow.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	if f.down.Load() {
		return errors.New("dial tcp 10.0.0.7:7687: connection refused: " + store.ErrUnavailable.Error())
	}
	return f.Store.Ping(ctx)
}

func TestHealthAndReadiness(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	flaky := &flakyStore{Store: s}
	srv := httptest.NewServer(newMux(flaky, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	get := func(path string) (int, map[string]string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("%s: body is not JSON: %v", path, err)
		}
		return resp.StatusCode, body
	}
	check := func(step, path string, wantCode int, wantStatus string) map[string]string {
		t.Helper()
		code, body := get(path)
		if code != wantCode || body["status"] != wantStatus {
			t.Errorf("%s: GET %s = %d %v, want %d status %s", step, path, code, body, wantCode, wantStatus)
		}
		return body
	}

	check("up", "/healthz", 200, "ok")
	check("up", "/readyz", 200, "ready")

	flaky.down.Store(true)
	check("down", "/healthz", 200, "ok")
	body := check("down", "/readyz", 503, "unavailable")
	if body["reason"] == "" || strings.Contains(body["reason"], "10.0.0.7") {
		t.Errorf("down: reason %q should say why without the details", body["reason"])
	}

	flaky.down.Store(false)
	check("back", "/readyz", 200, "ready")

	flaky.slow.Store(true)
	start := time.Now()
	body = check("hanging", "/readyz", 503, "unavailable")
	if d := time.Since(start); d > readyTimeout+time.Second {
		t.Errorf("hanging: readyz took %s", d)
	}
	if !strings.Contains(body["reason"], "2s") {
		t.Errorf("hanging: reason %q should name the timeout", body["reason"])
	}
	flaky.slow.Store(false)
	check("back again", "/readyz", 200, "ready")

	resp, err := http.Post(srv.URL+"/readyz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /readyz: %d", resp.StatusCode)
	}
}
