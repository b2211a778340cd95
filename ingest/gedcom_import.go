package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/guigen/guigen/store"
)

// Extension tags linking a GEDCOM individual or source to Guigen's ids.
// `guigen export --format gedcom` writes them and declares them in
// HEAD.SCHMA; other programs may use them, or EXID with a TYPE URI under
// GEDCOMURI, or (5.5.1) REFN with TYPE guigen-martyr / guigen-person /
// guigen-record.
const (
	TagMartyr = "_GUIGEN_MARTYR"
	TagPerson = "_GUIGEN_PERSON"
	TagRecord = "_GUIGEN_RECORD"
	TagLine   = "_GUIGEN_LINE"
	// GEDCOMURI prefixes the URIs of the extension tags and EXID types.
	GEDCOMURI = "https://guigen.org/gedcom/"
	// GEDCOMProduct is HEAD.SOUR of Guigen's own GEDCOM: such a file is
	// Guigen's data coming back, not new evidence.
	GEDCOMProduct = "GUIGEN"
)

// GEDCOMOptions tune the mapping of a tree onto the graph.
type GEDCOMOptions struct {
	// Tree names the file for stable ids: people become gp-<tree>-<xref>.
	// Empty: HEAD.FILE, else the file's base name.
	Tree string
}

// Proposal is a possible identity of a family-tree individual with a
// registered martyr, found by name, hometown and dates. It is stored as a
// NEW lead for a person to confirm or reject, never merged.
type Proposal struct {
	LeadID   string
	PersonID string
	MartyrID string
	Xref     string
	Line     int
	Name     string
	Reasons  []string
}

// GEDCOMImport is what a tree maps to.
type GEDCOMImport struct {
	Tree  string
	Batch store.Batch
	// Linked maps individuals' xrefs to the martyrs they are.
	Linked    map[string]string
	Proposals []Proposal
	// Kept counts entities named by a Guigen id that the store holds
	// already: they are left as they are.
	Kept       int
	Skipped    int // individuals or sources not imported because of errors
	Errors     []*RowError
	FromGuigen bool
}

func (g *GEDCOMImport) errorf(f *GEDFile, line int, col, zh, en string) {
	g.Errors = append(g.Errors, &RowError{File: f.Path, Line: line, Column: col, Reason: zh, ReasonEN: en})
}

// gedLink finds a Guigen id of the given kind ("martyr", "person",
// "record") on a record: the extension tag, EXID with a Guigen TYPE, or
// REFN with TYPE guigen-<kind>.
func gedLink(n *GEDNode, tag, kind string) (string, *GEDNode) {
	if c := n.Child(tag); c != nil && strings.TrimSpace(c.Value) != "" {
		return strings.TrimSpace(c.Value), c
	}
	for _, c := range n.All("EXID") {
		if t := c.Val("TYPE"); strings.HasPrefix(t, GEDCOMURI) && strings.HasSuffix(t, kind) {
			return strings.TrimSpace(c.Value), c
		}
	}
	for _, c := range n.All("REFN") {
		if strings.EqualFold(strings.TrimSpace(c.Val("TYPE")), "guigen-"+kind) {
			return strings.TrimSpace(c.Value), c
		}
	}
	return "", nil
}

// gedNotes collects NOTE (inline or pointer) and SNOTE texts.
func gedNotes(f *GEDFile, n *GEDNode) []string {
	var out []string
	for _, c := range n.Children {
		if c.Tag != "NOTE" && c.Tag != "SNOTE" {
			continue
		}
		if c.Pointer != "" {
			if r := f.ByXref[c.Pointer]; r != nil {
				out = append(out, strings.TrimSpace(r.Value))
			}
			continue
		}
		if v := strings.TrimSpace(c.Value); v != "" {
			out = append(out, v)
		}
	}
	return out
}

type gedIndi struct {
	node     *GEDNode
	name     string
	sex      store.Sex
	born     store.Date
	died     store.Date
	deceased bool
	birthPl  string
	deathPl  string
	resiPl   string
	personID string
	martyrID string
	guigenID bool // the id came from a Guigen link
}

func gedEvent(n *GEDNode, tag string) (*GEDNode, store.Date, string) {
	e := n.Child(tag)
	if e == nil {
		return nil, store.Date{}, ""
	}
	var d store.Date
	if dn := e.Child("DATE"); dn != nil {
		d = ParseGEDCOMDate(dn.Value, dn.Val("PHRASE"))
	}
	return e, d, strings.TrimSpace(e.Val("PLAC"))
}

