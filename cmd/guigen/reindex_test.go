package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

func TestReindexThenVerifyOnDemo(t *testing.T) {
	embedded(t)
	ctx := context.Background()
	data := t.TempDir()

	if code, _, stderr := runCmd(t, "verify", "--data", data); code != exitFail || !strings.Contains(stderr, "guigen reindex") {
		t.Errorf("verify without an index: exit %d, stderr %q; want 1 and a hint to reindex", code, stderr)
	}

	s := openData(t, data)
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCmd(t, "reindex", "--data", data)
	if code != exitOK {
		t.Fatalf("reindex: exit %d\n%s", code, stderr)
	}
	t.Logf("reindex:\n%s", stdout)
	if want := fmt.Sprintf("烈士 / martyrs: %d\n", demo.Size); !strings.Contains(stdout, want) {
		t.Errorf("reindex output lacks %q:\n%s", want, stdout)
	}

	code, stdout, stderr = runCmd(t, "verify", "--data", data)
	if code != exitOK {
		t.Fatalf("verify after reindex: exit %d\n%s\n%s", code, stdout, stderr)
	}
	t.Logf("verify:\n%s", stdout)
	for _, want := range []string{
		fmt.Sprintf("in store (烈士 / martyrs): %d\n", demo.Size),
		fmt.Sprintf("documents in index: %d\n", demo.Size),
		"== 故事索引 / story index\n",
		fmt.Sprintf("in store (已发表故事 / published stories): %d\n", publishedStories()),
		"missing: 0\n", "extra: 0\n", "stale: 0\n", "consistent",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify output lacks %q:\n%s", want, stdout)
		}
	}

	// The store moves on without the index: verify says so and exits 1;
	// a reindex makes them agree again.
	m, err := store.GetMartyr(ctx, s, demo.MartyrZhangYushan1)
	if err != nil {
		t.Fatal(err)
	}
	m.Name = "张玉善"
	if _, err := s.SaveMartyr(ctx, m); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd(t, "verify", "--data", data)
	if code != exitFail || !strings.Contains(stdout, "stale: 1 — "+m.ID) || !strings.Contains(stderr, "guigen reindex") {
		t.Errorf("verify after a rename: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := runCmd(t, "reindex", "--data", data); code != exitOK {
		t.Fatalf("second reindex: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := runCmd(t, "verify", "--data", data); code != exitOK {
		t.Errorf("verify after second reindex: exit %d\n%s", code, stdout)
	}

	// A story withdrawn from publication: the story index is stale until
	// a reindex takes it out.
	b := demo.Batch()
	st := b.Stories[0]
	st.Published = false
	if err := s.Apply(ctx, &store.Batch{Stories: []store.Story{st}}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd(t, "verify", "--data", data)
	if code != exitFail || !strings.Contains(stdout, "extra: 1 — "+st.ID) {
		t.Errorf("verify after unpublishing a story: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCmd(t, "reindex", "--data", data); code != exitOK || !strings.Contains(stdout, fmt.Sprintf("story index rebuilt: %d ", publishedStories()-1)) {
		t.Fatalf("third reindex: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := runCmd(t, "verify", "--data", data); code != exitOK {
		t.Errorf("verify after third reindex: exit %d\n%s", code, stdout)
	}

	// The index reindex left is the one a server would search.
	ix, err := search.Open(filepath.Join(data, indexDir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search(ctx, search.Query{Name: "张玉善"})
	if err != nil || len(hits) == 0 || hits[0].MartyrID != m.ID {
		t.Errorf("search 张玉善 after reindex: %v %+v", err, hits)
	}
}

// publishedStories counts the demo's published stories.
func publishedStories() int {
	n := 0
	for _, st := range demo.Batch().Stories {
		if st.Published {
			n++
		}
	}
	return n
}
