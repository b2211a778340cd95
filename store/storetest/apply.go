package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func applyCases() []testCase {
	return []testCase{
		{"RoundTrip", testRoundTrip},
		{"Idempotent", testIdempotent},
		{"Invalid", testInvalid},
		{"ReferencesInsideBatchAnyOrder", testInBatchOrder},
		{"ReferencesToStoredEntities", testStoredRefs},
		{"UpsertReplacesWhole", testReplaceWhole},
		{"ReplaceLinks", testReplaceLinks},
	}
}

// roundTrip checks that every entity of want reads back equal (after
// norm) and that a missing id is absent from the result.
func roundTrip[T any](t *testing.T, kind string, want []T, id func(T) string,
	get func(context.Context, []string) (map[string]T, error), norm func(T) T) {
	t.Helper()
	ids := make([]string, 0, len(want)+1)
	for _, w := range want {
		ids = append(ids, id(w))
	}
	got, err := get(t.Context(), append(ids, "no-such-"+kind))
	if err != nil {
		t.Fatalf("get %s: %v", kind, err)
	}
	if len(got) != len(want) {
		t.Errorf("get %s returned %d entities (%q), want %d", kind, len(got), sortedKeys(got), len(want))
	}
	if _, ok := got["no-such-"+kind]; ok {
		t.Errorf("get %s returned an entity for a missing id", kind)
	}
	for _, w := range want {
		g, ok := got[id(w)]
		if !ok {
			t.Errorf("%s %q missing", kind, id(w))
			continue
		}
		same(t, kind+" "+id(w), norm(g), norm(w))
	}
}

func ident[T any](v T) T { return v }

