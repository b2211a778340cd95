package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

// authStore is what a backend offers the auth package: tokens kept as
// hashes and the append-only audit log. Every backend implements it.
type authStore interface {
	CreateToken(ctx context.Context, t store.Token) (store.Token, error)
	TokenByHash(ctx context.Context, hash string) (store.Token, error)
	RevokeToken(ctx context.Context, id string) (store.Token, error)
	ListTokens(ctx context.Context) ([]store.Token, error)
	AppendAudit(ctx context.Context, entries ...store.AuditEntry) ([]store.AuditEntry, error)
	Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error)
}

func authCases() []testCase {
	return []testCase{
		{"Tokens", testTokens},
		{"TokenErrors", testTokenErrors},
		{"AuditAppendOnly", testAudit},
		{"AuditConcurrent", testAuditConcurrent},
	}
}

func authOf(t *testing.T, s suite) authStore {
	t.Helper()
	st := s.fresh(t)
	as, ok := st.(authStore)
	if !ok {
		t.Fatalf("%s backend does not store tokens and the audit log", st.Backend())
	}
	return as
}

func testTokens(t *testing.T, s suite) {
	st := authOf(t, s)
	ctx := t.Context()
	created := time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.UTC)
	want := []store.Token{
		{ID: "tok-b", Name: "李记者", Role: "journalist", Hash: "hash-b", Created: created},
		{ID: "tok-a", Name: "王志愿者", Role: "volunteer", Hash: "hash-a",
			Expires: time.Date(2027, 6, 30, 16, 0, 0, 0, time.UTC)},
	}
	for i, tk := range want {
		got, err := st.CreateToken(ctx, tk)
		if err != nil {
			t.Fatalf("CreateToken(%s): %v", tk.ID, err)
		}
		if got.Created.IsZero() {
			t.Errorf("CreateToken(%s): Created not set", tk.ID)
		}
		want[i].Created = msTime(got.Created)
	}
	if !msTime(want[0].Created).Equal(msTime(created)) {
		t.Errorf("Created = %v, want the given %v", want[0].Created, created)
	}
	got, err := st.TokenByHash(ctx, "hash-a")
	if err != nil {
		t.Fatalf("TokenByHash: %v", err)
	}
	got.Created = msTime(got.Created)
	same(t, "token by hash", got, want[1])
	_, err = st.TokenByHash(ctx, "nope")
	wantErr(t, "TokenByHash(unknown)", err, store.ErrNotFound)

	list, err := st.ListTokens(ctx)
	if err != nil {
		t.Fatalf("ListTokens: %v", err)
	}
	ids := make([]string, len(list))
	for i, tk := range list {
		ids[i] = tk.ID
	}
	sameIDs(t, "ListTokens ids", ids, []string{"tok-a", "tok-b"})

	rev, err := st.RevokeToken(ctx, "tok-a")
	if err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if rev.Revoked.IsZero() {
		t.Fatal("RevokeToken: Revoked not set")
	}
	again, err := st.RevokeToken(ctx, "tok-a")
	if err != nil || !msTime(again.Revoked).Equal(msTime(rev.Revoked)) {
		t.Errorf("revoking twice = %v, %v; want the first time %v kept", again.Revoked, err, rev.Revoked)
	}
	got, err = st.TokenByHash(ctx, "hash-a")
	if err != nil || got.Revoked.IsZero() {
		t.Errorf("TokenByHash after revoke = %+v, %v; want it revoked", got, err)
	}
	if got, _ := st.TokenByHash(ctx, "hash-b"); !got.Revoked.IsZero() {
		t.Error("revoking tok-a revoked tok-b")
	}
	_, err = st.RevokeToken(ctx, "missing")
	wantErr(t, "RevokeToken(missing)", err, store.ErrNotFound)
}