// MapGEDCOM maps a parsed tree onto the graph. s, when not nil, is read
// to check links to martyrs, to leave alone what Guigen ids name and the
// store holds, to keep kinships already recorded (a person may have
// confirmed them) and to propose martyrs for individuals that are not
// linked. Nothing is written.
func MapGEDCOM(ctx context.Context, f *GEDFile, s store.Store, o GEDCOMOptions) (*GEDCOMImport, error) {
	tree := o.Tree
	if tree == "" {
		tree = strings.TrimSuffix(filepath.Base(f.Head.Val("FILE")), filepath.Ext(f.Head.Val("FILE")))
	}
	if tree == "" || tree == "." {
		tree = strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path))
	}
	tree = idPart(tree)
	g := &GEDCOMImport{Tree: tree, Linked: map[string]string{}}
	g.FromGuigen = strings.EqualFold(strings.TrimSpace(f.Head.Val("SOUR")), GEDCOMProduct)
	xid := func(x string) string { return idPart(x) }

	// Sources first: individuals cite them.
	recs := map[string]*store.ArchivalRecord{} // by xref
	var recOrder []string
	keptRec := map[string]string{} // xref → stored record id left alone
	for _, r := range f.Records {
		if r.Tag != "SOUR" || r.Xref == "" {
			continue
		}
		id, _ := gedLink(r, TagRecord, "record")
		fromGuigen := id != ""
		if id == "" {
			id = "gs-" + tree + "-" + xid(r.Xref)
		}
		rec := &store.ArchivalRecord{ID: id, Kind: recordKindOf(r.Val("TITL")), Title: strings.TrimSpace(r.Val("TITL")),
			Transcription: strings.TrimSpace(r.Val("TEXT"))}
		if rec.Title == "" {
			rec.Title = strings.TrimSpace(r.Val("ABBR"))
		}
		if rec.Title == "" {
			rec.Title = "家谱来源 @" + r.Xref + "@"
		}
		if t := r.Child("_GUIGEN_KIND"); t != nil && slices.Contains(store.RecordKinds, store.RecordKind(t.Value)) {
			rec.Kind = store.RecordKind(t.Value)
		}
		if repo := r.Child("REPO"); repo != nil {
			if rr := f.ByXref[repo.Pointer]; rr != nil {
				rec.Institution = strings.TrimSpace(rr.Val("NAME"))
			} else if repo.Pointer == "" {
				rec.Institution = strings.TrimSpace(repo.Value)
			}
		}
		if rec.Institution == "" {
			rec.Institution = strings.TrimSpace(r.Val("PUBL"))
		}
		if data := r.Child("DATA"); data != nil {
			if dn := data.Child("DATE"); dn != nil {
				rec.Date = ParseGEDCOMDate(dn.Value, dn.Val("PHRASE"))
			}
			if rec.Transcription == "" {
				rec.Transcription = strings.TrimSpace(data.Val("TEXT"))
			}
		}
		if dn := r.Child("_GUIGEN_DATE"); dn != nil && rec.Date.IsZero() {
			rec.Date = ParseGEDCOMDate(dn.Value, dn.Val("PHRASE"))
		}
		if dn := r.Child("DATE"); dn != nil && rec.Date.IsZero() {
			rec.Date = ParseGEDCOMDate(dn.Value, dn.Val("PHRASE"))
		}
		recs[r.Xref] = rec
		recOrder = append(recOrder, r.Xref)
		if fromGuigen {
			keptRec[r.Xref] = id
		}
	}

	// The file itself is a source: every fact from it cites it.
	fileRecID := "gf-" + tree
	var fileRec *store.ArchivalRecord
	if !g.FromGuigen {
		title := strings.TrimSpace(f.Head.Val("FILE"))
		if title == "" {
			title = filepath.Base(f.Path)
		}
		fileRec = &store.ArchivalRecord{ID: fileRecID, Kind: store.RecGenealogy, Title: "家谱 GEDCOM：" + title,
			Institution: strings.TrimSpace(f.Head.Child("SOUR").Val("NAME"))}
		if fileRec.Institution == "" && f.Head.Child("SOUR") != nil {
			fileRec.Institution = strings.TrimSpace(f.Head.Val("SOUR"))
		}
		if dn := f.Head.Child("DATE"); dn != nil {
			fileRec.Date = ParseGEDCOMDate(dn.Value, "")
		}
	}
	inline := map[string]*store.ArchivalRecord{}
	citations := func(n *GEDNode, where string) []store.Citation {
		var out []store.Citation
		for _, c := range n.All("SOUR") {
			var id string
			switch {
			case c.Pointer != "":
				rec := recs[c.Pointer]
				if rec == nil {
					g.errorf(f, c.Line, "SOUR", fmt.Sprintf("引用的来源 @%s@ 不存在，已忽略", c.Pointer), fmt.Sprintf("source @%s@ does not exist; ignored", c.Pointer))
					continue
				}
				id = rec.ID
			case strings.TrimSpace(c.Value) != "":
				// 5.5.1 source described in place.
				text := strings.TrimSpace(c.Value)
				sum := sha256.Sum256([]byte(text))
				id = "gs-" + tree + "-t" + hex.EncodeToString(sum[:6])
				if inline[id] == nil {
					inline[id] = &store.ArchivalRecord{ID: id, Kind: recordKindOf(text), Title: firstLine(text), Transcription: text}
				}
			default:
				continue
			}
			cit := store.Citation{RecordID: id, Locator: strings.TrimSpace(c.Val("PAGE")), Confidence: 2}
			if q := c.Val("QUAY"); q != "" {
				if v, err := strconv.Atoi(strings.TrimSpace(q)); err == nil && v >= 0 && v <= 3 {
					cit.Confidence = v
				} else {
					g.errorf(f, c.Child("QUAY").Line, "QUAY", fmt.Sprintf("QUAY %q 应为 0-3，按 2 处理", q), fmt.Sprintf("QUAY %q should be 0-3; 2 used", q))
				}
			}
			if data := c.Child("DATA"); data != nil {
				cit.Quote = strings.TrimSpace(data.Val("TEXT"))
			}
			out = append(out, cit)
		}
		if fileRec != nil {
			out = append(out, store.Citation{RecordID: fileRecID, Locator: where, Confidence: 2})
		}
		return out
	}

	// Individuals.
	indis := map[string]*gedIndi{}
	var indiOrder []string
	var martyrIDs []string
	for _, r := range f.Records {
		if r.Tag != "INDI" {
			continue
		}
		if r.Xref == "" {
			g.errorf(f, r.Line, "INDI", "个人记录没有交叉引用标识（@I1@），未导入", "individual without a cross-reference id (@I1@); skipped")
			g.Skipped++
			continue
		}
		in := &gedIndi{node: r}
		if nn := r.Child("NAME"); nn != nil {
			in.name = GEDCOMName(nn.Value, nn.Val("SURN"), nn.Val("GIVN"))
		}
		switch strings.ToUpper(strings.TrimSpace(r.Val("SEX"))) {
		case "M":
			in.sex = store.SexMale
		case "F":
			in.sex = store.SexFemale
		}
		var be, de *GEDNode
		be, in.born, in.birthPl = gedEvent(r, "BIRT")
		de, in.died, in.deathPl = gedEvent(r, "DEAT")
		_ = be
		in.deceased = de != nil || r.Child("BURI") != nil
		if re := r.Child("RESI"); re != nil {
			in.resiPl = strings.TrimSpace(re.Val("PLAC"))
			if in.resiPl == "" {
				in.resiPl = strings.TrimSpace(re.Value)
			}
		}
		if id, node := gedLink(r, TagMartyr, "martyr"); id != "" {
			in.martyrID = id
			martyrIDs = append(martyrIDs, id)
			_ = node
		}
		if id, _ := gedLink(r, TagPerson, "person"); id != "" {
			in.personID, in.guigenID = id, true
		} else if uid := strings.TrimSpace(r.Val("UID")); uid != "" {
			in.personID = "gp-u-" + idPart(uid)
		} else if uid := strings.TrimSpace(r.Val("_UID")); uid != "" {
			in.personID = "gp-u-" + idPart(uid)
		} else {
			in.personID = "gp-" + tree + "-" + xid(r.Xref)
		}
		if in.name == "" && in.martyrID == "" {
			g.errorf(f, r.Line, "NAME", fmt.Sprintf("个人 @%s@ 没有姓名，未导入", r.Xref), fmt.Sprintf("individual @%s@ has no name; skipped", r.Xref))
			g.Skipped++
			continue
		}
		indis[r.Xref] = in
		indiOrder = append(indiOrder, r.Xref)
	}

	// Which linked martyrs exist, which Guigen ids the store holds.
	var storedMartyrs map[string]store.Martyr
	storedPeople := map[string]store.Person{}
	storedRecs := map[string]store.ArchivalRecord{}
	if s != nil {
		var err error
		if storedMartyrs, err = s.GetMartyrs(ctx, martyrIDs); err != nil {
			return nil, fmt.Errorf("gedcom: read martyrs: %w", err)
		}
		var pids, rids []string
		for _, x := range indiOrder {
			pids = append(pids, indis[x].personID)
		}
		for _, x := range recOrder {
			rids = append(rids, recs[x].ID)
		}
		for chunk := range slices.Chunk(pids, 1000) {
			got, err := s.GetPeople(ctx, chunk)
			if err != nil {
				return nil, fmt.Errorf("gedcom: read people: %w", err)
			}
			for k, v := range got {
				storedPeople[k] = v
			}
		}
		for chunk := range slices.Chunk(rids, 1000) {
			got, err := s.GetRecords(ctx, chunk)
			if err != nil {
				return nil, fmt.Errorf("gedcom: read records: %w", err)
			}
			for k, v := range got {
				storedRecs[k] = v
			}
		}
	}
	for _, x := range indiOrder {
		in := indis[x]
		if in.martyrID == "" {
			continue
		}
		if s != nil {
			if _, ok := storedMartyrs[in.martyrID]; !ok {
				g.errorf(f, in.node.Line, TagMartyr, fmt.Sprintf("烈士 %s 不在库中；@%s@ 作为普通个人导入", in.martyrID, x),
					fmt.Sprintf("martyr %s is not in the store; @%s@ imported as a person", in.martyrID, x))
				in.martyrID = ""
				if in.name == "" {
					delete(indis, x)
					g.Skipped++
				}
				continue
			}
		}
		g.Linked[x] = in.martyrID
	}
	indiOrder = slices.DeleteFunc(indiOrder, func(x string) bool { return indis[x] == nil })

	// People, and what the records mention.
	mentions := map[string]map[string]bool{} // record id → person ids
	mentionsM := map[string]map[string]bool{}
	mention := func(cs []store.Citation, personID, martyrID string) {
		for _, c := range cs {
			if personID != "" {
				if mentions[c.RecordID] == nil {
					mentions[c.RecordID] = map[string]bool{}
				}
				mentions[c.RecordID][personID] = true
			}
			if martyrID != "" {
				if mentionsM[c.RecordID] == nil {
					mentionsM[c.RecordID] = map[string]bool{}
				}
				mentionsM[c.RecordID][martyrID] = true
			}
		}
	}
	indiCites := map[string][]store.Citation{}
	for _, x := range indiOrder {
		in := indis[x]
		cs := citations(in.node, "@"+x+"@")
		for _, ev := range []string{"BIRT", "DEAT", "BURI", "RESI"} {
			if e := in.node.Child(ev); e != nil {
				cs = append(cs, citations(e, "@"+x+"@ "+ev)...)
			}
		}
		cs = dedupCitations(cs)
		indiCites[x] = cs
		if in.martyrID != "" {
			mention(cs, "", in.martyrID)
			if !g.FromGuigen {
				g.Batch.Assertions = append(g.Batch.Assertions, martyrAssertions(f, tree, x, in, citations)...)
			}
			continue
		}
		if in.guigenID {
			if _, ok := storedPeople[in.personID]; ok {
				g.Kept++
				continue
			}
		}
		mention(cs, in.personID, "")
		p := store.Person{ID: in.personID, Name: in.name, Sex: in.sex, Born: in.born, Died: in.died,
			Living: !in.deceased && !(in.born.Year != 0 && in.born.Year < 1920)}
		p.HometownText = in.resiPl
		if p.HometownText == "" {
			p.HometownText = in.birthPl
		}
		var notes []string
		for _, nn := range in.node.All("NAME")[min(1, len(in.node.All("NAME"))):] {
			notes = append(notes, "其他姓名 / other name: "+GEDCOMName(nn.Value, nn.Val("SURN"), nn.Val("GIVN")))
		}
		if in.deathPl != "" {
			notes = append(notes, "逝世地 / died at: "+in.deathPl)
		}
		notes = append(notes, gedNotes(f, in.node)...)
		p.Notes = strings.Join(notes, "\n")
		if old, ok := storedPeople[p.ID]; ok {
			p.Personal = old.Personal // never in a GEDCOM file
		}
		g.Batch.People = append(g.Batch.People, p)
	}

	// Kinships from the families.
	fams := gedFamilies(f)
	var linkedXrefs []string
	for x := range g.Linked {
		linkedXrefs = append(linkedXrefs, x)
	}
	slices.Sort(linkedXrefs)
	var existingKin map[string][]store.Relative
	if s != nil && len(linkedXrefs) > 0 {
		var ids []string
		for _, x := range linkedXrefs {
			ids = append(ids, g.Linked[x])
		}
		var err error
		if existingKin, err = s.Relatives(ctx, ids); err != nil {
			return nil, fmt.Errorf("gedcom: read relatives: %w", err)
		}
	}
	seenKin := map[string]bool{}
	for _, mx := range linkedXrefs {
		mid := g.Linked[mx]
		have := map[string]bool{}
		for _, r := range existingKin[mid] {
			have[r.Person.ID] = true
		}
		for _, rel := range fams.relativesOf(mx, indis) {
			in := indis[rel.xref]
			if in == nil || in.martyrID != "" {
				continue // a martyr kin to a martyr: the graph links people to martyrs only
			}
			key := store.KinshipKey(in.personID, mid)
			if seenKin[key] {
				continue
			}
			seenKin[key] = true
			k := store.Kinship{PersonID: in.personID, MartyrID: mid, Relation: rel.relation, Line: rel.line,
				Status: store.KinClaimed, Note: rel.note}
			for _, fx := range rel.fams {
				k.Citations = append(k.Citations, citations(fams.byXref[fx], "@"+fx+"@")...)
			}
			k.Citations = dedupCitations(k.Citations)
			// The records mention the pair whether or not the kinship is
			// new, so a rerun writes the same records.
			mention(k.Citations, in.personID, mid)
			if have[in.personID] {
				g.Kept++
				continue
			}
			g.Batch.Kinships = append(g.Batch.Kinships, k)
		}
	}

	// Records, with what they mention.
	addRec := func(rec *store.ArchivalRecord) {
		rec.PersonIDs = sortedKeys(mentions[rec.ID])
		rec.MartyrIDs = sortedKeys(mentionsM[rec.ID])
		g.Batch.Records = append(g.Batch.Records, *rec)
	}
	if fileRec != nil {
		addRec(fileRec)
	}
	for _, x := range recOrder {
		rec := recs[x]
		if _, ok := keptRec[x]; ok {
			if _, stored := storedRecs[rec.ID]; stored {
				g.Kept++
				continue
			}
		}
		addRec(rec)
	}
	for _, id := range sortedKeys(boolKeys(inline)) {
		addRec(inline[id])
	}

	// Proposals for individuals that are not linked.
	if s != nil {
		if err := g.propose(ctx, f, s, indis, indiOrder); err != nil {
			return nil, err
		}
	}
	// A source cited from a family is read once per relative: say it once.
	var uniq []*RowError
	for _, e := range g.Errors {
		if !slices.ContainsFunc(uniq, func(u *RowError) bool { return *u == *e }) {
			uniq = append(uniq, e)
		}
	}
	g.Errors = uniq
	return g, nil
}

