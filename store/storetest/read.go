package storetest

import (
	"testing"

	"github.com/guigen/guigen/store"
)

func readCases() []testCase {
	return []testCase{
		{"GetMissing", testGetMissing},
		{"Relatives", testRelatives},
		{"KinOf", testKinOf},
		{"RecordsCiting", testRecordsCiting},
		{"Assertions", testAssertions},
		{"Lineages", testLineages},
		{"PortraitsOf", testPortraitsOf},
	}
}

func testGetMissing(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	missing := []string{"nope-1", "nope-2"}
	checks := []struct {
		name string
		get  func() (int, error)
	}{
		{"GetMartyrs", func() (int, error) { m, err := st.GetMartyrs(ctx, missing); return len(m), err }},
		{"GetPeople", func() (int, error) { m, err := st.GetPeople(ctx, missing); return len(m), err }},
		{"GetPlaces", func() (int, error) { m, err := st.GetPlaces(ctx, missing); return len(m), err }},
		{"GetRecords", func() (int, error) { m, err := st.GetRecords(ctx, missing); return len(m), err }},
		{"GetCemeteries", func() (int, error) { m, err := st.GetCemeteries(ctx, missing); return len(m), err }},
		{"GetUnits", func() (int, error) { m, err := st.GetUnits(ctx, missing); return len(m), err }},
		{"GetEvents", func() (int, error) { m, err := st.GetEvents(ctx, missing); return len(m), err }},
		{"GetPortraits", func() (int, error) { m, err := st.GetPortraits(ctx, missing); return len(m), err }},
		{"GetExhibits", func() (int, error) { m, err := st.GetExhibits(ctx, missing); return len(m), err }},
		{"GetStories", func() (int, error) { m, err := st.GetStories(ctx, missing); return len(m), err }},
		{"GetLeads", func() (int, error) { m, err := st.GetLeads(ctx, missing); return len(m), err }},
		{"Relatives", func() (int, error) { m, err := st.Relatives(ctx, missing); return len(m), err }},
		{"KinOf", func() (int, error) { m, err := st.KinOf(ctx, missing); return len(m), err }},
		{"RecordsCiting", func() (int, error) { m, err := st.RecordsCiting(ctx, missing); return len(m), err }},
		{"Assertions", func() (int, error) { m, err := st.Assertions(ctx, missing); return len(m), err }},
		{"Lineages", func() (int, error) { m, err := st.Lineages(ctx, missing); return len(m), err }},
		{"PortraitsOf", func() (int, error) { m, err := st.PortraitsOf(ctx, missing); return len(m), err }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			n, err := c.get()
			if err != nil {
				t.Errorf("%s(missing ids) failed: %v; missing ids are absent, not an error", c.name, err)
			}
			if n != 0 {
				t.Errorf("%s(missing ids) returned %d entries, want none", c.name, n)
			}
		})
	}
}

