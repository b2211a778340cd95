package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/guigen/guigen/store"
)

func leadCases() []testCase {
	return []testCase{
		{"Create", testLeadCreate},
		{"Advance", testLeadAdvance},
		{"Conflicts", testLeadConflicts},
		{"Effects", testLeadEffects},
		{"InvalidEffects", testLeadInvalidEffects},
		{"List", testListLeads},
	}
}

func newLead(id, martyr string) store.Lead {
	return store.Lead{ID: id, MartyrID: martyr, Source: "manual", Summary: "族谱与英名录吻合", CreatedBy: "vol-1"}
}

func mustCreate(t *testing.T, st store.Store, l store.Lead) store.Lead {
	t.Helper()
	got, err := st.CreateLead(t.Context(), l)
	if err != nil {
		t.Fatalf("CreateLead(%s): %v", l.ID, err)
	}
	return got
}

func mustAdvance(t *testing.T, st store.Store, u store.LeadUpdate) store.Lead {
	t.Helper()
	got, err := st.AdvanceLead(t.Context(), u)
	if err != nil {
		t.Fatalf("AdvanceLead(%s, %s): %v", u.LeadID, u.Event.Kind, err)
	}
	return got
}

func events(t *testing.T, st store.Store, id string) []store.LeadEvent {
	t.Helper()
	evs, err := st.LeadEvents(t.Context(), id)
	if err != nil {
		t.Fatalf("LeadEvents(%s): %v", id, err)
	}
	return evs
}