func testRoundTrip(t *testing.T, s suite) {
	st := s.fresh(t)
	b := Fixture()
	before := time.Now().Add(-time.Minute)
	mustApply(t, st, b)
	after := time.Now().Add(time.Minute)

	t.Run("Martyrs", func(t *testing.T) {
		roundTrip(t, "martyr", b.Martyrs, func(m store.Martyr) string { return m.ID }, st.GetMartyrs, content)
		got, err := st.GetMartyrs(t.Context(), []string{MartyrWangDeming, MartyrUnnamed})
		if err != nil {
			t.Fatal(err)
		}
		for id, m := range got {
			if m.Version != 1 {
				t.Errorf("martyr %q: Version = %d after its first write, want 1", id, m.Version)
			}
			if m.UpdatedAt.Before(before) || m.UpdatedAt.After(after) {
				t.Errorf("martyr %q: UpdatedAt = %v, want about now", id, m.UpdatedAt)
			}
		}
		// The partial, range and unknown dates come back as written.
		w := got[MartyrWangDeming]
		if w.Born.Precision() != "month" || w.Died.Precision() != "day" || w.Enlisted.Precision() != "year" {
			t.Errorf("王德明's dates lost precision: born %v died %v enlisted %v", w.Born, w.Died, w.Enlisted)
		}
		if u := got[MartyrUnnamed]; u.Died.Known() || u.Died.Text != "不详" || !u.Unnamed {
			t.Errorf("unnamed martyr: died %+v unnamed %v, want unknown date with text 不详", u.Died, u.Unnamed)
		}
	})
	t.Run("People", func(t *testing.T) {
		roundTrip(t, "person", b.People, func(p store.Person) string { return p.ID }, st.GetPeople, ident)
	})
	t.Run("Kinships", func(t *testing.T) {
		rel, err := st.Relatives(t.Context(), []string{MartyrWangDeming, MartyrWangDeliang})
		if err != nil {
			t.Fatal(err)
		}
		var got []store.Kinship
		for _, rs := range rel {
			for _, r := range rs {
				got = append(got, r.Kinship)
			}
		}
		key := func(k store.Kinship) string { return store.KinshipKey(k.PersonID, k.MartyrID) }
		same(t, "kinships", byKey(got, key), byKey(b.Kinships, key))
	})
	t.Run("Places", func(t *testing.T) {
		roundTrip(t, "place", b.Places, func(p store.Place) string { return p.ID }, st.GetPlaces, ident)
	})
	t.Run("Units", func(t *testing.T) {
		roundTrip(t, "unit", b.Units, func(u store.Unit) string { return u.ID }, st.GetUnits, ident)
	})
	t.Run("Cemeteries", func(t *testing.T) {
		roundTrip(t, "cemetery", b.Cemeteries, func(c store.Cemetery) string { return c.ID }, st.GetCemeteries, ident)
	})
	t.Run("Events", func(t *testing.T) {
		roundTrip(t, "event", b.Events, func(e store.Event) string { return e.ID }, st.GetEvents, ident)
	})
	t.Run("Records", func(t *testing.T) {
		roundTrip(t, "record", b.Records, func(r store.ArchivalRecord) string { return r.ID }, st.GetRecords, ident)
	})
	t.Run("Assertions", func(t *testing.T) {
		got, err := st.Assertions(t.Context(), []string{MartyrWangDeming})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "assertions of 王德明", got[MartyrWangDeming], b.Assertions)
	})
	t.Run("Portraits", func(t *testing.T) {
		roundTrip(t, "portrait", b.Portraits, func(p store.Portrait) string { return p.ID }, st.GetPortraits, normPortrait)
	})
	t.Run("Exhibits", func(t *testing.T) {
		roundTrip(t, "exhibit", b.Exhibits, func(e store.Exhibit) string { return e.ID }, st.GetExhibits, ident)
	})
	t.Run("Stories", func(t *testing.T) {
		roundTrip(t, "story", b.Stories, func(s store.Story) string { return s.ID }, st.GetStories, ident)
	})
	t.Run("GetMartyrNotFound", func(t *testing.T) {
		_, err := store.GetMartyr(t.Context(), st, "m-nobody")
		wantErr(t, "GetMartyr(missing)", err, store.ErrNotFound)
		m, err := store.GetMartyr(t.Context(), st, MartyrWangDeming)
		if err != nil || m.Name != "王德明" {
			t.Errorf("GetMartyr(王德明) = %q, %v", m.Name, err)
		}
		_, err = store.GetPlace(t.Context(), st, "place-nowhere")
		wantErr(t, "GetPlace(missing)", err, store.ErrNotFound)
		_, err = store.GetPerson(t.Context(), st, "p-nobody")
		wantErr(t, "GetPerson(missing)", err, store.ErrNotFound)
		_, err = store.GetLead(t.Context(), st, "lead-none")
		wantErr(t, "GetLead(missing)", err, store.ErrNotFound)
	})
	t.Run("GetDuplicateIDs", func(t *testing.T) {
		got, err := st.GetMartyrs(t.Context(), []string{MartyrWangDeming, MartyrWangDeming, "m-nobody"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[MartyrWangDeming].ID != MartyrWangDeming {
			t.Errorf("GetMartyrs with a repeated id = %q, want just %q", sortedKeys(got), MartyrWangDeming)
		}
	})
}

// snapshot is everything readable about a batch's entities.
type snapshot struct {
	Martyrs    map[string]store.Martyr
	People     map[string]store.Person
	Places     map[string]store.Place
	Records    map[string]store.ArchivalRecord
	Cemeteries map[string]store.Cemetery
	Units      map[string]store.Unit
	Events     map[string]store.Event
	Portraits  map[string]store.Portrait
	Exhibits   map[string]store.Exhibit
	Stories    map[string]store.Story
	List       []store.Martyr
	Relatives  map[string][]store.Relative
	KinOf      map[string][]store.Kin
	Citing     map[string][]store.ArchivalRecord
	Assertions map[string][]store.Assertion
	Lineages   map[string]store.Lineage
	PortraitOf map[string][]store.Portrait
	Neighbours map[string][]string // martyr id + neighbourhood -> ids
}

func takeSnapshot(t *testing.T, st store.Store, b *store.Batch) snapshot {
	t.Helper()
	ctx := t.Context()
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	mIDs := ids(len(b.Martyrs), func(i int) string { return b.Martyrs[i].ID })
	pIDs := ids(len(b.People), func(i int) string { return b.People[i].ID })
	plIDs := ids(len(b.Places), func(i int) string { return b.Places[i].ID })
	var s snapshot
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("snapshot %s: %v", what, err)
		}
	}
	var err error
	s.Martyrs, err = st.GetMartyrs(ctx, mIDs)
	check("martyrs", err)
	for id, m := range s.Martyrs {
		m.UpdatedAt = msTime(m.UpdatedAt)
		s.Martyrs[id] = m
	}
	s.People, err = st.GetPeople(ctx, pIDs)
	check("people", err)
	s.Places, err = st.GetPlaces(ctx, plIDs)
	check("places", err)
	s.Records, err = st.GetRecords(ctx, ids(len(b.Records), func(i int) string { return b.Records[i].ID }))
	check("records", err)
	s.Cemeteries, err = st.GetCemeteries(ctx, ids(len(b.Cemeteries), func(i int) string { return b.Cemeteries[i].ID }))
	check("cemeteries", err)
	s.Units, err = st.GetUnits(ctx, ids(len(b.Units), func(i int) string { return b.Units[i].ID }))
	check("units", err)
	s.Events, err = st.GetEvents(ctx, ids(len(b.Events), func(i int) string { return b.Events[i].ID }))
	check("events", err)
	s.Portraits, err = st.GetPortraits(ctx, ids(len(b.Portraits), func(i int) string { return b.Portraits[i].ID }))
	check("portraits", err)
	for id, p := range s.Portraits {
		s.Portraits[id] = normPortrait(p)
	}
	s.Exhibits, err = st.GetExhibits(ctx, ids(len(b.Exhibits), func(i int) string { return b.Exhibits[i].ID }))
	check("exhibits", err)
	s.Stories, err = st.GetStories(ctx, ids(len(b.Stories), func(i int) string { return b.Stories[i].ID }))
	check("stories", err)
	s.List = listAll(t, st, store.MartyrFilter{})
	for i := range s.List {
		s.List[i].UpdatedAt = msTime(s.List[i].UpdatedAt)
	}
	s.Relatives, err = st.Relatives(ctx, mIDs)
	check("relatives", err)
	for id, rs := range s.Relatives {
		s.Relatives[id] = byKey(rs, func(r store.Relative) string { return r.Person.ID })
	}
	s.KinOf, err = st.KinOf(ctx, pIDs)
	check("kin", err)
	for id, ks := range s.KinOf {
		for i := range ks {
			ks[i].Martyr.UpdatedAt = msTime(ks[i].Martyr.UpdatedAt)
		}
		s.KinOf[id] = byKey(ks, func(k store.Kin) string { return k.Martyr.ID })
	}
	s.Citing, err = st.RecordsCiting(ctx, mIDs)
	check("records citing", err)
	s.Assertions, err = st.Assertions(ctx, mIDs)
	check("assertions", err)
	s.Lineages, err = st.Lineages(ctx, plIDs)
	check("lineages", err)
	s.PortraitOf, err = st.PortraitsOf(ctx, mIDs)
	check("portraits of", err)
	for id, ps := range s.PortraitOf {
		for i := range ps {
			ps[i] = normPortrait(ps[i])
		}
		s.PortraitOf[id] = ps
	}
	s.Neighbours = map[string][]string{}
	for _, id := range mIDs {
		for _, n := range []store.Neighbourhood{store.SameHometown, store.SameCounty, store.SameUnit, store.SameCemetery} {
			p, err := st.Neighbours(ctx, id, n, store.PageReq{First: store.MaxPageSize})
			check("neighbours", err)
			s.Neighbours[id+" "+string(n)] = martyrIDs(p.Items)
		}
	}
	return s
}

