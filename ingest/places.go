package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/guigen/guigen/store"
)

// PlacesFormat tells the two place files apart; ReadPlaces knows which
// one it reads from the header.
type PlacesFormat int

const (
	// PlacesAreaCodes is the Ministry's table of county-level-and-above
	// codes since 1981 as compiled by the areacodes project:
	// 代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码
	PlacesAreaCodes PlacesFormat = iota + 1
	// PlacesOtherNames is a curated list of names a place was also known
	// by: 名称,代码,启用时间,弃用时间,备注
	PlacesOtherNames
)

func (f PlacesFormat) String() string {
	switch f {
	case PlacesAreaCodes:
		return "areacodes"
	case PlacesOtherNames:
		return "other-names"
	}
	return fmt.Sprintf("PlacesFormat(%d)", int(f))
}

// The headers, in the order the files use; ReadPlaces accepts any order.
var (
	placesAreaCodesHeader  = []string{"代码", "一级行政区", "二级行政区", "名称", "级别", "状态", "启用时间", "变更/弃用时间", "新代码"}
	placesOtherNamesHeader = []string{"名称", "代码", "启用时间", "弃用时间", "备注"}
)

// ErrPlacesHeader is wrapped by the error for a file whose header is
// neither place format.
var ErrPlacesHeader = errors.New("unknown place file header")

// MaxPlaceRowErrors is how many row errors a PlacesFile keeps; later ones
// are only counted, so a file in the wrong shape cannot flood memory.
const MaxPlaceRowErrors = 1000

// PlaceRowError is a problem with one row (or one cell) of a place file.
// Its message reads 'result.csv:17: 列「启用时间」: 年份「19x1」无效 / invalid year'.
type PlaceRowError struct {
	File   string
	Line   int    // 1-based line of the row in the file
	Column string // header name of the cell; empty when the row as a whole is wrong
	Reason string // Chinese, for the people who keep the file
	// ReasonEN says the same in English for logs and developers.
	ReasonEN string
}

