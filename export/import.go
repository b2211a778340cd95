package export

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// ImportOptions tune an import.
type ImportOptions struct {
	// Name is the file name used in messages.
	Name string
	// DryRun reads and checks every line and writes nothing; the store
	// may be nil.
	DryRun bool
	// Strict checks the whole file first and writes nothing at all if any
	// line is bad.
	Strict bool
	// Batch is how many entities one Apply writes; 0 for 500.
	Batch int
	// OnReject, when set, is called for every rejected line, in order.
	OnReject func(Reject) error
	// Progress, when set, is called after every line with the lines and
	// bytes read so far.
	Progress func(lines int, read int64)
}

// Reject is a line that was not loaded, and why.
type Reject struct {
	Line   int
	Raw    string
	Errors []*ingest.RowError
}

// ImportSummary is what an import did.
type ImportSummary struct {
	Lines    int `json:"lines"`
	Good     int `json:"good"`
	Rejected int `json:"rejected"`
	// Applied counts entities handed to Apply; identical ones change
	// nothing in the store.
	Applied int `json:"applied"`
	// Deferred counts entities first written without a reference to a
	// later line of the same file, then written whole at the end.
	Deferred int `json:"deferred"`
	// LeadsCreated and LeadEvents count leads created and events
	// appended to leads' trails.
	LeadsCreated int `json:"leadsCreated"`
	LeadEvents   int `json:"leadEventsAppended"`
	// AuditAppended counts audit entries added; AuditPresent those the
	// store held already (a rerun, or a resumed import).
	AuditAppended int `json:"auditAppended"`
	AuditPresent  int `json:"auditPresent"`
	// Counts are the lines read per type.
	Counts Counts `json:"counts"`
	// Complete: the file ended with its end line and the counts agree.
	Complete bool `json:"complete"`
	// Errors lists the first errors, each naming file and line.
	Errors   []string `json:"errors,omitempty"`
	ErrCount int      `json:"errorCount"`
}

const maxErrors = 50

func (s *ImportSummary) addErr(e *ingest.RowError) {
	s.ErrCount++
	if len(s.Errors) < maxErrors {
		s.Errors = append(s.Errors, e.Error())
	}
}

// ErrStrict is returned when --strict found bad lines and wrote nothing.
var ErrStrict = errors.New("严格模式：有错误行，未写入任何数据 / strict: bad lines, nothing written")

// Import loads a JSON Lines export into s. Entities are upserted, so
// importing the same file again changes nothing, and an import stopped
// part-way and run again ends with the same store. open is called once,
// or twice with Strict (a checking pass, then the writing pass).
func Import(ctx context.Context, s store.Store, open func() (io.ReadCloser, error), o ImportOptions) (ImportSummary, error) {
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.DryRun || o.Strict {
		sum, err := run(ctx, nil, open, o)
		if err != nil || o.DryRun {
			return sum, err
		}
		if s != nil {
			if sum, err = checkRefs(ctx, s, open, o, sum); err != nil {
				return sum, err
			}
		}
		if sum.Rejected > 0 || !sum.Complete {
			return sum, ErrStrict
		}
	}
	if s == nil {
		return ImportSummary{}, fmt.Errorf("import: no store: %w", store.ErrInvalid)
	}
	return run(ctx, s, open, o)
}

// row is one parsed line.
type row struct {
	line  int
	raw   string
	typ   string
	batch store.Batch // one entity
	refs  []store.Ref // references outside the entity
	lead  *leadLine
	audit *store.AuditEntry
	errs  []*ingest.RowError
}

type importer struct {
	s    store.Store // nil: check only
	o    ImportOptions
	sum  ImportSummary
	pend []row
	// deferred rows are written whole after the last line.
	deferred []row
	// Audit log: the store's entries are compared one by one with the
	// file's until they run out; the rest is appended.
	auditAfter   int64
	auditBuf     []store.AuditEntry
	auditStoreEd bool // the store's log is exhausted
	auditAppend  []store.AuditEntry
	end          *endLine
	lastLine     int
}

