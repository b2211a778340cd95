package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/graph"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

// backend opens a fresh, empty store.
type backend struct {
	name string
	open func(t *testing.T) store.Store
}

// backends are sqlite always and Neo4j when NEO4J_URI is set (in CI it
// must be).
func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) store.Store {
			s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "guigen.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			return s
		}},
		{"neo4j", func(t *testing.T) store.Store {
			uri := os.Getenv("NEO4J_URI")
			if uri == "" {
				if os.Getenv("CI") != "" {
					t.Fatal("NEO4J_URI is not set: CI must run the Neo4j tests")
				}
				t.Skip("NEO4J_URI is not set")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			s, err := neo4j.Open(ctx, neo4j.Config{URI: uri, User: os.Getenv("NEO4J_USER"),
				Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			if err := neo4j.Wipe(ctx, s); err != nil {
				t.Fatal(err)
			}
			return s
		}},
	}
}

// caseFixture is a martyr, two candidate relatives (one with personal
// data and a claimed kinship) and two records to cite.
func caseFixture() *store.Batch {
	return &store.Batch{
		Martyrs: []store.Martyr{{ID: "m-gao", Name: "高喜娃", HometownText: "山东胶县", UnitText: "27军79师", DeathPlace: "长津湖"}},
		People: []store.Person{
			{ID: "p-gao-1", Name: "高长顺", Living: true, Personal: store.PersonalData{Phone: "13800000001", Address: "胶州市某村", IDNumber: "370281195001010011"}},
			{ID: "p-gao-2", Name: "高长福", Living: true},
		},
		Kinships: []store.Kinship{{PersonID: "p-gao-1", MartyrID: "m-gao", Relation: store.RelNephew, Line: store.LinePaternal, Status: store.KinClaimed}},
		Records: []store.ArchivalRecord{
			{ID: "r-zupu", Kind: store.RecGenealogy, Title: "高氏族谱", MartyrIDs: []string{"m-gao"}},
			{ID: "r-dna", Kind: store.RecDNA, Title: "DNA 比对报告", MartyrIDs: []string{"m-gao"}},
		},
	}
}

// env is one server over one store, with a token per role.
type env struct {
	s      store.Store
	h      http.Handler
	cases  *graph.Cases
	tokens map[string]string // user name → bearer secret
}

func newEnv(t *testing.T, s store.Store) *env {
	t.Helper()
	if err := s.Apply(t.Context(), caseFixture()); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(&logSink{}, nil))
	cases := graph.NewCases(s, nil, log)
	e := &env{s: s, cases: cases, h: graph.NewHandler(s, log, graph.WithCasework(cases)), tokens: map[string]string{}}
	for _, u := range []struct {
		name string
		role auth.Role
	}{
		{"王志愿", auth.Volunteer}, {"李志愿", auth.Volunteer}, {"赵经办", auth.Caseworker},
		{"钱经办", auth.Caseworker}, {"孙记者", auth.Journalist}, {"周策展", auth.Curator},
	} {
		secret, _, err := auth.Issue(t.Context(), s.(auth.TokenStore), u.name, u.role)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u.name] = secret
	}
	return e
}

type gqlResp struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
	status int
}

// do posts a query as user ("" for public).
func (e *env) do(t *testing.T, user, query string, vars map[string]any) gqlResp {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var out gqlResp
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("decode %s: %v", rec.Body.String(), err)
	}
	out.status = rec.Code
	return out
}

// ok posts expecting no errors and decodes data[field] into v.
func (e *env) ok(t *testing.T, user, query string, vars map[string]any, field string, v any) {
	t.Helper()
	r := e.do(t, user, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("%s as %q: errors %+v", strings.Fields(query)[0:2], user, r.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data[field], v); err != nil {
			t.Fatalf("decode %s: %v", r.Data[field], err)
		}
	}
}

// refused posts expecting exactly the error code.
func (e *env) refused(t *testing.T, user, query string, vars map[string]any, code string) {
	t.Helper()
	r := e.do(t, user, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("as %q: want %s, got data %s", user, code, r.Data)
	}
	if got := r.Errors[0].Extensions["code"]; got != code {
		t.Fatalf("as %q: code %v (%s), want %s", user, got, r.Errors[0].Message, code)
	}
}

