package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A search index whose files were overwritten is detected when serve
// starts, moved aside and rebuilt from the store; search answers as
// before, and so does the story index.
func TestCorruptIndexIsRebuilt(t *testing.T) {
	embedded(t)
	data := t.TempDir()
	logs := &syncBuffer{}
	base, stop := startServe(t, logs, "--data", data, "--demo")
	waitHit(t, base, "刘得善", "刘德善")
	if code := stop(); code != exitOK {
		t.Fatalf("serve exit %d:\n%s", code, logs.String())
	}

	// Garbage over the files bleve reads first, in both indexes.
	for _, d := range []string{indexDir, storiesDir} {
		for _, f := range []string{"index_meta.json", filepath.Join("store", "root.bolt")} {
			p := filepath.Join(data, d, f)
			if _, err := os.Stat(p); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if err := os.WriteFile(p, []byte("这不是索引 / not an index\x00\xff"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	logs = &syncBuffer{}
	base, stop = startServe(t, logs, "--data", data)
	defer func() {
		if code := stop(); code != exitOK {
			t.Errorf("serve exit %d:\n%s", code, logs.String())
		}
	}()
	waitHit(t, base, "刘得善", "刘德善")
	var s storyAnswer
	graphql(t, base, `query($q: String!) { searchStories(query: $q) { total hits { score story { id title }
		fragments { field text marked highlights { start end } } } facets { years { value count } } }
		stories(first: 10) { totalCount edges { node { id } } } }`, map[string]any{"q": "膠縣"}, &s)
	if s.Data == nil || s.Data.SearchStories.Total != 1 {
		t.Errorf("story search after the rebuild: %+v\n%s", s, logs.String())
	}
	if n := strings.Count(logs.String(), "index is corrupt"); n != 2 {
		t.Errorf("%d corruption reports in the log, want 2 (names, stories):\n%s", n, logs.String())
	}
	for _, d := range []string{indexDir, storiesDir} {
		aside, _ := filepath.Glob(filepath.Join(data, d+".corrupt-*"))
		if len(aside) != 1 {
			t.Errorf("%s: %d copies moved aside, want 1", d, len(aside))
		}
	}
}

// waitHit waits for the first hit of a name search to be want.
func waitHit(t *testing.T, base, name, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := searchMartyrs(t, base, name)
		if a.Data != nil && len(a.Data.SearchMartyrs.Hits) > 0 && a.Data.SearchMartyrs.Hits[0].Martyr.Name == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no hit %s: %+v", name, want, a)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
