package store

import "time"

// Sex as recorded. Empty when the record does not say.
type Sex string

const (
	SexUnknown Sex = ""
	SexMale    Sex = "M"
	SexFemale  Sex = "F"
)

// Alias is another name a martyr was known by, with where it comes from.
type Alias struct {
	Name string `json:"name"`
	// Kind: "nickname" (小名), "former" (曾用名), "revolutionary" (化名/革命名),
	// "variant" (another spelling in the records), "other".
	Kind   string `json:"kind,omitempty"`
	Source string `json:"source,omitempty"`
}

// Grave is a position in a cemetery as written on its register.
type Grave struct {
	Section string `json:"section,omitempty"` // 区
	Row     string `json:"row,omitempty"`     // 排
	Number  string `json:"number,omitempty"`  // 号
	Text    string `json:"text,omitempty"`    // as written, e.g. "三区2排5号"
}

// IsZero reports whether nothing is known of the grave.
func (g Grave) IsZero() bool { return g == Grave{} }

// Martyr is one registered martyr (英名录 entry), as recorded. Text fields
// keep what the source says; the *ID fields hold what a person or the
// importer resolved it to.
type Martyr struct {
	ID         string  `json:"id"`
	RegistryNo string  `json:"registryNo,omitempty"` // 编号; may be missing
	Name       string  `json:"name"`                 // as recorded; empty for an unnamed martyr
	Aliases    []Alias `json:"aliases,omitempty"`
	Sex        Sex     `json:"sex,omitempty"`
	Born       Date    `json:"born,omitzero"`

	HometownText string `json:"hometownText,omitempty"` // 籍贯 as written
	HometownID   string `json:"hometownId,omitempty"`   // resolved Place

	Enlisted Date   `json:"enlisted,omitzero"`
	UnitText string `json:"unitText,omitempty"` // 部队 as written
	UnitID   string `json:"unitId,omitempty"`   // resolved Unit
	Position string `json:"position,omitempty"` // 职务

	Died       Date     `json:"died,omitzero"`
	DeathPlace string   `json:"deathPlace,omitempty"` // 牺牲地点 as written
	EventIDs   []string `json:"eventIds,omitempty"`   // battles or events he fell in

	BurialText string `json:"burialText,omitempty"` // 安葬地 as written
	CemeteryID string `json:"cemeteryId,omitempty"`
	Grave      Grave  `json:"grave,omitzero"`

	ApprovedBy    string `json:"approvedBy,omitempty"`    // 批准机关
	CertificateNo string `json:"certificateNo,omitempty"` // 证明书编号
	Notes         string `json:"notes,omitempty"`
	Unnamed       bool   `json:"unnamed,omitempty"` // 无名烈士

	// Extra keeps source columns the importer did not recognise.
	Extra map[string]string `json:"extra,omitempty"`

	// PossibleDuplicates lists other martyrs that may be the same man
	// (same name, compatible hometown, from another register), raised by
	// an importer for a person to review; they are never merged silently.
	PossibleDuplicates []string `json:"possibleDuplicates,omitempty"`

	// Version is set by the store and increases on every write; writers
	// that read-modify-write use it to detect a concurrent change.
	Version   int64     `json:"version,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// Surname returns the family name: the compound surnames first, else the
// first character. Search has a richer analysis; this is what filters use.
func (m Martyr) Surname() string { return Surname(m.Name) }

// PersonalData is sensitive personal information of a living person
// (PIPL). Only those working the person's case may read it; the API
// redacts it for everyone else and audits every read.
type PersonalData struct {
	Phone    string `json:"phone,omitempty"`
	Address  string `json:"address,omitempty"`
	IDNumber string `json:"idNumber,omitempty"`
	// DNAResults are comparison outcomes only, never profiles.
	DNAResults []DNAResult `json:"dnaResults,omitempty"`
}

// IsZero reports whether there is no personal data.
func (p PersonalData) IsZero() bool {
	return p.Phone == "" && p.Address == "" && p.IDNumber == "" && len(p.DNAResults) == 0
}

// DNAResult is the outcome of one comparison run by a laboratory.
type DNAResult struct {
	MartyrID string `json:"martyrId"`
	Lab      string `json:"lab,omitempty"`
	Date     Date   `json:"date,omitzero"`
	// Outcome: "match", "excluded", "inconclusive".
	Outcome  string `json:"outcome"`
	RecordID string `json:"recordId,omitempty"` // the lab report as an archival record
}

// Person is a relative or any other person the graph knows of.
type Person struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Sex    Sex    `json:"sex,omitempty"`
	Born   Date   `json:"born,omitzero"`
	Died   Date   `json:"died,omitzero"`
	Living bool   `json:"living"`
	// HometownText/HometownID: where the person lives or came from.
	HometownText string       `json:"hometownText,omitempty"`
	HometownID   string       `json:"hometownId,omitempty"`
	Personal     PersonalData `json:"personal,omitzero"`
	Notes        string       `json:"notes,omitempty"`
}

// Relation of a person to a martyr.
type Relation string

const (
	RelFather     Relation = "father"
	RelMother     Relation = "mother"
	RelBrother    Relation = "brother"
	RelSister     Relation = "sister"
	RelSon        Relation = "son"
	RelDaughter   Relation = "daughter"
	RelNephew     Relation = "nephew"
	RelNiece      Relation = "niece"
	RelGrandchild Relation = "grandchild"
	RelSpouse     Relation = "spouse"
	RelOther      Relation = "other"
)

// Relations lists every valid Relation.
var Relations = []Relation{RelFather, RelMother, RelBrother, RelSister, RelSon,
	RelDaughter, RelNephew, RelNiece, RelGrandchild, RelSpouse, RelOther}

// Line of descent; it decides which DNA comparison is possible (Y-STR on
// the paternal line, mtDNA on the maternal).
type Line string

const (
	LineUnknown  Line = ""
	LinePaternal Line = "paternal"
	LineMaternal Line = "maternal"
)

// KinStatus of a kinship claim.
type KinStatus string

const (
	KinClaimed   KinStatus = "claimed"
	KinConfirmed KinStatus = "confirmed"
)

// Kinship links a person to a martyr.
type Kinship struct {
	PersonID  string     `json:"personId"`
	MartyrID  string     `json:"martyrId"`
	Relation  Relation   `json:"relation"`
	Line      Line       `json:"line,omitempty"`
	Status    KinStatus  `json:"status"`
	Citations []Citation `json:"citations,omitempty"`
	Note      string     `json:"note,omitempty"`
}

// Citation points at the record that supports a fact.
type Citation struct {
	RecordID string `json:"recordId"`
	Locator  string `json:"locator,omitempty"` // page, line, photo frame
	Quote    string `json:"quote,omitempty"`
	// Confidence 0-3, as GEDCOM's QUAY: 0 unreliable, 1 questionable,
	// 2 secondary evidence, 3 direct primary evidence.
	Confidence int `json:"confidence"`
}

// PlaceLevel in the administrative hierarchy.
type PlaceLevel string

const (
	LevelProvince   PlaceLevel = "province"
	LevelPrefecture PlaceLevel = "prefecture"
	LevelCounty     PlaceLevel = "county"
	LevelTownship   PlaceLevel = "township"
	LevelVillage    PlaceLevel = "village"
)

// PlaceLevels lists the levels from the top down.
var PlaceLevels = []PlaceLevel{LevelProvince, LevelPrefecture, LevelCounty, LevelTownship, LevelVillage}

// PlaceChange says a place was replaced by another: renamed, merged into
// it or split off to it.
type PlaceChange struct {
	ToID string `json:"toId"`
	Year int    `json:"year,omitempty"`
	// Kind: "rename", "merge", "split", "upgrade" (县→市), "other".
	Kind string `json:"kind,omitempty"`
}

// PlaceName is another name a place was known by.
type PlaceName struct {
	Name string `json:"name"`
	// Kind: "historical", "informal", "misspelled".
	Kind   string `json:"kind,omitempty"`
	From   int    `json:"from,omitempty"`
	To     int    `json:"to,omitempty"`
	Source string `json:"source,omitempty"`
}

// Place is an administrative division or a settlement, current or former.
type Place struct {
	ID       string     `json:"id"`
	Code     string     `json:"code,omitempty"` // the Ministry's code where it has one
	Name     string     `json:"name"`
	Level    PlaceLevel `json:"level"`
	ParentID string     `json:"parentId,omitempty"`
	From     int        `json:"from,omitempty"` // first year in use; 0 unknown
	To       int        `json:"to,omitempty"`   // last year in use; 0 still in use
	// ReplacedBy: the places this one became when it ended (its To year):
	// the same place under a later name or code, for filters and search.
	ReplacedBy []PlaceChange `json:"replacedBy,omitempty"`
	// PartTo: places that received part of its territory while it went on.
	// Kept for the record, never treated as the same place.
	PartTo     []PlaceChange `json:"partTo,omitempty"`
	OtherNames []PlaceName   `json:"otherNames,omitempty"`
	Lat        float64       `json:"lat,omitempty"`
	Lon        float64       `json:"lon,omitempty"`
}

// Current reports whether the place is still in use.
func (p Place) Current() bool { return p.To == 0 }

// PlaceLink is a place reached from another through a change.
type PlaceLink struct {
	Place Place  `json:"place"`
	Year  int    `json:"year,omitempty"`
	Kind  string `json:"kind,omitempty"`
}

// Lineage is a place in time and in the hierarchy.
type Lineage struct {
	Place Place `json:"place"`
	// Ancestors from the parent up to the province.
	Ancestors []Place `json:"ancestors"`
	// Predecessors: places that were replaced by this one, transitively,
	// nearest first. Successors: places this one was replaced by,
	// transitively, nearest first.
	Predecessors []PlaceLink `json:"predecessors"`
	Successors   []PlaceLink `json:"successors"`
}

// RecordKind of an archival record.
type RecordKind string

const (
	RecRoll        RecordKind = "roll"         // 英名录
	RecGrave       RecordKind = "grave"        // 墓葬登记
	RecHeadstone   RecordKind = "headstone"    // 墓碑照片
	RecCertificate RecordKind = "certificate"  // 革命烈士证明书
	RecDeathNotice RecordKind = "death_notice" // 牺牲通知书
	RecChronicle   RecordKind = "chronicle"    // 县志
	RecUnitArchive RecordKind = "unit_archive" // 部队档案
	RecGenealogy   RecordKind = "genealogy"    // 族谱
	RecOral        RecordKind = "oral"         // 口述
	RecDNA         RecordKind = "dna"          // DNA 比对结果
	RecRegister    RecordKind = "register"     // 1950 烈士清册
	RecOther       RecordKind = "other"
)

// RecordKinds lists every valid RecordKind.
var RecordKinds = []RecordKind{RecRoll, RecGrave, RecHeadstone, RecCertificate, RecDeathNotice,
	RecChronicle, RecUnitArchive, RecGenealogy, RecOral, RecDNA, RecRegister, RecOther}

// ArchivalRecord is a source: a document, photo, testimony or result.
type ArchivalRecord struct {
	ID            string     `json:"id"`
	Kind          RecordKind `json:"kind"`
	Title         string     `json:"title"`
	Institution   string     `json:"institution,omitempty"` // holding institution
	Volume        string     `json:"volume,omitempty"`
	Page          string     `json:"page,omitempty"`
	Date          Date       `json:"date,omitzero"`
	Transcription string     `json:"transcription,omitempty"`
	// What the record mentions.
	MartyrIDs []string `json:"martyrIds,omitempty"`
	PersonIDs []string `json:"personIds,omitempty"`
	PlaceIDs  []string `json:"placeIds,omitempty"`
}

// Assertion is one fact about a martyr and what supports it. Two sources
// that disagree give two assertions on the same field, side by side.
type Assertion struct {
	ID        string     `json:"id"`
	MartyrID  string     `json:"martyrId"`
	Field     string     `json:"field"` // "born", "hometown", "unit", "died", "name", ...
	Value     string     `json:"value"`
	Citations []Citation `json:"citations,omitempty"`
	Note      string     `json:"note,omitempty"`
}

// Cemetery where martyrs rest.
type Cemetery struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	PlaceID string `json:"placeId,omitempty"`
	Address string `json:"address,omitempty"`
}

// UnitLink says a unit was succeeded by another designation.
type UnitLink struct {
	UnitID string `json:"unitId"`
	Year   int    `json:"year,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Unit is a military unit under one designation.
type Unit struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Aliases     []string   `json:"aliases,omitempty"`
	ParentID    string     `json:"parentId,omitempty"`
	From        int        `json:"from,omitempty"`
	To          int        `json:"to,omitempty"`
	SucceededBy []UnitLink `json:"succeededBy,omitempty"`
}

