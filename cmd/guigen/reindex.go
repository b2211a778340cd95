package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// indexDir is the search index's directory inside the data dir.
const indexDir = "index"

// maxListedIDs is how many ids of each kind of difference verify prints.
const maxListedIDs = 20

func reindexFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	return func(ctx context.Context, env *runEnv) error {
		s, err := openStore(ctx, cfg, env.log)
		if err != nil {
			return err
		}
		defer closeStore(s, env.log)
		dir := filepath.Join(cfg.DataDir, indexDir)
		start := time.Now()
		st, err := search.Rebuild(ctx, s, dir, search.WithLogger(env.log))
		if err != nil {
			return fmt.Errorf("重建搜索索引失败 / rebuilding the search index failed: %v", err)
		}
		fmt.Fprintf(env.stdout, "已重建搜索索引 / search index rebuilt: %s\n烈士 / martyrs: %d\n变更序号 / change seq: %d\n用时 / time: %v\n",
			dir, st.Martyrs, st.Watermark, time.Since(start).Round(time.Millisecond))
		n, err := rebuildStories(ctx, s, filepath.Join(cfg.DataDir, storiesDir))
		if err != nil {
			return fmt.Errorf("重建故事索引失败 / rebuilding the story index failed: %v", err)
		}
		fmt.Fprintf(env.stdout, "已重建故事索引 / story index rebuilt: %d 篇已发表 / published stories\n", n)
		return nil
	}
}

// errDiffers: verify found differences; run exits 1.
var errDiffers = errors.New("搜索索引与数据库不一致，请运行 guigen reindex / the search index differs from the store; run guigen reindex")

func verifyFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	return func(ctx context.Context, env *runEnv) error {
		dir := filepath.Join(cfg.DataDir, indexDir)
		// Open creates a missing index; verify must not write.
		if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
			return fmt.Errorf("搜索索引不存在：%s，请先运行 guigen reindex / no search index at %s; run guigen reindex first", dir, dir)
		}
		s, err := openStore(ctx, cfg, env.log)
		if err != nil {
			return err
		}
		defer closeStore(s, env.log)
		ix, err := search.Open(dir, search.WithLogger(env.log))
		if errors.Is(err, search.ErrStale) {
			return fmt.Errorf("搜索索引由其他版本建立，请运行 guigen reindex / the search index was built by another version; run guigen reindex")
		}
		if err != nil {
			return fmt.Errorf("无法打开搜索索引 / cannot open the search index: %v", err)
		}
		defer ix.Close()
		start := time.Now()
		r, err := search.Verify(ctx, s, ix)
		if err != nil {
			return fmt.Errorf("核对搜索索引失败 / verifying the search index failed: %v", err)
		}
		wm, err := ix.Watermark(ctx)
		if err != nil {
			return fmt.Errorf("无法读取索引变更序号 / cannot read the index watermark: %v", err)
		}
		printReport(env.stdout, "烈士 / martyrs", r, wm, time.Since(start))
		clean := r.Clean()
		sdir := filepath.Join(cfg.DataDir, storiesDir)
		if _, err := os.Stat(filepath.Join(sdir, "index_meta.json")); err != nil {
			fmt.Fprintf(env.stdout, "故事索引不存在 / no story index at %s\n", sdir)
			clean = false
		} else {
			sx, err := search.OpenStories(sdir)
			if err != nil {
				return fmt.Errorf("无法打开故事索引 / cannot open the story index: %v", err)
			}
			defer sx.Close()
			sr, err := search.VerifyStories(ctx, s, sx)
			if err != nil {
				return fmt.Errorf("核对故事索引失败 / verifying the story index failed: %v", err)
			}
			swm, err := sx.Watermark(ctx)
			if err != nil {
				return fmt.Errorf("无法读取故事索引变更序号 / cannot read the story index watermark: %v", err)
			}
			fmt.Fprintln(env.stdout, "== 故事索引 / story index")
			printReport(env.stdout, "已发表故事 / published stories", sr, swm, time.Since(start))
			clean = clean && sr.Clean()
		}
		if !clean {
			return errDiffers
		}
		return nil
	}
}

// printReport prints one index's differences; noun names what it holds
// ("烈士 / martyrs").
func printReport(w io.Writer, noun string, r search.Report, watermark int64, took time.Duration) {
	fmt.Fprintf(w, "数据库 / in store (%s): %d\n索引文档 / documents in index: %d\n索引变更序号 / index watermark: %d\n",
		noun, r.StoreCount, r.IndexCount, watermark)
	for _, d := range []struct {
		label string
		ids   []string
	}{
		{"缺失（库中有、索引无）/ missing", r.Missing},
		{"多余（索引有、库中无）/ extra", r.Extra},
		{"过时（字段不同）/ stale", r.Stale},
	} {
		fmt.Fprintf(w, "%s: %d", d.label, len(d.ids))
		if len(d.ids) > 0 {
			shown := d.ids[:min(len(d.ids), maxListedIDs)]
			fmt.Fprintf(w, " — %s", strings.Join(shown, " "))
			if len(d.ids) > len(shown) {
				fmt.Fprintf(w, " …")
			}
		}
		fmt.Fprintln(w)
	}
	if r.Clean() {
		fmt.Fprintf(w, "一致 / consistent (%v)\n", took.Round(time.Millisecond))
	}
}

// rebuildStories empties the story index and refills it from the whole
// change log. The story index is small (published stories only), so a
// rebuild in place is enough: a crash midway leaves an index whose
// watermark is behind, which the next sync completes.
func rebuildStories(ctx context.Context, s store.Store, dir string) (int, error) {
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("remove %s: %w", dir, err)
	}
	x, err := search.OpenStories(dir)
	if err != nil {
		return 0, err
	}
	if _, err := search.SyncStories(ctx, s, x, search.DefaultSyncBatch); err != nil {
		x.Close()
		return 0, err
	}
	n, err := x.Count()
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	return int(n), err
}
