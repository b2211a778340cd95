package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/guigen/guigen/synth"
)

// generateKinds are the errors `generate --errors` writes into records:
// those of the record itself, not of how a family types a name.
var generateKinds = []synth.Kind{synth.LookAlike, synth.Homophone, synth.Variant, synth.Dialect, synth.TwoChars,
	synth.Missing, synth.Extra, synth.Swapped, synth.PlaceSound}

// generateFlags: guigen generate --martyrs N --seed S [--places FILE]
// [--out FILE.csv] [--errors RATE --truth FILE.csv] writes a synthetic
// register that `guigen ingest martyrs` reads, for benchmarks and the
// search evaluation. The same seed and places give the same bytes.
func generateFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	n := fs.Int("martyrs", 1000, "number of register rows (`N`)")
	seed := fs.Uint64("seed", 1, "generator seed (`S`); the same seed gives the same file")
	places := fs.String("places", "", "gazetteer `FILE` (the Ministry's code table, as for ingest places); default: the demo gazetteer")
	out := fs.String("out", "", "write the CSV to `FILE` (default: stdout)")
	errRate := fs.Float64("errors", 0, "share of rows (0-1) whose name or county is recorded wrongly, by a kind of error drawn at random")
	truth := fs.String("truth", "", "with --errors: write `FILE`.csv of 编号, kind, the true name and the hometown a family would give")
	return func(ctx context.Context, env *runEnv) error {
		if *n < 0 {
			return fmt.Errorf("%w: --martyrs 必须 ≥ 0 / must be ≥ 0", errUsage)
		}
		if *errRate < 0 || *errRate > 1 {
			return fmt.Errorf("%w: --errors 必须在 0 到 1 之间 / must be within 0-1", errUsage)
		}
		if *truth != "" && *errRate == 0 {
			return fmt.Errorf("%w: --truth 需要 --errors / --truth needs --errors", errUsage)
		}
		ps, err := synth.LoadPlaces(*places)
		if err != nil {
			return fmt.Errorf("无法读取地名表 / cannot read places: %w", err)
		}
		g, err := synth.New(*seed, ps, synth.Options{})
		if err != nil {
			return err
		}
		start := time.Now()
		w := env.stdout
		var f *os.File
		if *out != "" {
			if f, err = os.Create(*out); err != nil {
				return fmt.Errorf("无法创建 / cannot create %s: %w", *out, err)
			}
			defer f.Close()
			w = f
		}
		var tw *csv.Writer
		if *truth != "" {
			tf, err := os.Create(*truth)
			if err != nil {
				return fmt.Errorf("无法创建 / cannot create %s: %w", *truth, err)
			}
			defer tf.Close()
			tb := bufio.NewWriter(tf)
			defer tb.Flush()
			tw = csv.NewWriter(tb)
			if err := tw.Write([]string{"编号", "kind", "真实姓名", "家属所报籍贯"}); err != nil {
				return err
			}
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := writeRegister(ctx, g, *n, *errRate, bw, tw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("写入失败 / write failed: %w", err)
		}
		if tw != nil {
			if tw.Flush(); tw.Error() != nil {
				return fmt.Errorf("写入失败 / write failed: %w", tw.Error())
			}
		}
		if f != nil {
			if err := f.Close(); err != nil {
				return fmt.Errorf("写入失败 / write failed: %w", err)
			}
			fmt.Fprintf(env.stderr, "已生成 / generated %d 行 / rows → %s (%v)\n", *n, filepath.Clean(*out), time.Since(start).Round(time.Millisecond))
		}
		return nil
	}
}

// writeRegister draws n records; a share errRate of them carries an
// error of a kind from generateKinds, listed in truth when it is given.
func writeRegister(ctx context.Context, g *synth.Generator, n int, errRate float64, w io.Writer, truth *csv.Writer) error {
	cw := synth.NewCSVWriter(w)
	in := synth.NewInjector(g)
	for i := range n {
		if i%10000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec := g.Record()
		if errRate > 0 && g.Rand().Float64() < errRate {
			for {
				k := generateKinds[g.Rand().IntN(len(generateKinds))]
				c, ok := in.Make(k)
				if !ok {
					continue
				}
				rec = c.Record
				if truth != nil {
					if err := truth.Write([]string{c.Record.Martyr.RegistryNo, c.Label(), c.Truth, c.Hometown}); err != nil {
						return fmt.Errorf("写入失败 / write failed: %w", err)
					}
				}
				break
			}
		}
		if err := cw.Write(rec.Martyr); err != nil {
			return err
		}
	}
	return cw.Flush()
}
