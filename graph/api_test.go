package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
	"github.com/guigen/guigen/store/storetest"
)

// fixtureStore is the contract fixture: records, conflicting assertions,
// portraits and an exhibit, which the demo has not all of.
// clientAs returns a client whose requests carry a token of the role
// (none for the public).
func clientAs(t *testing.T, s store.Store, role auth.Role) *client.Client {
	t.Helper()
	if role == auth.Public {
		c, _ := newClient(t, s)
		return c
	}
	secret, _, err := auth.Issue(t.Context(), s, "测试"+string(role), role)
	if err != nil {
		t.Fatal(err)
	}
	return client.New(graph.NewHandler(s, nil), client.AddHeader("Authorization", "Bearer "+secret))
}

func fixtureStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	if err := s.Apply(context.Background(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	return s
}

// rawPost posts a query and returns data and errors decoded loosely.
func rawPost(t *testing.T, c *client.Client, q string, opts ...client.Option) (map[string]any, []gqlError) {
	t.Helper()
	resp, err := c.RawPost(q, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := resp.Data.(map[string]any)
	return data, errs
}

func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func TestMartyrEvidence(t *testing.T) {
	s := fixtureStore(t)
	c, _ := newClient(t, s)
	data, errs := rawPost(t, c, `query($id: ID!) { martyr(id: $id) {
	  records { totalCount edges { node { id kind title } citations { confidence locator record { id } } } }
	  facts { field conflicting assertions { value citations { confidence record { id } } } }
	  assertions(field: "born") { totalCount edges { node { id value martyr { id } } } }
	  portraits { totalCount edges { node { id artist reconstruction } } }
	} }`, client.Var("id", storetest.MartyrWangDeming))
	if len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	m := dig(data, "martyr")
	var born map[string]any
	for _, f := range dig(m, "facts").([]any) {
		if dig(f, "field") == "born" {
			born = f.(map[string]any)
		}
	}
	if born == nil || born["conflicting"] != true || len(born["assertions"].([]any)) != 2 {
		t.Errorf("born fact = %v; want two conflicting assertions side by side", born)
	}
	if n := dig(m, "assertions", "totalCount"); n != float64(2) {
		t.Errorf("assertions(field: born).totalCount = %v, want 2", n)
	}
	recs := dig(m, "records", "edges").([]any)
	if len(recs) == 0 || dig(m, "records", "totalCount") != float64(len(recs)) {
		t.Fatalf("records = %v", dig(m, "records"))
	}
	cited := 0
	for _, e := range recs {
		for _, ct := range dig(e, "citations").([]any) {
			if dig(ct, "record", "id") != dig(e, "node", "id") {
				t.Errorf("citation on record %v points at %v", dig(e, "node", "id"), dig(ct, "record", "id"))
			}
			cited++
		}
	}
	if cited == 0 {
		t.Error("no record carries a citation about the martyr")
	}
	// One of his two portraits is not yet published: the public sees the
	// other, a curator both.
	if n := dig(m, "portraits", "totalCount"); n != float64(1) {
		t.Errorf("portraits totalCount for the public = %v, want 1", n)
	}
	data, errs = rawPost(t, clientAs(t, s, auth.Curator), `query($id: ID!) { martyr(id: $id) { portraits { totalCount } } }`,
		client.Var("id", storetest.MartyrWangDeming))
	if n := dig(data, "martyr", "portraits", "totalCount"); len(errs) > 0 || n != float64(2) {
		t.Errorf("portraits totalCount for a curator = %v %+v, want 2", n, errs)
	}
}

func TestExhibitCuratedOrderAndPaging(t *testing.T) {
	s := fixtureStore(t)
	// Only por-wang-1 is published: a curator sees the whole curated
	// order, the public the published part of it.
	t.Run("Curator", func(t *testing.T) {
		testExhibitOrder(t, clientAs(t, s, auth.Curator), []string{storetest.PortraitWang2, storetest.PortraitOuyang, storetest.PortraitWang1})
	})
	t.Run("Public", func(t *testing.T) {
		testExhibitOrder(t, clientAs(t, s, auth.Public), []string{storetest.PortraitWang1})
	})
}

func testExhibitOrder(t *testing.T, c *client.Client, want []string) {
	var got []string
	after := ""
	for range 4 {
		data, errs := rawPost(t, c, `query($id: ID!, $after: String) { portraits(filter: {exhibitId: $id}, first: 2, after: $after) {
		  totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
			client.Var("id", storetest.Exhibit2022), client.Var("after", after))
		if len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		if n := dig(data, "portraits", "totalCount"); n != float64(len(want)) {
			t.Errorf("totalCount %v", n)
		}
		for _, e := range dig(data, "portraits", "edges").([]any) {
			got = append(got, dig(e, "node", "id").(string))
		}
		if dig(data, "portraits", "pageInfo", "hasNextPage") != true {
			break
		}
		after = dig(data, "portraits", "pageInfo", "endCursor").(string)
	}
	if !slices.Equal(got, want) {
		t.Errorf("exhibit portraits %v, want curated order %v", got, want)
	}
	// exhibit(id) gives the same curated order; portrait(id) hides drafts
	// from those who may not see them.
	data, errs := rawPost(t, c, `query($id: ID!) { exhibit(id: $id) { id portraits(first: 10) { edges { node { id } } } } }`,
		client.Var("id", storetest.Exhibit2022))
	var byID []string
	for _, e := range dig(data, "exhibit", "portraits", "edges").([]any) {
		byID = append(byID, dig(e, "node", "id").(string))
	}
	if len(errs) > 0 || !slices.Equal(byID, want) {
		t.Errorf("exhibit(id) portraits %v %+v, want %v", byID, errs, want)
	}
	for _, id := range []string{storetest.PortraitWang1, storetest.PortraitWang2} {
		data, errs := rawPost(t, c, `query($id: ID!) { portrait(id: $id) { id } }`, client.Var("id", id))
		visible := dig(data, "portrait") != nil
		if len(errs) > 0 || visible != slices.Contains(want, id) {
			t.Errorf("portrait(%s): visible %v %+v, want %v", id, visible, errs, slices.Contains(want, id))
		}
	}
	data, errs = rawPost(t, c, `{ exhibits { totalCount edges { node { title portraits(first: 1) { totalCount edges { node { id } } } } } } }`)
	if len(errs) > 0 || dig(data, "exhibits", "edges", 0, "node", "portraits", "edges", 0, "node", "id") != want[0] {
		t.Errorf("exhibits: %v %+v", data, errs)
	}
}

func TestNodeAndNodes(t *testing.T) {
	c, _ := newClient(t, fixtureStore(t))
	ids := []string{storetest.MartyrWangDeming, storetest.PortraitWang1, storetest.Exhibit2022, "no-such-id", storetest.Unit27Army}
	data, errs := rawPost(t, c, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, client.Var("ids", ids))
	if len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	types := []any{"Martyr", "Portrait", "Exhibit", nil, "Unit"}
	for i, n := range dig(data, "nodes").([]any) {
		if dig(n, "__typename") != types[i] || (n != nil && dig(n, "id") != ids[i]) {
			t.Errorf("nodes[%d] = %v, want a %v with id %s", i, n, types[i], ids[i])
		}
	}
	data, errs = rawPost(t, c, `query($id: ID!) { node(id: $id) { ... on Martyr { name } } }`, client.Var("id", storetest.MartyrWangDeming))
	if len(errs) > 0 || dig(data, "node", "name") == nil {
		t.Errorf("node: %v %+v", data, errs)
	}
	// People and published stories resolve too; a draft does not. For the
	// public, a living person no announcement named is not there.
	data, errs = rawPost(t, c, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
		client.Var("ids", []string{storetest.PersonWangXiuying, storetest.StoryWang, storetest.PersonWangJianguo}))
	if len(errs) > 0 || dig(data, "nodes", 0, "__typename") != "Person" || dig(data, "nodes", 1, "__typename") != "Story" ||
		dig(data, "nodes", 2) != nil {
		t.Errorf("person and story nodes: %v %+v", data, errs)
	}
	s := fixtureStore(t)
	b := storetest.Fixture()
	draft := b.Stories[0]
	draft.Published = false
	if err := s.Apply(t.Context(), &store.Batch{Stories: []store.Story{draft}}); err != nil {
		t.Fatal(err)
	}
	c2, _ := newClient(t, s)
	data, errs = rawPost(t, c2, `query($id: ID!) { node(id: $id) { id } }`, client.Var("id", storetest.StoryWang))
	if len(errs) > 0 || dig(data, "node") != nil {
		t.Errorf("a draft story through node(id): %v %+v", data, errs)
	}
	many := make([]string, graph.MaxNodes+1)
	for i := range many {
		many[i] = "x"
	}
	if errs := postErr(t, c, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, client.Var("ids", many)); errs[0].Extensions["code"] != graph.CodeBadUserInput {
		t.Errorf("too many ids: %+v", errs)
	}
}

func TestTopLevelListsPage(t *testing.T) {
	c, _ := newClient(t, fixtureStore(t))
	for _, list := range []string{"cemeteries", "units", "events", "exhibits", "portraits"} {
		var ids []string
		total := -1
		after := ""
		for range 20 {
			data, errs := rawPost(t, c, `query($after: String) { `+list+`(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
				client.Var("after", after))
			if len(errs) > 0 {
				t.Fatalf("%s: %+v", list, errs)
			}
			total = int(dig(data, list, "totalCount").(float64))
			for _, e := range dig(data, list, "edges").([]any) {
				ids = append(ids, dig(e, "node", "id").(string))
			}
			if dig(data, list, "pageInfo", "hasNextPage") != true {
				break
			}
			after = dig(data, list, "pageInfo", "endCursor").(string)
		}
		if total < 1 || len(ids) != total || !slices.IsSorted(ids) {
			t.Errorf("%s: paged %v, total %d; want every one once in id order", list, ids, total)
		}
	}
	// Martyrs under a cemetery, a unit and a place agree with the filter.
	data, errs := rawPost(t, c, `{ cemeteries { edges { node { id martyrs { totalCount edges { node { cemetery { id } } } } } } } }`)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, e := range dig(data, "cemeteries", "edges").([]any) {
		for _, m := range dig(e, "node", "martyrs", "edges").([]any) {
			if dig(m, "node", "cemetery", "id") != dig(e, "node", "id") {
				t.Errorf("martyr %v listed under cemetery %v", m, dig(e, "node", "id"))
			}
		}
	}
}

func TestComrades(t *testing.T) {
	c, _ := newClient(t, fixtureStore(t))
	for _, kind := range []string{"HOMETOWN", "COUNTY", "UNIT", "CEMETERY"} {
		data, errs := rawPost(t, c, `query($id: ID!) { martyr(id: $id) { comrades(kind: `+kind+`) { totalCount edges { node { id } } } } }`,
			client.Var("id", storetest.MartyrWangDeming))
		if len(errs) > 0 {
			t.Fatalf("%s: %+v", kind, errs)
		}
		for _, e := range dig(data, "martyr", "comrades", "edges").([]any) {
			if dig(e, "node", "id") == storetest.MartyrWangDeming {
				t.Errorf("%s: the martyr is among his own comrades", kind)
			}
		}
	}
}

// TestBadInput sends each kind of bad request over HTTP and checks the
// status, that the error has a code from the set, and that no Go error
// text reaches the caller.
func TestBadInput(t *testing.T) {
	srv := httptest.NewServer(graph.NewHandler(fixtureStore(t), nil))
	defer srv.Close()
	deep := "{ martyrs { edges { node { " + "hometown { " + strings.Repeat("parent { ", 50) + "name" + strings.Repeat(" }", 51) + " } } } }"
	cases := []struct {
		name, ctype, body string
		status            int
	}{
		{"MalformedJSON", "application/json", `{"query": "{ martyrs { totalCount } }"`, 400},
		{"NotAnObject", "application/json", `["{ martyrs { totalCount } }"]`, 400},
		{"WrongContentType", "text/plain", `{"query": "{ martyrs { totalCount } }"}`, 415},
		{"FormContentType", "application/x-www-form-urlencoded", `query=%7B%7D`, 415},
		{"UnknownRequestField", "application/json", `{"query": "{ martyrs { totalCount } }", "qeury": 1}`, 400},
		{"QueryNotString", "application/json", `{"query": 5}`, 400},
		{"VariablesNotObject", "application/json", `{"query": "{ martyrs { totalCount } }", "variables": [1]}`, 400},
		{"UnknownField", "application/json", `{"query": "{ martyrs { nosuchfield } }"}`, 0},
		{"WrongVariableType", "application/json", `{"query": "query($n: Int) { martyrs(first: $n) { totalCount } }", "variables": {"n": "fifty"}}`, 0},
		{"PageOfAMillion", "application/json", `{"query": "{ martyrs(first: 1000000) { totalCount } }"}`, 0},
		{"NestedFiftyDeep", "application/json", `{"query": ` + jsonString(deep) + `}`, 0},
		{"TooComplex", "application/json", `{"query": "{ martyrs(first: 100) { edges { node { comrades(kind: COUNTY, first: 100) { edges { node { name } } } } } } }"}`, 0},
		{"SyntaxError", "application/json", `{"query": "{ martyrs("}`, 0},
		{"BodyTooLarge", "application/json", `{"query": "{ martyrs { totalCount } }", "variables": {"x": "` + strings.Repeat("x", graph.MaxBodyBytes) + `"}}`, 413},
	}
	wantMsg := map[string]string{
		"NestedFiftyDeep": "nested 55 deep", "TooComplex": "complexity", "PageOfAMillion": "first must be between",
		"BodyTooLarge": "1 MiB", "WrongContentType": "application/json", "UnknownRequestField": "qeury",
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(c.body))
			req.Header.Set("Content-Type", c.ctype)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if c.status != 0 && resp.StatusCode != c.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, c.status, body)
			}
			if resp.StatusCode >= 500 {
				t.Errorf("status %d for bad input", resp.StatusCode)
			}
			var out struct {
				Data   map[string]any `json:"data"`
				Errors []gqlError     `json:"errors"`
			}
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatalf("response is not JSON: %s", body)
			}
			if len(out.Errors) == 0 {
				t.Fatalf("no error: %s", body)
			}
			for _, e := range out.Errors {
				if e.Extensions["code"] != graph.CodeBadUserInput {
					t.Errorf("code %v, want BAD_USER_INPUT: %s", e.Extensions["code"], body)
				}
				for _, leak := range []string{"json:", "unexpected EOF", "http:", "goroutine", ".go:"} {
					if strings.Contains(e.Message, leak) {
						t.Errorf("message leaks %q: %s", leak, e.Message)
					}
				}
			}
			if want := wantMsg[c.name]; want != "" && !strings.Contains(string(body), want) {
				t.Errorf("error does not say %q: %s", want, body)
			}
			if out.Data["martyrs"] != nil {
				t.Errorf("data returned with the error: %v", out.Data)
			}
		})
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestPlaceChildren(t *testing.T) {
	s := fixtureStore(t)
	c, _ := newClient(t, s)
	b := storetest.Fixture()
	parents := map[string]int{}
	for _, p := range b.Places {
		if p.ParentID != "" {
			parents[p.ParentID]++
		}
	}
	for id, n := range parents {
		data, errs := rawPost(t, c, `query($id: ID!) { node(id: $id) { ... on Place { children(first: 100) { totalCount edges { node { id parent { id } } } } } } }`,
			client.Var("id", id))
		if len(errs) > 0 {
			t.Fatalf("%s: %+v", id, errs)
		}
		if got := dig(data, "node", "children", "totalCount"); got != float64(n) {
			t.Errorf("children of %s: totalCount %v, want %d", id, got, n)
		}
		for _, e := range dig(data, "node", "children", "edges").([]any) {
			if dig(e, "node", "parent", "id") != id {
				t.Errorf("child %v of %s has parent %v", dig(e, "node", "id"), id, dig(e, "node", "parent", "id"))
			}
		}
	}
}