func (e *PlaceRowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
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

// OtherPlaceName is one row of an other-names file: a name and the code
// of the place it means, not yet attached to that place.
type OtherPlaceName struct {
	File string
	Line int
	// Code is a Ministry code ("140981") or a place id ("142224-1981").
	Code string
	Name store.PlaceName
}

// PlacesFile is what ReadPlaces found in one file.
type PlacesFile struct {
	Name     string
	Format   PlacesFormat
	Encoding string
	// Rows is the number of data rows read, good or bad.
	Rows int
	// Places holds the places of an areacodes file, in file order. Every
	// ParentID and ReplacedBy target names a place of the same slice.
	Places []store.Place
	// OtherNames holds the rows of an other-names file; MergeOtherNames
	// attaches them to places.
	OtherNames []OtherPlaceName
	// Errors lists problems with single rows, in line order, at most
	// MaxPlaceRowErrors of them; ErrorsOmitted counts the rest. A row with
	// an error is left out, except that an unusable successor or parent
	// only drops that link.
	Errors        []*PlaceRowError
	ErrorsOmitted int
	// InferredChanges counts successors the areacodes file implies but
	// does not list: a 变更 row with no successor for its last year,
	// whose code goes on in a row starting that year.
	InferredChanges int
}

// Err joins the row errors into one error, or nil when there were none.
func (f *PlacesFile) Err() error {
	if len(f.Errors) == 0 {
		return nil
	}
	errs := make([]error, 0, len(f.Errors)+1)
	for _, e := range f.Errors {
		errs = append(errs, e)
	}
	if f.ErrorsOmitted > 0 {
		errs = append(errs, fmt.Errorf("%s: 另有 %d 个错误未列出 / %d more errors not listed", f.Name, f.ErrorsOmitted, f.ErrorsOmitted))
	}
	return errors.Join(errs...)
}

func (f *PlacesFile) addError(e *PlaceRowError) {
	if len(f.Errors) >= MaxPlaceRowErrors {
		f.ErrorsOmitted++
		return
	}
	f.Errors = append(f.Errors, e)
}

// PlaceID is the id ReadPlaces gives the areacodes row with this code
// that came into use in this year: "370224-1981". The code alone is not
// enough: codes are reused over time (the same code for a renamed place,
// or for another place after the first was abolished), and keying every
// row by code and start year keeps an id the same when a later edition
// of the table adds rows for the code.
func PlaceID(code string, from int) string { return code + "-" + strconv.Itoa(from) }

// ReadPlaces reads a place file in either format, told apart by its
// header, decoding UTF-8 (with or without a BOM) or GB18030/GBK. Rows are
// read one at a time; a bad row becomes an entry in Errors and reading
// goes on. The error is non-nil only when the file as a whole cannot be
// read: an unknown header (ErrPlacesHeader), an encoding it cannot decode
// (ErrEncoding), or a read failure. name is used in messages; its base
// name is kept.
//
// For an areacodes file the places are linked once all rows are read:
// parents from the code (province from its first two digits, prefecture
// from its first four, the province for a county under no prefecture),
// choosing the parent row in use in the place's first year; successors
// from 新代码, choosing the row of the successor code in use in the year
// of the change. Each row is one place with the id PlaceID(code, start
// year). From is 0 for rows of the table's first year (1981): those
// places were in use before the table began, since a year it does not
// say. To is the year of the change that ended the place.
func ReadPlaces(r io.Reader, name string) (PlacesFile, error) {
	f := PlacesFile{Name: filepath.Base(name)}
	dec, enc, err := DecodeReader(r)
	if err != nil {
		return f, fmt.Errorf("read places %s: %w", f.Name, err)
	}
	f.Encoding = enc
	cr := csv.NewReader(dec)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return f, fmt.Errorf("read places %s: 文件为空 / the file is empty: %w", f.Name, ErrPlacesHeader)
		}
		return f, fmt.Errorf("read places %s: header: %w", f.Name, err)
	}
	var cols map[string]int
	if cols = placesColumns(header, placesAreaCodesHeader); cols != nil {
		f.Format = PlacesAreaCodes
	} else if cols = placesColumns(header, placesOtherNamesHeader); cols != nil {
		f.Format = PlacesOtherNames
	} else {
		return f, fmt.Errorf("read places %s: 表头「%s」不是地名表（%s）也不是别名表（%s）/ header is neither format: %w",
			f.Name, strings.Join(header, ","), strings.Join(placesAreaCodesHeader, ","),
			strings.Join(placesOtherNamesHeader, ","), ErrPlacesHeader)
	}

	var rows []*placeAreaRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// A malformed row: report it and go on with the next.
				f.Rows++
				f.addError(&PlaceRowError{File: f.Name, Line: pe.StartLine, Reason: "CSV 格式错误: " + pe.Err.Error(),
					ReasonEN: "malformed CSV: " + pe.Err.Error()})
				continue
			}
			return f, fmt.Errorf("read places %s: %w", f.Name, err)
		}
		if placesBlank(rec) {
			continue
		}
		f.Rows++
		line, _ := cr.FieldPos(0)
		cell := func(col string) string { return strings.TrimSpace(rec[cols[col]]) }
		if len(rec) != len(header) {
			f.addError(&PlaceRowError{File: f.Name, Line: line,
				Reason:   fmt.Sprintf("有 %d 列，应为 %d 列", len(rec), len(header)),
				ReasonEN: fmt.Sprintf("%d fields, want %d", len(rec), len(header))})
			continue
		}
		switch f.Format {
		case PlacesAreaCodes:
			if row := f.parseAreaRow(line, cell); row != nil {
				rows = append(rows, row)
			}
		case PlacesOtherNames:
			if n, ok := f.parseOtherName(line, cell); ok {
				f.OtherNames = append(f.OtherNames, n)
			}
		}
	}
	if f.Format == PlacesAreaCodes {
		f.linkAreaRows(rows)
		slices.SortStableFunc(f.Errors, func(a, b *PlaceRowError) int { return a.Line - b.Line })
	}
	return f, nil
}

