package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

// FuzzReadPlaces feeds arbitrary bytes to ReadPlaces. Beyond never
// panicking, whatever it accepts must be a batch the store accepts on
// its own: unique ids, every parent and successor inside the batch, no
// place its own parent or successor; merging other names into the small
// gazetteer must keep that true.
func FuzzReadPlaces(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "places*.csv"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(gbk(f, string(b)))
		f.Add(append([]byte("\ufeff"), b...))
	}
	for _, s := range []string{
		"",
		"\ufeff",
		"代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n910000,北岭省,,北岭省,省级,在用,1981,,910000[1990]\n",
		"代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n910121,北岭省,直辖,甲县,县级,弃用,1981,1985,910121;910121[1983]\n",
		"名称,代码,启用时间,弃用时间,备注\n\"a\"\"b\",910000-1981,1950,1950,误写\n",
		"代码,名称\n\"unterminated\n",
	} {
		f.Add([]byte(s))
	}
	base, err := os.ReadFile(filepath.Join("testdata", "places_areacodes.csv"))
	if err != nil {
		f.Fatal(err)
	}
	small, err := ReadPlaces(bytes.NewReader(base), "places_areacodes.csv")
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := ReadPlaces(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		if len(pf.Errors) > MaxPlaceRowErrors {
			t.Fatalf("%d errors kept, limit %d", len(pf.Errors), MaxPlaceRowErrors)
		}
		for _, e := range pf.Errors {
			if e.Line < 1 || e.File != "fuzz.csv" || e.Reason == "" {
				t.Fatalf("row error without a place: %+v", e)
			}
		}
		switch pf.Format {
		case PlacesAreaCodes:
			if refs, err := (&store.Batch{Places: pf.Places}).Validate(); err != nil || len(refs) != 0 {
				t.Fatalf("places do not validate on their own: refs %v, err %v", refs, err)
			}
		case PlacesOtherNames:
			places := slices.Clone(small.Places)
			for i := range places {
				places[i].OtherNames = slices.Clone(places[i].OtherNames)
			}
			MergeOtherNames(places, pf.OtherNames)
			if _, err := (&store.Batch{Places: places}).Validate(); err != nil {
				t.Fatalf("merged places do not validate: %v", err)
			}
		default:
			t.Fatalf("no error and no format")
		}
	})
}
