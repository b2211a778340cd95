// Package export writes the whole knowledge graph as JSON Lines and loads
// such a file back into a store, for backups, moves between backends and
// exchange. The file is deterministic: two exports of the same store are
// byte-identical, and an export of a store restored from an export is
// byte-identical to it.
//
// Format: one JSON object per line, each with a "type" field and the
// entity's own JSON (the store types' field names) beside it:
//
//	{"type":"header","format":"guigen-jsonl","version":1}
//	{"type":"place","id":"370000","name":"山东省","level":"province"}
//	…
//	{"type":"lead","id":"lead-0001",…,"events":[{"kind":"create",…},…]}
//	{"type":"audit","actor":"…","action":"read_personal",…}
//	{"type":"end","counts":{"martyr":120,…}}
//
// Kinds come in dependency order (places, units, cemeteries, events,
// martyrs, people, records, assertions, kinships, portraits, exhibits,
// stories, leads, audit), each in ID order (kinships by person then
// martyr, assertions by martyr then ID, the audit log in sequence).
// References inside one kind (a place's parent, a martyr's possible
// duplicates) may point forward; Import handles that.
//
// Left out on purpose: API tokens (the stored hashes are credentials; a
// restored system issues new tokens), values the store sets itself on
// every write (Martyr.Version and UpdatedAt, Lead.UpdatedAt, the audit
// log's Seq) and the change log (the restored store writes its own),
// and media files (portraits are exported as metadata; the image bytes
// live in the media directory and are copied with it).
package export

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/guigen/guigen/store"
)

// Format and Version name the file format in its header line.
const (
	Format  = "guigen-jsonl"
	Version = 1
)

// Line types besides the store's kinds.
const (
	TypeHeader = "header"
	TypeEnd    = "end"
	TypeLead   = "lead"
	TypeAudit  = "audit"
)

// Types lists the entity line types in the order an export writes them.
var Types = []string{
	string(store.KindPlace), string(store.KindUnit), string(store.KindCemetery), string(store.KindEvent),
	string(store.KindMartyr), string(store.KindPerson), string(store.KindRecord), string(store.KindAssert),
	string(store.KindKinship), string(store.KindPortrait), string(store.KindExhibit), string(store.KindStory),
	TypeLead, TypeAudit,
}

// Options tune an export.
type Options struct {
	// PageSize is how many entities one read fetches; 0 for 1000.
	PageSize int
	// RedactPersonal leaves living people's personal data (phone,
	// address, ID number, DNA outcomes) out, for a copy that leaves the
	// bureau. A redacted file restores without that data.
	RedactPersonal bool
	// NoAudit leaves the audit log out.
	NoAudit bool
}

// Counts is how many lines of each type an export wrote.
type Counts map[string]int

// header and end lines.
type headerLine struct {
	Type    string `json:"type"`
	Format  string `json:"format"`
	Version int    `json:"version"`
}

type endLine struct {
	Type   string `json:"type"`
	Counts Counts `json:"counts"`
}

// Line shapes: the entity's fields inline beside "type". Fields the store
// sets on every write are shadowed by never-set fields of the same JSON
// name, which encoding/json prefers to the embedded ones.
type (
	placeLine struct {
		Type string `json:"type"`
		store.Place
	}
	unitLine struct {
		Type string `json:"type"`
		store.Unit
	}
	cemeteryLine struct {
		Type string `json:"type"`
		store.Cemetery
	}
	eventLine struct {
		Type string `json:"type"`
		store.Event
	}
	martyrLine struct {
		Type string `json:"type"`
		store.Martyr
		Version   *int64     `json:"version,omitempty"`
		UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	}
	personLine struct {
		Type string `json:"type"`
		store.Person
	}
	recordLine struct {
		Type string `json:"type"`
		store.ArchivalRecord
	}
	assertionLine struct {
		Type string `json:"type"`
		store.Assertion
	}
	kinshipLine struct {
		Type string `json:"type"`
		store.Kinship
	}
	portraitLine struct {
		Type string `json:"type"`
		store.Portrait
	}
	exhibitLine struct {
		Type string `json:"type"`
		store.Exhibit
	}
	storyLine struct {
		Type string `json:"type"`
		store.Story
	}
	leadLine struct {
		Type string `json:"type"`
		store.Lead
		UpdatedAt *time.Time        `json:"updatedAt,omitempty"`
		Events    []store.LeadEvent `json:"events"`
	}
	auditLine struct {
		Type string `json:"type"`
		store.AuditEntry
		Seq *int64 `json:"seq,omitempty"`
	}
)

// writer writes lines and counts them.
type writer struct {
	w      io.Writer
	buf    bytes.Buffer
	enc    *json.Encoder
	counts Counts
}