func testIdempotent(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Fixture())
	first := takeSnapshot(t, st, Fixture())
	log := allChanges(t, st, 0)
	if len(log) == 0 {
		t.Fatal("the first Apply logged no changes")
	}

	// The same batch again, built anew.
	mustApply(t, st, Fixture())
	same(t, "graph after the second Apply", takeSnapshot(t, st, Fixture()), first)
	if again := allChanges(t, st, 0); len(again) != len(log) {
		t.Errorf("the second Apply of the same batch logged %d changes: %v", len(again)-len(log), again[len(log):])
	}

	// The entities as read back, with their Version and UpdatedAt set:
	// still identical content, so still nothing to do.
	b := Fixture()
	for i, m := range b.Martyrs {
		b.Martyrs[i] = first.Martyrs[m.ID]
	}
	mustApply(t, st, b)
	same(t, "graph after re-applying what was read", takeSnapshot(t, st, Fixture()), first)
	if again := allChanges(t, st, 0); len(again) != len(log) {
		t.Errorf("re-applying what was read logged %d changes", len(again)-len(log))
	}
	for id, m := range first.Martyrs {
		if m.Version != 1 {
			t.Errorf("martyr %q: Version %d, want 1", id, m.Version)
		}
	}
}

// validExtras are entities a rejected batch also carries; none of them
// may be written.
func validExtras() *store.Batch {
	return &store.Batch{
		Places:  []store.Place{{ID: "place-valid-new", Name: "新村", Level: store.LevelVillage, ParentID: PlaceLaixi}},
		Martyrs: []store.Martyr{{ID: "m-valid-new", Name: "赵有效", HometownID: "place-valid-new"}},
		People:  []store.Person{{ID: "p-valid-new", Name: "赵家属", Living: true}},
		Kinships: []store.Kinship{{PersonID: "p-valid-new", MartyrID: "m-valid-new",
			Relation: store.RelSon, Status: store.KinClaimed}},
		Records: []store.ArchivalRecord{{ID: "rec-valid-new", Kind: store.RecOral, Title: "口述", MartyrIDs: []string{"m-valid-new"}}},
		Units:   []store.Unit{{ID: Unit81Division, Name: "第81师（改）", ParentID: Unit27Army}}, // an update of a stored unit
	}
}

