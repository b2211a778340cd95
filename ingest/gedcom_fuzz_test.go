package ingest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/guigen/guigen/ingest"
)

// FuzzGEDCOM feeds arbitrary bytes to the parser and the mapping: they
// must return a clear error or a tree, never panic, and every problem
// they report must name a line of the input.
func FuzzGEDCOM(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ged")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"0 HEAD\n1 GEDC\n2 VERS 7.0\n0 @I1@ INDI\n1 NAME /王/德胜\n1 _GUIGEN_MARTYR m-1\n0 TRLR\n",
		"0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR ANSEL\n0 TRLR\n",
		"0 HEAD\r\n1 GEDC\r\n2 VERS 5.5.1\r\n0 @F1@ FAM\r\n1 CHIL @I1@\r\n1 HUSB @F1@\r\n0 TRLR",
		"0 HEAD\n1 GEDC\n2 VERS 7.0\n0 @I1@ INDI\n1 BIRT\n2 DATE BET 1951 AND 1950\n1 ASSO @I1@\n2 ROLE OTHER\n3 PHRASE 父\n0 TRLR\n",
		"\xff\xfe0\x00 \x00H\x00E\x00A\x00D\x00",
		"0 HEAD\n1 GEDC\n2 VERS 5.5\n1 NOTE @@x\n2 CONC y\n2 CONT\n0 @S1@ SOUR\n1 TITL 族谱\n0 @I1@ INDI\n1 SOUR @S1@\n2 QUAY x\n1 NAME a\n0 TRLR\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ingest.ParseGEDCOM(bytes.NewReader(data), "fuzz.ged")
		if err != nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		for _, e := range g.Errors {
			if e.Line < 1 || e.Line > lines+1 {
				t.Fatalf("error names line %d of a %d-line input: %v", e.Line, lines, e)
			}
		}
		m, err := ingest.MapGEDCOM(context.Background(), g, nil, ingest.GEDCOMOptions{})
		if err != nil {
			t.Fatalf("mapping without a store failed: %v", err)
		}
		if _, err := m.Batch.Validate(); err != nil {
			// Bad values must be caught before the store sees them.
			t.Fatalf("mapped batch is invalid: %v", err)
		}
	})
}
