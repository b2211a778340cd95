package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

// kindList is one of the plain lists (ListCemeteries, ListUnits, ...):
// every entity of one kind in ID order, checked against Get* and against
// the ids the fixture wrote.
type kindList struct {
	name string
	ids  func(b *store.Batch) []string
	list func(ctx context.Context, st store.Store, p store.PageReq) (ids []string, items []any, pg pageMeta, err error)
	get  func(ctx context.Context, st store.Store, ids []string) (map[string]any, error)
}

type pageMeta struct {
	endCursor string
	hasNext   bool
	total     int
}

func listOf[T any](list func(store.Store, context.Context, store.PageReq) (store.Page[T], error), id func(T) string) func(context.Context, store.Store, store.PageReq) ([]string, []any, pageMeta, error) {
	return func(ctx context.Context, st store.Store, p store.PageReq) ([]string, []any, pageMeta, error) {
		pg, err := list(st, ctx, p)
		ids := make([]string, len(pg.Items))
		items := make([]any, len(pg.Items))
		for i, v := range pg.Items {
			ids[i], items[i] = id(v), v
		}
		return ids, items, pageMeta{pg.EndCursor, pg.HasNext, pg.Total}, err
	}
}

func getOf[T any](get func(store.Store, context.Context, []string) (map[string]T, error)) func(context.Context, store.Store, []string) (map[string]any, error) {
	return func(ctx context.Context, st store.Store, ids []string) (map[string]any, error) {
		m, err := get(st, ctx, ids)
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out, err
	}
}

func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = id(v)
	}
	return out
}

func kindLists() []kindList {
	return []kindList{
		{"ListCemeteries",
			func(b *store.Batch) []string {
				return idsOf(b.Cemeteries, func(v store.Cemetery) string { return v.ID })
			},
			listOf(store.Store.ListCemeteries, func(v store.Cemetery) string { return v.ID }),
			getOf(store.Store.GetCemeteries)},
		{"ListUnits",
			func(b *store.Batch) []string { return idsOf(b.Units, func(v store.Unit) string { return v.ID }) },
			listOf(store.Store.ListUnits, func(v store.Unit) string { return v.ID }),
			getOf(store.Store.GetUnits)},
		{"ListEvents",
			func(b *store.Batch) []string { return idsOf(b.Events, func(v store.Event) string { return v.ID }) },
			listOf(store.Store.ListEvents, func(v store.Event) string { return v.ID }),
			getOf(store.Store.GetEvents)},
		{"ListExhibits",
			func(b *store.Batch) []string { return idsOf(b.Exhibits, func(v store.Exhibit) string { return v.ID }) },
			listOf(func(st store.Store, ctx context.Context, p store.PageReq) (store.Page[store.Exhibit], error) {
				return st.ListExhibits(ctx, store.ExhibitFilter{}, p)
			}, func(v store.Exhibit) string { return v.ID }),
			getOf(store.Store.GetExhibits)},
		{"ListPortraits",
			func(b *store.Batch) []string {
				return idsOf(b.Portraits, func(v store.Portrait) string { return v.ID })
			},
			listOf(func(st store.Store, ctx context.Context, p store.PageReq) (store.Page[store.Portrait], error) {
				return st.ListPortraits(ctx, store.PortraitFilter{}, p)
			}, func(v store.Portrait) string { return v.ID }),
			getOf(store.Store.GetPortraits)},
	}
}

func kindListCases() []testCase {
	return []testCase{
		{"Empty", testKindListsEmpty},
		{"PagesMatchGet", testKindListsPaging},
		{"InvalidPageRequests", testKindListsInvalid},
		{"PlaceChildren", testPlaceChildren},
		{"PortraitFilter", testListPortraitsFilter},
		{"ExhibitFilter", testListExhibitsFilter},
	}
}

func testKindListsEmpty(t *testing.T, s suite) {
	st := s.fresh(t)
	// Martyrs and places are none of these kinds.
	mustApply(t, st, &store.Batch{Martyrs: []store.Martyr{{ID: "m-1", Name: "王一"}}})
	for _, k := range kindLists() {
		ids, _, pg, err := k.list(t.Context(), st, store.PageReq{})
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		if len(ids) != 0 || pg.total != 0 || pg.hasNext || pg.endCursor != "" {
			t.Errorf("%s on a store without any = %q, total %d, hasNext %v, cursor %q; want nothing",
				k.name, ids, pg.total, pg.hasNext, pg.endCursor)
		}
	}
}

