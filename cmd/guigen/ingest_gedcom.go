package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// gedcomSummary is what a family-tree import did; also the --json output.
type gedcomSummary struct {
	File        string   `json:"file"`
	Version     string   `json:"gedcomVersion"`
	Encoding    string   `json:"encoding"`
	Tree        string   `json:"tree"`
	Individuals int      `json:"individuals"`
	Families    int      `json:"families"`
	Sources     int      `json:"sources"`
	People      int      `json:"people"`
	Kinships    int      `json:"kinships"`
	Records     int      `json:"records"`
	Assertions  int      `json:"assertions"`
	Linked      int      `json:"linkedMartyrs"`
	Kept        int      `json:"keptAsStored"`
	Skipped     int      `json:"skipped"`
	Proposals   []string `json:"proposals,omitempty"`
	NewLeads    int      `json:"leadsCreated"`
	Changes     int      `json:"changes"`
	DryRun      bool     `json:"dryRun"`
	Strict      bool     `json:"strict"`
	Errors      []string `json:"errors,omitempty"`
	Rejects     string   `json:"rejectsFile,omitempty"`
	Elapsed     float64  `json:"elapsedSeconds"`
}

// ingestGEDCOM imports family trees. Each file is read whole, mapped onto
// the graph and written in one transaction, so a tree lands entirely or
// not at all; ids come from the file's xrefs (or Guigen ids it carries),
// so importing it again changes nothing. Individuals that may be
// registered martyrs become NEW leads for a person to review.
func ingestGEDCOM(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error {
	if o.tree != "" && len(paths) > 1 {
		return fmt.Errorf("%w: --tree 只能用于单个文件 / --tree names one file", errUsage)
	}
	var s store.Store
	if !o.dryRun {
		var err error
		if s, err = openStore(ctx, o.cfg, env.log); err != nil {
			return err
		}
		defer closeStore(s, env.log)
	}
	for _, path := range paths {
		if err := ingestGEDCOMFile(ctx, o, s, path, env); err != nil {
			return err
		}
	}
	return nil
}

func ingestGEDCOMFile(ctx context.Context, o ingestOptions, s store.Store, path string, env *runEnv) error {
	start := time.Now()
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("无法打开 %s / cannot open %s: %w", path, path, err)
	}
	f, err := ingest.ParseGEDCOM(fh, path)
	fh.Close()
	if err != nil {
		return fmt.Errorf("未写入任何数据 / nothing written: %w", err)
	}
	sum := gedcomSummary{File: path, Version: f.Version, Encoding: f.Encoding, DryRun: o.dryRun, Strict: o.strict}
	for _, r := range f.Records {
		switch r.Tag {
		case "INDI":
			sum.Individuals++
		case "FAM":
			sum.Families++
		case "SOUR":
			sum.Sources++
		}
	}
	g, err := ingest.MapGEDCOM(ctx, f, s, ingest.GEDCOMOptions{Tree: o.tree})
	if err != nil {
		return err
	}
	sum.Tree = g.Tree
	errs := append(append([]*ingest.RowError{}, f.Errors...), g.Errors...)
	for i, e := range errs {
		if i < maxListedErrors {
			sum.Errors = append(sum.Errors, e.Error())
		}
	}
	sum.People, sum.Kinships, sum.Records, sum.Assertions = len(g.Batch.People), len(g.Batch.Kinships), len(g.Batch.Records), len(g.Batch.Assertions)
	sum.Linked, sum.Kept, sum.Skipped = len(g.Linked), g.Kept, g.Skipped
	for _, p := range g.Proposals {
		sum.Proposals = append(sum.Proposals, fmt.Sprintf("%s:%d: @%s@ %s → 烈士 / martyr %s（%v）", path, p.Line, p.Xref, p.Name, p.MartyrID, p.Reasons))
	}
	if _, err := g.Batch.Validate(); err != nil {
		return fmt.Errorf("%s: 映射结果无效，未写入 / the mapped tree is invalid, nothing written: %w", path, err)
	}
	finish := func() {
		sum.Elapsed = time.Since(start).Seconds()
		printGEDCOMSummary(env, sum, o)
	}
	if o.strict && len(errs) > 0 {
		finish()
		return fmt.Errorf("--strict: %s 有 %d 个错误，未写入任何数据 / %d errors, nothing written: %s", path, len(errs), len(errs), errs[0])
	}
	if o.dryRun {
		finish()
		return nil
	}
	if len(errs) > 0 {
		if sum.Rejects, err = writeGEDCOMRejects(path, f, errs); err != nil {
			return err
		}
	}
	mark, err := lastChange(ctx, s)
	if err != nil {
		return err
	}
	if g.Batch.Len() > 0 {
		if err := s.Apply(ctx, &g.Batch); err != nil {
			return fmt.Errorf("%s: 写入失败，未写入任何数据 / writing failed, nothing written: %w", path, err)
		}
	}
	for _, p := range g.Proposals {
		_, err := s.CreateLead(ctx, p.ProposalLead(path))
		switch {
		case errors.Is(err, store.ErrConflict):
			// Proposed by an earlier run: the lead is someone's work now.
		case err != nil:
			return fmt.Errorf("%s: 无法保存待核实的匹配 / cannot store a proposed match: %w", path, err)
		default:
			sum.NewLeads++
		}
	}
	end, err := lastChange(ctx, s)
	if err != nil {
		return err
	}
	sum.Changes = int(end - mark)
	finish()
	return nil
}

