package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func largeCases() []testCase {
	return []testCase{
		{"TenThousandMartyrs", testLargeBatch},
	}
}

// LargeBatchSize is the number of martyrs of the large-batch case.
const LargeBatchSize = 10_000

func testLargeBatch(t *testing.T, s suite) {
	s.needs(t, WithoutLargeBatch)
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	seq := lastSeq(t, st)
	const n = LargeBatchSize
	b := Bulk("big", n)

	start := time.Now()
	mustApply(t, st, b)
	took := time.Since(start)
	t.Logf("Apply of %d martyrs + %d people + %d kinships: %v (%.0f martyrs/s)",
		n, len(b.People), len(b.Kinships), took, float64(n)/took.Seconds())

	p, err := st.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != n {
		t.Errorf("Total = %d, want %d", p.Total, n)
	}

	// Counts by filter agree with the batch itself.
	count := func(keep func(store.Martyr) bool) int {
		c := 0
		for _, m := range b.Martyrs {
			if keep(m) {
				c++
			}
		}
		return c
	}
	jiaozhou := map[string]bool{PlaceJiaoxianVillage: true, PlaceJiaozhouVillage: true, PlaceJiaoxian: true, PlaceJiaozhouTown: true}
	yes := true
	filters := []struct {
		name string
		f    store.MartyrFilter
		want int
	}{
		{"胶州市", store.MartyrFilter{PlaceID: PlaceJiaozhou}, count(func(m store.Martyr) bool { return jiaozhou[m.HometownID] })},
		{"Surname王", store.MartyrFilter{Surname: "王"}, count(func(m store.Martyr) bool { return m.Surname() == "王" })},
		{"Surname欧阳", store.MartyrFilter{Surname: "欧阳"}, count(func(m store.Martyr) bool { return m.Surname() == "欧阳" })},
		{"Died1950-51", store.MartyrFilter{DiedFrom: 1950, DiedTo: 1951},
			count(func(m store.Martyr) bool { return m.Died.Year == 1950 || m.Died.Year == 1951 })},
		{"Cemetery", store.MartyrFilter{CemeteryID: CemeteryQingdao}, count(func(m store.Martyr) bool { return m.CemeteryID == CemeteryQingdao })},
		{"UnitAndUnnamed", store.MartyrFilter{UnitID: Unit238Regiment, Unnamed: &yes},
			count(func(m store.Martyr) bool { return m.UnitID == Unit238Regiment && m.Unnamed })},
	}
	for _, f := range filters {
		start := time.Now()
		p, err := st.ListMartyrs(ctx, f.f, store.PageReq{First: 50})
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		t.Logf("ListMartyrs %s: %d of %d in %v", f.name, len(p.Items), p.Total, time.Since(start))
		if p.Total != f.want || f.want == 0 {
			t.Errorf("%s: Total = %d, want %d (> 0)", f.name, p.Total, f.want)
		}
	}

	// Spot checks: some martyrs and their relatives read back whole.
	var ids []string
	for i := 0; i < n; i += 997 {
		ids = append(ids, BulkMartyrID("big", i))
	}
	ids = append(ids, BulkMartyrID("big", n-1))
	got, err := st.GetMartyrs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := st.Relatives(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		var i int
		for i = range b.Martyrs {
			if b.Martyrs[i].ID == id {
				break
			}
		}
		same(t, "martyr "+id, content(got[id]), b.Martyrs[i])
		if rs := rel[id]; len(rs) != 1 || rs[0].Person.ID != b.People[i].ID || rs[0].Kinship.Relation != b.Kinships[i].Relation {
			t.Errorf("relatives of %s = %+v, want %s as %s", id, rs, b.People[i].ID, b.Kinships[i].Relation)
		}
	}

	// One change per entity.
	ch := allChanges(t, st, seq)
	if len(ch) != 3*n {
		t.Errorf("%d changes logged, want %d", len(ch), 3*n)
	}
	checkIncreasing(t, ch)

	// Applying it again is a no-op, at scale too.
	start = time.Now()
	mustApply(t, st, Bulk("big", n))
	t.Logf("re-Apply of the same %d martyrs (no-op): %v", n, time.Since(start))
	if again := allChanges(t, st, seq); len(again) != len(ch) {
		t.Errorf("re-applying logged %d more changes", len(again)-len(ch))
	}
	all := listAll(t, st, store.MartyrFilter{})
	want := make([]string, 0, n)
	for _, m := range b.Martyrs {
		want = append(want, m.ID)
	}
	slices.Sort(want)
	sameIDs(t, "every martyr listed once, in id order", martyrIDs(all), want)
	for _, m := range all {
		if m.Version != 1 {
			t.Errorf("martyr %s at Version %d after an identical rewrite, want 1", m.ID, m.Version)
			break
		}
	}
}
