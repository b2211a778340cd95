package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store/sqlite"
)

func TestPortraits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ms, err := media.New(filepath.Join(dir, "media"), media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, err := Portraits(ctx, ms, 1600, 2000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d portraits of 1600×2000 in %v", len(b.Portraits), time.Since(start))
	if len(b.Portraits) != PortraitCount || len(b.Exhibits) != 1 || len(b.Exhibits[0].PortraitIDs) != PortraitCount {
		t.Fatalf("batch: %d portraits, %d exhibits", len(b.Portraits), len(b.Exhibits))
	}
	shas := map[string]bool{}
	for i, p := range b.Portraits {
		if p.Width != 1600 || p.Height != 2000 || !p.Reconstruction || !p.Published || p.Placeholder == "" {
			t.Fatalf("portrait %d: %+v", i, p)
		}
		if b.Exhibits[0].PortraitIDs[i] != p.ID {
			t.Fatalf("exhibit order: %v", b.Exhibits[0].PortraitIDs)
		}
		if shas[p.SHA256] {
			t.Fatalf("portrait %d repeats an image", i)
		}
		shas[p.SHA256] = true
		if _, err := ms.Info(p.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	// The demo store accepts them: every portrait's martyr exists.
	s, err := sqlite.Open(ctx, filepath.Join(dir, "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if err := s.Apply(ctx, Batch()); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetExhibits(ctx, []string{ExhibitID})
	if err != nil || len(got[ExhibitID].PortraitIDs) != PortraitCount {
		t.Fatalf("exhibit in store: %v %+v", err, got)
	}
	// Deterministic: a second start recognises every image.
	b2, err := Portraits(ctx, ms, 1600, 2000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b2.Portraits {
		if b2.Portraits[i].SHA256 != b.Portraits[i].SHA256 {
			t.Fatalf("portrait %d not deterministic", i)
		}
	}
}
