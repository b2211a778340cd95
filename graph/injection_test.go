package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/store"
)

// injections are strings an attacker (or a damaged spreadsheet) sends:
// Cypher and SQL that would escape a quoted literal, path traversal,
// header and log injection, control characters, and sheer length.
var injections = []string{
	`' OR 1=1 //`,
	`"}) MATCH (n) DETACH DELETE n //`,
	`m-gao'}) MATCH (n) SET n.name = 'pwned' //`,
	`'; DROP TABLE martyr; --`,
	`1 OR 1=1; DELETE FROM lead`,
	`../../../../etc/passwd`,
	`..%2f..%2fetc%2fpasswd`,
	"a\r\nX-Injected: 1",
	"name\x00null",
	"\u202e反向",
	`{"$ne": null}`,
	`<script>alert(1)</script>`,
	strings.Repeat("胶", 5000),
}

// Every string input, as the public and as a caseworker, on both
// backends: each injection gets data or an error from the API's code set
// (never INTERNAL), and afterwards the graph is exactly as it was.
func TestInjectionInEveryStringInput(t *testing.T) {
	ops := []struct {
		user, query, varName string
	}{
		{"", `query($v: ID!) { martyr(id: $v) { id name } }`, "v"},
		{"", `query($v: String) { martyrs(filter: {surname: $v}, first: 5) { totalCount } }`, "v"},
		{"", `query($v: ID) { martyrs(filter: {placeId: $v, cemeteryId: $v, unitId: $v}, first: 5) { totalCount } }`, "v"},
		{"", `query($v: String) { martyrs(first: 5, after: $v) { totalCount } }`, "v"},
		{"", `query($v: ID!) { node(id: $v) { id } }`, "v"},
		{"", `query($v: ID!) { nodes(ids: [$v, $v]) { id } }`, "v"},
		{"", `query($v: ID!) { person(id: $v) { id } }`, "v"},
		{"", `query($v: ID!) { story(id: $v) { id } }`, "v"},
		{"", `query($v: ID!) { exhibit(id: $v) { id } }`, "v"},
		{"", `query($v: ID!) { portrait(id: $v) { id } }`, "v"},
		{"", `query($v: String) { portraits(filter: {artist: $v}, first: 5) { totalCount } }`, "v"},
		{"", `query($v: String!) { searchMartyrs(name: $v, hometown: $v, unit: $v) { total } }`, "v"},
		{"", `query($v: String!) { searchPlaces(query: $v) { score place { id } } }`, "v"},
		{"", `query($v: String!) { searchStories(query: $v) { total } }`, "v"},
		{"赵经办", `query($v: ID!) { lead(id: $v) { id } }`, "v"},
		{"赵经办", `query($v: String) { leads(filter: {assignee: $v}, first: 5) { totalCount } }`, "v"},
		{"赵经办", `query($v: String!) { suggestMartyrs(claim: {name: $v, hometown: $v, memories: $v}) { score } }`, "v"},
		{"赵经办", `mutation($v: ID!) { createLead(input: {martyrId: $v, summary: "x"}) { id } }`, "v"},
		{"赵经办", `mutation($v: ID!) { assignLead(id: $v, assignee: "王志愿") { id } }`, "v"},
		{"赵经办", `mutation($v: String!) { assignLead(id: "no-such-lead", assignee: $v) { id } }`, "v"},
		{"赵经办", `mutation($v: ID!) { transitionLead(id: $v, to: TRIAGED, note: "x") { id } }`, "v"},
	}
	allowed := map[string]bool{graph.CodeBadUserInput: true, graph.CodeNotFound: true, graph.CodeUnavailable: true,
		graph.CodeForbidden: true, graph.CodeUnauthenticated: true, graph.CodeConflict: true, graph.CodeInvalidTransition: true}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t))
			before := snapshot(t, e.s)
			// Each operation is valid GraphQL: a benign value passes
			// validation, so the injections reach the resolvers and the
			// store.
			for _, op := range ops {
				r := e.do(t, op.user, op.query, map[string]any{op.varName: "m-none"})
				for _, er := range r.Errors {
					if strings.Contains(er.Message, "Cannot query") || strings.Contains(er.Message, "Unknown") || strings.Contains(er.Message, "validation") {
						t.Fatalf("%s is not valid: %s", op.query, er.Message)
					}
				}
			}
			n := 0
			for _, op := range ops {
				for _, inj := range injections {
					r := e.do(t, op.user, op.query, map[string]any{op.varName: inj})
					n++
					if r.status >= 500 {
						t.Errorf("%s with %.40q: HTTP %d", op.query, inj, r.status)
					}
					for _, er := range r.Errors {
						c, _ := er.Extensions["code"].(string)
						if !allowed[c] {
							t.Errorf("%s with %.40q: error %q coded %q", op.query, inj, er.Message, c)
						}
					}
				}
			}
			// A lead can legitimately be created for an existing martyr id;
			// none of the injections is one, so nothing at all changed.
			if after := snapshot(t, e.s); after != before {
				t.Errorf("the graph changed:\n before %s\n after  %s", before, after)
			}
			t.Logf("%d requests, graph unchanged", n)
		})
	}
}

// snapshot summarises what an attack could touch: every martyr's name
// and version, and the number of leads and changes.
func snapshot(t *testing.T, s store.Store) string {
	t.Helper()
	page, err := s.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	type m struct {
		ID, Name string
		V        int64
	}
	var ms []m
	for _, x := range page.Items {
		ms = append(ms, m{x.ID, x.Name, x.Version})
	}
	leads, err := s.ListLeads(t.Context(), store.LeadFilter{}, store.PageReq{First: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"martyrs": ms, "leads": leads.Total, "changes": lastChange(t, s)})
	return string(b)
}