func testKindListsPaging(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	for _, k := range kindLists() {
		want := slices.Sorted(slices.Values(k.ids(b)))
		if len(want) == 0 {
			t.Fatalf("%s: the fixture has none of this kind; the case would prove nothing", k.name)
		}
		byID, err := k.get(t.Context(), st, want)
		if err != nil {
			t.Fatalf("%s: get: %v", k.name, err)
		}
		for _, size := range []int{1, 2, len(want)} {
			var gotIDs []string
			var gotItems []any
			req := store.PageReq{First: size}
			for range len(want) + 1 {
				ids, items, pg, err := k.list(t.Context(), st, req)
				if err != nil {
					t.Fatalf("%s(%+v): %v", k.name, req, err)
				}
				if pg.total != len(want) {
					t.Errorf("%s(%+v): total %d, want %d", k.name, req, pg.total, len(want))
				}
				if len(ids) > size {
					t.Errorf("%s(%+v): %d items on a page of %d", k.name, req, len(ids), size)
				}
				gotIDs, gotItems = append(gotIDs, ids...), append(gotItems, items...)
				if !pg.hasNext {
					break
				}
				req.After = pg.endCursor
			}
			sameIDs(t, fmt.Sprintf("%s %d a page", k.name, size), gotIDs, want)
			for i, id := range gotIDs {
				if i < len(gotItems) {
					same(t, fmt.Sprintf("%s item %s against Get", k.name, id), gotItems[i], byID[id])
				}
			}
		}
	}
}

func testKindListsInvalid(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Fixture())
	for _, k := range kindLists() {
		for _, req := range []store.PageReq{{First: store.MaxPageSize + 1}, {First: 2, After: "not a cursor!"}} {
			ids, _, _, err := k.list(t.Context(), st, req)
			wantErr(t, fmt.Sprintf("%s(%+v)", k.name, req), err, store.ErrInvalid)
			if len(ids) != 0 {
				t.Errorf("%s(%+v) returned %d items with its error", k.name, req, len(ids))
			}
		}
	}
}

