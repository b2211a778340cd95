package casework_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/casework"
	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/sqlite"
)

func TestWorkflowGraph(t *testing.T) {
	// Every state has a way out, and every state but NEW a way in.
	in := map[store.LeadState]bool{}
	for _, s := range store.LeadStates {
		next := casework.Next(s)
		if len(next) == 0 {
			t.Errorf("%s is a dead end", s)
		}
		for _, n := range next {
			in[n] = true
			if n == s {
				t.Errorf("%s loops to itself", s)
			}
		}
	}
	for _, s := range store.LeadStates {
		if s != store.LeadNew && !in[s] {
			t.Errorf("%s cannot be reached", s)
		}
	}
	for _, c := range []struct {
		from, to store.LeadState
		want     bool
	}{
		{store.LeadNew, store.LeadTriaged, true},
		{store.LeadDocVerified, store.LeadConfirmed, true}, // documents suffice without remains to identify
		{store.LeadDNAMatch, store.LeadConfirmed, true},
		{store.LeadDNAExcluded, store.LeadConfirmed, false},
		{store.LeadNew, store.LeadConfirmed, false},
		{store.LeadCandidateFamily, store.LeadAnnounced, false},
		{store.LeadConfirmed, store.LeadAnnounced, true},
		{store.LeadRejected, store.LeadTriaged, false}, // closed leads come back only through REOPENED
		{store.LeadRejected, store.LeadReopened, true},
		{store.LeadAnnounced, store.LeadNew, false},
	} {
		if got := casework.Allowed(c.from, c.to); got != c.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	// The main line runs from NEW to ANNOUNCED.
	line := []store.LeadState{store.LeadNew, store.LeadTriaged, store.LeadInvestigating, store.LeadCandidateFamily,
		store.LeadDocVerified, store.LeadDNARequested, store.LeadDNAMatch, store.LeadConfirmed, store.LeadAnnounced}
	for i := 1; i < len(line); i++ {
		if !casework.Allowed(line[i-1], line[i]) {
			t.Errorf("main line broken at %s→%s", line[i-1], line[i])
		}
	}
	err := error(&casework.TransitionError{From: store.LeadNew, To: store.LeadConfirmed, Reason: "x"})
	if !errors.Is(err, casework.ErrInvalidTransition) {
		t.Error("TransitionError does not match ErrInvalidTransition")
	}
}

func TestBrokerReleasesSubscribers(t *testing.T) {
	b := casework.NewBroker()
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(t.Context())
	all := b.Subscribe(ctx, "")
	one := b.Subscribe(ctx, "L1")
	// A subscriber nobody reads must not block publishers.
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			b.Publish(casework.Event{Lead: store.Lead{ID: fmt.Sprint("L", i%3)}})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a slow subscriber")
	}
	if b.Dropped() == 0 {
		t.Error("nothing dropped though nobody read")
	}
	if e := <-one; e.Lead.ID != "L1" {
		t.Errorf("subscriber of L1 got %s", e.Lead.ID)
	}
	if e := <-all; e.Lead.ID != "L0" {
		t.Errorf("first event to all = %s, want L0", e.Lead.ID)
	}
	cancel()
	for _, ch := range []<-chan casework.Event{all, one} {
		for range ch { // drains, then ends when the broker closes it
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for (b.Subscribers() != 0 || runtime.NumGoroutine() > base) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if b.Subscribers() != 0 || runtime.NumGoroutine() > base {
		t.Errorf("after cancel: %d subscribers, %d goroutines (was %d)", b.Subscribers(), runtime.NumGoroutine(), base)
	}
}

// indexSearcher adapts a search index to casework.Searcher.
type indexSearcher struct{ ix *search.Index }

func (s indexSearcher) SearchMartyrs(ctx context.Context, q search.Query) ([]search.Hit, error) {
	return s.ix.Search(ctx, q)
}

func TestSuggestMartyrs(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	ms := []store.Martyr{
		{ID: "m-1", Name: "高善娃", HometownText: "山东省胶县大店村", Born: store.Date{Year: 1925}, DeathPlace: "朝鲜上甘岭"},
		{ID: "m-2", Name: "高善娃", HometownText: "山东省胶县大店村", Born: store.Date{Year: 1925}, DeathPlace: "朝鲜长津湖"},
		{ID: "m-3", Name: "李明", HometownText: "河北省"},
	}
	if err := st.Apply(ctx, &store.Batch{Martyrs: ms}); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(ctx, ms); err != nil {
		t.Fatal(err)
	}
	svc := &casework.Service{Store: st, Search: indexSearcher{ix}}
	claim := casework.Claim{Name: "高喜娃", Hometown: "胶县", BirthYear: 1925, Memories: "奶奶说他在长津湖冻伤牺牲，来过一封信"}

	if _, err := svc.SuggestMartyrs(auth.WithUser(ctx, auth.User{Name: "j", Role: auth.Journalist}), claim); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("journalist: %v, want forbidden", err)
	}
	vctx := auth.WithUser(ctx, auth.User{Name: "v", Role: auth.Volunteer})
	got, err := svc.SuggestMartyrs(vctx, claim)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 || got[0].Martyr.ID != "m-2" || got[1].Martyr.ID != "m-1" {
		t.Fatalf("ranking %v, want m-2 (remembered 长津湖) before m-1", ids(got))
	}
	if !slices.ContainsFunc(got[0].Reasons, func(r search.Reason) bool { return r.Kind == casework.ReasonMemory }) ||
		!slices.ContainsFunc(got[0].Reasons, func(r search.Reason) bool { return r.Kind == search.ReasonShape }) {
		t.Errorf("reasons of the best %v; want the memory and the 喜/善 shape", got[0].Reasons)
	}
	if slices.ContainsFunc(got[1].Reasons, func(r search.Reason) bool { return r.Kind == casework.ReasonMemory }) {
		t.Errorf("m-1 credited with a memory: %v", got[1].Reasons)
	}
	if _, err := svc.SuggestMartyrs(vctx, casework.Claim{Name: " "}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty name: %v", err)
	}
	if _, err := (&casework.Service{Store: st}).SuggestMartyrs(vctx, claim); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("without search: %v", err)
	}
}

func ids(s []casework.Suggestion) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.Martyr.ID
	}
	return out
}
