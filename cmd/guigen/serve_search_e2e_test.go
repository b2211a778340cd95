package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store/neo4j"
)

// useNeo4j points run at the Neo4j server of the environment and empties
// it; it skips without NEO4J_URI, except in CI.
func useNeo4j(t *testing.T) {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
		}
		t.Skip("NEO4J_URI is not set; start Neo4j with `bash scripts/neo4j-local.sh start`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatalf("open neo4j: %v", err)
	}
	defer s.Close(ctx)
	if err := neo4j.Wipe(ctx, s); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	t.Setenv("GUIGEN_DATA", "")
	t.Setenv("GUIGEN_ADDR", "")
}

type storyAnswer struct {
	Data *struct {
		SearchStories struct {
			Total int
			Hits  []struct {
				Score     float64
				Story     struct{ ID, Title string }
				Fragments []struct {
					Field, Text, Marked string
					Highlights          []struct{ Start, End int }
				}
			}
			Facets struct {
				Years []struct {
					Value string
					Count int
				}
			}
		}
		Stories struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	Errors []struct{ Message string }
}

func graphql(t *testing.T, base, q string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// TestServeSearchEndToEnd runs serve --demo on each backend and searches
// over HTTP: a martyr by a wrongly recorded name, with reasons, and the
// stories by a traditional-character query, with highlights and facets.
func TestServeSearchEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*testing.T)
	}{
		{"sqlite", embedded},
		{"neo4j", useNeo4j},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup(t)
			logs := &syncBuffer{}
			base, stop := startServe(t, logs, "--data", t.TempDir(), "--demo")
			defer func() {
				if code := stop(); code != exitOK {
					t.Errorf("serve exit %d:\n%s", code, logs.String())
				}
			}()

			// 刘得善: a homophone (德/得) of the demo's 刘德善.
			deadline := time.Now().Add(30 * time.Second)
			var a searchAnswer
			for {
				a = searchMartyrs(t, base, "刘得善")
				if a.Data != nil && len(a.Data.SearchMartyrs.Hits) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if a.Data == nil || len(a.Data.SearchMartyrs.Hits) == 0 || a.Data.SearchMartyrs.Hits[0].Martyr.Name != "刘德善" {
				t.Fatalf("刘得善: %+v\n%s", a, logs.String())
			}
			var reasons []string
			for _, r := range a.Data.SearchMartyrs.Hits[0].Reasons {
				reasons = append(reasons, r.Detail)
			}
			if j := strings.Join(reasons, " "); !strings.Contains(j, "同音") || !strings.Contains(j, "得") {
				t.Errorf("reasons %q lack the homophone 得/德", reasons)
			}

			var s storyAnswer
			graphql(t, base, `query($q: String!) { searchStories(query: $q) { total hits { score story { id title }
				fragments { field text marked highlights { start end } } } facets { years { value count } } }
				stories(first: 10) { totalCount edges { node { id } } } }`, map[string]any{"q": "膠縣"}, &s)
			if s.Data == nil || len(s.Errors) > 0 {
				t.Fatalf("searchStories: %+v", s.Errors)
			}
			st := s.Data.SearchStories
			if st.Total != 1 || st.Hits[0].Story.ID != "s-0003" {
				t.Fatalf("膠縣: %+v", st)
			}
			found := false
			for _, f := range st.Hits[0].Fragments {
				found = found || strings.Contains(f.Marked, "<mark>胶县</mark>")
			}
			if !found {
				t.Errorf("no highlighted 胶县 in %+v", st.Hits[0].Fragments)
			}
			if len(st.Facets.Years) != 1 || st.Facets.Years[0].Value != "2023" {
				t.Errorf("year facet %+v", st.Facets.Years)
			}
			// Published demo stories only (s-0002 is a draft).
			published := 0
			for _, st := range demo.Batch().Stories {
				if st.Published {
					published++
				}
			}
			if s.Data.Stories.TotalCount != published || len(s.Data.Stories.Edges) != published {
				t.Errorf("stories: %+v", s.Data.Stories)
			}
		})
	}
}
