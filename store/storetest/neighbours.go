package storetest

import (
	"fmt"
	"testing"

	"github.com/guigen/guigen/store"
)

func neighbourCases() []testCase {
	return []testCase{
		{"Lists", testNeighbourLists},
		{"Paging", testNeighbourPaging},
		{"UnknownMartyr", testNeighbourUnknown},
	}
}

// neighbourWorld: the gazetteer, two villages of 莱西 merged into a third
// in 2005, and martyrs n-01..n-18 spread over them.
func neighbourWorld() *store.Batch {
	b := Gazetteer()
	b.Places = append(b.Places,
		store.Place{ID: "nb-east", Name: "东庄", Level: store.LevelVillage, ParentID: PlaceLaixi, To: 2005,
			ReplacedBy: []store.PlaceChange{{ToID: "nb-merged", Year: 2005, Kind: "merge"}}},
		store.Place{ID: "nb-west", Name: "西庄", Level: store.LevelVillage, ParentID: PlaceLaixi, To: 2005,
			ReplacedBy: []store.PlaceChange{{ToID: "nb-merged", Year: 2005, Kind: "merge"}}},
		store.Place{ID: "nb-merged", Name: "东西庄村", Level: store.LevelVillage, ParentID: PlaceLaixi, From: 2005},
	)
	m := func(n int, home, unit, cem string) store.Martyr {
		return store.Martyr{ID: fmt.Sprintf("n-%02d", n), Name: fmt.Sprintf("吴%02d", n), HometownID: home, UnitID: unit, CemeteryID: cem}
	}
	b.Martyrs = []store.Martyr{
		m(1, PlaceJiaoxianVillage, Unit238Regiment, CemeteryQingdao),
		m(2, PlaceJiaozhouVillage, Unit238Regiment, CemeteryJiaozhou),
		m(3, PlaceJiaozhou, "", ""),
		m(4, PlaceJiaoxian, "", ""),
		m(5, PlaceJiaoxianVillage, "", ""),
		m(6, PlaceLaixiVillage, Unit81Division, CemeteryQingdao),
		m(7, "", "", ""),
		m(8, PlaceJimoXianVillage, "", ""),
		m(9, PlaceJimoQuVillage, "", ""),
		m(10, PlaceJimoShi, "", ""),
		m(11, PlaceQingdao, "", ""),
		m(12, PlaceJiaoxianTown, "", ""),
		m(13, PlaceJimoXian, "", ""),
		m(14, PlaceJimoQu, "", ""),
		m(15, PlaceLaixi, "", ""),
		m(16, "nb-east", "", ""),
		m(17, "nb-west", "", ""),
		m(18, "nb-merged", "", ""),
	}
	return b
}

func ns(ids ...int) []string {
	out := make([]string, len(ids))
	for i, n := range ids {
		out[i] = fmt.Sprintf("n-%02d", n)
	}
	return out
}

func testNeighbourLists(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, neighbourWorld())
	cases := []struct {
		martyr int
		n      store.Neighbourhood
		want   []string
	}{
		{1, store.SameHometown, ns(5)},
		{5, store.SameHometown, ns(1)},
		{2, store.SameHometown, nil},
		// A county's former and later names are the same hometown; the
		// villages beneath are not.
		{4, store.SameHometown, ns(3)},
		{3, store.SameHometown, ns(4)},
		{10, store.SameHometown, ns(13, 14)},
		{13, store.SameHometown, ns(10, 14)},
		{14, store.SameHometown, ns(10, 13)},
		// Merged villages: each old one's later name is the new one; the
		// other old one is neither its former nor its later name.
		{16, store.SameHometown, ns(18)},
		{18, store.SameHometown, ns(16, 17)},
		{7, store.SameHometown, nil},

		// 胶县 and 胶州市 are one county, villages and townships included.
		{1, store.SameCounty, ns(2, 3, 4, 5, 12)},
		{3, store.SameCounty, ns(1, 2, 4, 5, 12)},
		{4, store.SameCounty, ns(1, 2, 3, 5, 12)},
		{12, store.SameCounty, ns(1, 2, 3, 4, 5)},
		{8, store.SameCounty, ns(9, 10, 13, 14)},
		{14, store.SameCounty, ns(8, 9, 10, 13)},
		{6, store.SameCounty, ns(15, 16, 17, 18)},
		{11, store.SameCounty, nil}, // a prefecture has no county
		{7, store.SameCounty, nil},

		{1, store.SameUnit, ns(2)},
		{6, store.SameUnit, nil},
		{7, store.SameUnit, nil},

		{1, store.SameCemetery, ns(6)},
		{2, store.SameCemetery, nil},
		{7, store.SameCemetery, nil},
	}
	for _, c := range cases {
		id := fmt.Sprintf("n-%02d", c.martyr)
		t.Run(fmt.Sprintf("%s/%s", id, c.n), func(t *testing.T) {
			p, err := st.Neighbours(t.Context(), id, c.n, store.PageReq{First: 100})
			if err != nil {
				t.Fatalf("Neighbours(%s, %s): %v", id, c.n, err)
			}
			sameIDs(t, fmt.Sprintf("Neighbours(%s, %s)", id, c.n), martyrIDs(p.Items), c.want)
			if p.Total != len(c.want) || p.HasNext {
				t.Errorf("Total %d HasNext %v, want %d false", p.Total, p.HasNext, len(c.want))
			}
			for _, m := range p.Items {
				if m.ID == id {
					t.Errorf("the martyr is listed among his own neighbours")
				}
			}
		})
	}
}

func testNeighbourPaging(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, neighbourWorld())
	var got []string
	req := store.PageReq{First: 2}
	for range 10 {
		p, err := st.Neighbours(t.Context(), "n-01", store.SameCounty, req)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 5 {
			t.Errorf("Total = %d, want 5", p.Total)
		}
		got = append(got, martyrIDs(p.Items)...)
		if !p.HasNext {
			break
		}
		req.After = p.EndCursor
	}
	sameIDs(t, "SameCounty of n-01 over pages of 2", got, ns(2, 3, 4, 5, 12))
}

func testNeighbourUnknown(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, neighbourWorld())
	for _, n := range []store.Neighbourhood{store.SameHometown, store.SameCounty, store.SameUnit, store.SameCemetery} {
		_, err := st.Neighbours(t.Context(), "m-nobody", n, store.PageReq{})
		wantErr(t, fmt.Sprintf("Neighbours(unknown martyr, %s)", n), err, store.ErrNotFound)
	}
	_, err := st.Neighbours(t.Context(), "n-01", store.Neighbourhood("planet"), store.PageReq{})
	wantErr(t, "Neighbours(unknown neighbourhood)", err, store.ErrInvalid)
}
