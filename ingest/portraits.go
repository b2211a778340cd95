package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/guigen/guigen/store"
)

// PortraitRow is one row of an exhibit's portrait manifest: the image
// file and what is known of the painting.
type PortraitRow struct {
	Line     int
	File     string // as written, relative to the images directory
	MartyrID string
	// The portrait's metadata; ID empty means derived from the content.
	ID, Artist, BasedOn, AccessionNo, Archive, Rights, CaptionZH, CaptionEN string
	Painted                                                                 store.Date
	Revision                                                                int
	RevisionHistory                                                         []string
	Reconstruction, FamilyConsent, Published                                bool
	Errors                                                                  []*RowError
	// Cells are the row as read, for the rejects file.
	Cells []string
}

// portraitColumns maps the manifest headers, Chinese or English, to
// fields.
var portraitColumns = map[string]string{
	"文件": "file", "file": "file", "图像": "file", "image": "file",
	"烈士编号": "martyr_id", "martyr_id": "martyr_id", "martyr": "martyr_id",
	"画像编号": "id", "id": "id",
	"作者": "artist", "画家": "artist", "artist": "artist",
	"创作时间": "painted", "painted": "painted",
	"依据": "based_on", "based_on": "based_on",
	"修订": "revision", "修订次数": "revision", "revision": "revision",
	"修订记录": "revision_history", "revision_history": "revision_history",
	"复原": "reconstruction", "复原画像": "reconstruction", "reconstruction": "reconstruction",
	"馆藏号": "accession_no", "accession_no": "accession_no",
	"收藏机构": "archive", "archive": "archive",
	"版权": "rights", "rights": "rights",
	"中文说明": "caption_zh", "caption_zh": "caption_zh",
	"英文说明": "caption_en", "caption_en": "caption_en",
	"家属同意": "family_consent", "family_consent": "family_consent",
	"发布": "published", "published": "published",
}

// PortraitManifest reads an exhibit's manifest (CSV, UTF-8 or GB18030).
type PortraitManifest struct {
	path   string
	r      *csv.Reader
	header []string
	col    map[string]int
	line   int
}

// OpenPortraitManifest reads the header; 文件/file and 烈士编号/martyr_id
// are required.
func OpenPortraitManifest(r io.Reader, path string) (*PortraitManifest, error) {
	dec, _, err := DecodeReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &PortraitManifest{path: path, r: csv.NewReader(dec), col: map[string]int{}}
	m.r.FieldsPerRecord = -1
	m.r.ReuseRecord = false
	h, err := m.r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: 无法读取表头 / cannot read the header: %w", path, err)
	}
	m.line = 1
	m.header = h
	for i, name := range h {
		key := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if f, ok := portraitColumns[key]; ok {
			if _, dup := m.col[f]; dup {
				return nil, fmt.Errorf("%s:1: 列 %q 重复 / column %q appears twice", path, name, name)
			}
			m.col[f] = i
		}
	}
	for _, need := range []string{"file", "martyr_id"} {
		if _, ok := m.col[need]; !ok {
			return nil, fmt.Errorf("%s:1: 缺少必需列 %s / missing required column %s (文件/file, 烈士编号/martyr_id)", path, need, need)
		}
	}
	return m, nil
}

// Header is the manifest's header row as written.
func (m *PortraitManifest) Header() []string { return m.header }

// Next returns the next row, with its errors; io.EOF at the end.
func (m *PortraitManifest) Next() (PortraitRow, error) {
	rec, err := m.r.Read()
	if errors.Is(err, io.EOF) {
		return PortraitRow{}, io.EOF
	}
	m.line++
	row := PortraitRow{Line: m.line, Cells: rec}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			m.line = pe.Line
			row.Line = pe.Line
			row.Errors = append(row.Errors, m.err(row.Line, "", "CSV 格式错误："+pe.Err.Error(), "malformed CSV"))
			return row, nil
		}
		return row, fmt.Errorf("%s:%d: %w", m.path, m.line, err)
	}
	cell := func(f string) string {
		i, ok := m.col[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	bad := func(f, zh, en string) {
		row.Errors = append(row.Errors, m.err(row.Line, m.header[m.col[f]], zh, en))
	}
	row.File, row.MartyrID, row.ID = cell("file"), cell("martyr_id"), cell("id")
	switch {
	case row.File == "":
		bad("file", "缺少图像文件名", "no image file")
	case filepath.IsAbs(row.File) || strings.Contains(filepath.ToSlash(row.File), "../") || row.File == "..":
		bad("file", "文件名须在图像目录内："+row.File, "the file must be inside the images directory")
	}
	if row.MartyrID == "" {
		bad("martyr_id", "缺少烈士编号", "no martyr id")
	}
	row.Artist, row.BasedOn, row.AccessionNo = cell("artist"), cell("based_on"), cell("accession_no")
	row.Archive, row.Rights, row.CaptionZH, row.CaptionEN = cell("archive"), cell("rights"), cell("caption_zh"), cell("caption_en")
	if v := cell("painted"); v != "" {
		if d, ok := ParseDate(v); ok {
			row.Painted = d
		} else {
			bad("painted", "无法识别的日期："+v, "unrecognised date")
		}
	}
	if v := cell("revision"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			row.Revision = n
		} else {
			bad("revision", "修订次数须为非负整数："+v, "revision must be a whole number")
		}
	}
	if v := cell("revision_history"); v != "" {
		for _, h := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '；' }) {
			if h = strings.TrimSpace(h); h != "" {
				row.RevisionHistory = append(row.RevisionHistory, h)
			}
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"reconstruction", &row.Reconstruction}, {"family_consent", &row.FamilyConsent}, {"published", &row.Published}} {
		v := cell(f.key)
		if v == "" {
			continue
		}
		b, ok := parseYesNo(v)
		if !ok {
			bad(f.key, "须为 是/否："+v, "must be yes or no")
			continue
		}
		*f.dst = b
	}
	if row.Published && !row.FamilyConsent {
		row.Errors = append(row.Errors, m.err(row.Line, m.colName("published"), "发布画像须有家属同意", "publishing needs the family's consent"))
	}
	return row, nil
}

func (m *PortraitManifest) colName(f string) string {
	if i, ok := m.col[f]; ok {
		return m.header[i]
	}
	return f
}

func (m *PortraitManifest) err(line int, col, zh, en string) *RowError {
	return &RowError{File: m.path, Line: line, Column: col, Reason: zh, ReasonEN: en}
}

func parseYesNo(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "是", "有", "y", "yes", "true", "1", "√", "✓":
		return true, true
	case "否", "无", "n", "no", "false", "0", "×":
		return false, true
	}
	return false, false
}
