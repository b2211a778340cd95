package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// martyrSummary is what a register import did; it is also the --json
// output.
type martyrSummary struct {
	// Kind is what was imported (martyrs, records, portraits): the
	// hometown and duplicate lines concern martyrs only.
	Kind     string `json:"kind"`
	Files    int    `json:"files"`
	Rows     int    `json:"rows"`
	Good     int    `json:"good"`
	Rejected int    `json:"rejected"`
	Written  int    `json:"written"`
	Batches  int    `json:"batches"`
	Resolved int    `json:"hometownsResolved"`
	// Duplicates counts rows linked to a possible duplicate.
	Duplicates int      `json:"possibleDuplicates"`
	DryRun     bool     `json:"dryRun"`
	Strict     bool     `json:"strict"`
	Unknown    []string `json:"unknownColumns,omitempty"`
	Rejects    []string `json:"rejectsFiles,omitempty"`
	Errors     []string `json:"errors,omitempty"` // the first maxListedErrors
	Elapsed    float64  `json:"elapsedSeconds"`
	RowsPerS   float64  `json:"rowsPerSecond"`
	// errCount counts every row error, listed or not.
	errCount int
}

// ingestMartyrs imports registers. Rows are streamed and written in
// batches; ids are stable, so a run killed part-way and started again
// rewrites the same entries (Apply leaves identical ones untouched) and
// ends with the same store. The search index is not touched here: like
// places, martyrs reach it from the change log on the next serve or
// reindex. --strict reads every file once to check it before writing
// anything.
func ingestMartyrs(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error {
	start := time.Now()
	sum := martyrSummary{Kind: "martyrs", DryRun: o.dryRun, Strict: o.strict}
	if o.strict {
		check := o
		check.dryRun = true
		var pre martyrSummary
		for _, p := range paths {
			if err := importMartyrFile(ctx, check, p, nil, nil, ingest.NewDuplicates(), &pre, nil, env); err != nil {
				return err
			}
			if pre.errCount > 0 {
				sum = pre
				sum.DryRun, sum.Strict = o.dryRun, true
				sum.Elapsed = time.Since(start).Seconds()
				printMartyrSummary(env, sum, o)
				return fmt.Errorf("--strict: %s 有错，未写入任何数据 / row error, nothing written: %s", p, pre.Errors[0])
			}
		}
	}
	var s store.Store
	var resolve ingest.HometownResolver
	if !o.dryRun {
		var err error
		if s, err = openStore(ctx, o.cfg, env.log); err != nil {
			return err
		}
		defer closeStore(s, env.log)
		if resolve, err = loadResolver(ctx, s); err != nil {
			return err
		}
	}
	dups, err := loadDuplicates(ctx, s)
	if err != nil {
		return err
	}
	prog := newProgress(env.stderr)
	for _, p := range paths {
		if err := importMartyrFile(ctx, o, p, s, resolve, dups, &sum, prog, env); err != nil {
			return err
		}
	}
	prog.done(sum.Rows)
	sum.Elapsed = time.Since(start).Seconds()
	if sum.Elapsed > 0 {
		sum.RowsPerS = float64(sum.Rows) / sum.Elapsed
	}
	printMartyrSummary(env, sum, o)
	return nil
}

// loadResolver builds the gazetteer from the stored places. A hometown
// is resolved only when its best reading leaves no text over and beats
// the next one clearly; otherwise HometownID stays empty for a person.
func loadResolver(ctx context.Context, s store.Store) (ingest.HometownResolver, error) {
	var places []store.Place
	var after string
	for {
		page, err := s.ListPlaces(ctx, store.PageReq{First: store.MaxPageSize, After: after})
		if err != nil {
			return nil, fmt.Errorf("无法读取地名 / cannot read places: %w", err)
		}
		places = append(places, page.Items...)
		if !page.HasNext {
			break
		}
		after = page.EndCursor
	}
	if len(places) == 0 {
		return nil, nil
	}
	g := search.NewGazetteer(places)
	return func(text string) string {
		rs := g.Resolve(text)
		if len(rs) == 0 || strings.TrimSpace(rs[0].Rest) != "" {
			return ""
		}
		if len(rs) > 1 && rs[1].Score >= rs[0].Score-0.05 {
			return ""
		}
		return rs[0].PlaceID
	}, nil
}

// loadDuplicates knows every stored martyr, so that rows are linked to
// possible duplicates from earlier imports too. It holds a name, id and
// hometown per stored martyr in memory.
func loadDuplicates(ctx context.Context, s store.Store) (*ingest.Duplicates, error) {
	d := ingest.NewDuplicates()
	if s == nil {
		return d, nil
	}
	after := ""
	for {
		page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize, After: after})
		if err != nil {
			return nil, fmt.Errorf("无法读取已有烈士记录 / cannot read stored martyrs: %w", err)
		}
		for _, m := range page.Items {
			d.Add(m)
		}
		if !page.HasNext {
			return d, nil
		}
		after = page.EndCursor
	}
}

