package graph_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

// shared is one sqlite store holding the demo, opened on first use and
// shared by the tests of this package, which only read.
var shared struct {
	once sync.Once
	dir  string
	s    store.Store
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.s != nil {
		_ = shared.s.Close(context.Background())
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func openDemo(t *testing.T) store.Store {
	t.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		if shared.dir, shared.err = os.MkdirTemp("", "guigen-graph-test-"); shared.err != nil {
			return
		}
		if shared.s, shared.err = sqlite.Open(ctx, filepath.Join(shared.dir, "guigen.db")); shared.err != nil {
			return
		}
		_, shared.err = demo.Load(ctx, shared.s)
	})
	if shared.err != nil {
		t.Fatalf("demo store: %v", shared.err)
	}
	return shared.s
}

// logSink collects what the handler logs, to check nothing leaks into
// responses that should only be in logs.
type logSink struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newClient(t *testing.T, s store.Store) (*client.Client, *logSink) {
	t.Helper()
	sink := &logSink{}
	log := slog.New(slog.NewTextHandler(sink, nil))
	return client.New(graph.NewHandler(s, log)), sink
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// post runs a query expecting no errors and decodes data into out.
func post(t *testing.T, c *client.Client, query string, out any, opts ...client.Option) {
	t.Helper()
	if err := c.Post(query, out, opts...); err != nil {
		t.Fatalf("query failed: %v\n%s", err, query)
	}
}

// postErr runs a query expecting errors and returns them.
func postErr(t *testing.T, c *client.Client, query string, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("decode errors %s: %v", resp.Errors, err)
		}
	}
	if len(errs) == 0 {
		t.Fatalf("want errors, got data %v", resp.Data)
	}
	return errs
}

type partialDate struct {
	Year      *int    `json:"year"`
	Month     *int    `json:"month"`
	Day       *int    `json:"day"`
	ToYear    *int    `json:"toYear"`
	ToMonth   *int    `json:"toMonth"`
	Text      *string `json:"text"`
	Precision string  `json:"precision"`
	Display   string  `json:"display"`
}

type placeRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type placeLink struct {
	Place placeRef `json:"place"`
	Year  *int     `json:"year"`
	Kind  string   `json:"kind"`
}

type martyrOut struct {
	ID         string  `json:"id"`
	RegistryNo *string `json:"registryNo"`
	Name       *string `json:"name"`
	Aliases    []struct {
		Name   string  `json:"name"`
		Kind   string  `json:"kind"`
		Source *string `json:"source"`
	} `json:"aliases"`
	Sex          *string      `json:"sex"`
	Born         *partialDate `json:"born"`
	Enlisted     *partialDate `json:"enlisted"`
	Died         *partialDate `json:"died"`
	HometownText *string      `json:"hometownText"`
	Hometown     *struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Level  string `json:"level"`
		Parent *struct {
			Name    string `json:"name"`
			Current bool   `json:"current"`
			Parent  *struct {
				Name    string `json:"name"`
				Lineage struct {
					Successors []placeLink `json:"successors"`
				} `json:"lineage"`
			} `json:"parent"`
		} `json:"parent"`
		Lineage struct {
			Ancestors []placeRef `json:"ancestors"`
		} `json:"lineage"`
	} `json:"hometown"`
	UnitText *string `json:"unitText"`
	Unit     *struct {
		Name        string `json:"name"`
		SucceededBy []struct {
			Unit struct{ Name string } `json:"unit"`
			Year *int                  `json:"year"`
		} `json:"succeededBy"`
		Parent *struct{ Name string } `json:"parent"`
	} `json:"unit"`
	Position   *string `json:"position"`
	DeathPlace *string `json:"deathPlace"`
	Events     []struct {
		Name  string       `json:"name"`
		Start *partialDate `json:"start"`
	} `json:"events"`
	BurialText *string `json:"burialText"`
	Cemetery   *struct {
		Name  string    `json:"name"`
		Place *placeRef `json:"place"`
	} `json:"cemetery"`
	Grave *struct {
		Section *string `json:"section"`
		Row     *string `json:"row"`
		Number  *string `json:"number"`
		Text    *string `json:"text"`
	} `json:"grave"`
	ApprovedBy    *string `json:"approvedBy"`
	CertificateNo *string `json:"certificateNo"`
	Notes         *string `json:"notes"`
	Unnamed       bool    `json:"unnamed"`
}

