package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/store"
	"github.com/xuri/excelize/v2"
)

// readAll reads a register, returning good martyrs by name and the
// messages of every rejected row.
func readAll(t *testing.T, path string, resolve HometownResolver) (*MartyrsFile, map[string]store.Martyr, []string) {
	t.Helper()
	f, err := OpenMartyrs(path, resolve)
	if err != nil {
		t.Fatalf("OpenMartyrs(%s): %v", path, err)
	}
	defer f.Close()
	good := map[string]store.Martyr{}
	var bad []string
	for {
		row, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if len(row.Errors) > 0 {
			for _, e := range row.Errors {
				bad = append(bad, e.Error())
			}
			continue
		}
		good[row.Martyr.Name] = row.Martyr
	}
	return f, good, bad
}

// sampleBad is what both CSV samples reject, whatever their encoding.
var sampleBad = []string{
	":5: 列「姓名」: 姓名为空 / the name is empty",
	":6: 列「性别」: 性别「公」无法识别，应为 男/女/M/F / unknown sex",
	":7: 列「牺牲时间」: 日期「19x1年」无法识别 / unreadable date",
	":9: 列「墓位」: 墓位「东边第三个」无法识别",
}

func TestReadMartyrsCSV(t *testing.T) {
	resolve := func(text string) string {
		if text == "山东省胶县" {
			return "370224-1949"
		}
		return ""
	}
	for _, tt := range []struct{ file, enc string }{
		{"martyrs_gbk.csv", EncodingGB18030},
		{"martyrs_bom.csv", EncodingUTF8BOM},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f, good, bad := readAll(t, filepath.Join("testdata", tt.file), resolve)
			if f.Encoding != tt.enc || f.Format != "csv" {
				t.Errorf("encoding, format = %s, %s", f.Encoding, f.Format)
			}
			if len(f.Unknown) != 1 || f.Unknown[0] != "家属联系" {
				t.Errorf("Unknown = %q", f.Unknown)
			}
			if len(good) != 4 {
				t.Errorf("good rows = %d (%v), want 4", len(good), keys(good))
			}
			if len(bad) != len(sampleBad) {
				t.Fatalf("bad = %q", bad)
			}
			for i, want := range sampleBad {
				if !strings.Contains(bad[i], tt.file+want) {
					t.Errorf("error %d = %q, want it to contain %q", i, bad[i], want)
				}
			}
			m := good["马广宇"]
			if m.ID != "m-370224001" || m.RegistryNo != "370224001" || len(m.Aliases) != 1 || m.Aliases[0].Name != "马广余" {
				t.Errorf("马广宇 = %+v", m)
			}
			if m.HometownText != "山东省胶县" || m.HometownID != "370224-1949" || m.Extra["家属联系"] != "有" {
				t.Errorf("马广宇 hometown/extra = %q %q %v", m.HometownText, m.HometownID, m.Extra)
			}
			if m.Grave != (store.Grave{Section: "3", Row: "2", Number: "5", Text: "三区2排5号"}) || m.Born != (store.Date{Year: 1925, Month: 3, Text: "1925年3月"}) {
				t.Errorf("马广宇 grave/born = %+v %+v", m.Grave, m.Born)
			}
			if z := good["张三"]; z.Died.Precision() != "range" || z.Born.Year != 1928 {
				t.Errorf("张三 = %+v", z)
			}
			l := good["李大山"]
			if l.RegistryNo != "" || !strings.HasPrefix(l.ID, "m-h") || l.Sex != store.SexMale || l.HometownID != "" {
				t.Errorf("李大山 = %+v", l)
			}
			if s := good["孙明"]; s.Sex != store.SexFemale || s.Died.Known() || s.Died.Text != "不详" {
				t.Errorf("孙明 = %+v", s)
			}
		})
	}
}