func run(ctx context.Context, s store.Store, open func() (io.ReadCloser, error), o ImportOptions) (ImportSummary, error) {
	rc, err := open()
	if err != nil {
		return ImportSummary{}, fmt.Errorf("无法打开 %s / cannot open %s: %w", o.Name, o.Name, err)
	}
	defer rc.Close()
	dr, _, err := ingest.DecodeReader(rc)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("%s: %w", o.Name, err)
	}
	im := &importer{s: s, o: o, sum: ImportSummary{Counts: Counts{}}}
	br := bufio.NewReaderSize(dr, 1<<20)
	n := 0
	var read int64
	for {
		text, rerr := br.ReadString('\n')
		read += int64(len(text))
		if rerr != nil && rerr != io.EOF {
			return im.sum, fmt.Errorf("%s:%d: 读取中断，已写入的保留，重新运行即可续传 / reading stopped (what was written stays; run again to resume): %w", o.Name, n+1, rerr)
		}
		if text != "" {
			n++
			im.lastLine = n
			if err := im.handle(ctx, n, strings.TrimRight(text, "\r\n")); err != nil {
				return im.sum, err
			}
			if o.Progress != nil {
				o.Progress(n, read)
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if err := im.flush(ctx, true); err != nil {
		return im.sum, err
	}
	if err := im.flushAudit(ctx); err != nil {
		return im.sum, err
	}
	// Entities written without a forward reference are now written whole.
	im.pend, im.deferred = im.deferred, nil
	if err := im.flush(ctx, false); err != nil {
		return im.sum, err
	}
	im.checkEnd()
	return im.sum, nil
}

func (im *importer) rowErr(line int, col, zh, en string) *ingest.RowError {
	return &ingest.RowError{File: im.o.Name, Line: line, Column: col, Reason: zh, ReasonEN: en}
}

func (im *importer) reject(r row) error {
	im.sum.Rejected++
	for _, e := range r.errs {
		im.sum.addErr(e)
	}
	if im.o.OnReject != nil && im.s != nil {
		return im.o.OnReject(Reject{Line: r.line, Raw: r.raw, Errors: r.errs})
	}
	return nil
}

func (im *importer) handle(ctx context.Context, n int, text string) error {
	im.sum.Lines++
	if strings.TrimSpace(text) == "" {
		im.sum.Lines--
		return nil
	}
	r := im.parse(n, text)
	if slices.Contains(Types, r.typ) {
		im.sum.Counts[r.typ]++
	}
	if len(r.errs) > 0 {
		return im.reject(r)
	}
	switch r.typ {
	case TypeHeader, TypeEnd:
		return nil
	}
	im.sum.Good++
	if im.s == nil {
		return nil
	}
	switch r.typ {
	case TypeLead:
		if err := im.flush(ctx, true); err != nil {
			return err
		}
		return im.importLead(ctx, r)
	case TypeAudit:
		if err := im.flush(ctx, true); err != nil {
			return err
		}
		return im.importAudit(ctx, r)
	}
	im.pend = append(im.pend, r)
	if len(im.pend) >= im.o.Batch {
		return im.flush(ctx, true)
	}
	return nil
}

// decodeStrict decodes one line into T, refusing unknown fields.
func decodeStrict[T any](text string) (T, error) {
	var v T
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, err
	}
	if dec.More() {
		return v, fmt.Errorf("trailing data after the object")
	}
	return v, nil
}

func (im *importer) parse(n int, text string) row {
	r := row{line: n, raw: text}
	bad := func(col, zh, en string) { r.errs = append(r.errs, im.rowErr(n, col, zh, en)) }
	var t struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(text), &t); err != nil {
		bad("", "不是有效的 JSON 对象："+err.Error(), "not a JSON object: "+err.Error())
		return r
	}
	r.typ = t.Type
	var err error
	decode := func(f func() error) {
		if e := f(); e != nil {
			err = e
		}
	}
	switch t.Type {
	case TypeHeader:
		decode(func() error {
			h, e := decodeStrict[headerLine](text)
			if e == nil && (h.Format != Format || h.Version < 1 || h.Version > Version) {
				e = fmt.Errorf("format %q version %d, this program reads %s version %d", h.Format, h.Version, Format, Version)
			}
			return e
		})
	case TypeEnd:
		decode(func() error {
			e, err := decodeStrict[endLine](text)
			im.end = &e
			return err
		})
	case "place":
		decode(func() error { v, e := decodeStrict[placeLine](text); r.batch.Places = []store.Place{v.Place}; return e })
	case "unit":
		decode(func() error { v, e := decodeStrict[unitLine](text); r.batch.Units = []store.Unit{v.Unit}; return e })
	case "cemetery":
		decode(func() error {
			v, e := decodeStrict[cemeteryLine](text)
			r.batch.Cemeteries = []store.Cemetery{v.Cemetery}
			return e
		})
	case "event":
		decode(func() error { v, e := decodeStrict[eventLine](text); r.batch.Events = []store.Event{v.Event}; return e })
	case "martyr":
		decode(func() error {
			v, e := decodeStrict[martyrLine](text)
			v.Martyr.Version, v.Martyr.UpdatedAt = 0, time.Time{}
			r.batch.Martyrs = []store.Martyr{v.Martyr}
			return e
		})
	case "person":
		decode(func() error {
			v, e := decodeStrict[personLine](text)
			r.batch.People = []store.Person{v.Person}
			return e
		})
	case "record":
		decode(func() error {
			v, e := decodeStrict[recordLine](text)
			r.batch.Records = []store.ArchivalRecord{v.ArchivalRecord}
			return e
		})
	case "assertion":
		decode(func() error {
			v, e := decodeStrict[assertionLine](text)
			r.batch.Assertions = []store.Assertion{v.Assertion}
			return e
		})
	case "kinship":
		decode(func() error {
			v, e := decodeStrict[kinshipLine](text)
			r.batch.Kinships = []store.Kinship{v.Kinship}
			return e
		})
	case "portrait":
		decode(func() error {
			v, e := decodeStrict[portraitLine](text)
			r.batch.Portraits = []store.Portrait{v.Portrait}
			return e
		})
	case "exhibit":
		decode(func() error {
			v, e := decodeStrict[exhibitLine](text)
			r.batch.Exhibits = []store.Exhibit{v.Exhibit}
			return e
		})
	case "story":
		decode(func() error {
			v, e := decodeStrict[storyLine](text)
			r.batch.Stories = []store.Story{v.Story}
			return e
		})
	case TypeLead:
		decode(func() error {
			v, e := decodeStrict[leadLine](text)
			if e == nil {
				e = checkLead(v)
			}
			r.lead = &v
			return e
		})
	case TypeAudit:
		decode(func() error {
			v, e := decodeStrict[auditLine](text)
			if e == nil && strings.TrimSpace(v.Action) == "" {
				e = fmt.Errorf("action is empty")
			}
			a := v.AuditEntry
			a.Seq = 0
			r.audit = &a
			return e
		})
	case "":
		bad("type", "缺少 type 字段", "no type field")
		return r
	default:
		bad("type", fmt.Sprintf("未知的类型 %q", t.Type), fmt.Sprintf("unknown type %q", t.Type))
		return r
	}
	if err != nil {
		bad("", "内容无效："+err.Error(), "invalid "+t.Type+": "+err.Error())
		return r
	}
	if r.batch.Len() > 0 {
		refs, err := r.batch.Validate()
		if err != nil {
			bad("", "内容无效："+err.Error(), "invalid "+t.Type)
			return r
		}
		r.refs = refs
	}
	return r
}