// Event is a battle, campaign or other event.
type Event struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind,omitempty"` // "battle", "campaign", "other"
	Start       Date   `json:"start,omitzero"`
	End         Date   `json:"end,omitzero"`
	PlaceID     string `json:"placeId,omitempty"`
	Description string `json:"description,omitempty"`
}

// LeadState of a tracing lead; the workflow's rules live in casework.
type LeadState string

const (
	LeadNew             LeadState = "NEW"
	LeadTriaged         LeadState = "TRIAGED"
	LeadInvestigating   LeadState = "INVESTIGATING"
	LeadCandidateFamily LeadState = "CANDIDATE_FAMILY"
	LeadDocVerified     LeadState = "DOC_VERIFIED"
	LeadDNARequested    LeadState = "DNA_REQUESTED"
	LeadDNAMatch        LeadState = "DNA_MATCH"
	LeadDNAExcluded     LeadState = "DNA_EXCLUDED"
	LeadConfirmed       LeadState = "CONFIRMED"
	LeadAnnounced       LeadState = "ANNOUNCED"
	LeadRejected        LeadState = "REJECTED"
	LeadOnHold          LeadState = "ON_HOLD"
	LeadReopened        LeadState = "REOPENED"
)

// LeadStates lists every LeadState.
var LeadStates = []LeadState{LeadNew, LeadTriaged, LeadInvestigating, LeadCandidateFamily,
	LeadDocVerified, LeadDNARequested, LeadDNAMatch, LeadDNAExcluded, LeadConfirmed,
	LeadAnnounced, LeadRejected, LeadOnHold, LeadReopened}

