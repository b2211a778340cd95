package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// TestIngestPortraits: an exhibit's manifest with good rows and every
// kind of bad one; the good land in the exhibit in manifest order, the
// bad are reported with line and column and written to the rejects file,
// a rerun changes nothing, --dry-run and --strict write nothing.
func TestIngestPortraits(t *testing.T) {
	embedded(t)
	ctx := context.Background()
	data := t.TempDir()
	imgs := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, &store.Batch{Martyrs: []store.Martyr{{ID: "m-1", Name: "王德明"}, {ID: "m-2", Name: "高善娃"}}}); err != nil {
		t.Fatal(err)
	}
	s.Close(ctx)

	paint := func(w, h int, seed byte) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = byte(i)*seed + seed
		}
		return img
	}
	var a, b bytes.Buffer
	if err := jpeg.Encode(&a, paint(600, 800, 3), nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&b, paint(500, 700, 7)); err != nil {
		t.Fatal(err)
	}
	bomb := append([]byte(nil), b.Bytes()[:33]...)
	binary.BigEndian.PutUint32(bomb[16:], 60000)
	binary.BigEndian.PutUint32(bomb[20:], 60000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	for name, content := range map[string][]byte{
		"wang.jpg": a.Bytes(), "gao.png": b.Bytes(), "bomb.png": bomb, "notes.png": []byte("不是图像"),
	} {
		if err := os.WriteFile(filepath.Join(imgs, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(t.TempDir(), "清单.csv")
	if err := os.WriteFile(manifest, []byte("\ufeff"+`文件,烈士编号,画像编号,作者,创作时间,复原,家属同意,发布,中文说明,英文说明
gao.png,m-2,por-gao,青岛画院,2022年6月,是,是,是,高善娃烈士画像,Portrait of Gao Shanwa
wang.jpg,m-1,por-wang,青岛画院,2022.05,是,是,否,王德明烈士画像,Portrait of Wang Deming
bomb.png,m-1,por-bomb,,,,,,,
notes.png,m-1,por-notes,,,,,,,
missing.jpg,m-1,por-missing,,,,,,,
wang.jpg,m-404,por-nobody,,,,,,,
wang.jpg,m-1,por-consent,,,是,否,是,,
wang.jpg,m-1,por-date,,去年春天,,,,,
../wang.jpg,m-1,por-escape,,,,,,,
`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"ingest", "portraits", "--data", data, "--manifest", manifest, "--exhibit", "ex-2022", "--title", "百名烈士画像展", imgs}

	for _, mode := range []string{"--dry-run", "--strict"} {
		code, out, errs := runCmd(t, append([]string{"ingest", mode}, args[1:]...)...)
		if (mode == "--strict") != (code == exitFail) {
			t.Errorf("%s: exit %d\n%s\n%s", mode, code, out, errs)
		}
		if _, err := os.Stat(manifest + ".rejects.csv"); err == nil {
			t.Errorf("%s wrote a rejects file", mode)
		}
		if n := countPortraits(t, data); n != 0 {
			t.Errorf("%s wrote %d portraits", mode, n)
		}
	}

	code, out, errs := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"清单.csv:4: 列「文件/file」: bomb.png：图像过大 / image too large: 60000×60000 像素超过上限",
		"清单.csv:5: 列「文件/file」: notes.png：不支持的图像格式",
		"清单.csv:6: 列「文件/file」: missing.jpg：文件不存在",
		"清单.csv:7: 列「烈士编号/martyr_id」: 库中没有烈士 m-404",
		"清单.csv:8: 列「发布」: 发布画像须有家属同意",
		"清单.csv:9: 列「创作时间」: 无法识别的日期：去年春天",
		"清单.csv:10: 列「文件」: 文件名须在图像目录内",
	} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("report lacks %q:\n%s\n%s", want, out, errs)
		}
	}
	// Lines about martyrs' hometowns and duplicates do not apply here.
	if strings.Contains(out, "籍贯") || strings.Contains(out, "疑似重复") {
		t.Errorf("the portraits summary speaks of hometowns or duplicates:\n%s", out)
	}
	rej, err := os.ReadFile(manifest + ".rejects.csv")
	if err != nil || strings.Count(string(rej), "\n") != 8 {
		t.Errorf("rejects file (want a header and 7 rows): %v\n%s", err, rej)
	}

	s, err = sqlite.Open(ctx, filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ex, err := s.GetExhibits(ctx, []string{"ex-2022"})
	if err != nil || !slices.Equal(ex["ex-2022"].PortraitIDs, []string{"por-gao", "por-wang"}) || ex["ex-2022"].Title != "百名烈士画像展" {
		t.Errorf("exhibit %+v %v", ex, err)
	}
	ps, err := s.GetPortraits(ctx, []string{"por-gao", "por-wang"})
	if err != nil || len(ps) != 2 {
		t.Fatalf("portraits %v %v", ps, err)
	}
	if g := ps["por-gao"]; g.Width != 500 || g.Height != 700 || !g.Published || !g.Reconstruction || g.Painted.Year != 2022 || g.CaptionEN != "Portrait of Gao Shanwa" {
		t.Errorf("por-gao %+v", g)
	}
	if w := ps["por-wang"]; w.Published || w.Mime != "image/jpeg" || w.MartyrID != "m-1" {
		t.Errorf("por-wang %+v", w)
	}
	before, err := s.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	s.Close(ctx)

	if code, out, errs := runCmd(t, args...); code != exitOK {
		t.Fatalf("second ingest: exit %d\n%s\n%s", code, out, errs)
	}
	s, err = sqlite.Open(ctx, filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the second run changed the store: %d change-log entries, then %d", len(before), len(after))
	}
}

func countPortraits(t *testing.T, data string) int {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	p, err := s.ListPortraits(ctx, store.PortraitFilter{}, store.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}