func testRelatives(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	got, err := st.Relatives(t.Context(), []string{MartyrWangDeming, MartyrWangDeliang, MartyrOuyangZhenhua, "m-nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["m-nobody"]; ok {
		t.Error("Relatives has an entry for a missing martyr")
	}
	if len(got[MartyrOuyangZhenhua]) != 0 {
		t.Errorf("欧阳振华 has no relatives, got %d", len(got[MartyrOuyangZhenhua]))
	}
	people := map[string]store.Person{}
	for _, p := range b.People {
		people[p.ID] = p
	}
	kin := func(pid, mid string) store.Kinship {
		for _, k := range b.Kinships {
			if k.PersonID == pid && k.MartyrID == mid {
				return k
			}
		}
		t.Fatalf("no kinship %s|%s in the fixture", pid, mid)
		return store.Kinship{}
	}
	want := map[string][]store.Relative{
		MartyrWangDeming: {
			{Person: people[PersonWangJianguo], Kinship: kin(PersonWangJianguo, MartyrWangDeming)},
			{Person: people[PersonWangXiuying], Kinship: kin(PersonWangXiuying, MartyrWangDeming)},
		},
		MartyrWangDeliang: {
			{Person: people[PersonWangJianguo], Kinship: kin(PersonWangJianguo, MartyrWangDeliang)},
		},
	}
	for mid, w := range want {
		same(t, "relatives of "+mid, byKey(got[mid], func(r store.Relative) string { return r.Person.ID }), w)
	}
}

func testKinOf(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	got, err := st.KinOf(t.Context(), []string{PersonWangJianguo, PersonWangXiuying, "p-nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["p-nobody"]; ok {
		t.Error("KinOf has an entry for a missing person")
	}
	martyrs := map[string]store.Martyr{}
	for _, m := range b.Martyrs {
		martyrs[m.ID] = m
	}
	type kinContent struct {
		Martyr  store.Martyr
		Kinship store.Kinship
	}
	flatten := func(ks []store.Kin) []kinContent {
		var out []kinContent
		for _, k := range byKey(ks, func(k store.Kin) string { return k.Martyr.ID }) {
			if k.Martyr.Version < 1 {
				t.Errorf("kin martyr %q has Version %d", k.Martyr.ID, k.Martyr.Version)
			}
			out = append(out, kinContent{content(k.Martyr), k.Kinship})
		}
		return out
	}
	want := map[string][]kinContent{
		PersonWangJianguo: {
			{martyrs[MartyrWangDeliang], b.Kinships[1]},
			{martyrs[MartyrWangDeming], b.Kinships[0]},
		},
		PersonWangXiuying: {{martyrs[MartyrWangDeming], b.Kinships[2]}},
	}
	for pid, w := range want {
		same(t, "kin of "+pid, flatten(got[pid]), w)
	}
}

func recordIDs(rs []store.ArchivalRecord) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func testRecordsCiting(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	got, err := st.RecordsCiting(t.Context(), []string{MartyrWangDeming, MartyrWangDeliang, MartyrOuyangZhenhua, MartyrUnnamed, "m-nobody"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		martyr string
		want   []string
	}{
		// Mentioned by roll, genealogy, DNA and headstone; cited through
		// assertions by roll and genealogy again (once each) and by the
		// chronicle, which does not mention him.
		{MartyrWangDeming, []string{RecordChronicle, RecordDNA, RecordGenealogy, RecordHeadstone, RecordRoll}},
		{MartyrWangDeliang, []string{RecordGenealogy}},
		{MartyrOuyangZhenhua, []string{RecordRoll}},
		{MartyrUnnamed, nil},
		{"m-nobody", nil},
	}
	for _, c := range cases {
		sameIDs(t, "records citing "+c.martyr, recordIDs(got[c.martyr]), c.want)
	}
	if _, ok := got["m-nobody"]; ok {
		t.Error("RecordsCiting has an entry for a missing martyr")
	}
	// The records come whole.
	for _, r := range got[MartyrWangDeming] {
		for _, w := range b.Records {
			if w.ID == r.ID {
				same(t, "record "+r.ID, r, w)
			}
		}
	}
}

func testAssertions(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	// A third, conflicting birth from another source is kept beside the
	// other two, not merged into them.
	third := store.Assertion{ID: "a-wang-born-0", MartyrID: MartyrWangDeming, Field: "born", Value: "1927",
		Citations: []store.Citation{{RecordID: RecordHeadstone, Confidence: 1}}}
	mustApply(t, st, &store.Batch{Assertions: []store.Assertion{third}})
	got, err := st.Assertions(t.Context(), []string{MartyrWangDeming, MartyrOuyangZhenhua, "m-nobody"})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]store.Assertion{third}, b.Assertions...)
	same(t, "assertions of 王德明", got[MartyrWangDeming], want)
	births := map[string]bool{}
	for _, a := range got[MartyrWangDeming] {
		if a.Field == "born" {
			births[a.Value] = true
		}
	}
	if len(births) != 3 {
		t.Errorf("conflicting births kept = %v, want 1927, 1928-03 and 1929 side by side", births)
	}
	if len(got[MartyrOuyangZhenhua]) != 0 {
		t.Errorf("欧阳振华 has no assertions, got %v", got[MartyrOuyangZhenhua])
	}
	if _, ok := got["m-nobody"]; ok {
		t.Error("Assertions has an entry for a missing martyr")
	}
	// Citing the headstone made it a record citing him (it was already a
	// mention): still once.
	rc, err := st.RecordsCiting(t.Context(), []string{MartyrWangDeming})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "records citing 王德明", recordIDs(rc[MartyrWangDeming]),
		[]string{RecordChronicle, RecordDNA, RecordGenealogy, RecordHeadstone, RecordRoll})
}