func testLeadCreate(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	seq := lastSeq(t, st)
	before := time.Now().Add(-time.Minute)

	in := newLead("lead-1", MartyrWangDeming)
	in.PersonIDs = []string{PersonWangJianguo}
	in.AssigneeID = "vol-2"
	// The store decides state and version of a new lead.
	in.State, in.Version = store.LeadConfirmed, 9
	l := mustCreate(t, st, in)
	if l.State != store.LeadNew || l.Version != 1 {
		t.Errorf("created lead: State %s Version %d, want NEW 1", l.State, l.Version)
	}
	if l.CreatedAt.Before(before) || l.UpdatedAt.IsZero() {
		t.Errorf("created lead: CreatedAt %v UpdatedAt %v, want about now", l.CreatedAt, l.UpdatedAt)
	}
	want := in
	want.State, want.Version, want.CreatedAt, want.UpdatedAt = store.LeadNew, 1, l.CreatedAt, l.UpdatedAt
	same(t, "created lead", normLead(l), normLead(want))
	got, err := store.GetLead(ctx, st, "lead-1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "stored lead", normLead(got), normLead(l))

	evs := events(t, st, "lead-1")
	if len(evs) != 1 || evs[0].Seq != 1 || evs[0].Kind != "create" || evs[0].LeadID != "lead-1" || evs[0].At.IsZero() {
		t.Errorf("events after create = %+v, want one create event with Seq 1", evs)
	}
	ch := allChanges(t, st, seq)
	if len(ch) != 1 || ch[0].Kind != store.KindLead || ch[0].ID != "lead-1" {
		t.Errorf("changes after create = %+v, want one lead entry", ch)
	}

	// The same id again conflicts and changes nothing.
	dup := newLead("lead-1", MartyrOuyangZhenhua)
	_, err = st.CreateLead(ctx, dup)
	wantErr(t, "CreateLead(duplicate id)", err, store.ErrConflict)
	again, _ := store.GetLead(ctx, st, "lead-1")
	same(t, "lead after a duplicate create", normLead(again), normLead(l))
	if n := len(events(t, st, "lead-1")); n != 1 {
		t.Errorf("a duplicate create added events: %d", n)
	}

	bad := []struct {
		name string
		l    store.Lead
		err  error
	}{
		{"MissingMartyr", newLead("lead-x", "m-nobody"), store.ErrInvalid},
		{"MissingPerson", store.Lead{ID: "lead-x", MartyrID: MartyrWangDeming, PersonIDs: []string{"p-nobody"}}, store.ErrInvalid},
		{"NoID", newLead("", MartyrWangDeming), store.ErrInvalid},
	}
	for _, c := range bad {
		_, err := st.CreateLead(ctx, c.l)
		wantErr(t, "CreateLead "+c.name, err, c.err)
	}
	if m, _ := st.GetLeads(ctx, []string{"lead-x"}); len(m) != 0 {
		t.Error("an invalid lead was created")
	}
}

func testLeadAdvance(t *testing.T, s suite) {
	st := s.fresh(t)
	mustApply(t, st, Fixture())
	created := mustCreate(t, st, newLead("lead-1", MartyrWangDeming))

	l := mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 1, Event: store.LeadEvent{
		Kind: "transition", Actor: "rev-1", From: store.LeadNew, To: store.LeadTriaged, Note: "线索可信"}})
	if l.State != store.LeadTriaged || l.Version != 2 {
		t.Errorf("after transition: State %s Version %d, want TRIAGED 2", l.State, l.Version)
	}
	if l.UpdatedAt.Before(created.UpdatedAt) {
		t.Errorf("UpdatedAt went back: %v then %v", created.UpdatedAt, l.UpdatedAt)
	}
	if !msTime(l.CreatedAt).Equal(msTime(created.CreatedAt)) {
		t.Errorf("CreatedAt changed from %v to %v", created.CreatedAt, l.CreatedAt)
	}
	l = mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 2, Event: store.LeadEvent{
		Kind: "assign", Actor: "coord-1", Assignee: "vol-2"}})
	if l.AssigneeID != "vol-2" || l.State != store.LeadTriaged || l.Version != 3 {
		t.Errorf("after assign: Assignee %q State %s Version %d, want vol-2 TRIAGED 3", l.AssigneeID, l.State, l.Version)
	}
	l = mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 3, Event: store.LeadEvent{
		Kind: "note", Actor: "vol-2", Note: "已联系村委会", Evidence: []string{RecordGenealogy, RecordRoll}}})
	if l.Version != 4 || l.State != store.LeadTriaged || l.AssigneeID != "vol-2" {
		t.Errorf("after note: Version %d State %s Assignee %q, want 4 TRIAGED vol-2", l.Version, l.State, l.AssigneeID)
	}
	got, err := store.GetLead(t.Context(), st, "lead-1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "stored lead", normLead(got), normLead(l))

	evs := events(t, st, "lead-1")
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4", len(evs))
	}
	want := []store.LeadEvent{
		{LeadID: "lead-1", Seq: 1, Kind: "create"},
		{LeadID: "lead-1", Seq: 2, Kind: "transition", Actor: "rev-1", From: store.LeadNew, To: store.LeadTriaged, Note: "线索可信"},
		{LeadID: "lead-1", Seq: 3, Kind: "assign", Actor: "coord-1", Assignee: "vol-2"},
		{LeadID: "lead-1", Seq: 4, Kind: "note", Actor: "vol-2", Note: "已联系村委会", Evidence: []string{RecordGenealogy, RecordRoll}},
	}
	for i, e := range evs {
		if e.At.IsZero() {
			t.Errorf("event %d has no time", e.Seq)
		}
		if i > 0 && e.At.Before(evs[i-1].At) {
			t.Errorf("event %d is older than event %d", e.Seq, evs[i-1].Seq)
		}
		if i == 0 {
			// What a create event records beyond its kind and seq is the
			// backend's business.
			if e.LeadID != want[0].LeadID || e.Seq != 1 || e.Kind != "create" {
				t.Errorf("event 1 = %+v, want the create event", e)
			}
			continue
		}
		e.At = time.Time{}
		same(t, fmt.Sprintf("event %d", i+1), e, want[i])
	}
}

