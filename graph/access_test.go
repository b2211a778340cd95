package graph_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/store"
)

// roles are the callers of the access matrix: every role, and for the
// volunteer both one assigned to the lead and one who is not.
var roles = []string{"public", "journalist", "volunteer", "assigned", "caseworker", "curator", "admin"}

// users maps a role of the matrix to a user of newEnv ("" is public).
var users = map[string]string{
	"public": "", "journalist": "孙记者", "volunteer": "李志愿", "assigned": "王志愿",
	"caseworker": "钱经办", "curator": "周策展", "admin": "管理员",
}

// accessRow is one decision: who may use a root field (or a sensitive
// field), and an operation that proves it. A refusal is an error coded
// FORBIDDEN or UNAUTHENTICATED, or — for a field that is filtered rather
// than refused — the absence of secret from the answer.
type accessRow struct {
	field  string
	who    []string // roles allowed; "all" for everyone
	op     string
	secret string // when set: allowed means the answer shows it
	upload bool   // op is a multipart upload of a small PNG
	// elsewhere names the test that checks the row when op is empty.
	elsewhere string
}

var everyone = []string{"all"}

// accessTable is the one table of who may do what. TestAccessMatrix
// fails when the schema has a root field (or a field of a sensitive
// type) this table does not decide.
var accessTable = []accessRow{
	// Public facts: open to all.
	{field: "Query.martyr", who: everyone, op: `{ martyr(id: "m-gao") { id name } }`},
	{field: "Query.martyrs", who: everyone, op: `{ martyrs(first: 2) { totalCount } }`},
	{field: "Query.cemeteries", who: everyone, op: `{ cemeteries(first: 2) { totalCount } }`},
	{field: "Query.units", who: everyone, op: `{ units(first: 2) { totalCount } }`},
	{field: "Query.events", who: everyone, op: `{ events(first: 2) { totalCount } }`},
	{field: "Query.node", who: everyone, op: `{ node(id: "m-gao") { id } }`},
	{field: "Query.nodes", who: everyone, op: `{ nodes(ids: ["m-gao"]) { id } }`},
	{field: "Query.portraits", who: everyone, op: `{ portraits(first: 2) { totalCount } }`},
	{field: "Query.exhibits", who: everyone, op: `{ exhibits(first: 2) { totalCount } }`},
	// Published works are open to all; drafts only to curators and
	// admins (null for everyone else, as if there were none).
	{field: "Query.exhibit", who: everyone, op: `{ exhibit(id: "none") { id } }`},
	{field: "Query.portrait", who: everyone, op: `{ portrait(id: "none") { id } }`},
	{field: "Query.story", who: everyone, op: `{ story(id: "none") { id } }`},
	{field: "Query.stories", who: everyone, op: `{ stories(first: 2) { totalCount } }`},
	{field: "Query.searchMartyrs", who: everyone, op: `{ searchMartyrs(name: "高喜娃") { total } }`},
	{field: "Query.searchPlaces", who: everyone, op: `{ searchPlaces(query: "胶县") { name } }`},
	{field: "Query.searchStories", who: everyone, op: `{ searchStories(query: "胶县") { total } }`},
	// Everyone may ask who they are (the public learns only "public").
	{field: "Query.viewer", who: everyone, op: `{ viewer { name role } }`},
	// A living relative outside an announcement: tracing roles only.
	{field: "Query.person", who: []string{"volunteer", "assigned", "caseworker", "admin"},
		op: `{ person(id: "p-gao-1") { id name } }`, secret: "高长顺"},
	// Personal data: caseworkers, admins, the assigned volunteer.
	{field: "Person.personal", who: []string{"assigned", "caseworker", "admin"},
		op: `{ person(id: "p-gao-1") { personal { phone address idNumber dnaResults { outcome } } } }`, secret: "13800000001"},
	// Casework: volunteers, caseworkers, admins.
	{field: "Query.lead", who: []string{"volunteer", "assigned", "caseworker", "admin"}, op: `query($id: ID!) { lead(id: $id) { id } }`},
	{field: "Query.leads", who: []string{"volunteer", "assigned", "caseworker", "admin"}, op: `{ leads(first: 5) { totalCount } }`},
	{field: "Query.suggestMartyrs", who: []string{"volunteer", "assigned", "caseworker", "admin"},
		op: `{ suggestMartyrs(claim: {name: "高喜娃"}) { score } }`},
	{field: "Mutation.createLead", who: []string{"volunteer", "assigned", "caseworker", "admin"},
		op: `mutation { createLead(input: {martyrId: "m-gao", summary: "矩阵"}) { id } }`},
	{field: "Mutation.assignLead", who: []string{"caseworker", "admin"},
		op: `mutation($id: ID!) { assignLead(id: $id, assignee: "李志愿") { id } }`},
	// Triage is the bureau's; volunteers move their own leads onward
	// (casework/workflow.go, tested move by move in TestLeadWorkflow).
	{field: "Mutation.transitionLead", who: []string{"caseworker", "admin"},
		op: `mutation($id: ID!) { transitionLead(id: $id, to: TRIAGED) { id } }`},
	{field: "Subscription.leadEvents", who: []string{"volunteer", "assigned", "caseworker", "admin"},
		elsewhere: "TestLeadEventsSubscription (token in connection_init; a forged one is closed)"},
	// Portraits are prepared by curators.
	{field: "Mutation.uploadPortrait", who: []string{"curator", "admin"}, upload: true,
		op: `mutation($f: Upload!) { uploadPortrait(martyrId: "m-gao", file: $f) { id } }`},
}

