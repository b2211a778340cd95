package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// ingestRecords imports archival records and assertions with citations
// from JSON Lines (the line format is documented on ingest.RecordLine).
// Lines are written in batches; a batch the store refuses (a reference to
// a martyr it does not hold) is retried line by line, so only the bad
// lines are rejected. Rejected lines go to FILE.rejects.jsonl as they
// were, with the reason in the summary.
func ingestRecords(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error {
	start := time.Now()
	var s store.Store
	if !o.dryRun {
		var err error
		if s, err = openStore(ctx, o.cfg, env.log); err != nil {
			return err
		}
		defer closeStore(s, env.log)
	}
	sum := martyrSummary{Kind: "records", DryRun: o.dryRun, Strict: o.strict}
	// --strict checks every line first, without the store: references
	// are checked by Apply, which then fails the whole batch.
	passes := []bool{false}
	if o.strict {
		passes = []bool{true, false}
	}
	for _, check := range passes {
		for _, path := range paths {
			if err := importRecordsFile(ctx, o, check || o.dryRun, path, s, &sum); err != nil {
				return err
			}
			if check && sum.errCount > 0 {
				sum.Elapsed = time.Since(start).Seconds()
				printMartyrSummary(env, sum, o)
				return fmt.Errorf("--strict: 有错，未写入任何数据 / row errors, nothing written: %s", sum.Errors[0])
			}
		}
		if check {
			sum = martyrSummary{Kind: "records", DryRun: o.dryRun, Strict: o.strict}
		}
	}
	sum.Elapsed = time.Since(start).Seconds()
	if sum.Elapsed > 0 {
		sum.RowsPerS = float64(sum.Rows) / sum.Elapsed
	}
	printMartyrSummary(env, sum, o)
	return nil
}

func importRecordsFile(ctx context.Context, o ingestOptions, noWrite bool, path string, s store.Store, sum *martyrSummary) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("无法打开 %s / cannot open %s: %w", path, path, err)
	}
	defer fh.Close()
	f, err := ingest.OpenRecords(fh, path)
	if err != nil {
		return fmt.Errorf("未写入 %s / nothing written from %s: %w", path, path, err)
	}
	sum.Files++
	var rej *os.File
	defer func() {
		if rej != nil {
			rej.Close()
		}
	}()
	reject := func(row ingest.RecordRow) error {
		sum.Rejected++
		for _, e := range row.Errors {
			sum.errCount++
			if len(sum.Errors) < maxListedErrors {
				sum.Errors = append(sum.Errors, e.Error())
			}
		}
		if noWrite {
			return nil
		}
		if rej == nil {
			name := path + ".rejects.jsonl"
			if rej, err = os.Create(name); err != nil {
				return fmt.Errorf("无法创建 %s / cannot create the rejects file: %w", name, err)
			}
			sum.Rejects = append(sum.Rejects, name)
		}
		reason := make([]string, 0, len(row.Errors))
		for _, e := range row.Errors {
			reason = append(reason, e.Error())
		}
		line, _ := json.Marshal(map[string]any{"line": row.Line, "reasons": reason, "original": json.RawMessage(row.Raw)})
		_, err := fmt.Fprintf(rej, "%s\n", line)
		return err
	}
	var rows []ingest.RecordRow
	flush := func() error {
		defer func() { rows = rows[:0] }()
		if noWrite || len(rows) == 0 {
			return nil
		}
		var b store.Batch
		for _, r := range rows {
			b.Records = append(b.Records, r.Batch.Records...)
			b.Assertions = append(b.Assertions, r.Batch.Assertions...)
		}
		err := s.Apply(ctx, &b)
		if err == nil {
			sum.Written += len(rows)
			sum.Batches++
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrInvalid) {
			return fmt.Errorf("写入失败，之前的批次已写入，重新运行即可续传 / writing failed (earlier batches are written; run again to resume): %w", err)
		}
		for _, r := range rows {
			if err := s.Apply(ctx, &r.Batch); err != nil {
				if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrInvalid) {
					return fmt.Errorf("写入失败 / writing failed: %w", err)
				}
				sum.Good--
				r.Errors = append(r.Errors, &ingest.RowError{File: path, Line: r.Line, Reason: "存储拒绝：" + err.Error(), ReasonEN: "refused by the store"})
				if err := reject(r); err != nil {
					return err
				}
				continue
			}
			sum.Written++
			sum.Batches++
		}
		return nil
	}
	for {
		row, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: 读取中断，已写入的批次保留 / reading stopped (written batches stay): %w", path, err)
		}
		sum.Rows++
		if len(row.Errors) > 0 {
			if err := reject(row); err != nil {
				return err
			}
			continue
		}
		sum.Good++
		rows = append(rows, row)
		if len(rows) >= o.batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