func checkLead(l leadLine) error {
	if l.ID == "" || l.MartyrID == "" {
		return fmt.Errorf("lead needs id and martyrId")
	}
	if !slices.Contains(store.LeadStates, l.State) {
		return fmt.Errorf("state %q is not a lead state", l.State)
	}
	if len(l.Events) == 0 || l.Events[0].Kind != "create" {
		return fmt.Errorf("events must start with the create event")
	}
	for i, e := range l.Events {
		if e.Seq != i+1 {
			return fmt.Errorf("event %d has seq %d, want %d", i+1, e.Seq, i+1)
		}
		if e.LeadID != "" && e.LeadID != l.ID {
			return fmt.Errorf("event %d belongs to lead %q", i+1, e.LeadID)
		}
		if i > 0 {
			if err := (store.LeadUpdate{Event: e}).ValidateEvent(); err != nil {
				return fmt.Errorf("event %d: %w", i+1, err)
			}
		}
	}
	return nil
}

// flush writes the pending entity rows. Rows referring to entities
// neither stored nor in the batch are, when allowDefer, written without
// those references and queued to be written whole at the end (a place
// whose parent comes later in the file); otherwise they are rejected.
func (im *importer) flush(ctx context.Context, allowDefer bool) error {
	rows := im.pend
	im.pend = nil
	if len(rows) == 0 || im.s == nil {
		return nil
	}
	defined := map[store.Ref]bool{}
	for _, r := range rows {
		for _, k := range entityKeys(r.batch) {
			defined[k] = true
		}
	}
	var need []store.Ref
	for _, r := range rows {
		for _, ref := range r.refs {
			key := store.Ref{Kind: ref.Kind, ID: ref.ID}
			if !defined[key] {
				need = append(need, key)
			}
		}
	}
	found, err := existing(ctx, im.s, need)
	if err != nil {
		return err
	}
	missing := func(k store.Kind, id string) bool {
		key := store.Ref{Kind: k, ID: id}
		return id != "" && !defined[key] && !found[key]
	}
	var write []row
	for _, r := range rows {
		var miss []string
		for _, ref := range r.refs {
			if missing(ref.Kind, ref.ID) {
				miss = append(miss, fmt.Sprintf("%s: %s %q", ref.From, ref.Kind, ref.ID))
			}
		}
		if len(miss) == 0 {
			write = append(write, r)
			continue
		}
		if allowDefer {
			if b, ok := strip(r.batch, missing); ok {
				im.deferred = append(im.deferred, r)
				im.sum.Deferred++
				sr := r
				sr.batch = b
				write = append(write, sr)
				continue
			}
		}
		r.errs = append(r.errs, im.rowErr(r.line, "", "引用的对象不存在："+strings.Join(miss, "；"), "refers to entities that do not exist"))
		im.sum.Good--
		if err := im.reject(r); err != nil {
			return err
		}
	}
	return im.apply(ctx, write)
}