const dateFields = `year month day toYear toMonth text precision display`

const martyrQuery = `query($id: ID!) { martyr(id: $id) {
  id registryNo name aliases { name kind source } sex
  born { ` + dateFields + ` } enlisted { ` + dateFields + ` } died { ` + dateFields + ` }
  hometownText
  hometown { id name level lineage { ancestors { id name } }
    parent { name current parent { name lineage { successors { place { id name } year kind } } } } }
  unitText unit { name parent { name } succeededBy { unit { name } year } }
  position deathPlace events { name start { ` + dateFields + ` } }
  burialText cemetery { name place { id name } } grave { section row number text }
  approvedBy certificateNo notes unnamed
} }`

func str(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func num(p *int) string {
	if p == nil {
		return "<null>"
	}
	return fmt.Sprint(*p)
}

func TestMartyrByID(t *testing.T) {
	c, _ := newClient(t, openDemo(t))

	get := func(id string) *martyrOut {
		t.Helper()
		var resp struct{ Martyr *martyrOut } // fresh: decoding does not reset fields
		post(t, c, martyrQuery, &resp, client.Var("id", id))
		if resp.Martyr == nil {
			t.Fatalf("martyr %s is null", id)
		}
		return resp.Martyr
	}
	m := get(demo.MartyrSunYushan)
	for _, c := range []struct{ field, got, want string }{
		{"id", m.ID, demo.MartyrSunYushan},
		{"name", str(m.Name), "孙玉山"},
		{"registryNo", str(m.RegistryNo), "QD-1950-0005"},
		{"sex", str(m.Sex), "MALE"},
		{"born.year", num(m.Born.Year), "1929"},
		{"born.month", num(m.Born.Month), "3"},
		{"born.day", num(m.Born.Day), "<null>"},
		{"born.precision", m.Born.Precision, "MONTH"},
		{"born.display", m.Born.Display, "1929年3月"},
		{"died.precision", m.Died.Precision, "DAY"},
		{"died.display", m.Died.Display, "1950年11月28日"},
		{"died.text", str(m.Died.Text), "1950年11月28日"},
		{"hometownText", str(m.HometownText), "山东省即墨县移风店公社东河头村"},
		{"hometown.id", m.Hometown.ID, "pl-v-donghetou"},
		{"hometown.level", m.Hometown.Level, "VILLAGE"},
		{"hometown.parent", m.Hometown.Parent.Name, "移风店公社"},
		{"hometown.parent.current", fmt.Sprint(m.Hometown.Parent.Current), "false"},
		{"hometown.parent.parent", m.Hometown.Parent.Parent.Name, "即墨县"},
		{"unit", m.Unit.Name, "第二十七军第七十九师"},
		{"unit.parent", m.Unit.Parent.Name, "第二十七军"},
		{"position", str(m.Position), "战士"},
		{"burialText", str(m.BurialText), "朝鲜，墓地不详"},
		{"certificateNo", str(m.CertificateNo), "鲁烈字第004005号"},
		{"notes", str(m.Notes), "<null>"},
		{"unnamed", fmt.Sprint(m.Unnamed), "false"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if len(m.Aliases) != 1 || m.Aliases[0].Name != "栓柱" || m.Aliases[0].Kind != "NICKNAME" {
		t.Errorf("aliases = %+v, want 栓柱 NICKNAME", m.Aliases)
	}
	var ancestors []string
	for _, a := range m.Hometown.Lineage.Ancestors {
		ancestors = append(ancestors, a.Name)
	}
	if want := []string{"移风店公社", "即墨县", "青岛市", "山东省"}; !slices.Equal(ancestors, want) {
		t.Errorf("hometown ancestors = %v, want %v", ancestors, want)
	}
	// 即墨县 became 即墨市 in 1989 and 即墨区 in 2017.
	var succ []string
	for _, s := range m.Hometown.Parent.Parent.Lineage.Successors {
		succ = append(succ, fmt.Sprintf("%s %s %s", s.Place.Name, num(s.Year), s.Kind))
	}
	if want := []string{"即墨市 1989 UPGRADE", "即墨区 2017 OTHER"}; !slices.Equal(succ, want) {
		t.Errorf("即墨县 successors = %v, want %v", succ, want)
	}
	if m.Cemetery != nil || m.Grave != nil {
		t.Errorf("buried in Korea, but cemetery = %+v, grave = %+v", m.Cemetery, m.Grave)
	}
	if len(m.Events) != 1 || m.Events[0].Name != "长津湖战役" || m.Events[0].Start.Display != "1950年11月27日" {
		t.Errorf("events = %+v", m.Events)
	}

	// An unnamed martyr in a cemetery.
	m = get(demo.MartyrUnnamedQingdao1)
	if m.Name != nil || !m.Unnamed {
		t.Errorf("unnamed martyr: name = %q, unnamed = %v", str(m.Name), m.Unnamed)
	}
	if m.Cemetery == nil || m.Cemetery.Name != "青岛市革命烈士陵园" || m.Cemetery.Place == nil || m.Cemetery.Place.ID != demo.PlaceQingdao {
		t.Errorf("cemetery = %+v", m.Cemetery)
	}
	if m.Grave == nil || str(m.Grave.Text) != "三区2排5号" || str(m.Grave.Section) != "三区" || str(m.Grave.Number) != "5" {
		t.Errorf("grave = %+v", m.Grave)
	}
	if m.Hometown != nil || m.HometownText != nil || m.Born != nil {
		t.Errorf("unknown hometown and birth should be null: %v %v %v", m.Hometown, m.HometownText, m.Born)
	}

	// A range date and a unit that changed designation.
	if d := get(demo.MartyrZhangYushan2).Died; d.Precision != "RANGE" || d.Display != "1951年3月至5月" || str(d.Text) != "1951年春" || num(d.ToMonth) != "5" {
		t.Errorf("range date = %+v (display %q)", d, d.Display)
	}
	m = get(demo.MartyrLiuDeshan)
	if u := m.Unit; u == nil || len(u.SucceededBy) != 1 || u.SucceededBy[0].Unit.Name != "第二十七军" || num(u.SucceededBy[0].Year) != "1949" {
		t.Errorf("华野九纵 succeeded by = %+v", u)
	}
	if d := m.Born; d.Precision != "YEAR" || d.Display != "1926年" {
		t.Errorf("year-only date = %+v", d)
	}
}

func TestMartyrUnknownIDIsNull(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	resp, err := c.RawPost(`{ martyr(id: "no-such-martyr") { id name } }`)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) > 0 {
		t.Fatalf("errors for an unknown id: %s", resp.Errors)
	}
	if got := fmt.Sprint(resp.Data); got != "map[martyr:<nil>]" {
		t.Fatalf("data = %s, want martyr null", got)
	}
}

type connection struct {
	Martyrs struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Cursor string `json:"cursor"`
			Node   struct {
				ID   string  `json:"id"`
				Name *string `json:"name"`
			} `json:"node"`
		} `json:"edges"`
		PageInfo struct {
			HasNextPage bool    `json:"hasNextPage"`
			EndCursor   *string `json:"endCursor"`
		} `json:"pageInfo"`
	} `json:"martyrs"`
}