func testTokenErrors(t *testing.T, s suite) {
	st := authOf(t, s)
	ctx := t.Context()
	if _, err := st.CreateToken(ctx, store.Token{ID: "t1", Role: "admin", Hash: "h1"}); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	for _, c := range []struct {
		name string
		tok  store.Token
		want error
	}{
		{"same id", store.Token{ID: "t1", Role: "admin", Hash: "h2"}, store.ErrConflict},
		{"same hash", store.Token{ID: "t2", Role: "admin", Hash: "h1"}, store.ErrConflict},
		{"no id", store.Token{Role: "admin", Hash: "h3"}, store.ErrInvalid},
		{"no hash", store.Token{ID: "t3", Role: "admin"}, store.ErrInvalid},
		{"no role", store.Token{ID: "t4", Hash: "h4"}, store.ErrInvalid},
	} {
		_, err := st.CreateToken(ctx, c.tok)
		wantErr(t, "CreateToken "+c.name, err, c.want)
	}
	list, err := st.ListTokens(ctx)
	if err != nil || len(list) != 1 {
		t.Errorf("after refused creates: %d tokens, %v; want 1", len(list), err)
	}
}

func testAudit(t *testing.T, s suite) {
	st := authOf(t, s)
	ctx := t.Context()
	at := time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC)
	in := []store.AuditEntry{
		{Actor: "tok-a", Role: "caseworker", At: at, Action: "read_personal", Subject: []string{"p1", "L1"}, Detail: "phone"},
		{Actor: "tok-b", Role: "volunteer", Action: "lead_transition", Subject: []string{"L1"}, Detail: "NEW→TRIAGED"},
	}
	got, err := st.AppendAudit(ctx, in...)
	if err != nil {
		t.Fatalf("AppendAudit: %v", err)
	}
	if len(got) != 2 || got[0].Seq <= 0 || got[1].Seq <= got[0].Seq {
		t.Fatalf("AppendAudit seqs = %+v, want increasing positive", got)
	}
	if got[1].At.IsZero() || !msTime(got[0].At).Equal(at) {
		t.Errorf("At = %v, %v; want %v and now", got[0].At, got[1].At, at)
	}
	more, err := st.AppendAudit(ctx, store.AuditEntry{Actor: "tok-a", Role: "caseworker", Action: "read_personal", Subject: []string{"p2"}})
	if err != nil || len(more) != 1 || more[0].Seq <= got[1].Seq {
		t.Fatalf("second AppendAudit = %+v, %v", more, err)
	}
	_, err = st.AppendAudit(ctx, store.AuditEntry{Actor: "x"})
	wantErr(t, "AppendAudit without action", err, store.ErrInvalid)

	all, err := st.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	norm := func(es []store.AuditEntry) []store.AuditEntry {
		out := slices.Clone(es)
		for i := range out {
			out[i].At = msTime(out[i].At)
			slices.Sort(out[i].Subject)
		}
		return out
	}
	same(t, "whole audit log", norm(all), norm(append(slices.Clone(got), more...)))

	seqs := func(es []store.AuditEntry) []string {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = fmt.Sprint(e.Seq)
		}
		return out
	}
	s0, s1, s2 := fmt.Sprint(got[0].Seq), fmt.Sprint(got[1].Seq), fmt.Sprint(more[0].Seq)
	for _, c := range []struct {
		name string
		f    store.AuditFilter
		want []string
	}{
		{"by actor", store.AuditFilter{Actor: "tok-a"}, []string{s0, s2}},
		{"by action", store.AuditFilter{Action: "lead_transition"}, []string{s1}},
		{"by subject", store.AuditFilter{Subject: "L1"}, []string{s0, s1}},
		{"after", store.AuditFilter{After: got[0].Seq}, []string{s1, s2}},
		{"limit", store.AuditFilter{Limit: 1}, []string{s0}},
		{"nothing", store.AuditFilter{Subject: "zz"}, nil},
	} {
		es, err := st.Audit(ctx, c.f)
		if err != nil {
			t.Errorf("Audit %s: %v", c.name, err)
			continue
		}
		sameIDs(t, "Audit "+c.name, seqs(es), c.want)
	}
}

func testAuditConcurrent(t *testing.T, s suite) {
	s.needs(t, WithoutConcurrency)
	st := authOf(t, s)
	ctx := t.Context()
	const writers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := st.AppendAudit(ctx, store.AuditEntry{Actor: fmt.Sprint("w", w), Action: "read_personal", Detail: fmt.Sprint(i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent AppendAudit: %v", err)
	}
	all, err := st.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, e := range all {
		if seen[e.Seq] {
			t.Errorf("seq %d given twice", e.Seq)
		}
		seen[e.Seq] = true
	}
	if len(all) != writers*each {
		t.Errorf("%d entries, want %d", len(all), writers*each)
	}
}