// TestPortraitFilters checks each filter of portraits against the
// fixture's own data, and that filters that cannot combine say so.
func TestPortraitFilters(t *testing.T) {
	s := fixtureStore(t)
	for _, role := range []auth.Role{auth.Curator, auth.Public} {
		t.Run(string(role), func(t *testing.T) { testPortraitFilters(t, s, role) })
	}
}

func testPortraitFilters(t *testing.T, s store.Store, role auth.Role) {
	c := clientAs(t, s, role)
	b := storetest.Fixture()
	martyrs := map[string]store.Martyr{}
	for _, m := range b.Martyrs {
		martyrs[m.ID] = m
	}
	ids := func(filter map[string]any) []string {
		t.Helper()
		data, errs := rawPost(t, c, `query($f: PortraitFilter) { portraits(filter: $f, first: 100) { totalCount edges { node { id } } } }`, client.Var("f", filter))
		if len(errs) > 0 {
			t.Fatalf("%v: %+v", filter, errs)
		}
		var out []string
		for _, e := range dig(data, "portraits", "edges").([]any) {
			out = append(out, dig(e, "node", "id").(string))
		}
		if dig(data, "portraits", "totalCount") != float64(len(out)) {
			t.Errorf("%v: totalCount %v for %d portraits", filter, dig(data, "portraits", "totalCount"), len(out))
		}
		return out
	}
	want := func(keep func(store.Portrait) bool) []string {
		var out []string
		for _, p := range b.Portraits {
			if keep(p) && (p.Published || role != auth.Public) {
				out = append(out, p.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	p0 := b.Portraits[0]
	m0 := martyrs[p0.MartyrID]
	checks := []struct {
		filter map[string]any
		want   []string
	}{
		{map[string]any{"artist": p0.Artist}, want(func(p store.Portrait) bool { return p.Artist == p0.Artist })},
		{map[string]any{"martyrId": p0.MartyrID}, want(func(p store.Portrait) bool { return p.MartyrID == p0.MartyrID })},
		{map[string]any{"placeId": m0.HometownID}, nil}, // compared with ListMartyrs below
	}
	if len(m0.EventIDs) > 0 {
		ev := m0.EventIDs[0]
		checks = append(checks, struct {
			filter map[string]any
			want   []string
		}{map[string]any{"eventId": ev}, want(func(p store.Portrait) bool { return slices.Contains(martyrs[p.MartyrID].EventIDs, ev) })})
	}
	for _, ch := range checks {
		got := ids(ch.filter)
		if ch.filter["placeId"] != nil {
			page, err := s.ListMartyrs(context.Background(), store.MartyrFilter{PlaceID: m0.HometownID}, store.PageReq{First: 1000})
			if err != nil {
				t.Fatal(err)
			}
			from := map[string]bool{}
			for _, m := range page.Items {
				from[m.ID] = true
			}
			ch.want = want(func(p store.Portrait) bool { return from[p.MartyrID] })
		}
		if len(ch.want) == 0 || !slices.Equal(got, ch.want) {
			t.Errorf("filter %v: %v, want %v (non-empty)", ch.filter, got, ch.want)
		}
	}
	errs := postErr(t, c, `{ portraits(filter: {exhibitId: "x", placeId: "y"}) { totalCount } }`)
	if errs[0].Extensions["code"] != graph.CodeBadUserInput {
		t.Errorf("exhibitId with placeId: %+v", errs)
	}
}
