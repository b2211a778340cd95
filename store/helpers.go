package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// compoundSurnames are two-character family names; a name starting with
// one of them has that surname rather than its first character.
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠",
	"公冶", "太史", "澹台", "闻人", "呼延", "赫连", "钟离", "万俟", "单于", "司空",
	"歐陽", "諸葛", "長孫", "夏侯", "司馬", "東方", "鍾離", "聞人",
}

// Surname returns a Chinese name's family name: a compound surname when
// the name starts with one, else its first character. Spaces are ignored.
func Surname(name string) string {
	name = strings.Join(strings.Fields(name), "")
	if name == "" {
		return ""
	}
	for _, c := range compoundSurnames {
		if strings.HasPrefix(name, c) && utf8.RuneCountInString(name) > 2 {
			return c
		}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r)
}

// KinshipKey is the key of a kinship: one per person and martyr.
func KinshipKey(personID, martyrID string) string { return personID + "|" + martyrID }

// GetMartyr fetches one martyr, or ErrNotFound.
func GetMartyr(ctx context.Context, s Store, id string) (Martyr, error) {
	return getOne(ctx, s.GetMartyrs, id, "martyr")
}

// GetPlace fetches one place, or ErrNotFound.
func GetPlace(ctx context.Context, s Store, id string) (Place, error) {
	return getOne(ctx, s.GetPlaces, id, "place")
}

// GetPerson fetches one person, or ErrNotFound.
func GetPerson(ctx context.Context, s Store, id string) (Person, error) {
	return getOne(ctx, s.GetPeople, id, "person")
}

// GetLead fetches one lead, or ErrNotFound.
func GetLead(ctx context.Context, s Store, id string) (Lead, error) {
	return getOne(ctx, s.GetLeads, id, "lead")
}

func getOne[T any](ctx context.Context, get func(context.Context, []string) (map[string]T, error), id, what string) (T, error) {
	var zero T
	m, err := get(ctx, []string{id})
	if err != nil {
		return zero, fmt.Errorf("get %s %q: %w", what, id, err)
	}
	v, ok := m[id]
	if !ok {
		return zero, fmt.Errorf("get %s %q: %w", what, id, ErrNotFound)
	}
	return v, nil
}

// UpdateMartyr reads a martyr, applies fn and saves it, retrying when a
// concurrent writer got there first, so no update is lost.
func UpdateMartyr(ctx context.Context, s Store, id string, fn func(*Martyr) error) (Martyr, error) {
	const attempts = 50
	for i := 0; i < attempts; i++ {
		m, err := GetMartyr(ctx, s, id)
		if err != nil {
			return Martyr{}, fmt.Errorf("update martyr: %w", err)
		}
		if err := fn(&m); err != nil {
			return Martyr{}, fmt.Errorf("update martyr %q: %w", id, err)
		}
		saved, err := s.SaveMartyr(ctx, m)
		if errors.Is(err, ErrConflict) {
			if err := ctx.Err(); err != nil {
				return Martyr{}, err
			}
			continue
		}
		return saved, err
	}
	return Martyr{}, fmt.Errorf("update martyr %q: gave up after %d conflicting writes: %w", id, attempts, ErrConflict)
}

// EncodeCursor makes an opaque keyset cursor from the sort key of the
// last row of a page.
func EncodeCursor(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + key))
}

// DecodeCursor returns the sort key inside a cursor; "" for no cursor.
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "k:") || len(b) < 3 {
		return "", fmt.Errorf("cursor %q: %w", c, ErrInvalid)
	}
	return string(b[2:]), nil
}

// PageSize checks a page request and returns the number of rows to fetch.
func PageSize(p PageReq) (int, error) {
	switch {
	case p.First < 0:
		return 0, fmt.Errorf("page size %d is negative: %w", p.First, ErrInvalid)
	case p.First == 0:
		return DefaultPageSize, nil
	case p.First > MaxPageSize:
		return 0, fmt.Errorf("page size %d exceeds %d: %w", p.First, MaxPageSize, ErrInvalid)
	}
	return p.First, nil
}