// writeGEDCOMRejects lists each error with the line it names, beside the
// input: FILE.rejects.jsonl.
func writeGEDCOMRejects(path string, f *ingest.GEDFile, errs []*ingest.RowError) (string, error) {
	name := path + ".rejects.jsonl"
	out, err := os.Create(name)
	if err != nil {
		return "", fmt.Errorf("无法创建 %s / cannot create the rejects file: %w", name, err)
	}
	defer out.Close()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, e := range errs {
		if err := enc.Encode(map[string]any{"line": e.Line, "column": e.Column, "reason": e.Reason, "reasonEn": e.ReasonEN, "original": f.LineText(e.Line)}); err != nil {
			return "", err
		}
	}
	return name, nil
}

func printGEDCOMSummary(env *runEnv, sum gedcomSummary, o ingestOptions) {
	if o.json {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(sum)
		return
	}
	w := env.stdout
	fmt.Fprintf(w, "文件 / file:             %s（GEDCOM %s，%s，家谱标识 / tree %s）\n", sum.File, sum.Version, sum.Encoding, sum.Tree)
	fmt.Fprintf(w, "个人 / individuals:      %d，家庭 / families: %d，来源 / sources: %d\n", sum.Individuals, sum.Families, sum.Sources)
	fmt.Fprintf(w, "关联烈士 / linked martyrs: %d\n", sum.Linked)
	fmt.Fprintf(w, "映射 / mapped: 亲属 people %d，亲属关系 kinships %d，档案 records %d，事实 assertions %d\n", sum.People, sum.Kinships, sum.Records, sum.Assertions)
	if sum.Kept > 0 {
		fmt.Fprintf(w, "库中已有，保持不变 / already stored, left as they are: %d\n", sum.Kept)
	}
	if sum.Skipped > 0 {
		fmt.Fprintf(w, "未导入 / skipped: %d\n", sum.Skipped)
	}
	switch {
	case o.strict && len(sum.Errors) > 0:
		fmt.Fprintf(w, "严格模式下有错误，未写入 / strict mode and errors: nothing written\n")
	case o.dryRun:
		fmt.Fprintf(w, "试运行，未写入，未核对烈士关联 / dry run: nothing written, martyr links not checked\n")
	default:
		fmt.Fprintf(w, "变更 / changes:          %d（重复导入为 0 / 0 when run again）\n", sum.Changes)
		fmt.Fprintf(w, "新建待核实线索 / new leads to review: %d\n", sum.NewLeads)
	}
	for _, p := range sum.Proposals {
		fmt.Fprintf(w, "可能是烈士（待核实，未合并）/ possible martyr (to review, not merged): %s\n", p)
	}
	if sum.Rejects != "" {
		fmt.Fprintf(w, "错误清单 / rejects file: %s\n", sum.Rejects)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(w, "  %s\n", e)
	}
	fmt.Fprintf(w, "用时 / elapsed:          %.2fs\n", sum.Elapsed)
}