func boolKeys[T any](m map[string]T) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

func dedupCitations(cs []store.Citation) []store.Citation {
	var out []store.Citation
	for _, c := range cs {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// recordKindOf guesses a source's kind from its title.
func recordKindOf(title string) store.RecordKind {
	for _, k := range []struct {
		words []string
		kind  store.RecordKind
	}{
		{[]string{"英名录", "名录"}, store.RecRoll},
		{[]string{"证明书"}, store.RecCertificate},
		{[]string{"通知书", "阵亡通知"}, store.RecDeathNotice},
		{[]string{"县志", "地方志", "市志"}, store.RecChronicle},
		{[]string{"墓碑", "碑文"}, store.RecHeadstone},
		{[]string{"墓葬", "墓位"}, store.RecGrave},
		{[]string{"清册"}, store.RecRegister},
		{[]string{"部队档案", "档案"}, store.RecUnitArchive},
		{[]string{"口述", "采访"}, store.RecOral},
		{[]string{"族谱", "家谱", "宗谱", "家乘", "世谱"}, store.RecGenealogy},
	} {
		for _, w := range k.words {
			if strings.Contains(title, w) {
				return k.kind
			}
		}
	}
	return store.RecGenealogy
}

// martyrAssertions records what the tree says of a linked martyr, each
// fact citing where the tree has it.
func martyrAssertions(f *GEDFile, tree, x string, in *gedIndi, cite func(*GEDNode, string) []store.Citation) []store.Assertion {
	var out []store.Assertion
	add := func(field, value string, node *GEDNode, where string) {
		if strings.TrimSpace(value) == "" {
			return
		}
		cs := cite(node, where)
		if node != in.node {
			cs = append(cs, cite(in.node, "@"+x+"@")...)
		}
		out = append(out, store.Assertion{ID: "ga-" + tree + "-" + idPart(x) + "-" + field, MartyrID: in.martyrID,
			Field: field, Value: value, Citations: dedupCitations(cs), Note: "家谱 / family tree " + filepath.Base(f.Path) + " @" + x + "@"})
	}
	if nn := in.node.Child("NAME"); nn != nil {
		add("name", in.name, nn, "@"+x+"@ NAME")
	}
	if e := in.node.Child("BIRT"); e != nil {
		add("born", in.born.Text, e, "@"+x+"@ BIRT")
		add("hometown", in.birthPl, e, "@"+x+"@ BIRT PLAC")
	}
	if e := in.node.Child("DEAT"); e != nil {
		add("died", in.died.Text, e, "@"+x+"@ DEAT")
		add("deathPlace", in.deathPl, e, "@"+x+"@ DEAT PLAC")
	}
	return out
}

// gedFams indexes the families.
type gedFams struct {
	byXref   map[string]*GEDNode
	asChild  map[string][]string // individual → families where a child
	asSpouse map[string][]string // individual → families where a partner
}

func gedFamilies(f *GEDFile) gedFams {
	fs := gedFams{byXref: map[string]*GEDNode{}, asChild: map[string][]string{}, asSpouse: map[string][]string{}}
	for _, r := range f.Records {
		if r.Tag != "FAM" || r.Xref == "" {
			continue
		}
		fs.byXref[r.Xref] = r
		for _, c := range r.Children {
			switch c.Tag {
			case "HUSB", "WIFE":
				if c.Pointer != "" {
					fs.asSpouse[c.Pointer] = append(fs.asSpouse[c.Pointer], r.Xref)
				}
			case "CHIL":
				if c.Pointer != "" {
					fs.asChild[c.Pointer] = append(fs.asChild[c.Pointer], r.Xref)
				}
			}
		}
	}
	return fs
}

func (fs gedFams) partners(fx string) []*GEDNode {
	r := fs.byXref[fx]
	return append(r.All("HUSB"), r.All("WIFE")...)
}

func (fs gedFams) children(fx string) []string {
	var out []string
	for _, c := range fs.byXref[fx].All("CHIL") {
		if c.Pointer != "" {
			out = append(out, c.Pointer)
		}
	}
	return out
}

type gedRel struct {
	xref     string
	relation store.Relation
	line     store.Line
	note     string
	fams     []string
	rank     int
}

// relativesOf lists the martyr's kin the tree shows, nearest first:
// parents, siblings, spouses, children, nephews and nieces, grandchildren,
// grandnephews. An ASSO on the relative naming the martyr, with a
// relation word in ROLE/PHRASE/RELA, wins over what the families say.
func (fs gedFams) relativesOf(mx string, indis map[string]*gedIndi) []gedRel {
	sexOf := func(x string) store.Sex {
		if in := indis[x]; in != nil {
			return in.sex
		}
		return ""
	}
	pick := func(x string, m, f, o store.Relation) store.Relation {
		switch sexOf(x) {
		case store.SexMale:
			return m
		case store.SexFemale:
			return f
		}
		return o
	}
	var out []gedRel
	add := func(r gedRel) { out = append(out, r) }
	for _, fx := range fs.asChild[mx] {
		for _, p := range fs.partners(fx) {
			if p.Pointer == "" {
				continue
			}
			if p.Tag == "HUSB" {
				add(gedRel{xref: p.Pointer, relation: store.RelFather, line: store.LinePaternal, fams: []string{fx}, rank: 1})
			} else {
				add(gedRel{xref: p.Pointer, relation: store.RelMother, line: store.LineMaternal, fams: []string{fx}, rank: 1})
			}
		}
	}
	var siblings []string
	for _, fx := range fs.asChild[mx] {
		for _, c := range fs.children(fx) {
			if c == mx || slices.Contains(siblings, c) {
				continue
			}
			siblings = append(siblings, c)
			rel := pick(c, store.RelBrother, store.RelSister, store.RelOther)
			line := map[store.Relation]store.Line{store.RelBrother: store.LinePaternal, store.RelSister: store.LineMaternal}[rel]
			note := ""
			if rel == store.RelOther {
				note = "兄弟姐妹（性别不详）/ sibling, sex unknown"
			}
			add(gedRel{xref: c, relation: rel, line: line, note: note, fams: []string{fx}, rank: 2})
		}
	}
	var children []string
	for _, fx := range fs.asSpouse[mx] {
		for _, p := range fs.partners(fx) {
			if p.Pointer != "" && p.Pointer != mx {
				add(gedRel{xref: p.Pointer, relation: store.RelSpouse, fams: []string{fx}, rank: 3})
			}
		}
		for _, c := range fs.children(fx) {
			children = append(children, c)
			rel := pick(c, store.RelSon, store.RelDaughter, store.RelOther)
			line := store.LineUnknown
			if rel == store.RelSon && sexOf(mx) == store.SexMale {
				line = store.LinePaternal
			}
			note := ""
			if rel == store.RelOther {
				note = "子女（性别不详）/ child, sex unknown"
			}
			add(gedRel{xref: c, relation: rel, line: line, note: note, fams: []string{fx}, rank: 4})
		}
	}
	var nephews []string
	for _, sib := range siblings {
		for _, fx := range fs.asSpouse[sib] {
			for _, c := range fs.children(fx) {
				nephews = append(nephews, c)
				rel := pick(c, store.RelNephew, store.RelNiece, store.RelOther)
				line := store.LineUnknown
				switch {
				case sexOf(sib) == store.SexMale && rel == store.RelNephew:
					line = store.LinePaternal
				case sexOf(sib) == store.SexFemale:
					line = store.LineMaternal
				}
				note := ""
				if rel == store.RelOther {
					note = "侄/甥（性别不详）/ sibling's child, sex unknown"
				}
				add(gedRel{xref: c, relation: rel, line: line, note: note, fams: []string{fx}, rank: 5})
			}
		}
	}
	for _, ch := range children {
		for _, fx := range fs.asSpouse[ch] {
			for _, c := range fs.children(fx) {
				add(gedRel{xref: c, relation: store.RelGrandchild, fams: []string{fx}, rank: 6})
			}
		}
	}
	for _, nx := range nephews {
		for _, fx := range fs.asSpouse[nx] {
			for _, c := range fs.children(fx) {
				add(gedRel{xref: c, relation: store.RelOther, note: "侄孙/甥孙 / grandnephew or grandniece", fams: []string{fx}, rank: 7})
			}
		}
	}
	// ASSO overrides and additions.
	for _, x := range sortedKeys(boolKeys(indis)) {
		in := indis[x]
		for _, a := range in.node.All("ASSO") {
			if a.Pointer != mx {
				continue
			}
			word := strings.TrimSpace(a.Val("RELA") + " " + a.Val("ROLE"))
			if role := a.Child("ROLE"); role != nil && role.Val("PHRASE") != "" {
				word = role.Val("PHRASE") + " " + word
			}
			if rel, ok := relationWord(word); ok {
				r := gedRel{xref: x, relation: rel, rank: 0}
				if l := store.Line(a.Val(TagLine)); l == store.LinePaternal || l == store.LineMaternal {
					r.line = l
				}
				if n := strings.TrimSpace(a.Val("NOTE")); n != "" {
					r.note = n
				}
				add(r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b gedRel) int { return cmp.Compare(a.rank, b.rank) })
	// Nearest first; keep each relative once.
	var uniq []gedRel
	seen := map[string]bool{}
	for _, r := range out {
		if r.xref == mx || seen[r.xref] {
			continue
		}
		seen[r.xref] = true
		if r.rank == 0 {
			// An ASSO without a line takes the families' when they agree
			// on the relation.
			for _, o := range out {
				if o.rank > 0 && o.xref == r.xref && o.relation == r.relation {
					if r.line == store.LineUnknown {
						r.line = o.line
					}
					r.fams = o.fams
					break
				}
			}
		}
		uniq = append(uniq, r)
	}
	return uniq
}

// relationWord reads a relation from ASSO's RELA/ROLE/PHRASE, in English
// or Chinese.
func relationWord(s string) (store.Relation, bool) {
	s = strings.ToLower(s)
	for _, w := range []struct {
		words []string
		rel   store.Relation
	}{
		{[]string{"grandchild", "孙", "外孙"}, store.RelGrandchild},
		{[]string{"niece", "侄女", "外甥女"}, store.RelNiece},
		{[]string{"nephew", "侄子", "外甥", "侄儿"}, store.RelNephew},
		{[]string{"father", "父"}, store.RelFather},
		{[]string{"mother", "母"}, store.RelMother},
		{[]string{"brother", "兄", "弟"}, store.RelBrother},
		{[]string{"sister", "姐", "妹"}, store.RelSister},
		{[]string{"daughter", "女儿"}, store.RelDaughter},
		{[]string{"son", "儿子"}, store.RelSon},
		{[]string{"spouse", "wife", "husband", "妻", "夫", "配偶"}, store.RelSpouse},
		{[]string{"other", "其他"}, store.RelOther},
	} {
		for _, word := range w.words {
			if strings.Contains(s, word) {
				return w.rel, true
			}
		}
	}
	return "", false
}

// propose looks for registered martyrs an unlinked individual may be: the
// same name, and a hometown or dates that agree, none that disagree.
func (g *GEDCOMImport) propose(ctx context.Context, f *GEDFile, s store.Store, indis map[string]*gedIndi, order []string) error {
	bySurname := map[string][]store.Martyr{}
	candidates := func(name string) ([]store.Martyr, error) {
		sur := store.Surname(name)
		if ms, ok := bySurname[sur]; ok {
			return ms, nil
		}
		var keep []store.Martyr
		var after string
		for {
			p, err := s.ListMartyrs(ctx, store.MartyrFilter{Surname: sur}, store.PageReq{First: store.MaxPageSize, After: after})
			if err != nil {
				return nil, fmt.Errorf("gedcom: list martyrs named %s: %w", sur, err)
			}
			for _, m := range p.Items {
				keep = append(keep, store.Martyr{ID: m.ID, Name: m.Name, Aliases: m.Aliases, HometownText: m.HometownText, Born: m.Born, Died: m.Died})
			}
			if !p.HasNext || len(p.Items) == 0 {
				break
			}
			after = p.EndCursor
		}
		bySurname[sur] = keep
		return keep, nil
	}
	for _, x := range order {
		in := indis[x]
		if in.martyrID != "" || in.guigenID || in.name == "" || !hasHan(in.name) {
			continue
		}
		ms, err := candidates(in.name)
		if err != nil {
			return err
		}
		name := dupName(in.name)
		for _, m := range ms {
			same := dupName(m.Name) == name
			for _, a := range m.Aliases {
				same = same || dupName(a.Name) == name
			}
			if !same {
				continue
			}
			reasons := []string{"同名 / same name " + m.Name}
			ok, bad := false, false
			home := in.birthPl
			if home == "" {
				home = in.resiPl
			}
			if home != "" && m.HometownText != "" {
				a, b := hometownCore(home), hometownCore(m.HometownText)
				if strings.Contains(a, b) || strings.Contains(b, a) {
					ok = true
					reasons = append(reasons, fmt.Sprintf("籍贯相符 / hometown agrees: %s ~ %s", home, m.HometownText))
				} else {
					bad = true
				}
			}
			cmpYears := func(label string, a, b store.Date, slack int) {
				if a.Year == 0 || b.Year == 0 {
					return
				}
				alo, ahi := a.YearBounds()
				blo, bhi := b.YearBounds()
				if alo-slack <= bhi && blo-slack <= ahi {
					ok = true
					reasons = append(reasons, fmt.Sprintf("%s相符 / %s agrees: %s ~ %s", label, label, a.String(), b.String()))
				} else {
					bad = true
				}
			}
			cmpYears("出生年 born", in.born, m.Born, 2)
			cmpYears("牺牲年 died", in.died, m.Died, 1)
			if !ok || bad {
				continue
			}
			g.Proposals = append(g.Proposals, Proposal{
				LeadID: "lead-g-" + g.Tree + "-" + idPart(x) + "-" + idPart(m.ID), PersonID: in.personID, MartyrID: m.ID,
				Xref: x, Line: in.node.Line, Name: in.name, Reasons: reasons,
			})
		}
	}
	return nil
}

// ProposalLead is the NEW lead a proposal is stored as.
func (p Proposal) ProposalLead(file string) store.Lead {
	return store.Lead{ID: p.LeadID, MartyrID: p.MartyrID, PersonIDs: []string{p.PersonID}, Source: "gedcom",
		Summary: fmt.Sprintf("家谱 %s 中的 %s（@%s@）可能即烈士 %s，待核实，未合并：%s / possible match from a family tree, to be reviewed, not merged",
			filepath.Base(file), p.Name, p.Xref, p.MartyrID, strings.Join(p.Reasons, "；")),
		CreatedBy: "gedcom-import"}
}