func importMartyrFile(ctx context.Context, o ingestOptions, path string, s store.Store, resolve ingest.HometownResolver, dups *ingest.Duplicates, sum *martyrSummary, prog *progress, env *runEnv) error {
	f, err := ingest.OpenMartyrs(path, resolve)
	if err != nil {
		return fmt.Errorf("未写入 %s / nothing written from %s: %w", path, path, err)
	}
	defer f.Close()
	sum.Files++
	var rej *rejectsWriter
	defer func() {
		if rej != nil {
			rej.close()
		}
	}()
	var batch []store.Martyr
	inBatch := map[string]int{}
	// links holds, for martyrs outside the batch, the ids that found them
	// as a possible duplicate; flush adds them in the same transaction.
	links := map[string][]string{}
	flush := func() error {
		if len(batch) == 0 || o.dryRun {
			batch, inBatch, links = batch[:0], map[string]int{}, map[string][]string{}
			return nil
		}
		if err := linkStored(ctx, s, links, &batch, inBatch); err != nil {
			return err
		}
		if err := s.Apply(ctx, &store.Batch{Martyrs: batch}); err != nil {
			return fmt.Errorf("写入失败，之前的批次已写入，重新运行即可续传 / writing failed (earlier batches are written; run again to resume): %w", err)
		}
		sum.Written += len(batch)
		sum.Batches++
		batch, inBatch, links = batch[:0], map[string]int{}, map[string][]string{}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: 读取中断，已写入的批次保留 / reading stopped (written batches stay): %w", path, err)
		}
		sum.Rows++
		if len(row.Errors) > 0 {
			sum.Rejected++
			for _, e := range row.Errors {
				sum.errCount++
				if len(sum.Errors) < maxListedErrors {
					sum.Errors = append(sum.Errors, e.Error())
				}
			}
			if o.strict {
				return nil
			}
			if !o.dryRun {
				if rej == nil {
					if rej, err = newRejectsWriter(path, f); err != nil {
						return err
					}
					sum.Rejects = append(sum.Rejects, rej.path)
				}
				if err := rej.write(row); err != nil {
					return err
				}
			}
			continue
		}
		sum.Good++
		if row.Martyr.HometownID != "" {
			sum.Resolved++
		}
		if ds := dups.Add(row.Martyr); len(ds) > 0 {
			sum.Duplicates++
			row.Martyr.PossibleDuplicates = ds
			for _, d := range ds {
				if i, ok := inBatch[d]; ok {
					ingest.AddLink(&batch[i], row.Martyr.ID)
				} else {
					links[d] = append(links[d], row.Martyr.ID)
				}
			}
		}
		// The same id twice in one batch (a row repeated in the file)
		// keeps the later row, as a second run would.
		if i, ok := inBatch[row.Martyr.ID]; ok {
			batch[i] = row.Martyr
		} else {
			inBatch[row.Martyr.ID] = len(batch)
			batch = append(batch, row.Martyr)
		}
		if len(batch) >= o.batch {
			if err := flush(); err != nil {
				return err
			}
		}
		if prog != nil {
			done, total := f.Progress()
			prog.update(sum.Rows, done, total)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for _, u := range f.Unknown {
		sum.Unknown = append(sum.Unknown, path+": "+u)
	}
	if len(f.Unknown) > 0 {
		env.log.Info("未识别的列，已保存在 extra 中 / unknown columns, kept in extra", "file", path, "columns", strings.Join(f.Unknown, ","))
	}
	if rej != nil {
		return rej.close()
	}
	return nil
}

// linkStored adds the back links of possible duplicates to martyrs that
// are stored, not in the batch: they are read, linked and written with
// the batch, so a kill never leaves a link one way only.
func linkStored(ctx context.Context, s store.Store, links map[string][]string, batch *[]store.Martyr, inBatch map[string]int) error {
	var ids []string
	for id, from := range links {
		if i, ok := inBatch[id]; ok { // came into the batch after the link
			for _, f := range from {
				ingest.AddLink(&(*batch)[i], f)
			}
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for chunk := range slices.Chunk(ids, getChunk) {
		got, err := s.GetMartyrs(ctx, chunk)
		if err != nil {
			return fmt.Errorf("无法读取已有烈士记录 / cannot read stored martyrs: %w", err)
		}
		for _, id := range chunk {
			m, ok := got[id]
			if !ok {
				continue // in an earlier batch of a dry run only
			}
			changed := false
			for _, f := range links[id] {
				changed = ingest.AddLink(&m, f) || changed
			}
			if changed {
				m.Version, m.UpdatedAt = 0, time.Time{}
				inBatch[id] = len(*batch)
				*batch = append(*batch, m)
			}
		}
	}
	return nil
}

// rejectsWriter writes FILE.rejects.csv beside the input: where and why,
// then the row as it was, so a person can fix and re-import it. It is
// UTF-8 with a BOM so that Excel opens it right.
type rejectsWriter struct {
	path string
	f    *os.File
	w    *csv.Writer
}

func newRejectsWriter(path string, mf *ingest.MartyrsFile) (*rejectsWriter, error) {
	out := path + ".rejects.csv"
	f, err := os.Create(out)
	if err != nil {
		return nil, fmt.Errorf("无法创建 %s / cannot create the rejects file: %w", out, err)
	}
	if _, err := f.WriteString("\ufeff"); err != nil {
		f.Close()
		return nil, err
	}
	w := csv.NewWriter(f)
	head := []string{"文件/file", "行/line", "列/column", "原因/reason", "reason"}
	if mf.Format == "jsonl" {
		head = append(head, "原始行/original line")
	} else {
		head = append(head, mf.Header...)
	}
	if err := w.Write(head); err != nil {
		f.Close()
		return nil, err
	}
	return &rejectsWriter{path: out, f: f, w: w}, nil
}

func (r *rejectsWriter) write(row ingest.MartyrRow) error {
	var cols, zh, en []string
	for _, e := range row.Errors {
		if e.Column != "" {
			cols = append(cols, e.Column)
		}
		zh = append(zh, e.Reason)
		en = append(en, e.ReasonEN)
	}
	loc := strconv.Itoa(row.Line)
	if row.Sheet != "" {
		loc = row.Sheet + "!" + loc
	}
	rec := append([]string{row.File, loc, strings.Join(cols, "；"), strings.Join(zh, "；"), strings.Join(en, "; ")}, row.Raw...)
	return r.w.Write(rec)
}

func (r *rejectsWriter) close() error {
	if r.f == nil {
		return nil
	}
	r.w.Flush()
	err := errors.Join(r.w.Error(), r.f.Close())
	r.f = nil
	return err
}

func printMartyrSummary(env *runEnv, sum martyrSummary, o ingestOptions) {
	if o.json {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(sum)
		return
	}
	w := env.stdout
	fmt.Fprintf(w, "文件 / files:            %d\n", sum.Files)
	fmt.Fprintf(w, "读取行数 / rows read:    %d\n", sum.Rows)
	fmt.Fprintf(w, "有效行 / good rows:      %d\n", sum.Good)
	fmt.Fprintf(w, "拒绝行 / rejected rows:  %d\n", sum.Rejected)
	switch {
	case o.strict && sum.errCount > 0:
		fmt.Fprintf(w, "严格模式下有错误，未写入 / strict mode and row errors: nothing written\n")
	case o.dryRun:
		fmt.Fprintf(w, "试运行，未写入 / dry run, nothing written\n")
	default:
		fmt.Fprintf(w, "写入 / written:          %d（%d 批 / batches；相同记录不重写 / identical records are left as they are）\n", sum.Written, sum.Batches)
		if sum.Kind == "martyrs" {
			fmt.Fprintf(w, "籍贯已解析 / hometowns resolved: %d\n", sum.Resolved)
			fmt.Fprintf(w, "疑似重复（已标记待审，未合并） / possible duplicates (linked for review, not merged): %d\n", sum.Duplicates)
		}
	}
	for _, u := range sum.Unknown {
		fmt.Fprintf(w, "未识别的列（已保存） / unknown column (kept): %s\n", u)
	}
	for _, r := range sum.Rejects {
		fmt.Fprintf(w, "拒绝行文件 / rejects file: %s\n", r)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(w, "  %s\n", e)
	}
	if more := sum.errCount - len(sum.Errors); more > 0 {
		fmt.Fprintf(w, "  …另有 %d 个 / %d more\n", more, more)
	}
	fmt.Fprintf(w, "用时 / elapsed:          %.1fs (%.0f 行/秒 rows/s)\n", sum.Elapsed, sum.RowsPerS)
}

// progress reports on stderr: a redrawn bar on a terminal, a plain line
// every few seconds otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	start    time.Time
	last     time.Time
	interval time.Duration
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), interval: 5 * time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.interval = true, 200*time.Millisecond
		}
	}
	p.last = p.start
	return p
}

func (p *progress) update(rows int, done, total int64) {
	now := time.Now()
	if now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(rows) / el
	eta := "?"
	frac := 0.0
	if total > 0 && done > 0 {
		frac = min(float64(done)/float64(total), 1)
		eta = (time.Duration(el/frac*(1-frac)) * time.Second).Round(time.Second).String()
	}
	if p.tty {
		const width = 30
		n := int(frac * width)
		fmt.Fprintf(p.w, "\r[%s%s] %d 行 rows  %.0f 行/秒 rows/s  剩余 ETA %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), rows, rate, eta)
		return
	}
	fmt.Fprintf(p.w, "进度 / progress: %d 行 rows, %.0f 行/秒 rows/s, %.0f%%, 剩余 ETA %s\n", rows, rate, frac*100, eta)
}

func (p *progress) done(rows int) {
	if p.tty && time.Since(p.start) > p.interval {
		fmt.Fprintf(p.w, "\r%d 行 rows 完成 done%s\n", rows, strings.Repeat(" ", 40))
	}
}