func testInvalid(t *testing.T, s suite) {
	type edit func(b *store.Batch)
	cases := []struct {
		name    string
		edit    edit
		mention string // the error names this
	}{
		{"MartyrWithoutID", func(b *store.Batch) { b.Martyrs = append(b.Martyrs, store.Martyr{Name: "无号"}) }, "martyr"},
		{"PlaceWithoutID", func(b *store.Batch) {
			b.Places = append(b.Places, store.Place{Name: "无号村", Level: store.LevelVillage})
		}, "place"},
		{"IDWithSpaces", func(b *store.Batch) { b.Martyrs = append(b.Martyrs, store.Martyr{ID: " m-x ", Name: "空格"}) }, "m-x"},
		{"DuplicateIDInBatch", func(b *store.Batch) {
			b.Martyrs = append(b.Martyrs, store.Martyr{ID: "m-dup", Name: "甲"}, store.Martyr{ID: "m-dup", Name: "乙"})
		}, "m-dup"},
		{"KinshipWithoutPerson", func(b *store.Batch) {
			b.Kinships = append(b.Kinships, store.Kinship{MartyrID: "m-valid-new", Relation: store.RelSon, Status: store.KinClaimed})
		}, "kinship"},
		{"NamedMartyrWithoutName", func(b *store.Batch) { b.Martyrs = append(b.Martyrs, store.Martyr{ID: "m-noname"}) }, "m-noname"},
		{"PlaceLevel", func(b *store.Batch) {
			b.Places = append(b.Places, store.Place{ID: "place-bad-level", Name: "某城", Level: "city"})
		}, "place-bad-level"},
		{"RecordKind", func(b *store.Batch) {
			b.Records = append(b.Records, store.ArchivalRecord{ID: "rec-bad-kind", Kind: "book", Title: "书"})
		}, "rec-bad-kind"},
		{"KinshipRelation", func(b *store.Batch) { b.Kinships[0].Relation = "cousin" }, "cousin"},
		{"KinshipStatus", func(b *store.Batch) { b.Kinships[0].Status = "rumoured" }, "rumoured"},
		{"KinshipLine", func(b *store.Batch) { b.Kinships[0].Line = "both" }, "both"},
		{"MartyrSex", func(b *store.Batch) { b.Martyrs[0].Sex = "X" }, "m-valid-new"},
		{"DateMonth", func(b *store.Batch) { b.Martyrs[0].Died = store.Date{Year: 1950, Month: 13} }, "m-valid-new"},
		{"DateRangeBackwards", func(b *store.Batch) { b.Martyrs[0].Died = store.Date{Year: 1951, ToYear: 1950} }, "m-valid-new"},
		{"CitationConfidence", func(b *store.Batch) {
			b.Kinships[0].Citations = []store.Citation{{RecordID: "rec-valid-new", Confidence: 4}}
		}, "confidence"},
		{"DNAOutcome", func(b *store.Batch) {
			b.People[0].Personal.DNAResults = []store.DNAResult{{MartyrID: "m-valid-new", Outcome: "maybe"}}
		}, "maybe"},

		{"MissingHometown", func(b *store.Batch) { b.Martyrs[0].HometownID = "place-nowhere" }, "place-nowhere"},
		{"MissingUnit", func(b *store.Batch) { b.Martyrs[0].UnitID = "unit-none" }, "unit-none"},
		{"MissingCemetery", func(b *store.Batch) { b.Martyrs[0].CemeteryID = "cem-none" }, "cem-none"},
		{"MissingEvent", func(b *store.Batch) { b.Martyrs[0].EventIDs = []string{EventChangjin, "event-none"} }, "event-none"},
		{"MissingParentPlace", func(b *store.Batch) { b.Places[0].ParentID = "place-nowhere" }, "place-nowhere"},
		{"MissingReplacement", func(b *store.Batch) {
			b.Places[0].ReplacedBy = []store.PlaceChange{{ToID: "place-nowhere", Year: 2001}}
		}, "place-nowhere"},
		{"MissingCemeteryPlace", func(b *store.Batch) {
			b.Cemeteries = append(b.Cemeteries, store.Cemetery{ID: "cem-new", Name: "新陵园", PlaceID: "place-nowhere"})
		}, "place-nowhere"},
		{"MissingEventPlace", func(b *store.Batch) {
			b.Events = append(b.Events, store.Event{ID: "event-new", Name: "某战斗", PlaceID: "place-nowhere"})
		}, "place-nowhere"},
		{"MissingUnitParent", func(b *store.Batch) { b.Units[0].ParentID = "unit-none" }, "unit-none"},
		{"MissingUnitSuccessor", func(b *store.Batch) { b.Units[0].SucceededBy = []store.UnitLink{{UnitID: "unit-none"}} }, "unit-none"},
		{"MissingPersonHometown", func(b *store.Batch) { b.People[0].HometownID = "place-nowhere" }, "place-nowhere"},
		{"MissingDNAMartyr", func(b *store.Batch) {
			b.People[0].Personal.DNAResults = []store.DNAResult{{MartyrID: "m-nobody", Outcome: "excluded"}}
		}, "m-nobody"},
		{"MissingDNARecord", func(b *store.Batch) {
			b.People[0].Personal.DNAResults = []store.DNAResult{{MartyrID: "m-valid-new", Outcome: "match", RecordID: "rec-none"}}
		}, "rec-none"},
		{"MissingKinPerson", func(b *store.Batch) { b.Kinships[0].PersonID = "p-nobody" }, "p-nobody"},
		{"MissingKinMartyr", func(b *store.Batch) { b.Kinships[0].MartyrID = "m-nobody" }, "m-nobody"},
		{"MissingKinCitation", func(b *store.Batch) {
			b.Kinships[0].Citations = []store.Citation{{RecordID: "rec-none", Confidence: 1}}
		}, "rec-none"},
		{"MissingRecordMartyr", func(b *store.Batch) { b.Records[0].MartyrIDs = []string{"m-valid-new", "m-nobody"} }, "m-nobody"},
		{"MissingRecordPerson", func(b *store.Batch) { b.Records[0].PersonIDs = []string{"p-nobody"} }, "p-nobody"},
		{"MissingRecordPlace", func(b *store.Batch) { b.Records[0].PlaceIDs = []string{"place-nowhere"} }, "place-nowhere"},
		{"MissingAssertionMartyr", func(b *store.Batch) {
			b.Assertions = append(b.Assertions, store.Assertion{ID: "a-new", MartyrID: "m-nobody", Field: "born", Value: "1930"})
		}, "m-nobody"},
		{"MissingAssertionCitation", func(b *store.Batch) {
			b.Assertions = append(b.Assertions, store.Assertion{ID: "a-new", MartyrID: "m-valid-new", Field: "born", Value: "1930",
				Citations: []store.Citation{{RecordID: "rec-none", Confidence: 2}}})
		}, "rec-none"},
		{"MissingPortraitMartyr", func(b *store.Batch) {
			b.Portraits = append(b.Portraits, store.Portrait{ID: "por-new", MartyrID: "m-nobody", SHA256: "00"})
		}, "m-nobody"},
		{"MissingExhibitPortrait", func(b *store.Batch) {
			b.Exhibits = append(b.Exhibits, store.Exhibit{ID: "exh-new", Title: "展", PortraitIDs: []string{"por-none"}})
		}, "por-none"},
		{"MissingStoryMartyr", func(b *store.Batch) {
			b.Stories = append(b.Stories, store.Story{ID: "story-new", Title: "文", MartyrIDs: []string{"m-nobody"}})
		}, "m-nobody"},
		{"MissingStoryPlace", func(b *store.Batch) {
			b.Stories = append(b.Stories, store.Story{ID: "story-new", Title: "文", PlaceIDs: []string{"place-nowhere"}})
		}, "place-nowhere"},
		{"MissingStoryUnit", func(b *store.Batch) {
			b.Stories = append(b.Stories, store.Story{ID: "story-new", Title: "文", UnitIDs: []string{"unit-none"}})
		}, "unit-none"},
		{"MissingStorySource", func(b *store.Batch) {
			b.Stories = append(b.Stories, store.Story{ID: "story-new", Title: "文",
				Sources: []store.Citation{{RecordID: "rec-none", Confidence: 3}}})
		}, "rec-none"},
		{"ReferenceOfWrongKind", func(b *store.Batch) { b.Martyrs[0].HometownID = Unit27Army }, Unit27Army},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := s.fresh(t)
			ctx := t.Context()
			mustApply(t, st, Gazetteer())
			seq := lastSeq(t, st)
			b := validExtras()
			c.edit(b)
			err := st.Apply(ctx, b)
			wantErr(t, "Apply", err, store.ErrInvalid)
			if err != nil && !strings.Contains(err.Error(), c.mention) {
				t.Errorf("the error does not name %q: %v", c.mention, err)
			}
			// Nothing of the batch was written.
			if m, err := st.GetMartyrs(ctx, []string{"m-valid-new"}); err != nil || len(m) != 0 {
				t.Errorf("a valid martyr of the rejected batch was written: %v %v", m, err)
			}
			if p, err := st.GetPlaces(ctx, []string{"place-valid-new"}); err != nil || len(p) != 0 {
				t.Errorf("a valid place of the rejected batch was written: %v %v", p, err)
			}
			if p, err := st.GetPeople(ctx, []string{"p-valid-new"}); err != nil || len(p) != 0 {
				t.Errorf("a valid person of the rejected batch was written: %v %v", p, err)
			}
			if r, err := st.GetRecords(ctx, []string{"rec-valid-new"}); err != nil || len(r) != 0 {
				t.Errorf("a valid record of the rejected batch was written: %v %v", r, err)
			}
			if u, err := st.GetUnits(ctx, []string{Unit81Division}); err != nil || u[Unit81Division].Name != "第81师" {
				t.Errorf("the update of a stored unit in the rejected batch was written: %+v %v", u[Unit81Division], err)
			}
			if n := len(allChanges(t, st, seq)); n != 0 {
				t.Errorf("the rejected batch logged %d changes", n)
			}
		})
	}
}

