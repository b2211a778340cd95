package ingest

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/guigen/guigen/store"
)

// RowError is a problem with one row (or one cell) of a register. Its
// message reads '名录.csv:17: 列「牺牲时间」: 日期「19x1年」无法识别 / unreadable date'
// or, for a spreadsheet, '名录.xlsx[Sheet1]:17: …'.
type RowError struct {
	File     string
	Sheet    string // XLSX sheet; empty for text files
	Line     int    // 1-based line of the row in the file (row number in a sheet)
	Column   string // header name of the cell; empty when the row as a whole is wrong
	Reason   string // Chinese
	ReasonEN string
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, "[%s]", e.Sheet)
	}
	fmt.Fprintf(&b, ":%d: ", e.Line)
	if e.Column != "" {
		fmt.Fprintf(&b, "列「%s」: ", e.Column)
	}
	b.WriteString(e.Reason)
	if e.ReasonEN != "" {
		b.WriteString(" / ")
		b.WriteString(e.ReasonEN)
	}
	return b.String()
}

// martyrColumns maps each field to the header names it is known by, in
// Chinese and English; headers match after trimming, width folding and
// lower-casing.
var martyrColumns = map[string][]string{
	"id":          {"编号", "id", "registryno", "registry_no", "序号编号"},
	"name":        {"姓名", "name", "烈士姓名"},
	"aliases":     {"别名", "aliases", "alias", "曾用名", "又名"},
	"sex":         {"性别", "sex", "gender"},
	"born":        {"出生年月", "born", "出生日期", "出生时间", "birth"},
	"hometown":    {"籍贯", "hometown", "原籍"},
	"enlisted":    {"入伍时间", "enlisted", "参军时间", "入伍年月"},
	"unit":        {"部队", "unit", "生前所在部队", "所在部队", "生前单位"},
	"position":    {"职务", "position", "生前职务"},
	"died":        {"牺牲时间", "died", "牺牲日期", "牺牲年月"},
	"died_at":     {"牺牲地点", "died_at", "deathplace", "death_place"},
	"buried_at":   {"安葬地", "buried_at", "burial", "安葬地点"},
	"grave":       {"墓位", "grave", "墓号"},
	"approved_by": {"批准机关", "approved_by", "approvedby"},
	"notes":       {"备注", "notes", "note"},
}

// MartyrFields lists the known fields in a stable order.
var MartyrFields = []string{"id", "name", "aliases", "sex", "born", "hometown", "enlisted", "unit", "position", "died", "died_at", "buried_at", "grave", "approved_by", "notes"}

var headerField = func() map[string]string {
	m := map[string]string{}
	for f, names := range martyrColumns {
		for _, n := range names {
			m[n] = f
		}
	}
	return m
}()

func headerKey(h string) string {
	return strings.ToLower(strings.ReplaceAll(normText(h), " ", ""))
}

// HometownResolver returns the place id a hometown text names when the
// reading is confident, else "".
type HometownResolver func(text string) string

// MartyrRow is one row of a register as read: the martyr it gives, or
// the errors that reject it.
type MartyrRow struct {
	Martyr store.Martyr
	File   string
	Sheet  string
	Line   int
	// Raw is the row as in the file: cells in header order, or the one
	// JSON line for JSON Lines.
	Raw    []string
	Errors []*RowError
}

// MartyrsFile streams the rows of one register.
type MartyrsFile struct {
	Path     string
	Format   string // "csv", "tsv", "xlsx", "jsonl"
	Encoding string
	Sheet    string
	// Header is the file's header row (JSON Lines: the keys first seen).
	Header []string
	// Unknown lists header names no field knows; kept in Martyr.Extra.
	Unknown []string

	resolve HometownResolver
	next    func() (cells []string, line int, err error) // io.EOF at the end
	jsonl   *bufio.Scanner
	line    int
	closer  io.Closer
	counter *countingReader
	size    int64
	cols    map[string]int // field -> cell index
}

// countingReader counts bytes for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Progress returns the bytes read and the file size, for an ETA; both 0
// when the format cannot tell.
func (f *MartyrsFile) Progress() (done, total int64) {
	if f.counter == nil {
		return 0, 0
	}
	return f.counter.n, f.size
}

// Close releases the file.
func (f *MartyrsFile) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// ErrNoNameColumn is wrapped when a register has no 姓名/name column.
var ErrNoNameColumn = errors.New("no name column")