type leadOut struct {
	ID       string   `json:"id"`
	State    string   `json:"state"`
	Version  int      `json:"version"`
	Assignee *string  `json:"assignee"`
	Next     []string `json:"next"`
	People   []struct {
		ID string `json:"id"`
	} `json:"people"`
	Events []struct {
		Seq      int      `json:"seq"`
		Kind     string   `json:"kind"`
		Actor    string   `json:"actor"`
		From     *string  `json:"from"`
		To       *string  `json:"to"`
		Note     *string  `json:"note"`
		Evidence []string `json:"evidence"`
	} `json:"events"`
}

const leadFields = `id state version assignee next people { id } events { seq kind actor from to note evidence }`

const (
	qCreate     = `mutation($in: CreateLeadInput!) { createLead(input: $in) { ` + leadFields + ` } }`
	qTransition = `mutation($id: ID!, $to: LeadState!, $note: String, $ev: [ID!], $v: Int, $consent: Boolean) {
  transitionLead(id: $id, to: $to, note: $note, evidence: $ev, expectVersion: $v, familyConsent: $consent) { ` + leadFields + ` } }`
	qLead      = `query($id: ID!) { lead(id: $id) { ` + leadFields + ` } }`
	qRelatives = `query { martyr(id: "m-gao") { relatives { person { id } relation line status citations { recordId confidence } } } }`
)

func (e *env) move(t *testing.T, user, id, to string, extra map[string]any) leadOut {
	t.Helper()
	vars := map[string]any{"id": id, "to": to}
	for k, v := range extra {
		vars[k] = v
	}
	var l leadOut
	e.ok(t, user, qTransition, vars, "transitionLead", &l)
	if l.State != to {
		t.Fatalf("after move to %s the lead is %s", to, l.State)
	}
	return l
}

func (e *env) lead(t *testing.T, id string) leadOut {
	t.Helper()
	var l leadOut
	e.ok(t, "赵经办", qLead, map[string]any{"id": id}, "lead", &l)
	return l
}

