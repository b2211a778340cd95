package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func saveCases() []testCase {
	return []testCase{
		{"Versions", testSaveVersions},
		{"Invalid", testSaveInvalid},
	}
}

func concurrencyCases() []testCase {
	return []testCase{
		{"UpdateMartyrLosesNothing", testConcurrentUpdate},
		{"DisjointApplies", testConcurrentApply},
	}
}

func testSaveVersions(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	seq0 := lastSeq(t, st)

	m := store.Martyr{ID: "s-1", Name: "郑新", HometownID: PlaceJiaozhouVillage, Died: store.Date{Year: 1951}}
	saved, err := st.SaveMartyr(ctx, m)
	if err != nil {
		t.Fatalf("SaveMartyr(new, Version 0): %v", err)
	}
	if saved.Version != 1 {
		t.Errorf("new martyr saved with Version %d, want 1", saved.Version)
	}
	same(t, "saved martyr", content(saved), m)
	got, err := store.GetMartyr(ctx, st, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != saved.Version || !msTime(got.UpdatedAt).Equal(msTime(saved.UpdatedAt)) {
		t.Errorf("stored Version %d UpdatedAt %v, returned %d %v", got.Version, got.UpdatedAt, saved.Version, saved.UpdatedAt)
	}

	// A change with the right version bumps it.
	next := got
	next.Position = "排长"
	saved2, err := st.SaveMartyr(ctx, next)
	if err != nil {
		t.Fatalf("SaveMartyr(Version 1): %v", err)
	}
	if saved2.Version != 2 || saved2.Position != "排长" {
		t.Errorf("after the second save: Version %d Position %q, want 2 排长", saved2.Version, saved2.Position)
	}
	if saved2.UpdatedAt.Before(saved.UpdatedAt) {
		t.Errorf("UpdatedAt went back: %v then %v", saved.UpdatedAt, saved2.UpdatedAt)
	}
	seq := lastSeq(t, st)

	// A stale version conflicts and writes nothing.
	stale := got
	stale.Notes = "迟到的修改"
	_, err = st.SaveMartyr(ctx, stale)
	wantErr(t, "SaveMartyr(stale Version 1)", err, store.ErrConflict)
	now, _ := store.GetMartyr(ctx, st, "s-1")
	if now.Version != 2 || now.Notes != "" || now.Position != "排长" {
		t.Errorf("after a conflicting save: Version %d Notes %q Position %q", now.Version, now.Notes, now.Position)
	}

	// Version 0 for a martyr that exists, and a version for one that does
	// not, both conflict.
	fresh := now
	fresh.Version = 0
	_, err = st.SaveMartyr(ctx, fresh)
	wantErr(t, "SaveMartyr(existing, Version 0)", err, store.ErrConflict)
	_, err = st.SaveMartyr(ctx, store.Martyr{ID: "s-ghost", Name: "鬼", Version: 3})
	wantErr(t, "SaveMartyr(new, Version 3)", err, store.ErrConflict)
	if m, _ := st.GetMartyrs(ctx, []string{"s-ghost"}); len(m) != 0 {
		t.Error("a conflicting save created the martyr")
	}
	if ch := allChanges(t, st, seq); len(ch) != 0 {
		t.Errorf("conflicting saves logged changes: %v", ch)
	}

	// Saving what is stored changes nothing.
	same2, err := st.SaveMartyr(ctx, now)
	if err != nil {
		t.Fatalf("SaveMartyr(identical): %v", err)
	}
	if same2.Version != 2 {
		t.Errorf("an identical save moved Version to %d, want 2", same2.Version)
	}
	if ch := allChanges(t, st, seq); len(ch) != 0 {
		t.Errorf("an identical save logged changes: %v", ch)
	}

	// Each real save logged its martyr.
	ch := allChanges(t, st, seq0)
	if len(ch) != 2 || ch[0].ID != "s-1" || ch[1].ID != "s-1" || ch[0].Kind != store.KindMartyr {
		t.Errorf("changes of two saves = %+v, want two martyr s-1 entries", ch)
	}
}

func testSaveInvalid(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	seq := lastSeq(t, st)
	cases := []struct {
		name string
		m    store.Martyr
	}{
		{"MissingHometown", store.Martyr{ID: "s-bad", Name: "冯", HometownID: "place-nowhere"}},
		{"NoName", store.Martyr{ID: "s-bad"}},
		{"NoID", store.Martyr{Name: "冯"}},
		{"BadDate", store.Martyr{ID: "s-bad", Name: "冯", Born: store.Date{Month: 3}}},
	}
	for _, c := range cases {
		_, err := st.SaveMartyr(ctx, c.m)
		wantErr(t, "SaveMartyr "+c.name, err, store.ErrInvalid)
	}
	if m, _ := st.GetMartyrs(ctx, []string{"s-bad"}); len(m) != 0 {
		t.Error("an invalid save wrote the martyr")
	}
	if ch := allChanges(t, st, seq); len(ch) != 0 {
		t.Errorf("invalid saves logged changes: %v", ch)
	}
}

func testConcurrentUpdate(t *testing.T, s suite) {
	s.needs(t, WithoutConcurrency)
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, &store.Batch{Martyrs: []store.Martyr{{ID: "cc-1", Name: "卫国"}}})
	const writers, updates = 2, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*updates)
	for w := range writers {
		wg.Go(func() {
			for i := range updates {
				name := fmt.Sprintf("别名%d-%02d", w, i)
				_, err := store.UpdateMartyr(ctx, st, "cc-1", func(m *store.Martyr) error {
					m.Aliases = append(m.Aliases, store.Alias{Name: name, Kind: "other"})
					return nil
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d update %d: %w", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	m, err := store.GetMartyr(ctx, st, "cc-1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range m.Aliases {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	if n := len(slices.Compact(slices.Clone(names))); n != writers*updates || len(names) != writers*updates {
		t.Errorf("%d aliases (%d distinct) after %d updates; updates were lost", len(names), n, writers*updates)
	}
	if m.Version != 1+writers*updates {
		t.Errorf("Version = %d after %d updates, want %d", m.Version, writers*updates, 1+writers*updates)
	}
}

func testConcurrentApply(t *testing.T, s suite) {
	s.needs(t, WithoutConcurrency)
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	seq := lastSeq(t, st)
	const workers, batches, size = 4, 5, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches+1)
	stop := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			for b := range batches {
				if err := st.Apply(ctx, Bulk(fmt.Sprintf("cw%d-%d", w, b), size)); err != nil {
					errs <- fmt.Errorf("worker %d batch %d: %w", w, b, err)
				}
			}
		})
	}
	// A reader alongside the writers never fails.
	var rg sync.WaitGroup
	rg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := st.ListMartyrs(ctx, store.MartyrFilter{PlaceID: PlaceQingdao}, store.PageReq{First: 50}); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()
	close(stop)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	p, err := st.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != workers*batches*size {
		t.Errorf("Total = %d after %d concurrent batches of %d, want %d", p.Total, workers*batches, size, workers*batches*size)
	}
	var ids []string
	for w := range workers {
		for b := range batches {
			for i := range size {
				ids = append(ids, BulkMartyrID(fmt.Sprintf("cw%d-%d", w, b), i))
			}
		}
	}
	got, err := st.GetMartyrs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Errorf("%d of %d martyrs landed", len(got), len(ids))
	}
	ch := allChanges(t, st, seq)
	if len(ch) != 3*len(ids) {
		t.Errorf("%d changes logged, want %d (martyr, person, kinship each)", len(ch), 3*len(ids))
	}
	for i := 1; i < len(ch); i++ {
		if ch[i].Seq <= ch[i-1].Seq {
			t.Fatalf("change seq not strictly increasing: %d then %d", ch[i-1].Seq, ch[i].Seq)
		}
	}
}
