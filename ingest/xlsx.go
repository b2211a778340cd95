package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// openXLSX streams the first sheet of a workbook with excelize's row
// iterator, which reads the sheet XML as it goes rather than loading it.
// Strings in an XLSX are UTF-8 by the format, so no encoding is guessed.
func (f *MartyrsFile) openXLSX(fh *os.File) error {
	wb, err := excelize.OpenReader(fh)
	if err != nil {
		return fmt.Errorf("%s: 无法读取 XLSX 文件 / cannot read the XLSX file: %w", f.Path, err)
	}
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		wb.Close()
		return fmt.Errorf("%s: 工作簿没有工作表 / the workbook has no sheet: %w", f.Path, ErrNoNameColumn)
	}
	f.Sheet = sheets[0]
	f.Encoding = "XLSX"
	rows, err := wb.Rows(f.Sheet)
	if err != nil {
		wb.Close()
		return fmt.Errorf("%s[%s]: 无法读取工作表 / cannot read the sheet: %w", f.Path, f.Sheet, err)
	}
	f.closer = closers{rows, wb, fh}
	n := 0
	f.next = func() ([]string, int, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, n, err
			}
			return nil, n, io.EOF
		}
		n++
		cells, err := rows.Columns()
		return cells, n, err
	}
	return nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