// apply writes rows in one batch; when the store refuses it, row by row,
// in passes, so a row refused only because an earlier bad row sank the
// batch still lands.
func (im *importer) apply(ctx context.Context, rows []row) error {
	if len(rows) == 0 {
		return nil
	}
	var b store.Batch
	for _, r := range rows {
		appendBatch(&b, &r.batch)
	}
	err := im.s.Apply(ctx, &b)
	if err == nil {
		im.sum.Applied += b.Len()
		return nil
	}
	if !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("写入失败，之前的批次已写入，重新运行即可续传 / writing failed (earlier batches are written; run again to resume): %w", err)
	}
	left := rows
	errs := map[int]error{}
	for len(left) > 0 {
		var next []row
		for _, r := range left {
			if err := im.s.Apply(ctx, &r.batch); err != nil {
				if !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("写入失败 / writing failed: %w", err)
				}
				errs[r.line] = err
				next = append(next, r)
				continue
			}
			im.sum.Applied += r.batch.Len()
		}
		if len(next) == len(left) {
			break
		}
		left = next
	}
	for _, r := range left {
		if _, ok := errs[r.line]; !ok {
			continue
		}
		r.errs = append(r.errs, im.rowErr(r.line, "", "存储拒绝："+errs[r.line].Error(), "refused by the store"))
		im.sum.Good--
		if err := im.reject(r); err != nil {
			return err
		}
	}
	return nil
}