const listQuery = `query($filter: MartyrFilter, $first: Int, $after: String) {
  martyrs(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
  }
}`

// listAll pages through a filtered list and returns the ids in order,
// checking every page's totalCount and pageInfo on the way.
func listAll(t *testing.T, c *client.Client, filter map[string]any, pageSize int) (ids []string, total int) {
	t.Helper()
	var after any
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
		var resp connection
		post(t, c, listQuery, &resp, client.Var("filter", filter), client.Var("first", pageSize), client.Var("after", after))
		conn := resp.Martyrs
		if page == 0 {
			total = conn.TotalCount
		} else if conn.TotalCount != total {
			t.Fatalf("page %d: totalCount %d, first page said %d", page, conn.TotalCount, total)
		}
		if len(conn.Edges) > pageSize {
			t.Fatalf("page %d: %d edges, asked for %d", page, len(conn.Edges), pageSize)
		}
		for _, e := range conn.Edges {
			ids = append(ids, e.Node.ID)
		}
		if len(conn.Edges) > 0 {
			last := conn.Edges[len(conn.Edges)-1].Cursor
			if conn.PageInfo.EndCursor == nil || *conn.PageInfo.EndCursor != last {
				t.Fatalf("page %d: endCursor %q is not the last edge's cursor %q", page, str(conn.PageInfo.EndCursor), last)
			}
		}
		if !conn.PageInfo.HasNextPage {
			return ids, total
		}
		if len(conn.Edges) < pageSize {
			t.Fatalf("page %d: short page (%d) but hasNextPage", page, len(conn.Edges))
		}
		after = *conn.PageInfo.EndCursor
	}
}

