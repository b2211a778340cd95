package storetest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

func listCases() []testCase {
	return []testCase{
		{"Filters", testListFilters},
		{"Pagination", testPagination},
		{"DefaultPageSize", testDefaultPageSize},
		{"CursorStableUnderInserts", testCursorStability},
		{"InvalidPageRequests", testInvalidPages},
	}
}

// listWorld is the gazetteer with martyrs chosen to tell the filters
// apart. Comments give hometown, death date, unit and cemetery.
func listWorld() *store.Batch {
	b := Gazetteer()
	y := func(y int) store.Date { return store.Date{Year: y} }
	b.Martyrs = []store.Martyr{
		{ID: "l-01", Name: "王德明", HometownID: PlaceJiaoxianVillage, Died: y(1950), UnitID: Unit238Regiment, CemeteryID: CemeteryQingdao},
		{ID: "l-02", Name: "王明", HometownID: PlaceJiaoxian, Died: store.Date{Year: 1951, Month: 7, ToYear: 1951, ToMonth: 9}},
		{ID: "l-03", Name: "欧阳振华", HometownID: PlaceJiaozhouVillage, Died: y(1952), UnitID: Unit81Division, CemeteryID: CemeteryJiaozhou},
		{ID: "l-04", Name: "欧小明", HometownID: PlaceLaixiVillage, Died: y(1950), UnitID: Unit238Regiment},
		{ID: "l-05", Unnamed: true, CemeteryID: CemeteryQingdao, Died: store.Date{Text: "不详"}},
		{ID: "l-06", Name: "李长顺", HometownID: PlaceJimoXianVillage, Died: store.Date{Year: 1950, ToYear: 1953}},
		{ID: "l-07", Name: "张德胜", HometownID: PlaceJimoQuVillage, Died: y(1953), UnitID: Unit238Regiment, CemeteryID: CemeteryQingdao},
		{ID: "l-08", Name: "王福", HometownID: PlaceYexianVillage},
		{ID: "l-09", Unnamed: true, Name: "", HometownID: PlaceJiaozhou, Died: y(1951), CemeteryID: CemeteryJiaozhou},
		{ID: "l-10", Name: "刘玉山", HometownID: PlaceJiaozhouTown, Died: y(1949)},
		{ID: "l-11", Name: "王宝林", HometownID: PlaceJiaoxianTown, Died: store.Date{Year: 1950, Month: 6}},
		{ID: "l-12", Name: "司马光远", HometownID: PlaceHebeiCountyVilla, Died: y(1947)},
		{ID: "l-13", Name: "赵喜娃", HometownID: PlaceJimoShi, Died: y(1951)},
	}
	return b
}

func ls(ids ...int) []string {
	out := make([]string, len(ids))
	for i, n := range ids {
		out[i] = fmt.Sprintf("l-%02d", n)
	}
	return out
}