func newWriter(w io.Writer) *writer {
	wr := &writer{w: w, counts: Counts{}}
	wr.enc = json.NewEncoder(&wr.buf)
	// Chinese stays readable and "<" stays "<": the file is for people too.
	wr.enc.SetEscapeHTML(false)
	return wr
}

func (w *writer) line(typ string, v any) error {
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", typ, err)
	}
	if _, err := w.w.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", typ, err)
	}
	if typ != TypeHeader && typ != TypeEnd {
		w.counts[typ]++
	}
	return nil
}

// JSONL writes everything in the store to w and returns the line counts.
// It pages through the store and never holds a whole kind in memory,
// except the ids of people, records and stories, which the contract
// offers no list of: those come from the change log.
func JSONL(ctx context.Context, s store.Store, w io.Writer, o Options) (Counts, error) {
	if o.PageSize <= 0 {
		o.PageSize = 1000
	}
	o.PageSize = min(o.PageSize, store.MaxPageSize)
	wr := newWriter(w)
	if err := wr.line(TypeHeader, headerLine{Type: TypeHeader, Format: Format, Version: Version}); err != nil {
		return nil, err
	}
	ids, err := logIDs(ctx, s, store.KindPerson, store.KindRecord, store.KindStory)
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error {
			return pages(ctx, o, s.ListPlaces, func(p store.Place) error {
				return wr.line("place", placeLine{"place", p})
			})
		},
		func() error {
			return pages(ctx, o, s.ListUnits, func(u store.Unit) error { return wr.line("unit", unitLine{"unit", u}) })
		},
		func() error {
			return pages(ctx, o, s.ListCemeteries, func(c store.Cemetery) error {
				return wr.line("cemetery", cemeteryLine{"cemetery", c})
			})
		},
		func() error {
			return pages(ctx, o, s.ListEvents, func(e store.Event) error { return wr.line("event", eventLine{"event", e}) })
		},
		func() error {
			return pages(ctx, o, listMartyrs(s), func(m store.Martyr) error {
				m.Version, m.UpdatedAt = 0, time.Time{}
				return wr.line("martyr", martyrLine{Type: "martyr", Martyr: m})
			})
		},
		func() error {
			return byIDs(ctx, o, ids[store.KindPerson], s.GetPeople, func(p store.Person) error {
				if o.RedactPersonal {
					p.Personal = store.PersonalData{}
				}
				return wr.line("person", personLine{"person", p})
			})
		},
		func() error {
			return byIDs(ctx, o, ids[store.KindRecord], s.GetRecords, func(r store.ArchivalRecord) error {
				return wr.line("record", recordLine{"record", r})
			})
		},
		func() error {
			// Every assertion names its martyr: walk the martyrs again.
			return martyrPages(ctx, o, s, func(ms []store.Martyr) error {
				got, err := s.Assertions(ctx, martyrIDs(ms))
				if err != nil {
					return fmt.Errorf("read assertions: %w", err)
				}
				for _, m := range ms {
					as := slices.SortedFunc(slices.Values(got[m.ID]), func(a, b store.Assertion) int { return cmp.Compare(a.ID, b.ID) })
					for _, a := range as {
						if err := wr.line("assertion", assertionLine{"assertion", a}); err != nil {
							return err
						}
					}
				}
				return nil
			})
		},
		func() error {
			for chunk := range slices.Chunk(ids[store.KindPerson], o.PageSize) {
				got, err := s.KinOf(ctx, chunk)
				if err != nil {
					return fmt.Errorf("read kinships: %w", err)
				}
				for _, pid := range chunk {
					ks := slices.SortedFunc(slices.Values(got[pid]), func(a, b store.Kin) int { return cmp.Compare(a.Kinship.MartyrID, b.Kinship.MartyrID) })
					for _, k := range ks {
						if err := wr.line("kinship", kinshipLine{"kinship", k.Kinship}); err != nil {
							return err
						}
					}
				}
			}
			return nil
		},
		func() error {
			return pages(ctx, o, listPortraits(s), func(p store.Portrait) error {
				return wr.line("portrait", portraitLine{"portrait", p})
			})
		},
		func() error {
			return pages(ctx, o, listExhibits(s), func(e store.Exhibit) error {
				return wr.line("exhibit", exhibitLine{"exhibit", e})
			})
		},
		func() error {
			return byIDs(ctx, o, ids[store.KindStory], s.GetStories, func(st store.Story) error {
				return wr.line("story", storyLine{"story", st})
			})
		},
		func() error { return exportLeads(ctx, o, s, wr) },
		func() error {
			if o.NoAudit {
				return nil
			}
			return exportAudit(ctx, s, wr)
		},
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	counts := maps.Clone(wr.counts)
	if err := wr.line(TypeEnd, endLine{Type: TypeEnd, Counts: counts}); err != nil {
		return nil, err
	}
	return counts, nil
}

