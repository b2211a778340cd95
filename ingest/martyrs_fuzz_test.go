package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValues feeds one cell to every value parser of the register
// importer: none may panic, and what they accept must be valid.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"1951年10月", "1951.10", "1951-10-03", "一九五一年", "1951年秋", "不详", "男", "F",
		"1排12号", "三区2排5号", "马广宇(马广余)", "王 德 明", "ＷＡＮＧ", "", "年月日", "1951年13月", "九九九九年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDate(s); ok {
			if err := d.Validate(); err != nil {
				t.Errorf("ParseDate(%q) accepted an invalid date %+v: %v", s, d, err)
			}
		}
		ParseSex(s)
		ParseGrave(s)
		if name, variants, ok := ParseName(s); ok {
			if strings.TrimSpace(name) == "" || !utf8.ValidString(name) {
				t.Errorf("ParseName(%q) = %q", s, name)
			}
			for _, v := range variants {
				if strings.TrimSpace(v) == "" {
					t.Errorf("ParseName(%q): empty variant in %q", s, variants)
				}
			}
		}
	})
}

// FuzzMartyrsFile feeds whole files to the register reader, as CSV and as
// XLSX: every problem is an error naming the file (a row error names its
// line too), never a panic or a silent stop.
func FuzzMartyrsFile(f *testing.F) {
	for _, name := range []string{"martyrs_bom.csv", "martyrs_gbk.csv", "martyrs.tsv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte("姓名,籍贯\n\"王德明,胶县\n李,\"\"\n"), false)
	f.Add([]byte("PK\x03\x04garbage"), true)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		ext := ".csv"
		if xlsx {
			ext = ".xlsx"
		}
		path := filepath.Join(t.TempDir(), "名录"+ext)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mf, err := OpenMartyrs(path, nil)
		if err != nil {
			if !strings.Contains(err.Error(), "名录"+ext) {
				t.Errorf("open error does not name the file: %v", err)
			}
			return
		}
		defer mf.Close()
		for range 100000 {
			row, err := mf.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), "名录"+ext) {
					t.Errorf("read error does not name the file: %v", err)
				}
				return
			}
			for _, re := range row.Errors {
				if re.File != path || re.Line < 1 {
					t.Errorf("row error without file or line: %+v", re)
				}
			}
		}
		t.Fatal("more than 100000 rows from a fuzz input")
	})
}
