package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func changeCases() []testCase {
	return []testCase{
		{"EntryPerEntity", testChangeEntries},
		{"AfterAndLimit", testChangePaging},
		{"OnlyRealChanges", testChangeOnlyReal},
	}
}

// entityKeys lists "kind id" for every entity of a batch.
func entityKeys(b *store.Batch) []string {
	var out []string
	add := func(k store.Kind, id string) { out = append(out, string(k)+" "+id) }
	for _, e := range b.Places {
		add(store.KindPlace, e.ID)
	}
	for _, e := range b.Units {
		add(store.KindUnit, e.ID)
	}
	for _, e := range b.Cemeteries {
		add(store.KindCemetery, e.ID)
	}
	for _, e := range b.Events {
		add(store.KindEvent, e.ID)
	}
	for _, e := range b.Martyrs {
		add(store.KindMartyr, e.ID)
	}
	for _, e := range b.People {
		add(store.KindPerson, e.ID)
	}
	for _, e := range b.Kinships {
		add(store.KindKinship, store.KinshipKey(e.PersonID, e.MartyrID))
	}
	for _, e := range b.Records {
		add(store.KindRecord, e.ID)
	}
	for _, e := range b.Assertions {
		add(store.KindAssert, e.ID)
	}
	for _, e := range b.Portraits {
		add(store.KindPortrait, e.ID)
	}
	for _, e := range b.Exhibits {
		add(store.KindExhibit, e.ID)
	}
	for _, e := range b.Stories {
		add(store.KindStory, e.ID)
	}
	slices.Sort(out)
	return out
}

func changeKeys(ch []store.Change) []string {
	out := make([]string, len(ch))
	for i, c := range ch {
		out[i] = string(c.Kind) + " " + c.ID
	}
	slices.Sort(out)
	return out
}

func checkIncreasing(t *testing.T, ch []store.Change) {
	t.Helper()
	for i := 1; i < len(ch); i++ {
		if ch[i].Seq <= ch[i-1].Seq {
			t.Errorf("change %d has Seq %d after %d: not strictly increasing", i, ch[i].Seq, ch[i-1].Seq)
			return
		}
	}
}

func testChangeEntries(t *testing.T, s suite) {
	st := s.fresh(t)
	before := time.Now().Add(-time.Minute)
	mustApply(t, st, Fixture())
	after := time.Now().Add(time.Minute)
	ch := allChanges(t, st, 0)
	sameIDs(t, "change-log entries of the fixture", changeKeys(ch), entityKeys(Fixture()))
	checkIncreasing(t, ch)
	for _, c := range ch {
		if c.At.Before(before) || c.At.After(after) {
			t.Errorf("change %d at %v, want about now", c.Seq, c.At)
			break
		}
		if c.Seq <= 0 {
			t.Errorf("change Seq %d, want > 0", c.Seq)
			break
		}
	}
}

func testChangePaging(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Gazetteer())
	all := allChanges(t, st, 0)
	if len(all) < 9 {
		t.Fatalf("only %d changes for the gazetteer", len(all))
	}
	cases := []struct {
		after int64
		limit int
		want  []store.Change
	}{
		{0, 3, all[:3]},
		{all[2].Seq, 3, all[3:6]},
		{all[5].Seq, 1, all[6:7]},
		{all[len(all)-2].Seq, 10, all[len(all)-1:]},
		{all[len(all)-1].Seq, 10, nil},
		{0, len(all) + 50, all},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("after%d/limit%d", c.after, c.limit), func(t *testing.T) {
			got, err := st.Changes(ctx, c.after, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			norm := func(ch []store.Change) []store.Change {
				out := make([]store.Change, len(ch))
				for i, x := range ch {
					x.At = msTime(x.At)
					out[i] = x
				}
				return out
			}
			same(t, "changes", norm(got), norm(c.want))
		})
	}
}

func testChangeOnlyReal(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Gazetteer())
	seq := lastSeq(t, st)

	// The fixture repeats the gazetteer: only its new entities are logged.
	mustApply(t, st, Fixture())
	g := map[string]bool{}
	for _, k := range entityKeys(Gazetteer()) {
		g[k] = true
	}
	var want []string
	for _, k := range entityKeys(Fixture()) {
		if !g[k] {
			want = append(want, k)
		}
	}
	sameIDs(t, "changes of the fixture over the gazetteer", changeKeys(allChanges(t, st, seq)), want)

	// One place and one kinship differ in an otherwise identical batch.
	seq = lastSeq(t, st)
	b := Fixture()
	for i := range b.Places {
		if b.Places[i].ID == PlaceLaixi {
			b.Places[i].OtherNames = []store.PlaceName{{Name: "莱西县", Kind: "historical", To: 1990}}
		}
	}
	b.Kinships[2].Note = "户籍证明"
	mustApply(t, st, b)
	ch := allChanges(t, st, seq)
	sameIDs(t, "changes of a batch with two edits", changeKeys(ch),
		[]string{"kinship " + store.KinshipKey(PersonWangXiuying, MartyrWangDeming), "place " + PlaceLaixi})
	checkIncreasing(t, allChanges(t, st, 0))

	// The same batch again: nothing.
	seq = lastSeq(t, st)
	mustApply(t, st, b)
	if ch := allChanges(t, st, seq); len(ch) != 0 {
		t.Errorf("a no-op rewrite logged %v", ch)
	}
}
