package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
)

type searchAnswer struct {
	Data *struct {
		SearchMartyrs struct {
			Hits []struct {
				Martyr  struct{ ID, Name string }
				Reasons []struct{ Kind, Detail string }
			}
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func searchMartyrs(t *testing.T, base, name string) searchAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `query($n: String!) { searchMartyrs(name: $n) { hits { martyr { id name } reasons { kind detail } } } }`,
		"variables": map[string]any{"n": name},
	})
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out searchAnswer
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// serve syncs the index at start and keeps following the change log: a
// martyr written by another process turns up in search within seconds.
func TestServeSearchFollowsChanges(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	logs := &syncBuffer{}
	base, stopServe := startServe(t, logs, "--data", dir, "--demo")
	stopped := false
	stop := func() int { stopped = true; return stopServe() }
	defer func() {
		if !stopped {
			stopServe()
		}
	}()

	// The demo, synced before serving.
	a := searchMartyrs(t, base, "刘得善")
	if a.Data == nil || len(a.Data.SearchMartyrs.Hits) == 0 || a.Data.SearchMartyrs.Hits[0].Martyr.Name != "刘德善" {
		t.Fatalf("刘得善 right after start: %+v\n%s", a, logs.String())
	}
	const id, name, typed = "m-test-sync", "葛青松", "葛清松"
	if hasHit(searchMartyrs(t, base, typed), id) {
		t.Fatalf("%s found before it was written", id)
	}

	s := openData(t, dir)
	if err := s.Apply(context.Background(), &store.Batch{Martyrs: []store.Martyr{{ID: id, Name: name, HometownText: "山东省胶县"}}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	deadline := start.Add(15 * time.Second)
	for !hasHit(searchMartyrs(t, base, typed), id) {
		if time.Now().After(deadline) {
			t.Fatalf("%s not found %v after it was written:\n%s", id, time.Since(start), logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("found after %v", time.Since(start).Round(time.Millisecond))

	// A new place reaches the gazetteer the same way.
	const town = "松青镇"
	if hasPlace(t, base, "胶州市"+town, "pl-test-town") {
		t.Fatalf("%s found before it was written", town)
	}
	if err := s.Apply(context.Background(), &store.Batch{Places: []store.Place{{ID: "pl-test-town", Name: town, Level: store.LevelTownship, ParentID: demo.PlaceJiaozhou}}}); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(15 * time.Second)
	for !hasPlace(t, base, "胶州市"+town, "pl-test-town") {
		if time.Now().After(deadline) {
			t.Fatalf("place %s not found after it was written:\n%s", town, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	if code := stop(); code != exitOK {
		t.Errorf("serve exit %d:\n%s", code, logs.String())
	}
	if !strings.Contains(logs.String(), "搜索就绪 / search ready") {
		t.Errorf("log lacks search ready:\n%s", logs.String())
	}
	// The index is on disk and reopens with the martyr in it.
	if _, err := os.Stat(filepath.Join(dir, indexDir, "index_meta.json")); err != nil {
		t.Errorf("index: %v", err)
	}
}

func hasPlace(t *testing.T, base, query, id string) bool {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `query($q: String!) { searchPlaces(query: $q) { place { id } } }`,
		"variables": map[string]any{"q": query},
	})
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data *struct {
			SearchPlaces []struct{ Place struct{ ID string } }
		}
		Errors json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Errors != nil || out.Data == nil {
		t.Fatalf("searchPlaces %s: %v %s", query, err, out.Errors)
	}
	for _, p := range out.Data.SearchPlaces {
		if p.Place.ID == id {
			return true
		}
	}
	return false
}

func hasHit(a searchAnswer, id string) bool {
	if a.Data == nil {
		return false
	}
	for _, h := range a.Data.SearchMartyrs.Hits {
		if h.Martyr.ID == id {
			return true
		}
	}
	return false
}

// An index that cannot be opened leaves the rest of the API serving and
// search UNAVAILABLE.
// A file where the index directory should be is treated like a corrupt
// index: moved aside (kept) and replaced by an index rebuilt from the
// store, so search works and the operator finds the file beside it.
func TestServeWithFileForSearchIndex(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, indexDir), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", dir, "--demo")
	waitHit(t, base, "刘德善", "刘德善")
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("readyz %d", resp.StatusCode)
	}
	if code := stop(); code != exitOK {
		t.Errorf("serve exit %d", code)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, indexDir+".corrupt-*"))
	if len(aside) != 1 {
		t.Fatalf("moved aside: %v", aside)
	}
	if b, err := os.ReadFile(aside[0]); err != nil || string(b) != "not an index" {
		t.Errorf("the file was not kept as it was: %q %v", b, err)
	}
	if !strings.Contains(logs.String(), "index is corrupt") {
		t.Errorf("log lacks the corruption report:\n%s", logs.String())
	}
}
