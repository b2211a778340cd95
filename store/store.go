// Package store holds Guigen's domain types and the Store contract every
// storage backend implements. The contract speaks the domain, never
// Cypher or SQL; store/storetest holds the one suite all backends pass.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends wrap them with fmt.Errorf("op: %w", err) so
// callers test with errors.Is.
var (
	// ErrNotFound: no entity with that id.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the entity exists already, or changed since it was read
	// (a stale Version), or a lead is not in the state the move expects.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input breaks a rule (missing id, bad value, a
	// reference to an entity that does not exist). Nothing was written.
	ErrInvalid = errors.New("invalid input")
	// ErrUnavailable: the database cannot be reached or refused us.
	ErrUnavailable = errors.New("store unavailable")
	// ErrSchemaTooNew: the database was written by a newer Guigen.
	ErrSchemaTooNew = errors.New("schema version newer than this program")
	// ErrCorrupt: the database file is damaged or not ours.
	ErrCorrupt = errors.New("database corrupt or not a guigen database")
)

// Kind names an entity type; it appears in change-log entries and errors.
type Kind string

const (
	KindMartyr   Kind = "martyr"
	KindPerson   Kind = "person"
	KindKinship  Kind = "kinship"
	KindPlace    Kind = "place"
	KindRecord   Kind = "record"
	KindAssert   Kind = "assertion"
	KindCemetery Kind = "cemetery"
	KindUnit     Kind = "unit"
	KindEvent    Kind = "event"
	KindLead     Kind = "lead"
	KindPortrait Kind = "portrait"
	KindExhibit  Kind = "exhibit"
	KindStory    Kind = "story"
)

// Batch is a set of entities to upsert together. Apply writes all of it
// in one transaction or none of it.
//
// Upsert semantics: an entity is keyed by its ID (a kinship by PersonID
// and MartyrID) and replaced whole. Writing an entity identical to the
// stored one changes nothing: no version bump, no change-log entry, so
// applying the same batch twice leaves the same graph.
type Batch struct {
	Places     []Place
	Units      []Unit
	Cemeteries []Cemetery
	Events     []Event
	Martyrs    []Martyr
	People     []Person
	Kinships   []Kinship
	Records    []ArchivalRecord
	Assertions []Assertion
	Portraits  []Portrait
	Exhibits   []Exhibit
	Stories    []Story
}

// Len is the number of entities in the batch.
func (b *Batch) Len() int {
	return len(b.Places) + len(b.Units) + len(b.Cemeteries) + len(b.Events) + len(b.Martyrs) +
		len(b.People) + len(b.Kinships) + len(b.Records) + len(b.Assertions) + len(b.Portraits) +
		len(b.Exhibits) + len(b.Stories)
}

// PageReq asks for one page of a list. After is the EndCursor of the
// previous page, empty for the first. First <= 0 means DefaultPageSize;
// more than MaxPageSize is ErrInvalid.
type PageReq struct {
	First int
	After string
}

const (
	DefaultPageSize = 20
	MaxPageSize     = 10000
)

// Page is one page of a list in a stable order. Cursors are keyset
// cursors: rows inserted or deleted elsewhere never shift a page.
type Page[T any] struct {
	Items     []T
	EndCursor string // cursor of the last item; empty when Items is empty
	HasNext   bool
	Total     int // all items matching the filter, ignoring the cursor
}

// MartyrFilter narrows a list of martyrs. Zero fields do not filter; set
// fields combine with AND. Martyrs are listed in Order, ID order when it
// is zero.
type MartyrFilter struct {
	// Order sorts the list; cursors carry it, and a cursor made for
	// another order is ErrInvalid. Not a filter, but it travels with one
	// so that every caller of ListMartyrs keeps its signature.
	Order MartyrOrder
	// Surname as Surname() derives it ("欧阳" for 欧阳海).
	Surname string
	// PlaceID matches martyrs whose resolved hometown is the place, any
	// place it replaced (its former names, transitively), or any place
	// beneath one of those.
	PlaceID string
	// DiedFrom/DiedTo bound the death year, inclusive. A martyr whose
	// death date is a range matches when the range overlaps; one whose
	// death year is unknown never matches a year bound.
	DiedFrom int
	DiedTo   int
	// CemeteryID and UnitID match the resolved cemetery or unit.
	CemeteryID string
	UnitID     string
	// Unnamed: nil for all, true for unnamed only, false for named only.
	Unnamed *bool
}

