package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
)

// killRegister writes a register of n rows: most with 编号, some without
// (hashed ids), some bad, some repeated.
func killRegister(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("编号,姓名,性别,籍贯,出生年月,牺牲时间,墓位\n")
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given := []rune("德胜明华国强志远广宇福山")
	for i := range n {
		no := fmt.Sprintf("K%06d", i)
		if i%7 == 0 {
			no = ""
		}
		name := string([]rune{surnames[i%len(surnames)], given[i%len(given)], given[(i/3)%len(given)]})
		died := fmt.Sprintf("%d年%d月", 1950+i%4, 1+i%12)
		if i%97 == 0 {
			died = "19x1年" // rejected
		}
		fmt.Fprintf(&b, "%s,%s,男,山东省胶县%d村,%d,%s,%d排%d号\n", no, name, i%50, 1920+i%15, died, i%30+1, i%40+1)
		if i%211 == 0 {
			fmt.Fprintf(&b, "%s,%s,男,山东省胶县%d村,%d,%s,%d排%d号\n", no, name, i%50, 1920+i%15, died, i%30+1, i%40+1)
		}
	}
	return writeFile(t, "register.csv", b.String())
}

// TestIngestKillAndResume builds the binary, kills an import with
// SIGKILL at several points, runs it again to the end and checks the
// store ends exactly as after one uninterrupted run, and that reindex +
// verify agree.
func TestIngestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "guigen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	reg := killRegister(t, 4000)

	backends := []struct {
		name  string
		env   func(t *testing.T) []string
		reset func(t *testing.T)
		open  func(t *testing.T, dir string) store.Store
	}{
		{"sqlite",
			func(t *testing.T) []string { return []string{"NEO4J_URI="} },
			func(t *testing.T) {},
			func(t *testing.T, dir string) store.Store { return openData(t, dir) }},
		{"neo4j",
			func(t *testing.T) []string {
				uri := os.Getenv("NEO4J_URI")
				if uri == "" {
					if os.Getenv("CI") != "" {
						t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
					}
					t.Skip("NEO4J_URI is not set")
				}
				return []string{"NEO4J_URI=" + uri}
			},
			func(t *testing.T) {
				s := openNeo4j(t)
				if err := neo4j.Wipe(context.Background(), s); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, dir string) store.Store { return openNeo4j(t) }},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			env := append(os.Environ(), be.env(t)...)
			runBin := func(dir string, args ...string) (string, error) {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(env, "GUIGEN_DATA="+dir)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				err := cmd.Run()
				return out.String(), err
			}
			ingestArgs := []string{"ingest", "martyrs", "--batch", "100", reg}

			be.reset(t)
			clean := t.TempDir()
			if out, err := runBin(clean, ingestArgs...); err != nil {
				t.Fatalf("uninterrupted run: %v\n%s", err, out)
			}
			want := dumpMartyrs(t, be.open(t, clean))
			if len(want) < 3500 {
				t.Fatalf("uninterrupted run stored only %d martyrs", len(want))
			}

			be.reset(t)
			dir := t.TempDir()
			killed := 0
			for _, after := range []time.Duration{20 * time.Millisecond, 60 * time.Millisecond, 120 * time.Millisecond, 250 * time.Millisecond} {
				cmd := exec.Command(bin, ingestArgs...)
				cmd.Env = append(env, "GUIGEN_DATA="+dir)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(after)
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				if !cmd.ProcessState.Exited() { // killed before it finished
					killed++
				}
			}
			t.Logf("%d of 4 runs were killed mid-way", killed)
			if killed == 0 {
				t.Error("every run finished before the kill: the test proves nothing")
			}
			if out, err := runBin(dir, ingestArgs...); err != nil {
				t.Fatalf("resumed run: %v\n%s", err, out)
			}
			got := dumpMartyrs(t, be.open(t, dir))
			if !slices.Equal(got, want) {
				t.Errorf("after kill and resume the store differs: %d vs %d martyrs", len(got), len(want))
			}
			if be.name == "sqlite" { // the index lives in the data dir
				for _, d := range []string{clean, dir} {
					if out, err := runBin(d, "reindex"); err != nil {
						t.Fatalf("reindex: %v\n%s", err, out)
					}
					if out, err := runBin(d, "verify"); err != nil {
						t.Errorf("verify: %v\n%s", err, out)
					}
				}
			}
		})
	}
}

func openNeo4j(t *testing.T) *neo4j.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}
