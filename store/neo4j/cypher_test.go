package neo4j

import (
	"context"
	"errors"
	"fmt"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// gazetteer: 胶县 became 胶州市 in 1987 and its village 旧村 became 新村;
// 即墨县 became 即墨市 (1989) then 即墨区 (2017).
func gazetteer() *store.Batch {
	return &store.Batch{
		Places: []store.Place{
			{ID: "sd", Name: "山东省", Level: store.LevelProvince},
			{ID: "qd", Name: "青岛市", Level: store.LevelPrefecture, ParentID: "sd"},
			{ID: "jiaoxian", Name: "胶县", Level: store.LevelCounty, ParentID: "qd", To: 1987,
				ReplacedBy: []store.PlaceChange{{ToID: "jiaozhou", Year: 1987, Kind: "upgrade"}}},
			{ID: "jiaozhou", Name: "胶州市", Level: store.LevelCounty, ParentID: "qd", From: 1987},
			{ID: "v-old", Name: "旧村", Level: store.LevelVillage, ParentID: "jiaoxian", To: 1987,
				ReplacedBy: []store.PlaceChange{{ToID: "v-new", Year: 1987, Kind: "rename"}}},
			{ID: "v-new", Name: "新村", Level: store.LevelVillage, ParentID: "jiaozhou", From: 1987},
			{ID: "jimo-xian", Name: "即墨县", Level: store.LevelCounty, ParentID: "qd", To: 1989,
				ReplacedBy: []store.PlaceChange{{ToID: "jimo-shi", Year: 1989, Kind: "upgrade"}}},
			{ID: "jimo-shi", Name: "即墨市", Level: store.LevelCounty, ParentID: "qd", From: 1989, To: 2017,
				ReplacedBy: []store.PlaceChange{{ToID: "jimo-qu", Year: 2017, Kind: "upgrade"}}},
			{ID: "jimo-qu", Name: "即墨区", Level: store.LevelCounty, ParentID: "qd", From: 2017},
			{ID: "jimo-v", Name: "某村", Level: store.LevelVillage, ParentID: "jimo-xian"},
		},
		Units:      []store.Unit{{ID: "u1", Name: "第一团"}, {ID: "u2", Name: "第二团"}},
		Cemeteries: []store.Cemetery{{ID: "c1", Name: "青岛烈士陵园", PlaceID: "qd"}, {ID: "c2", Name: "沈阳抗美援朝烈士陵园"}},
		Events:     []store.Event{{ID: "e1", Name: "上甘岭战役", Kind: "battle", Start: store.Date{Year: 1952, Month: 10}}},
	}
}

func martyrs() []store.Martyr {
	return []store.Martyr{
		{ID: "m1", Name: "张德明", HometownID: "v-old", UnitID: "u1", CemeteryID: "c1", Died: store.Date{Year: 1951, Month: 10},
			EventIDs: []string{"e1"}, Aliases: []store.Alias{{Name: "小明", Kind: "nickname"}}, Extra: map[string]string{"b": "2", "a": "1"}},
		{ID: "m2", Name: "张得明", HometownID: "v-new", UnitID: "u1", CemeteryID: "c2", Died: store.Date{Year: 1950, ToYear: 1952}},
		{ID: "m3", Name: "李华", HometownID: "jiaozhou", UnitID: "u2"},
		{ID: "m4", Name: "王福", HometownID: "jimo-v", Died: store.Date{Year: 1948}},
		{ID: "m5", Unnamed: true, CemeteryID: "c1"},
	}
}

func seeded(t *testing.T) (*Store, context.Context) {
	t.Helper()
	s := openEmpty(t, envConfig(t))
	ctx := context.Background()
	b := gazetteer()
	b.Martyrs = martyrs()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatalf("apply: %v", err)
	}
	return s, ctx
}