// OpenMartyrs opens a register, chosen by extension: .csv, .tsv/.txt,
// .xlsx, .jsonl/.ndjson. Text files are decoded by DecodeReader. The
// file is streamed: call Next until io.EOF.
func OpenMartyrs(path string, resolve HometownResolver) (*MartyrsFile, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s / cannot open %s: %w", path, path, err)
	}
	f := &MartyrsFile{Path: path, resolve: resolve, closer: fh}
	if st, err := fh.Stat(); err == nil {
		f.size = st.Size()
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".xlsx" {
		f.Format = "xlsx"
		if err := f.openXLSX(fh); err != nil {
			fh.Close()
			return nil, err
		}
		return f, f.readHeader()
	}
	f.counter = &countingReader{r: fh}
	r, enc, err := DecodeReader(f.counter)
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.Encoding = enc
	switch ext {
	case ".jsonl", ".ndjson", ".json":
		f.Format = "jsonl"
		f.jsonl = bufio.NewScanner(r)
		f.jsonl.Buffer(make([]byte, 64<<10), 16<<20)
		return f, nil
	case ".tsv", ".txt", ".tab":
		f.Format = "tsv"
	default:
		f.Format = "csv"
	}
	cr := csv.NewReader(r)
	if f.Format == "tsv" {
		cr.Comma = '\t'
		cr.LazyQuotes = true
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	f.next = func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			// FieldPos would panic here: a failed Read leaves no record.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.StartLine, err
			}
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		return rec, line, nil
	}
	if err := f.readHeader(); err != nil {
		fh.Close()
		return nil, err
	}
	return f, nil
}

func (f *MartyrsFile) readHeader() error {
	for {
		rec, _, err := f.next()
		if err == io.EOF {
			return fmt.Errorf("%s: 文件为空，没有表头 / empty file, no header row: %w", f.Path, ErrNoNameColumn)
		}
		if err != nil {
			return fmt.Errorf("%s: 无法读取表头 / cannot read the header: %w", f.Path, err)
		}
		if blankRow(rec) {
			continue
		}
		f.Header = rec
		break
	}
	f.cols = map[string]int{}
	for i, h := range f.Header {
		fld, ok := headerField[headerKey(h)]
		if !ok {
			if strings.TrimSpace(h) != "" {
				f.Unknown = append(f.Unknown, strings.TrimSpace(h))
			}
			continue
		}
		if _, dup := f.cols[fld]; !dup {
			f.cols[fld] = i
		}
	}
	if _, ok := f.cols["name"]; !ok {
		return fmt.Errorf("%s: 表头中没有「姓名」列（表头：%s）/ the header has no name column: %w",
			f.Path, strings.Join(f.Header, ","), ErrNoNameColumn)
	}
	return nil
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Next returns the next non-blank row, parsed. io.EOF ends the file;
// any other error is fatal for the file (a broken encoding, a broken
// XLSX); row problems are in MartyrRow.Errors instead.
func (f *MartyrsFile) Next() (MartyrRow, error) {
	if f.jsonl != nil {
		return f.nextJSON()
	}
	for {
		rec, line, err := f.next()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// A broken quote spoils this row; csv resumes at the next.
				row := MartyrRow{File: f.Path, Line: pe.StartLine, Raw: rec}
				row.Errors = append(row.Errors, &RowError{File: f.Path, Line: pe.StartLine,
					Reason: "CSV 格式错误：" + pe.Err.Error(), ReasonEN: "malformed CSV: " + pe.Err.Error()})
				return row, nil
			}
			return MartyrRow{}, err
		}
		if blankRow(rec) {
			continue
		}
		cell := func(fld string) string {
			if i, ok := f.cols[fld]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		row := MartyrRow{File: f.Path, Sheet: f.Sheet, Line: line, Raw: rec}
		var extra map[string]string
		for i, h := range f.Header {
			if _, known := headerField[headerKey(h)]; known || i >= len(rec) || strings.TrimSpace(rec[i]) == "" || strings.TrimSpace(h) == "" {
				continue
			}
			if extra == nil {
				extra = map[string]string{}
			}
			extra[strings.TrimSpace(h)] = strings.TrimSpace(rec[i])
		}
		if len(rec) > len(f.Header) && !blankRow(rec[len(f.Header):]) {
			row.Errors = append(row.Errors, f.rowErr(line, "", fmt.Sprintf("本行有 %d 格，多于表头的 %d 列", len(rec), len(f.Header)),
				fmt.Sprintf("row has %d cells, more than the %d header columns", len(rec), len(f.Header))))
		}
		f.fill(&row, cell, extra)
		return row, nil
	}
}

func (f *MartyrsFile) nextJSON() (MartyrRow, error) {
	for f.jsonl.Scan() {
		f.line++
		text := strings.TrimSpace(f.jsonl.Text())
		if text == "" {
			continue
		}
		row := MartyrRow{File: f.Path, Line: f.line, Raw: []string{text}}
		var obj map[string]any
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			row.Errors = append(row.Errors, f.rowErr(f.line, "", "不是有效的 JSON 对象："+err.Error(), "not a valid JSON object: "+err.Error()))
			return row, nil
		}
		vals := map[string]string{}
		var extra map[string]string
		for k, v := range obj {
			var s string
			switch v := v.(type) {
			case nil:
			case string:
				s = v
			case []any:
				var parts []string
				for _, p := range v {
					parts = append(parts, fmt.Sprint(p))
				}
				s = strings.Join(parts, "、")
			default:
				s = fmt.Sprint(v)
			}
			if fld, ok := headerField[headerKey(k)]; ok {
				vals[fld] = s
				continue
			}
			if !slices.Contains(f.Unknown, k) {
				f.Unknown = append(f.Unknown, k)
			}
			if strings.TrimSpace(s) != "" {
				if extra == nil {
					extra = map[string]string{}
				}
				extra[k] = strings.TrimSpace(s)
			}
		}
		f.fill(&row, func(fld string) string { return vals[fld] }, extra)
		return row, nil
	}
	if err := f.jsonl.Err(); err != nil {
		return MartyrRow{}, fmt.Errorf("%s:%d: %w", f.Path, f.line+1, err)
	}
	return MartyrRow{}, io.EOF
}