func testInBatchOrder(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	// Every reference points forward in its slice or to a later kind.
	b := &store.Batch{
		Places: []store.Place{
			{ID: "x-village", Name: "后村", Level: store.LevelVillage, ParentID: "x-town"},
			{ID: "x-town", Name: "前镇", Level: store.LevelTownship, ParentID: "x-old-county"},
			{ID: "x-old-county", Name: "旧县", Level: store.LevelCounty, ParentID: "x-province",
				ReplacedBy: []store.PlaceChange{{ToID: "x-new-county", Year: 1983, Kind: "rename"}}},
			{ID: "x-new-county", Name: "新县", Level: store.LevelCounty, ParentID: "x-province"},
			{ID: "x-province", Name: "某省", Level: store.LevelProvince},
		},
		Units: []store.Unit{
			{ID: "x-regiment", Name: "某团", ParentID: "x-division"},
			{ID: "x-division", Name: "某师", SucceededBy: []store.UnitLink{{UnitID: "x-division-2", Year: 1952}}},
			{ID: "x-division-2", Name: "某师（新番号）"},
		},
		Cemeteries: []store.Cemetery{{ID: "x-cem", Name: "某陵园", PlaceID: "x-village"}},
		Events:     []store.Event{{ID: "x-battle", Name: "某战斗", PlaceID: "x-new-county"}},
		Martyrs: []store.Martyr{{ID: "x-m", Name: "钱进", HometownID: "x-village", UnitID: "x-regiment",
			CemeteryID: "x-cem", EventIDs: []string{"x-battle"}}},
		People: []store.Person{{ID: "x-p", Name: "钱后", HometownID: "x-town", Living: true,
			Personal: store.PersonalData{DNAResults: []store.DNAResult{{MartyrID: "x-m", Outcome: "match", RecordID: "x-r"}}}}},
		Kinships: []store.Kinship{{PersonID: "x-p", MartyrID: "x-m", Relation: store.RelGrandchild, Status: store.KinClaimed,
			Citations: []store.Citation{{RecordID: "x-r", Confidence: 3}}}},
		Records: []store.ArchivalRecord{{ID: "x-r", Kind: store.RecDNA, Title: "比对",
			MartyrIDs: []string{"x-m"}, PersonIDs: []string{"x-p"}, PlaceIDs: []string{"x-village"}}},
		Assertions: []store.Assertion{{ID: "x-a", MartyrID: "x-m", Field: "name", Value: "钱进",
			Citations: []store.Citation{{RecordID: "x-r", Confidence: 3}}}},
		Portraits: []store.Portrait{{ID: "x-por", MartyrID: "x-m", SHA256: "ab"}},
		Exhibits:  []store.Exhibit{{ID: "x-exh", Title: "展", PortraitIDs: []string{"x-por"}}},
		Stories: []store.Story{{ID: "x-story", Title: "文", MartyrIDs: []string{"x-m"}, PlaceIDs: []string{"x-village"},
			UnitIDs: []string{"x-regiment"}, Sources: []store.Citation{{RecordID: "x-r", Confidence: 2}}}},
	}
	mustApply(t, st, b)

	lin, err := st.Lineages(ctx, []string{"x-village"})
	if err != nil {
		t.Fatal(err)
	}
	var anc []string
	for _, p := range lin["x-village"].Ancestors {
		anc = append(anc, p.ID)
	}
	sameIDs(t, "ancestors of x-village", anc, []string{"x-town", "x-old-county", "x-province"})
	got := listAll(t, st, store.MartyrFilter{PlaceID: "x-new-county"})
	sameIDs(t, "martyrs of the renamed county", martyrIDs(got), []string{"x-m"})
	rel, err := st.Relatives(ctx, []string{"x-m"})
	if err != nil || len(rel["x-m"]) != 1 || rel["x-m"][0].Person.ID != "x-p" {
		t.Errorf("Relatives(x-m) = %+v, %v", rel, err)
	}
	rc, err := st.RecordsCiting(ctx, []string{"x-m"})
	if err != nil || len(rc["x-m"]) != 1 || rc["x-m"][0].ID != "x-r" {
		t.Errorf("RecordsCiting(x-m) = %+v, %v", rc, err)
	}
	ex, err := st.GetExhibits(ctx, []string{"x-exh"})
	if err != nil || len(ex) != 1 {
		t.Errorf("GetExhibits(x-exh) = %+v, %v", ex, err)
	}
}

