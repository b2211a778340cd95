package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/guigen/guigen/store"
)

// A generated register imports whole: every row good, one martyr each,
// and the same seed writes the same bytes.
func TestGenerateThenIngest(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	reg := filepath.Join(dir, "register.csv")
	if code, _, errs := runCmd(t, "generate", "--martyrs", "1000", "--seed", "7", "--out", reg); code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	first, err := os.ReadFile(reg)
	if err != nil {
		t.Fatal(err)
	}
	code, again, errs := runCmd(t, "generate", "--martyrs", "1000", "--seed", "7")
	if code != exitOK {
		t.Fatalf("generate to stdout: exit %d: %s", code, errs)
	}
	if !bytes.Equal(first, []byte(again)) {
		t.Error("the same seed wrote different bytes")
	}
	if _, other, _ := runCmd(t, "generate", "--martyrs", "1000", "--seed", "8"); bytes.Equal(first, []byte(other)) {
		t.Error("another seed wrote the same bytes")
	}
	rows, err := csv.NewReader(bytes.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1001 || rows[0][0] != "编号" || rows[0][1] != "姓名" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}

	data := filepath.Join(dir, "data")
	code, out, errs := runCmd(t, "ingest", "martyrs", "--json", "--data", data, reg)
	if code != exitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	var sum martyrSummary
	if err := json.Unmarshal([]byte(lastJSON(out)), &sum); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	if sum.Rows != 1000 || sum.Good != 1000 || sum.Rejected != 0 || sum.Written != 1000 || len(sum.Unknown) != 0 {
		t.Errorf("summary %+v, want 1000 rows all good and written, no unknown columns", sum)
	}
	s := openData(t, data)
	n, namesakes := 0, map[string]int{}
	req := store.PageReq{First: store.MaxPageSize}
	for {
		page, err := s.ListMartyrs(context.Background(), store.MartyrFilter{}, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			n++
			namesakes[m.Name]++
			if m.RegistryNo == "" || m.HometownText == "" {
				t.Errorf("martyr %s lacks registry number or hometown", m.ID)
			}
		}
		if !page.HasNext {
			break
		}
		req.After = page.EndCursor
	}
	if n != 1000 {
		t.Errorf("%d martyrs in the store, want 1000", n)
	}
	shared := 0
	for _, c := range namesakes {
		if c > 1 {
			shared += c
		}
	}
	// Registers share names widely (23,246 of 197,653 Korean War martyrs);
	// a generated one must have namesakes too.
	if shared < 30 {
		t.Errorf("only %d of 1000 martyrs share a name", shared)
	}
}

func TestGenerateErrorsAndTruth(t *testing.T) {
	embedded(t)
	dir := t.TempDir()
	reg, truth := filepath.Join(dir, "r.csv"), filepath.Join(dir, "truth.csv")
	if code, _, errs := runCmd(t, "generate", "--martyrs", "500", "--errors", "0.2", "--truth", truth, "--out", reg); code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(truth)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rows) - 1; got < 60 || got > 140 {
		t.Errorf("%d rows with an error of 500 at rate 0.2", got)
	}
	for _, bad := range [][]string{
		{"generate", "--martyrs", "-1"},
		{"generate", "--errors", "2"},
		{"generate", "--truth", truth},
	} {
		if code, _, _ := runCmd(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

// lastJSON is the JSON object at the end of the output.
func lastJSON(s string) string {
	if i := bytes.LastIndex([]byte(s), []byte("\n{")); i >= 0 {
		return s[i+1:]
	}
	return s
}
