package ingest

import (
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want store.Date
		ok   bool
	}{
		{"", store.Date{}, true},
		{"1951年10月", store.Date{Year: 1951, Month: 10, Text: "1951年10月"}, true},
		{"1951.10", store.Date{Year: 1951, Month: 10, Text: "1951.10"}, true},
		{"1951-10-03", store.Date{Year: 1951, Month: 10, Day: 3, Text: "1951-10-03"}, true},
		{"１９５１－１０", store.Date{Year: 1951, Month: 10, Text: "１９５１－１０"}, true},
		{"19511003", store.Date{Year: 1951, Month: 10, Day: 3, Text: "19511003"}, true},
		{"一九五一年", store.Date{Year: 1951, Text: "一九五一年"}, true},
		{"一九五一年十月三日", store.Date{Year: 1951, Month: 10, Day: 3, Text: "一九五一年十月三日"}, true},
		{"1951年秋", store.Date{Year: 1951, Month: 7, ToYear: 1951, ToMonth: 9, Text: "1951年秋"}, true},
		{"1951年10月下旬", store.Date{Year: 1951, Month: 10, Day: 21, ToYear: 1951, ToMonth: 10, ToDay: 31, Text: "1951年10月下旬"}, true},
		{"1951", store.Date{Year: 1951, Text: "1951"}, true},
		{"不详", store.Date{Text: "不详"}, true},
		{"19x1年", store.Date{Text: "19x1年"}, false},
		{"1951年13月", store.Date{}, false},
		{"1951.13", store.Date{}, false},
		{"昨天", store.Date{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if ok != tt.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v (%+v)", tt.in, ok, tt.ok, got)
			continue
		}
		if ok && got != tt.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseSex(t *testing.T) {
	for in, want := range map[string]store.Sex{"男": store.SexMale, "女": store.SexFemale, "M": store.SexMale, "ｆ": store.SexFemale, "": store.SexUnknown, "不详": store.SexUnknown} {
		if got, ok := ParseSex(in); !ok || got != want {
			t.Errorf("ParseSex(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseSex("公"); ok {
		t.Error("ParseSex(公) accepted")
	}
}

func TestParseGrave(t *testing.T) {
	tests := []struct {
		in   string
		want store.Grave
		ok   bool
	}{
		{"1排12号", store.Grave{Row: "1", Number: "12", Text: "1排12号"}, true},
		{"三区2排5号", store.Grave{Section: "3", Row: "2", Number: "5", Text: "三区2排5号"}, true},
		{"A区 十排 3号", store.Grave{Section: "A", Row: "10", Number: "3", Text: "A区 十排 3号"}, true},
		{"５号", store.Grave{Number: "5", Text: "５号"}, true},
		{"东边第三个", store.Grave{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseGrave(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseGrave(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in       string
		name     string
		variants []string
		ok       bool
	}{
		{"马广宇(马广余)", "马广宇", []string{"马广余"}, true},
		{"马广宇（又名马广余）", "马广宇", []string{"马广余"}, true},
		{"张　三", "张三", nil, true},
		{" 李 大 山 ", "李大山", nil, true},
		{"ＡＢＣ", "ABC", nil, true},
		{"买买提 艾力", "买买提艾力", nil, true},
		{"Ivan  Petrov", "Ivan Petrov", nil, true},
		{"钱(钱多", "", nil, false},
		{"()", "", nil, false},
	}
	for _, tt := range tests {
		name, vs, ok := ParseName(tt.in)
		if ok != tt.ok || name != tt.name || !slices.Equal(vs, tt.variants) {
			t.Errorf("ParseName(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, vs, ok, tt.name, tt.variants, tt.ok)
		}
	}
}
