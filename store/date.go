package store

import (
	"fmt"
	"strings"
)

// Date is a date as archives know it: often only a year or a year and
// month, sometimes a range ("1951年秋"), sometimes nothing at all ("不详").
// Zero fields are unknown; a zero Date is an unknown date. It is never
// padded into a fake full date.
type Date struct {
	Year  int `json:"y,omitempty"`
	Month int `json:"m,omitempty"`
	Day   int `json:"d,omitempty"`
	// ToYear/ToMonth/ToDay close a range ("1951年秋" is 1951-07..1951-09).
	// All zero for a point date.
	ToYear  int `json:"ty,omitempty"`
	ToMonth int `json:"tm,omitempty"`
	ToDay   int `json:"td,omitempty"`
	// Text is the date as written in the source, kept verbatim.
	Text string `json:"t,omitempty"`
}

// Known reports whether anything is known of the date beyond its text.
func (d Date) Known() bool { return d.Year != 0 }

// IsZero reports whether the date carries nothing at all.
func (d Date) IsZero() bool { return d == Date{} }

// Precision names how much of the date is known: "unknown", "year",
// "month", "day" or "range".
func (d Date) Precision() string {
	switch {
	case d.Year == 0:
		return "unknown"
	case d.ToYear != 0:
		return "range"
	case d.Month == 0:
		return "year"
	case d.Day == 0:
		return "month"
	default:
		return "day"
	}
}

// YearBounds returns the earliest and latest year the date may fall in,
// or 0, 0 when the year is unknown. Filters on years use these bounds so
// that a range date matches every year it covers.
func (d Date) YearBounds() (lo, hi int) {
	if d.Year == 0 {
		return 0, 0
	}
	if d.ToYear != 0 {
		return d.Year, d.ToYear
	}
	return d.Year, d.Year
}

// Validate checks the parts are plausible calendar values.
func (d Date) Validate() error {
	check := func(y, m, dd int) error {
		if y == 0 && (m != 0 || dd != 0) {
			return fmt.Errorf("month or day without a year")
		}
		if m == 0 && dd != 0 {
			return fmt.Errorf("day without a month")
		}
		if y != 0 && (y < 1000 || y > 2999) {
			return fmt.Errorf("year %d out of range", y)
		}
		if m < 0 || m > 12 {
			return fmt.Errorf("month %d out of range", m)
		}
		if dd < 0 || dd > 31 {
			return fmt.Errorf("day %d out of range", dd)
		}
		return nil
	}
	if err := check(d.Year, d.Month, d.Day); err != nil {
		return err
	}
	if d.ToYear != 0 || d.ToMonth != 0 || d.ToDay != 0 {
		if d.Year == 0 {
			return fmt.Errorf("range end without a start")
		}
		if err := check(d.ToYear, d.ToMonth, d.ToDay); err != nil {
			return err
		}
		if d.ToYear < d.Year {
			return fmt.Errorf("range ends (%d) before it starts (%d)", d.ToYear, d.Year)
		}
	}
	return nil
}

// String renders the known part in ISO-like form: "1951", "1951-10",
// "1951-10-03", "1951-07/1951-09"; the source text when nothing is known.
func (d Date) String() string {
	if d.Year == 0 {
		return d.Text
	}
	part := func(y, m, dd int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%04d", y)
		if m != 0 {
			fmt.Fprintf(&b, "-%02d", m)
			if dd != 0 {
				fmt.Fprintf(&b, "-%02d", dd)
			}
		}
		return b.String()
	}
	s := part(d.Year, d.Month, d.Day)
	if d.ToYear != 0 {
		s += "/" + part(d.ToYear, d.ToMonth, d.ToDay)
	}
	return s
}