func TestLeadWorkflow(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t))
			ctx := t.Context()
			in := map[string]any{"in": map[string]any{
				"martyrId": "m-gao", "source": "CLAIM", "summary": "高家说其叔父1950年参军未归",
				"candidates": []any{map[string]any{"personId": "p-gao-1"}, map[string]any{"personId": "p-gao-2", "relation": "NEPHEW", "line": "PATERNAL"}},
			}}

			// Roles that may not open a lead write nothing.
			e.refused(t, "", qCreate, in, graph.CodeUnauthenticated)
			e.refused(t, "孙记者", qCreate, in, graph.CodeForbidden)
			e.refused(t, "周策展", qCreate, in, graph.CodeForbidden)
			if p, err := e.s.ListLeads(ctx, store.LeadFilter{}, store.PageReq{}); err != nil || p.Total != 0 {
				t.Fatalf("refused creates wrote %d leads, %v", p.Total, err)
			}
			if rel, _ := e.s.Relatives(ctx, []string{"m-gao"}); len(rel["m-gao"]) != 1 {
				t.Fatalf("refused creates wrote kinships: %+v", rel)
			}

			var l leadOut
			e.ok(t, "王志愿", qCreate, in, "createLead", &l)
			if l.State != "NEW" || l.Version != 1 || l.Assignee == nil || *l.Assignee != "王志愿" || len(l.People) != 2 {
				t.Fatalf("created lead %+v", l)
			}
			id := l.ID
			// The claimed kinship of the second candidate was recorded.
			if rel, _ := e.s.Relatives(ctx, []string{"m-gao"}); len(rel["m-gao"]) != 2 {
				t.Fatalf("claimed kinship not recorded: %+v", rel)
			}

			e.move(t, "赵经办", id, "TRIAGED", map[string]any{"note": "初筛：籍贯相符"})
			// Only the assigned volunteer works the lead.
			e.refused(t, "李志愿", qTransition, map[string]any{"id": id, "to": "INVESTIGATING"}, graph.CodeForbidden)
			e.move(t, "王志愿", id, "INVESTIGATING", nil)
			// A volunteer may not give verdicts.
			e.refused(t, "王志愿", qTransition, map[string]any{"id": id, "to": "REJECTED"}, graph.CodeForbidden)
			// A move the workflow lacks.
			e.refused(t, "赵经办", qTransition, map[string]any{"id": id, "to": "CONFIRMED"}, graph.CodeInvalidTransition)
			e.move(t, "王志愿", id, "CANDIDATE_FAMILY", map[string]any{"note": "族谱记载", "ev": []string{"r-zupu"}})
			// Evidence that does not exist.
			e.refused(t, "赵经办", qTransition, map[string]any{"id": id, "to": "DOC_VERIFIED", "ev": []string{"r-none"}}, graph.CodeBadUserInput)
			e.move(t, "赵经办", id, "DOC_VERIFIED", map[string]any{"ev": []string{"r-zupu"}})
			e.move(t, "赵经办", id, "DNA_REQUESTED", nil)
			l = e.move(t, "赵经办", id, "DNA_MATCH", map[string]any{"ev": []string{"r-dna"}})
			// A stale version.
			e.refused(t, "钱经办", qTransition, map[string]any{"id": id, "to": "CONFIRMED", "v": l.Version - 1}, graph.CodeConflict)

			before := e.lead(t, id)
			e.move(t, "钱经办", id, "CONFIRMED", map[string]any{"note": "复核通过", "ev": []string{"r-dna", "r-zupu"}, "v": before.Version})
			// Kinships of the lead's people are confirmed with the citations.
			var m struct {
				Relatives []struct {
					Person    struct{ ID string }
					Relation  string
					Line      *string
					Status    string
					Citations []struct {
						RecordID   string `json:"recordId"`
						Confidence int
					}
				}
			}
			e.ok(t, "赵经办", qRelatives, nil, "martyr", &m)
			if len(m.Relatives) != 2 {
				t.Fatalf("relatives %+v", m.Relatives)
			}
			// Confirmed but not announced: a living family is not named
			// to the public or the press.
			for _, user := range []string{"", "孙记者"} {
				var pub struct {
					Relatives []struct{ Person struct{ ID string } }
				}
				e.ok(t, user, qRelatives, nil, "martyr", &pub)
				if len(pub.Relatives) != 0 {
					t.Errorf("%q sees the family before the announcement: %+v", user, pub.Relatives)
				}
			}
			for _, r := range m.Relatives {
				var cited []string
				for _, c := range r.Citations {
					cited = append(cited, c.RecordID)
				}
				slices.Sort(cited)
				if r.Status != "CONFIRMED" || !slices.Equal(cited, []string{"r-dna", "r-zupu"}) {
					t.Errorf("relative %s: status %s, citations %v; want CONFIRMED citing r-dna, r-zupu", r.Person.ID, r.Status, cited)
				}
			}

			e.refused(t, "钱经办", qTransition, map[string]any{"id": id, "to": "ANNOUNCED"}, graph.CodeInvalidTransition)
			l = e.move(t, "钱经办", id, "ANNOUNCED", map[string]any{"consent": true, "note": "家属同意公开"})
			if !slices.Equal(l.Next, []string{"REOPENED"}) {
				t.Errorf("next after ANNOUNCED = %v", l.Next)
			}
			// Announced with the family's consent: now the public sees who
			// they are (never their personal data).
			var pub struct {
				Relatives []struct{ Person struct{ ID string } }
			}
			e.ok(t, "", qRelatives, nil, "martyr", &pub)
			if len(pub.Relatives) != 2 {
				t.Errorf("after the announcement the public sees %+v, want the 2 confirmed relatives", pub.Relatives)
			}
			// The trail has every move, who made it and what it cited.
			want := []string{"create:NEW:王志愿", "transition:TRIAGED:赵经办", "transition:INVESTIGATING:王志愿",
				"transition:CANDIDATE_FAMILY:王志愿", "transition:DOC_VERIFIED:赵经办", "transition:DNA_REQUESTED:赵经办",
				"transition:DNA_MATCH:赵经办", "transition:CONFIRMED:钱经办", "transition:ANNOUNCED:钱经办"}
			var got []string
			for i, ev := range l.Events {
				if ev.Seq != i+1 {
					t.Errorf("event %d has seq %d", i, ev.Seq)
				}
				got = append(got, ev.Kind+":"+deref(ev.To)+":"+ev.Actor)
			}
			if !slices.Equal(got, want) {
				t.Errorf("trail\n got %v\nwant %v", got, want)
			}
			if last := l.Events[len(l.Events)-1]; last.Note == nil || !strings.Contains(*last.Note, "family consents") {
				t.Errorf("announcement does not record consent: %+v", last)
			}
			if conf := l.Events[7]; !slices.Equal(conf.Evidence, []string{"r-dna", "r-zupu"}) {
				t.Errorf("confirmation evidence %v", conf.Evidence)
			}
			// Every move is in the audit log too.
			audit, err := e.s.(auth.AuditLog).Audit(ctx, store.AuditFilter{Action: auth.ActionLeadTransition, Subject: id})
			if err != nil || len(audit) != 8 {
				t.Errorf("audit log has %d transitions of the lead, %v; want 8", len(audit), err)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestConfirmBySamePersonRefused(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t))
			var l leadOut
			e.ok(t, "赵经办", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao",
				"candidates": []any{map[string]any{"personId": "p-gao-1"}}}}, "createLead", &l)
			for _, to := range []string{"TRIAGED", "INVESTIGATING", "CANDIDATE_FAMILY", "DOC_VERIFIED"} {
				l = e.move(t, "赵经办", l.ID, to, nil)
			}
			e.refused(t, "赵经办", qTransition, map[string]any{"id": l.ID, "to": "CONFIRMED", "ev": []string{"r-zupu"}}, graph.CodeForbidden)
			e.refused(t, "王志愿", qTransition, map[string]any{"id": l.ID, "to": "CONFIRMED"}, graph.CodeForbidden)
			e.refused(t, "孙记者", qTransition, map[string]any{"id": l.ID, "to": "CONFIRMED"}, graph.CodeForbidden)
			// Nothing was written: same version, kinship still claimed.
			after := e.lead(t, l.ID)
			if after.Version != l.Version || after.State != "DOC_VERIFIED" || len(after.Events) != len(l.Events) {
				t.Errorf("refused confirmation changed the lead: %+v", after)
			}
			rel, _ := e.s.Relatives(t.Context(), []string{"m-gao"})
			if k := rel["m-gao"][0].Kinship; k.Status != store.KinClaimed || len(k.Citations) != 0 {
				t.Errorf("refused confirmation touched the kinship: %+v", k)
			}
			// A second caseworker may confirm (documents suffice here).
			e.move(t, "钱经办", l.ID, "CONFIRMED", map[string]any{"ev": []string{"r-zupu"}})
		})
	}
}

