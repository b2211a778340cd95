package neo4j

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/store"
)

// Node labels and relationship types. Cypher text is only ever built from
// these constants, never from data.
const (
	lMartyr    = "Martyr"
	lPerson    = "Person"
	lPlace     = "Place"
	lRecord    = "ArchivalRecord"
	lAssertion = "Assertion"
	lCemetery  = "Cemetery"
	lUnit      = "Unit"
	lEvent     = "Event"
	lLead      = "Lead"
	lLeadEvent = "LeadEvent"
	lPortrait  = "Portrait"
	lExhibit   = "Exhibit"
	lStory     = "Story"
	lChange    = "Change"
	lSchema    = "GuigenSchema"
	lCounter   = "GuigenCounter"

	rHometown    = "HOMETOWN"
	rPartOf      = "PART_OF"
	rReplacedBy  = "REPLACED_BY"
	rKinOf       = "KIN_OF"
	rBuriedIn    = "BURIED_IN"
	rServedIn    = "SERVED_IN"
	rFellIn      = "FELL_IN"
	rMentions    = "MENTIONS"
	rAbout       = "ABOUT"
	rCites       = "CITES"
	rConcerns    = "CONCERNS"
	rCandidate   = "CANDIDATE"
	rOf          = "OF"
	rDepicts     = "DEPICTS"
	rShows       = "SHOWS"
	rSucceededBy = "SUCCEEDED_BY"
	rLocatedIn   = "LOCATED_IN"
)

// labelOf maps the kinds that are nodes to their label.
var labelOf = map[store.Kind]string{
	store.KindMartyr:   lMartyr,
	store.KindPerson:   lPerson,
	store.KindPlace:    lPlace,
	store.KindRecord:   lRecord,
	store.KindAssert:   lAssertion,
	store.KindCemetery: lCemetery,
	store.KindUnit:     lUnit,
	store.KindEvent:    lEvent,
	store.KindLead:     lLead,
	store.KindPortrait: lPortrait,
	store.KindExhibit:  lExhibit,
	store.KindStory:    lStory,
}

func kindOf(label string) store.Kind {
	for k, l := range labelOf {
		if l == label {
			return k
		}
	}
	panic("neo4j: no kind for label " + label)
}

// relSpec is one kind of relationship: from a label, of a type, to a label.
type relSpec struct{ from, typ, to string }

// ownedRels lists, per label, the outgoing relationship types derived from
// the entity's document. An upsert replaces exactly these; relationships
// owned by other entities (a kinship, a record mentioning a martyr) stay.
var ownedRels = map[string][]string{
	lPlace:     {rPartOf, rReplacedBy},
	lUnit:      {rPartOf, rSucceededBy},
	lCemetery:  {rLocatedIn},
	lEvent:     {rLocatedIn},
	lMartyr:    {rHometown, rServedIn, rBuriedIn, rFellIn},
	lPerson:    {rHometown},
	lRecord:    {rMentions},
	lAssertion: {rAbout, rCites},
	lPortrait:  {rDepicts},
	lExhibit:   {rShows},
	lStory:     {rAbout, rMentions, rCites},
}

// relRow is one relationship to create from an entity.
type relRow struct {
	spec  relSpec
	to    string
	props map[string]any
}

// entityRow is an entity ready to write: its key, canonical document,
// the scalar properties kept for filtering and browsing, and its
// outgoing relationships.
type entityRow struct {
	kind  store.Kind
	id    string
	doc   string
	props map[string]any
	rels  []relRow
}

// canonical marshals an entity to the document stored in the doc
// property. encoding/json sorts map keys, so equal entities give equal
// documents and an identical rewrite is detected by string comparison.
func canonical(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode document: %w", err)
	}
	return string(b), nil
}

// opt turns a zero value into nil, so that SET n += props removes the
// property instead of storing an empty one.
func opt[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// rowBuilder accumulates relationships of one entity, skipping empty and
// repeated targets.
type rowBuilder struct {
	row  entityRow
	seen map[relSpec]map[string]bool
}

func newRow(kind store.Kind, id string, v any, props map[string]any) (*rowBuilder, error) {
	doc, err := canonical(v)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", kind, id, err)
	}
	return &rowBuilder{row: entityRow{kind: kind, id: id, doc: doc, props: props}}, nil
}

