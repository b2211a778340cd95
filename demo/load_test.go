package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

func TestLoadIntoFreshSQLiteStore(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guigen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)

	sum, err := demo.Load(ctx, s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	b := demo.Batch()
	want := demo.Summary{Martyrs: len(b.Martyrs), People: len(b.People), Places: len(b.Places), Records: len(b.Records), Leads: len(demo.Leads())}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 1})
	if err != nil || page.Total != demo.Size {
		t.Fatalf("store holds %d martyrs (%v), want %d", page.Total, err, demo.Size)
	}

	for _, ls := range demo.Leads() {
		l, err := store.GetLead(ctx, s, ls.Lead.ID)
		if err != nil {
			t.Fatal(err)
		}
		if l.State != ls.FinalState() {
			t.Errorf("lead %s is %s, want %s", l.ID, l.State, ls.FinalState())
		}
		evs, err := s.LeadEvents(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1+len(ls.Steps) {
			t.Errorf("lead %s has %d events, want %d", l.ID, len(evs), 1+len(ls.Steps))
		}
	}
	// The lead's confirming move left the nephew's kinship confirmed.
	rel, err := s.Relatives(ctx, []string{demo.MartyrSunYushan})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rel[demo.MartyrSunYushan] {
		if r.Person.ID == demo.PersonSunLihua && r.Kinship.Status != store.KinConfirmed {
			t.Errorf("孙立华's kinship is %s after the lead was confirmed", r.Kinship.Status)
		}
	}

	// Loading again changes nothing: the batch is identical, the leads exist.
	before, err := s.Changes(ctx, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatalf("second Load: %v", err)
	}
	after, err := s.Changes(ctx, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("second Load wrote %d changes", len(after)-len(before))
	}
}