func TestTokensAreChecked(t *testing.T) {
	e := newEnv(t, backends()[0].open(t))
	revoked, tok, err := auth.Issue(t.Context(), e.s.(auth.TokenStore), "旧令牌", auth.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.(auth.TokenStore).RevokeToken(t.Context(), tok.ID); err != nil {
		t.Fatal(err)
	}
	forged := "gg_" + strings.Repeat("A", 43)
	for _, c := range []struct{ name, header string }{
		{"forged", "Bearer " + forged},
		{"revoked", "Bearer " + revoked},
		{"malformed", "Bearer not-a-token"},
		{"wrong scheme", "Basic " + e.tokens["赵经办"]},
		{"empty bearer", "Bearer "},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ martyr(id: \"m-gao\") { id } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", c.header)
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			var r gqlResp
			_ = json.Unmarshal(rec.Body.Bytes(), &r)
			if rec.Code != http.StatusUnauthorized || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodeUnauthenticated || r.Data != nil {
				t.Errorf("status %d, body %s; want 401 UNAUTHENTICATED and no data", rec.Code, rec.Body.String())
			}
		})
	}
	// Without a token the public reads public facts.
	var m struct{ ID string }
	e.ok(t, "", `{ martyr(id: "m-gao") { id } }`, nil, "martyr", &m)
	if m.ID != "m-gao" {
		t.Errorf("public read: %+v", m)
	}
	// Leads are not public.
	e.refused(t, "", `{ leads { totalCount } }`, nil, graph.CodeUnauthenticated)
	e.refused(t, "孙记者", `{ leads { totalCount } }`, nil, graph.CodeForbidden)
}

