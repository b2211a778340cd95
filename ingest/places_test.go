package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/guigen/guigen/store"
)

// placesSmallWant is what testdata/places_areacodes.csv, a made-up
// province, must give. Rows of 1981, the table's first year, have From 0.
var placesSmallWant = []store.Place{
	{ID: "910000-1981", Code: "910000", Name: "北岭省", Level: store.LevelProvince},
	{ID: "910100-1981", Code: "910100", Name: "安平地区", Level: store.LevelPrefecture, ParentID: "910000-1981", To: 1985,
		ReplacedBy: []store.PlaceChange{{ToID: "910200-1985", Year: 1985, Kind: "upgrade"}}},
	{ID: "910121-1981", Code: "910121", Name: "石门县", Level: store.LevelCounty, ParentID: "910100-1981", To: 1985,
		ReplacedBy: []store.PlaceChange{{ToID: "910221-1985", Year: 1985, Kind: "rename"}}},
	{ID: "910122-1981", Code: "910122", Name: "柳县", Level: store.LevelCounty, ParentID: "910100-1981", To: 1985,
		ReplacedBy: []store.PlaceChange{{ToID: "910222-1985", Year: 1985, Kind: "rename"}}},
	{ID: "910123-1981", Code: "910123", Name: "河口县", Level: store.LevelCounty, ParentID: "910100-1981", To: 1985,
		ReplacedBy: []store.PlaceChange{{ToID: "910223-1985", Year: 1985, Kind: "split"}, {ToID: "910224-1985", Year: 1985, Kind: "split"}}},
	{ID: "910200-1985", Code: "910200", Name: "安平市", Level: store.LevelPrefecture, ParentID: "910000-1981", From: 1985},
	{ID: "910201-1985", Code: "910201", Name: "东区", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 2001,
		ReplacedBy: []store.PlaceChange{{ToID: "910203-2001", Year: 2001, Kind: "merge"}}},
	{ID: "910202-1985", Code: "910202", Name: "西区", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 2001,
		ReplacedBy: []store.PlaceChange{{ToID: "910203-2001", Year: 2001, Kind: "merge"}}},
	{ID: "910203-2001", Code: "910203", Name: "中心区", Level: store.LevelCounty, ParentID: "910200-1985", From: 2001},
	{ID: "910221-1985", Code: "910221", Name: "石门县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 1992,
		ReplacedBy: []store.PlaceChange{{ToID: "910281-1992", Year: 1992, Kind: "upgrade"}}},
	{ID: "910222-1985", Code: "910222", Name: "柳县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 1990,
		ReplacedBy: []store.PlaceChange{{ToID: "910282-1990", Year: 1990, Kind: "upgrade"}}},
	{ID: "910223-1985", Code: "910223", Name: "南河县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985},
	{ID: "910224-1985", Code: "910224", Name: "北河县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 1995,
		ReplacedBy: []store.PlaceChange{{ToID: "910223-1985", Year: 1995, Kind: "merge"}}},
	{ID: "910225-1990", Code: "910225", Name: "新名县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1990},
	{ID: "910225-1985", Code: "910225", Name: "旧名县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 1990,
		ReplacedBy: []store.PlaceChange{{ToID: "910225-1990", Year: 1990, Kind: "rename"}}},
	{ID: "910226-2010", Code: "910226", Name: "红旗区", Level: store.LevelCounty, ParentID: "910200-1985", From: 2010},
	{ID: "910226-1985", Code: "910226", Name: "青松县", Level: store.LevelCounty, ParentID: "910200-1985", From: 1985, To: 1988,
		ReplacedBy: []store.PlaceChange{{ToID: "910223-1985", Year: 1988, Kind: "merge"}}},
	{ID: "910281-1992", Code: "910281", Name: "石门市", Level: store.LevelCounty, ParentID: "910200-1985", From: 1992},
	// Still in use, it gave part of its land to 中心区: a partial split.
	{ID: "910282-1990", Code: "910282", Name: "柳川市", Level: store.LevelCounty, ParentID: "910200-1985", From: 1990,
		PartTo: []store.PlaceChange{{ToID: "910203-2001", Year: 2001, Kind: "split"}}},
	{ID: "910300-1990", Code: "910300", Name: "松江市", Level: store.LevelPrefecture, ParentID: "910000-1981", From: 1990},
	// 变更 with an empty 新代码: the row its code goes on in succeeds it.
	{ID: "910300-1981", Code: "910300", Name: "松江地区", Level: store.LevelPrefecture, ParentID: "910000-1981", To: 1990,
		ReplacedBy: []store.PlaceChange{{ToID: "910300-1990", Year: 1990, Kind: "upgrade"}}},
	// The county's parent is the prefecture as it was in its first year.
	{ID: "910321-1990", Code: "910321", Name: "三江县", Level: store.LevelCounty, ParentID: "910300-1990", From: 1990},
	{ID: "910321-1981", Code: "910321", Name: "三江县", Level: store.LevelCounty, ParentID: "910300-1981", To: 1990,
		ReplacedBy: []store.PlaceChange{{ToID: "910321-1990", Year: 1990, Kind: "other"}}},
	// 直辖: no prefecture row, so the province.
	{ID: "919001-1988", Code: "919001", Name: "白山市", Level: store.LevelCounty, ParentID: "910000-1981", From: 1988},
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode GBK: %v", err)
	}
	return b
}

// TestReadPlacesAreaCodes reads the same small table in each encoding
// and expects the same places, every field.
func TestReadPlacesAreaCodes(t *testing.T) {
	src := readTestdata(t, "places_areacodes.csv")
	tests := []struct {
		name     string
		input    []byte
		encoding string
	}{
		{"utf8", src, EncodingUTF8},
		{"utf8 bom", append([]byte("\ufeff"), src...), EncodingUTF8BOM},
		{"gbk", gbk(t, string(src)), EncodingGB18030},
		{"crlf", bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")), EncodingUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadPlaces(bytes.NewReader(tt.input), "testdata/places_areacodes.csv")
			if err != nil {
				t.Fatalf("ReadPlaces: %v", err)
			}
			if f.Format != PlacesAreaCodes || f.Encoding != tt.encoding || f.Name != "places_areacodes.csv" {
				t.Errorf("format %v, encoding %q, name %q; want areacodes, %q, places_areacodes.csv", f.Format, f.Encoding, f.Name, tt.encoding)
			}
			if err := f.Err(); err != nil {
				t.Errorf("row errors: %v", err)
			}
			if f.InferredChanges != 1 {
				t.Errorf("InferredChanges = %d, want 1 (松江地区 has no 新代码)", f.InferredChanges)
			}
			if f.Rows != len(placesSmallWant) {
				t.Errorf("Rows = %d, want %d", f.Rows, len(placesSmallWant))
			}
			if len(f.Places) != len(placesSmallWant) {
				t.Fatalf("got %d places, want %d", len(f.Places), len(placesSmallWant))
			}
			for i := range placesSmallWant {
				if !reflect.DeepEqual(f.Places[i], placesSmallWant[i]) {
					t.Errorf("place %d:\n got %+v\nwant %+v", i, f.Places[i], placesSmallWant[i])
				}
			}
			b := &store.Batch{Places: f.Places}
			refs, err := b.Validate()
			if err != nil || len(refs) != 0 {
				t.Errorf("Validate: refs %v, err %v; want none", refs, err)
			}
		})
	}
}

