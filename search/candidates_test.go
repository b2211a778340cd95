package search

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

// Candidates are what Search re-ranks: every hit comes from them, and
// a record with an error of a known kind is among them.
func TestCandidates(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(11)
	x, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var records []store.Martyr
	for range 500 {
		records = append(records, c.martyr())
	}
	records = append(records, store.Martyr{ID: "m-target", Name: "高善娃", HometownText: "山东省胶县大店村"})
	if err := x.Index(ctx, records); err != nil {
		t.Fatal(err)
	}
	tests := []Query{
		{Name: "高喜娃"},
		{Name: "高喜娃", Hometown: "胶县"},
		{Name: "gao shan wa"},
	}
	for _, q := range tests {
		cands, err := x.Candidates(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if len(cands) == 0 || len(cands) > DefaultCandidates {
			t.Errorf("%+v: %d candidates, want 1..%d", q, len(cands), DefaultCandidates)
		}
		if !slices.Contains(cands, "m-target") {
			t.Errorf("%+v: m-target not among the candidates", q)
		}
		hits, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if !slices.Contains(cands, h.MartyrID) {
				t.Errorf("%+v: hit %s is not a candidate", q, h.MartyrID)
			}
		}
	}
	if _, err := x.Candidates(ctx, Query{Name: "  "}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty query: %v, want ErrInvalid", err)
	}
}