// Ref is a reference from one entity to another, for checking that the
// target exists.
type Ref struct {
	Kind Kind   // the kind of the target
	ID   string // the target id
	// From says where the reference stands, for the error message:
	// "martyr m-1 hometownId".
	From string
}

// Validate checks every entity of the batch on its own (ids present,
// enumerations valid, dates plausible, ids unique) and returns the
// references the batch makes to entities it does not itself contain:
// the backend must check those exist before writing.
func (b *Batch) Validate() ([]Ref, error) {
	var errs []error
	bad := func(kind Kind, id, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s %q: %s", kind, id, fmt.Sprintf(format, args...)))
	}
	defined := map[Kind]map[string]bool{}
	define := func(kind Kind, id string) {
		if id == "" || strings.TrimSpace(id) != id || len(id) > 200 {
			bad(kind, id, "id must be non-empty, at most 200 bytes, without surrounding spaces")
			return
		}
		if defined[kind] == nil {
			defined[kind] = map[string]bool{}
		}
		if defined[kind][id] {
			bad(kind, id, "appears twice in one batch")
		}
		defined[kind][id] = true
	}
	var refs []Ref
	ref := func(kind Kind, id string, fromKind Kind, fromID, field string) {
		if id != "" {
			refs = append(refs, Ref{Kind: kind, ID: id, From: fmt.Sprintf("%s %q %s", fromKind, fromID, field)})
		}
	}
	date := func(kind Kind, id, field string, d Date) {
		if err := d.Validate(); err != nil {
			bad(kind, id, "%s: %v", field, err)
		}
	}
	cites := func(kind Kind, id string, cs []Citation) {
		for _, c := range cs {
			if c.Confidence < 0 || c.Confidence > 3 {
				bad(kind, id, "citation confidence %d outside 0-3", c.Confidence)
			}
			if c.RecordID == "" {
				bad(kind, id, "citation without a record id")
			}
			ref(KindRecord, c.RecordID, kind, id, "citation recordId")
		}
	}
	sex := func(kind Kind, id string, s Sex) {
		if s != SexUnknown && s != SexMale && s != SexFemale {
			bad(kind, id, "sex %q is not M, F or empty", s)
		}
	}

	for _, p := range b.Places {
		define(KindPlace, p.ID)
		if strings.TrimSpace(p.Name) == "" {
			bad(KindPlace, p.ID, "name is empty")
		}
		if !slices.Contains(PlaceLevels, p.Level) {
			bad(KindPlace, p.ID, "level %q is not one of %v", p.Level, PlaceLevels)
		}
		if p.ParentID == p.ID && p.ID != "" {
			bad(KindPlace, p.ID, "is its own parent")
		}
		ref(KindPlace, p.ParentID, KindPlace, p.ID, "parentId")
		for _, c := range p.ReplacedBy {
			if c.ToID == p.ID {
				bad(KindPlace, p.ID, "replaced by itself")
			}
			ref(KindPlace, c.ToID, KindPlace, p.ID, "replacedBy")
		}
		for _, c := range p.PartTo {
			ref(KindPlace, c.ToID, KindPlace, p.ID, "partTo")
		}
	}
	for _, u := range b.Units {
		define(KindUnit, u.ID)
		if strings.TrimSpace(u.Name) == "" {
			bad(KindUnit, u.ID, "name is empty")
		}
		ref(KindUnit, u.ParentID, KindUnit, u.ID, "parentId")
		for _, s := range u.SucceededBy {
			ref(KindUnit, s.UnitID, KindUnit, u.ID, "succeededBy")
		}
	}
	for _, c := range b.Cemeteries {
		define(KindCemetery, c.ID)
		if strings.TrimSpace(c.Name) == "" {
			bad(KindCemetery, c.ID, "name is empty")
		}
		ref(KindPlace, c.PlaceID, KindCemetery, c.ID, "placeId")
	}
	for _, e := range b.Events {
		define(KindEvent, e.ID)
		if strings.TrimSpace(e.Name) == "" {
			bad(KindEvent, e.ID, "name is empty")
		}
		date(KindEvent, e.ID, "start", e.Start)
		date(KindEvent, e.ID, "end", e.End)
		ref(KindPlace, e.PlaceID, KindEvent, e.ID, "placeId")
	}
	for _, m := range b.Martyrs {
		define(KindMartyr, m.ID)
		if strings.TrimSpace(m.Name) == "" && !m.Unnamed {
			bad(KindMartyr, m.ID, "name is empty and the martyr is not marked unnamed")
		}
		sex(KindMartyr, m.ID, m.Sex)
		date(KindMartyr, m.ID, "born", m.Born)
		date(KindMartyr, m.ID, "enlisted", m.Enlisted)
		date(KindMartyr, m.ID, "died", m.Died)
		for _, a := range m.Aliases {
			if strings.TrimSpace(a.Name) == "" {
				bad(KindMartyr, m.ID, "alias with an empty name")
			}
		}
		ref(KindPlace, m.HometownID, KindMartyr, m.ID, "hometownId")
		ref(KindUnit, m.UnitID, KindMartyr, m.ID, "unitId")
		ref(KindCemetery, m.CemeteryID, KindMartyr, m.ID, "cemeteryId")
		for _, e := range m.EventIDs {
			ref(KindEvent, e, KindMartyr, m.ID, "eventIds")
		}
		for _, d := range m.PossibleDuplicates {
			if d == m.ID {
				bad(KindMartyr, m.ID, "lists itself as a possible duplicate")
			}
			ref(KindMartyr, d, KindMartyr, m.ID, "possibleDuplicates")
		}
	}
	for _, p := range b.People {
		define(KindPerson, p.ID)
		if strings.TrimSpace(p.Name) == "" {
			bad(KindPerson, p.ID, "name is empty")
		}
		sex(KindPerson, p.ID, p.Sex)
		date(KindPerson, p.ID, "born", p.Born)
		date(KindPerson, p.ID, "died", p.Died)
		ref(KindPlace, p.HometownID, KindPerson, p.ID, "hometownId")
		for _, r := range p.Personal.DNAResults {
			if !slices.Contains([]string{"match", "excluded", "inconclusive"}, r.Outcome) {
				bad(KindPerson, p.ID, "DNA outcome %q is not match, excluded or inconclusive", r.Outcome)
			}
			ref(KindMartyr, r.MartyrID, KindPerson, p.ID, "dnaResults martyrId")
			ref(KindRecord, r.RecordID, KindPerson, p.ID, "dnaResults recordId")
		}
	}
	for _, k := range b.Kinships {
		key := KinshipKey(k.PersonID, k.MartyrID)
		if k.PersonID == "" || k.MartyrID == "" {
			bad(KindKinship, key, "needs both personId and martyrId")
		} else {
			define(KindKinship, key)
		}
		if !slices.Contains(Relations, k.Relation) {
			bad(KindKinship, key, "relation %q is not one of %v", k.Relation, Relations)
		}
		if k.Line != LineUnknown && k.Line != LinePaternal && k.Line != LineMaternal {
			bad(KindKinship, key, "line %q is not paternal, maternal or empty", k.Line)
		}
		if k.Status != KinClaimed && k.Status != KinConfirmed {
			bad(KindKinship, key, "status %q is not claimed or confirmed", k.Status)
		}
		cites(KindKinship, key, k.Citations)
		ref(KindPerson, k.PersonID, KindKinship, key, "personId")
		ref(KindMartyr, k.MartyrID, KindKinship, key, "martyrId")
	}
	for _, r := range b.Records {
		define(KindRecord, r.ID)
		if !slices.Contains(RecordKinds, r.Kind) {
			bad(KindRecord, r.ID, "kind %q is not one of %v", r.Kind, RecordKinds)
		}
		date(KindRecord, r.ID, "date", r.Date)
		for _, id := range r.MartyrIDs {
			ref(KindMartyr, id, KindRecord, r.ID, "martyrIds")
		}
		for _, id := range r.PersonIDs {
			ref(KindPerson, id, KindRecord, r.ID, "personIds")
		}
		for _, id := range r.PlaceIDs {
			ref(KindPlace, id, KindRecord, r.ID, "placeIds")
		}
	}
	for _, a := range b.Assertions {
		define(KindAssert, a.ID)
		if a.Field == "" {
			bad(KindAssert, a.ID, "field is empty")
		}
		if a.MartyrID == "" {
			bad(KindAssert, a.ID, "martyrId is empty")
		}
		ref(KindMartyr, a.MartyrID, KindAssert, a.ID, "martyrId")
		cites(KindAssert, a.ID, a.Citations)
	}
	for _, p := range b.Portraits {
		define(KindPortrait, p.ID)
		if p.MartyrID == "" {
			bad(KindPortrait, p.ID, "martyrId is empty")
		}
		date(KindPortrait, p.ID, "painted", p.Painted)
		ref(KindMartyr, p.MartyrID, KindPortrait, p.ID, "martyrId")
	}
	for _, e := range b.Exhibits {
		define(KindExhibit, e.ID)
		if strings.TrimSpace(e.Title) == "" {
			bad(KindExhibit, e.ID, "title is empty")
		}
		date(KindExhibit, e.ID, "start", e.Start)
		date(KindExhibit, e.ID, "end", e.End)
		for _, id := range e.PortraitIDs {
			ref(KindPortrait, id, KindExhibit, e.ID, "portraitIds")
		}
	}
	for _, s := range b.Stories {
		define(KindStory, s.ID)
		if strings.TrimSpace(s.Title) == "" {
			bad(KindStory, s.ID, "title is empty")
		}
		date(KindStory, s.ID, "date", s.Date)
		for _, id := range s.MartyrIDs {
			ref(KindMartyr, id, KindStory, s.ID, "martyrIds")
		}
		for _, id := range s.PlaceIDs {
			ref(KindPlace, id, KindStory, s.ID, "placeIds")
		}
		for _, id := range s.UnitIDs {
			ref(KindUnit, id, KindStory, s.ID, "unitIds")
		}
		cites(KindStory, s.ID, s.Sources)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	// Keep only references to entities outside the batch, each once.
	var out []Ref
	seen := map[Ref]bool{}
	for _, r := range refs {
		if defined[r.Kind][r.ID] {
			continue
		}
		key := Ref{Kind: r.Kind, ID: r.ID}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, r)
	}
	return out, nil
}