// PortraitFilter narrows a list of portraits. Zero fields do not filter;
// set fields combine with AND.
type PortraitFilter struct {
	// Artist matches Portrait.Artist exactly.
	Artist string
	// PlaceID matches portraits of martyrs from the place, in the same
	// scope as MartyrFilter.PlaceID (former names and places beneath).
	PlaceID string
	// EventID matches portraits of martyrs who fell in the event.
	EventID string
	// PublishedOnly leaves out portraits not yet published (the public
	// sees published works only).
	PublishedOnly bool
	// SHA256 matches the portraits of one image (the same scan may hang
	// as more than one portrait); the image server asks it to learn
	// whether an image is published.
	SHA256 string
}

// ExhibitFilter narrows a list of exhibits.
type ExhibitFilter struct {
	// PublishedOnly leaves out exhibits not yet published.
	PublishedOnly bool
}

// Neighbourhood names the comrade lists volunteers use.
type Neighbourhood string

const (
	// SameHometown: martyrs whose hometown is the same place, or a former
	// or later name of it.
	SameHometown Neighbourhood = "hometown"
	// SameCounty: martyrs from anywhere in the same county-level place,
	// counting its former and later names (胶县 and 胶州市 are one county).
	SameCounty Neighbourhood = "county"
	SameUnit   Neighbourhood = "unit"
	// SameCemetery: martyrs buried in the same cemetery.
	SameCemetery Neighbourhood = "cemetery"
)

// Relative is a person and how they are kin to a martyr.
type Relative struct {
	Person  Person
	Kinship Kinship
}

// Kin is a martyr and how a person is kin to him.
type Kin struct {
	Martyr  Martyr
	Kinship Kinship
}

// LeadFilter narrows a list of leads. Leads are listed in ID order.
type LeadFilter struct {
	States     []LeadState
	AssigneeID string
	MartyrID   string
}

// LeadUpdate appends one event to a lead's audit trail and applies it.
type LeadUpdate struct {
	LeadID string
	// ExpectVersion must equal the lead's Version, or the update fails
	// with ErrConflict and writes nothing.
	ExpectVersion int64
	// Event: Kind "transition" moves the lead from Event.From (which must
	// be its current state, else ErrConflict) to Event.To; "assign" sets
	// the assignee to Event.Assignee; "note" only records. The store sets
	// Seq and LeadID. Rules on who may do what live in casework, not here.
	Event LeadEvent
	// Effects are written in the same transaction (confirming a lead
	// marks its kinships confirmed). May be nil.
	Effects *Batch
}

// Change is one entry of the change log, written in the same transaction
// as the data it describes. Seq increases strictly; the search index
// follows the log and keeps its own watermark.
type Change struct {
	Seq  int64
	Kind Kind
	ID   string // for a kinship: PersonID + "|" + MartyrID
	At   time.Time
}