// TestReadPlacesBadRows checks each kind of bad row gives its exact
// message, that good rows around them survive, and that an unusable
// successor or parent only drops the link.
func TestReadPlacesBadRows(t *testing.T) {
	f, err := ReadPlaces(bytes.NewReader(readTestdata(t, "places_bad.csv")), "places_bad.csv")
	if err != nil {
		t.Fatalf("ReadPlaces: %v", err)
	}
	want := []string{
		"places_bad.csv:4: 列「级别」: 级别「乡级」未知，应为省级、地级或县级 / unknown level, want 省级, 地级 or 县级",
		"places_bad.csv:5: 列「启用时间」: 年份「19x1」无效 / invalid year",
		"places_bad.csv:6: 列「代码」: 缺少代码 / missing code",
		"places_bad.csv:7: 列「新代码」: 新代码「910199」不在表中 / unknown successor code",
		"places_bad.csv:8: 列「变更/弃用时间」: 状态为弃用，却缺少变更/弃用时间 / a changed or retired place has no end year",
		"places_bad.csv:10: 列「代码」: 代码「910126」启用于 1981 的记录与第 9 行重复 / duplicate of an earlier row with the same code and start year",
		"places_bad.csv:11: 列「代码」: 代码「91012」不是六位数字 / code is not six digits",
		"places_bad.csv:12: 列「新代码」: 新代码「910126[1970]」的年份不在 1981–1990 之内 / successor year outside the years the place was in use",
		"places_bad.csv:13: 列「新代码」: 在用地名的新代码「910126」须带 [年份] / a successor of a place still in use needs a [year]",
		"places_bad.csv:14: 有 7 列，应为 9 列 / 7 fields, want 9",
		"places_bad.csv:15: 列「名称」: 缺少名称 / missing name",
		"places_bad.csv:16: 列「状态」: 状态「废止」未知，应为在用、变更或弃用 / unknown status, want 在用, 变更 or 弃用",
		"places_bad.csv:17: 列「变更/弃用时间」: 变更/弃用时间 1985 不晚于启用时间 1990 / end year is not after the start year",
		"places_bad.csv:18: 列「代码」: 上级代码「910300」不在表中 / the parent code has no row",
		"places_bad.csv:19: 列「新代码」: 新代码「910126[1990」格式错误，应为六位代码，可带 [年份] / malformed successor, want a six-digit code, optionally with [year]",
		`places_bad.csv:20: CSV 格式错误: extraneous or missing " in quoted-field / malformed CSV: extraneous or missing " in quoted-field`,
		"places_bad.csv:21: 列「代码」: 地级代码「910134」应以 00 结尾且不以 0000 结尾 / a prefecture code must end in 00 but not 0000",
	}
	var got []string
	for _, e := range f.Errors {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if f.Rows != 21 {
		t.Errorf("Rows = %d, want 21", f.Rows)
	}
	var ids []string
	byID := map[string]store.Place{}
	for _, p := range f.Places {
		ids = append(ids, p.ID)
		byID[p.ID] = p
	}
	wantIDs := []string{"910000-1981", "910100-1981", "910124-1981", "910126-1981", "910321-1981", "910135-1981"}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("places %v, want %v", ids, wantIDs)
	}
	if p := byID["910124-1981"]; len(p.ReplacedBy) != 0 || p.To != 1990 {
		t.Errorf("丁县 kept as %+v; want To 1990 and no successor", p)
	}
	if p := byID["910321-1981"]; p.ParentID != "910000-1981" {
		t.Errorf("寅县 parent %q; want the province when its prefecture has no row", p.ParentID)
	}
	if err := f.Err(); err == nil || !strings.Contains(err.Error(), "places_bad.csv:4:") {
		t.Errorf("Err() = %v; want the joined row errors", err)
	}
}

func TestReadPlacesErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Join(placesAreaCodesHeader, ",") + "\n")
	for range MaxPlaceRowErrors + 5 {
		b.WriteString("910121,北岭省,直辖,甲县,乡级,在用,1981,,\n")
	}
	b.WriteString("910000,北岭省,,北岭省,省级,在用,1981,,\n")
	f, err := ReadPlaces(strings.NewReader(b.String()), "many.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != MaxPlaceRowErrors || f.ErrorsOmitted != 5 {
		t.Errorf("kept %d errors and omitted %d; want %d and 5", len(f.Errors), f.ErrorsOmitted, MaxPlaceRowErrors)
	}
	if len(f.Places) != 1 || f.Places[0].ID != "910000-1981" {
		t.Errorf("places %+v; want the one good row after the bad ones", f.Places)
	}
	if err := f.Err(); err == nil || !strings.Contains(err.Error(), "另有 5 个错误未列出 / 5 more errors not listed") {
		t.Errorf("Err() does not count the omitted errors: %v", err)
	}
}

func TestReadPlacesFatal(t *testing.T) {
	tests := []struct {
		name    string
		input   []byte
		wantIs  error
		wantMsg string
	}{
		{"unknown header", []byte("姓名,籍贯\n张三,胶县\n"), ErrPlacesHeader, "表头「姓名,籍贯」不是地名表"},
		{"missing column", []byte("名称,代码,启用时间,弃用时间\n"), ErrPlacesHeader, "header is neither format"},
		{"duplicate column", []byte("名称,代码,启用时间,弃用时间,名称\n"), ErrPlacesHeader, "header is neither format"},
		{"empty", nil, ErrPlacesHeader, "文件为空 / the file is empty"},
		{"latin1", []byte("\xe9t\xe9,code\n"), ErrEncoding, "neither UTF-8 nor GB18030/GBK"},
		{"utf16", []byte("\xff\xfe\x00\x4e"), ErrEncoding, "UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPlaces(bytes.NewReader(tt.input), "x.csv")
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v; want errors.Is %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "x.csv") {
				t.Errorf("err = %q; want it to name the file and say %q", err, tt.wantMsg)
			}
		})
	}
}

// TestReadPlacesColumnOrder: the header decides, not the column order.
func TestReadPlacesColumnOrder(t *testing.T) {
	in := "名称,级别,代码,状态,启用时间,变更/弃用时间,新代码,一级行政区,二级行政区\n" +
		"北岭省,省级,910000,在用,1981,,,北岭省,\n"
	f, err := ReadPlaces(strings.NewReader(in), "reordered.csv")
	if err != nil || f.Err() != nil {
		t.Fatalf("ReadPlaces: %v, %v", err, f.Err())
	}
	want := []store.Place{{ID: "910000-1981", Code: "910000", Name: "北岭省", Level: store.LevelProvince}}
	if !reflect.DeepEqual(f.Places, want) {
		t.Errorf("got %+v, want %+v", f.Places, want)
	}
}