func appendBatch(dst, src *store.Batch) {
	dst.Places = append(dst.Places, src.Places...)
	dst.Units = append(dst.Units, src.Units...)
	dst.Cemeteries = append(dst.Cemeteries, src.Cemeteries...)
	dst.Events = append(dst.Events, src.Events...)
	dst.Martyrs = append(dst.Martyrs, src.Martyrs...)
	dst.People = append(dst.People, src.People...)
	dst.Kinships = append(dst.Kinships, src.Kinships...)
	dst.Records = append(dst.Records, src.Records...)
	dst.Assertions = append(dst.Assertions, src.Assertions...)
	dst.Portraits = append(dst.Portraits, src.Portraits...)
	dst.Exhibits = append(dst.Exhibits, src.Exhibits...)
	dst.Stories = append(dst.Stories, src.Stories...)
}

// entityKeys names the entities a batch defines, as reference targets.
func entityKeys(b store.Batch) []store.Ref {
	var out []store.Ref
	add := func(k store.Kind, id string) { out = append(out, store.Ref{Kind: k, ID: id}) }
	for _, v := range b.Places {
		add(store.KindPlace, v.ID)
	}
	for _, v := range b.Units {
		add(store.KindUnit, v.ID)
	}
	for _, v := range b.Cemeteries {
		add(store.KindCemetery, v.ID)
	}
	for _, v := range b.Events {
		add(store.KindEvent, v.ID)
	}
	for _, v := range b.Martyrs {
		add(store.KindMartyr, v.ID)
	}
	for _, v := range b.People {
		add(store.KindPerson, v.ID)
	}
	for _, v := range b.Records {
		add(store.KindRecord, v.ID)
	}
	for _, v := range b.Portraits {
		add(store.KindPortrait, v.ID)
	}
	return out
}

// existing reports which of the references the store holds.
func existing(ctx context.Context, s store.Store, refs []store.Ref) (map[store.Ref]bool, error) {
	out := map[store.Ref]bool{}
	for kind, ids := range store.RefsByKind(refs) {
		for chunk := range slices.Chunk(ids, 1000) {
			var got []string
			var err error
			switch kind {
			case store.KindPlace:
				got, err = keys(ctx, s.GetPlaces, chunk)
			case store.KindUnit:
				got, err = keys(ctx, s.GetUnits, chunk)
			case store.KindCemetery:
				got, err = keys(ctx, s.GetCemeteries, chunk)
			case store.KindEvent:
				got, err = keys(ctx, s.GetEvents, chunk)
			case store.KindMartyr:
				got, err = keys(ctx, s.GetMartyrs, chunk)
			case store.KindPerson:
				got, err = keys(ctx, s.GetPeople, chunk)
			case store.KindRecord:
				got, err = keys(ctx, s.GetRecords, chunk)
			case store.KindPortrait:
				got, err = keys(ctx, s.GetPortraits, chunk)
			}
			if err != nil {
				return nil, fmt.Errorf("无法读取存储 / cannot read the store: %w", err)
			}
			for _, id := range got {
				out[store.Ref{Kind: kind, ID: id}] = true
			}
		}
	}
	return out, nil
}

