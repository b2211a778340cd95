package demo

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guigen/guigen/store"
)

func TestBatchValidatesWithoutExternalRefs(t *testing.T) {
	b := Batch()
	refs, err := b.Validate()
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(refs) != 0 {
		t.Fatalf("batch references %d entities outside itself, e.g. %+v", len(refs), refs[0])
	}
	if len(b.Martyrs) != Size {
		t.Fatalf("%d martyrs, want %d", len(b.Martyrs), Size)
	}
}

func TestBatchIsDeterministic(t *testing.T) {
	if !reflect.DeepEqual(Batch(), Batch()) {
		t.Fatal("two calls of Batch differ")
	}
	if !reflect.DeepEqual(Leads(), Leads()) {
		t.Fatal("two calls of Leads differ")
	}
}

// TestBatchShowsWhatRecordsLookLike checks the data set has the
// difficulties it exists to demonstrate.
func TestBatchShowsWhatRecordsLookLike(t *testing.T) {
	b := Batch()
	placeByID := map[string]store.Place{}
	for _, p := range b.Places {
		placeByID[p.ID] = p
	}
	names := map[string]map[string]bool{} // name -> hometowns
	var unnamed, nicknames, female, oldCountyText, replacedHometown, unresolved int
	precisions := map[string]int{}
	eras := map[string]int{}
	for _, m := range b.Martyrs {
		if m.Unnamed {
			unnamed++
			if m.Name != "" {
				t.Errorf("unnamed martyr %s has a name %q", m.ID, m.Name)
			}
			continue
		}
		if names[m.Name] == nil {
			names[m.Name] = map[string]bool{}
		}
		names[m.Name][m.HometownID] = true
		for _, a := range m.Aliases {
			if a.Kind == "nickname" {
				nicknames++
			}
		}
		if m.Sex == store.SexFemale {
			female++
		}
		precisions[m.Born.Precision()]++
		precisions[m.Died.Precision()]++
		for _, old := range []string{"胶县", "即墨县", "崂山县", "胶南县", "平度县", "莱西县"} {
			if strings.Contains(m.HometownText, old) {
				oldCountyText++
				break
			}
		}
		if m.HometownText == "" {
			t.Errorf("martyr %s has no hometown text", m.ID)
		}
		if m.HometownID == "" {
			unresolved++
		} else if p := placeByID[m.HometownID]; !p.Current() || !placeByID[p.ParentID].Current() {
			replacedHometown++
		}
		switch {
		case strings.HasPrefix(m.UnitText, "志愿军"), strings.Contains(m.DeathPlace, "朝鲜"):
			eras["korea"]++
		case m.Died.Year >= 1946 && m.Died.Year <= 1949:
			eras["liberation"]++
		case m.Died.Year >= 1937 && m.Died.Year <= 1945:
			eras["resistance"]++
		}
	}
	dupNames := 0
	for _, homes := range names {
		if len(homes) > 1 {
			dupNames++
		}
	}
	for _, c := range []struct {
		what string
		got  int
		min  int
	}{
		{"unnamed martyrs", unnamed, 3},
		{"names shared by men of different hometowns", dupNames, 3},
		{"nicknames", nicknames, 5},
		{"women", female, 1},
		{"hometowns written with a former county name", oldCountyText, 60},
		{"hometowns resolved to a former place or under one", replacedHometown, 20},
		{"unresolved hometowns", unresolved, 1},
		{"year-only dates", precisions["year"], 20},
		{"year-month dates", precisions["month"], 20},
		{"full dates", precisions["day"], 20},
		{"range dates", precisions["range"], 3},
		{"unknown dates", precisions["unknown"], 5},
		{"resistance-war martyrs", eras["resistance"], 20},
		{"liberation-war martyrs", eras["liberation"], 40},
		{"Korean-war martyrs", eras["korea"], 40},
	} {
		if c.got < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.min)
		}
	}

	// A conflicting pair: two assertions on one field with different values.
	seen := map[string]string{}
	conflict := false
	for _, a := range b.Assertions {
		key := a.MartyrID + "|" + a.Field
		if v, ok := seen[key]; ok && v != a.Value {
			conflict = true
		}
		seen[key] = a.Value
	}
	if !conflict {
		t.Error("no conflicting assertions")
	}

	// Personal data is visibly fake.
	for _, p := range b.People {
		if ph := p.Personal.Phone; ph != "" && !strings.Contains(ph, "****") {
			t.Errorf("person %s phone %q does not look fake", p.ID, ph)
		}
		if addr := p.Personal.Address; addr != "" && !strings.Contains(addr, "虚构") {
			t.Errorf("person %s address %q is not marked fictional", p.ID, addr)
		}
		if p.Living && !p.Died.IsZero() {
			t.Errorf("person %s is living but has a death date", p.ID)
		}
	}
	lines := map[store.Line]bool{}
	statuses := map[store.KinStatus]bool{}
	for _, k := range b.Kinships {
		lines[k.Line] = true
		statuses[k.Status] = true
	}
	if !lines[store.LinePaternal] || !lines[store.LineMaternal] || !statuses[store.KinClaimed] || !statuses[store.KinConfirmed] {
		t.Errorf("kinships cover lines %v and statuses %v, want both of each", lines, statuses)
	}
	kinds := map[store.RecordKind]bool{}
	for _, r := range b.Records {
		kinds[r.Kind] = true
	}
	if len(kinds) < 8 {
		t.Errorf("records of %d kinds, want at least 8", len(kinds))
	}
}