func (r accessRow) allows(role string) bool {
	return slices.Contains(r.who, "all") || slices.Contains(r.who, role)
}

// schemaFields lists the root fields and the fields of the sensitive
// types, read from the running schema by introspection.
func schemaFields(t *testing.T, e *env) []string {
	t.Helper()
	r := e.do(t, "", `{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } }
		person: __type(name: "Person") { fields { name } } }`, nil)
	var s struct {
		Schema map[string]struct {
			Fields []struct{ Name string }
		} `json:"__schema"`
	}
	raw, _ := json.Marshal(r.Data)
	if err := json.Unmarshal(raw, &s); err != nil || len(r.Errors) > 0 {
		t.Fatalf("introspection: %v %+v", err, r.Errors)
	}
	var out []string
	for kind, name := range map[string]string{"queryType": "Query", "mutationType": "Mutation", "subscriptionType": "Subscription"} {
		for _, f := range s.Schema[kind].Fields {
			out = append(out, name+"."+f.Name)
		}
	}
	// Of Person, the field that holds personal data is the sensitive one;
	// PersonalData is reached only through it.
	out = append(out, "Person.personal")
	sort.Strings(out)
	return out
}

func TestAccessMatrix(t *testing.T) {
	e := newEnv(t, backends()[0].open(t))
	secret, _, err := auth.Issue(t.Context(), e.s.(auth.TokenStore), "管理员", auth.Admin)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["管理员"] = secret

	// Every field is decided.
	decided := map[string]bool{}
	for _, r := range accessTable {
		if decided[r.field] {
			t.Errorf("%s is decided twice", r.field)
		}
		decided[r.field] = true
	}
	for _, f := range schemaFields(t, e) {
		if strings.HasPrefix(f, "Query.__") {
			continue
		}
		if !decided[f] {
			t.Errorf("%s is in the schema but not in accessTable: decide who may use it", f)
		}
	}

	// A lead assigned to 王志愿 gives the assigned volunteer their rights.
	var l leadOut
	e.ok(t, "王志愿", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao",
		"candidates": []any{map[string]any{"personId": "p-gao-1"}}}}, "createLead", &l)

	refusal := regexp.MustCompile(`^(` + graph.CodeForbidden + `|` + graph.CodeUnauthenticated + `)$`)
	ran := 0
	for _, row := range accessTable {
		if row.op == "" {
			if row.elsewhere == "" {
				t.Errorf("%s: no operation and no test named", row.field)
			}
			continue
		}
		for _, role := range roles {
			vars := map[string]any{}
			if strings.Contains(row.op, "$id") {
				// Each move on a lead of its own, so one role's move does
				// not change what the next one meets.
				var fresh leadOut
				e.ok(t, "赵经办", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao", "assignee": "王志愿"}}, "createLead", &fresh)
				vars["id"] = fresh.ID
			}
			before := lastChange(t, e.s)
			var body string
			var codes []string
			if row.upload {
				body, codes = upload(t, e, users[role], row.op)
			} else {
				r := e.do(t, users[role], row.op, vars)
				raw, _ := json.Marshal(r.Data)
				body = string(raw)
				for _, er := range r.Errors {
					c, _ := er.Extensions["code"].(string)
					codes = append(codes, c)
				}
			}
			refused := slices.ContainsFunc(codes, refusal.MatchString)
			if row.secret != "" {
				refused = !strings.Contains(body, row.secret)
			}
			if want := !row.allows(role); refused != want {
				t.Errorf("%s as %s: refused=%v, want %v (codes %v, data %s)", row.field, role, refused, want, codes, body)
			}
			if refused && strings.HasPrefix(row.field, "Mutation.") && lastChange(t, e.s) != before {
				t.Errorf("%s as %s: refused, but the store changed", row.field, role)
			}
			ran++
		}
	}
	t.Logf("%d fields decided, %d role × operation checks", len(accessTable), ran)
}

func lastChange(t *testing.T, s store.Store) int64 {
	t.Helper()
	var last int64
	for {
		cs, err := s.Changes(t.Context(), last, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 {
			return last
		}
		last = cs[len(cs)-1].Seq
	}
}

// upload posts op as a GraphQL multipart request with a small PNG as $f.
func upload(t *testing.T, e *env, user, op string) (string, []string) {
	t.Helper()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 64, 80))); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": op, "variables": map[string]any{"f": nil}})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.f"]}`)
	fw, _ := w.CreateFormFile("0", "p.png")
	_, _ = fw.Write(img.Bytes())
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, "/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var out gqlResp
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	var codes []string
	for _, er := range out.Errors {
		c, _ := er.Extensions["code"].(string)
		codes = append(codes, c)
	}
	raw, _ := json.Marshal(out.Data)
	return string(raw), codes
}
