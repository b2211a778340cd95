package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
)

func neo4jDemoStore(t *testing.T) store.Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
		}
		t.Skip("NEO4J_URI is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if err := neo4j.Wipe(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

func changeMark(t *testing.T, s store.Store) int64 {
	t.Helper()
	var after int64
	for {
		cs, err := s.Changes(context.Background(), after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return after
		}
		after = cs[len(cs)-1].Seq
	}
}

// importTree maps and writes a tree the way `guigen ingest gedcom` does
// and returns how many change-log entries and new leads it made.
func importTree(t *testing.T, s store.Store, name string, data []byte) (changes int64, leads int) {
	t.Helper()
	ctx := context.Background()
	f, err := ingest.ParseGEDCOM(bytes.NewReader(data), name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ingest.MapGEDCOM(ctx, f, s, ingest.GEDCOMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mark := changeMark(t, s)
	if g.Batch.Len() > 0 {
		if err := s.Apply(ctx, &g.Batch); err != nil {
			t.Fatalf("%s: apply: %v", name, err)
		}
	}
	for _, p := range g.Proposals {
		if _, err := s.CreateLead(ctx, p.ProposalLead(name)); err == nil {
			leads++
		} else if !errors.Is(err, store.ErrConflict) {
			t.Fatal(err)
		}
	}
	return changeMark(t, s) - mark, leads
}

// TestGEDCOMImportIsIdempotent runs on both backends: importing a tree
// twice, and Guigen's own GEDCOM export, changes nothing the second time.
func TestGEDCOMImportIsIdempotent(t *testing.T) {
	for _, backend := range []string{"sqlite", "neo4j"} {
		t.Run(backend, func(t *testing.T) {
			var s store.Store
			if backend == "sqlite" {
				s = demoStore(t)
			} else {
				s = neo4jDemoStore(t)
			}
			ctx := context.Background()
			for _, file := range []string{"testdata/wang_family_551.ged", "testdata/liu_family_70.ged"} {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				first, _ := importTree(t, s, file, data)
				if first == 0 {
					t.Errorf("%s: first import changed nothing", file)
				}
				if again, leads := importTree(t, s, file, data); again != 0 || leads != 0 {
					t.Errorf("%s: second import made %d changes and %d leads, want none", file, again, leads)
				}
			}
			rel, err := s.Relatives(ctx, []string{demo.MartyrLiuDeshan})
			if err != nil {
				t.Fatal(err)
			}
			var fromTree int
			for _, r := range rel[demo.MartyrLiuDeshan] {
				if len(r.Person.ID) > 3 && r.Person.ID[:3] == "gp-" {
					fromTree++
				}
			}
			if fromTree != 5 {
				t.Errorf("刘德善 has %d relatives from the tree, want 5", fromTree)
			}
			var buf bytes.Buffer
			if _, err := ingest.WriteGEDCOM(ctx, s, &buf, ingest.GEDCOMExportOptions{}); err != nil {
				t.Fatal(err)
			}
			if n, leads := importTree(t, s, "guigen.ged", buf.Bytes()); n != 0 || leads != 0 {
				t.Errorf("re-importing the GEDCOM export made %d changes and %d leads", n, leads)
			}
		})
	}
}
