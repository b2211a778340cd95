package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/blevesearch/bleve/v2"

	"github.com/guigen/guigen/store"
)

// Query is a search as a volunteer fills it in. At least one of Name,
// Hometown and Unit must be given.
type Query struct {
	// Name as the family knows it: characters (simplified or traditional),
	// pinyin with or without spaces and tones, initials, or a mix; ? or □
	// for a character not known.
	Name string
	// Hometown as the family gives it, any level (山东胶县, 胶州).
	Hometown string
	// BirthYear, 0 when unknown.
	BirthYear int
	// Unit as remembered (e.g. 27军79师).
	Unit string
	// Limit on hits, 0 for DefaultLimit, at most MaxLimit.
	Limit int
}

// Hit is one record found, best first.
type Hit struct {
	MartyrID string  `json:"martyrId"`
	Name     string  `json:"name"`
	Score    float64 `json:"score"`
	// Reasons: how the name (or an alias) differs from the one typed, and
	// how hometown, birth year and unit agree.
	Reasons []Reason `json:"reasons"`
}

// Weights of the parts of a hit's score; the name dominates, the rest
// decides between namesakes (a cemetery may hold dozens of 张俊江).
const (
	weightName     = 1.0
	weightHometown = 0.35
	weightBorn     = 0.15
	weightUnit     = 0.1
	// aliasFactor: a match on a nickname or former name counts a little
	// less than one on the registered name.
	aliasFactor = 0.95
	// unknownPart: the score of a part the query gives but the record
	// lacks; below an agreement, above a disagreement.
	unknownPart = 0.4
)

func (q Query) validate() error {
	var errs []error
	if strings.TrimSpace(q.Name) == "" && strings.TrimSpace(q.Hometown) == "" && strings.TrimSpace(q.Unit) == "" {
		errs = append(errs, errors.New("请至少填写姓名、籍贯或部队之一 (give a name, hometown or unit)"))
	}
	if q.BirthYear != 0 && (q.BirthYear < 1800 || q.BirthYear > 2100) {
		errs = append(errs, fmt.Errorf("出生年份 %d 不合理 (birth year out of range 1800-2100)", q.BirthYear))
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		errs = append(errs, fmt.Errorf("结果数 %d 超出 0-%d (limit out of range)", q.Limit, MaxLimit))
	}
	for _, f := range []struct{ name, v string }{{"籍贯 (hometown)", q.Hometown}, {"部队 (unit)", q.Unit}} {
		if utf8.RuneCountInString(f.v) > maxTextRunes {
			errs = append(errs, fmt.Errorf("%s 超过 %d 个字符 (too long)", f.name, maxTextRunes))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", store.ErrInvalid, errors.Join(errs...))
	}
	return nil
}

// Search finds the martyrs best fitting q. Invalid input gives an error
// wrapping store.ErrInvalid with a message for the user.
func (x *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	pq, res, err := x.retrieve(ctx, q)
	if err != nil {
		return nil, err
	}
	qn, hasName, home := pq.name, pq.hasName, pq.home
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		raw, _ := h.Fields[fPayload].(string)
		var p payload
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			x.log.Warn("search: bad stored payload", "id", h.ID, "err", err)
			continue
		}
		hit, ok := x.rank(qn, hasName, q, home, h.ID, p)
		if ok {
			hits = append(hits, hit)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].MartyrID < hits[j].MartyrID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// preparedQuery is a query parsed for retrieval and re-ranking.
type preparedQuery struct {
	name    name
	hasName bool
	home    HometownScorer
}

// retrieve validates and parses q and runs the candidate query.
func (x *Index) retrieve(ctx context.Context, q Query) (preparedQuery, *bleve.SearchResult, error) {
	var pq preparedQuery
	if err := q.validate(); err != nil {
		return pq, nil, fmt.Errorf("search: %w", err)
	}
	pq.hasName = strings.TrimSpace(q.Name) != ""
	if pq.hasName {
		var err error
		if pq.name, err = x.a.parse(q.Name, true); err != nil {
			return pq, nil, fmt.Errorf("search: %w", err)
		}
	}
	if strings.TrimSpace(q.Hometown) != "" {
		var err error
		if pq.home, err = x.home.PrepareHometown(ctx, q.Hometown); err != nil {
			return pq, nil, fmt.Errorf("search: hometown %q: %w", q.Hometown, err)
		}
	}
	bq := x.candidateQuery(pq.name, q, pq.home)
	req := bleve.NewSearchRequestOptions(bq, x.candidates, 0, false)
	req.Fields = []string{fPayload}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return pq, nil, ctx.Err()
		}
		return pq, nil, fmt.Errorf("search: %w", err)
	}
	return pq, res, nil
}