func testLeadConflicts(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	mustCreate(t, st, newLead("lead-1", MartyrWangDeming))
	l := mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 1, Event: store.LeadEvent{
		Kind: "transition", Actor: "rev-1", From: store.LeadNew, To: store.LeadTriaged}})
	seq := lastSeq(t, st)
	kinBefore, _ := st.Relatives(ctx, []string{MartyrWangDeming})

	confirm := &store.Batch{Kinships: []store.Kinship{{PersonID: PersonWangJianguo, MartyrID: MartyrWangDeming,
		Relation: store.RelNephew, Line: store.LinePaternal, Status: store.KinConfirmed}}}
	cases := []struct {
		name string
		u    store.LeadUpdate
		err  error
	}{
		{"StaleVersion", store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 1, Effects: confirm, Event: store.LeadEvent{
			Kind: "transition", From: store.LeadTriaged, To: store.LeadInvestigating}}, store.ErrConflict},
		{"StaleVersionNote", store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 3, Event: store.LeadEvent{
			Kind: "note", Note: "迟到"}}, store.ErrConflict},
		{"WrongFrom", store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 2, Effects: confirm, Event: store.LeadEvent{
			Kind: "transition", From: store.LeadNew, To: store.LeadInvestigating}}, store.ErrConflict},
		{"UnknownLead", store.LeadUpdate{LeadID: "lead-none", ExpectVersion: 1, Event: store.LeadEvent{
			Kind: "note", Note: "无"}}, store.ErrNotFound},
		{"UnknownEventKind", store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 2, Event: store.LeadEvent{
			Kind: "teleport"}}, store.ErrInvalid},
		{"MissingEvidence", store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 2, Event: store.LeadEvent{
			Kind: "note", Evidence: []string{"rec-none"}}}, store.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.AdvanceLead(ctx, c.u)
			wantErr(t, "AdvanceLead", err, c.err)
			got, err := store.GetLead(ctx, st, "lead-1")
			if err != nil {
				t.Fatal(err)
			}
			same(t, "lead after a rejected update", normLead(got), normLead(l))
			if n := len(events(t, st, "lead-1")); n != 2 {
				t.Errorf("a rejected update left %d events, want 2", n)
			}
			if ch := allChanges(t, st, seq); len(ch) != 0 {
				t.Errorf("a rejected update logged changes: %v", ch)
			}
			kin, _ := st.Relatives(ctx, []string{MartyrWangDeming})
			same(t, "relatives after a rejected update",
				byKey(kin[MartyrWangDeming], func(r store.Relative) string { return r.Person.ID }),
				byKey(kinBefore[MartyrWangDeming], func(r store.Relative) string { return r.Person.ID }))
		})
	}
}

func testLeadEffects(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	l := mustCreate(t, st, store.Lead{ID: "lead-1", MartyrID: MartyrWangDeming, PersonIDs: []string{PersonWangJianguo}})
	seq := lastSeq(t, st)

	k := Fixture().Kinships[0] // 王建国 -> 王德明, claimed
	k.Status = store.KinConfirmed
	l = mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: l.Version,
		Event:   store.LeadEvent{Kind: "transition", Actor: "rev-2", From: store.LeadNew, To: store.LeadConfirmed, Evidence: []string{RecordDNA}},
		Effects: &store.Batch{Kinships: []store.Kinship{k}}})
	if l.State != store.LeadConfirmed || l.Version != 2 {
		t.Errorf("lead after confirming: %s v%d", l.State, l.Version)
	}
	rel, err := st.Relatives(ctx, []string{MartyrWangDeming})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rel[MartyrWangDeming] {
		if r.Person.ID == PersonWangJianguo {
			found = true
			same(t, "kinship after the effect", r.Kinship, k)
		}
	}
	if !found {
		t.Error("the kinship is gone")
	}
	kinds := map[string]bool{}
	for _, c := range allChanges(t, st, seq) {
		kinds[string(c.Kind)+" "+c.ID] = true
	}
	for _, want := range []string{"kinship " + store.KinshipKey(PersonWangJianguo, MartyrWangDeming), "lead lead-1"} {
		if !kinds[want] {
			t.Errorf("no change logged for %s; logged %v", want, sortedKeys(kinds))
		}
	}
	// An effect identical to what is stored is no change.
	seq = lastSeq(t, st)
	mustAdvance(t, st, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 2,
		Event: store.LeadEvent{Kind: "note", Note: "再次确认"}, Effects: &store.Batch{Kinships: []store.Kinship{k}}})
	for _, c := range allChanges(t, st, seq) {
		if c.Kind == store.KindKinship {
			t.Errorf("an identical effect logged %+v", c)
		}
	}
}