// to adds a relationship once per target (targets that repeat with
// different properties, such as two citations of one record, keep each).
func (b *rowBuilder) to(spec relSpec, id string, props map[string]any) {
	if id == "" {
		return
	}
	if props == nil {
		if b.seen == nil {
			b.seen = map[relSpec]map[string]bool{}
		}
		if b.seen[spec] == nil {
			b.seen[spec] = map[string]bool{}
		}
		if b.seen[spec][id] {
			return
		}
		b.seen[spec][id] = true
		props = map[string]any{}
	}
	b.row.rels = append(b.row.rels, relRow{spec: spec, to: id, props: props})
}

func citeProps(c store.Citation) map[string]any {
	return map[string]any{"locator": opt(c.Locator), "quote": opt(c.Quote), "confidence": int64(c.Confidence)}
}

func yearBounds(d store.Date) (lo, hi any) {
	l, h := d.YearBounds()
	return opt(int64(l)), opt(int64(h))
}

func placeRow(p store.Place) (entityRow, error) {
	b, err := newRow(store.KindPlace, p.ID, p, map[string]any{
		"name": p.Name, "code": opt(p.Code), "level": string(p.Level), "parentId": opt(p.ParentID),
		"from": opt(int64(p.From)), "to": opt(int64(p.To)), "current": p.Current(),
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lPlace, rPartOf, lPlace}, p.ParentID, nil)
	for _, c := range p.ReplacedBy {
		b.to(relSpec{lPlace, rReplacedBy, lPlace}, c.ToID, map[string]any{"year": opt(int64(c.Year)), "kind": opt(c.Kind)})
	}
	return b.row, nil
}

func unitRow(u store.Unit) (entityRow, error) {
	b, err := newRow(store.KindUnit, u.ID, u, map[string]any{
		"name": u.Name, "parentId": opt(u.ParentID), "from": opt(int64(u.From)), "to": opt(int64(u.To)),
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lUnit, rPartOf, lUnit}, u.ParentID, nil)
	for _, s := range u.SucceededBy {
		b.to(relSpec{lUnit, rSucceededBy, lUnit}, s.UnitID, map[string]any{"year": opt(int64(s.Year)), "note": opt(s.Note)})
	}
	return b.row, nil
}

func cemeteryRow(c store.Cemetery) (entityRow, error) {
	b, err := newRow(store.KindCemetery, c.ID, c, map[string]any{
		"name": c.Name, "placeId": opt(c.PlaceID), "address": opt(c.Address),
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lCemetery, rLocatedIn, lPlace}, c.PlaceID, nil)
	return b.row, nil
}

func eventRow(e store.Event) (entityRow, error) {
	lo, _ := yearBounds(e.Start)
	_, hi := yearBounds(e.End)
	b, err := newRow(store.KindEvent, e.ID, e, map[string]any{
		"name": e.Name, "kind": opt(e.Kind), "placeId": opt(e.PlaceID), "startYear": lo, "endYear": hi,
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lEvent, rLocatedIn, lPlace}, e.PlaceID, nil)
	return b.row, nil
}

func martyrRow(m store.Martyr) (entityRow, error) {
	m.Version, m.UpdatedAt = 0, time.Time{}
	lo, hi := yearBounds(m.Died)
	born, _ := yearBounds(m.Born)
	b, err := newRow(store.KindMartyr, m.ID, m, map[string]any{
		"name": opt(m.Name), "surname": opt(m.Surname()), "registryNo": opt(m.RegistryNo), "sex": opt(string(m.Sex)),
		"bornYear": born, "diedLo": lo, "diedHi": hi, "died": opt(m.Died.String()),
		"hometownText": opt(m.HometownText), "hometownId": opt(m.HometownID),
		"unitId": opt(m.UnitID), "cemeteryId": opt(m.CemeteryID), "unnamed": m.Unnamed,
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lMartyr, rHometown, lPlace}, m.HometownID, nil)
	b.to(relSpec{lMartyr, rServedIn, lUnit}, m.UnitID, nil)
	b.to(relSpec{lMartyr, rBuriedIn, lCemetery}, m.CemeteryID, nil)
	for _, e := range m.EventIDs {
		b.to(relSpec{lMartyr, rFellIn, lEvent}, e, nil)
	}
	return b.row, nil
}

// personRow keeps personal data (phone, address, DNA outcomes) inside the
// document only: it is sensitive, and properties or relationships would
// expose it to anyone browsing the graph.
func personRow(p store.Person) (entityRow, error) {
	b, err := newRow(store.KindPerson, p.ID, p, map[string]any{
		"name": p.Name, "sex": opt(string(p.Sex)), "living": p.Living, "hometownId": opt(p.HometownID),
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lPerson, rHometown, lPlace}, p.HometownID, nil)
	return b.row, nil
}