// Candidates returns the ids of the records the index retrieves for q
// before the re-ranking, in the index's order. Search sees exactly
// these; an evaluation uses them to tell a record never retrieved from
// one retrieved and ranked low.
func (x *Index) Candidates(ctx context.Context, q Query) ([]string, error) {
	_, res, err := x.retrieve(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// rank scores one candidate: the name (or best alias) and the other parts
// given, as a weighted mean.
func (x *Index) rank(qn name, hasName bool, q Query, home HometownScorer, id string, p payload) (Hit, bool) {
	hit := Hit{MartyrID: id, Name: p.Name}
	var sum, weights float64
	if hasName {
		best := Match{}
		if p.Name != "" {
			rn, _ := x.a.parse(p.Name, false)
			best = x.cmp.compare(qn, rn)
		}
		for _, al := range p.Aliases {
			for _, form := range aliasForms(p.Name, al.Name) {
				an, _ := x.a.parse(form, false)
				m := x.cmp.compare(qn, an)
				m.Score *= aliasFactor
				if m.Score > best.Score {
					m.Reasons = append([]Reason{{ReasonAlias, aliasLabel(al)}}, m.Reasons...)
					best = m
				}
			}
		}
		if best.Score < MinNameScore {
			return Hit{}, false
		}
		sum += weightName * best.Score
		weights += weightName
		hit.Reasons = append(hit.Reasons, best.Reasons...)
	}
	if home != nil {
		s, rs, ok := home.ScoreHometown(Hometown{Text: p.Hometown, PlaceID: p.HometownID})
		if !ok {
			s = unknownPart
		}
		sum += weightHometown * s
		weights += weightHometown
		hit.Reasons = append(hit.Reasons, rs...)
	}
	if q.BirthYear != 0 {
		s, r := bornAgreement(q.BirthYear, p.BornLo, p.BornHi)
		sum += weightBorn * s
		weights += weightBorn
		if r != nil {
			hit.Reasons = append(hit.Reasons, *r)
		}
	}
	if strings.TrimSpace(q.Unit) != "" {
		s, r := x.unitAgreement(q.Unit, p.Unit)
		sum += weightUnit * s
		weights += weightUnit
		if r != nil {
			hit.Reasons = append(hit.Reasons, *r)
		}
	}
	if weights == 0 {
		return Hit{}, false
	}
	hit.Score = math.Round(sum/weights*1e4) / 1e4
	if hit.Reasons == nil {
		hit.Reasons = []Reason{}
	}
	return hit, true
}

// aliasForms: a nickname is often recorded without the family name
// (二娃 for 王德明), while the family says 王二娃; both forms are matched.
func aliasForms(name, alias string) []string {
	forms := []string{alias}
	sur := store.Surname(name)
	if sur != "" && !strings.HasPrefix(strings.TrimSpace(alias), sur) && utf8.RuneCountInString(strings.TrimSpace(alias)) <= 3 {
		forms = append(forms, sur+strings.TrimSpace(alias))
	}
	return forms
}

func aliasLabel(a aliasEntry) string {
	kind := map[string]string{"nickname": "小名", "former": "曾用名", "revolutionary": "化名", "variant": "异写"}[a.Kind]
	if kind == "" {
		kind = "别名"
	}
	return kind + " " + a.Name
}

// bornAgreement: registers often derive the birth year from an age, so a
// year or two off still counts for something.
func bornAgreement(year, lo, hi int) (float64, *Reason) {
	if lo == 0 {
		return unknownPart, nil
	}
	if hi == 0 {
		hi = lo
	}
	d := 0
	switch {
	case year < lo:
		d = lo - year
	case year > hi:
		d = year - hi
	}
	s := max(0, 1-0.2*float64(d))
	switch {
	case d == 0:
		return s, &Reason{ReasonBirthYear, fmt.Sprintf("出生年份相符 %d", year)}
	case s > 0:
		return s, &Reason{ReasonBirthYear, fmt.Sprintf("出生年份差 %d 年", d)}
	}
	return 0, &Reason{ReasonBirthYear, fmt.Sprintf("出生年份不同 %d/%d", year, lo)}
}

func (x *Index) unitAgreement(typed, rec string) (float64, *Reason) {
	t, r := x.unitKey(typed), x.unitKey(rec)
	if r == "" {
		return unknownPart, nil
	}
	if t == "" {
		return 0, nil
	}
	if strings.Contains(r, t) || strings.Contains(t, r) {
		return 1, &Reason{ReasonUnit, "部队相符 " + strings.TrimSpace(rec)}
	}
	if s := dice(pairs(t), pairs(r)); s > 0 {
		return s, &Reason{ReasonUnit, "部队部分相符 " + strings.TrimSpace(rec)}
	}
	return 0, nil
}

// unitKey keeps what identifies a unit as written: folded characters,
// digits and letters (27军79师235团).
func (x *Index) unitKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			b.WriteRune(x.tab.Fold(r))
		case unicode.IsDigit(r), r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