func testLeadInvalidEffects(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	l := mustCreate(t, st, newLead("lead-1", MartyrWangDeming))
	seq := lastSeq(t, st)
	effects := &store.Batch{
		Martyrs:  []store.Martyr{{ID: "m-effect", Name: "韩效"}},
		Kinships: []store.Kinship{{PersonID: "p-nobody", MartyrID: MartyrWangDeming, Relation: store.RelSon, Status: store.KinConfirmed}},
	}
	_, err := st.AdvanceLead(ctx, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 1,
		Event:   store.LeadEvent{Kind: "transition", From: store.LeadNew, To: store.LeadConfirmed},
		Effects: effects})
	wantErr(t, "AdvanceLead with an effect naming a missing person", err, store.ErrInvalid)
	got, _ := store.GetLead(ctx, st, "lead-1")
	same(t, "lead after rejected effects", normLead(got), normLead(l))
	if n := len(events(t, st, "lead-1")); n != 1 {
		t.Errorf("rejected effects left %d events, want 1", n)
	}
	if m, _ := st.GetMartyrs(ctx, []string{"m-effect"}); len(m) != 0 {
		t.Error("a valid entity of rejected effects was written")
	}
	if ch := allChanges(t, st, seq); len(ch) != 0 {
		t.Errorf("rejected effects logged changes: %v", ch)
	}
	// Effects that break a rule of their own (a bad enum) likewise.
	_, err = st.AdvanceLead(ctx, store.LeadUpdate{LeadID: "lead-1", ExpectVersion: 1,
		Event: store.LeadEvent{Kind: "note"},
		Effects: &store.Batch{Kinships: []store.Kinship{{PersonID: PersonWangJianguo, MartyrID: MartyrWangDeming,
			Relation: "cousin", Status: store.KinConfirmed}}}})
	wantErr(t, "AdvanceLead with an invalid effect", err, store.ErrInvalid)
	if n := len(events(t, st, "lead-1")); n != 1 {
		t.Errorf("rejected effects left %d events, want 1", n)
	}
}

