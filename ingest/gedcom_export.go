package ingest

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/guigen/guigen/store"
)

// GEDCOMExportOptions tune WriteGEDCOM.
type GEDCOMExportOptions struct {
	// RedactPersonal writes living people as "在世 Living" without
	// dates, residence or notes.
	RedactPersonal bool
	// PageSize is how many martyrs one read fetches; 0 for 500.
	PageSize int
}

// GEDCOMCounts is what WriteGEDCOM wrote.
type GEDCOMCounts struct {
	Individuals, Families, Sources int
}

// gedXref makes a stable GEDCOM 7 xref (upper-case letters, digits) from
// an id: the same store gives the same file.
func gedXref(prefix, id string) string {
	sum := sha256.Sum256([]byte(id))
	return prefix + strings.ToUpper(hex.EncodeToString(sum[:8]))
}

type gedWriter struct {
	w   *bufio.Writer
	err error
}

// line writes "LEVEL TAG VALUE", splitting a multi-line value into CONT
// lines and escaping a leading "@".
func (g *gedWriter) line(level int, tag, value string) {
	if g.err != nil {
		return
	}
	parts := strings.Split(strings.ReplaceAll(value, "\r", ""), "\n")
	for i, p := range parts {
		if strings.HasPrefix(p, "@") {
			p = "@" + p
		}
		t := tag
		lv := level
		if i > 0 {
			t, lv = "CONT", level+1
		}
		if p == "" {
			_, g.err = fmt.Fprintf(g.w, "%d %s\n", lv, t)
		} else {
			_, g.err = fmt.Fprintf(g.w, "%d %s %s\n", lv, t, p)
		}
		if g.err != nil {
			return
		}
	}
}

// ptr writes a pointer line, not escaped.
func (g *gedWriter) ptr(level int, xref, tag, target string) {
	if g.err != nil {
		return
	}
	if xref != "" {
		_, g.err = fmt.Fprintf(g.w, "%d @%s@ %s\n", level, xref, tag)
		return
	}
	_, g.err = fmt.Fprintf(g.w, "%d %s @%s@\n", level, tag, target)
}

func (g *gedWriter) date(level int, tag string, d store.Date) {
	if d.IsZero() {
		return
	}
	v, phrase := FormatGEDCOMDate(d)
	g.line(level, tag, v)
	if phrase != "" {
		g.line(level+1, "PHRASE", phrase)
	}
}

// gedName writes a Chinese name with its surname marked: /刘/德善.
func gedName(name string) string {
	name = strings.TrimSpace(name)
	if !hasHan(name) {
		return name
	}
	sur := store.Surname(name)
	given := strings.TrimPrefix(strings.Join(strings.Fields(name), ""), sur)
	return "/" + sur + "/" + given
}

// relPhrase is the ASSO role phrase of each relation, read back by
// relationWord.
var relPhrase = map[store.Relation]string{
	store.RelFather: "father 父亲", store.RelMother: "mother 母亲", store.RelBrother: "brother 兄弟",
	store.RelSister: "sister 姐妹", store.RelSon: "son 儿子", store.RelDaughter: "daughter 女儿",
	store.RelNephew: "nephew 侄子/外甥", store.RelNiece: "niece 侄女/外甥女", store.RelGrandchild: "grandchild 孙辈",
	store.RelSpouse: "spouse 配偶", store.RelOther: "other 其他",
}

