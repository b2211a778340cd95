package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/guigen/guigen/store"
)

// CSVHeader is the register's header as bureaus write it; `guigen ingest
// martyrs` reads it.
var CSVHeader = []string{"编号", "姓名", "别名", "性别", "出生年月", "籍贯", "入伍时间", "部队", "职务", "牺牲时间", "牺牲地点", "安葬地", "墓位"}

// CSVWriter writes records as a register CSV (UTF-8, Chinese headers).
type CSVWriter struct {
	w     *csv.Writer
	wrote bool
}

// NewCSVWriter returns a writer to w; the header is written with the
// first record (or by Flush when there is none).
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

func (cw *CSVWriter) header() error {
	if cw.wrote {
		return nil
	}
	cw.wrote = true
	return cw.w.Write(CSVHeader)
}

// Write writes one martyr as a row.
func (cw *CSVWriter) Write(m store.Martyr) error {
	if err := cw.header(); err != nil {
		return fmt.Errorf("synth: write csv: %w", err)
	}
	var aliases []string
	for _, a := range m.Aliases {
		aliases = append(aliases, a.Name)
	}
	sex := map[store.Sex]string{store.SexMale: "男", store.SexFemale: "女"}[m.Sex]
	row := []string{m.RegistryNo, m.Name, strings.Join(aliases, "、"), sex, m.Born.Text, m.HometownText,
		m.Enlisted.Text, m.UnitText, m.Position, m.Died.Text, m.DeathPlace, m.BurialText, m.Grave.Text}
	if err := cw.w.Write(row); err != nil {
		return fmt.Errorf("synth: write csv: %w", err)
	}
	return nil
}

// Flush writes what is buffered and reports any write error.
func (cw *CSVWriter) Flush() error {
	if err := cw.header(); err != nil {
		return fmt.Errorf("synth: write csv: %w", err)
	}
	cw.w.Flush()
	if err := cw.w.Error(); err != nil {
		return fmt.Errorf("synth: write csv: %w", err)
	}
	return nil
}