// kinshipRow describes a KIN_OF relationship; its key is person|martyr.
func kinshipRow(k store.Kinship) (entityRow, error) {
	b, err := newRow(store.KindKinship, store.KinshipKey(k.PersonID, k.MartyrID), k, map[string]any{
		"personId": k.PersonID, "martyrId": k.MartyrID,
		"relation": string(k.Relation), "line": opt(string(k.Line)), "status": string(k.Status), "note": opt(k.Note),
	})
	if err != nil {
		return entityRow{}, err
	}
	return b.row, nil
}

func recordRow(r store.ArchivalRecord) (entityRow, error) {
	lo, _ := yearBounds(r.Date)
	b, err := newRow(store.KindRecord, r.ID, r, map[string]any{
		"kind": string(r.Kind), "title": opt(r.Title), "institution": opt(r.Institution), "year": lo,
	})
	if err != nil {
		return entityRow{}, err
	}
	for _, id := range r.MartyrIDs {
		b.to(relSpec{lRecord, rMentions, lMartyr}, id, nil)
	}
	for _, id := range r.PersonIDs {
		b.to(relSpec{lRecord, rMentions, lPerson}, id, nil)
	}
	for _, id := range r.PlaceIDs {
		b.to(relSpec{lRecord, rMentions, lPlace}, id, nil)
	}
	return b.row, nil
}

func assertionRow(a store.Assertion) (entityRow, error) {
	b, err := newRow(store.KindAssert, a.ID, a, map[string]any{
		"martyrId": a.MartyrID, "field": a.Field, "value": a.Value,
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lAssertion, rAbout, lMartyr}, a.MartyrID, nil)
	for _, c := range a.Citations {
		b.to(relSpec{lAssertion, rCites, lRecord}, c.RecordID, citeProps(c))
	}
	return b.row, nil
}

func portraitRow(p store.Portrait) (entityRow, error) {
	b, err := newRow(store.KindPortrait, p.ID, p, map[string]any{
		"martyrId": p.MartyrID, "sha256": opt(p.SHA256), "artist": opt(p.Artist),
		"published": p.Published, "familyConsent": p.FamilyConsent,
	})
	if err != nil {
		return entityRow{}, err
	}
	b.to(relSpec{lPortrait, rDepicts, lMartyr}, p.MartyrID, nil)
	return b.row, nil
}

func exhibitRow(e store.Exhibit) (entityRow, error) {
	b, err := newRow(store.KindExhibit, e.ID, e, map[string]any{
		"title": e.Title, "venue": opt(e.Venue), "published": e.Published,
	})
	if err != nil {
		return entityRow{}, err
	}
	for i, id := range e.PortraitIDs {
		b.to(relSpec{lExhibit, rShows, lPortrait}, id, map[string]any{"order": int64(i)})
	}
	return b.row, nil
}

func storyRow(s store.Story) (entityRow, error) {
	b, err := newRow(store.KindStory, s.ID, s, map[string]any{
		"title": s.Title, "author": opt(s.Author), "published": s.Published,
	})
	if err != nil {
		return entityRow{}, err
	}
	for _, id := range s.MartyrIDs {
		b.to(relSpec{lStory, rAbout, lMartyr}, id, nil)
	}
	for _, id := range s.PlaceIDs {
		b.to(relSpec{lStory, rMentions, lPlace}, id, nil)
	}
	for _, id := range s.UnitIDs {
		b.to(relSpec{lStory, rMentions, lUnit}, id, nil)
	}
	for _, c := range s.Sources {
		b.to(relSpec{lStory, rCites, lRecord}, c.RecordID, citeProps(c))
	}
	return b.row, nil
}

// group is the rows of one kind in a batch, in batch order.
type group struct {
	kind store.Kind
	rows []entityRow
}

func rowsOf[T any](kind store.Kind, items []T, enc func(T) (entityRow, error)) (group, error) {
	g := group{kind: kind, rows: make([]entityRow, 0, len(items))}
	for _, it := range items {
		r, err := enc(it)
		if err != nil {
			return group{}, err
		}
		g.rows = append(g.rows, r)
	}
	return g, nil
}

// writeOrder is the order in which a batch's kinds are written. The
// relationships a kind's statement creates to another kind need their
// targets written already, so every target kind comes before the kinds
// pointing at it (init checks this).
var writeOrder = []store.Kind{
	store.KindPlace, store.KindUnit, store.KindCemetery, store.KindEvent, store.KindMartyr, store.KindPerson,
	store.KindKinship, store.KindRecord, store.KindAssert, store.KindPortrait, store.KindExhibit, store.KindStory,
}

