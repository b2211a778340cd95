package ingest

import (
	"slices"
	"strings"

	"github.com/guigen/guigen/store"
)

// Duplicates finds probable duplicates among the martyrs it has seen:
// the same name (spaces and width folded) and a compatible hometown —
// the same resolved place, one text within the other, or one of them
// unknown — under different ids. It never merges: the importer links
// both ways with Martyr.PossibleDuplicates for a person to review.
//
// The links a martyr gets depend only on which martyrs are known, not
// on the order they came in, so a run repeated or resumed after a kill
// computes the same links and rewrites nothing.
type Duplicates struct {
	byName map[string][]dupEntry
}

type dupEntry struct {
	id, text, place string
}

// NewDuplicates starts with no martyrs known.
func NewDuplicates() *Duplicates { return &Duplicates{byName: map[string][]dupEntry{}} }

func dupName(name string) string { return strings.ReplaceAll(normText(name), " ", "") }

// hometownCore drops spaces and the level words that registers add or
// omit freely, so 山东省胶县 and 山东胶县 compare equal.
func hometownCore(s string) string {
	s = strings.ReplaceAll(normText(s), " ", "")
	for _, w := range []string{"省", "市", "县", "区", "人"} {
		s = strings.ReplaceAll(s, w, "")
	}
	return s
}

func compatible(a, b dupEntry) bool {
	if a.place != "" && a.place == b.place {
		return true
	}
	ta, tb := hometownCore(a.text), hometownCore(b.text)
	if ta == "" || tb == "" {
		return true
	}
	return strings.Contains(ta, tb) || strings.Contains(tb, ta)
}

// Add records a martyr (one already stored, or one being imported) and
// returns the ids of the known martyrs it may duplicate, sorted. Adding
// the same id again updates nothing and returns the same answer.
func (d *Duplicates) Add(m store.Martyr) []string {
	if m.Unnamed || strings.TrimSpace(m.Name) == "" {
		return nil
	}
	key := dupName(m.Name)
	e := dupEntry{id: m.ID, text: m.HometownText, place: m.HometownID}
	var out []string
	known := false
	for _, o := range d.byName[key] {
		if o.id == m.ID {
			known = true
			continue
		}
		if compatible(e, o) {
			out = append(out, o.id)
		}
	}
	if !known {
		d.byName[key] = append(d.byName[key], e)
	}
	slices.Sort(out)
	return out
}

// AddLink adds id to m's possible duplicates, keeping them sorted and
// unique; it reports whether m changed.
func AddLink(m *store.Martyr, id string) bool {
	i, found := slices.BinarySearch(m.PossibleDuplicates, id)
	if found || id == m.ID {
		return false
	}
	m.PossibleDuplicates = slices.Insert(m.PossibleDuplicates, i, id)
	return true
}