// WriteGEDCOM writes the families Guigen knows as GEDCOM 7.0: every
// martyr as an individual with a death event and a _GUIGEN_MARTYR link,
// the people kin to them with _GUIGEN_PERSON, a family for parents and
// siblings and one for spouse and children, each kinship also as an
// ASSO naming the relation (nephews, grandchildren and the like have no
// family of their own here), and the archival records as sources.
// Importing the file again with MapGEDCOM finds everything by its id and
// creates nothing. Personal data (phone, address, ID number, DNA) is
// never written.
func WriteGEDCOM(ctx context.Context, s store.Store, w io.Writer, o GEDCOMExportOptions) (GEDCOMCounts, error) {
	if o.PageSize <= 0 {
		o.PageSize = 500
	}
	var n GEDCOMCounts
	g := &gedWriter{w: bufio.NewWriterSize(w, 1<<16)}
	g.line(0, "HEAD", "")
	g.line(1, "GEDC", "")
	g.line(2, "VERS", "7.0")
	g.line(1, "SCHMA", "")
	for _, t := range []string{TagMartyr, TagPerson, TagRecord, TagLine, "_GUIGEN_KIND", "_GUIGEN_DATE"} {
		g.line(2, "TAG", t+" "+GEDCOMURI+strings.ToLower(strings.TrimPrefix(t, "_GUIGEN_")))
	}
	g.line(1, "SOUR", GEDCOMProduct)
	g.line(2, "NAME", "Guigen 归根")
	g.line(1, "LANG", "zh")

	// Families people belong to, filled while the martyrs are written.
	famc := map[string][]string{}
	fams := map[string][]string{}
	var after string
	for {
		page, err := s.ListMartyrs(ctx, store.MartyrFilter{}, store.PageReq{First: o.PageSize, After: after})
		if err != nil {
			return n, fmt.Errorf("gedcom export: list martyrs: %w", err)
		}
		ids := make([]string, len(page.Items))
		for i, m := range page.Items {
			ids[i] = m.ID
		}
		rels, err := s.Relatives(ctx, ids)
		if err != nil {
			return n, fmt.Errorf("gedcom export: relatives: %w", err)
		}
		cites, err := s.RecordsCiting(ctx, ids)
		if err != nil {
			return n, fmt.Errorf("gedcom export: records: %w", err)
		}
		for _, m := range page.Items {
			writeMartyr(g, m, rels[m.ID], cites[m.ID], famc, fams, &n)
		}
		if !page.HasNext || len(page.Items) == 0 {
			break
		}
		after = page.EndCursor
	}

	ids, err := changeIDs(ctx, s, store.KindPerson, store.KindRecord)
	if err != nil {
		return n, err
	}
	for chunk := range slices.Chunk(ids[store.KindPerson], o.PageSize) {
		people, err := s.GetPeople(ctx, chunk)
		if err != nil {
			return n, fmt.Errorf("gedcom export: people: %w", err)
		}
		kin, err := s.KinOf(ctx, chunk)
		if err != nil {
			return n, fmt.Errorf("gedcom export: kinships: %w", err)
		}
		for _, id := range chunk {
			p, ok := people[id]
			if !ok {
				continue
			}
			writePerson(g, p, kin[id], famc[id], fams[id], o.RedactPersonal)
			n.Individuals++
		}
	}
	for chunk := range slices.Chunk(ids[store.KindRecord], o.PageSize) {
		recs, err := s.GetRecords(ctx, chunk)
		if err != nil {
			return n, fmt.Errorf("gedcom export: records: %w", err)
		}
		for _, id := range chunk {
			if r, ok := recs[id]; ok {
				writeRecord(g, r)
				n.Sources++
			}
		}
	}
	g.line(0, "TRLR", "")
	if g.err != nil {
		return n, fmt.Errorf("gedcom export: write: %w", g.err)
	}
	if err := g.w.Flush(); err != nil {
		return n, fmt.Errorf("gedcom export: write: %w", err)
	}
	return n, nil
}

