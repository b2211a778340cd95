package search

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Boosts of the candidate query. The alignment ranks; these only need to
// put the right record among the first few hundred, so every kind of
// error must leave it some matching field.
const (
	boostHanzi   = 1.0
	boostBigram  = 1.0
	boostFold    = 1.2
	boostPinyin  = 0.8
	boostDialect = 0.5
	boostShape   = 0.4
	// boostLookAlike: a character that looks like one typed, in place of
	// it; maxLookAlikes of them per character.
	boostLookAlike = 0.7
	maxLookAlikes  = 12
	// boostJoinedSwap: the letters typed with two neighbours swapped, the
	// commonest typing slip.
	boostJoinedSwap = 2.0
	boostJoined     = 3.0
	boostJoinedFz   = 1.0
	boostInitials   = 1.2
	boostKeyword    = 2.0
	boostKwFuzzy    = 1.5
	boostAlias      = 0.6 // multiplies the name boosts for alias fields
	boostHometown   = 0.3
	boostBorn       = 0.5
	boostUnit       = 0.2
)

func (x *Index) candidateQuery(qn name, q Query, home HometownScorer) query.Query {
	var clauses []query.Query
	term := func(field, t string, boost float64) {
		tq := query.NewTermQuery(t)
		tq.SetField(field)
		tq.SetBoost(boost)
		clauses = append(clauses, tq)
	}
	fuzzy := func(field, t string, fuzziness int, boost float64) {
		// Fuzziness is set explicitly: bleve's automatic fuzziness counts
		// bytes, and a CJK character is three of them.
		fq := query.NewFuzzyQuery(t)
		fq.SetField(field)
		fq.SetFuzziness(fuzziness)
		fq.SetBoost(boost)
		clauses = append(clauses, fq)
	}
	seen := map[string]bool{}
	once := func(key string) bool {
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	for _, us := range qn.alts {
		an := x.a.analysis(us)
		for _, base := range []string{fName, fAlias} {
			f := 1.0
			if base == fAlias {
				f = boostAlias
			}
			add := func(suffix, t string, boost float64) {
				if t != "" && once(base+suffix+"\x00"+t) {
					term(base+"_"+suffix, t, boost*f)
				}
			}
			for i := range us {
				if base == fName && an.Hanzi[i] != "" && us[i].kind == segHan {
					add("hanzi", an.Hanzi[i], boostHanzi)
					if i+1 < len(us) && us[i+1].kind == segHan {
						add("hanzi", an.Hanzi[i]+an.Hanzi[i+1], boostBigram)
					}
					for _, s := range an.Shape[i] {
						add("shape", s, boostShape)
					}
					// The characters that look like this one, as a clerk
					// may have written instead: shape keys alone are too
					// coarse to lift 王木 among all 王X when 王才 is typed.
					for _, la := range x.tab.LookAlikes(us[i].fold[0], shapeThreshold, maxLookAlikes) {
						add("fold", string(la), boostLookAlike)
					}
				}
				if us[i].kind == segHan {
					for _, r := range us[i].fold {
						add("fold", string(r), boostFold)
					}
				}
				for _, p := range an.Pinyin[i] {
					add("pinyin", p, boostPinyin)
				}
				for _, d := range an.Dialect[i] {
					add("dialect", d, boostDialect)
				}
			}
			if base == fName {
				// Records with an illegible character match any name at
				// that position; the term lets them compete for a place
				// among the candidates (they are few, so it is rare and
				// weighs like a character).
				add("hanzi", wildcardTerm, boostHanzi)
			}
			joined := an.Joined
			if t := typedLetters(us); t != "" {
				// Letters typed that do not segment into syllables may
				// still be a whole name's pinyin with a typo in it.
				joined = uniq([]string{t}, joined...)
				if len(t) <= 30 {
					for k := 0; k+1 < len(t); k++ {
						if t[k] != t[k+1] {
							add("joined", t[:k]+string(t[k+1])+string(t[k])+t[k+2:], boostJoinedSwap)
						}
					}
				}
			}
			for k, j := range joined {
				add("joined", j, boostJoined)
				// Only for letters typed: a name typed in characters has its
				// readings matched syllable by syllable already, and fuzzy
				// expansion over the dictionary is the dearest clause. A swap
				// of two letters is two edits to bleve's Levenshtein.
				if k == 0 && len(j) >= 4 && typedLetters(us) != "" && once(base+"joinedfz"+j) {
					fz := 1
					if len(j) >= 6 {
						fz = 2
					}
					fuzzy(base+"_joined", j, fz, boostJoinedFz*f)
				}
			}
			for _, ini := range an.Initials {
				add("initials", ini, boostInitials)
			}
			if kw := x.a.keyword(us); kw != "" {
				add("kw", kw, boostKeyword)
				if n := utf8.RuneCountInString(kw); n >= 3 && once(base+"kwfz"+kw) {
					fz := 1
					if n >= 5 {
						fz = 2
					}
					fuzzy(base+"_kw", kw, fz, boostKwFuzzy*f)
				}
			}
		}
	}
	if home != nil {
		for _, h := range append([]string{q.Hometown}, home.Alternatives()...) {
			for _, t := range hometownTerms(x.a, h) {
				if once(fHometown + t) {
					term(fHometown, t, boostHometown)
				}
			}
		}
	}
	// Birth year and unit only re-rank when a name or hometown is given: a
	// birth-year range or 军/师 matches a large part of the register, and
	// each document matched costs the collector time.
	selective := len(qn.alts) > 0 || home != nil
	if q.BirthYear != 0 && !selective {
		lo, hi := float64(q.BirthYear-3), float64(q.BirthYear+3)
		incl := true
		nq := query.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &incl)
		nq.SetField(fBorn)
		nq.SetBoost(boostBorn)
		clauses = append(clauses, nq)
	}
	if strings.TrimSpace(q.Unit) != "" && !selective {
		for _, t := range textTerms(x.a, q.Unit) {
			if once(fUnit + t) {
				term(fUnit, t, boostUnit)
			}
		}
	}
	if len(clauses) == 0 {
		return query.NewMatchNoneQuery()
	}
	return query.NewDisjunctionQuery(clauses)
}

// hometownTerms: the text terms of a hometown without the words for
// administrative levels (省, 县, 公社 ...), which most records share.
func hometownTerms(a analyzer, s string) []string {
	var out []string
	for _, t := range textTerms(a, s) {
		if strings.Trim(NewTextHometowns(a.tab).core(t), " ") == t {
			out = append(out, t)
		}
	}
	return out
}

// textTerms analyses free text as the guigen_text analyzer does.
func textTerms(a analyzer, s string) []string {
	ts := bigramFilter{a: a, fold: true, keepLatin: true}.Filter(nameTokenizer{a: a, text: true}.Tokenize([]byte(s)))
	var out []string
	for _, t := range ts {
		if !slices.Contains(out, string(t.Term)) {
			out = append(out, string(t.Term))
		}
	}
	return out
}