// encodeBatch turns a batch into rows grouped by kind, in writeOrder.
func encodeBatch(b *store.Batch) ([]group, error) {
	var gs []group
	add := func(g group, err error) error {
		if err != nil {
			return err
		}
		if len(g.rows) > 0 {
			gs = append(gs, g)
		}
		return nil
	}
	for _, err := range []error{
		add(rowsOf(store.KindPlace, b.Places, placeRow)),
		add(rowsOf(store.KindUnit, b.Units, unitRow)),
		add(rowsOf(store.KindCemetery, b.Cemeteries, cemeteryRow)),
		add(rowsOf(store.KindEvent, b.Events, eventRow)),
		add(rowsOf(store.KindMartyr, b.Martyrs, martyrRow)),
		add(rowsOf(store.KindPerson, b.People, personRow)),
		add(rowsOf(store.KindKinship, b.Kinships, kinshipRow)),
		add(rowsOf(store.KindRecord, b.Records, recordRow)),
		add(rowsOf(store.KindAssert, b.Assertions, assertionRow)),
		add(rowsOf(store.KindPortrait, b.Portraits, portraitRow)),
		add(rowsOf(store.KindExhibit, b.Exhibits, exhibitRow)),
		add(rowsOf(store.KindStory, b.Stories, storyRow)),
	} {
		if err != nil {
			return nil, fmt.Errorf("%w: %w", store.ErrInvalid, err)
		}
	}
	slices.SortStableFunc(gs, func(a, b group) int {
		return slices.Index(writeOrder, a.kind) - slices.Index(writeOrder, b.kind)
	})
	return gs, nil
}

// Queries generated from the constants above, once.
var (
	// label -> upsert statement: lock, compare, write, replace relationships
	qUpsert = map[string]string{}
	// relationships between nodes of one label (a place PART_OF a place),
	// created after the statement that writes both ends
	qCreateRels = map[relSpec]string{}
	qGetDocs    = map[string]string{} // label -> fetch documents by id
	qExists     = map[string]string{} // label -> ids that exist
	// label -> the relationship specs its upsert creates inline, in the
	// order of the row's rels.rN parameters
	inlineRels = map[string][]relSpec{}
)

// zeroRows encodes the zero entity of each upserted node kind; its
// properties name every scalar property the kind's nodes carry, since the
// encoders always give every key (nil when unset).
var zeroRows = map[store.Kind]func() (entityRow, error){
	store.KindPlace:    func() (entityRow, error) { return placeRow(store.Place{}) },
	store.KindUnit:     func() (entityRow, error) { return unitRow(store.Unit{}) },
	store.KindCemetery: func() (entityRow, error) { return cemeteryRow(store.Cemetery{}) },
	store.KindEvent:    func() (entityRow, error) { return eventRow(store.Event{}) },
	store.KindMartyr:   func() (entityRow, error) { return martyrRow(store.Martyr{}) },
	store.KindPerson:   func() (entityRow, error) { return personRow(store.Person{}) },
	store.KindKinship:  func() (entityRow, error) { return kinshipRow(store.Kinship{}) },
	store.KindRecord:   func() (entityRow, error) { return recordRow(store.ArchivalRecord{}) },
	store.KindAssert:   func() (entityRow, error) { return assertionRow(store.Assertion{}) },
	store.KindPortrait: func() (entityRow, error) { return portraitRow(store.Portrait{}) },
	store.KindExhibit:  func() (entityRow, error) { return exhibitRow(store.Exhibit{}) },
	store.KindStory:    func() (entityRow, error) { return storyRow(store.Story{}) },
}

func propKeys(zero func() (entityRow, error)) []string {
	r, err := zero()
	if err != nil {
		panic("neo4j: encode a zero entity: " + err.Error())
	}
	keys := make([]string, 0, len(r.props))
	for k := range r.props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// setProps renders "v.k = m.k, ..." for the given keys. A nil value
// removes the property.
func setProps(v, m string, keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = v + "." + k + " = " + m + "." + k
	}
	return strings.Join(parts, ", ")
}

// relPropKeys are the properties of the relationship types that have any.
var relPropKeys = map[string][]string{
	rReplacedBy:  {"kind", "year"},
	rSucceededBy: {"note", "year"},
	rCites:       {"confidence", "locator", "quote"},
	rShows:       {"order"},
}

// relPropMap renders the property map of a relationship type, " {k: m.k}",
// or "" when the type has no properties. Null values are not stored.
func relPropMap(m, typ string) string {
	keys := relPropKeys[typ]
	if len(keys) == 0 {
		return ""
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + m + "." + k
	}
	return " {" + strings.Join(parts, ", ") + "}"
}