func TestMartyrsPaginationVisitsEveryMartyrOnce(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	var want []string
	for _, m := range demo.Batch().Martyrs {
		want = append(want, m.ID)
	}
	slices.Sort(want)
	for _, size := range []int{1, 37, 100} {
		ids, total := listAll(t, c, nil, size)
		if total != len(want) {
			t.Errorf("first %d: totalCount %d, want %d", size, total, len(want))
		}
		if !slices.Equal(ids, want) {
			t.Errorf("first %d: paged through %d ids, want the %d demo martyrs in id order", size, len(ids), len(want))
		}
	}

	// Any edge's cursor starts the page after that edge.
	var resp connection
	post(t, c, listQuery, &resp, client.Var("first", 10))
	mid := resp.Martyrs.Edges[4]
	post(t, c, listQuery, &resp, client.Var("first", 3), client.Var("after", mid.Cursor))
	var got []string
	for _, e := range resp.Martyrs.Edges {
		got = append(got, e.Node.ID)
	}
	if !slices.Equal(got, want[5:8]) {
		t.Errorf("after the 5th edge: %v, want %v", got, want[5:8])
	}

	// Without first, a page is the default size.
	post(t, c, listQuery, &resp)
	if len(resp.Martyrs.Edges) != graph.DefaultPageSize || !resp.Martyrs.PageInfo.HasNextPage {
		t.Errorf("default page: %d edges, hasNextPage %v", len(resp.Martyrs.Edges), resp.Martyrs.PageInfo.HasNextPage)
	}
}

// placeScope is an oracle for the place filter, written from the
// contract: the place, every place it replaced (transitively), and
// everything beneath any of those.
func placeScope(places []store.Place, id string) map[string]bool {
	replacedBy := map[string][]string{} // successor -> predecessors
	children := map[string][]string{}
	for _, p := range places {
		for _, c := range p.ReplacedBy {
			replacedBy[c.ToID] = append(replacedBy[c.ToID], p.ID)
		}
		if p.ParentID != "" {
			children[p.ParentID] = append(children[p.ParentID], p.ID)
		}
	}
	scope := map[string]bool{}
	var roots []string
	for stack := []string{id}; len(stack) > 0; {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !slices.Contains(roots, p) {
			roots = append(roots, p)
			stack = append(stack, replacedBy[p]...)
		}
	}
	for stack := roots; len(stack) > 0; {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !scope[p] {
			scope[p] = true
			stack = append(stack, children[p]...)
		}
	}
	return scope
}

