package ingest

import (
	"slices"
	"testing"

	"github.com/guigen/guigen/store"
)

func TestDuplicates(t *testing.T) {
	d := NewDuplicates()
	add := func(id, name, text, place string) []string {
		return d.Add(store.Martyr{ID: id, Name: name, HometownText: text, HometownID: place})
	}
	if got := add("a", "马广宇", "山东省胶县", ""); got != nil {
		t.Errorf("first: %v", got)
	}
	if got := add("b", "马 广宇", "山东胶县李家村", ""); !slices.Equal(got, []string{"a"}) {
		t.Errorf("same name, hometown within: %v", got)
	}
	if got := add("c", "马广宇", "河北省保定", ""); got != nil {
		t.Errorf("other hometown: %v", got)
	}
	if got := add("d", "马广宇", "", ""); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("unknown hometown: %v", got)
	}
	if got := add("a", "马广宇", "山东省胶县", ""); !slices.Equal(got, []string{"b", "d"}) {
		t.Errorf("re-adding a known id: %v", got)
	}
	if got := add("e", "王成", "胶州", "p1"); got != nil {
		t.Errorf("other name: %v", got)
	}
	if got := add("f", "王成", "胶县", "p1"); !slices.Equal(got, []string{"e"}) {
		t.Errorf("same place: %v", got)
	}
	m := store.Martyr{ID: "x", PossibleDuplicates: []string{"c"}}
	if !AddLink(&m, "a") || AddLink(&m, "a") || AddLink(&m, "x") || !slices.Equal(m.PossibleDuplicates, []string{"a", "c"}) {
		t.Errorf("AddLink: %v", m.PossibleDuplicates)
	}
}