func ids(ms []store.Martyr) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// count runs a counting query straight against the graph.
func count(t testing.TB, s *Store, q string, params map[string]any) int64 {
	t.Helper()
	ctx := context.Background()
	n, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (int64, error) {
		recs, err := collect(ctx, tx, q, params)
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		return integer(recs[0], "n"), nil
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestListMartyrsFilters(t *testing.T) {
	s, ctx := seeded(t)
	yes, no := true, false
	for _, tc := range []struct {
		name string
		f    store.MartyrFilter
		want []string
	}{
		{"all", store.MartyrFilter{}, []string{"m1", "m2", "m3", "m4", "m5"}},
		{"new county takes in the old county's villages", store.MartyrFilter{PlaceID: "jiaozhou"}, []string{"m1", "m2", "m3"}},
		{"old county does not take in its successor", store.MartyrFilter{PlaceID: "jiaoxian"}, []string{"m1"}},
		{"renamed village", store.MartyrFilter{PlaceID: "v-new"}, []string{"m1", "m2"}},
		{"two renames", store.MartyrFilter{PlaceID: "jimo-qu"}, []string{"m4"}},
		{"province", store.MartyrFilter{PlaceID: "sd"}, []string{"m1", "m2", "m3", "m4"}},
		{"unknown place", store.MartyrFilter{PlaceID: "nowhere"}, nil},
		{"surname", store.MartyrFilter{Surname: "张"}, []string{"m1", "m2"}},
		{"died from: a range overlaps", store.MartyrFilter{DiedFrom: 1952}, []string{"m2"}},
		{"died to", store.MartyrFilter{DiedTo: 1950}, []string{"m2", "m4"}},
		{"died between", store.MartyrFilter{DiedFrom: 1951, DiedTo: 1951}, []string{"m1", "m2"}},
		{"cemetery", store.MartyrFilter{CemeteryID: "c1"}, []string{"m1", "m5"}},
		{"unit and place", store.MartyrFilter{UnitID: "u1", PlaceID: "jiaoxian"}, []string{"m1"}},
		{"unnamed", store.MartyrFilter{Unnamed: &yes}, []string{"m5"}},
		{"named", store.MartyrFilter{Unnamed: &no}, []string{"m1", "m2", "m3", "m4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.ListMartyrs(ctx, tc.f, store.PageReq{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Items); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if p.Total != len(tc.want) || p.HasNext {
				t.Errorf("total %d hasNext %v, want %d false", p.Total, p.HasNext, len(tc.want))
			}
		})
	}
}

func TestKeysetPaging(t *testing.T) {
	s, ctx := seeded(t)
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		p, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if want := min(5+pages, 6); p.Total != want {
			t.Fatalf("page %d: total %d, want %d", pages, p.Total, want)
		}
		got = append(got, ids(p.Items)...)
		if !p.HasNext {
			break
		}
		if pages == 0 {
			// A row inserted before the cursor does not shift later pages.
			if err := s.Apply(ctx, &store.Batch{Martyrs: []store.Martyr{{ID: "m0", Name: "赵一"}}}); err != nil {
				t.Fatal(err)
			}
		}
		after = p.EndCursor
	}
	if want := []string{"m1", "m2", "m3", "m4", "m5"}; !slices.Equal(got, want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
	if _, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{After: "garbage!"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad cursor: %v, want ErrInvalid", err)
	}
	if _, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize + 1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("huge page: %v, want ErrInvalid", err)
	}
}