// relKey names the row parameter holding the targets of spec in the
// upsert statement of its label; "" for a spec created separately.
func relKey(spec relSpec) string {
	for i, s := range inlineRels[spec.from] {
		if s == spec {
			return fmt.Sprintf("r%d", i)
		}
	}
	return ""
}

func init() {
	for _, spec := range allRelSpecs {
		if !slices.Contains(ownedRels[spec.from], spec.typ) {
			panic("neo4j: relationship " + spec.typ + " from " + spec.from + " is not owned")
		}
		if spec.from != spec.to {
			if slices.Index(writeOrder, kindOf(spec.to)) >= slices.Index(writeOrder, kindOf(spec.from)) {
				panic("neo4j: " + spec.to + " must be written before " + spec.from)
			}
			inlineRels[spec.from] = append(inlineRels[spec.from], spec)
			continue
		}
		// Targets of the same label may be created by the same batch,
		// after their referrer: these wait until every node is written.
		qCreateRels[spec] = `UNWIND $rows AS row
MATCH (a:` + spec.from + ` {id: row.from})
MATCH (b:` + spec.to + ` {id: row.to})
CREATE (a)-[:` + spec.typ + relPropMap("row.props", spec.typ) + `]->(b)`
	}
	for kind, label := range labelOf {
		qGetDocs[label] = `UNWIND $ids AS id
MATCH (n:` + label + ` {id: id})
RETURN n.id AS id, n.doc AS doc, n.version AS version, n.updatedAt AS updatedAt`
		qExists[label] = `UNWIND $ids AS id
MATCH (n:` + label + ` {id: id})
RETURN n.id AS id`
		zero, ok := zeroRows[kind]
		if !ok {
			continue // leads are written by their own statements
		}
		// Setting and removing a marker property takes the node's write
		// lock, held until commit, so the document compared next is the
		// latest committed one and no concurrent writer slips between the
		// comparison and the write (a new node is locked by MERGE). A new
		// node gets version 1 and has no relationships to replace.
		//
		// Properties are set by name, never from a map: the planner then
		// knows which properties the statement writes and needs no Eager
		// step between the writes and the id lookups of the targets.
		var b strings.Builder
		b.WriteString(`UNWIND $rows AS row
MERGE (n:` + label + ` {id: row.id})
SET n._lock = true REMOVE n._lock
WITH n, row WHERE n.doc IS NULL OR n.doc <> row.doc
WITH n, row, coalesce(n.version, 0) + 1 AS version
SET ` + setProps("n", "row.props", propKeys(zero)) + `, n.doc = row.doc, n.version = version, n.updatedAt = $now
WITH n, row, version, version = 1 AS created`)
		if owned := ownedRels[label]; len(owned) > 0 {
			b.WriteString(`
CALL {
  WITH n, created
  WITH n WHERE NOT created
  MATCH (n)-[old:` + strings.Join(owned, "|") + `]->()
  DELETE old
}`)
		}
		for i, spec := range inlineRels[label] {
			fmt.Fprintf(&b, `
CALL {
  WITH n, row
  UNWIND row.rels.r%d AS t
  MATCH (b:%s {id: t.to})
  CREATE (n)-[:%s%s]->(b)
}`, i, spec.to, spec.typ, relPropMap("t.props", spec.typ))
		}
		b.WriteString(`
RETURN row.id AS id, created, version`)
		qUpsert[label] = b.String()
	}
}

var allRelSpecs = []relSpec{
	{lPlace, rPartOf, lPlace}, {lPlace, rReplacedBy, lPlace},
	{lUnit, rPartOf, lUnit}, {lUnit, rSucceededBy, lUnit},
	{lCemetery, rLocatedIn, lPlace}, {lEvent, rLocatedIn, lPlace},
	{lMartyr, rHometown, lPlace}, {lMartyr, rServedIn, lUnit}, {lMartyr, rBuriedIn, lCemetery}, {lMartyr, rFellIn, lEvent},
	{lPerson, rHometown, lPlace},
	{lRecord, rMentions, lMartyr}, {lRecord, rMentions, lPerson}, {lRecord, rMentions, lPlace},
	{lAssertion, rAbout, lMartyr}, {lAssertion, rCites, lRecord},
	{lPortrait, rDepicts, lMartyr},
	{lExhibit, rShows, lPortrait},
	{lStory, rAbout, lMartyr}, {lStory, rMentions, lPlace}, {lStory, rMentions, lUnit}, {lStory, rCites, lRecord},
}
