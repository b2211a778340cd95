package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

func parseFile(t *testing.T, path string) *ingest.GEDFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ingest.ParseGEDCOM(bytes.NewReader(b), path)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return f
}

func demoStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guigen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseGEDCOMSamples(t *testing.T) {
	for _, tc := range []struct {
		file                 string
		version              string
		major                int
		indis, fams, sources int
	}{
		{"testdata/wang_family_551.ged", "5.5.1", 5, 6, 2, 1},
		{"testdata/liu_family_70.ged", "7.0", 7, 6, 3, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f := parseFile(t, tc.file)
			if f.Version != tc.version || f.Major != tc.major || f.Encoding != "UTF-8" {
				t.Errorf("version %q major %d encoding %q", f.Version, f.Major, f.Encoding)
			}
			if len(f.Errors) != 0 {
				t.Errorf("errors: %v", f.Errors)
			}
			count := map[string]int{}
			for _, r := range f.Records {
				count[r.Tag]++
			}
			if count["INDI"] != tc.indis || count["FAM"] != tc.fams || count["SOUR"] != tc.sources {
				t.Errorf("records %v", count)
			}
		})
	}
	// CONC joins without a break, CONT with one; a pointer NOTE resolves.
	f := parseFile(t, "testdata/wang_family_551.ged")
	note := f.ByXref["I1"].Child("NOTE").Value
	if want := "1945年参加八路军，家中只知道他在华东野战军，孟良崮战役后再无音讯。\n1951年家中收到革命烈士证明书，后遗失。"; note != want {
		t.Errorf("note %q, want %q", note, want)
	}
	if v := f.ByXref["N1"].Value; v != "族谱卷三记德胜“参军未归”，未记牺牲地。" {
		t.Errorf("shared note %q", v)
	}
}

