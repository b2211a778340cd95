package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestReindexKillAndRerun kills `guigen reindex` with SIGKILL at several
// points of the rebuild: the data dir keeps a usable index or none (never
// a half-built one in its place), and one more reindex leaves store and
// index agreeing with no leftovers of the killed runs.
func TestReindexKillAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "guigen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "NEO4J_URI=", "GUIGEN_DATA="+dir)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := run("ingest", "martyrs", killRegister(t, 20000)); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := run("reindex"); err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	full := time.Since(start)
	t.Logf("an uninterrupted reindex of 20,000 takes %v", full.Round(time.Millisecond))

	killed := 0
	for _, frac := range []float64{0.1, 0.3, 0.5, 0.7, 0.9} {
		cmd := exec.Command(bin, "reindex")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(frac * float64(full)))
		if cmd.Process.Kill() == nil {
			if err := cmd.Wait(); err != nil {
				killed++
			}
		}
	}
	if killed < 3 {
		t.Fatalf("only %d of 5 runs were killed before they finished; the test proves little", killed)
	}
	if out, err := run("reindex"); err != nil {
		t.Fatalf("reindex after the kills: %v\n%s", err, out)
	}
	if out, err := run("verify"); err != nil {
		t.Fatalf("verify after the kills: %v\n%s", err, out)
	}
	left, _ := filepath.Glob(filepath.Join(dir, indexDir+".rebuild-*"))
	if len(left) > 0 {
		t.Errorf("leftovers of the killed rebuilds: %v", left)
	}
	t.Logf("%d of 5 reindex runs killed; the next one and verify are clean", killed)
}
