package ingest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/guigen/guigen/store"
)

// RecordLine is one line of a records file (JSON Lines, UTF-8 or GB18030):
//
//	{"record": {"id": "r-1", "kind": "register", "title": "…", "martyrIds": ["m-1"], …},
//	 "assertions": [{"id": "a-1", "martyrId": "m-1", "field": "born", "value": "1925",
//	                 "citations": [{"recordId": "r-1", "locator": "p.12", "confidence": 3}]}]}
//
// "record" uses the JSON of store.ArchivalRecord and "assertions" that of
// store.Assertion. Either may be missing, so a line may add assertions
// citing a record of an earlier line. Ids are the caller's and stable:
// the same file imported twice changes nothing. Martyrs, people and places
// referred to must already be in the store (or, for records, in the same
// line).
type RecordLine struct {
	Record     *store.ArchivalRecord `json:"record,omitempty"`
	Assertions []store.Assertion     `json:"assertions,omitempty"`
}

// RecordRow is one parsed line, or the errors that reject it.
type RecordRow struct {
	Line   int
	Raw    string
	Batch  store.Batch
	Errors []*RowError
}

// RecordsFile streams a records file.
type RecordsFile struct {
	Path     string
	Encoding string
	sc       *bufio.Scanner
	line     int
}

// OpenRecords starts reading a records file.
func OpenRecords(r io.Reader, path string) (*RecordsFile, error) {
	dr, enc, err := DecodeReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(dr)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	return &RecordsFile{Path: path, Encoding: enc, sc: sc}, nil
}

// Next returns the next non-blank line; io.EOF at the end.
func (f *RecordsFile) Next() (RecordRow, error) {
	for f.sc.Scan() {
		f.line++
		text := strings.TrimSpace(f.sc.Text())
		if text == "" {
			continue
		}
		row := RecordRow{Line: f.line, Raw: text}
		bad := func(col, zh, en string) {
			row.Errors = append(row.Errors, &RowError{File: f.Path, Line: f.line, Column: col, Reason: zh, ReasonEN: en})
		}
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		var rl RecordLine
		if err := dec.Decode(&rl); err != nil {
			bad("", "不是有效的记录行："+err.Error(), "not a valid record line: "+err.Error())
			return row, nil
		}
		if rl.Record == nil && len(rl.Assertions) == 0 {
			bad("", "既没有 record 也没有 assertions", "neither record nor assertions")
			return row, nil
		}
		if rl.Record != nil {
			if rl.Record.Kind == "" {
				bad("record.kind", "档案类型为空", "record kind is empty")
			}
			row.Batch.Records = []store.ArchivalRecord{*rl.Record}
		}
		row.Batch.Assertions = rl.Assertions
		if _, err := row.Batch.Validate(); err != nil {
			bad("", "记录无效："+err.Error(), "invalid: "+err.Error())
		}
		return row, nil
	}
	if err := f.sc.Err(); err != nil {
		return RecordRow{}, fmt.Errorf("%s:%d: %w", f.Path, f.line+1, err)
	}
	return RecordRow{}, io.EOF
}
