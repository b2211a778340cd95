package storetest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

func placeCases() []testCase {
	return []testCase{
		{"Empty", testListPlacesEmpty},
		{"PagesThroughGazetteer", testListPlacesPaging},
		{"DefaultPageSize", testListPlacesDefaultSize},
		{"CursorStableUnderInserts", testListPlacesCursorStability},
		{"InvalidPageRequests", testListPlacesInvalid},
		{"RoundTrip", testListPlacesRoundTrip},
	}
}

func placeIDs(ps []store.Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// placesByID is a copy of ps in the order ListPlaces promises.
func placesByID(ps []store.Place) []store.Place {
	return byKey(ps, func(p store.Place) string { return p.ID })
}

func testListPlacesEmpty(t *testing.T, s suite) {
	st := s.fresh(t)
	for _, req := range []store.PageReq{{}, {First: 3}, {First: store.MaxPageSize}} {
		p, err := st.ListPlaces(t.Context(), req)
		if err != nil {
			t.Fatalf("ListPlaces(%+v): %v", req, err)
		}
		if len(p.Items) != 0 || p.Total != 0 || p.HasNext || p.EndCursor != "" {
			t.Errorf("ListPlaces(%+v) on an empty store = %d items, total %d, hasNext %v, cursor %q; want nothing",
				req, len(p.Items), p.Total, p.HasNext, p.EndCursor)
		}
	}
	// Martyrs and units are not places.
	b := &store.Batch{
		Units:   []store.Unit{{ID: "u-1", Name: "第1团"}},
		Martyrs: []store.Martyr{{ID: "m-1", Name: "王一"}},
	}
	mustApply(t, st, b)
	p, err := st.ListPlaces(t.Context(), store.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 0 || p.Total != 0 {
		t.Errorf("ListPlaces with no places but other entities = %q, total %d; want nothing", placeIDs(p.Items), p.Total)
	}
}

func testListPlacesPaging(t *testing.T, s suite) {
	st := s.fresh(t)
	g := Gazetteer()
	mustApply(t, st, g)
	// Former places (胶县, 即墨县, 掖县, ...) are listed like current ones.
	want := placesByID(g.Places)
	const size = 3
	var got []store.Place
	req := store.PageReq{First: size}
	pages := 0
	for {
		p, err := st.ListPlaces(t.Context(), req)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		if p.Total != len(want) {
			t.Errorf("page %d: Total %d, want %d", pages, p.Total, len(want))
		}
		if len(p.Items) > size {
			t.Errorf("page %d has %d items, more than %d", pages, len(p.Items), size)
		}
		if len(p.Items) > 0 && p.EndCursor == "" {
			t.Errorf("page %d has items but no EndCursor", pages)
		}
		got = append(got, p.Items...)
		if wantNext := len(got) < len(want); p.HasNext != wantNext {
			t.Errorf("page %d: HasNext %v after %d of %d places", pages, p.HasNext, len(got), len(want))
		}
		if !p.HasNext {
			break
		}
		if len(p.Items) == 0 {
			t.Fatalf("page %d is empty but says HasNext", pages)
		}
		if pages > len(want)+1 {
			t.Fatal("pagination does not end")
		}
		req.After = p.EndCursor
	}
	sameIDs(t, "ids over all pages", placeIDs(got), placeIDs(want))
	same(t, "places over all pages", got, want)
	if wantPages := (len(want) + size - 1) / size; pages != wantPages {
		t.Errorf("took %d pages, want %d", pages, wantPages)
	}

	t.Run("PastTheEnd", func(t *testing.T) {
		all, err := st.ListPlaces(t.Context(), store.PageReq{First: store.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) != len(want) || all.HasNext || all.Total != len(want) {
			t.Fatalf("one page for all: %d items, HasNext %v, Total %d; want %d, false, %d",
				len(all.Items), all.HasNext, all.Total, len(want), len(want))
		}
		p, err := st.ListPlaces(t.Context(), store.PageReq{First: size, After: all.EndCursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 0 || p.HasNext || p.EndCursor != "" || p.Total != len(want) {
			t.Errorf("page after the last place: %d items, HasNext %v, EndCursor %q, Total %d; want empty with Total %d",
				len(p.Items), p.HasNext, p.EndCursor, p.Total, len(want))
		}
	})
}

func testListPlacesDefaultSize(t *testing.T, s suite) {
	st := s.fresh(t)
	b := &store.Batch{}
	for _, id := range bulkPlaceIDs(store.DefaultPageSize + 4) {
		b.Places = append(b.Places, store.Place{ID: id, Name: "村" + id, Level: store.LevelVillage})
	}
	mustApply(t, st, b)
	p, err := st.ListPlaces(t.Context(), store.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != store.DefaultPageSize || !p.HasNext || p.Total != store.DefaultPageSize+4 {
		t.Errorf("First 0: %d items, HasNext %v, Total %d; want %d, true, %d",
			len(p.Items), p.HasNext, p.Total, store.DefaultPageSize, store.DefaultPageSize+4)
	}
}

// bulkPlaceIDs returns n distinct place ids in ID order.
func bulkPlaceIDs(n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = "pl-bulk-" + string(rune('a'+i/26)) + string(rune('a'+i%26))
	}
	return out
}

func testListPlacesCursorStability(t *testing.T, s suite) {
	st := s.fresh(t)
	add := func(ids ...string) {
		t.Helper()
		b := &store.Batch{}
		for _, id := range ids {
			b.Places = append(b.Places, store.Place{ID: id, Name: "县" + id, Level: store.LevelCounty})
		}
		mustApply(t, st, b)
	}
	add("pc-010", "pc-020", "pc-030", "pc-040", "pc-050", "pc-060", "pc-070", "pc-080", "pc-090", "pc-100")
	page := func(after string) store.Page[store.Place] {
		t.Helper()
		p, err := st.ListPlaces(t.Context(), store.PageReq{First: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := page("")
	sameIDs(t, "page 1", placeIDs(p1.Items), []string{"pc-010", "pc-020", "pc-030"})
	if p1.Total != 10 || !p1.HasNext {
		t.Errorf("page 1: Total %d HasNext %v, want 10 true", p1.Total, p1.HasNext)
	}
	// Places before the cursor (pc-005, pc-015) must not shift the next
	// page; one after it (pc-035) belongs to it.
	add("pc-005", "pc-015", "pc-035")
	p2 := page(p1.EndCursor)
	sameIDs(t, "page 2", placeIDs(p2.Items), []string{"pc-035", "pc-040", "pc-050"})
	if p2.Total != 13 {
		t.Errorf("page 2 Total = %d, want 13 (the total follows inserts)", p2.Total)
	}
	add("pc-045", "pc-095", "pc-000")
	p3 := page(p2.EndCursor)
	sameIDs(t, "page 3", placeIDs(p3.Items), []string{"pc-060", "pc-070", "pc-080"})
	p4 := page(p3.EndCursor)
	sameIDs(t, "page 4", placeIDs(p4.Items), []string{"pc-090", "pc-095", "pc-100"})
	if p4.HasNext {
		t.Error("page 4 says HasNext; nothing sorts after pc-100")
	}
	if p4.Total != 16 {
		t.Errorf("page 4 Total = %d, want 16", p4.Total)
	}
	// The same cursor still gives the same page, now with pc-045.
	again := page(p1.EndCursor)
	sameIDs(t, "page 2 fetched again", placeIDs(again.Items), []string{"pc-035", "pc-040", "pc-045"})
	// Rewriting a place already seen neither repeats nor drops it.
	mustApply(t, st, &store.Batch{Places: []store.Place{{ID: "pc-020", Name: "县改名", Level: store.LevelCounty}}})
	p5 := page(p1.EndCursor)
	sameIDs(t, "page 2 after rewriting pc-020", placeIDs(p5.Items), []string{"pc-035", "pc-040", "pc-045"})
}

func testListPlacesInvalid(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Gazetteer())
	bad := []struct {
		name string
		req  store.PageReq
	}{
		{"GarbageCursor", store.PageReq{First: 5, After: "!!not a cursor!!"}},
		{"ForeignCursor", store.PageReq{First: 5, After: base64.RawURLEncoding.EncodeToString([]byte("offset:10"))}},
		{"EmptyKeyCursor", store.PageReq{First: 5, After: base64.RawURLEncoding.EncodeToString([]byte("k:"))}},
		{"TooLarge", store.PageReq{First: store.MaxPageSize + 1}},
		{"Negative", store.PageReq{First: -1}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			p, err := st.ListPlaces(t.Context(), c.req)
			wantErr(t, "ListPlaces", err, store.ErrInvalid)
			if len(p.Items) != 0 {
				t.Errorf("ListPlaces(%+v) returned %d places with its error", c.req, len(p.Items))
			}
		})
	}
}

// roundTripPlaces uses every field of a place. The history is Qingdao's:
// 崂山县 was abolished in 1988 and split between 崂山区 and 黄岛区; 胶南县
// gave 黄岛区 part of its territory that year and became 胶南市 in 1990.
func roundTripPlaces() []store.Place {
	return []store.Place{
		{ID: "rt-37", Code: "370000", Name: "山东省", Level: store.LevelProvince, Lat: 36.6683, Lon: 117.0204,
			OtherNames: []store.PlaceName{{Name: "鲁", Kind: "informal"}, {Name: "山東省", Kind: "historical", Source: "旧志"}}},
		{ID: "rt-3702", Code: "370200", Name: "青岛市", Level: store.LevelPrefecture, ParentID: "rt-37", Lat: 36.0671, Lon: 120.3826},
		{ID: "rt-laoshan-xian", Name: "崂山县", Level: store.LevelCounty, ParentID: "rt-3702", From: 1961, To: 1988,
			ReplacedBy: []store.PlaceChange{
				{ToID: "rt-laoshan-qu", Year: 1988, Kind: "split"},
				{ToID: "rt-huangdao", Year: 1988, Kind: "split"},
			},
			OtherNames: []store.PlaceName{
				{Name: "崂山郊区", Kind: "historical", From: 1953, To: 1961, Source: "青岛市志"},
				{Name: "劳山县", Kind: "misspelled", Source: "烈士证明书"},
			}},
		{ID: "rt-laoshan-qu", Code: "370212", Name: "崂山区", Level: store.LevelCounty, ParentID: "rt-3702", From: 1988, Lat: 36.1072, Lon: 120.4686},
		{ID: "rt-huangdao", Code: "370211", Name: "黄岛区", Level: store.LevelCounty, ParentID: "rt-3702", From: 1988},
		{ID: "rt-jiaonan-xian", Name: "胶南县", Level: store.LevelCounty, ParentID: "rt-3702", From: 1945, To: 1990,
			ReplacedBy: []store.PlaceChange{{ToID: "rt-jiaonan-shi", Year: 1990, Kind: "upgrade"}},
			PartTo:     []store.PlaceChange{{ToID: "rt-huangdao", Year: 1988, Kind: "split"}, {ToID: "rt-laoshan-qu"}}},
		{ID: "rt-jiaonan-shi", Name: "胶南市", Level: store.LevelCounty, ParentID: "rt-3702", From: 1990, To: 2012,
			OtherNames: []store.PlaceName{{Name: "胶南", Kind: "informal", From: 1990}}},
		{ID: "rt-wangge", Name: "王哥庄镇", Level: store.LevelTownship, ParentID: "rt-laoshan-qu"},
		{ID: "rt-wangge-v", Name: "王哥庄村", Level: store.LevelVillage, ParentID: "rt-wangge",
			OtherNames: []store.PlaceName{{Name: "王哥庄大队", Kind: "historical", From: 1958, To: 1984}}},
	}
}

func testListPlacesRoundTrip(t *testing.T, s suite) {
	st := s.fresh(t)
	places := roundTripPlaces()
	mustApply(t, st, &store.Batch{Places: places})
	want := placesByID(roundTripPlaces())
	for _, size := range []int{1, 4, len(want)} {
		var got []store.Place
		req := store.PageReq{First: size}
		for range len(want) + 1 {
			p, err := st.ListPlaces(t.Context(), req)
			if err != nil {
				t.Fatalf("ListPlaces(%+v): %v", req, err)
			}
			got = append(got, p.Items...)
			if !p.HasNext {
				break
			}
			req.After = p.EndCursor
		}
		same(t, fmt.Sprintf("places listed %d a page", size), got, want)
	}
	// ListPlaces and GetPlaces agree.
	all, err := st.ListPlaces(t.Context(), store.PageReq{First: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	byID, err := st.GetPlaces(t.Context(), placeIDs(want))
	if err != nil {
		t.Fatal(err)
	}
	fromGet := make([]store.Place, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		fromGet = append(fromGet, byID[id])
	}
	same(t, "ListPlaces against GetPlaces", all.Items, fromGet)
	// Rewriting one place with changed fields is seen whole on the list.
	i := slices.IndexFunc(places, func(p store.Place) bool { return p.ID == "rt-laoshan-xian" })
	changed := places[i]
	changed.OtherNames = slices.Clone(changed.OtherNames[:1])
	changed.ReplacedBy = []store.PlaceChange{{ToID: "rt-laoshan-qu", Year: 1988, Kind: "rename"}}
	changed.PartTo = []store.PlaceChange{{ToID: "rt-huangdao", Year: 1988, Kind: "split"}}
	mustApply(t, st, &store.Batch{Places: []store.Place{changed}})
	after, err := st.ListPlaces(t.Context(), store.PageReq{First: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range want {
		if p.ID == changed.ID {
			want[i] = changed
		}
	}
	same(t, "places after rewriting 崂山县", after.Items, want)
}