func TestMartyrsFilters(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	b := demo.Batch()
	jiaozhou := placeScope(b.Places, demo.PlaceJiaozhou)
	huangdao := placeScope(b.Places, demo.PlaceHuangdao)
	diedIn := func(m store.Martyr, from, to int) bool {
		lo, hi := m.Died.YearBounds()
		return lo != 0 && hi >= from && lo <= to
	}
	for _, c2 := range []struct {
		name   string
		filter map[string]any
		match  func(store.Martyr) bool
	}{
		{"surname 王", map[string]any{"surname": "王"}, func(m store.Martyr) bool { return m.Surname() == "王" }},
		{"compound surname 欧阳", map[string]any{"surname": "欧阳"}, func(m store.Martyr) bool { return m.Surname() == "欧阳" }},
		{"place 胶州市 takes in 胶县", map[string]any{"placeId": demo.PlaceJiaozhou}, func(m store.Martyr) bool { return jiaozhou[m.HometownID] }},
		{"place 黄岛区 takes in 胶南县 and 胶南市", map[string]any{"placeId": demo.PlaceHuangdao}, func(m store.Martyr) bool { return huangdao[m.HometownID] }},
		{"died 1950-1953", map[string]any{"diedFrom": 1950, "diedTo": 1953}, func(m store.Martyr) bool { return diedIn(m, 1950, 1953) }},
		{"died from 1949", map[string]any{"diedFrom": 1949}, func(m store.Martyr) bool { return diedIn(m, 1949, 9999) }},
		{"cemetery", map[string]any{"cemeteryId": demo.CemeteryQingdao}, func(m store.Martyr) bool { return m.CemeteryID == demo.CemeteryQingdao }},
		{"unit 华野九纵", map[string]any{"unitId": demo.Unit9thColumn}, func(m store.Martyr) bool { return m.UnitID == demo.Unit9thColumn }},
		{"unnamed", map[string]any{"unnamed": true}, func(m store.Martyr) bool { return m.Unnamed }},
		{"named", map[string]any{"unnamed": false}, func(m store.Martyr) bool { return !m.Unnamed }},
		{"surname 王 from 胶州 who died by 1949", map[string]any{"surname": "王", "placeId": demo.PlaceJiaozhou, "diedTo": 1949},
			func(m store.Martyr) bool { return m.Surname() == "王" && jiaozhou[m.HometownID] && diedIn(m, 0, 1949) }},
		{"unknown place", map[string]any{"placeId": "pl-nowhere"}, func(store.Martyr) bool { return false }},
	} {
		t.Run(c2.name, func(t *testing.T) {
			var want []string
			for _, m := range b.Martyrs {
				if c2.match(m) {
					want = append(want, m.ID)
				}
			}
			slices.Sort(want)
			ids, total := listAll(t, c, c2.filter, 7)
			if total != len(want) || !slices.Equal(ids, want) {
				t.Errorf("got %d (totalCount %d): %v\nwant %d: %v", len(ids), total, ids, len(want), want)
			}
		})
	}
	// The demo must make these filters mean something.
	for id, min := range map[string]int{demo.PlaceJiaozhou: 20, demo.PlaceHuangdao: 15} {
		n := 0
		for _, m := range b.Martyrs {
			if placeScope(b.Places, id)[m.HometownID] {
				n++
			}
		}
		if n < min {
			t.Errorf("only %d demo martyrs under %s", n, id)
		}
	}
}

func TestMartyrsBadInput(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	for _, tc := range []struct {
		name  string
		query string
		opts  []client.Option
	}{
		{"bad cursor", listQuery, []client.Option{client.Var("after", "not-a-cursor")}},
		{"cursor of another kind", listQuery, []client.Option{client.Var("after", "Zm9vYmFy")}},
		{"huge page", listQuery, []client.Option{client.Var("first", 1000)}},
		{"page just over the limit", listQuery, []client.Option{client.Var("first", graph.MaxPageSize+1)}},
		{"zero page", listQuery, []client.Option{client.Var("first", 0)}},
		{"negative page", listQuery, []client.Option{client.Var("first", -5)}},
		{"years reversed", listQuery, []client.Option{client.Var("filter", map[string]any{"diedFrom": 1953, "diedTo": 1950})}},
		{"year out of range", listQuery, []client.Option{client.Var("filter", map[string]any{"diedFrom": 19500})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := postErr(t, c, tc.query, tc.opts...)
			if code := errs[0].Extensions["code"]; code != graph.CodeBadUserInput {
				t.Errorf("code = %v, want %s (%s)", code, graph.CodeBadUserInput, errs[0].Message)
			}
			if fmt.Sprint(errs[0].Path) != "[martyrs]" {
				t.Errorf("path = %v, want [martyrs]", errs[0].Path)
			}
		})
	}
	// The largest page is allowed.
	var resp connection
	post(t, c, listQuery, &resp, client.Var("first", graph.MaxPageSize))
	if len(resp.Martyrs.Edges) != graph.MaxPageSize {
		t.Errorf("first %d: %d edges", graph.MaxPageSize, len(resp.Martyrs.Edges))
	}
}

