package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
)

// MartyrSort is what a list of martyrs is sorted by. Ties, and the zero
// value, go by ID.
type MartyrSort string

const (
	SortByID MartyrSort = ""
	// SortByName sorts by the name as recorded, in code point order,
	// which for hanzi is the radical-and-stroke order of the dictionaries
	// (Unicode's CJK blocks are laid out that way).
	SortByName MartyrSort = "name"
	// SortByDied sorts by the earliest possible death year; martyrs whose
	// year is unknown come last in either direction.
	SortByDied MartyrSort = "died"
	// SortByUpdated sorts by the last change, for "what changed lately".
	SortByUpdated MartyrSort = "updated"
)

// MartyrOrder is the order of a list of martyrs.
type MartyrOrder struct {
	By   MartyrSort
	Desc bool
}

// Valid reports whether the order is one the stores know.
func (o MartyrOrder) Valid() bool {
	switch o.By {
	case SortByID, SortByName, SortByDied, SortByUpdated:
		return true
	}
	return false
}

// Plain reports whether the order is the default, ascending ids, whose
// cursors are the plain ones every other list uses.
func (o MartyrOrder) Plain() bool { return o.By == SortByID && !o.Desc }

// Unknown death years sort after every known one: the largest key going
// up, the smallest going down. Both backends use these same numbers.
const (
	UnknownYearAsc  = math.MaxInt32
	UnknownYearDesc = math.MinInt32
)

// MartyrSortKey is the value the order compares for m: a string for the
// name, an int64 for the death year and the update time (Unix
// nanoseconds).
func MartyrSortKey(m Martyr, o MartyrOrder) any {
	switch o.By {
	case SortByName:
		return m.Name
	case SortByDied:
		lo, _ := m.Died.YearBounds()
		switch {
		case lo != 0:
			return int64(lo)
		case o.Desc:
			return int64(UnknownYearDesc)
		default:
			return int64(UnknownYearAsc)
		}
	case SortByUpdated:
		return m.UpdatedAt.UnixNano()
	}
	return m.ID
}

// orderedCursor is what a cursor of a sorted list carries: the order it
// was made for, and the sort key and id of the last row.
type orderedCursor struct {
	By   MartyrSort      `json:"by"`
	Desc bool            `json:"desc,omitempty"`
	Key  json.RawMessage `json:"key"`
	ID   string          `json:"id"`
}

// The prefix tells a sorted list's cursor from a plain one ("k:").
const orderedPrefix = "o:"

// MartyrCursor returns the keyset cursor after m in a list in order o.
// In ID order it is the plain cursor of EncodeCursor.
func MartyrCursor(m Martyr, o MartyrOrder) string {
	if o.Plain() {
		return EncodeCursor(m.ID)
	}
	key, _ := json.Marshal(MartyrSortKey(m, o)) // a string or an int64
	b, _ := json.Marshal(orderedCursor{By: o.By, Desc: o.Desc, Key: key, ID: m.ID})
	return base64.RawURLEncoding.EncodeToString(append([]byte(orderedPrefix), b...))
}

// DecodeMartyrCursor returns the sort key and id inside a cursor of a
// list in order o; a nil key and "" for no cursor. A cursor made for
// another order is ErrInvalid: reading on from it would skip or repeat
// rows.
func DecodeMartyrCursor(c string, o MartyrOrder) (key any, id string, err error) {
	if c == "" {
		return nil, "", nil
	}
	if o.Plain() {
		id, err := DecodeCursor(c)
		return id, id, err
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !bytes.HasPrefix(b, []byte(orderedPrefix)) {
		return nil, "", fmt.Errorf("cursor %q: 游标与排序不符 / not a cursor of a sorted list: %w", c, ErrInvalid)
	}
	var oc orderedCursor
	dec := json.NewDecoder(bytes.NewReader(b[len(orderedPrefix):]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&oc); err != nil || oc.ID == "" {
		return nil, "", fmt.Errorf("cursor %q: %w", c, ErrInvalid)
	}
	if oc.By != o.By || oc.Desc != o.Desc {
		return nil, "", fmt.Errorf("cursor %q: 游标属于另一种排序 / made for another order: %w", c, ErrInvalid)
	}
	switch o.By {
	case SortByName, SortByID:
		var s string
		if err := json.Unmarshal(oc.Key, &s); err != nil {
			return nil, "", fmt.Errorf("cursor %q: %w", c, ErrInvalid)
		}
		return s, oc.ID, nil
	default:
		var n int64
		if err := json.Unmarshal(oc.Key, &n); err != nil {
			return nil, "", fmt.Errorf("cursor %q: %w", c, ErrInvalid)
		}
		return n, oc.ID, nil
	}
}
