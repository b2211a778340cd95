package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

// ingestPortraits takes in a directory of portrait images described by a
// manifest: guigen ingest portraits DIR --manifest FILE.csv [--exhibit ID].
// Each image goes through the same intake as an upload (limits before
// decoding, derivatives, content-addressed storage); the portraits, and
// the exhibit in manifest order, are written in one batch at the end, so
// a run stopped part-way writes nothing to the store and a rerun reuses
// the images already taken in. Bad rows are reported with file, line and
// column and written to FILE.rejects.csv; the good ones land.
func ingestPortraits(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error {
	start := time.Now()
	if len(paths) != 1 {
		return fmt.Errorf("%w: guigen ingest portraits DIR --manifest FILE.csv [--exhibit ID --title 名称]", errUsage)
	}
	dir := paths[0]
	if o.manifest == "" {
		return fmt.Errorf("%w: 缺少 --manifest / --manifest FILE.csv is required", errUsage)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("图像目录不存在：%s / no images directory at %s", dir, dir)
	}
	fh, err := os.Open(o.manifest)
	if err != nil {
		return fmt.Errorf("无法打开 %s / cannot open %s: %w", o.manifest, o.manifest, err)
	}
	defer fh.Close()
	mf, err := ingest.OpenPortraitManifest(fh, o.manifest)
	if err != nil {
		return fmt.Errorf("未写入 / nothing written: %w", err)
	}
	var rows []ingest.PortraitRow
	for {
		row, err := mf.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("未写入 / nothing written: %w", err)
		}
		rows = append(rows, row)
	}

	s, err := openStore(ctx, o.cfg, env.log)
	if err != nil {
		return err
	}
	defer closeStore(s, env.log)

	ms, err := media.New(filepath.Join(o.cfg.DataDir, mediaDir), media.Options{Logger: env.log})
	if err != nil {
		return fmt.Errorf("画像目录不可用 / the media directory is unusable: %w", err)
	}
	// Checks that need no decoding: the martyr exists, the file is there
	// and its header is an image within the limits.
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.MartyrID)
	}
	known, err := s.GetMartyrs(ctx, ids)
	if err != nil {
		return fmt.Errorf("读取烈士失败 / reading martyrs failed: %w", err)
	}
	rowErr := func(r *ingest.PortraitRow, col, zh, en string) {
		r.Errors = append(r.Errors, &ingest.RowError{File: o.manifest, Line: r.Line, Column: col, Reason: zh, ReasonEN: en})
	}
	for i := range rows {
		r := &rows[i]
		if len(r.Errors) > 0 {
			continue
		}
		if _, ok := known[r.MartyrID]; !ok {
			rowErr(r, "烈士编号/martyr_id", "库中没有烈士 "+r.MartyrID, "no such martyr in the store")
			continue
		}
		if err := checkImageHeader(ms, filepath.Join(dir, r.File)); err != nil {
			rowErr(r, "文件/file", fmt.Sprintf("%s：%v", r.File, err), "not a usable image")
		}
	}
	sum := martyrSummary{Kind: "portraits", DryRun: o.dryRun, Strict: o.strict, Files: 1, Rows: len(rows)}
	var good []ingest.PortraitRow
	var bad []ingest.PortraitRow
	for _, r := range rows {
		if len(r.Errors) > 0 {
			bad = append(bad, r)
		} else {
			good = append(good, r)
		}
	}
	report := func() {
		for _, r := range bad {
			for _, e := range r.Errors {
				sum.errCount++
				if len(sum.Errors) < maxListedErrors {
					sum.Errors = append(sum.Errors, e.Error())
				}
			}
		}
		sum.Rejected, sum.Good = len(bad), len(good)
		sum.Elapsed = time.Since(start).Seconds()
		if sum.Elapsed > 0 {
			sum.RowsPerS = float64(sum.Rows) / sum.Elapsed
		}
		printMartyrSummary(env, sum, o)
	}
	if o.strict && len(bad) > 0 {
		report()
		return fmt.Errorf("--strict: 有错，未写入任何数据 / row errors, nothing written: %s", bad[0].Errors[0])
	}
	if o.dryRun {
		report()
		return nil
	}
	var b store.Batch
	for i := range good {
		r := &good[i]
		p, err := intakeFile(ctx, ms, filepath.Join(dir, r.File), *r)
		if err != nil {
			if errors.Is(err, media.ErrTooLarge) || errors.Is(err, media.ErrUnsupported) || errors.Is(err, media.ErrBadImage) {
				if o.strict {
					return fmt.Errorf("--strict: %s:%d: %s: %v，未写入任何数据 / nothing written", o.manifest, r.Line, r.File, err)
				}
				rowErr(r, "文件/file", fmt.Sprintf("%s：%v", r.File, err), "the image was refused")
				bad = append(bad, *r)
				continue
			}
			return fmt.Errorf("%s: %w", r.File, err)
		}
		b.Portraits = append(b.Portraits, p)
	}
	good = slices.DeleteFunc(good, func(r ingest.PortraitRow) bool { return len(r.Errors) > 0 })
	if len(bad) > 0 {
		name, err := writePortraitRejects(o.manifest, mf.Header(), bad)
		if err != nil {
			return err
		}
		sum.Rejects = append(sum.Rejects, name)
	}
	// A rerun takes the same images in again; keeping the first intake's
	// time leaves identical portraits identical, so Apply writes nothing.
	pids := make([]string, len(b.Portraits))
	for i, p := range b.Portraits {
		pids[i] = p.ID
	}
	had, err := s.GetPortraits(ctx, pids)
	if err != nil {
		return fmt.Errorf("读取画像失败 / reading portraits failed: %w", err)
	}
	for i, p := range b.Portraits {
		if old, ok := had[p.ID]; ok && old.SHA256 == p.SHA256 {
			b.Portraits[i].CreatedAt = old.CreatedAt
		}
	}
	if o.exhibit != "" && len(b.Portraits) > 0 {
		ex, err := exhibitWith(ctx, s, o, b.Portraits)
		if err != nil {
			return err
		}
		b.Exhibits = []store.Exhibit{ex}
	}
	if err := s.Apply(ctx, &b); err != nil {
		return fmt.Errorf("写入失败，未写入任何画像 / writing failed, no portrait written: %w", err)
	}
	sum.Written, sum.Batches = len(b.Portraits), 1
	report()
	return nil
}