func TestLeadsEndInDifferentStatesAndReferToTheBatch(t *testing.T) {
	b := Batch()
	has := map[store.Kind]map[string]bool{store.KindMartyr: {}, store.KindPerson: {}, store.KindRecord: {}}
	for _, m := range b.Martyrs {
		has[store.KindMartyr][m.ID] = true
	}
	for _, p := range b.People {
		has[store.KindPerson][p.ID] = true
	}
	for _, r := range b.Records {
		has[store.KindRecord][r.ID] = true
	}
	states := map[store.LeadState]bool{}
	for _, ls := range Leads() {
		states[ls.FinalState()] = true
		if !has[store.KindMartyr][ls.Lead.MartyrID] {
			t.Errorf("lead %s: martyr %s not in the batch", ls.Lead.ID, ls.Lead.MartyrID)
		}
		for _, p := range ls.Lead.PersonIDs {
			if !has[store.KindPerson][p] {
				t.Errorf("lead %s: person %s not in the batch", ls.Lead.ID, p)
			}
		}
		state := store.LeadNew
		for _, st := range ls.Steps {
			for _, r := range st.Event.Evidence {
				if !has[store.KindRecord][r] {
					t.Errorf("lead %s: evidence %s not in the batch", ls.Lead.ID, r)
				}
			}
			if st.Event.Kind == "transition" {
				if st.Event.From != state {
					t.Errorf("lead %s: move from %s while in %s", ls.Lead.ID, st.Event.From, state)
				}
				state = st.Event.To
			}
			if st.Effects != nil {
				if _, err := st.Effects.Validate(); err != nil {
					t.Errorf("lead %s: effects: %v", ls.Lead.ID, err)
				}
			}
		}
	}
	if n := len(Leads()); n < 3 || n > 5 || len(states) != n {
		t.Errorf("%d leads ending in %d distinct states %v, want 3-5 all different", n, len(states), states)
	}
}

func TestHometownTextStyles(t *testing.T) {
	for _, c := range []struct {
		place    string
		st       style
		text, id string
	}{
		{"pl-v-houtun", styleOld, "山东省胶县九龙公社后屯村", "pl-v-houtun"},
		{"pl-v-houtun", styleModern, "山东省青岛市胶州市九龙街道后屯村", "pl-v-houtun"},
		{"pl-v-houtun", styleShort, "胶县九龙后屯村", "pl-v-houtun"},
		{"pl-v-yuantou", styleOld, "山东省崂山县夏庄公社源头村", "pl-v-yuantou"},
		{PlaceJimoQu, styleOld, "山东省即墨县", PlaceJimoxian},
		{PlaceJimoQu, styleModern, "山东省青岛市即墨区", PlaceJimoQu},
		{PlaceShibei, styleOld, "山东省青岛市四方区", PlaceSifang},
		{"pl-hd-boli", styleShort, "胶南泊里", "pl-hd-boli"},
	} {
		text, id := hometown(c.place, c.st)
		if text != c.text || id != c.id {
			t.Errorf("hometown(%s, %d) = %q, %q; want %q, %q", c.place, c.st, text, id, c.text, c.id)
		}
	}
}
