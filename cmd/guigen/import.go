package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/guigen/guigen/export"
	"github.com/guigen/guigen/store"
)

// importFlags runs `guigen import FILE.jsonl`: it loads a file written by
// `guigen export --format jsonl` into the store. Entities are upserted
// (a rerun changes nothing; an interrupted run, run again, completes);
// leads are created and their trails replayed through the contract;
// the audit log is appended after the entries the store already has.
func importFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	dryRun := fs.Bool("dry-run", false, "read and check the file, write nothing (只检查，不写入)")
	strict := fs.Bool("strict", false, "write nothing if any line is bad or the file is incomplete, and exit 1 (任一行有错即不写入)")
	batch := fs.Int("batch", 500, "entities per transaction (`N`)")
	asJSON := fs.Bool("json", false, "print the summary as JSON on stdout (以 JSON 输出汇总)")
	return func(ctx context.Context, env *runEnv) error {
		// Flags may follow the file: parse what is left after it again.
		var pos []string
		for rest := env.args; len(rest) > 0; {
			pos = append(pos, rest[0])
			if err := fs.Parse(rest[1:]); err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			rest = fs.Args()
		}
		if len(pos) != 1 {
			return fmt.Errorf("%w: guigen import [--dry-run] [--strict] FILE.jsonl", errUsage)
		}
		if *batch < 1 {
			return fmt.Errorf("%w: --batch 须为正数 / --batch must be positive", errUsage)
		}
		path := pos[0]
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("无法打开 %s / cannot open %s: %w", path, path, err)
		}
		start := time.Now()
		var s store.Store
		if !*dryRun {
			var err error
			if s, err = openStore(ctx, cfg, env.log); err != nil {
				return err
			}
			defer closeStore(s, env.log)
		}
		rejects := newRejectsFile(path + ".rejects.jsonl")
		defer rejects.close()
		open := func() (io.ReadCloser, error) { return os.Open(path) }
		var size int64
		if st, err := os.Stat(path); err == nil {
			size = st.Size()
		}
		prog := newProgress(env.stderr)
		sum, err := export.Import(ctx, s, open, export.ImportOptions{
			Name: path, DryRun: *dryRun, Strict: *strict, Batch: *batch, OnReject: rejects.write,
			Progress: func(lines int, read int64) { prog.update(lines, read, size) },
		})
		prog.done(sum.Lines)
		printImportSummary(env, sum, *dryRun, *asJSON, rejects.name(), time.Since(start))
		if errors.Is(err, export.ErrStrict) {
			return fmt.Errorf("--strict: %w", err)
		}
		if err != nil {
			return err
		}
		if *strict && !sum.Complete {
			return fmt.Errorf("--strict: 文件不完整 / the file is incomplete")
		}
		return nil
	}
}

// rejectsFile is created on the first rejected line only.
type rejectsFile struct {
	path string
	f    *os.File
}

func newRejectsFile(path string) *rejectsFile { return &rejectsFile{path: path} }

func (r *rejectsFile) write(rej export.Reject) error {
	if r.f == nil {
		f, err := os.Create(r.path)
		if err != nil {
			return fmt.Errorf("无法创建 %s / cannot create the rejects file: %w", r.path, err)
		}
		r.f = f
	}
	reasons := make([]string, len(rej.Errors))
	for i, e := range rej.Errors {
		reasons[i] = e.Error()
	}
	original := json.RawMessage(rej.Raw)
	if !json.Valid(original) {
		b, _ := json.Marshal(rej.Raw)
		original = b
	}
	line, err := json.Marshal(map[string]any{"line": rej.Line, "reasons": reasons, "original": original})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(r.f, "%s\n", line)
	return err
}

func (r *rejectsFile) name() string {
	if r.f == nil {
		return ""
	}
	return r.path
}

func (r *rejectsFile) close() {
	if r.f != nil {
		r.f.Close()
	}
}

func printImportSummary(env *runEnv, sum export.ImportSummary, dryRun, asJSON bool, rejects string, elapsed time.Duration) {
	if asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			export.ImportSummary
			DryRun  bool    `json:"dryRun"`
			Rejects string  `json:"rejectsFile,omitempty"`
			Elapsed float64 `json:"elapsedSeconds"`
		}{sum, dryRun, rejects, elapsed.Seconds()})
		return
	}
	w := env.stdout
	fmt.Fprintf(w, "读取行数 / lines read:   %d\n", sum.Lines)
	fmt.Fprintf(w, "有效行 / good lines:     %d\n", sum.Good)
	fmt.Fprintf(w, "拒绝行 / rejected lines: %d\n", sum.Rejected)
	if dryRun {
		fmt.Fprintf(w, "试运行，未写入 / dry run, nothing written\n")
	} else {
		fmt.Fprintf(w, "写入实体 / entities written: %d（相同的不重写 / identical ones are left as they are；先缺引用后补全 / deferred: %d）\n", sum.Applied, sum.Deferred)
		fmt.Fprintf(w, "线索 / leads created: %d，记录追加 / events appended: %d\n", sum.LeadsCreated, sum.LeadEvents)
		fmt.Fprintf(w, "审计日志 / audit entries appended: %d（已有 / present: %d）\n", sum.AuditAppended, sum.AuditPresent)
	}
	if sum.Complete {
		fmt.Fprintf(w, "文件完整 / file complete: 是 / yes\n")
	} else {
		fmt.Fprintf(w, "文件完整 / file complete: 否 / NO\n")
	}
	if rejects != "" {
		fmt.Fprintf(w, "拒绝行文件 / rejects file: %s\n", rejects)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(w, "  %s\n", e)
	}
	if more := sum.ErrCount - len(sum.Errors); more > 0 {
		fmt.Fprintf(w, "  …另有 %d 个 / %d more\n", more, more)
	}
	fmt.Fprintf(w, "用时 / elapsed:          %s\n", elapsed.Round(time.Millisecond))
}