func testListLeads(t *testing.T, s suite) {
	st := s.fresh(t)
	ctx := t.Context()
	mustApply(t, st, Fixture())
	type step struct {
		kind     string
		to       store.LeadState
		assignee string
	}
	plan := []struct {
		id, martyr string
		steps      []step
	}{
		{"lead-01", MartyrWangDeming, nil},
		{"lead-02", MartyrWangDeming, []step{{"transition", store.LeadTriaged, ""}, {"assign", "", "vol-a"}}},
		{"lead-03", MartyrOuyangZhenhua, []step{{"transition", store.LeadTriaged, ""}, {"transition", store.LeadInvestigating, ""}, {"assign", "", "vol-b"}}},
		{"lead-04", MartyrLiChangshun, []step{{"assign", "", "vol-a"}}},
		{"lead-05", MartyrUnnamed, []step{{"transition", store.LeadRejected, ""}}},
		{"lead-06", MartyrWangDeliang, []step{{"transition", store.LeadInvestigating, ""}, {"assign", "", "vol-a"}}},
	}
	for _, p := range plan {
		l := mustCreate(t, st, newLead(p.id, p.martyr))
		for _, s := range p.steps {
			ev := store.LeadEvent{Kind: s.kind, Actor: "coord", Assignee: s.assignee}
			if s.kind == "transition" {
				ev.From, ev.To = l.State, s.to
			}
			l = mustAdvance(t, st, store.LeadUpdate{LeadID: p.id, ExpectVersion: l.Version, Event: ev})
		}
	}
	ids := func(ls []store.Lead) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    store.LeadFilter
		want []string
	}{
		{"All", store.LeadFilter{}, []string{"lead-01", "lead-02", "lead-03", "lead-04", "lead-05", "lead-06"}},
		{"States", store.LeadFilter{States: []store.LeadState{store.LeadTriaged, store.LeadInvestigating}}, []string{"lead-02", "lead-03", "lead-06"}},
		{"New", store.LeadFilter{States: []store.LeadState{store.LeadNew}}, []string{"lead-01", "lead-04"}},
		{"Assignee", store.LeadFilter{AssigneeID: "vol-a"}, []string{"lead-02", "lead-04", "lead-06"}},
		{"Martyr", store.LeadFilter{MartyrID: MartyrWangDeming}, []string{"lead-01", "lead-02"}},
		{"StateAndAssignee", store.LeadFilter{States: []store.LeadState{store.LeadInvestigating}, AssigneeID: "vol-a"}, []string{"lead-06"}},
		{"Nothing", store.LeadFilter{MartyrID: MartyrOuyangZhenhua, States: []store.LeadState{store.LeadNew}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := st.ListLeads(ctx, c.f, store.PageReq{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, fmt.Sprintf("ListLeads(%+v)", c.f), ids(p.Items), c.want)
			if p.Total != len(c.want) {
				t.Errorf("Total = %d, want %d", p.Total, len(c.want))
			}
		})
	}
	t.Run("Paging", func(t *testing.T) {
		var got []string
		req := store.PageReq{First: 2}
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			p, err := st.ListLeads(ctx, store.LeadFilter{}, req)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 6 {
				t.Errorf("Total = %d, want 6", p.Total)
			}
			got = append(got, ids(p.Items)...)
			if !p.HasNext {
				break
			}
			req.After = p.EndCursor
		}
		sameIDs(t, "leads over pages of 2", got, []string{"lead-01", "lead-02", "lead-03", "lead-04", "lead-05", "lead-06"})
	})
	t.Run("GetLeads", func(t *testing.T) {
		m, err := st.GetLeads(ctx, []string{"lead-03", "lead-05", "lead-none"})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "GetLeads", sortedKeys(m), []string{"lead-03", "lead-05"})
		if l := m["lead-03"]; l.State != store.LeadInvestigating || l.AssigneeID != "vol-b" || l.Version != 4 || l.MartyrID != MartyrOuyangZhenhua {
			t.Errorf("lead-03 = %+v", l)
		}
		if l := m["lead-05"]; l.State != store.LeadRejected || l.Version != 2 {
			t.Errorf("lead-05 = %+v", l)
		}
	})
	t.Run("EventsOfUnknownLead", func(t *testing.T) {
		evs, err := st.LeadEvents(ctx, "lead-none")
		if err != nil {
			wantErr(t, "LeadEvents(unknown lead)", err, store.ErrNotFound)
		}
		if len(evs) != 0 {
			t.Errorf("LeadEvents(unknown lead) = %v", evs)
		}
	})
	t.Run("EventsOfSeveralLeads", func(t *testing.T) {
		m, err := st.LeadEventsOf(ctx, []string{"lead-05", "lead-03", "lead-none", "lead-03"})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "LeadEventsOf", sortedKeys(m), []string{"lead-03", "lead-05"})
		for _, id := range []string{"lead-03", "lead-05"} {
			want := events(t, st, id)
			if !reflect.DeepEqual(m[id], want) {
				t.Errorf("LeadEventsOf[%s] = %+v, want LeadEvents' %+v", id, m[id], want)
			}
		}
		if empty, err := st.LeadEventsOf(ctx, nil); err != nil || len(empty) != 0 {
			t.Errorf("LeadEventsOf(nil) = %v, %v", empty, err)
		}
	})
}
