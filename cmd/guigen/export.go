package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/export"
	"github.com/guigen/guigen/ingest"
)

// exportFormats are what --format accepts.
var exportFormats = []string{"jsonl", "gedcom"}

// exportFlags runs `guigen export`: the whole store as JSON Lines (a
// backup that `guigen import` restores), or the families as GEDCOM 7.
// With --out the file appears only when complete: it is written beside
// the target and renamed, so a failed export never leaves half a backup
// under the real name.
func exportFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	format := fs.String("format", "jsonl", "jsonl (everything, for backup and import) or gedcom (GEDCOM 7.0 family trees) (导出格式)")
	out := fs.String("out", "", "write to `FILE` instead of stdout (输出文件)")
	redact := fs.Bool("redact-personal", false, "leave out living people's personal data (phone, address, ID number, DNA outcomes) (不导出个人敏感信息)")
	noAudit := fs.Bool("no-audit", false, "jsonl: leave out the audit log (不导出审计日志)")
	return func(ctx context.Context, env *runEnv) error {
		if !slices.Contains(exportFormats, *format) {
			return fmt.Errorf("%w: --format 应为 %s / --format must be %s", errUsage, strings.Join(exportFormats, "|"), strings.Join(exportFormats, "|"))
		}
		s, err := openStore(ctx, cfg, env.log)
		if err != nil {
			return err
		}
		defer closeStore(s, env.log)
		start := time.Now()
		if *format == "jsonl" && !*redact {
			env.log.Warn("导出含在世亲属的个人敏感信息，请妥善保管，或用 --redact-personal / the export holds living relatives' personal data: keep it safe, or use --redact-personal")
		}
		write := func(w io.Writer) (string, error) {
			switch *format {
			case "gedcom":
				n, err := ingest.WriteGEDCOM(ctx, s, w, ingest.GEDCOMExportOptions{RedactPersonal: *redact})
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("个人 / individuals %d, 家庭 / families %d, 来源 / sources %d", n.Individuals, n.Families, n.Sources), nil
			default:
				counts, err := export.JSONL(ctx, s, w, export.Options{RedactPersonal: *redact, NoAudit: *noAudit})
				if err != nil {
					return "", err
				}
				var parts []string
				for _, t := range export.Types {
					if counts[t] > 0 {
						parts = append(parts, fmt.Sprintf("%s %d", t, counts[t]))
					}
				}
				return strings.Join(parts, ", "), nil
			}
		}
		var summary string
		if *out == "" {
			summary, err = write(env.stdout)
		} else {
			summary, err = writeAtomically(*out, write)
		}
		if err != nil {
			return fmt.Errorf("导出失败 / export failed: %w", err)
		}
		env.log.Info("已导出 / exported", "format", *format, "backend", s.Backend(), "lines", summary, "elapsed", time.Since(start).Round(time.Millisecond))
		if *out != "" {
			fmt.Fprintf(env.stdout, "已导出 / exported %s: %s\n", *out, summary)
		}
		return nil
	}
}

// writeAtomically writes through a temporary file in the target's
// directory and renames it into place after a successful fsync.
func writeAtomically(path string, write func(io.Writer) (string, error)) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("无法创建 %s / cannot create %s: %w", path, path, err)
	}
	defer os.Remove(tmp.Name())
	summary, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("无法写入 %s / cannot write %s: %w", path, path, err)
	}
	return summary, nil
}