// Lead is a volunteer's line of inquiry linking a martyr to a family.
type Lead struct {
	ID        string    `json:"id"`
	MartyrID  string    `json:"martyrId"`
	PersonIDs []string  `json:"personIds,omitempty"` // candidate family members
	State     LeadState `json:"state"`
	// Source: "search", "claim", "manual".
	Source     string    `json:"source,omitempty"`
	Summary    string    `json:"summary,omitempty"`
	AssigneeID string    `json:"assigneeId,omitempty"`
	CreatedBy  string    `json:"createdBy,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	Version    int64     `json:"version"`
}

// LeadEvent is one entry in a lead's audit trail. Entries are appended,
// never edited.
type LeadEvent struct {
	LeadID string `json:"leadId"`
	Seq    int    `json:"seq"` // 1 for the creation, then +1 per event
	// Kind: "create", "transition", "assign", "note".
	Kind     string    `json:"kind"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	From     LeadState `json:"from,omitempty"`
	To       LeadState `json:"to,omitempty"`
	Assignee string    `json:"assignee,omitempty"`
	Note     string    `json:"note,omitempty"`
	Evidence []string  `json:"evidence,omitempty"` // archival record ids
}

// Portrait is a painting or photograph of a martyr with its metadata.
type Portrait struct {
	ID          string `json:"id"`
	MartyrID    string `json:"martyrId"`
	SHA256      string `json:"sha256"`
	Mime        string `json:"mime,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Bytes       int64  `json:"bytes,omitempty"`
	Placeholder string `json:"placeholder,omitempty"`

	Artist          string    `json:"artist,omitempty"`
	Painted         Date      `json:"painted,omitzero"`
	BasedOn         string    `json:"basedOn,omitempty"` // whose descriptions
	Revision        int       `json:"revision,omitempty"`
	RevisionHistory []string  `json:"revisionHistory,omitempty"`
	Reconstruction  bool      `json:"reconstruction"` // painted from description, not a photograph
	AccessionNo     string    `json:"accessionNo,omitempty"`
	Archive         string    `json:"archive,omitempty"` // holding archive
	Rights          string    `json:"rights,omitempty"`
	CaptionZH       string    `json:"captionZh,omitempty"`
	CaptionEN       string    `json:"captionEn,omitempty"`
	FamilyConsent   bool      `json:"familyConsent"`
	Published       bool      `json:"published"`
	CreatedAt       time.Time `json:"createdAt,omitzero"`
}

// Exhibit is a curated show of portraits.
type Exhibit struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	TitleEN     string   `json:"titleEn,omitempty"`
	Venue       string   `json:"venue,omitempty"`
	Start       Date     `json:"start,omitzero"`
	End         Date     `json:"end,omitzero"`
	Description string   `json:"description,omitempty"`
	PortraitIDs []string `json:"portraitIds,omitempty"` // in curated order
	// DonatedTo is the archive the works were donated to, if any.
	DonatedTo string `json:"donatedTo,omitempty"`
	Published bool   `json:"published"`
}

// Story is a published narrative for journalists and the public.
type Story struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Author    string     `json:"author,omitempty"`
	Date      Date       `json:"date,omitzero"`
	MartyrIDs []string   `json:"martyrIds,omitempty"`
	PlaceIDs  []string   `json:"placeIds,omitempty"`
	UnitIDs   []string   `json:"unitIds,omitempty"`
	Sources   []Citation `json:"sources,omitempty"`
	Published bool       `json:"published"`
}