func TestMergeOtherNames(t *testing.T) {
	f, err := ReadPlaces(bytes.NewReader(readTestdata(t, "places_areacodes.csv")), "places_areacodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	names, err := ReadPlaces(bytes.NewReader(gbk(t, string(readTestdata(t, "places_othernames.csv")))), "places_othernames.csv")
	if err != nil {
		t.Fatal(err)
	}
	if names.Format != PlacesOtherNames || names.Encoding != EncodingGB18030 || names.Err() != nil {
		t.Fatalf("format %v, encoding %q, errors %v", names.Format, names.Encoding, names.Err())
	}
	if len(names.OtherNames) != 8 {
		t.Fatalf("got %d other names, want 8", len(names.OtherNames))
	}
	errs := MergeOtherNames(f.Places, names.OtherNames)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	wantErrs := []string{"places_othernames.csv:8: 列「代码」: 代码「999999」不在地名表中 / code not in the gazetteer"}
	if !reflect.DeepEqual(got, wantErrs) {
		t.Errorf("errors %q, want %q", got, wantErrs)
	}
	want := map[string][]store.PlaceName{
		"910281-1992": {
			{Name: "石门", Kind: "informal", Source: "当地俗称"},
			{Name: "石們市", Kind: "misspelled", Source: "误写（們）"},
		},
		// The code's place in use in 1987, not the later 红旗区.
		"910226-1985": {{Name: "古松县", Kind: "historical", To: 1987, Source: "旧称"}},
		// Older than every place with the code: the earliest.
		"910225-1985": {{Name: "老名县", Kind: "historical", To: 1960, Source: "1960 年前的旧称"}},
		// No note: historical, and the file is the source.
		"910223-1985": {{Name: "南河镇", Kind: "historical", From: 1950, To: 1958, Source: "places_othernames.csv"}},
		// No years: the latest place with the code.
		"910226-2010": {{Name: "红旗", Kind: "informal", Source: "俗称"}},
		// A place id instead of a code.
		"910122-1981": {{Name: "柳镇", Kind: "historical", To: 1970, Source: "县志"}},
	}
	for _, p := range f.Places {
		if !reflect.DeepEqual(p.OtherNames, want[p.ID]) {
			t.Errorf("%s %s other names\n got %+v\nwant %+v", p.ID, p.Name, p.OtherNames, want[p.ID])
		}
	}
	// Merging again adds nothing.
	MergeOtherNames(f.Places, names.OtherNames)
	if n := len(f.Places[slicesIndexID(f.Places, "910281-1992")].OtherNames); n != 2 {
		t.Errorf("after a second merge 石门市 has %d other names, want 2", n)
	}
}

func slicesIndexID(ps []store.Place, id string) int {
	for i, p := range ps {
		if p.ID == id {
			return i
		}
	}
	return -1
}

func TestReadPlacesOtherNamesBadRows(t *testing.T) {
	f, err := ReadPlaces(bytes.NewReader(readTestdata(t, "places_othernames_bad.csv")), "places_othernames_bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"places_othernames_bad.csv:2: 列「名称」: 缺少名称 / missing name",
		"places_othernames_bad.csv:3: 列「代码」: 缺少代码 / missing code",
		"places_othernames_bad.csv:4: 列「代码」: 代码「9102」应为六位代码或地名 id（如 370224-1981） / code must be six digits or a place id such as 370224-1981",
		"places_othernames_bad.csv:5: 列「弃用时间」: 弃用时间 1950 早于启用时间 1960 / end year is before the start year",
		"places_othernames_bad.csv:6: 列「启用时间」: 年份「一九五〇」无效 / invalid year",
		"places_othernames_bad.csv:7: 列「代码」: 代码「910281-81」应为六位代码或地名 id（如 370224-1981） / code must be six digits or a place id such as 370224-1981",
	}
	var got []string
	for _, e := range f.Errors {
		got = append(got, e.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	wantNames := []OtherPlaceName{{File: "places_othernames_bad.csv", Line: 8, Code: "910281",
		Name: store.PlaceName{Name: "石门", Kind: "historical", From: 1950, To: 1960, Source: "旧称"}}}
	if !reflect.DeepEqual(f.OtherNames, wantNames) {
		t.Errorf("names %+v, want %+v", f.OtherNames, wantNames)
	}
}
