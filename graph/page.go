package graph

import (
	"strings"

	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/store"
)

// pageRequest checks a connection's arguments. The API's page limit is
// far below the store's: a caller wanting more pages through them.
func pageRequest(first *int, after *string) (store.PageReq, error) {
	req := store.PageReq{First: DefaultPageSize}
	if first != nil {
		if *first < 1 || *first > MaxPageSize {
			return req, badInput("first 须在 1 到 %d 之间 / first must be between 1 and %d, got %d", MaxPageSize, MaxPageSize, *first)
		}
		req.First = *first
	}
	if after != nil && *after != "" {
		if _, err := store.DecodeCursor(*after); err != nil {
			return req, badInput("游标无效 / invalid cursor %q", *after)
		}
		req.After = *after
	}
	return req, nil
}

// edgeCursor is the cursor after a martyr: the store lists in id order
// with keyset cursors on the id, so any edge can start the next page.
func edgeCursor(id string) string { return store.EncodeCursor(id) }

func martyrFilter(f *model.MartyrFilter) (store.MartyrFilter, error) {
	var out store.MartyrFilter
	if f == nil {
		return out, nil
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	out.Surname = str(f.Surname)
	out.PlaceID = str(f.PlaceID)
	out.CemeteryID = str(f.CemeteryID)
	out.UnitID = str(f.UnitID)
	out.Unnamed = f.Unnamed
	for _, y := range []*int{f.DiedFrom, f.DiedTo} {
		if y != nil && (*y < 1000 || *y > 2999) {
			return out, badInput("年份无效 / year %d out of range", *y)
		}
	}
	if f.DiedFrom != nil {
		out.DiedFrom = *f.DiedFrom
	}
	if f.DiedTo != nil {
		out.DiedTo = *f.DiedTo
	}
	if out.DiedFrom != 0 && out.DiedTo != 0 && out.DiedFrom > out.DiedTo {
		return out, badInput("diedFrom (%d) 晚于 diedTo (%d) / diedFrom is after diedTo", out.DiedFrom, out.DiedTo)
	}
	return out, nil
}

// sliceOf pages through a list already in memory (a martyr's records, an
// exhibit's portraits) with the same arguments and cursors as the store's
// lists. In id order (byID) a cursor is a keyset position, so it stays
// valid when an item goes away; in curated order it must name an item
// still in the list.
func sliceOf[T any](items []T, id func(T) string, byID bool, first *int, after *string) ([]T, *model.PageInfo, error) {
	req, err := pageRequest(first, after)
	if err != nil {
		return nil, nil, err
	}
	start := 0
	if req.After != "" {
		key, _ := store.DecodeCursor(req.After) // pageRequest checked it
		found := false
		for i, v := range items {
			if (byID && id(v) > key) || (!byID && id(v) == key) {
				start, found = i, true
				if !byID {
					start++
				}
				break
			}
		}
		if !found {
			if !byID {
				return nil, nil, badInput("游标不在此列表中 / cursor %q is not in this list", req.After)
			}
			start = len(items)
		}
	}
	end := min(start+req.First, len(items))
	out := items[start:end]
	info := &model.PageInfo{HasNextPage: end < len(items)}
	if len(out) > 0 {
		info.EndCursor = optString(edgeCursor(id(out[len(out)-1])))
	}
	return out, info, nil
}

// martyrOrder maps the schema's order onto the store's; nil is id order.
func martyrOrder(o *model.MartyrOrder) store.MartyrOrder {
	if o == nil {
		return store.MartyrOrder{}
	}
	out := store.MartyrOrder{Desc: o.Direction == model.SortDirectionDesc}
	switch o.Field {
	case model.MartyrSortFieldName:
		out.By = store.SortByName
	case model.MartyrSortFieldDied:
		out.By = store.SortByDied
	case model.MartyrSortFieldUpdated:
		out.By = store.SortByUpdated
	}
	return out
}