func testListFilters(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, listWorld())
	yes, no := true, false
	cases := []struct {
		name string
		f    store.MartyrFilter
		want []string
	}{
		{"NoFilter", store.MartyrFilter{}, ls(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)},
		{"Surname", store.MartyrFilter{Surname: "王"}, ls(1, 2, 8, 11)},
		{"CompoundSurname", store.MartyrFilter{Surname: "欧阳"}, ls(3)},
		{"SurnameNotPrefixOfCompound", store.MartyrFilter{Surname: "欧"}, ls(4)},
		{"CompoundSurname司马", store.MartyrFilter{Surname: "司马"}, ls(12)},
		// 胶州市: itself, what lies beneath it, and 胶县 which it
		// replaced with everything beneath 胶县.
		{"PlaceWithFormerCounty", store.MartyrFilter{PlaceID: PlaceJiaozhou}, ls(1, 2, 3, 9, 10, 11)},
		// The former county does not reach forward to its successor.
		{"PlaceFormerCountyOnly", store.MartyrFilter{PlaceID: PlaceJiaoxian}, ls(1, 2, 11)},
		{"PlaceTownship", store.MartyrFilter{PlaceID: PlaceJiaoxianTown}, ls(1, 11)},
		{"PlaceVillage", store.MartyrFilter{PlaceID: PlaceJiaozhouVillage}, ls(3)},
		// 即墨区 replaced 即墨市, which replaced 即墨县: transitively.
		{"PlaceTransitiveFormerNames", store.MartyrFilter{PlaceID: PlaceJimoQu}, ls(6, 7, 13)},
		{"PlaceMiddleOfChain", store.MartyrFilter{PlaceID: PlaceJimoShi}, ls(6, 13)},
		{"PlacePrefecture", store.MartyrFilter{PlaceID: PlaceQingdao}, ls(1, 2, 3, 4, 6, 7, 9, 10, 11, 13)},
		{"PlaceOtherPrefectureRenamed", store.MartyrFilter{PlaceID: PlaceLaizhou}, ls(8)},
		{"PlaceProvince", store.MartyrFilter{PlaceID: PlaceShandong}, ls(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13)},
		{"PlaceUnrelatedCounty", store.MartyrFilter{PlaceID: PlaceLaixi}, ls(4)},
		{"PlaceOtherProvince", store.MartyrFilter{PlaceID: PlaceHebei}, ls(12)},
		{"DiedFrom", store.MartyrFilter{DiedFrom: 1951}, ls(2, 3, 6, 7, 9, 13)},
		{"DiedTo", store.MartyrFilter{DiedTo: 1950}, ls(1, 4, 6, 10, 11, 12)},
		{"DiedOneYear", store.MartyrFilter{DiedFrom: 1951, DiedTo: 1951}, ls(2, 6, 9, 13)},
		{"DiedRangeOverlap", store.MartyrFilter{DiedFrom: 1952, DiedTo: 1952}, ls(3, 6)},
		{"DiedNone", store.MartyrFilter{DiedFrom: 1954}, nil},
		{"Cemetery", store.MartyrFilter{CemeteryID: CemeteryQingdao}, ls(1, 5, 7)},
		{"OtherCemetery", store.MartyrFilter{CemeteryID: CemeteryJiaozhou}, ls(3, 9)},
		{"Unit", store.MartyrFilter{UnitID: Unit238Regiment}, ls(1, 4, 7)},
		{"Unnamed", store.MartyrFilter{Unnamed: &yes}, ls(5, 9)},
		{"Named", store.MartyrFilter{Unnamed: &no}, ls(1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 13)},
		{"SurnameAndPlace", store.MartyrFilter{Surname: "王", PlaceID: PlaceJiaozhou}, ls(1, 2, 11)},
		{"SurnameAndYear", store.MartyrFilter{Surname: "王", DiedFrom: 1950, DiedTo: 1950}, ls(1, 11)},
		{"UnnamedAndCemetery", store.MartyrFilter{Unnamed: &yes, CemeteryID: CemeteryJiaozhou}, ls(9)},
		{"PlaceUnitYear", store.MartyrFilter{PlaceID: PlaceQingdao, UnitID: Unit238Regiment, DiedFrom: 1951}, ls(7)},
		{"PlaceAndYearRange", store.MartyrFilter{PlaceID: PlaceJimoQu, DiedTo: 1950}, ls(6)},
		{"NothingMatches", store.MartyrFilter{Surname: "李", PlaceID: PlaceLaixi}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := st.ListMartyrs(t.Context(), c.f, store.PageReq{First: store.MaxPageSize})
			if err != nil {
				t.Fatalf("ListMartyrs(%+v): %v", c.f, err)
			}
			sameIDs(t, fmt.Sprintf("ListMartyrs(%+v)", c.f), martyrIDs(p.Items), c.want)
			if p.Total != len(c.want) {
				t.Errorf("Total = %d, want %d", p.Total, len(c.want))
			}
			if p.HasNext {
				t.Error("HasNext on a page holding everything")
			}
			// A small page counts the same total.
			small, err := st.ListMartyrs(t.Context(), c.f, store.PageReq{First: 1})
			if err != nil {
				t.Fatal(err)
			}
			if small.Total != len(c.want) || small.HasNext != (len(c.want) > 1) {
				t.Errorf("page of 1: Total %d HasNext %v, want %d %v", small.Total, small.HasNext, len(c.want), len(c.want) > 1)
			}
		})
	}
}

func testPagination(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Gazetteer())
	const n = 45
	mustApply(t, st, Bulk("pg", n))
	var want []string
	for i := range n {
		want = append(want, BulkMartyrID("pg", i))
	}
	slices.Sort(want)

	cases := []struct {
		name string
		f    store.MartyrFilter
		size int
		want []string
	}{
		{"AllBy5", store.MartyrFilter{}, 5, want},     // 9 full pages: the last must say HasNext false
		{"AllBy7", store.MartyrFilter{}, 7, want},     // a short last page
		{"AllBy100", store.MartyrFilter{}, 100, want}, // one page
	}
	// A filtered list pages the same way.
	var jiao []string
	for _, m := range Bulk("pg", n).Martyrs {
		if m.HometownID == PlaceJiaoxianVillage || m.HometownID == PlaceJiaoxian {
			jiao = append(jiao, m.ID)
		}
	}
	slices.Sort(jiao)
	cases = append(cases, struct {
		name string
		f    store.MartyrFilter
		size int
		want []string
	}{"FilteredBy2", store.MartyrFilter{PlaceID: PlaceJiaoxian}, 2, jiao})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			req := store.PageReq{First: c.size}
			pages := 0
			for {
				p, err := st.ListMartyrs(t.Context(), c.f, req)
				if err != nil {
					t.Fatalf("page %d: %v", pages+1, err)
				}
				pages++
				if p.Total != len(c.want) {
					t.Errorf("page %d: Total %d, want %d", pages, p.Total, len(c.want))
				}
				if len(p.Items) > c.size {
					t.Errorf("page %d has %d items, more than %d", pages, len(p.Items), c.size)
				}
				if len(p.Items) > 0 && p.EndCursor == "" {
					t.Errorf("page %d has items but no EndCursor", pages)
				}
				got = append(got, martyrIDs(p.Items)...)
				if !p.HasNext {
					break
				}
				if len(p.Items) == 0 {
					t.Fatalf("page %d is empty but says HasNext", pages)
				}
				if pages > len(c.want)+1 {
					t.Fatal("pagination does not end")
				}
				req.After = p.EndCursor
			}
			sameIDs(t, "ids over all pages", got, c.want)
			if wantPages := max(1, (len(c.want)+c.size-1)/c.size); pages != wantPages {
				t.Errorf("took %d pages, want %d", pages, wantPages)
			}
		})
	}
	t.Run("PastTheEnd", func(t *testing.T) {
		all, err := st.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: n})
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: 5, After: all.EndCursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 0 || p.HasNext || p.EndCursor != "" || p.Total != n {
			t.Errorf("page after the last item: %d items, HasNext %v, EndCursor %q, Total %d; want empty with Total %d",
				len(p.Items), p.HasNext, p.EndCursor, p.Total, n)
		}
	})
}

