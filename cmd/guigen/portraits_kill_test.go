package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// TestIngestPortraitsKillAndRerun kills `guigen ingest portraits` with
// SIGKILL while it takes in an exhibit's scans, then runs it to the end:
// the portraits, the exhibit and the published image files are exactly
// those of an uninterrupted run, and no image is visible half-written.
func TestIngestPortraitsKillAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "guigen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	imgs := t.TempDir()
	var manifest strings.Builder
	manifest.WriteString("文件,烈士编号,画像编号,作者,复原,家属同意,发布,中文说明\n")
	for i := range 8 {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, demo.Paint(uint64(i+1), 1500, 2000), &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("p%d.jpg", i)
		if err := os.WriteFile(filepath.Join(imgs, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&manifest, "%s,m-%d,por-%d,画院,是,是,是,画像%d\n", name, i%2+1, i, i)
	}
	mf := filepath.Join(t.TempDir(), "清单.csv")
	if err := os.WriteFile(mf, []byte(manifest.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	prepare := func() string {
		dir := t.TempDir()
		s, err := sqlite.Open(context.Background(), filepath.Join(dir, dbFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(context.Background(), &store.Batch{Martyrs: []store.Martyr{{ID: "m-1", Name: "王德明"}, {ID: "m-2", Name: "高善娃"}}}); err != nil {
			t.Fatal(err)
		}
		s.Close(context.Background())
		return dir
	}
	args := []string{"ingest", "portraits", imgs, "--manifest", mf, "--exhibit", "ex-1", "--title", "展览"}
	cmdIn := func(dir string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NEO4J_URI=", "GUIGEN_DATA="+dir)
		return cmd
	}

	clean := prepare()
	start := time.Now()
	if out, err := cmdIn(clean).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := portraitState(t, clean)

	dir := prepare()
	killed := 0
	for _, frac := range []float64{0.15, 0.35, 0.55, 0.8} {
		cmd := cmdIn(dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(frac * float64(full)))
		if cmd.Process.Kill() == nil && cmd.Wait() != nil {
			killed++
		}
	}
	// The killed runs' temporary uploads are dead weight. Aged past the
	// media service's threshold, the rerun removes them.
	temps := tempUploads(t, dir)
	old := time.Now().Add(-time.Hour)
	for _, p := range temps {
		_ = os.Chtimes(p, old, old)
	}
	if out, err := cmdIn(dir).CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	if left := tempUploads(t, dir); len(left) > 0 {
		t.Errorf("after the rerun %d of %d temporary files are still there: %v", len(left), len(temps), left)
	}
	if killed < 2 {
		t.Fatalf("only %d of 4 runs killed before the end (a run takes %v)", killed, full)
	}
	t.Logf("temporary files left by the killed runs, removed by the rerun: %d", len(temps))
	if got := portraitState(t, dir); got != want {
		t.Errorf("after %d kills and a rerun:\n got %s\nwant %s", killed, got, want)
	}
	t.Logf("%d of 4 runs killed (an uninterrupted run takes %v); the rerun ends as the uninterrupted run", killed, full.Round(time.Millisecond))
}

// portraitState is what an import leaves: the portraits and the exhibit
// (without times) and the published files under media/derivatives, by
// name and size. Temporary files of a killed run are not published files.
func portraitState(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ps, err := s.ListPortraits(ctx, store.PortraitFilter{}, store.PageReq{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := s.GetExhibits(ctx, []string{"ex-1"})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	root := filepath.Join(dir, mediaDir, "derivatives")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(root, p)
		files = append(files, fmt.Sprintf("%s:%d", rel, info.Size()))
		return nil
	})
	slices.Sort(files)
	for i := range ps.Items {
		ps.Items[i].CreatedAt = time.Time{} // when this run wrote it
	}
	b, _ := json.Marshal(map[string]any{"portraits": ps.Items, "exhibit": ex["ex-1"].PortraitIDs, "files": files})
	return string(b)
}

// tempUploads lists the media dir's temporary files and directories.
func tempUploads(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(filepath.Join(dir, mediaDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && (strings.HasPrefix(d.Name(), ".upload-") || strings.HasPrefix(d.Name(), ".tmp-")) {
			out = append(out, p)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return err
	})
	return out
}