func TestGEDCOMNamesAndDates(t *testing.T) {
	for _, tc := range []struct{ value, surn, givn, want string }{
		{"/王/德胜", "", "", "王德胜"},
		{"王/德胜/", "王", "德胜", "王德胜"}, // SURN and GIVN win for a Chinese name
		{"德胜 /王/", "", "", "王德胜"},
		{"/欧阳/振华", "", "", "欧阳振华"},
		{"/刘/ 喜子", "", "", "刘喜子"},
		{"John /Smith/ Jr", "", "", "John Smith Jr"},
		{"", "王", "德胜", "王德胜"},
	} {
		if got := ingest.GEDCOMName(tc.value, tc.surn, tc.givn); got != tc.want {
			t.Errorf("GEDCOMName(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
	for _, tc := range []struct {
		value, phrase string
		want          store.Date
	}{
		{"15 MAY 1947", "", store.Date{Year: 1947, Month: 5, Day: 15, Text: "15 MAY 1947"}},
		{"AUG 1921", "", store.Date{Year: 1921, Month: 8, Text: "AUG 1921"}},
		{"ABT 1898", "", store.Date{Year: 1898, Text: "ABT 1898"}},
		{"BEF 1970", "", store.Date{Text: "BEF 1970"}},
		{"BET MAR 1951 AND MAY 1951", "1951年春", store.Date{Year: 1951, Month: 3, ToYear: 1951, ToMonth: 5, Text: "1951年春"}},
		{"FROM 1950 TO 1953", "", store.Date{Year: 1950, ToYear: 1953, Text: "FROM 1950 TO 1953"}},
		{"@#DGREGORIAN@ 3 OCT 1952", "", store.Date{Year: 1952, Month: 10, Day: 3, Text: "@#DGREGORIAN@ 3 OCT 1952"}},
		{"JULIAN 1 JAN 1700", "", store.Date{Text: "JULIAN 1 JAN 1700"}},
		{"1951年10月", "", store.Date{Year: 1951, Month: 10, Text: "1951年10月"}},
		{"", "不详", store.Date{Text: "不详"}},
		{"INT 1948 (民国三十七年)", "", store.Date{Year: 1948, Text: "INT 1948 (民国三十七年)"}},
	} {
		if got := ingest.ParseGEDCOMDate(tc.value, tc.phrase); got != tc.want {
			t.Errorf("ParseGEDCOMDate(%q, %q) = %+v, want %+v", tc.value, tc.phrase, got, tc.want)
		}
	}
	// What FormatGEDCOMDate writes, ParseGEDCOMDate reads back whole.
	for _, d := range []store.Date{
		{Year: 1951, Month: 10, Day: 3, Text: "1951年10月3日"}, {Year: 1926, Text: "1926年"},
		{Year: 1951, Month: 7, ToYear: 1951, ToMonth: 9, Text: "1951年秋"}, {Text: "不详"}, {Year: 1940, Month: 7},
	} {
		v, p := ingest.FormatGEDCOMDate(d)
		got := ingest.ParseGEDCOMDate(v, p)
		if d.Text == "" {
			got.Text = ""
		}
		if got != d {
			t.Errorf("date %+v → %q/%q → %+v", d, v, p, got)
		}
	}
}

func TestMapGEDCOM551ProposesTheMatchingMartyr(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	f := parseFile(t, "testdata/wang_family_551.ged")
	g, err := ingest.MapGEDCOM(ctx, f, s, ingest.GEDCOMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Errors) != 0 {
		t.Errorf("errors: %v", g.Errors)
	}
	// Three men called 王德胜 are registered; only m-0002 (胶县大屯村,
	// died 1947) agrees with the tree, m-0003 (平度) and m-0004 (即墨,
	// died 1943) disagree.
	if len(g.Proposals) != 1 || g.Proposals[0].MartyrID != demo.MartyrWangDesheng1 || g.Proposals[0].Xref != "I1" {
		t.Fatalf("proposals %+v, want one for @I1@ → %s", g.Proposals, demo.MartyrWangDesheng1)
	}
	if len(g.Linked) != 0 || len(g.Batch.Kinships) != 0 {
		t.Errorf("an unconfirmed match must not link: linked %v, kinships %d", g.Linked, len(g.Batch.Kinships))
	}
	people := map[string]store.Person{}
	for _, p := range g.Batch.People {
		people[p.Name] = p
	}
	if len(people) != 6 {
		t.Fatalf("people %v", slices.Collect(func(yield func(string) bool) {
			for k := range people {
				if !yield(k) {
					return
				}
			}
		}))
	}
	wdz := people["王德胜"]
	if wdz.ID != "gp-"+g.Tree+"-i1" || wdz.Living || wdz.Born.Year != 1921 || wdz.Died != (store.Date{Year: 1947, Month: 5, Day: 15, Text: "15 MAY 1947"}) {
		t.Errorf("王德胜 %+v", wdz)
	}
	if !strings.Contains(wdz.Notes, "王得胜") || !strings.Contains(wdz.Notes, "孟良崮战役后再无音讯") {
		t.Errorf("notes %q", wdz.Notes)
	}
	if p := people["王建国"]; !p.Living || p.HometownText != "山东省胶州市李哥庄镇大屯村" {
		t.Errorf("王建国 %+v", p)
	}
	var kinds []string
	for _, r := range g.Batch.Records {
		kinds = append(kinds, string(r.Kind)+":"+r.Title)
		if strings.HasPrefix(r.Title, "《王氏族谱》") && (r.Institution != "大屯村王氏宗祠" || !slices.Contains(r.PersonIDs, wdz.ID)) {
			t.Errorf("族谱 record %+v", r)
		}
	}
	if len(g.Batch.Records) != 3 {
		t.Errorf("records %v, want the file, 《王氏族谱》 and the inline oral source", kinds)
	}
	if _, err := g.Batch.Validate(); err != nil {
		t.Fatal(err)
	}
	// Same file, same ids: mapping twice gives the same batch.
	again, _ := ingest.MapGEDCOM(ctx, parseFile(t, "testdata/wang_family_551.ged"), s, ingest.GEDCOMOptions{})
	if again.Tree != g.Tree || len(again.Batch.People) != len(g.Batch.People) || again.Batch.People[0].ID != g.Batch.People[0].ID {
		t.Errorf("ids not stable")
	}
}

func TestMapGEDCOM70LinksMartyrAndDerivesKinships(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	g, err := ingest.MapGEDCOM(ctx, parseFile(t, "testdata/liu_family_70.ged"), s, ingest.GEDCOMOptions{Tree: "liu-houtun"})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Errors) != 0 {
		t.Errorf("errors %v", g.Errors)
	}
	if g.Linked["I1"] != demo.MartyrLiuDeshan {
		t.Fatalf("linked %v", g.Linked)
	}
	names := map[string]string{}
	for _, p := range g.Batch.People {
		names[p.ID] = p.Name
	}
	if len(g.Batch.People) != 5 {
		t.Errorf("people %v: the martyr is not a person", names)
	}
	got := map[string]string{}
	for _, k := range g.Batch.Kinships {
		if k.MartyrID != demo.MartyrLiuDeshan || k.Status != store.KinClaimed {
			t.Errorf("kinship %+v", k)
		}
		got[names[k.PersonID]] = string(k.Relation) + "/" + string(k.Line)
	}
	want := map[string]string{
		"刘广田": "father/paternal", "刘德福": "brother/paternal", "刘桂兰": "sister/maternal",
		"刘国强": "nephew/paternal", "秀芝": "niece/maternal", // from the ASSO 外甥女, the line from the families
	}
	for name, rel := range want {
		if got[name] != rel {
			t.Errorf("%s: %q, want %q (all %v)", name, got[name], rel, got)
		}
	}
	fields := map[string]string{}
	for _, a := range g.Batch.Assertions {
		fields[a.Field] = a.Value
		if len(a.Citations) == 0 {
			t.Errorf("assertion %s cites nothing", a.ID)
		}
	}
	if fields["name"] != "刘德喜" || fields["died"] != "DEC 1948" || fields["hometown"] != "胶县九龙公社后屯村" {
		t.Errorf("assertions %v", fields)
	}
	if len(g.Proposals) != 0 {
		t.Errorf("proposals %+v", g.Proposals)
	}
}

func TestGEDCOMBadInputNamesTheLine(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	f := parseFile(t, "testdata/bad.ged")
	g, err := ingest.MapGEDCOM(ctx, f, s, ingest.GEDCOMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range append(f.Errors, g.Errors...) {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"testdata/bad.ged:15: 层级从 1 跳到 3",
		"testdata/bad.ged:17: 行格式错误：层级 \"X\" 无效",
		"testdata/bad.ged:10: 列「SOUR」: 引用的来源 @S9@ 不存在",
		"testdata/bad.ged:11: 列「NAME」: 个人 @I2@ 没有姓名",
		"testdata/bad.ged:21: 列「QUAY」: QUAY \"5\" 应为 0-3",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
	// The good individuals still map.
	var names []string
	for _, p := range g.Batch.People {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"张玉山", "张玉海"}) {
		t.Errorf("people %v", names)
	}
}

func TestGEDCOMEncodings(t *testing.T) {
	src, err := os.ReadFile("testdata/wang_family_551.ged")
	if err != nil {
		t.Fatal(err)
	}
	withChar := func(cs string) []byte { return bytes.Replace(src, []byte("1 CHAR UTF-8"), []byte("1 CHAR "+cs), 1) }
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(withChar("UNICODE"))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes(withChar("UNICODE"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes(withChar("GBK"))
	ascii := []byte("0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR ASCII\n0 @I1@ INDI\n1 NAME Wang /Desheng/\n0 TRLR\n")
	for _, tc := range []struct {
		name    string
		data    []byte
		enc     string
		wantErr string
	}{
		{"utf-16le with BOM", utf16le, "UTF-16LE", ""},
		{"utf-16be without BOM", utf16be, "UTF-16BE", ""},
		{"gbk", gbk, "GB18030", ""},
		{"ascii", ascii, "ASCII", ""},
		{"ansel with high bytes", withChar("ANSEL"), "", "x.ged:3: 文件声明 CHAR ANSEL（第 12 行），但含非 ASCII 字符"},
		{"ascii declared, utf-8 inside", withChar("ASCII"), "", "不支持 ANSEL 扩展字符"},
		{"big5", withChar("BIG5"), "", "x.ged:12: 不支持的字符集 CHAR \"BIG5\""},
		{"utf-8 declared, gbk inside", bytes.Replace(gbk, []byte("CHAR GBK"), []byte("CHAR UTF-8"), 1), "", "x.ged:3: 不是有效的 UTF-8"},
		{"not gedcom", []byte("姓名,籍贯\n王德胜,胶县\n"), "", "x.ged:1: 不是 GEDCOM 文件"},
		{"version 4", []byte("0 HEAD\n1 GEDC\n2 VERS 4.0\n0 TRLR\n"), "", "x.ged:3: 不支持的 GEDCOM 版本 \"4.0\""},
		{"no version", []byte("0 HEAD\n1 CHAR UTF-8\n0 TRLR\n"), "", "x.ged:1: HEAD 中没有 GEDC.VERS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ingest.ParseGEDCOM(bytes.NewReader(tc.data), "x.ged")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.enc {
				t.Errorf("encoding %q, want %q", f.Encoding, tc.enc)
			}
			if tc.enc != "ASCII" && ingest.GEDCOMName(f.ByXref["I1"].Val("NAME"), "", "") != "王德胜" {
				t.Errorf("name %q", f.ByXref["I1"].Val("NAME"))
			}
		})
	}
	if _, err := ingest.ParseGEDCOM(bytes.NewReader(withChar("BIG5")), "x.ged"); !errors.Is(err, ingest.ErrEncoding) {
		t.Errorf("BIG5 error does not wrap ErrEncoding: %v", err)
	}
}

func TestGEDCOMExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := demoStore(t)
	var buf bytes.Buffer
	n, err := ingest.WriteGEDCOM(ctx, s, &buf, ingest.GEDCOMExportOptions{PageSize: 33})
	if err != nil {
		t.Fatal(err)
	}
	b := demo.Batch()
	if n.Individuals != len(b.Martyrs)+len(b.People) || n.Sources != len(b.Records) || n.Families == 0 {
		t.Errorf("counts %+v", n)
	}
	var again bytes.Buffer
	if _, err := ingest.WriteGEDCOM(ctx, s, &again, ingest.GEDCOMExportOptions{}); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("two exports differ (err %v)", err)
	}
	f, err := ingest.ParseGEDCOM(bytes.NewReader(buf.Bytes()), "guigen.ged")
	if err != nil {
		t.Fatal(err)
	}
	if f.Major != 7 || len(f.Errors) != 0 {
		t.Fatalf("own export: version %s, errors %v", f.Version, f.Errors)
	}
	g, err := ingest.MapGEDCOM(ctx, f, s, ingest.GEDCOMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Errors) != 0 {
		t.Errorf("errors %v", g.Errors)
	}
	if len(g.Linked) != len(b.Martyrs) {
		t.Errorf("linked %d martyrs, want %d", len(g.Linked), len(b.Martyrs))
	}
	if l := g.Batch.Len(); l != 0 || len(g.Proposals) != 0 {
		t.Errorf("re-importing Guigen's own GEDCOM would write %d entities (people %d, kinships %d, records %d, assertions %d) and %d proposals, want none",
			l, len(g.Batch.People), len(g.Batch.Kinships), len(g.Batch.Records), len(g.Batch.Assertions), len(g.Proposals))
	}
	if g.Kept != len(b.People)+len(b.Kinships)+len(b.Records) {
		t.Errorf("kept %d, want %d people + %d kinships + %d records", g.Kept, len(b.People), len(b.Kinships), len(b.Records))
	}

	// Into a store without those martyrs, the kinships come back from
	// the families and the ASSO relations, on the same person ids.
	empty, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close(ctx)
	g2, err := ingest.MapGEDCOM(ctx, f, empty, ingest.GEDCOMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g2.Batch.People) != len(b.People)+len(b.Martyrs) {
		t.Errorf("people %d, want %d relatives + %d martyrs as people", len(g2.Batch.People), len(b.People), len(b.Martyrs))
	}
	if err := empty.Apply(ctx, &g2.Batch); err != nil {
		t.Fatal(err)
	}
	byID := map[string]store.ArchivalRecord{}
	for _, r := range g2.Batch.Records {
		byID[r.ID] = r
	}
	for _, want := range b.Records {
		got, ok := byID[want.ID]
		if !ok || got.Title != want.Title || got.Kind != want.Kind || got.Date != want.Date ||
			got.Institution != want.Institution || got.Transcription != want.Transcription {
			t.Errorf("record %s through GEDCOM: %+v, want %+v", want.ID, got, want)
		}
	}
	got, err := store.GetPerson(ctx, empty, demo.PersonLiuGuoqiang)
	if err != nil || got.Name != "刘国强" || !got.Personal.IsZero() {
		t.Errorf("刘国强 in the new store: %+v %v (personal data must never travel in GEDCOM)", got, err)
	}
}