func testStoredRefs(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	mustApply(t, st, &store.Batch{Martyrs: []store.Martyr{{ID: "m-later", Name: "孙后", HometownID: PlaceJimoQuVillage,
		UnitID: Unit238Regiment, CemeteryID: CemeteryQingdao, EventIDs: []string{EventChangjin}}}})
	mustApply(t, st, &store.Batch{People: []store.Person{{ID: "p-later", Name: "孙子"}}})
	mustApply(t, st, &store.Batch{Kinships: []store.Kinship{{PersonID: "p-later", MartyrID: "m-later",
		Relation: store.RelSon, Status: store.KinClaimed}}})
	rel, err := st.Relatives(ctx, []string{"m-later"})
	if err != nil || len(rel["m-later"]) != 1 {
		t.Fatalf("Relatives(m-later) = %+v, %v", rel, err)
	}
	if k := rel["m-later"][0].Kinship; k.Relation != store.RelSon || k.PersonID != "p-later" {
		t.Errorf("kinship = %+v", k)
	}
}

func testReplaceWhole(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	seq := lastSeq(t, st)

	// A rewrite with fewer fields replaces the martyr whole.
	slim := store.Martyr{ID: MartyrWangDeming, Name: "王德明", HometownID: PlaceLaixiVillage,
		Died: store.Date{Year: 1950}}
	mustApply(t, st, &store.Batch{Martyrs: []store.Martyr{slim}})
	got, err := store.GetMartyr(ctx, st, MartyrWangDeming)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "rewritten martyr", content(got), slim)
	if got.Version != 2 {
		t.Errorf("Version after one change = %d, want 2", got.Version)
	}
	ch := allChanges(t, st, seq)
	if len(ch) != 1 || ch[0].Kind != store.KindMartyr || ch[0].ID != MartyrWangDeming {
		t.Errorf("changes after rewriting one martyr = %+v, want one martyr entry", ch)
	}
	// Its indexed fields follow.
	sameIDs(t, "martyrs of 胶州市 after the move", martyrIDs(listAll(t, st, store.MartyrFilter{PlaceID: PlaceJiaozhou})),
		[]string{MartyrOuyangZhenhua, MartyrWangDeliang})
	sameIDs(t, "martyrs of 莱西市 after the move", martyrIDs(listAll(t, st, store.MartyrFilter{PlaceID: PlaceLaixi})),
		[]string{MartyrWangDeming})
	sameIDs(t, "martyrs of the 238th after the move", martyrIDs(listAll(t, st, store.MartyrFilter{UnitID: Unit238Regiment})), nil)
	sameIDs(t, "martyrs of 青岛市烈士陵园 after the move",
		martyrIDs(listAll(t, st, store.MartyrFilter{CemeteryID: CemeteryQingdao})), []string{MartyrUnnamed})

	// Kinships are keyed by person and martyr: a rewrite replaces, never adds.
	mustApply(t, st, &store.Batch{Kinships: []store.Kinship{{PersonID: PersonWangXiuying, MartyrID: MartyrWangDeming,
		Relation: store.RelSister, Status: store.KinClaimed, Note: "复核中"}}})
	rel, err := st.Relatives(ctx, []string{MartyrWangDeming})
	if err != nil {
		t.Fatal(err)
	}
	if len(rel[MartyrWangDeming]) != 2 {
		t.Fatalf("relatives of 王德明 = %d, want 2", len(rel[MartyrWangDeming]))
	}
	for _, r := range rel[MartyrWangDeming] {
		if r.Person.ID == PersonWangXiuying {
			same(t, "rewritten kinship", r.Kinship, store.Kinship{PersonID: PersonWangXiuying, MartyrID: MartyrWangDeming,
				Relation: store.RelSister, Status: store.KinClaimed, Note: "复核中"})
		}
	}
}