// placesColumns maps each column of want to its index in header, or
// returns nil unless header holds exactly those columns, in any order.
func placesColumns(header, want []string) map[string]int {
	if len(header) != len(want) {
		return nil
	}
	cols := make(map[string]int, len(want))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := cols[h]; dup || !slices.Contains(want, h) {
			return nil
		}
		cols[h] = i
	}
	return cols
}

func placesBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// placeAreaRow is one good row of an areacodes file.
type placeAreaRow struct {
	line       int
	code       string
	prefecture string // 二级行政区: the parent's name, or 直辖
	name       string
	level      store.PlaceLevel
	from, to   int  // [from, to): in use from the start of from until some time in to
	changed    bool // status 变更: the code went on, under another name or parent
	next       []placeNext
	id         string
	place      *store.Place
}

// placeNext is one successor named in 新代码.
type placeNext struct {
	code string
	year int // the year in brackets; 0 when none was given
}

var placeLevels = map[string]store.PlaceLevel{
	"省级": store.LevelProvince,
	"地级": store.LevelPrefecture,
	"县级": store.LevelCounty,
}

const (
	placeStatusInUse   = "在用"
	placeStatusChanged = "变更"
	placeStatusRetired = "弃用"
	// placeNoPrefecture in 二级行政区 marks a county directly under its
	// province (a 省直辖县级行政单位, or any county whose prefecture code
	// has no row).
	placeNoPrefecture = "直辖"
)

// parseAreaRow checks one areacodes row; nil when it is unusable.
func (f *PlacesFile) parseAreaRow(line int, cell func(string) string) *placeAreaRow {
	bad := func(col, zh, en string) *placeAreaRow {
		f.addError(&PlaceRowError{File: f.Name, Line: line, Column: col, Reason: zh, ReasonEN: en})
		return nil
	}
	row := &placeAreaRow{line: line, code: cell("代码"), name: cell("名称"), prefecture: cell("二级行政区")}
	if row.code == "" {
		return bad("代码", "缺少代码", "missing code")
	}
	if !placeIsCode(row.code) {
		return bad("代码", fmt.Sprintf("代码「%s」不是六位数字", row.code), "code is not six digits")
	}
	if row.name == "" {
		return bad("名称", "缺少名称", "missing name")
	}
	lv, ok := placeLevels[cell("级别")]
	if !ok {
		return bad("级别", fmt.Sprintf("级别「%s」未知，应为省级、地级或县级", cell("级别")),
			"unknown level, want 省级, 地级 or 县级")
	}
	row.level = lv
	if zh, en := placeCodeFitsLevel(row.code, lv); zh != "" {
		return bad("代码", zh, en)
	}
	status := cell("状态")
	if status != placeStatusInUse && status != placeStatusChanged && status != placeStatusRetired {
		return bad("状态", fmt.Sprintf("状态「%s」未知，应为在用、变更或弃用", status),
			"unknown status, want 在用, 变更 or 弃用")
	}
	row.changed = status == placeStatusChanged
	var zh, en string
	if row.from, zh, en = placeYear(cell("启用时间")); zh != "" {
		return bad("启用时间", zh, en)
	}
	if row.from == 0 {
		return bad("启用时间", "缺少启用时间", "missing start year")
	}
	if row.to, zh, en = placeYear(cell("变更/弃用时间")); zh != "" {
		return bad("变更/弃用时间", zh, en)
	}
	switch {
	case status == placeStatusInUse && row.to != 0:
		return bad("变更/弃用时间", fmt.Sprintf("状态为在用，却有变更/弃用时间 %d", row.to),
			"a place in use has an end year")
	case status != placeStatusInUse && row.to == 0:
		return bad("变更/弃用时间", fmt.Sprintf("状态为%s，却缺少变更/弃用时间", status),
			"a changed or retired place has no end year")
	case row.to != 0 && row.to <= row.from:
		return bad("变更/弃用时间", fmt.Sprintf("变更/弃用时间 %d 不晚于启用时间 %d", row.to, row.from),
			"end year is not after the start year")
	}
	for _, s := range strings.Split(cell("新代码"), ";") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		n, ok := placeParseNext(s)
		switch {
		case !ok:
			return bad("新代码", fmt.Sprintf("新代码「%s」格式错误，应为六位代码，可带 [年份]", s),
				"malformed successor, want a six-digit code, optionally with [year]")
		case n.year != 0 && (n.year < row.from || row.to != 0 && n.year > row.to):
			return bad("新代码", fmt.Sprintf("新代码「%s」的年份不在 %d–%s 之内", s, row.from, placeEndText(row.to)),
				"successor year outside the years the place was in use")
		case n.year == 0 && row.to == 0:
			return bad("新代码", fmt.Sprintf("在用地名的新代码「%s」须带 [年份]", s),
				"a successor of a place still in use needs a [year]")
		}
		row.next = append(row.next, n)
	}
	return row
}

