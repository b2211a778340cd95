package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// demoDataDir makes a data dir whose store holds the demo.
func demoDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

func withStore(t *testing.T, dir string, fn func(store.Store)) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	fn(s)
}

func TestExportImportRoundTripCLI(t *testing.T) {
	embedded(t)
	src := demoDataDir(t)
	tmp := t.TempDir()
	first, second := filepath.Join(tmp, "a.jsonl"), filepath.Join(tmp, "b.jsonl")
	if code, out, errs := runCmd(t, "export", "--data", src, "--out", first); code != exitOK || !strings.Contains(out, "martyr 200") {
		t.Fatalf("export: exit %d\n%s\n%s", code, out, errs)
	}
	dst := t.TempDir()
	code, out, errs := runCmd(t, "import", "--data", dst, first)
	if code != exitOK || !strings.Contains(out, "拒绝行 / rejected lines: 0") || !strings.Contains(out, "leads created: 5") || !strings.Contains(out, "file complete: 是") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "export", "--data", dst, "--out", second); code != exitOK {
		t.Fatalf("export again: %s", errs)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Fatal("export → import → export is not byte-identical")
	}
	// Again: nothing changes.
	code, out, _ = runCmd(t, "import", "--data", dst, first, "--json")
	if code != exitOK || !strings.Contains(out, `"leadsCreated": 0`) || !strings.Contains(out, `"leadEventsAppended": 0`) {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}
	if code, _, _ := runCmd(t, "export", "--data", dst, "--out", second); code != exitOK {
		t.Fatal("export")
	}
	if b, _ = os.ReadFile(second); !bytes.Equal(a, b) {
		t.Fatal("re-import changed the store")
	}
}

func TestImportReportsBadLines(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "dump.jsonl")
	lines := []string{
		`{"type":"header","format":"guigen-jsonl","version":1}`,
		`{"type":"place","id":"pl-1","name":"胶县","level":"county"}`,
		`{"type":"martyr","id":"m-1","name":"王德胜","hometownId":"pl-1"}`,
		`{"type":"martyr","id":"m-2","name":"李成山","hometwn":"山东"}`,
		`not json`,
		`{"type":"spaceship","id":"x"}`,
		`{"type":"kinship","personId":"p-9","martyrId":"m-1","relation":"son","status":"claimed"}`,
		`{"type":"martyr","id":"m-3","name":"","sex":"M"}`,
		`{"type":"end","counts":{"place":1,"martyr":3,"kinship":1}}`,
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// --strict: nothing at all is written.
	data := filepath.Join(dir, "data")
	code, out, _ := runCmd(t, "import", "--data", data, "--strict", file)
	if code != exitFail || !strings.Contains(out, "拒绝行 / rejected lines: 5") {
		t.Fatalf("strict: exit %d\n%s", code, out)
	}
	withStore(t, data, func(s store.Store) {
		if p, _ := s.ListMartyrs(context.Background(), store.MartyrFilter{}, store.PageReq{}); p.Total != 0 {
			t.Errorf("--strict wrote %d martyrs", p.Total)
		}
	})
	// --dry-run: no store is touched.
	dry := filepath.Join(dir, "dry")
	if code, out, _ := runCmd(t, "import", "--data", dry, "--dry-run", file); code != exitOK || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(dry); !os.IsNotExist(err) {
		t.Errorf("--dry-run created the data dir")
	}
	code, out, errs := runCmd(t, "import", "--data", data, file)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"拒绝行 / rejected lines: 5",
		file + `:4: 内容无效：json: unknown field "hometwn"`,
		file + ":5: 不是有效的 JSON 对象",
		file + `:6: 列「type」: 未知的类型 "spaceship"`,
		file + `:7: 引用的对象不存在：kinship "p-9|m-1" personId: person "p-9"`,
		file + `:8: 内容无效：invalid input: martyr "m-3": name is empty`,
		"file complete: 是",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	rej, err := os.ReadFile(file + ".rejects.jsonl")
	if err != nil || strings.Count(string(rej), "\n") != 5 || !strings.Contains(string(rej), `"line":7`) {
		t.Errorf("rejects file: %v\n%s", err, rej)
	}
	withStore(t, data, func(s store.Store) {
		m, err := store.GetMartyr(context.Background(), s, "m-1")
		if err != nil || m.HometownID != "pl-1" {
			t.Errorf("good line did not land: %+v %v", m, err)
		}
	})
	// A truncated file says so.
	cut := filepath.Join(dir, "cut.jsonl")
	os.WriteFile(cut, []byte(strings.Join(lines[:3], "\n")+"\n"), 0o600)
	if code, out, _ := runCmd(t, "import", "--data", data, cut); code != exitOK || !strings.Contains(out, "cut.jsonl:3: 文件没有结尾行，可能不完整") {
		t.Errorf("truncated: exit %d\n%s", code, out)
	}
}

func TestIngestGEDCOMCLI(t *testing.T) {
	embedded(t)
	data := demoDataDir(t)
	ged := filepath.Join(t.TempDir(), "wang.ged")
	b, err := os.ReadFile("../../ingest/testdata/wang_family_551.ged")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ged, b, 0o600)
	code, out, errs := runCmd(t, "ingest", "gedcom", "--data", data, "--dry-run", ged)
	if code != exitOK || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "ingest", "gedcom", "--data", data, ged)
	if code != exitOK || !strings.Contains(out, "new leads to review: 1") || !strings.Contains(out, "@I1@ 王德胜 → 烈士 / martyr m-0002") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "ingest", "gedcom", "--data", data, ged)
	if code != exitOK || !strings.Contains(out, "变更 / changes:          0") || !strings.Contains(out, "new leads to review: 0") {
		t.Fatalf("second run changed the store:\n%s", out)
	}
	withStore(t, data, func(s store.Store) {
		p, err := s.ListLeads(context.Background(), store.LeadFilter{MartyrID: demo.MartyrWangDesheng1}, store.PageReq{})
		if err != nil || len(p.Items) != 1 || p.Items[0].State != store.LeadNew || p.Items[0].Source != "gedcom" {
			t.Fatalf("proposal lead: %+v %v", p.Items, err)
		}
	})

	// Guigen's own GEDCOM goes back in without a single change.
	own := filepath.Join(t.TempDir(), "guigen.ged")
	if code, out, errs := runCmd(t, "export", "--data", data, "--format", "gedcom", "--out", own); code != exitOK {
		t.Fatalf("export gedcom: %s %s", out, errs)
	}
	code, out, _ = runCmd(t, "ingest", "gedcom", "--data", data, own)
	if code != exitOK || !strings.Contains(out, "变更 / changes:          0") {
		t.Fatalf("re-importing the GEDCOM export:\n%s", out)
	}

	// --strict refuses a file with errors and writes nothing.
	bad := filepath.Join(t.TempDir(), "bad.ged")
	b, _ = os.ReadFile("../../ingest/testdata/bad.ged")
	os.WriteFile(bad, b, 0o600)
	code, out, errs = runCmd(t, "ingest", "gedcom", "--data", data, "--strict", bad)
	if code != exitFail || !strings.Contains(errs, "bad.ged:15: 层级从 1 跳到 3") {
		t.Fatalf("strict: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "ingest", "gedcom", "--data", data, bad)
	if code != exitOK || !strings.Contains(out, "bad.rejects.jsonl") && !strings.Contains(out, "bad.ged.rejects.jsonl") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}
