package store

import (
	"errors"
	"testing"
)

func TestDate(t *testing.T) {
	tests := []struct {
		name      string
		d         Date
		precision string
		str       string
		lo, hi    int
		valid     bool
	}{
		{"unknown", Date{Text: "不详"}, "unknown", "不详", 0, 0, true},
		{"year", Date{Year: 1951, Text: "一九五一年"}, "year", "1951", 1951, 1951, true},
		{"month", Date{Year: 1951, Month: 10}, "month", "1951-10", 1951, 1951, true},
		{"day", Date{Year: 1951, Month: 10, Day: 3}, "day", "1951-10-03", 1951, 1951, true},
		{"season", Date{Year: 1951, Month: 7, ToYear: 1951, ToMonth: 9, Text: "1951年秋"}, "range", "1951-07/1951-09", 1951, 1951, true},
		{"years", Date{Year: 1950, ToYear: 1953}, "range", "1950/1953", 1950, 1953, true},
		{"month without year", Date{Month: 3}, "unknown", "", 0, 0, false},
		{"day without month", Date{Year: 1950, Day: 3}, "year", "1950", 1950, 1950, false},
		{"month 13", Date{Year: 1950, Month: 13}, "month", "1950-13", 1950, 1950, false},
		{"year 0950", Date{Year: 950}, "year", "0950", 950, 950, false},
		{"range backwards", Date{Year: 1953, ToYear: 1950}, "range", "1953/1950", 1953, 1950, false},
		{"end without start", Date{ToYear: 1950}, "unknown", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Precision(); got != tt.precision {
				t.Errorf("Precision() = %q, want %q", got, tt.precision)
			}
			if got := tt.d.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if lo, hi := tt.d.YearBounds(); lo != tt.lo || hi != tt.hi {
				t.Errorf("YearBounds() = %d, %d, want %d, %d", lo, hi, tt.lo, tt.hi)
			}
			if err := tt.d.Validate(); (err == nil) != tt.valid {
				t.Errorf("Validate() = %v, want valid=%v", err, tt.valid)
			}
		})
	}
}

func TestSurname(t *testing.T) {
	for name, want := range map[string]string{
		"王德明": "王", "欧阳海": "欧阳", "欧阳": "欧", "诸葛 亮": "诸葛", "  张 三 ": "张", "": "", "單雄信": "單",
	} {
		if got := Surname(name); got != want {
			t.Errorf("Surname(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCursor(t *testing.T) {
	for _, key := range []string{"m-1", "烈士|42", "a b"} {
		got, err := DecodeCursor(EncodeCursor(key))
		if err != nil || got != key {
			t.Errorf("round trip %q = %q, %v", key, got, err)
		}
	}
	if got, err := DecodeCursor(""); got != "" || err != nil {
		t.Errorf("empty cursor = %q, %v", got, err)
	}
	for _, bad := range []string{"garbage!", "bm90LWEtY3Vyc29y", "azo"} {
		if _, err := DecodeCursor(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("DecodeCursor(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestPageSize(t *testing.T) {
	tests := []struct {
		first, want int
		ok          bool
	}{{0, DefaultPageSize, true}, {1, 1, true}, {MaxPageSize, MaxPageSize, true}, {MaxPageSize + 1, 0, false}, {-1, 0, false}}
	for _, tt := range tests {
		got, err := PageSize(PageReq{First: tt.first})
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("PageSize(%d) = %d, %v", tt.first, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("PageSize(%d) error %v is not ErrInvalid", tt.first, err)
		}
	}
}

func TestValidateReturnsExternalRefsOnce(t *testing.T) {
	b := &Batch{
		Places: []Place{{ID: "v1", Name: "村", Level: LevelVillage, ParentID: "county"},
			{ID: "v2", Name: "村", Level: LevelVillage, ParentID: "county", PartTo: []PlaceChange{{ToID: "v1"}}}},
		Martyrs: []Martyr{{ID: "m1", Name: "王德明", HometownID: "v1"}, {ID: "m2", Name: "李华", HometownID: "v1", UnitID: "u"}},
	}
	refs, err := b.Validate()
	if err != nil {
		t.Fatal(err)
	}
	got := RefsByKind(refs)
	if len(got) != 2 || len(got[KindPlace]) != 1 || got[KindPlace][0] != "county" || len(got[KindUnit]) != 1 {
		t.Fatalf("external refs = %v, want the county and the unit once each", got)
	}
	if err := MissingRefs(refs, func(r Ref) bool { return r.Kind == KindPlace }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("MissingRefs = %v, want ErrInvalid for the unit", err)
	}
}