// pages walks a keyset-paginated list.
func pages[T any](ctx context.Context, o Options, list func(context.Context, store.PageReq) (store.Page[T], error), each func(T) error) error {
	var after string
	for {
		p, err := list(ctx, store.PageReq{First: o.PageSize, After: after})
		if err != nil {
			return err
		}
		for _, it := range p.Items {
			if err := each(it); err != nil {
				return err
			}
		}
		if !p.HasNext || len(p.Items) == 0 {
			return nil
		}
		after = p.EndCursor
	}
}

func martyrPages(ctx context.Context, o Options, s store.Store, each func([]store.Martyr) error) error {
	var after string
	for {
		p, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: o.PageSize, After: after})
		if err != nil {
			return fmt.Errorf("list martyrs: %w", err)
		}
		if err := each(p.Items); err != nil {
			return err
		}
		if !p.HasNext || len(p.Items) == 0 {
			return nil
		}
		after = p.EndCursor
	}
}

func listMartyrs(s store.Store) func(context.Context, store.PageReq) (store.Page[store.Martyr], error) {
	return func(ctx context.Context, p store.PageReq) (store.Page[store.Martyr], error) {
		return s.ListMartyrs(ctx, store.MartyrFilter{}, p)
	}
}

func listPortraits(s store.Store) func(context.Context, store.PageReq) (store.Page[store.Portrait], error) {
	return func(ctx context.Context, p store.PageReq) (store.Page[store.Portrait], error) {
		return s.ListPortraits(ctx, store.PortraitFilter{}, p)
	}
}

func listExhibits(s store.Store) func(context.Context, store.PageReq) (store.Page[store.Exhibit], error) {
	return func(ctx context.Context, p store.PageReq) (store.Page[store.Exhibit], error) {
		return s.ListExhibits(ctx, store.ExhibitFilter{}, p)
	}
}

func martyrIDs(ms []store.Martyr) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// byIDs fetches entities by sorted ids in chunks. An id the change log
// names but the store no longer has is skipped.
func byIDs[T any](ctx context.Context, o Options, ids []string, get func(context.Context, []string) (map[string]T, error), each func(T) error) error {
	for chunk := range slices.Chunk(ids, o.PageSize) {
		got, err := get(ctx, chunk)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			if v, ok := got[id]; ok {
				if err := each(v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// logIDs collects the distinct ids of the given kinds from the change
// log, sorted. Entities are never deleted, so the log names every one.
func logIDs(ctx context.Context, s store.Store, kinds ...store.Kind) (map[store.Kind][]string, error) {
	sets := map[store.Kind]map[string]struct{}{}
	for _, k := range kinds {
		sets[k] = map[string]struct{}{}
	}
	var after int64
	for {
		cs, err := s.Changes(ctx, after, 5000)
		if err != nil {
			return nil, fmt.Errorf("export: read the change log: %w", err)
		}
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			if set, ok := sets[c.Kind]; ok {
				set[c.ID] = struct{}{}
			}
		}
		after = cs[len(cs)-1].Seq
	}
	out := map[store.Kind][]string{}
	for k, set := range sets {
		out[k] = slices.Sorted(maps.Keys(set))
	}
	return out, nil
}

func exportLeads(ctx context.Context, o Options, s store.Store, wr *writer) error {
	var after string
	for {
		p, err := s.ListLeads(ctx, store.LeadFilter{}, store.PageReq{First: o.PageSize, After: after})
		if err != nil {
			return fmt.Errorf("list leads: %w", err)
		}
		ids := make([]string, len(p.Items))
		for i, l := range p.Items {
			ids[i] = l.ID
		}
		evs, err := s.LeadEventsOf(ctx, ids)
		if err != nil {
			return fmt.Errorf("read lead events: %w", err)
		}
		for _, l := range p.Items {
			es := evs[l.ID]
			if es == nil {
				es = []store.LeadEvent{}
			}
			if err := wr.line(TypeLead, leadLine{Type: TypeLead, Lead: l, Events: es}); err != nil {
				return err
			}
		}
		if !p.HasNext || len(p.Items) == 0 {
			return nil
		}
		after = p.EndCursor
	}
}

func exportAudit(ctx context.Context, s store.Store, wr *writer) error {
	var after int64
	for {
		es, err := s.Audit(ctx, store.AuditFilter{After: after, Limit: 1000})
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		if len(es) == 0 {
			return nil
		}
		for _, e := range es {
			after = e.Seq
			e.Seq = 0
			e.At = e.At.UTC()
			if err := wr.line(TypeAudit, auditLine{Type: TypeAudit, AuditEntry: e}); err != nil {
				return err
			}
		}
	}
}
