package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// copySample copies an ingest testdata file into a temp dir, so the
// rejects file lands there.
func copySample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, name, string(b))
}

// dumpMartyrs lists every martyr, all pages, as canonical JSON lines
// without the store's Version/UpdatedAt.
func dumpMartyrs(t *testing.T, s store.Store) []string {
	t.Helper()
	var out []string
	after := ""
	for {
		page, err := s.ListMartyrs(context.Background(), store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			m.Version = 0
			m.UpdatedAt = time.Time{}
			b, _ := json.Marshal(m)
			out = append(out, string(b))
		}
		if !page.HasNext {
			return out
		}
		after = page.EndCursor
	}
}

func TestIngestMartyrsAllFormats(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	gbk := copySample(t, "martyrs_gbk.csv")
	tsv := copySample(t, "martyrs.tsv")
	jl := copySample(t, "martyrs.jsonl")
	code, out, errs := runCmd(t, "ingest", "martyrs", "--data", dir, gbk, tsv, jl)
	if code != 1 && code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	for _, want := range []string{
		"读取行数 / rows read:    16",
		"有效行 / good rows:      8",
		"拒绝行 / rejected rows:  8",
		"写入 / written:          8",
		"martyrs_gbk.csv:6: 列「性别」: 性别「公」无法识别",
		"martyrs.tsv:5: 列「died」: 牺牲时间 1953 早于出生时间 1960",
		"martyrs.jsonl:3: 不是有效的 JSON 对象",
		"未识别的列（已保存） / unknown column (kept): " + gbk + ": 家属联系",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	s := openData(t, dir)
	m, err := store.GetMartyr(context.Background(), s, "m-370224001")
	if err != nil || m.Name != "马广宇" || m.Aliases[0].Name != "马广余" || m.Grave.Section != "3" || m.Extra["家属联系"] != "有" {
		t.Errorf("马广宇 in the store = %+v, %v", m, err)
	}
	if got := len(dumpMartyrs(t, s)); got != 8 {
		t.Errorf("store holds %d martyrs, want 8", got)
	}
	rej, err := os.ReadFile(gbk + ".rejects.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(rej)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "\ufeff文件/file,行/line,列/column,原因/reason,reason,编号,姓名") ||
		!strings.Contains(lines[2], ",6,性别,性别「公」无法识别，应为 男/女/M/F,\"unknown sex, expected 男/女/M/F\",370224005,王德胜,公") {
		t.Errorf("rejects file:\n%s", rej)
	}

	// A second run changes nothing.
	before := changeCount(t, dir)
	if code, out, _ := runCmd(t, "ingest", "martyrs", "--data", dir, gbk, tsv, jl); code != 0 {
		t.Fatalf("second run exit %d: %s", code, out)
	}
	if after := changeCount(t, dir); after != before {
		t.Errorf("second run changed the log: %d -> %d", before, after)
	}
}

func TestIngestMartyrsDryRunAndStrict(t *testing.T) {
	embedded(t)
	for _, args := range [][]string{{"--dry-run"}, {"--strict"}} {
		dir := t.TempDir()
		in := copySample(t, "martyrs_bom.csv")
		code, out, errs := runCmd(t, append(append([]string{"ingest", "martyrs", "--data", dir}, args...), in)...)
		if args[0] == "--strict" && (code != 1 || !strings.Contains(errs, "--strict") || !strings.Contains(out, "未写入")) {
			t.Errorf("strict: exit %d\n%s\n%s", code, out, errs)
		}
		if args[0] == "--dry-run" && (code != 0 || !strings.Contains(out, "有效行 / good rows:      4")) {
			t.Errorf("dry run: exit %d\n%s\n%s", code, out, errs)
		}
		if n := changeCount(t, dir); n != 0 {
			t.Errorf("%v wrote %d changes", args, n)
		}
		if _, err := os.Stat(in + ".rejects.csv"); err == nil {
			t.Errorf("%v wrote a rejects file", args)
		}
	}
	// Strict on a clean file writes everything.
	dir := t.TempDir()
	clean := writeFile(t, "ok.csv", "姓名,籍贯,牺牲时间\n王成,山东,1951\n")
	if code, out, errs := runCmd(t, "ingest", "martyrs", "--strict", "--json", "--data", dir, clean); code != 0 || !strings.Contains(out, `"written": 1`) {
		t.Errorf("strict clean: %d %s %s", code, out, errs)
	}
}

func TestIngestMartyrsXLSXAndFatal(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	bad := writeFile(t, "x.csv", "籍贯\n山东\n")
	code, _, errs := runCmd(t, "ingest", "martyrs", "--data", dir, bad)
	if code != 1 || !strings.Contains(errs, "没有「姓名」列") {
		t.Errorf("no name column: %d %s", code, errs)
	}
	code, _, errs = runCmd(t, "ingest", "nonsense", "--data", dir, bad)
	if code != 2 || !strings.Contains(errs, "未知的导入类型") {
		t.Errorf("unknown kind: %d %s", code, errs)
	}
}

func TestIngestRecords(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	gbk := copySample(t, "martyrs_gbk.csv")
	if code, out, _ := runCmd(t, "ingest", "martyrs", "--data", dir, gbk); code != 0 {
		t.Fatal(out)
	}
	rec := copySample(t, "records.jsonl")
	code, out, errs := runCmd(t, "ingest", "records", "--data", dir, rec)
	if code != 0 {
		t.Fatalf("exit %d %s %s", code, out, errs)
	}
	for _, want := range []string{"有效行 / good rows:      2", "拒绝行 / rejected rows:  3", "records.jsonl:3: 记录无效", "records.jsonl:4: 存储拒绝", "records.jsonl:5: 不是有效的记录行"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	s := openData(t, dir)
	recs, err := s.RecordsCiting(context.Background(), []string{"m-370224001"})
	if err != nil || len(recs["m-370224001"]) == 0 {
		t.Errorf("records citing m-370224001: %v %v", recs, err)
	}
	b, _ := os.ReadFile(rec + ".rejects.jsonl")
	if strings.Count(string(b), "\n") != 3 {
		t.Errorf("rejects:\n%s", b)
	}
}

func TestIngestMartyrsPossibleDuplicates(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	a := writeFile(t, "qingdao.csv", "编号,姓名,籍贯,牺牲时间\nQD-1,马广宇,山东省胶县,1950年12月\nQD-2,王成,河北,1951\n")
	b := writeFile(t, "shenyang.csv", "编号,姓名,籍贯,牺牲时间\nSY-9,马 广宇,山东胶县城关,1951年1月\nSY-10,王成,广东,1951\n")
	if code, out, errs := runCmd(t, "ingest", "martyrs", "--data", dir, a); code != 0 {
		t.Fatal(out, errs)
	}
	code, out, errs := runCmd(t, "ingest", "martyrs", "--data", dir, b)
	if code != 0 || !strings.Contains(out, "possible duplicates (linked for review, not merged): 1") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	s := openData(t, dir)
	got, err := s.GetMartyrs(context.Background(), []string{"m-QD-1", "m-SY-9", "m-QD-2", "m-SY-10"})
	if err != nil || len(got) != 4 {
		t.Fatalf("both kept: %v %v", got, err)
	}
	if d := got["m-QD-1"].PossibleDuplicates; len(d) != 1 || d[0] != "m-SY-9" {
		t.Errorf("QD-1 links %v", d)
	}
	if d := got["m-SY-9"].PossibleDuplicates; len(d) != 1 || d[0] != "m-QD-1" {
		t.Errorf("SY-9 links %v", d)
	}
	if d := got["m-SY-10"].PossibleDuplicates; len(d) != 0 {
		t.Errorf("王成 of another province linked: %v", d)
	}
	before := changeCount(t, dir)
	for _, f := range []string{a, b} {
		if code, out, _ := runCmd(t, "ingest", "martyrs", "--data", dir, f); code != 0 {
			t.Fatal(out)
		}
	}
	if after := changeCount(t, dir); after != before {
		t.Errorf("rerunning both files changed the log: %d -> %d", before, after)
	}
}

func TestProgressPlainLines(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b) // not a terminal: plain lines
	if p.tty {
		t.Fatal("a strings.Builder is not a terminal")
	}
	p.interval = 0
	p.start = time.Now().Add(-2 * time.Second)
	p.update(1000, 250, 1000)
	line := b.String()
	for _, want := range []string{"进度 / progress: 1000 行 rows, ", "行/秒 rows/s, 25%, 剩余 ETA 6s\n"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}