// failingStore is the real store with one read broken, to see how the
// API reports a store failure.
type failingStore struct {
	store.Store
	err error
}

func (f failingStore) ListMartyrs(context.Context, store.MartyrFilter, store.PageReq) (store.Page[store.Martyr], error) {
	return store.Page[store.Martyr]{}, fmt.Errorf("list martyrs: %w", f.err)
}

func (f failingStore) GetPlaces(context.Context, []string) (map[string]store.Place, error) {
	return nil, fmt.Errorf("get places: %w", f.err)
}

func TestStoreFailuresAreReportedWithoutDetail(t *testing.T) {
	secret := "dial tcp 10.0.0.7:7687: password=hunter2 rejected"
	for _, tc := range []struct {
		name, code, message string
		err                 error
	}{
		{"unavailable", graph.CodeUnavailable, "数据库暂不可用 / database unavailable", fmt.Errorf("%s: %w", secret, store.ErrUnavailable)},
		{"timeout", graph.CodeUnavailable, "数据库暂不可用 / database unavailable", fmt.Errorf("%s: %w", secret, context.DeadlineExceeded)},
		{"unexpected", graph.CodeInternal, "内部错误 / internal error", errors.New(secret)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, logs := newClient(t, failingStore{Store: openDemo(t), err: tc.err})
			for _, q := range []string{
				`{ martyrs(first: 2) { totalCount } }`,
				// A failing nested look-up fails only its field.
				`{ martyr(id: "m-0005") { name hometown { name } } }`,
			} {
				resp, err := c.RawPost(q)
				if err != nil {
					t.Fatal(err)
				}
				var errs []gqlError
				if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 {
					t.Fatalf("%s: errors %s", q, resp.Errors)
				}
				e := errs[0]
				if e.Extensions["code"] != tc.code || e.Message != tc.message {
					t.Errorf("%s: got %v %q, want %s %q", q, e.Extensions["code"], e.Message, tc.code, tc.message)
				}
				if strings.Contains(string(resp.Errors), "hunter2") {
					t.Errorf("the store's error leaked into the response: %s", resp.Errors)
				}
				if strings.HasPrefix(q, "{ martyr(") {
					if got := fmt.Sprint(resp.Data); got != "map[martyr:map[hometown:<nil> name:孙玉山]]" {
						t.Errorf("partial data = %s", got)
					}
				}
			}
			if !strings.Contains(logs.String(), "hunter2") {
				t.Errorf("the real error was not logged: %q", logs.String())
			}
		})
	}
}