// Store is the knowledge graph. Implementations are safe for concurrent
// use. Methods taking a slice of ids return what exists: missing ids are
// absent from the result, not an error.
type Store interface {
	// Backend names the implementation ("sqlite", "neo4j") for logs.
	Backend() string
	// Ping checks the database answers; readiness uses it.
	Ping(ctx context.Context) error
	// Migrate brings the schema up to date. Open does it too; a database
	// with a newer schema gives ErrSchemaTooNew and is left untouched.
	Migrate(ctx context.Context) error
	// SchemaVersion reports the schema version recorded in the database.
	SchemaVersion(ctx context.Context) (int, error)
	Close(ctx context.Context) error

	// Apply upserts a batch atomically. Every entity needs an ID; every
	// reference (HometownID, ParentID, MartyrID, RecordID in a citation,
	// ...) must name an entity in the store or in the batch, else
	// ErrInvalid names the entity and field and nothing is written.
	Apply(ctx context.Context, b *Batch) error

	// SaveMartyr writes one martyr if m.Version equals the stored
	// version (0 for a new martyr); otherwise ErrConflict. It returns the
	// martyr as stored, with its new Version.
	SaveMartyr(ctx context.Context, m Martyr) (Martyr, error)

	// GetMartyrs and the other Get* methods fetch by id, in one round trip.
	GetMartyrs(ctx context.Context, ids []string) (map[string]Martyr, error)
	GetPeople(ctx context.Context, ids []string) (map[string]Person, error)
	GetPlaces(ctx context.Context, ids []string) (map[string]Place, error)
	GetRecords(ctx context.Context, ids []string) (map[string]ArchivalRecord, error)
	GetCemeteries(ctx context.Context, ids []string) (map[string]Cemetery, error)
	GetUnits(ctx context.Context, ids []string) (map[string]Unit, error)
	GetEvents(ctx context.Context, ids []string) (map[string]Event, error)
	GetPortraits(ctx context.Context, ids []string) (map[string]Portrait, error)
	GetExhibits(ctx context.Context, ids []string) (map[string]Exhibit, error)
	GetStories(ctx context.Context, ids []string) (map[string]Story, error)
	GetLeads(ctx context.Context, ids []string) (map[string]Lead, error)

	// ListMartyrs lists martyrs matching the filter, in f.Order (ID order
	// by default); an unknown order is ErrInvalid.
	ListMartyrs(ctx context.Context, f MartyrFilter, p PageReq) (Page[Martyr], error)
	// ListPlaces lists every place, current and former, in ID order, with
	// the same keyset cursors as ListMartyrs; Total counts all places.
	// Search pages through it to load the whole gazetteer at start-up.
	ListPlaces(ctx context.Context, p PageReq) (Page[Place], error)
	// ListCemeteries, ListUnits, ListEvents and ListExhibits list every
	// entity of their kind in ID order, with the same keyset cursors as
	// ListMartyrs; Total counts all of the kind.
	ListCemeteries(ctx context.Context, p PageReq) (Page[Cemetery], error)
	ListUnits(ctx context.Context, p PageReq) (Page[Unit], error)
	ListEvents(ctx context.Context, p PageReq) (Page[Event], error)
	ListExhibits(ctx context.Context, f ExhibitFilter, p PageReq) (Page[Exhibit], error)
	// ListPortraits lists the portraits matching the filter in ID order;
	// Total counts all that match.
	ListPortraits(ctx context.Context, f PortraitFilter, p PageReq) (Page[Portrait], error)
	// PlaceChildren returns, for each place id, the places whose ParentID
	// it is, in ID order.
	PlaceChildren(ctx context.Context, placeIDs []string) (map[string][]Place, error)
	// Neighbours lists the other martyrs sharing the martyr's hometown,
	// county, unit or cemetery, in ID order; the martyr himself is never
	// in the list. An empty list when he has no such place; ErrNotFound
	// when the martyr does not exist.
	Neighbours(ctx context.Context, martyrID string, n Neighbourhood, p PageReq) (Page[Martyr], error)

	// Relatives returns, for each martyr id, the people kin to him.
	Relatives(ctx context.Context, martyrIDs []string) (map[string][]Relative, error)
	// KinOf returns, for each person id, the martyrs the person is kin to.
	KinOf(ctx context.Context, personIDs []string) (map[string][]Kin, error)
	// RecordsCiting returns, for each martyr id, the records that mention
	// him or are cited by an assertion about him, each once, in ID order.
	RecordsCiting(ctx context.Context, martyrIDs []string) (map[string][]ArchivalRecord, error)
	// Assertions returns, for each martyr id, the facts asserted about
	// him, conflicting ones side by side, in ID order.
	Assertions(ctx context.Context, martyrIDs []string) (map[string][]Assertion, error)
	// Lineages returns, for each place id, its place in the hierarchy and
	// in time.
	Lineages(ctx context.Context, placeIDs []string) (map[string]Lineage, error)
	// PortraitsOf returns, for each martyr id, his portraits in ID order.
	PortraitsOf(ctx context.Context, martyrIDs []string) (map[string][]Portrait, error)

	// CreateLead stores a new lead in state NEW with Version 1 and its
	// "create" event (Seq 1). ErrConflict when the id exists.
	CreateLead(ctx context.Context, l Lead) (Lead, error)
	// AdvanceLead applies a LeadUpdate atomically and returns the lead.
	AdvanceLead(ctx context.Context, u LeadUpdate) (Lead, error)
	ListLeads(ctx context.Context, f LeadFilter, p PageReq) (Page[Lead], error)
	// LeadEvents returns a lead's audit trail in Seq order.
	LeadEvents(ctx context.Context, leadID string) ([]LeadEvent, error)
	// LeadEventsOf returns the audit trails of several leads in one round
	// trip, each in Seq order, keyed by lead id; a lead without events or
	// unknown is absent. It serves a board showing many leads' timelines.
	LeadEventsOf(ctx context.Context, leadIDs []string) (map[string][]LeadEvent, error)

	// Changes returns change-log entries with Seq > after, in Seq order,
	// at most limit of them.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)

	// Tokens and the audit log (see auth.go). They are part of the
	// contract, not optional extras found by type assertion, so that a
	// decorator around the store (metrics, tests) cannot silently turn
	// authentication and auditing off.
	CreateToken(ctx context.Context, t Token) (Token, error)
	TokenByHash(ctx context.Context, hash string) (Token, error)
	RevokeToken(ctx context.Context, id string) (Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	AppendAudit(ctx context.Context, entries ...AuditEntry) ([]AuditEntry, error)
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