func testLineages(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Gazetteer()
	mustApply(t, st, b)
	places := map[string]store.Place{}
	for _, p := range b.Places {
		places[p.ID] = p
	}
	link := func(id string, year int) store.PlaceLink {
		return store.PlaceLink{Place: places[id], Year: year, Kind: "upgrade"}
	}
	anc := func(ids ...string) []store.Place {
		out := []store.Place{}
		for _, id := range ids {
			out = append(out, places[id])
		}
		return out
	}
	cases := []struct {
		id   string
		want store.Lineage
	}{
		{PlaceJimoQu, store.Lineage{
			Ancestors:    anc(PlaceQingdao, PlaceShandong),
			Predecessors: []store.PlaceLink{link(PlaceJimoShi, 2017), link(PlaceJimoXian, 1989)},
		}},
		{PlaceJimoXian, store.Lineage{
			Ancestors:  anc(PlaceQingdao, PlaceShandong),
			Successors: []store.PlaceLink{link(PlaceJimoShi, 1989), link(PlaceJimoQu, 2017)},
		}},
		{PlaceJimoShi, store.Lineage{
			Ancestors:    anc(PlaceQingdao, PlaceShandong),
			Predecessors: []store.PlaceLink{link(PlaceJimoXian, 1989)},
			Successors:   []store.PlaceLink{link(PlaceJimoQu, 2017)},
		}},
		{PlaceJiaozhou, store.Lineage{
			Ancestors:    anc(PlaceQingdao, PlaceShandong),
			Predecessors: []store.PlaceLink{link(PlaceJiaoxian, 1987)},
		}},
		{PlaceJiaoxianVillage, store.Lineage{
			Ancestors: anc(PlaceJiaoxianTown, PlaceJiaoxian, PlaceQingdao, PlaceShandong),
		}},
		{PlaceShandong, store.Lineage{}},
	}
	ids := []string{"place-nowhere"}
	for _, c := range cases {
		ids = append(ids, c.id)
	}
	got, err := st.Lineages(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["place-nowhere"]; ok {
		t.Error("Lineages has an entry for a missing place")
	}
	norm := func(l store.Lineage) store.Lineage {
		// The contract leaves nil and empty lists alike.
		if len(l.Ancestors) == 0 {
			l.Ancestors = nil
		}
		if len(l.Predecessors) == 0 {
			l.Predecessors = nil
		}
		if len(l.Successors) == 0 {
			l.Successors = nil
		}
		return l
	}
	for _, c := range cases {
		l, ok := got[c.id]
		if !ok {
			t.Errorf("no lineage for %s", c.id)
			continue
		}
		c.want.Place = places[c.id]
		same(t, "lineage of "+c.id, norm(l), norm(c.want))
	}
}

func testPortraitsOf(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	mustApply(t, st, b)
	got, err := st.PortraitsOf(t.Context(), []string{MartyrWangDeming, MartyrOuyangZhenhua, MartyrUnnamed, "m-nobody"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]store.Portrait{}
	for _, p := range b.Portraits {
		byID[p.ID] = normPortrait(p)
	}
	norm := func(ps []store.Portrait) []store.Portrait {
		var out []store.Portrait
		for _, p := range ps {
			out = append(out, normPortrait(p))
		}
		return out
	}
	same(t, "portraits of 王德明 in id order", norm(got[MartyrWangDeming]), []store.Portrait{byID[PortraitWang1], byID[PortraitWang2]})
	same(t, "portraits of 欧阳振华", norm(got[MartyrOuyangZhenhua]), []store.Portrait{byID[PortraitOuyang]})
	if len(got[MartyrUnnamed]) != 0 {
		t.Errorf("the unnamed martyr has no portrait, got %d", len(got[MartyrUnnamed]))
	}
	if _, ok := got["m-nobody"]; ok {
		t.Error("PortraitsOf has an entry for a missing martyr")
	}
}