func writeMartyr(g *gedWriter, m store.Martyr, rels []store.Relative, cites []store.ArchivalRecord, famc, fams map[string][]string, n *GEDCOMCounts) {
	slices.SortFunc(rels, func(a, b store.Relative) int { return cmp.Compare(a.Person.ID, b.Person.ID) })
	x := gedXref("M", m.ID)
	var parents, sibs, partner, kids []store.Relative
	for _, r := range rels {
		switch r.Kinship.Relation {
		case store.RelFather, store.RelMother:
			parents = append(parents, r)
		case store.RelBrother, store.RelSister:
			sibs = append(sibs, r)
		case store.RelSpouse:
			partner = append(partner, r)
		case store.RelSon, store.RelDaughter:
			kids = append(kids, r)
		}
	}
	fpx, fsx := gedXref("F", m.ID+"|parents"), gedXref("F", m.ID+"|spouse")
	g.ptr(0, x, "INDI", "")
	name := m.Name
	if name == "" {
		name = "无名烈士"
	}
	g.line(1, "NAME", gedName(name))
	for _, a := range m.Aliases {
		// A nickname (喜子) has no surname to mark.
		if sur := store.Surname(m.Name); sur != "" && strings.HasPrefix(a.Name, sur) {
			g.line(1, "NAME", gedName(a.Name))
		} else {
			g.line(1, "NAME", a.Name)
		}
		g.line(2, "TYPE", "AKA")
	}
	if m.Sex != store.SexUnknown {
		g.line(1, "SEX", string(m.Sex))
	}
	if !m.Born.IsZero() || m.HometownText != "" {
		g.line(1, "BIRT", "")
		g.date(2, "DATE", m.Born)
		if m.HometownText != "" {
			g.line(2, "PLAC", m.HometownText)
		}
	}
	if m.Died.IsZero() && m.DeathPlace == "" {
		g.line(1, "DEAT", "Y")
	} else {
		g.line(1, "DEAT", "")
		g.date(2, "DATE", m.Died)
		if m.DeathPlace != "" {
			g.line(2, "PLAC", m.DeathPlace)
		}
	}
	if m.BurialText != "" || !m.Grave.IsZero() {
		g.line(1, "BURI", "")
		g.line(2, "PLAC", strings.TrimSpace(m.BurialText+" "+m.Grave.Text))
	}
	var notes []string
	if m.UnitText != "" {
		notes = append(notes, "部队 / unit: "+m.UnitText)
	}
	if m.Position != "" {
		notes = append(notes, "职务 / position: "+m.Position)
	}
	if m.RegistryNo != "" {
		notes = append(notes, "编号 / registry no.: "+m.RegistryNo)
	}
	if len(notes) > 0 {
		g.line(1, "NOTE", strings.Join(notes, "\n"))
	}
	if len(parents)+len(sibs) > 0 {
		g.ptr(1, "", "FAMC", fpx)
	}
	if len(partner)+len(kids) > 0 {
		g.ptr(1, "", "FAMS", fsx)
	}
	for _, r := range cites {
		g.ptr(1, "", "SOUR", gedXref("S", r.ID))
	}
	g.line(1, TagMartyr, m.ID)
	n.Individuals++

	if len(parents)+len(sibs) > 0 {
		g.ptr(0, fpx, "FAM", "")
		husb, wife := false, false
		for _, p := range parents {
			tag := "HUSB"
			if p.Kinship.Relation == store.RelMother {
				tag = "WIFE"
			}
			if (tag == "HUSB" && husb) || (tag == "WIFE" && wife) {
				continue // a second father or mother: the ASSO says so
			}
			husb, wife = husb || tag == "HUSB", wife || tag == "WIFE"
			g.ptr(1, "", tag, gedXref("P", p.Person.ID))
			fams[p.Person.ID] = append(fams[p.Person.ID], fpx)
		}
		g.ptr(1, "", "CHIL", x)
		for _, sb := range sibs {
			g.ptr(1, "", "CHIL", gedXref("P", sb.Person.ID))
			famc[sb.Person.ID] = append(famc[sb.Person.ID], fpx)
		}
		n.Families++
	}
	if len(partner)+len(kids) > 0 {
		g.ptr(0, fsx, "FAM", "")
		self, other := "HUSB", "WIFE"
		if m.Sex == store.SexFemale {
			self, other = "WIFE", "HUSB"
		}
		g.ptr(1, "", self, x)
		if len(partner) > 0 {
			g.ptr(1, "", other, gedXref("P", partner[0].Person.ID))
			fams[partner[0].Person.ID] = append(fams[partner[0].Person.ID], fsx)
		}
		for _, k := range kids {
			g.ptr(1, "", "CHIL", gedXref("P", k.Person.ID))
			famc[k.Person.ID] = append(famc[k.Person.ID], fsx)
		}
		n.Families++
	}
}