func (f *MartyrsFile) rowErr(line int, col, zh, en string) *RowError {
	return &RowError{File: f.Path, Sheet: f.Sheet, Line: line, Column: col, Reason: zh, ReasonEN: en}
}

// colName is the header a field was read from, for messages.
func (f *MartyrsFile) colName(fld string) string {
	if i, ok := f.cols[fld]; ok && i < len(f.Header) {
		return strings.TrimSpace(f.Header[i])
	}
	if names := martyrColumns[fld]; len(names) > 0 {
		return names[0]
	}
	return fld
}

func (f *MartyrsFile) fill(row *MartyrRow, cell func(string) string, extra map[string]string) {
	m := &row.Martyr
	bad := func(fld, zh, en string) {
		row.Errors = append(row.Errors, f.rowErr(row.Line, f.colName(fld), zh, en))
	}
	name, variants, ok := ParseName(cell("name"))
	switch {
	case strings.TrimSpace(cell("name")) == "":
		bad("name", "姓名为空", "the name is empty")
	case !ok:
		bad("name", fmt.Sprintf("姓名「%s」无法识别（括号不配对？）", cell("name")), "unreadable name (unbalanced brackets?)")
	default:
		m.Name = name
		for _, v := range variants {
			m.Aliases = append(m.Aliases, store.Alias{Name: v, Kind: "variant", Source: "姓名括号 / bracketed in the name"})
		}
	}
	if strings.HasPrefix(m.Name, "无名") {
		m.Unnamed = true
	}
	for _, a := range splitList(cell("aliases")) {
		if a != m.Name && !slices.ContainsFunc(m.Aliases, func(x store.Alias) bool { return x.Name == a }) {
			m.Aliases = append(m.Aliases, store.Alias{Name: a, Kind: "other"})
		}
	}
	if sex, ok := ParseSex(cell("sex")); ok {
		m.Sex = sex
	} else {
		bad("sex", fmt.Sprintf("性别「%s」无法识别，应为 男/女/M/F", cell("sex")), "unknown sex, expected 男/女/M/F")
	}
	for _, d := range []struct {
		fld string
		to  *store.Date
	}{{"born", &m.Born}, {"enlisted", &m.Enlisted}, {"died", &m.Died}} {
		date, ok := ParseDate(cell(d.fld))
		if !ok {
			bad(d.fld, fmt.Sprintf("日期「%s」无法识别", cell(d.fld)), "unreadable date")
			continue
		}
		*d.to = date
	}
	if m.Born.Known() && m.Died.Known() {
		if lo, _ := m.Born.YearBounds(); lo > 0 {
			if _, hi := m.Died.YearBounds(); hi < lo {
				bad("died", fmt.Sprintf("牺牲时间 %s 早于出生时间 %s", m.Died, m.Born), "died before born")
			}
		}
	}
	if g, ok := ParseGrave(cell("grave")); ok {
		if g.Text != "" {
			m.Grave = g
		}
	} else {
		bad("grave", fmt.Sprintf("墓位「%s」无法识别，应如 1排12号、三区2排5号", cell("grave")), "unreadable grave position, expected e.g. 1排12号")
	}
	m.RegistryNo = normText(cell("id"))
	m.HometownText = strings.TrimSpace(cell("hometown"))
	m.UnitText = strings.TrimSpace(cell("unit"))
	m.Position = strings.TrimSpace(cell("position"))
	m.DeathPlace = strings.TrimSpace(cell("died_at"))
	m.BurialText = strings.TrimSpace(cell("buried_at"))
	m.ApprovedBy = strings.TrimSpace(cell("approved_by"))
	m.Notes = strings.TrimSpace(cell("notes"))
	m.Extra = extra
	if len(row.Errors) > 0 {
		return
	}
	if m.HometownText != "" && f.resolve != nil {
		m.HometownID = f.resolve(m.HometownText)
	}
	m.ID = MartyrID(*m)
}

// MartyrID is the stable id of a register entry: from 编号 when given,
// else a hash of the normalised name, hometown text and dates, so the
// same row imported again lands on the same record.
func MartyrID(m store.Martyr) string {
	if m.RegistryNo != "" {
		return "m-" + strings.ReplaceAll(m.RegistryNo, " ", "")
	}
	h := sha256.New()
	for _, part := range []string{
		strings.ReplaceAll(m.Name, " ", ""),
		strings.ReplaceAll(normText(m.HometownText), " ", ""),
		m.Born.String(), m.Died.String(), m.Enlisted.String(),
	} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "m-h" + hex.EncodeToString(h.Sum(nil))[:20]
}