func TestPersonalDataPolicy(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t))
			ctx := t.Context()
			var l leadOut
			e.ok(t, "王志愿", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao",
				"candidates": []any{map[string]any{"personId": "p-gao-1"}}}}, "createLead", &l)

			const q = `{ person(id: "p-gao-1") { id name personal { phone address idNumber dnaResults { outcome } } } }`
			for _, user := range []string{"赵经办", "王志愿"} {
				var p struct {
					Name     string
					Personal *struct{ Phone, Address, IDNumber string }
				}
				e.ok(t, user, q, nil, "person", &p)
				if p.Personal == nil || p.Personal.Phone != "13800000001" || p.Personal.IDNumber != "370281195001010011" {
					t.Errorf("%s sees personal %+v, want it", user, p.Personal)
				}
			}
			// A volunteer not on the lead sees the person, not the data.
			for _, c := range []struct{ user, code string }{
				{"李志愿", graph.CodeForbidden},
			} {
				r := e.do(t, c.user, q, nil)
				var p struct {
					Name     string
					Personal *json.RawMessage
				}
				_ = json.Unmarshal(r.Data["person"], &p)
				if p.Name != "高长顺" || p.Personal != nil {
					t.Errorf("%q: person %s; want the name and personal null", c.user, r.Data["person"])
				}
				if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code || !slices.Equal(r.Errors[0].Path, []any{"person", "personal"}) {
					t.Errorf("%q: errors %+v; want one %s at person.personal", c.user, r.Errors, c.code)
				}
				if strings.Contains(string(r.Data["person"]), "138") {
					t.Errorf("%q: personal data leaked: %s", c.user, r.Data["person"])
				}
			}
			// Through a martyr's relatives the same rule holds.
			r := e.do(t, "李志愿", `{ martyr(id: "m-gao") { relatives { person { name personal { phone } } } } }`, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodeForbidden || strings.Contains(string(r.Data["martyr"]), "138") {
				t.Errorf("other volunteer via relatives: %s %+v", r.Data["martyr"], r.Errors)
			}
			// Outside tracing work a living person whose family has not
			// consented to an announcement is not there at all: not by id,
			// not by node(id), not among a martyr's relatives (the claim is
			// unconfirmed) — and so never near the personal data.
			for _, user := range []string{"孙记者", "周策展", ""} {
				for _, q := range []string{q, `{ node(id: "p-gao-1") { id ... on Person { name } } }`,
					`{ martyr(id: "m-gao") { relatives { person { name personal { phone } } } } }`} {
					r := e.do(t, user, q, nil)
					body, _ := json.Marshal(r.Data)
					if len(r.Errors) != 0 || strings.Contains(string(body), "高长顺") || strings.Contains(string(body), "138") {
						t.Errorf("%q sees the living relative: %s %+v", user, body, r.Errors)
					}
				}
			}

			al := e.s.(auth.AuditLog)
			reads, err := al.Audit(ctx, store.AuditFilter{Action: auth.ActionReadPersonal, Subject: "p-gao-1"})
			if err != nil {
				t.Fatal(err)
			}
			var who []string
			for _, a := range reads {
				who = append(who, a.Actor)
			}
			if !slices.Equal(who, []string{"赵经办", "王志愿"}) {
				t.Errorf("audited reads by %v, want 赵经办, 王志愿", who)
			}
			if reads[1].Role != "volunteer" || !slices.Contains(reads[1].Subject, l.ID) {
				t.Errorf("volunteer read audited as %+v; want the granting lead %s", reads[1], l.ID)
			}
			denied, _ := al.Audit(ctx, store.AuditFilter{Action: auth.ActionDeniedPersonal, Subject: "p-gao-1"})
			if len(denied) != 2 {
				t.Errorf("%d refused reads audited, want 2 (the other volunteer, twice)", len(denied))
			}
		})
	}
}