func TestGETTransport(t *testing.T) {
	srv := httptest.NewServer(graph.NewHandler(openDemo(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	q := url.Values{"query": {`{ martyrs(filter: {surname: "欧阳"}) { totalCount edges { node { name } } } }`}}
	resp, err := http.Get(srv.URL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"name":"欧阳振华"`) {
		t.Fatalf("GET: %d %s", resp.StatusCode, body)
	}
	// Mutations are never accepted over GET; there are none yet, but a
	// query with a syntax error shows parse errors come back as such.
	resp2, err := http.Get(srv.URL + "?" + url.Values{"query": {"{ martyrs("}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	body, _ = io.ReadAll(resp2.Body)
	if !strings.Contains(string(body), "GRAPHQL_PARSE_FAILED") {
		t.Errorf("syntax error: %d %s", resp2.StatusCode, body)
	}
}

// countingStore is the real store counting place look-ups.
type countingStore struct {
	store.Store
	mu          sync.Mutex
	placeCalls  int
	placeKeys   int
	lineageCall int
}

func (c *countingStore) GetPlaces(ctx context.Context, ids []string) (map[string]store.Place, error) {
	c.mu.Lock()
	c.placeCalls++
	c.placeKeys += len(ids)
	c.mu.Unlock()
	return c.Store.GetPlaces(ctx, ids)
}

func (c *countingStore) Lineages(ctx context.Context, ids []string) (map[string]store.Lineage, error) {
	c.mu.Lock()
	c.lineageCall++
	c.mu.Unlock()
	return c.Store.Lineages(ctx, ids)
}

func TestLookupsAreBatched(t *testing.T) {
	cs := &countingStore{Store: openDemo(t)}
	c, _ := newClient(t, cs)
	var resp struct {
		Martyrs struct {
			Edges []struct {
				Node struct {
					Hometown *struct {
						Name    string
						Parent  *struct{ Name string }
						Lineage struct{ Ancestors []struct{ Name string } }
					}
				}
			}
		}
	}
	post(t, c, `{ martyrs(first: 100) { edges { node { hometown { name parent { name } lineage { ancestors { name } } } } } } }`, &resp)
	withHome := 0
	for _, e := range resp.Martyrs.Edges {
		if e.Node.Hometown != nil {
			withHome++
		}
	}
	if withHome < 90 {
		t.Fatalf("only %d of 100 martyrs have a hometown", withHome)
	}
	// Without batching that is 2 look-ups per martyr; with it, one per
	// level of the tree, give or take a batch a slow goroutine missed.
	if cs.placeCalls > 10 || cs.lineageCall > 5 {
		t.Errorf("%d GetPlaces calls (%d keys) and %d Lineages calls for %d martyrs", cs.placeCalls, cs.placeKeys, cs.lineageCall, withHome)
	}
	t.Logf("%d GetPlaces calls (%d keys), %d Lineages calls for %d hometowns", cs.placeCalls, cs.placeKeys, cs.lineageCall, withHome)
}

const sortedQuery = `query($order: MartyrOrder, $first: Int, $after: String) {
  martyrs(orderBy: $order, first: $first, after: $after) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
  }
}`

func TestMartyrsSorted(t *testing.T) {
	c, _ := newClient(t, openDemo(t))
	ms := demo.Batch().Martyrs
	// The oracle, written from the schema's description: by the earliest
	// death year, unknown years last, ties by id in the same direction.
	year := func(m store.Martyr) int {
		lo, _ := m.Died.YearBounds()
		if lo == 0 {
			return -1
		}
		return lo
	}
	slices.SortFunc(ms, func(a, b store.Martyr) int {
		ya, yb := year(a), year(b)
		switch {
		case ya == -1 && yb != -1:
			return 1
		case yb == -1 && ya != -1:
			return -1
		}
		return cmp.Or(cmp.Compare(yb, ya), cmp.Compare(b.ID, a.ID))
	})
	var want []string
	for _, m := range ms {
		want = append(want, m.ID)
	}
	order := map[string]any{"field": "DIED", "direction": "DESC"}
	var got []string
	var after any
	for page := 0; page < 100; page++ {
		var resp connection
		post(t, c, sortedQuery, &resp, client.Var("order", order), client.Var("first", 37), client.Var("after", after))
		for _, e := range resp.Martyrs.Edges {
			got = append(got, e.Node.ID)
		}
		if n := len(resp.Martyrs.Edges); n > 0 && str(resp.Martyrs.PageInfo.EndCursor) != resp.Martyrs.Edges[n-1].Cursor {
			t.Fatalf("endCursor is not the last edge's cursor")
		}
		if !resp.Martyrs.PageInfo.HasNextPage {
			break
		}
		after = *resp.Martyrs.PageInfo.EndCursor
	}
	if !slices.Equal(got, want) {
		t.Errorf("DIED DESC paged through %d ids; first %v, want first %v", len(got), got[:min(5, len(got))], want[:5])
	}

	// A cursor of another order is refused, not misread.
	var resp connection
	post(t, c, sortedQuery, &resp, client.Var("order", map[string]any{"field": "NAME"}), client.Var("first", 2))
	raw, err := c.RawPost(sortedQuery, client.Var("order", order), client.Var("after", *resp.Martyrs.PageInfo.EndCursor))
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct {
		Message    string
		Extensions map[string]any
	}
	_ = json.Unmarshal(raw.Errors, &errs)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "排序") {
		t.Errorf("a NAME cursor in DIED order: %s", raw.Errors)
	}
	// An unknown field is the schema's own validation error.
	raw, _ = c.RawPost(sortedQuery, client.Var("order", map[string]any{"field": "AGE"}))
	if len(raw.Errors) == 0 {
		t.Error("orderBy AGE accepted")
	}
}
