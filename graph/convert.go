package graph

import (
	"fmt"
	"strings"

	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/store"
)

// The store keeps "unknown" as the zero value; GraphQL says null.

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func optFloat(f float64) *float64 {
	if f == 0 {
		return nil
	}
	return &f
}

// partialDate converts a store date; a date that carries nothing at all
// is null, one that carries only its source text (不详) is an UNKNOWN date.
func partialDate(d store.Date) *model.PartialDate {
	if d.IsZero() {
		return nil
	}
	return &model.PartialDate{
		Year: optInt(d.Year), Month: optInt(d.Month), Day: optInt(d.Day),
		ToYear: optInt(d.ToYear), ToMonth: optInt(d.ToMonth), ToDay: optInt(d.ToDay),
		Text:      optString(d.Text),
		Precision: model.DatePrecision(strings.ToUpper(d.Precision())),
		Display:   displayDate(d),
	}
}

// displayDate renders the known part of a date the way Chinese registers
// do; a range within one year names the year once (1951年3月至5月).
func displayDate(d store.Date) string {
	if d.Year == 0 {
		if d.Text != "" {
			return d.Text
		}
		return "不详"
	}
	monthDay := func(m, dd int) string {
		switch {
		case m == 0:
			return ""
		case dd == 0:
			return fmt.Sprintf("%d月", m)
		}
		return fmt.Sprintf("%d月%d日", m, dd)
	}
	s := fmt.Sprintf("%d年", d.Year) + monthDay(d.Month, d.Day)
	switch {
	case d.ToYear == 0:
		return s
	case d.ToYear != d.Year:
		return s + "至" + fmt.Sprintf("%d年", d.ToYear) + monthDay(d.ToMonth, d.ToDay)
	case d.ToMonth != 0:
		return s + "至" + monthDay(d.ToMonth, d.ToDay)
	}
	return s
}

func alias(a store.Alias) model.Alias {
	kind := model.AliasKind(strings.ToUpper(a.Kind))
	if !kind.IsValid() {
		kind = model.AliasKindOther
	}
	return model.Alias{Name: a.Name, Kind: kind, Source: optString(a.Source)}
}

func grave(g store.Grave) *model.Grave {
	if g.IsZero() {
		return nil
	}
	return &model.Grave{Section: optString(g.Section), Row: optString(g.Row), Number: optString(g.Number), Text: optString(g.Text)}
}

func sex(s store.Sex) *model.Sex {
	var out model.Sex
	switch s {
	case store.SexMale:
		out = model.SexMale
	case store.SexFemale:
		out = model.SexFemale
	default:
		return nil
	}
	return &out
}

func placeLevel(l store.PlaceLevel) (model.PlaceLevel, error) {
	out := model.PlaceLevel(strings.ToUpper(string(l)))
	if !out.IsValid() {
		return "", fmt.Errorf("place level %q has no GraphQL value", l)
	}
	return out, nil
}

func placeChangeKind(kind string) model.PlaceChangeKind {
	out := model.PlaceChangeKind(strings.ToUpper(kind))
	if !out.IsValid() {
		return model.PlaceChangeKindOther
	}
	return out
}

func placeName(n store.PlaceName) model.PlaceName {
	return model.PlaceName{Name: n.Name, Kind: optString(n.Kind), From: optInt(n.From), To: optInt(n.To), Source: optString(n.Source)}
}
