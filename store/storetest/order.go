package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func orderCases() []testCase {
	return []testCase{
		{"Sorted", testSorted},
		{"SortedInvalid", testSortedInvalid},
	}
}

// pageAll reads a whole list page by page and returns the ids in order,
// checking every page's EndCursor is the last item's.
func pageAll(t *testing.T, st store.Store, f store.MartyrFilter, size int) []string {
	t.Helper()
	var ids []string
	p := store.PageReq{First: size}
	for range 100 {
		page, err := st.ListMartyrs(t.Context(), f, p)
		if err != nil {
			t.Fatalf("ListMartyrs(%+v, after %q): %v", f.Order, p.After, err)
		}
		for _, m := range page.Items {
			ids = append(ids, m.ID)
		}
		if n := len(page.Items); n > 0 && page.EndCursor != store.MartyrCursor(page.Items[n-1], f.Order) {
			t.Errorf("EndCursor %q is not the last item's cursor", page.EndCursor)
		}
		if !page.HasNext {
			return ids
		}
		p.After = page.EndCursor
	}
	t.Fatal("more than 100 pages")
	return nil
}

func testSorted(t *testing.T, s suite) {
	st := s.fresh(t)
	b := listWorld()
	mustApply(t, st, b)
	// A later change to one martyr, so the update order has a last one.
	time.Sleep(5 * time.Millisecond)
	l03 := b.Martyrs[2]
	l03.Notes = "补充了安葬信息"
	mustApply(t, st, &store.Batch{Martyrs: []store.Martyr{l03}})

	byName := slices.Clone(b.Martyrs)
	slices.SortFunc(byName, func(a, b store.Martyr) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	var nameAsc []string
	for _, m := range byName {
		nameAsc = append(nameAsc, m.ID)
	}
	nameDesc := slices.Clone(nameAsc)
	slices.Reverse(nameDesc)
	others := slices.DeleteFunc(ls(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), func(id string) bool { return id == "l-03" })
	othersDesc := slices.Clone(others)
	slices.Reverse(othersDesc)

	cases := []struct {
		name string
		f    store.MartyrFilter
		want []string
	}{
		{"ID", store.MartyrFilter{}, ls(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)},
		{"IDDesc", store.MartyrFilter{Order: store.MartyrOrder{Desc: true}}, ls(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)},
		{"Name", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByName}}, nameAsc},
		{"NameDesc", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByName, Desc: true}}, nameDesc},
		// Earliest possible death year; unknown years last either way.
		{"Died", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByDied}}, ls(12, 10, 1, 4, 6, 11, 2, 9, 13, 3, 7, 5, 8)},
		{"DiedDesc", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByDied, Desc: true}}, ls(7, 3, 13, 9, 2, 11, 6, 4, 1, 10, 12, 8, 5)},
		{"Updated", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByUpdated}}, append(slices.Clone(others), "l-03")},
		{"UpdatedDesc", store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByUpdated, Desc: true}}, append([]string{"l-03"}, othersDesc...)},
		// Sorting combines with filters, and the total ignores the order.
		{"SurnameDiedDesc", store.MartyrFilter{Surname: "王", Order: store.MartyrOrder{By: store.SortByDied, Desc: true}}, ls(2, 11, 1, 8)},
		{"PlaceName", store.MartyrFilter{PlaceID: PlaceJiaozhou, Order: store.MartyrOrder{By: store.SortByName}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.want == nil {
				// Expected: the filter's members, sorted as the order says.
				all, err := st.ListMartyrs(t.Context(), store.MartyrFilter{PlaceID: c.f.PlaceID}, store.PageReq{First: 100})
				if err != nil {
					t.Fatal(err)
				}
				ms := all.Items
				slices.SortFunc(ms, func(a, b store.Martyr) int {
					return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
				})
				for _, m := range ms {
					c.want = append(c.want, m.ID)
				}
				if len(c.want) < 3 {
					t.Fatalf("the place filter leaves %d martyrs; the case proves little", len(c.want))
				}
			}
			for _, size := range []int{1, 3, 100} {
				sameIDs(t, c.name, pageAll(t, st, c.f, size), c.want)
			}
			page, err := st.ListMartyrs(t.Context(), c.f, store.PageReq{First: 2})
			if err != nil || page.Total != len(c.want) {
				t.Errorf("Total = %d, %v; want %d", page.Total, err, len(c.want))
			}
		})
	}
}

func testSortedInvalid(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, listWorld())
	ctx := t.Context()
	byName := store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByName}}
	byDied := store.MartyrFilter{Order: store.MartyrOrder{By: store.SortByDied}}
	_, err := st.ListMartyrs(ctx, store.MartyrFilter{Order: store.MartyrOrder{By: "age"}}, store.PageReq{First: 2})
	wantErr(t, "unknown order", err, store.ErrInvalid)

	named, err := st.ListMartyrs(ctx, byName, store.PageReq{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := st.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.ListMartyrs(ctx, byDied, store.PageReq{First: 2, After: named.EndCursor})
	wantErr(t, "a name cursor in death order", err, store.ErrInvalid)
	_, err = st.ListMartyrs(ctx, byName, store.PageReq{First: 2, After: plain.EndCursor})
	wantErr(t, "an id cursor in name order", err, store.ErrInvalid)
	desc := byName
	desc.Order.Desc = true
	_, err = st.ListMartyrs(ctx, desc, store.PageReq{First: 2, After: named.EndCursor})
	wantErr(t, "an ascending cursor going down", err, store.ErrInvalid)
	_, err = st.ListMartyrs(ctx, byName, store.PageReq{First: 2, After: "!!"})
	wantErr(t, "a garbage cursor", err, store.ErrInvalid)
}