func placeEndText(to int) string {
	if to == 0 {
		return "今"
	}
	return strconv.Itoa(to)
}

func placeIsCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// placeCodeFitsLevel checks the code's shape against the level: the
// parent links are derived from the code, so a mismatch would misplace
// the place.
func placeCodeFitsLevel(code string, lv store.PlaceLevel) (zh, en string) {
	switch {
	case lv == store.LevelProvince && !strings.HasSuffix(code, "0000"):
		return fmt.Sprintf("省级代码「%s」应以 0000 结尾", code), "a province code must end in 0000"
	case lv == store.LevelPrefecture && (!strings.HasSuffix(code, "00") || strings.HasSuffix(code, "0000")):
		return fmt.Sprintf("地级代码「%s」应以 00 结尾且不以 0000 结尾", code), "a prefecture code must end in 00 but not 0000"
	case lv == store.LevelCounty && strings.HasSuffix(code, "00"):
		return fmt.Sprintf("县级代码「%s」不应以 00 结尾", code), "a county code must not end in 00"
	}
	return "", ""
}

// placeYear parses a year cell: empty is 0.
func placeYear(s string) (year int, zh, en string) {
	if s == "" {
		return 0, "", ""
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 1000 || y > 2999 {
		return 0, fmt.Sprintf("年份「%s」无效", s), "invalid year"
	}
	return y, "", ""
}

// placeParseNext parses "370281" or "370281[1994]".
func placeParseNext(s string) (placeNext, bool) {
	code, rest, bracket := strings.Cut(s, "[")
	code = strings.TrimSpace(code)
	if !placeIsCode(code) {
		return placeNext{}, false
	}
	if !bracket {
		return placeNext{code: code}, true
	}
	ys, ok := strings.CutSuffix(strings.TrimSpace(rest), "]")
	if !ok {
		return placeNext{}, false
	}
	y, zh, _ := placeYear(strings.TrimSpace(ys))
	if zh != "" || y == 0 {
		return placeNext{}, false
	}
	return placeNext{code: code, year: y}, true
}

// linkAreaRows turns the good rows into places: ids, parents, successors.
func (f *PlacesFile) linkAreaRows(rows []*placeAreaRow) {
	byCode := map[string][]*placeAreaRow{}
	horizon := 0
	kept := rows[:0]
	for _, row := range rows {
		row.id = PlaceID(row.code, row.from)
		if dup := slices.IndexFunc(byCode[row.code], func(o *placeAreaRow) bool { return o.from == row.from }); dup >= 0 {
			f.addError(&PlaceRowError{File: f.Name, Line: row.line, Column: "代码",
				Reason:   fmt.Sprintf("代码「%s」启用于 %d 的记录与第 %d 行重复", row.code, row.from, byCode[row.code][dup].line),
				ReasonEN: "duplicate of an earlier row with the same code and start year"})
			continue
		}
		byCode[row.code] = append(byCode[row.code], row)
		kept = append(kept, row)
		if horizon == 0 || row.from < horizon {
			horizon = row.from
		}
	}
	rows = kept
	for _, rs := range byCode {
		slices.SortFunc(rs, func(a, b *placeAreaRow) int { return a.from - b.from })
	}

	f.Places = make([]store.Place, len(rows))
	for i, row := range rows {
		p := &f.Places[i]
		row.place = p
		*p = store.Place{ID: row.id, Code: row.code, Name: row.name, Level: row.level, To: row.to}
		// The table starts in its first year; a row already there was in
		// use before, since a year nobody knows. Saying 1981 would tell
		// hometown resolution that 胶县 did not exist in 1950.
		if row.from != horizon {
			p.From = row.from
		}
	}

	for _, row := range rows {
		row.place.ParentID = f.placeParent(row, byCode)
	}

	// A 变更 row says its code went on; a few give no successor for the
	// year they end (阿坝藏族自治州 1981-1987 has an empty 新代码, 浑江市
	// lists only the districts it gave land to before it became 白山市).
	// The row of the same code starting that year is the successor.
	for _, row := range rows {
		if !row.changed || slices.ContainsFunc(row.next, func(n placeNext) bool { return n.year == 0 || n.year == row.to }) {
			continue
		}
		if slices.ContainsFunc(byCode[row.code], func(o *placeAreaRow) bool { return o.from == row.to }) {
			row.next = append(row.next, placeNext{code: row.code})
			f.InferredChanges++
		}
	}

	// Successors: resolve each to the row in use in the year of the
	// change, then name the kind of change. A change in the place's last
	// year is final (the place ended there); one before it, or of a place
	// still in use, moved only part of its territory.
	type change struct {
		from  *placeAreaRow
		to    *placeAreaRow
		year  int
		final bool
	}
	var changes []change
	finalsInto := map[string]int{} // target id + year -> final changes into it
	for _, row := range rows {
		for _, n := range row.next {
			year := n.year
			if year == 0 {
				year = row.to
			}
			target := placeInUse(byCode[n.code], year)
			switch {
			case target == nil:
				f.addError(&PlaceRowError{File: f.Name, Line: row.line, Column: "新代码",
					Reason:   fmt.Sprintf("新代码「%s」不在表中", n.code),
					ReasonEN: "unknown successor code"})
				continue
			case target == row:
				f.addError(&PlaceRowError{File: f.Name, Line: row.line, Column: "新代码",
					Reason:   fmt.Sprintf("新代码「%s」在 %d 年指向本条记录自身", n.code, year),
					ReasonEN: "successor is the place itself"})
				continue
			}
			c := change{from: row, to: target, year: year, final: row.to != 0 && year == row.to}
			changes = append(changes, c)
			if c.final {
				finalsInto[placeChangeKey(target.id, year)]++
			}
		}
	}
	finals := map[*placeAreaRow]int{}
	for _, c := range changes {
		if c.final {
			finals[c.from]++
		}
	}
	for _, c := range changes {
		kind := "split"
		if c.final && finals[c.from] == 1 {
			kind = placeChangeKind(c.from, c.to, c.year, finalsInto[placeChangeKey(c.to.id, c.year)])
		}
		pc := store.PlaceChange{ToID: c.to.id, Year: c.year, Kind: kind}
		// Only a change that ended the place makes its successor the same
		// place under a later name; a partial transfer does not.
		list := &c.from.place.ReplacedBy
		if !c.final {
			list = &c.from.place.PartTo
		}
		if !slices.Contains(*list, pc) {
			*list = append(*list, pc)
		}
	}
}

func placeChangeKey(id string, year int) string { return id + "@" + strconv.Itoa(year) }

// placeChangeKind names the change of a place that ended in year, all of
// it going to one place, into which intoCount places went that year.
func placeChangeKind(from, to *placeAreaRow, year, intoCount int) string {
	switch {
	case from.code != to.code && (intoCount > 1 || to.from < year):
		// Several places became one, or the successor existed before and
		// absorbed this one. The one whose code the result keeps is not
		// merged: it goes on, renamed, having gained the others.
		return "merge"
	case placeUpgrade(from, to):
		return "upgrade"
	case from.name != to.name || from.code != to.code:
		return "rename"
	default:
		// Same name and code: the row was split in the table because the
		// place moved to another prefecture, or its prefecture was renamed.
		return "other"
	}
}

// Suffixes for the upgrade test, longest first.
var (
	placeCountySuffixes = []string{"自治县", "自治旗", "县", "旗", "地区", "盟"}
	placeCitySuffixes   = []string{"市", "区"}
)

// placeUpgrade reports whether a county became a city or district of the
// same name (即墨县→即墨市, 崂山县→崂山区, 胶县→胶州市, 东方黎族自治县→东方市),
// or a 地区/盟 a city (唐山地区→唐山市).
func placeUpgrade(from, to *placeAreaRow) bool {
	oldStem, ok := placeCutSuffix(from.name, placeCountySuffixes)
	if !ok {
		return false
	}
	newStem, ok := placeCutSuffix(to.name, placeCitySuffixes)
	if !ok || newStem == "" {
		return false
	}
	// A one-character county often gains a character as a city (胶县→
	// 胶州市), a banner may lose one (额尔古纳右旗→额尔古纳市); a wholly
	// new name (掖县→莱州市) is a rename.
	if oldStem != "" && strings.HasPrefix(newStem, oldStem) {
		return utf8.RuneCountInString(newStem)-utf8.RuneCountInString(oldStem) <= 1
	}
	if strings.HasPrefix(oldStem, newStem) {
		return utf8.RuneCountInString(oldStem)-utf8.RuneCountInString(newStem) <= 1
	}
	// Autonomous counties keep their stem before the ethnic names.
	return (strings.HasSuffix(from.name, "自治县") || strings.HasSuffix(from.name, "自治旗")) &&
		strings.HasPrefix(from.name, newStem)
}

func placeCutSuffix(name string, suffixes []string) (string, bool) {
	for _, s := range suffixes {
		if stem, ok := strings.CutSuffix(name, s); ok {
			return stem, true
		}
	}
	return "", false
}

// placeInUse picks among the rows of one code (sorted by start year) the
// one in use in year: in use through the year, else ending that year,
// else the last to start before it, else the first.
func placeInUse(rows []*placeAreaRow, year int) *placeAreaRow {
	if len(rows) == 0 {
		return nil
	}
	var endingThen, before *placeAreaRow
	for _, r := range rows {
		if r.from <= year && (r.to == 0 || year < r.to) {
			return r
		}
		if r.to == year {
			endingThen = r
		}
		if r.from <= year {
			before = r
		}
	}
	switch {
	case endingThen != nil:
		return endingThen
	case before != nil:
		return before
	}
	return rows[0]
}

// placeParent finds the parent of a row in use in the row's first year.
func (f *PlacesFile) placeParent(row *placeAreaRow, byCode map[string][]*placeAreaRow) string {
	if row.level == store.LevelProvince {
		return ""
	}
	missing := func(code string) {
		f.addError(&PlaceRowError{File: f.Name, Line: row.line, Column: "代码",
			Reason:   fmt.Sprintf("上级代码「%s」不在表中", code),
			ReasonEN: "the parent code has no row"})
	}
	province := row.code[:2] + "0000"
	provinceID := ""
	if p := placeInUse(byCode[province], row.from); p != nil {
		provinceID = p.id
	}
	prefecture := row.code[:4] + "00"
	if row.level == store.LevelPrefecture || row.prefecture == placeNoPrefecture || prefecture == province {
		if provinceID == "" {
			missing(province)
		}
		return provinceID
	}
	if p := placeInUse(byCode[prefecture], row.from); p != nil {
		return p.id
	}
	missing(prefecture)
	return provinceID
}

// Kinds of other names, by the words of the note that give them away.
var placeNameKinds = []struct{ word, kind string }{
	{"误写", "misspelled"},
	{"俗称", "informal"},
	{"旧称", "historical"},
}

// parseOtherName checks one row of an other-names file.
func (f *PlacesFile) parseOtherName(line int, cell func(string) string) (OtherPlaceName, bool) {
	bad := func(col, zh, en string) (OtherPlaceName, bool) {
		f.addError(&PlaceRowError{File: f.Name, Line: line, Column: col, Reason: zh, ReasonEN: en})
		return OtherPlaceName{}, false
	}
	n := OtherPlaceName{File: f.Name, Line: line, Code: cell("代码"), Name: store.PlaceName{Name: cell("名称"), Kind: "historical"}}
	if n.Name.Name == "" {
		return bad("名称", "缺少名称", "missing name")
	}
	if n.Code == "" {
		return bad("代码", "缺少代码", "missing code")
	}
	code, year, isID := strings.Cut(n.Code, "-")
	if !placeIsCode(code) || isID && len(year) != 4 {
		return bad("代码", fmt.Sprintf("代码「%s」应为六位代码或地名 id（如 370224-1981）", n.Code),
			"code must be six digits or a place id such as 370224-1981")
	}
	var zh, en string
	if n.Name.From, zh, en = placeYear(cell("启用时间")); zh != "" {
		return bad("启用时间", zh, en)
	}
	if n.Name.To, zh, en = placeYear(cell("弃用时间")); zh != "" {
		return bad("弃用时间", zh, en)
	}
	if n.Name.To != 0 && n.Name.To < n.Name.From {
		return bad("弃用时间", fmt.Sprintf("弃用时间 %d 早于启用时间 %d", n.Name.To, n.Name.From),
			"end year is before the start year")
	}
	note := cell("备注")
	for _, k := range placeNameKinds {
		if strings.Contains(note, k.word) {
			n.Name.Kind = k.kind
			break
		}
	}
	n.Name.Source = note
	if n.Name.Source == "" {
		n.Name.Source = f.Name
	}
	return n, true
}

// MergeOtherNames attaches other names to the places they mean, in
// place: places[i].OtherNames grows. A name whose code is a place id goes
// to that place; a Ministry code used by several places over time goes
// to the one in use in the name's last year (or first, when only that is
// known), to the earliest when the name is older than all of them, and
// to the latest when the name has no years. A name already on the place
// is not added twice, so merging is idempotent. It returns an error for
// each name whose code no place has.
func MergeOtherNames(places []store.Place, names []OtherPlaceName) []*PlaceRowError {
	byID := make(map[string]int, len(places))
	byCode := map[string][]int{}
	for i, p := range places {
		byID[p.ID] = i
		if p.Code != "" {
			byCode[p.Code] = append(byCode[p.Code], i)
		}
	}
	for _, is := range byCode {
		slices.SortStableFunc(is, func(a, b int) int { return places[a].From - places[b].From })
	}
	var errs []*PlaceRowError
	for _, n := range names {
		i, ok := byID[n.Code]
		if !ok {
			is := byCode[n.Code]
			if len(is) == 0 {
				errs = append(errs, &PlaceRowError{File: n.File, Line: n.Line, Column: "代码",
					Reason:   fmt.Sprintf("代码「%s」不在地名表中", n.Code),
					ReasonEN: "code not in the gazetteer"})
				continue
			}
			i = placeForName(places, is, n.Name)
		}
		p := &places[i]
		if !slices.Contains(p.OtherNames, n.Name) {
			p.OtherNames = append(p.OtherNames, n.Name)
		}
	}
	return errs
}

// placeForName picks among places sharing a code (sorted by From) the
// one a name with these years means.
func placeForName(places []store.Place, is []int, n store.PlaceName) int {
	year := n.To
	if year == 0 {
		year = n.From
	}
	if year == 0 {
		return is[len(is)-1]
	}
	for _, i := range is {
		p := places[i]
		if p.From <= year && (p.To == 0 || year < p.To) {
			return i
		}
	}
	if year < places[is[0]].From {
		return is[0]
	}
	return is[len(is)-1]
}