func testPlaceChildren(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	want := map[string][]string{}
	for _, p := range b.Places {
		if p.ParentID != "" {
			want[p.ParentID] = append(want[p.ParentID], p.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture has no place hierarchy; the case would prove nothing")
	}
	ids := append(sortedKeys(want), "place-nowhere", "")
	got, err := st.PlaceChildren(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, parent := range sortedKeys(want) {
		w := slices.Sorted(slices.Values(want[parent]))
		sameIDs(t, "children of "+parent, placeIDs(got[parent]), w)
		for _, c := range got[parent] {
			if c.ParentID != parent {
				t.Errorf("child %s of %s has parent %q", c.ID, parent, c.ParentID)
			}
		}
	}
	if len(got["place-nowhere"]) != 0 || len(got[""]) != 0 {
		t.Errorf("children of a missing or empty id: %v", got)
	}
	if m, err := st.PlaceChildren(t.Context(), nil); err != nil || len(m) != 0 {
		t.Errorf("PlaceChildren(nil) = %v, %v", m, err)
	}
}

func testListPortraitsFilter(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, &store.Batch{
		Places: []store.Place{
			{ID: "pf-prov", Name: "某省", Level: store.LevelProvince},
			{ID: "pf-old", Name: "旧县", Level: store.LevelCounty, ParentID: "pf-prov", To: 1987,
				ReplacedBy: []store.PlaceChange{{ToID: "pf-new", Year: 1987, Kind: "rename"}}},
			{ID: "pf-new", Name: "新市", Level: store.LevelCounty, ParentID: "pf-prov"},
			{ID: "pf-village", Name: "某村", Level: store.LevelVillage, ParentID: "pf-old"},
			{ID: "pf-else", Name: "别县", Level: store.LevelCounty, ParentID: "pf-prov"},
		},
		Events: []store.Event{{ID: "pf-battle", Name: "某战斗"}, {ID: "pf-other", Name: "另一战斗"}},
		Martyrs: []store.Martyr{
			{ID: "pf-m1", Name: "甲", HometownID: "pf-village", EventIDs: []string{"pf-battle"}},
			{ID: "pf-m2", Name: "乙", HometownID: "pf-new", EventIDs: []string{"pf-other"}},
			{ID: "pf-m3", Name: "丙", HometownID: "pf-else", EventIDs: []string{"pf-other", "pf-battle"}},
		},
		Portraits: []store.Portrait{
			{ID: "pf-p1", MartyrID: "pf-m1", SHA256: "01", Artist: "张画", Published: true},
			{ID: "pf-p2", MartyrID: "pf-m2", SHA256: "02", Artist: "李画"},
			{ID: "pf-p3", MartyrID: "pf-m3", SHA256: "03", Artist: "张画", Published: true},
			{ID: "pf-p4", MartyrID: "pf-m1", SHA256: "04", Artist: "李画", Published: true},
			// The same scan hung twice, once unpublished.
			{ID: "pf-p5", MartyrID: "pf-m2", SHA256: "01", Artist: "张画"},
		},
	})
	cases := []struct {
		name string
		f    store.PortraitFilter
		want []string
	}{
		{"None", store.PortraitFilter{}, []string{"pf-p1", "pf-p2", "pf-p3", "pf-p4", "pf-p5"}},
		{"SHA256", store.PortraitFilter{SHA256: "01"}, []string{"pf-p1", "pf-p5"}},
		{"SHA256Published", store.PortraitFilter{SHA256: "01", PublishedOnly: true}, []string{"pf-p1"}},
		{"SHA256Unpublished", store.PortraitFilter{SHA256: "02", PublishedOnly: true}, nil},
		{"PlaceCountsFormerNamesAndBelow", store.PortraitFilter{PlaceID: "pf-new"}, []string{"pf-p1", "pf-p2", "pf-p4", "pf-p5"}},
		{"Village", store.PortraitFilter{PlaceID: "pf-village"}, []string{"pf-p1", "pf-p4"}},
		{"Artist", store.PortraitFilter{Artist: "张画"}, []string{"pf-p1", "pf-p3", "pf-p5"}},
		{"Event", store.PortraitFilter{EventID: "pf-battle"}, []string{"pf-p1", "pf-p3", "pf-p4"}},
		{"EventAndArtist", store.PortraitFilter{EventID: "pf-battle", Artist: "张画"}, []string{"pf-p1", "pf-p3"}},
		{"PlaceAndEvent", store.PortraitFilter{PlaceID: "pf-new", EventID: "pf-battle"}, []string{"pf-p1", "pf-p4"}},
		{"PlaceAndArtist", store.PortraitFilter{PlaceID: "pf-new", Artist: "李画"}, []string{"pf-p2", "pf-p4"}},
		{"PlaceAndSHA256", store.PortraitFilter{PlaceID: "pf-new", SHA256: "01"}, []string{"pf-p1", "pf-p5"}},
		{"PublishedOnly", store.PortraitFilter{PublishedOnly: true}, []string{"pf-p1", "pf-p3", "pf-p4"}},
		{"PublishedOnlyAndPlace", store.PortraitFilter{PlaceID: "pf-new", PublishedOnly: true}, []string{"pf-p1", "pf-p4"}},
		{"NoMatch", store.PortraitFilter{Artist: "无名"}, nil},
		{"UnknownPlace", store.PortraitFilter{PlaceID: "pf-nowhere"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			req := store.PageReq{First: 1}
			for range 10 {
				p, err := st.ListPortraits(t.Context(), c.f, req)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != len(c.want) {
					t.Errorf("total %d, want %d", p.Total, len(c.want))
				}
				got = append(got, idsOf(p.Items, func(v store.Portrait) string { return v.ID })...)
				if !p.HasNext {
					break
				}
				req.After = p.EndCursor
			}
			sameIDs(t, "portraits", got, c.want)
		})
	}
}

func testListExhibitsFilter(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, &store.Batch{Exhibits: []store.Exhibit{
		{ID: "ef-1", Title: "已开展", Published: true},
		{ID: "ef-2", Title: "筹备中"},
		{ID: "ef-3", Title: "已捐赠", Published: true, DonatedTo: "某档案馆"},
	}})
	for _, c := range []struct {
		name string
		f    store.ExhibitFilter
		want []string
	}{
		{"All", store.ExhibitFilter{}, []string{"ef-1", "ef-2", "ef-3"}},
		{"PublishedOnly", store.ExhibitFilter{PublishedOnly: true}, []string{"ef-1", "ef-3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			req := store.PageReq{First: 1}
			for range 10 {
				p, err := st.ListExhibits(t.Context(), c.f, req)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != len(c.want) {
					t.Errorf("total %d, want %d", p.Total, len(c.want))
				}
				got = append(got, idsOf(p.Items, func(v store.Exhibit) string { return v.ID })...)
				if !p.HasNext {
					break
				}
				req.After = p.EndCursor
			}
			sameIDs(t, "exhibits", got, c.want)
		})
	}
}
