package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

// engine is a way of searching the same records: ours or a baseline. It
// returns record ids, best first.
type engine interface {
	name() string
	search(ctx context.Context, q search.Query, k int) ([]string, error)
}

// exactEngine is what a register database does: the name exactly as
// typed; with a hometown, the records whose hometown contains the text
// typed first (a lenient LIKE '%...%', not a filter).
type exactEngine struct {
	byName map[string][]store.Martyr
}

func newExact(ms []store.Martyr) *exactEngine {
	e := &exactEngine{byName: map[string][]store.Martyr{}}
	for _, m := range ms {
		e.byName[m.Name] = append(e.byName[m.Name], m)
	}
	for _, list := range e.byName {
		slices.SortFunc(list, func(a, b store.Martyr) int { return strings.Compare(a.ID, b.ID) })
	}
	return e
}

func (e *exactEngine) name() string { return "exact match" }

func (e *exactEngine) search(_ context.Context, q search.Query, k int) ([]string, error) {
	list := e.byName[strings.TrimSpace(q.Name)]
	var first, rest []string
	for _, m := range list {
		if q.Hometown != "" && strings.Contains(m.HometownText, q.Hometown) {
			first = append(first, m.ID)
		} else {
			rest = append(rest, m.ID)
		}
	}
	out := append(first, rest...)
	return out[:min(k, len(out))], nil
}

// cjkEngine is a plain bleve index with the stock cjk analyzer (width
// folding, lower case, bigrams) on the name and the hometown.
type cjkEngine struct {
	idx bleve.Index
}

func newCJK(dir string, ms []store.Martyr) (*cjkEngine, error) {
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"name", "hometown"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = cjk.AnalyzerName
		fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = false, false, false, false
		doc.AddFieldMappingsAt(f, fm)
	}
	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = cjk.AnalyzerName
	_ = os.RemoveAll(dir)
	idx, err := bleve.New(dir, im)
	if err != nil {
		return nil, fmt.Errorf("cjk index: %w", err)
	}
	for start := 0; start < len(ms); start += 5000 {
		b := idx.NewBatch()
		for _, m := range ms[start:min(start+5000, len(ms))] {
			if err := b.Index(m.ID, map[string]any{"name": m.Name, "hometown": m.HometownText}); err != nil {
				return nil, fmt.Errorf("cjk index: %w", err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return nil, fmt.Errorf("cjk index: %w", err)
		}
	}
	return &cjkEngine{idx: idx}, nil
}

func (e *cjkEngine) name() string { return "bleve cjk" }

func (e *cjkEngine) search(ctx context.Context, q search.Query, k int) ([]string, error) {
	nq := query.NewMatchQuery(q.Name)
	nq.SetField("name")
	var bq query.Query = nq
	if q.Hometown != "" {
		hq := query.NewMatchQuery(q.Hometown)
		hq.SetField("hometown")
		bq = query.NewDisjunctionQuery([]query.Query{nq, hq})
	}
	res, err := e.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(bq, k, 0, false))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// neo4jEngine is Neo4j's full-text index (Lucene) with its cjk analyzer
// over the same records, as nodes :EvalMartyr {id, name, hometown}.
type neo4jEngine struct {
	drv neo4j.DriverWithContext
	db  string
}

const neo4jIndex = "eval_martyr_fulltext"

func newNeo4j(ctx context.Context, uri, user, password, db string, ms []store.Martyr, logf func(string, ...any)) (*neo4jEngine, error) {
	auth := neo4j.NoAuth()
	if user != "" {
		auth = neo4j.BasicAuth(user, password, "")
	}
	drv, err := neo4j.NewDriverWithContext(uri, auth)
	if err != nil {
		return nil, fmt.Errorf("neo4j: %w", err)
	}
	if db == "" {
		db = "neo4j"
	}
	e := &neo4jEngine{drv: drv, db: db}
	run := func(cypher string, params map[string]any) error {
		_, err := neo4j.ExecuteQuery(ctx, drv, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db))
		return err
	}
	// Only this runner's label is touched; the rest of the database is
	// left as it is.
	if err := run("DROP INDEX "+neo4jIndex+" IF EXISTS", nil); err != nil {
		return nil, fmt.Errorf("neo4j: drop index: %w", err)
	}
	for {
		res, err := neo4j.ExecuteQuery(ctx, drv, "MATCH (n:EvalMartyr) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS c", nil,
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db))
		if err != nil {
			return nil, fmt.Errorf("neo4j: clear: %w", err)
		}
		if c, _ := res.Records[0].Get("c"); c.(int64) == 0 {
			break
		}
	}
	const batch = 5000
	for start := 0; start < len(ms); start += batch {
		rows := make([]map[string]any, 0, batch)
		for _, m := range ms[start:min(start+batch, len(ms))] {
			rows = append(rows, map[string]any{"id": m.ID, "name": m.Name, "hometown": m.HometownText})
		}
		if err := run("UNWIND $rows AS r CREATE (n:EvalMartyr {id: r.id, name: r.name, hometown: r.hometown})", map[string]any{"rows": rows}); err != nil {
			return nil, fmt.Errorf("neo4j: load: %w", err)
		}
	}
	logf("neo4j: %d nodes loaded; building the full-text index", len(ms))
	if err := run("CREATE FULLTEXT INDEX "+neo4jIndex+" FOR (n:EvalMartyr) ON EACH [n.name, n.hometown] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}", nil); err != nil {
		return nil, fmt.Errorf("neo4j: create index: %w", err)
	}
	if err := run("CALL db.awaitIndexes(1800)", nil); err != nil {
		return nil, fmt.Errorf("neo4j: await index: %w", err)
	}
	return e, nil
}

func (e *neo4jEngine) name() string { return "neo4j fulltext cjk" }

// luceneEscape escapes Lucene's query syntax.
func luceneEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (e *neo4jEngine) search(ctx context.Context, q search.Query, k int) ([]string, error) {
	lq := "name:(" + luceneEscape(q.Name) + ")"
	if q.Hometown != "" {
		lq += " OR hometown:(" + luceneEscape(q.Hometown) + ")"
	}
	res, err := neo4j.ExecuteQuery(ctx, e.drv,
		"CALL db.index.fulltext.queryNodes($index, $q, {limit: $k}) YIELD node, score RETURN node.id AS id ORDER BY score DESC, id",
		map[string]any{"index": neo4jIndex, "q": lq, "k": k}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(e.db))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(res.Records))
	for _, r := range res.Records {
		id, _ := r.Get("id")
		s, _ := id.(string)
		ids = append(ids, s)
	}
	return ids, nil
}

func (e *neo4jEngine) close(ctx context.Context) { _ = e.drv.Close(ctx) }

// dirSize is the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