func testDefaultPageSize(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Gazetteer())
	mustApply(t, st, Bulk("dp", store.DefaultPageSize+5))
	p, err := st.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != store.DefaultPageSize || !p.HasNext || p.Total != store.DefaultPageSize+5 {
		t.Errorf("First 0: %d items, HasNext %v, Total %d; want %d, true, %d",
			len(p.Items), p.HasNext, p.Total, store.DefaultPageSize, store.DefaultPageSize+5)
	}
	if _, err := st.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize}); err != nil {
		t.Errorf("First = MaxPageSize is allowed: %v", err)
	}
}

func testCursorStability(t *testing.T, s suite) {
	st := s.fresh(t)
	add := func(ids ...string) {
		t.Helper()
		b := &store.Batch{}
		for _, id := range ids {
			b.Martyrs = append(b.Martyrs, store.Martyr{ID: id, Name: "周" + id})
		}
		mustApply(t, st, b)
	}
	add("c-010", "c-020", "c-030", "c-040", "c-050", "c-060", "c-070", "c-080", "c-090", "c-100")
	page := func(after string) store.Page[store.Martyr] {
		t.Helper()
		p, err := st.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := page("")
	sameIDs(t, "page 1", martyrIDs(p1.Items), []string{"c-010", "c-020", "c-030"})
	// Rows before the cursor (c-005, c-015) must not shift the next page;
	// a row after it (c-035) belongs to it.
	add("c-005", "c-015", "c-035")
	p2 := page(p1.EndCursor)
	sameIDs(t, "page 2", martyrIDs(p2.Items), []string{"c-035", "c-040", "c-050"})
	if p2.Total != 13 {
		t.Errorf("page 2 Total = %d, want 13 (the total follows inserts)", p2.Total)
	}
	add("c-045", "c-095", "c-000")
	p3 := page(p2.EndCursor)
	sameIDs(t, "page 3", martyrIDs(p3.Items), []string{"c-060", "c-070", "c-080"})
	p4 := page(p3.EndCursor)
	sameIDs(t, "page 4", martyrIDs(p4.Items), []string{"c-090", "c-095", "c-100"})
	if p4.HasNext {
		t.Error("page 4 says HasNext; nothing sorts after c-100")
	}
	// The same cursor still gives the same page.
	again := page(p1.EndCursor)
	sameIDs(t, "page 2 fetched again", martyrIDs(again.Items), []string{"c-035", "c-040", "c-045"})
}

func testInvalidPages(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Fixture())
	bad := []struct {
		name string
		req  store.PageReq
	}{
		{"GarbageCursor", store.PageReq{First: 5, After: "!!not a cursor!!"}},
		{"ForeignCursor", store.PageReq{First: 5, After: base64.RawURLEncoding.EncodeToString([]byte("offset:10"))}},
		{"TooLarge", store.PageReq{First: store.MaxPageSize + 1}},
		{"Negative", store.PageReq{First: -1}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			_, err := st.ListMartyrs(ctx, store.MartyrFilter{}, c.req)
			wantErr(t, "ListMartyrs", err, store.ErrInvalid)
			_, err = st.ListMartyrs(ctx, store.MartyrFilter{PlaceID: PlaceQingdao}, c.req)
			wantErr(t, "ListMartyrs by place", err, store.ErrInvalid)
			_, err = st.Neighbours(ctx, MartyrWangDeming, store.SameCounty, c.req)
			wantErr(t, "Neighbours", err, store.ErrInvalid)
			_, err = st.ListLeads(ctx, store.LeadFilter{}, c.req)
			wantErr(t, "ListLeads", err, store.ErrInvalid)
		})
	}
}
