package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/export"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

// killExport writes an export of the demo plus n more martyrs with kin,
// and some audit entries: big enough that an import can be killed in
// the middle.
func killExport(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 1000 {
		var b store.Batch
		for j := i; j < min(i+1000, n); j++ {
			m := store.Martyr{ID: fmt.Sprintf("mk-%06d", j), Name: "王德胜", HometownText: fmt.Sprintf("山东省胶县%d村", j%50),
				Died: store.Date{Year: 1950 + j%4, Text: fmt.Sprintf("%d年", 1950+j%4)}}
			if j%10 == 0 && j+1 < n {
				m.PossibleDuplicates = []string{fmt.Sprintf("mk-%06d", j+1)}
			}
			b.Martyrs = append(b.Martyrs, m)
			if j%4 == 0 {
				p := store.Person{ID: fmt.Sprintf("pk-%06d", j), Name: "王建国", Living: true}
				b.People = append(b.People, p)
				b.Kinships = append(b.Kinships, store.Kinship{PersonID: p.ID, MartyrID: m.ID, Relation: store.RelNephew, Status: store.KinClaimed})
			}
		}
		if err := s.Apply(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 300 {
		if _, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "caseworker", Role: "caseworker", Action: "read_personal",
			At: time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC), Subject: []string{fmt.Sprintf("pk-%06d", 4*i)}}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "backup.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := export.JSONL(ctx, s, f, export.Options{}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportKillAndResume kills `guigen import` with SIGKILL at several
// points, runs it again to the end, and wants the store to export the
// very bytes it was restored from, on both backends.
func TestImportKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "guigen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	backup := killExport(t, 6000)
	want, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, backend := range []string{"sqlite", "neo4j"} {
		t.Run(backend, func(t *testing.T) {
			envNeo := "NEO4J_URI="
			if backend == "neo4j" {
				uri := os.Getenv("NEO4J_URI")
				if uri == "" {
					if os.Getenv("CI") != "" {
						t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
					}
					t.Skip("NEO4J_URI is not set")
				}
				envNeo = "NEO4J_URI=" + uri
				if err := neo4j.Wipe(context.Background(), openNeo4j(t)); err != nil {
					t.Fatal(err)
				}
			}
			dir := t.TempDir()
			env := append(os.Environ(), envNeo, "GUIGEN_DATA="+dir)
			killed := 0
			for _, after := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond} {
				cmd := exec.Command(bin, "import", "--batch", "100", backup)
				cmd.Env = env
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(after)
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				if !cmd.ProcessState.Exited() {
					killed++
				}
			}
			t.Logf("%d of 4 runs were killed mid-way", killed)
			if killed == 0 {
				t.Error("every run finished before the kill: the test proves nothing")
			}
			run := func(args ...string) string {
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out)
				}
				return string(out)
			}
			run("import", "--batch", "100", backup)
			got := filepath.Join(t.TempDir(), "after.jsonl")
			run("export", "--out", got)
			b, err := os.ReadFile(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, b) {
				t.Errorf("after kill and resume the export differs from the backup (%d vs %d bytes)", len(b), len(want))
			}
		})
	}
}