// MissingRefs turns the references whose targets the backend did not
// find into one ErrInvalid error naming each; nil when none is missing.
func MissingRefs(refs []Ref, exists func(Ref) bool) error {
	var errs []error
	for _, r := range refs {
		if !exists(r) {
			errs = append(errs, fmt.Errorf("%s: %s %q does not exist", r.From, r.Kind, r.ID))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
}

// RefsByKind groups reference targets by kind, each id once.
func RefsByKind(refs []Ref) map[Kind][]string {
	out := map[Kind][]string{}
	seen := map[Ref]bool{}
	for _, r := range refs {
		key := Ref{Kind: r.Kind, ID: r.ID}
		if !seen[key] {
			seen[key] = true
			out[r.Kind] = append(out[r.Kind], r.ID)
		}
	}
	return out
}

// ValidateEvent checks a lead event's kind and, for a transition, that
// the target is a lead state. Who may make the move is casework's rule.
func (u LeadUpdate) ValidateEvent() error {
	switch u.Event.Kind {
	case "transition":
		if !slices.Contains(LeadStates, u.Event.To) {
			return fmt.Errorf("target state %q is not a lead state: %w", u.Event.To, ErrInvalid)
		}
	case "assign", "note":
	default:
		return fmt.Errorf("event kind %q is not transition, assign or note: %w", u.Event.Kind, ErrInvalid)
	}
	return nil
}