func keys(m map[string]store.Martyr) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReadMartyrsTSVAndJSONL(t *testing.T) {
	f, good, bad := readAll(t, "testdata/martyrs.tsv", nil)
	if f.Format != "tsv" || len(good) != 2 {
		t.Fatalf("tsv: format %s, good %v", f.Format, keys(good))
	}
	if l := good["刘志远"]; l.ID != "m-T-001" || len(l.Aliases) != 2 || l.Grave.Row != "2" || l.Died.Month != 10 {
		t.Errorf("刘志远 = %+v", l)
	}
	wantBad := []string{
		"martyrs.tsv:4: 列「name」: 姓名「钱(钱多」无法识别",
		"martyrs.tsv:5: 列「died」: 牺牲时间 1953 早于出生时间 1960 / died before born",
	}
	if len(bad) != len(wantBad) {
		t.Fatalf("tsv bad = %q", bad)
	}
	for i := range wantBad {
		if !strings.HasPrefix(bad[i], "testdata/"+wantBad[i]) {
			t.Errorf("tsv bad[%d] = %q, want %q", i, bad[i], wantBad[i])
		}
	}

	f, good, bad = readAll(t, "testdata/martyrs.jsonl", nil)
	if f.Format != "jsonl" || len(good) != 2 {
		t.Fatalf("jsonl: format %s, good %v", f.Format, keys(good))
	}
	if z := good["郑国强"]; z.ID != "m-J-1" || z.Extra["来源"] != "县志" || z.Died.ToMonth != 12 {
		t.Errorf("郑国强 = %+v", z)
	}
	if len(bad) != 2 || !strings.Contains(bad[0], "martyrs.jsonl:3: 不是有效的 JSON 对象") ||
		!strings.Contains(bad[1], "martyrs.jsonl:4: 列「牺牲时间」: 日期「1951年13月」无法识别") {
		t.Errorf("jsonl bad = %q", bad)
	}
}

func TestReadMartyrsXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "名录.xlsx")
	wb := excelize.NewFile()
	sw, err := wb.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"姓名", "籍贯", "牺牲时间", "墓位", "编号"},
		{"黄继光", "四川省中江县", "1952年10月", "1排1号", "X1"},
		{"邱少云", "重庆市铜梁县", "1952.10", "", "X2"},
		{"", "", "1952", "", "X3"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := wb.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f, good, bad := readAll(t, path, nil)
	if f.Format != "xlsx" || len(good) != 2 || good["黄继光"].Grave.Number != "1" || good["邱少云"].ID != "m-X2" {
		t.Errorf("xlsx: %s %+v", f.Format, good)
	}
	if len(bad) != 1 || !strings.HasSuffix(bad[0], "名录.xlsx[Sheet1]:4: 列「姓名」: 姓名为空 / the name is empty") {
		t.Errorf("xlsx bad = %q", bad)
	}
}

func TestOpenMartyrsFatal(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := OpenMartyrs(write("noname.csv", []byte("籍贯,编号\n胶县,1\n")), nil); !errors.Is(err, ErrNoNameColumn) || !strings.Contains(err.Error(), "没有「姓名」列") {
		t.Errorf("no name column: %v", err)
	}
	if _, err := OpenMartyrs(write("latin1.csv", []byte("姓名\n\xff\xfe\x00A\n")), nil); !errors.Is(err, ErrEncoding) {
		t.Errorf("UTF-16: %v", err)
	}
	if _, err := OpenMartyrs(write("bad.csv", []byte("name\nab\x80\x80\xff\xfe\n")), nil); !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), "既不是 UTF-8 也不是 GB18030") {
		t.Errorf("neither encoding: %v", err)
	}
}

func TestMartyrIDStable(t *testing.T) {
	a := store.Martyr{Name: "李大山", HometownText: "山东 胶县", Died: store.Date{Year: 1951, Text: "1951"}}
	b := a
	b.HometownText = "山东胶县"
	b.Died.Text = "1951年"
	if MartyrID(a) != MartyrID(b) {
		t.Errorf("ids differ for the same person written two ways: %s %s", MartyrID(a), MartyrID(b))
	}
	b.Died.Year = 1952
	if MartyrID(a) == MartyrID(b) {
		t.Error("different death year, same id")
	}
}