func TestLeadEventsSubscription(t *testing.T) {
	e := newEnv(t, backends()[0].open(t))
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	var l leadOut
	e.ok(t, "王志愿", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao"}}, "createLead", &l)

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	dial := func(user string) *websocket.Conn {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Subprotocol() != "graphql-transport-ws" {
			t.Fatalf("subprotocol %q", c.Subprotocol())
		}
		init := map[string]any{"type": "connection_init"}
		if user != "" {
			init["payload"] = map[string]any{"Authorization": "Bearer " + e.tokens[user]}
		}
		send(t, ctx, c, init)
		if m := recv(t, ctx, c); m.Type != "connection_ack" {
			t.Fatalf("want connection_ack, got %+v", m)
		}
		return c
	}
	c := dial("赵经办")
	defer c.CloseNow()
	send(t, ctx, c, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($id: ID) { leadEvents(leadId: $id) { lead { id state version } event { kind from to actor } } }`,
		"variables": map[string]any{"id": l.ID},
	}})
	// The subscription is live once the broker knows it.
	for e.cases.Work.Broker.Subscribers() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("subscription never registered")
		case <-time.After(10 * time.Millisecond):
		}
	}
	e.move(t, "赵经办", l.ID, "TRIAGED", nil)
	e.move(t, "王志愿", l.ID, "INVESTIGATING", nil)
	for _, want := range []string{"NEW→TRIAGED by 赵经办", "TRIAGED→INVESTIGATING by 王志愿"} {
		m := recv(t, ctx, c)
		if m.Type != "next" || m.ID != "1" {
			t.Fatalf("want next for 1, got %+v", m)
		}
		var p struct {
			Data struct {
				LeadEvents struct {
					Lead  struct{ ID, State string }
					Event struct{ Kind, From, To, Actor string }
				}
			}
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		ev := p.Data.LeadEvents.Event
		if got := ev.From + "→" + ev.To + " by " + ev.Actor; got != want || p.Data.LeadEvents.Lead.ID != l.ID {
			t.Errorf("event %q on %s, want %q", got, p.Data.LeadEvents.Lead.ID, want)
		}
	}
	send(t, ctx, c, map[string]any{"id": "1", "type": "complete"})
	// Completing ends the subscription: nothing stays behind.
	for e.cases.Work.Broker.Subscribers() != 0 {
		select {
		case <-ctx.Done():
			t.Fatal("subscription not released after complete")
		case <-time.After(10 * time.Millisecond):
		}
	}

	// A forged token in connection_init closes the connection.
	f, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.CloseNow()
	send(t, ctx, f, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer gg_" + strings.Repeat("B", 43)}})
	if _, b, err := f.Read(ctx); err == nil && strings.Contains(string(b), "connection_ack") {
		t.Errorf("forged token acknowledged: %s", b)
	}

	// A journalist may not watch leads.
	j := dial("孙记者")
	defer j.CloseNow()
	send(t, ctx, j, map[string]any{"id": "2", "type": "subscribe", "payload": map[string]any{"query": `subscription { leadEvents { lead { id } } }`}})
	// gqlgen reports a resolver's refusal as a result with errors and no
	// data, then completes the operation.
	m := recv(t, ctx, j)
	var res struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	_ = json.Unmarshal(m.Payload, &res)
	if (m.Type != "next" && m.Type != "error") || len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != graph.CodeForbidden ||
		(len(res.Data) > 0 && string(res.Data) != "null") {
		t.Errorf("journalist subscription: %s %s", m.Type, m.Payload)
	}
	if m := recv(t, ctx, j); m.Type != "complete" {
		t.Errorf("after the refusal: %+v", m)
	}
}

type wsMsg struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

func send(t *testing.T, ctx context.Context, c *websocket.Conn, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
}

func recv(t *testing.T, ctx context.Context, c *websocket.Conn) wsMsg {
	t.Helper()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m wsMsg
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Type == "ping" || m.Type == "pong" {
			continue
		}
		return m
	}
}

func TestAssignAndListLeads(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t))
			var ids []string
			for range 3 {
				var l leadOut
				e.ok(t, "赵经办", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao", "source": "SEARCH"}}, "createLead", &l)
				ids = append(ids, l.ID)
			}
			slices.Sort(ids)
			const qAssign = `mutation($id: ID!, $who: String!, $v: Int) { assignLead(id: $id, assignee: $who, expectVersion: $v) { id assignee version } }`
			e.refused(t, "王志愿", qAssign, map[string]any{"id": ids[0], "who": "王志愿"}, graph.CodeForbidden)
			e.refused(t, "钱经办", qAssign, map[string]any{"id": ids[0], "who": "李志愿", "v": 7}, graph.CodeConflict)
			e.refused(t, "钱经办", qAssign, map[string]any{"id": "lead-none", "who": "李志愿"}, graph.CodeNotFound)
			var a struct {
				Assignee string
				Version  int
			}
			e.ok(t, "钱经办", qAssign, map[string]any{"id": ids[0], "who": "李志愿", "v": 1}, "assignLead", &a)
			if a.Assignee != "李志愿" || a.Version != 2 {
				t.Fatalf("assigned %+v", a)
			}
			// The assignee now works it; the unassigned volunteer still may not.
			e.move(t, "赵经办", ids[0], "TRIAGED", nil)
			e.refused(t, "王志愿", qTransition, map[string]any{"id": ids[0], "to": "INVESTIGATING"}, graph.CodeForbidden)
			e.move(t, "李志愿", ids[0], "INVESTIGATING", nil)

			type conn struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct {
					Cursor string
					Node   struct{ ID, State string }
				}
			}
			const qList = `query($f: LeadFilter, $first: Int, $after: String) { leads(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id state } } } }`
			var p1, p2 conn
			e.ok(t, "王志愿", qList, map[string]any{"first": 2}, "leads", &p1)
			if p1.TotalCount != 3 || !p1.PageInfo.HasNextPage || len(p1.Edges) != 2 || p1.Edges[0].Node.ID != ids[0] {
				t.Fatalf("first page %+v", p1)
			}
			e.ok(t, "王志愿", qList, map[string]any{"first": 2, "after": *p1.PageInfo.EndCursor}, "leads", &p2)
			if p2.TotalCount != 3 || p2.PageInfo.HasNextPage || len(p2.Edges) != 1 || p2.Edges[0].Node.ID != ids[2] {
				t.Fatalf("second page %+v", p2)
			}
			var f conn
			e.ok(t, "李志愿", qList, map[string]any{"f": map[string]any{"states": []string{"INVESTIGATING"}, "assignee": "李志愿"}}, "leads", &f)
			if f.TotalCount != 1 || f.Edges[0].Node.ID != ids[0] {
				t.Errorf("filtered %+v", f)
			}
			e.refused(t, "王志愿", qList, map[string]any{"first": 1000}, graph.CodeBadUserInput)
		})
	}
}

// indexSearch serves a real search index to the handler.
type indexSearch struct{ ix *search.Index }

func (s indexSearch) SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error) {
	return s.ix.Search(ctx, q)
}

func (s indexSearch) SearchPlaces(context.Context, string, int) ([]search.Resolution, error) {
	return nil, nil
}

func TestSuggestMartyrs(t *testing.T) {
	s := backends()[0].open(t)
	ms := []store.Martyr{
		{ID: "m-gao", Name: "高喜娃", HometownText: "山东胶县", UnitText: "27军79师", DeathPlace: "长津湖"},
		{ID: "m-gao-2", Name: "高善娃", HometownText: "山东胶县", DeathPlace: "上甘岭"},
	}
	ix, err := search.Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(t.Context(), ms); err != nil {
		t.Fatal(err)
	}
	fixture := caseFixture()
	fixture.Martyrs = ms
	if err := s.Apply(t.Context(), fixture); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(&logSink{}, nil))
	e := &env{s: s, h: graph.NewHandler(s, log, graph.WithSearch(indexSearch{ix})), tokens: map[string]string{}}
	for name, role := range map[string]auth.Role{"王志愿": auth.Volunteer, "孙记者": auth.Journalist} {
		secret, _, err := auth.Issue(t.Context(), s.(auth.TokenStore), name, role)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = secret
	}
	const q = `query($c: FamilyClaimInput!) { suggestMartyrs(claim: $c) { score martyr { id } reasons { kind detail } } }`
	claim := map[string]any{"c": map[string]any{"name": "高善娃", "hometown": "胶县", "memories": "听说在长津湖牺牲"}}
	e.refused(t, "孙记者", q, claim, graph.CodeForbidden)
	e.refused(t, "", q, claim, graph.CodeUnauthenticated)
	var got []struct {
		Score   float64
		Martyr  struct{ ID string }
		Reasons []struct{ Kind, Detail string }
	}
	e.ok(t, "王志愿", q, claim, "suggestMartyrs", &got)
	if len(got) != 2 || got[0].Score < got[1].Score {
		t.Fatalf("suggestions %+v; want both, best first", got)
	}
	i := slices.IndexFunc(got, func(x struct {
		Score   float64
		Martyr  struct{ ID string }
		Reasons []struct{ Kind, Detail string }
	}) bool {
		return x.Martyr.ID == "m-gao"
	})
	var kinds []string
	for _, r := range got[i].Reasons {
		kinds = append(kinds, r.Kind)
	}
	if !slices.Contains(kinds, "memory") || !slices.Contains(kinds, "shape") {
		t.Errorf("reasons of m-gao %v; want memory (长津湖) and shape (喜/善)", kinds)
	}
	e.refused(t, "王志愿", q, map[string]any{"c": map[string]any{"name": ""}}, graph.CodeBadUserInput)
}

// allowedMoves offers each role the moves it may make: the bureau every
// move of the workflow, the assigned volunteer the working moves, anyone
// else none.
func TestAllowedMoves(t *testing.T) {
	e := newEnv(t, backends()[0].open(t))
	var l leadOut
	e.ok(t, "赵经办", qCreate, map[string]any{"in": map[string]any{"martyrId": "m-gao", "assignee": "王志愿"}}, "createLead", &l)
	e.move(t, "赵经办", l.ID, "TRIAGED", nil)
	const q = `query($id: ID!) { lead(id: $id) { next allowedMoves } }`
	var all struct{ Next, AllowedMoves []string }
	e.ok(t, "赵经办", q, map[string]any{"id": l.ID}, "lead", &all)
	if len(all.Next) < 2 || !slices.Equal(all.AllowedMoves, all.Next) {
		t.Fatalf("caseworker: next %v, allowed %v; want all of next", all.Next, all.AllowedMoves)
	}
	for _, c := range []struct {
		user string
		want []string
	}{
		{"钱经办", all.Next},
		{"王志愿", []string{"INVESTIGATING"}}, // assigned: the working move from TRIAGED
		{"李志愿", nil},                       // not assigned
	} {
		var got struct{ AllowedMoves []string }
		e.ok(t, c.user, q, map[string]any{"id": l.ID}, "lead", &got)
		if !slices.Equal(got.AllowedMoves, c.want) && !(len(got.AllowedMoves) == 0 && len(c.want) == 0) {
			t.Errorf("%s: allowedMoves %v, want %v", c.user, got.AllowedMoves, c.want)
		}
	}
}

func TestViewer(t *testing.T) {
	e := newEnv(t, backends()[0].open(t))
	for _, c := range []struct{ user, name, role string }{
		{"", "", "public"}, {"赵经办", "赵经办", "caseworker"}, {"王志愿", "王志愿", "volunteer"}, {"周策展", "周策展", "curator"},
	} {
		var v struct {
			Name *string
			Role string
		}
		e.ok(t, c.user, `{ viewer { name role } }`, nil, "viewer", &v)
		if v.Role != c.role || (c.name == "" && v.Name != nil) || (c.name != "" && (v.Name == nil || *v.Name != c.name)) {
			t.Errorf("%q: viewer %+v, want %s %s", c.user, v, c.name, c.role)
		}
	}
}