func keys[T any](ctx context.Context, get func(context.Context, []string) (map[string]T, error), ids []string) ([]string, error) {
	m, err := get(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.Collect(maps.Keys(m)), nil
}

// strip removes the references an entity makes to others of its own
// kind (and a person's DNA outcomes) that are not there yet. It reports
// false when a missing reference is of another sort, which no later line
// of an export can supply.
func strip(b store.Batch, missing func(store.Kind, string) bool) (store.Batch, bool) {
	out := b
	keepChanges := func(cs []store.PlaceChange) []store.PlaceChange {
		var k []store.PlaceChange
		for _, c := range cs {
			if !missing(store.KindPlace, c.ToID) {
				k = append(k, c)
			}
		}
		return k
	}
	switch {
	case len(b.Places) == 1:
		p := b.Places[0]
		if missing(store.KindPlace, p.ParentID) {
			p.ParentID = ""
		}
		p.ReplacedBy, p.PartTo = keepChanges(p.ReplacedBy), keepChanges(p.PartTo)
		out.Places = []store.Place{p}
	case len(b.Units) == 1:
		u := b.Units[0]
		if missing(store.KindUnit, u.ParentID) {
			u.ParentID = ""
		}
		var keep []store.UnitLink
		for _, l := range u.SucceededBy {
			if !missing(store.KindUnit, l.UnitID) {
				keep = append(keep, l)
			}
		}
		u.SucceededBy = keep
		out.Units = []store.Unit{u}
	case len(b.Martyrs) == 1:
		m := b.Martyrs[0]
		var keep []string
		for _, d := range m.PossibleDuplicates {
			if !missing(store.KindMartyr, d) {
				keep = append(keep, d)
			}
		}
		m.PossibleDuplicates = keep
		out.Martyrs = []store.Martyr{m}
	case len(b.People) == 1:
		p := b.People[0]
		var keep []store.DNAResult
		for _, r := range p.Personal.DNAResults {
			if !missing(store.KindMartyr, r.MartyrID) && !missing(store.KindRecord, r.RecordID) {
				keep = append(keep, r)
			}
		}
		p.Personal.DNAResults = keep
		out.People = []store.Person{p}
	default:
		return b, false
	}
	refs, err := out.Validate()
	if err != nil {
		return b, false
	}
	for _, r := range refs {
		if missing(r.Kind, r.ID) {
			return b, false
		}
	}
	return out, true
}

func (im *importer) rejectLine(r row, zh, en string) error {
	r.errs = append(r.errs, im.rowErr(r.line, "", zh, en))
	im.sum.Good--
	return im.reject(r)
}

// importLead creates the lead if the store lacks it and appends the
// events of its trail the store does not have yet, through the contract's
// own moves: a lead's history is never rewritten.
func (im *importer) importLead(ctx context.Context, r row) error {
	want := r.lead
	got, err := im.s.GetLeads(ctx, []string{want.ID})
	if err != nil {
		return fmt.Errorf("无法读取线索 / cannot read leads: %w", err)
	}
	cur, ok := got[want.ID]
	if !ok {
		l := want.Lead
		l.State, l.Version, l.AssigneeID, l.UpdatedAt = "", 0, "", time.Time{}
		l.CreatedAt = want.Events[0].At
		l.CreatedBy = want.Events[0].Actor
		cur, err = im.s.CreateLead(ctx, l)
		if errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) {
			return im.rejectLine(r, "存储拒绝线索："+err.Error(), "lead refused by the store")
		}
		if err != nil {
			return fmt.Errorf("写入线索失败 / writing a lead failed: %w", err)
		}
		im.sum.LeadsCreated++
	} else if cur.MartyrID != want.MartyrID || cur.Summary != want.Summary || cur.Source != want.Source ||
		!slices.Equal(cur.PersonIDs, want.PersonIDs) || !cur.CreatedAt.Equal(want.CreatedAt) {
		return im.rejectLine(r, "存储中已有同编号但内容不同的线索，未覆盖", "the store holds a different lead with this id; not overwritten")
	}
	have, err := im.s.LeadEvents(ctx, want.ID)
	if err != nil {
		return fmt.Errorf("无法读取线索记录 / cannot read a lead's events: %w", err)
	}
	if len(have) > len(want.Events) {
		return im.rejectLine(r, "存储中的线索记录比文件中的更长，未改动", "the store's trail of this lead is longer than the file's; left as it is")
	}
	for i, e := range have {
		if !sameEvent(e, want.Events[i]) {
			return im.rejectLine(r, fmt.Sprintf("线索记录第 %d 条与存储中的不同，未改动", i+1),
				fmt.Sprintf("event %d differs from the store's; left as it is", i+1))
		}
	}
	for _, e := range want.Events[len(have):] {
		e.LeadID, e.Seq = "", 0
		cur, err = im.s.AdvanceLead(ctx, store.LeadUpdate{LeadID: want.ID, ExpectVersion: cur.Version, Event: e})
		if errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
			return im.rejectLine(r, "存储拒绝线索记录："+err.Error(), "lead event refused by the store")
		}
		if err != nil {
			return fmt.Errorf("写入线索记录失败 / writing a lead event failed: %w", err)
		}
		im.sum.LeadEvents++
	}
	if cur.State != want.State || cur.AssigneeID != want.AssigneeID {
		return im.rejectLine(r, fmt.Sprintf("记录重放后状态为 %s，文件中为 %s", cur.State, want.State),
			fmt.Sprintf("replaying the events gives state %s, the file says %s", cur.State, want.State))
	}
	return nil
}