func writePerson(g *gedWriter, p store.Person, kin []store.Kin, famc, fams []string, redact bool) {
	g.ptr(0, gedXref("P", p.ID), "INDI", "")
	hide := redact && p.Living
	if hide {
		g.line(1, "NAME", "在世 Living") // no "/": it would mark a surname
	} else {
		g.line(1, "NAME", gedName(p.Name))
	}
	if p.Sex != store.SexUnknown {
		g.line(1, "SEX", string(p.Sex))
	}
	if !hide {
		if !p.Born.IsZero() {
			g.line(1, "BIRT", "")
			g.date(2, "DATE", p.Born)
		}
		if !p.Died.IsZero() {
			g.line(1, "DEAT", "")
			g.date(2, "DATE", p.Died)
		} else if !p.Living {
			g.line(1, "DEAT", "Y")
		}
		if p.HometownText != "" {
			g.line(1, "RESI", "")
			g.line(2, "PLAC", p.HometownText)
		}
		if p.Notes != "" {
			g.line(1, "NOTE", p.Notes)
		}
	}
	for _, f := range slices.Compact(slices.Sorted(slices.Values(famc))) {
		g.ptr(1, "", "FAMC", f)
	}
	for _, f := range slices.Compact(slices.Sorted(slices.Values(fams))) {
		g.ptr(1, "", "FAMS", f)
	}
	slices.SortFunc(kin, func(a, b store.Kin) int { return cmp.Compare(a.Kinship.MartyrID, b.Kinship.MartyrID) })
	for _, k := range kin {
		g.ptr(1, "", "ASSO", gedXref("M", k.Kinship.MartyrID))
		g.line(2, "ROLE", "OTHER")
		g.line(3, "PHRASE", relPhrase[k.Kinship.Relation])
		if k.Kinship.Line != store.LineUnknown {
			g.line(2, TagLine, string(k.Kinship.Line))
		}
		if k.Kinship.Note != "" {
			g.line(2, "NOTE", k.Kinship.Note)
		}
		for _, c := range k.Kinship.Citations {
			g.ptr(2, "", "SOUR", gedXref("S", c.RecordID))
			if c.Locator != "" {
				g.line(3, "PAGE", c.Locator)
			}
			g.line(3, "QUAY", fmt.Sprint(c.Confidence))
		}
	}
	g.line(1, TagPerson, p.ID)
}

func writeRecord(g *gedWriter, r store.ArchivalRecord) {
	g.ptr(0, gedXref("S", r.ID), "SOUR", "")
	g.line(1, "TITL", r.Title)
	if r.Institution != "" {
		g.line(1, "PUBL", r.Institution)
	}
	// GEDCOM 7 gives a source record no date of its own (SOUR.DATA.EVEN
	// takes a period): the extension tag keeps it.
	g.date(1, "_GUIGEN_DATE", r.Date)
	if r.Transcription != "" {
		g.line(1, "TEXT", r.Transcription)
	}
	var where []string
	if r.Volume != "" {
		where = append(where, "卷 / volume "+r.Volume)
	}
	if r.Page != "" {
		where = append(where, "页 / page "+r.Page)
	}
	if len(where) > 0 {
		g.line(1, "NOTE", strings.Join(where, "，"))
	}
	g.line(1, "_GUIGEN_KIND", string(r.Kind))
	g.line(1, TagRecord, r.ID)
}

// changeIDs collects the sorted distinct ids of some kinds from the
// change log: the contract lists people and records no other way.
func changeIDs(ctx context.Context, s store.Store, kinds ...store.Kind) (map[store.Kind][]string, error) {
	sets := map[store.Kind]map[string]bool{}
	for _, k := range kinds {
		sets[k] = map[string]bool{}
	}
	var after int64
	for {
		cs, err := s.Changes(ctx, after, 5000)
		if err != nil {
			return nil, fmt.Errorf("gedcom export: change log: %w", err)
		}
		if len(cs) == 0 {
			break
		}
		for _, c := range cs {
			if set := sets[c.Kind]; set != nil {
				set[c.ID] = true
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