// intakeFile takes one image in with the row's metadata.
func intakeFile(ctx context.Context, ms *media.Service, path string, r ingest.PortraitRow) (store.Portrait, error) {
	f, err := os.Open(path)
	if err != nil {
		return store.Portrait{}, err
	}
	defer f.Close()
	return ms.Intake(ctx, r.MartyrID, f, media.Meta{
		ID: r.ID, Artist: r.Artist, Painted: r.Painted, BasedOn: r.BasedOn, Revision: r.Revision,
		RevisionHistory: r.RevisionHistory, Reconstruction: r.Reconstruction, AccessionNo: r.AccessionNo,
		Archive: r.Archive, Rights: r.Rights, CaptionZH: r.CaptionZH, CaptionEN: r.CaptionEN,
		FamilyConsent: r.FamilyConsent, Published: r.Published,
	})
}

// exhibitWith is the exhibit --exhibit names with the portraits appended
// in manifest order (those already hung keep their place); a new exhibit
// needs --title.
func exhibitWith(ctx context.Context, s store.Store, o ingestOptions, ps []store.Portrait) (store.Exhibit, error) {
	got, err := s.GetExhibits(ctx, []string{o.exhibit})
	if err != nil {
		return store.Exhibit{}, fmt.Errorf("读取展览失败 / reading the exhibit failed: %w", err)
	}
	ex, ok := got[o.exhibit]
	if !ok {
		if o.title == "" {
			return ex, fmt.Errorf("%w: 新展览须有 --title / a new exhibit needs --title", errUsage)
		}
		ex = store.Exhibit{ID: o.exhibit, Title: o.title, TitleEN: o.titleEN}
	}
	for _, p := range ps {
		if !slices.Contains(ex.PortraitIDs, p.ID) {
			ex.PortraitIDs = append(ex.PortraitIDs, p.ID)
		}
	}
	return ex, nil
}

// checkImageHeader opens the file and checks its header only.
func checkImageHeader(ms *media.Service, path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("文件不存在 / file not found")
		}
		return err
	}
	defer f.Close()
	_, _, err = ms.CheckHeader(f)
	return err
}

// writePortraitRejects writes the refused rows beside the manifest, with
// where and why first, then the cells as read.
func writePortraitRejects(manifest string, header []string, bad []ingest.PortraitRow) (string, error) {
	name := manifest + ".rejects.csv"
	f, err := os.Create(name)
	if err != nil {
		return "", fmt.Errorf("无法创建 %s / cannot create the rejects file: %w", name, err)
	}
	defer f.Close()
	_, _ = f.WriteString("\ufeff")
	w := csv.NewWriter(f)
	_ = w.Write(append([]string{"位置/location", "原因/reason"}, header...))
	for _, r := range bad {
		for _, e := range r.Errors {
			_ = w.Write(append([]string{fmt.Sprintf("%s:%d", manifest, r.Line), e.Error()}, r.Cells...))
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return "", fmt.Errorf("写入 %s 失败 / writing the rejects file failed: %w", name, err)
	}
	return name, f.Close()
}
