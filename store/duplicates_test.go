package store

import (
	"strings"
	"testing"
)

func TestValidatePossibleDuplicates(t *testing.T) {
	b := &Batch{Martyrs: []Martyr{
		{ID: "m-1", Name: "马广宇", PossibleDuplicates: []string{"m-2", "m-9"}},
		{ID: "m-2", Name: "马广宇", PossibleDuplicates: []string{"m-2"}},
	}}
	if _, err := b.Validate(); err == nil || !strings.Contains(err.Error(), "lists itself as a possible duplicate") {
		t.Errorf("self link: %v", err)
	}
	b.Martyrs[1].PossibleDuplicates = []string{"m-1"}
	refs, err := b.Validate()
	if err != nil || len(refs) != 1 || refs[0].Kind != KindMartyr || refs[0].ID != "m-9" {
		t.Errorf("refs = %+v, %v; want only m-9, outside the batch", refs, err)
	}
}