func sameEvent(a, b store.LeadEvent) bool {
	return a.Seq == b.Seq && a.Kind == b.Kind && a.Actor == b.Actor && a.At.Equal(b.At) && a.From == b.From &&
		a.To == b.To && a.Assignee == b.Assignee && a.Note == b.Note && slices.Equal(a.Evidence, b.Evidence)
}

func sameAudit(a, b store.AuditEntry) bool {
	return a.Actor == b.Actor && a.Role == b.Role && a.At.Equal(b.At) && a.Action == b.Action &&
		slices.Equal(a.Subject, b.Subject) && a.Detail == b.Detail
}

// importAudit walks the store's audit log beside the file's: entries the
// store has already are skipped, the rest appended. The log is
// append-only, so a store whose log differs is left alone.
func (im *importer) importAudit(ctx context.Context, r row) error {
	e := *r.audit
	e.At = e.At.UTC().Truncate(time.Millisecond)
	if !im.auditStoreEd {
		if len(im.auditBuf) == 0 {
			es, err := im.s.Audit(ctx, store.AuditFilter{After: im.auditAfter, Limit: 1000})
			if err != nil {
				return fmt.Errorf("无法读取审计日志 / cannot read the audit log: %w", err)
			}
			im.auditBuf = es
			if len(es) == 0 {
				im.auditStoreEd = true
			}
		}
		if len(im.auditBuf) > 0 {
			have := im.auditBuf[0]
			if !sameAudit(have, e) {
				return im.rejectLine(r, fmt.Sprintf("存储中的审计日志第 %d 条与文件不同：审计日志只追加，未导入", have.Seq),
					fmt.Sprintf("the store's audit entry %d differs from this line: the log is append-only, not imported", have.Seq))
			}
			im.auditAfter = have.Seq
			im.auditBuf = im.auditBuf[1:]
			im.sum.AuditPresent++
			return nil
		}
	}
	im.auditAppend = append(im.auditAppend, e)
	if len(im.auditAppend) >= im.o.Batch {
		return im.flushAudit(ctx)
	}
	return nil
}

func (im *importer) flushAudit(ctx context.Context) error {
	if len(im.auditAppend) == 0 || im.s == nil {
		return nil
	}
	if _, err := im.s.AppendAudit(ctx, im.auditAppend...); err != nil {
		return fmt.Errorf("写入审计日志失败 / appending to the audit log failed: %w", err)
	}
	im.sum.AuditAppended += len(im.auditAppend)
	im.auditAppend = nil
	return nil
}