func TestNeighbours(t *testing.T) {
	s, ctx := seeded(t)
	for _, tc := range []struct {
		id   string
		n    store.Neighbourhood
		want []string
	}{
		{"m1", store.SameHometown, []string{"m2"}},
		{"m2", store.SameHometown, []string{"m1"}},
		{"m3", store.SameHometown, nil},
		{"m1", store.SameCounty, []string{"m2", "m3"}},
		{"m3", store.SameCounty, []string{"m1", "m2"}},
		{"m4", store.SameCounty, nil},
		{"m1", store.SameUnit, []string{"m2"}},
		{"m1", store.SameCemetery, []string{"m5"}},
		{"m5", store.SameHometown, nil},
	} {
		t.Run(fmt.Sprintf("%s %s", tc.id, tc.n), func(t *testing.T) {
			p, err := s.Neighbours(ctx, tc.id, tc.n, store.PageReq{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Items); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if p.Total != len(tc.want) {
				t.Errorf("total %d, want %d", p.Total, len(tc.want))
			}
		})
	}
	if _, err := s.Neighbours(ctx, "nobody", store.SameUnit, store.PageReq{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing martyr: %v, want ErrNotFound", err)
	}
}

func TestLineages(t *testing.T) {
	s, ctx := seeded(t)
	ls, err := s.Lineages(ctx, []string{"jiaozhou", "jimo-xian", "v-old", "nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ls["nowhere"]; ok || len(ls) != 3 {
		t.Fatalf("got %d lineages: %v", len(ls), ls)
	}
	placeIDs := func(ps []store.Place) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	links := func(ls []store.PlaceLink) []string {
		var out []string
		for _, l := range ls {
			out = append(out, fmt.Sprintf("%s@%d/%s", l.Place.ID, l.Year, l.Kind))
		}
		return out
	}
	jz := ls["jiaozhou"]
	if jz.Place.Name != "胶州市" || !slices.Equal(placeIDs(jz.Ancestors), []string{"qd", "sd"}) ||
		!slices.Equal(links(jz.Predecessors), []string{"jiaoxian@1987/upgrade"}) || len(jz.Successors) != 0 {
		t.Errorf("胶州市: %+v", jz)
	}
	jm := ls["jimo-xian"]
	if !slices.Equal(links(jm.Successors), []string{"jimo-shi@1989/upgrade", "jimo-qu@2017/upgrade"}) || len(jm.Predecessors) != 0 {
		t.Errorf("即墨县 successors %v", links(jm.Successors))
	}
	v := ls["v-old"]
	if !slices.Equal(placeIDs(v.Ancestors), []string{"jiaoxian", "qd", "sd"}) {
		t.Errorf("旧村 ancestors %v", placeIDs(v.Ancestors))
	}
	q, err := s.Lineages(ctx, []string{"jimo-qu"})
	if err != nil {
		t.Fatal(err)
	}
	if got := links(q["jimo-qu"].Predecessors); !slices.Equal(got, []string{"jimo-shi@2017/upgrade", "jimo-xian@1989/upgrade"}) {
		t.Errorf("即墨区 predecessors %v", got)
	}
}

func TestUpsertReplacesRelationshipsAndSkipsIdenticalWrites(t *testing.T) {
	s, ctx := seeded(t)
	before, err := s.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 10+2+2+1+5 {
		t.Fatalf("%d change-log entries after the seed, want 20", len(before))
	}
	for i, c := range before {
		if c.Seq != int64(i+1) || c.At.IsZero() {
			t.Fatalf("entry %d: %+v", i, c)
		}
	}
	m1, err := store.GetMartyr(ctx, s, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if m1.Version != 1 || m1.UpdatedAt.IsZero() || m1.Extra["a"] != "1" || len(m1.Aliases) != 1 {
		t.Fatalf("m1 read back as %+v", m1)
	}

	// The same batch again: nothing changes.
	b := gazetteer()
	b.Martyrs = martyrs()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Changes(ctx, 0, 1000)
	again, _ := store.GetMartyr(ctx, s, "m1")
	if len(after) != len(before) || again.Version != 1 || !again.UpdatedAt.Equal(m1.UpdatedAt) {
		t.Fatalf("identical rewrite changed things: %d entries, version %d", len(after), again.Version)
	}

	// Move m1 to the new village, drop his unit and event.
	moved := martyrs()[0]
	moved.HometownID, moved.UnitID, moved.EventIDs = "v-new", "", nil
	if err := s.Apply(ctx, &store.Batch{Martyrs: []store.Martyr{moved}}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `MATCH (:Martyr {id: 'm1'})-[r:HOMETOWN]->(p:Place) WHERE p.id = 'v-new' RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("HOMETOWN to v-new: %d", n)
	}
	if n := count(t, s, `MATCH (:Martyr {id: 'm1'})-[r:HOMETOWN|SERVED_IN|FELL_IN]->() RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("m1 keeps %d relationships of the replaced kinds, want only the new HOMETOWN", n)
	}
	if n := count(t, s, `MATCH (:Martyr {id: 'm1'})-[r:BURIED_IN]->(:Cemetery {id: 'c1'}) RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("BURIED_IN lost: %d", n)
	}
	last, _ := s.Changes(ctx, before[len(before)-1].Seq, 10)
	if len(last) != 1 || last[0].Kind != store.KindMartyr || last[0].ID != "m1" || last[0].Seq != int64(len(before)+1) {
		t.Errorf("change after the move: %+v", last)
	}
	got, _ := store.GetMartyr(ctx, s, "m1")
	if got.Version != 2 || got.UnitID != "" || got.HometownID != "v-new" {
		t.Errorf("after the move: %+v", got)
	}
	// Unset scalar properties are removed, not left stale.
	if n := count(t, s, `MATCH (m:Martyr {id: 'm1'}) WHERE m.unitId IS NULL RETURN count(m) AS n`, nil); n != 1 {
		t.Errorf("unitId still set on the node")
	}
}

func TestMissingReferenceWritesNothing(t *testing.T) {
	s, ctx := seeded(t)
	before, _ := s.Changes(ctx, 0, 1000)
	b := &store.Batch{
		People:   []store.Person{{ID: "p1", Name: "张某"}},
		Martyrs:  []store.Martyr{{ID: "m9", Name: "赵九", HometownID: "atlantis"}},
		Kinships: []store.Kinship{{PersonID: "p1", MartyrID: "m404", Relation: store.RelNephew, Status: store.KinClaimed}},
	}
	err := s.Apply(ctx, b)
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "atlantis") || !strings.Contains(err.Error(), "m404") {
		t.Fatalf("got %v, want ErrInvalid naming atlantis and m404", err)
	}
	got, _ := s.GetPeople(ctx, []string{"p1"})
	ms, _ := s.GetMartyrs(ctx, []string{"m9"})
	after, _ := s.Changes(ctx, 0, 1000)
	if len(got) != 0 || len(ms) != 0 || len(after) != len(before) {
		t.Errorf("a rejected batch wrote something: %v %v %d", got, ms, len(after)-len(before))
	}
}

func TestGraphReads(t *testing.T) {
	s, ctx := seeded(t)
	b := &store.Batch{
		People: []store.Person{{ID: "p1", Name: "张某", Living: true, Personal: store.PersonalData{Phone: "123"}},
			{ID: "p0", Name: "张二"}},
		Records: []store.ArchivalRecord{
			{ID: "r2", Kind: store.RecRoll, Title: "英名录", MartyrIDs: []string{"m1", "m2"}},
			{ID: "r1", Kind: store.RecGrave, Title: "墓葬登记"},
		},
		Assertions: []store.Assertion{
			{ID: "a2", MartyrID: "m1", Field: "born", Value: "1930", Citations: []store.Citation{{RecordID: "r1", Confidence: 2}}},
			{ID: "a1", MartyrID: "m1", Field: "born", Value: "1931", Citations: []store.Citation{{RecordID: "r2", Confidence: 3}}},
		},
		Kinships: []store.Kinship{
			{PersonID: "p1", MartyrID: "m1", Relation: store.RelNephew, Line: store.LinePaternal, Status: store.KinClaimed,
				Citations: []store.Citation{{RecordID: "r1", Confidence: 1}}},
			{PersonID: "p0", MartyrID: "m1", Relation: store.RelBrother, Status: store.KinClaimed},
			{PersonID: "p1", MartyrID: "m2", Relation: store.RelOther, Status: store.KinClaimed},
		},
		Portraits: []store.Portrait{{ID: "pt1", MartyrID: "m1", SHA256: "ab"}},
		Exhibits:  []store.Exhibit{{ID: "x1", Title: "百名烈士画像展", PortraitIDs: []string{"pt1"}}},
		Stories:   []store.Story{{ID: "s1", Title: "回家", MartyrIDs: []string{"m1"}, PlaceIDs: []string{"qd"}, UnitIDs: []string{"u1"}}},
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	rel, err := s.Relatives(ctx, []string{"m1", "m3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rel["m1"]) != 2 || rel["m1"][0].Person.ID != "p0" || rel["m1"][1].Kinship.Line != store.LinePaternal ||
		rel["m1"][1].Person.Personal.Phone != "123" || len(rel["m3"]) != 0 {
		t.Errorf("relatives: %+v", rel)
	}
	kin, err := s.KinOf(ctx, []string{"p1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(kin["p1"]) != 2 || kin["p1"][0].Martyr.ID != "m1" || kin["p1"][0].Martyr.Version != 1 || kin["p1"][1].Kinship.Relation != store.RelOther {
		t.Errorf("kin of p1: %+v", kin)
	}
	recs, err := s.RecordsCiting(ctx, []string{"m1", "m2"})
	if err != nil {
		t.Fatal(err)
	}
	recIDs := func(rs []store.ArchivalRecord) (out []string) {
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if !slices.Equal(recIDs(recs["m1"]), []string{"r1", "r2"}) || !slices.Equal(recIDs(recs["m2"]), []string{"r2"}) {
		t.Errorf("records citing: m1 %v m2 %v", recIDs(recs["m1"]), recIDs(recs["m2"]))
	}
	as, err := s.Assertions(ctx, []string{"m1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(as["m1"]) != 2 || as["m1"][0].ID != "a1" || as["m1"][1].Value != "1930" {
		t.Errorf("assertions: %+v", as)
	}
	ps, err := s.PortraitsOf(ctx, []string{"m1"})
	if err != nil || len(ps["m1"]) != 1 {
		t.Errorf("portraits: %v %v", ps, err)
	}
	if n := count(t, s, `MATCH (:Exhibit {id: 'x1'})-[r:SHOWS {order: 0}]->(:Portrait {id: 'pt1'}) RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("SHOWS missing")
	}
	if n := count(t, s, `MATCH (:Assertion {id: 'a2'})-[r:CITES {confidence: 2}]->(:ArchivalRecord {id: 'r1'}) RETURN count(r) AS n`, nil); n != 1 {
		t.Errorf("CITES missing")
	}
	// Rewriting the record without m2 drops only that mention.
	if err := s.Apply(ctx, &store.Batch{Records: []store.ArchivalRecord{{ID: "r2", Kind: store.RecRoll, Title: "英名录", MartyrIDs: []string{"m1"}}}}); err != nil {
		t.Fatal(err)
	}
	recs, _ = s.RecordsCiting(ctx, []string{"m2"})
	if len(recs["m2"]) != 0 {
		t.Errorf("m2 still cited by %v", recIDs(recs["m2"]))
	}
	// Updating a kinship keeps one relationship.
	k := b.Kinships[0]
	k.Status = store.KinConfirmed
	if err := s.Apply(ctx, &store.Batch{Kinships: []store.Kinship{k}}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `MATCH (:Person {id: 'p1'})-[k:KIN_OF]->(:Martyr {id: 'm1'}) WHERE k.status = 'confirmed' RETURN count(k) AS n`, nil); n != 1 {
		t.Errorf("%d KIN_OF p1->m1 confirmed", n)
	}
	if n := count(t, s, `MATCH (:Person {id: 'p1'})-[k:KIN_OF]->(:Martyr {id: 'm1'}) RETURN count(k) AS n`, nil); n != 1 {
		t.Errorf("%d KIN_OF p1->m1", n)
	}
	ch, _ := s.Changes(ctx, 0, 1000)
	if c := ch[len(ch)-1]; c.Kind != store.KindKinship || c.ID != "p1|m1" {
		t.Errorf("last change %+v", c)
	}
}

func TestSaveMartyrVersions(t *testing.T) {
	s, ctx := seeded(t)
	m, err := s.SaveMartyr(ctx, store.Martyr{ID: "new", Name: "孙新"})
	if err != nil || m.Version != 1 {
		t.Fatalf("create: %+v %v", m, err)
	}
	if _, err := s.SaveMartyr(ctx, store.Martyr{ID: "new", Name: "孙新"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second create: %v, want ErrConflict", err)
	}
	m.Notes = "改"
	m2, err := s.SaveMartyr(ctx, m)
	if err != nil || m2.Version != 2 || m2.Notes != "改" || !m2.UpdatedAt.After(m.UpdatedAt) {
		t.Fatalf("update: %+v %v", m2, err)
	}
	if _, err := s.SaveMartyr(ctx, m); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	same, err := s.SaveMartyr(ctx, m2)
	if err != nil || same.Version != 2 {
		t.Errorf("identical save: %+v %v, want version 2 kept", same, err)
	}
	if _, err := s.SaveMartyr(ctx, store.Martyr{ID: "bad", Name: "x", UnitID: "u404"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad ref: %v", err)
	}
}

// Concurrent writers updating one martyr lose no update: the version
// check holds the node's lock until commit. A writer may give up with
// ErrConflict after store.UpdateMartyr's retries, but every update that
// succeeded must be in the stored martyr, and the version must count them.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	s, ctx := seeded(t)
	const writers, each = 4, 10
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		succeeded []string
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				mark := fmt.Sprintf("[%d.%d]", w, i)
				_, err := store.UpdateMartyr(ctx, s, "m1", func(m *store.Martyr) error {
					m.Notes += mark
					return nil
				})
				switch {
				case err == nil:
					mu.Lock()
					succeeded = append(succeeded, mark)
					mu.Unlock()
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("update %s: %v", mark, err)
				}
			}
		}()
	}
	wg.Wait()
	m, err := store.GetMartyr(ctx, s, "m1")
	if err != nil {
		t.Fatal(err)
	}
	for _, mark := range succeeded {
		if !strings.Contains(m.Notes, mark) {
			t.Errorf("update %s succeeded but is lost", mark)
		}
	}
	if n := strings.Count(m.Notes, "["); n != len(succeeded) || m.Version != int64(1+len(succeeded)) {
		t.Errorf("%d updates stored, version %d; %d succeeded", n, m.Version, len(succeeded))
	}
	if len(succeeded) < writers*each/2 {
		t.Errorf("only %d of %d updates succeeded", len(succeeded), writers*each)
	}
	// Concurrent batches over the same ids must not deadlock for good nor
	// duplicate nodes.
	var wg2 sync.WaitGroup
	for w := range 4 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			ms := martyrs()
			for i := range ms {
				ms[i].Notes = fmt.Sprintf("batch %d", w)
			}
			slices.Reverse(ms[:w%2*len(ms)])
			if err := s.Apply(ctx, &store.Batch{Martyrs: ms}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg2.Wait()
	if n := count(t, s, `MATCH (m:Martyr) RETURN count(m) AS n`, nil); n != 5 {
		t.Errorf("%d martyr nodes", n)
	}
	ch, _ := s.Changes(ctx, 0, 100000)
	for i, c := range ch {
		if c.Seq != int64(i+1) {
			t.Fatalf("change log has a gap or a repeat at %d: %+v", i, c)
		}
	}
}

func TestLeads(t *testing.T) {
	s, ctx := seeded(t)
	if err := s.Apply(ctx, &store.Batch{
		People:   []store.Person{{ID: "p1", Name: "张某"}},
		Records:  []store.ArchivalRecord{{ID: "r1", Kind: store.RecOral, Title: "口述"}},
		Kinships: []store.Kinship{{PersonID: "p1", MartyrID: "m1", Relation: store.RelNephew, Status: store.KinClaimed}},
	}); err != nil {
		t.Fatal(err)
	}
	l, err := s.CreateLead(ctx, store.Lead{ID: "l1", MartyrID: "m1", PersonIDs: []string{"p1"}, CreatedBy: "vol-1", Source: "search"})
	if err != nil || l.State != store.LeadNew || l.Version != 1 || l.CreatedAt.IsZero() {
		t.Fatalf("create: %+v %v", l, err)
	}
	if _, err := s.CreateLead(ctx, store.Lead{ID: "l1", MartyrID: "m1"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate lead: %v", err)
	}
	if _, err := s.CreateLead(ctx, store.Lead{ID: "l2", MartyrID: "m404"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("lead on a missing martyr: %v", err)
	}
	if _, err := s.CreateLead(ctx, store.Lead{ID: "l3", MartyrID: "m2"}); err != nil {
		t.Fatal(err)
	}
	step := func(v int64, ev store.LeadEvent, eff *store.Batch) (store.Lead, error) {
		return s.AdvanceLead(ctx, store.LeadUpdate{LeadID: "l1", ExpectVersion: v, Event: ev, Effects: eff})
	}
	if l, err = step(1, store.LeadEvent{Kind: "transition", Actor: "vol-1", From: store.LeadNew, To: store.LeadTriaged}, nil); err != nil || l.State != store.LeadTriaged || l.Version != 2 {
		t.Fatalf("triage: %+v %v", l, err)
	}
	if _, err := step(1, store.LeadEvent{Kind: "note", Note: "stale"}, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale version: %v", err)
	}
	if _, err := step(2, store.LeadEvent{Kind: "transition", From: store.LeadNew, To: store.LeadInvestigating}, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("wrong from-state: %v", err)
	}
	if l, err = step(2, store.LeadEvent{Kind: "assign", Actor: "cw", Assignee: "vol-2"}, nil); err != nil || l.AssigneeID != "vol-2" {
		t.Fatalf("assign: %+v %v", l, err)
	}
	// A bad effect rolls the whole move back.
	bad := &store.Batch{Kinships: []store.Kinship{{PersonID: "p1", MartyrID: "m404", Relation: store.RelNephew, Status: store.KinConfirmed}}}
	if _, err := step(3, store.LeadEvent{Kind: "transition", From: store.LeadTriaged, To: store.LeadConfirmed}, bad); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad effects: %v", err)
	}
	confirm := &store.Batch{Kinships: []store.Kinship{{PersonID: "p1", MartyrID: "m1", Relation: store.RelNephew, Status: store.KinConfirmed}}}
	l, err = step(3, store.LeadEvent{Kind: "transition", Actor: "cw", From: store.LeadTriaged, To: store.LeadConfirmed, Evidence: []string{"r1"}}, confirm)
	if err != nil || l.State != store.LeadConfirmed || l.Version != 4 {
		t.Fatalf("confirm: %+v %v", l, err)
	}
	rel, _ := s.Relatives(ctx, []string{"m1"})
	if rel["m1"][0].Kinship.Status != store.KinConfirmed {
		t.Errorf("effect not applied: %+v", rel["m1"])
	}
	evs, err := s.LeadEvents(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, e := range evs {
		if e.Seq != i+1 || e.LeadID != "l1" || e.At.IsZero() {
			t.Errorf("event %d: %+v", i, e)
		}
		kinds = append(kinds, e.Kind)
	}
	if !slices.Equal(kinds, []string{"create", "transition", "assign", "transition"}) || !slices.Equal(evs[3].Evidence, []string{"r1"}) {
		t.Errorf("events %v", kinds)
	}
	if _, err := s.LeadEvents(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("events of a missing lead: %v", err)
	}
	if _, err := s.AdvanceLead(ctx, store.LeadUpdate{LeadID: "nope", ExpectVersion: 1, Event: store.LeadEvent{Kind: "note"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("advance a missing lead: %v", err)
	}
	for _, tc := range []struct {
		f    store.LeadFilter
		want []string
	}{
		{store.LeadFilter{}, []string{"l1", "l3"}},
		{store.LeadFilter{States: []store.LeadState{store.LeadNew}}, []string{"l3"}},
		{store.LeadFilter{States: []store.LeadState{store.LeadNew, store.LeadConfirmed}}, []string{"l1", "l3"}},
		{store.LeadFilter{AssigneeID: "vol-2"}, []string{"l1"}},
		{store.LeadFilter{MartyrID: "m2"}, []string{"l3"}},
	} {
		p, err := s.ListLeads(ctx, tc.f, store.PageReq{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range p.Items {
			got = append(got, l.ID)
		}
		if !slices.Equal(got, tc.want) || p.Total != len(tc.want) {
			t.Errorf("leads %+v: %v (total %d), want %v", tc.f, got, p.Total, tc.want)
		}
	}
}

func TestSchemaTooNewIsLeftAlone(t *testing.T) {
	s, ctx := seeded(t)
	if v, err := s.SchemaVersion(ctx); err != nil || v != SchemaVersion {
		t.Fatalf("schema version %d %v", v, err)
	}
	exec1 := func(q string) {
		t.Helper()
		if _, err := writeTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) { return struct{}{}, exec(ctx, tx, q, nil) }); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec1(`DROP INDEX martyr_surname IF EXISTS`)
	exec1(`MATCH (s:GuigenSchema {id: 'schema'}) SET s.version = 999`)
	if err := s.Migrate(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("migrate: %v, want ErrSchemaTooNew", err)
	}
	if _, err := Open(ctx, envConfig(t)); !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("open: %v, want ErrSchemaTooNew", err)
	}
	if n := count(t, s, `SHOW INDEXES YIELD name WHERE name = 'martyr_surname' RETURN count(*) AS n`, nil); n != 0 {
		t.Errorf("a too-new database was migrated")
	}
	if v, _ := s.SchemaVersion(ctx); v != 999 {
		t.Errorf("version now %d", v)
	}
	// Emptying the database records our version again and restores the index.
	if err := Wipe(ctx, s); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SHOW INDEXES YIELD name WHERE name = 'martyr_surname' RETURN count(*) AS n`, nil); n != 1 {
		t.Errorf("index not restored")
	}
}

func TestRoutingURI(t *testing.T) {
	cfg := envConfig(t)
	if !strings.HasPrefix(cfg.URI, "bolt://") {
		t.Skipf("NEO4J_URI %s is not bolt://", cfg.URI)
	}
	cfg.URI = "neo4j://" + strings.TrimPrefix(cfg.URI, "bolt://")
	s := openEmpty(t, cfg)
	ctx := context.Background()
	b := gazetteer()
	b.Martyrs = martyrs()
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	p, err := s.Neighbours(ctx, "m1", store.SameCounty, store.PageReq{})
	if err != nil || !slices.Equal(ids(p.Items), []string{"m2", "m3"}) {
		t.Errorf("over neo4j://: %v %v", ids(p.Items), err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Error(err)
	}
}

// freePort returns a local port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestOpenUnreachable(t *testing.T) {
	port := freePort(t)
	for _, scheme := range []string{"bolt", "neo4j"} {
		uri := fmt.Sprintf("%s://127.0.0.1:%d", scheme, port)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := Open(ctx, Config{URI: uri})
		cancel()
		if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), uri) || !strings.Contains(err.Error(), "unreachable") {
			t.Errorf("%s: %v; want ErrUnavailable naming the URI and 'unreachable'", uri, err)
		}
	}
	if _, err := Open(context.Background(), Config{URI: "http://127.0.0.1:7474"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("http URI: %v, want ErrInvalid", err)
	}
}

// A server that goes away gives ErrUnavailable, not a cached failure.
func TestQueriesAgainstADeadServerAreUnavailable(t *testing.T) {
	uri := fmt.Sprintf("bolt://127.0.0.1:%d", freePort(t))
	drv, err := driver.NewDriverWithContext(uri, driver.NoAuth(), func(c *config.Config) { c.MaxTransactionRetryTime = time.Second })
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{drv: drv, uri: uri, db: DefaultDatabase, bookmarks: driver.NewBookmarkManager(driver.BookmarkManagerConfig{})}
	defer s.Close(context.Background())
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"ping":  func() error { return s.Ping(ctx) },
		"get":   func() error { _, err := s.GetMartyrs(ctx, []string{"m1"}); return err },
		"apply": func() error { return s.Apply(ctx, &store.Batch{Units: []store.Unit{{ID: "u", Name: "团"}}}) },
		"list":  func() error { _, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{}); return err },
	} {
		if err := call(); !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("%s: %v, want ErrUnavailable", name, err)
		}
	}
}

// Needs a server with authentication on (NEO4J_USER and NEO4J_PASSWORD
// set, e.g. neo4j-local started with NEO4J_LOCAL_PASSWORD).
func TestOpenWrongPassword(t *testing.T) {
	cfg := envConfig(t)
	if cfg.Password == "" {
		t.Skip("the server runs without authentication (NEO4J_PASSWORD unset); start neo4j-local with NEO4J_LOCAL_PASSWORD to run this case")
	}
	for _, uri := range []string{cfg.URI, "neo4j://" + strings.TrimPrefix(cfg.URI, "bolt://")} {
		bad := cfg
		bad.URI, bad.Password = uri, cfg.Password+"-wrong"
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := Open(ctx, bad)
		cancel()
		if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), uri) || !strings.Contains(err.Error(), "authentication failed") {
			t.Errorf("%s: %v; want ErrUnavailable naming the URI and 'authentication failed'", uri, err)
		}
	}
}