// testReplaceLinks checks that a rewrite replaces the links an entity
// holds (a record's mentions, a place's parent and changes, an
// assertion's citations, a portrait's martyr), not only its fields.
func testReplaceLinks(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())

	b := Fixture()
	b2 := &store.Batch{}
	for _, r := range b.Records {
		if r.ID == RecordHeadstone {
			r.MartyrIDs = []string{MartyrOuyangZhenhua}
			b2.Records = append(b2.Records, r)
		}
	}
	for _, a := range b.Assertions {
		if a.ID == AssertWangHometown {
			a.Citations = nil
			b2.Assertions = append(b2.Assertions, a)
		}
	}
	for _, p := range b.Places {
		switch p.ID {
		case PlaceJiaoxianVillage:
			p.ParentID = PlaceLaixi
			b2.Places = append(b2.Places, p)
		case PlaceJimoShi:
			p.ReplacedBy = nil
			b2.Places = append(b2.Places, p)
		}
	}
	for _, p := range b.Portraits {
		if p.ID == PortraitWang2 {
			p.MartyrID = MartyrOuyangZhenhua
			b2.Portraits = append(b2.Portraits, p)
		}
	}
	mustApply(t, st, b2)

	rc, err := st.RecordsCiting(ctx, []string{MartyrWangDeming, MartyrOuyangZhenhua})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []store.ArchivalRecord) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	// 王德明 loses the headstone (no longer mentioned) and the chronicle
	// (no longer cited); 欧阳振华 gains the headstone.
	sameIDs(t, "records citing 王德明", ids(rc[MartyrWangDeming]), []string{RecordDNA, RecordGenealogy, RecordRoll})
	sameIDs(t, "records citing 欧阳振华", ids(rc[MartyrOuyangZhenhua]), []string{RecordHeadstone, RecordRoll})

	lin, err := st.Lineages(ctx, []string{PlaceJiaoxianVillage, PlaceJimoXian, PlaceJimoQu})
	if err != nil {
		t.Fatal(err)
	}
	var anc []string
	for _, p := range lin[PlaceJiaoxianVillage].Ancestors {
		anc = append(anc, p.ID)
	}
	sameIDs(t, "ancestors of the moved village", anc, []string{PlaceLaixi, PlaceQingdao, PlaceShandong})
	sameIDs(t, "successors of 即墨县 once 即墨市 has none", linkIDs(lin[PlaceJimoXian].Successors), []string{PlaceJimoShi})
	sameIDs(t, "predecessors of 即墨区 once 即墨市 has none", linkIDs(lin[PlaceJimoQu].Predecessors), nil)
	sameIDs(t, "martyrs of 胶州市 after the village moved",
		martyrIDs(listAll(t, st, store.MartyrFilter{PlaceID: PlaceJiaozhou})), []string{MartyrOuyangZhenhua, MartyrWangDeliang})
	sameIDs(t, "martyrs of 莱西市 after the village moved",
		martyrIDs(listAll(t, st, store.MartyrFilter{PlaceID: PlaceLaixi})), []string{MartyrWangDeming})

	po, err := st.PortraitsOf(ctx, []string{MartyrWangDeming, MartyrOuyangZhenhua})
	if err != nil {
		t.Fatal(err)
	}
	pids := func(ps []store.Portrait) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	sameIDs(t, "portraits of 王德明", pids(po[MartyrWangDeming]), []string{PortraitWang1})
	sameIDs(t, "portraits of 欧阳振华", pids(po[MartyrOuyangZhenhua]), []string{PortraitOuyang, PortraitWang2})
}

func linkIDs(ls []store.PlaceLink) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Place.ID)
	}
	return out
}