// checkEnd compares the lines read with the end line's counts: a file
// cut short or edited by hand is reported.
func (im *importer) checkEnd() {
	if im.end == nil {
		im.sum.addErr(im.rowErr(im.lastLine, "", "文件没有结尾行，可能不完整", "no end line: the file may be truncated"))
		return
	}
	var diff []string
	for _, t := range slices.Sorted(maps.Keys(joinKeys(im.end.Counts, im.sum.Counts))) {
		if im.end.Counts[t] != im.sum.Counts[t] {
			diff = append(diff, fmt.Sprintf("%s %d≠%d", t, im.sum.Counts[t], im.end.Counts[t]))
		}
	}
	if len(diff) > 0 {
		im.sum.addErr(im.rowErr(im.lastLine, "", "行数与结尾行不符（读到≠应有）："+strings.Join(diff, "，"),
			"line counts differ from the end line (read≠expected): "+strings.Join(diff, ", ")))
		return
	}
	im.sum.Complete = true
}

func joinKeys(a, b Counts) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// checkRefs is --strict's second look: every reference must name an
// entity defined somewhere in the file or held by the store, so that the
// writing pass cannot reject a line half-way. It keeps the file's ids in
// memory, which only --strict does.
func checkRefs(ctx context.Context, s store.Store, open func() (io.ReadCloser, error), o ImportOptions, sum ImportSummary) (ImportSummary, error) {
	defined := map[store.Ref]bool{}
	type pending struct {
		line int
		refs []store.Ref
	}
	var rows []pending
	scan := func(each func(row)) error {
		rc, err := open()
		if err != nil {
			return fmt.Errorf("无法打开 %s / cannot open %s: %w", o.Name, o.Name, err)
		}
		defer rc.Close()
		dr, _, err := ingest.DecodeReader(rc)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		im := &importer{o: o, sum: ImportSummary{Counts: Counts{}}}
		sc := bufio.NewScanner(dr)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		n := 0
		for sc.Scan() {
			n++
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			each(im.parse(n, sc.Text()))
		}
		return sc.Err()
	}
	err := scan(func(r row) {
		for _, k := range entityKeys(r.batch) {
			defined[k] = true
		}
		if r.lead != nil {
			refs := []store.Ref{{Kind: store.KindMartyr, ID: r.lead.MartyrID, From: fmt.Sprintf("lead %q martyrId", r.lead.ID)}}
			for _, p := range r.lead.PersonIDs {
				refs = append(refs, store.Ref{Kind: store.KindPerson, ID: p, From: fmt.Sprintf("lead %q personIds", r.lead.ID)})
			}
			for _, e := range r.lead.Events {
				for _, id := range e.Evidence {
					refs = append(refs, store.Ref{Kind: store.KindRecord, ID: id, From: fmt.Sprintf("lead %q evidence", r.lead.ID)})
				}
			}
			r.refs = refs
		}
		if len(r.refs) > 0 {
			rows = append(rows, pending{r.line, r.refs})
		}
	})
	if err != nil {
		return sum, err
	}
	var need []store.Ref
	for _, p := range rows {
		for _, ref := range p.refs {
			if !defined[store.Ref{Kind: ref.Kind, ID: ref.ID}] {
				need = append(need, store.Ref{Kind: ref.Kind, ID: ref.ID})
			}
		}
	}
	found, err := existing(ctx, s, need)
	if err != nil {
		return sum, err
	}
	for _, p := range rows {
		var miss []string
		for _, ref := range p.refs {
			key := store.Ref{Kind: ref.Kind, ID: ref.ID}
			if !defined[key] && !found[key] {
				miss = append(miss, fmt.Sprintf("%s: %s %q", ref.From, ref.Kind, ref.ID))
			}
		}
		if len(miss) > 0 {
			sum.Rejected++
			sum.Good--
			sum.addErr(&ingest.RowError{File: o.Name, Line: p.line, Reason: "引用的对象不存在：" + strings.Join(miss, "；"), ReasonEN: "refers to entities that do not exist"})
		}
	}
	return sum, nil
}
