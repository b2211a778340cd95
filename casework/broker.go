package casework

import (
	"context"
	"sync"

	"github.com/guigen/guigen/store"
)

// Event is one move of a lead, with the lead as it is after the move.
type Event struct {
	Lead  store.Lead
	Event store.LeadEvent
}

// subBuffer is how many events a slow subscriber may lag behind before
// further events to it are dropped; a lead board refetches on reconnect.
const subBuffer = 64

type subscriber struct {
	leadID string // empty: every lead
	ch     chan Event
}

// Broker fans lead events out to subscribers in this process. Publishing
// never blocks: a subscriber whose buffer is full misses events.
type Broker struct {
	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	dropped int64
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[*subscriber]struct{}{}} }

// Subscribe returns the events of leadID (every lead when empty) until
// ctx ends, when the channel is closed and the subscription forgotten.
func (b *Broker) Subscribe(ctx context.Context, leadID string) <-chan Event {
	s := &subscriber{leadID: leadID, ch: make(chan Event, subBuffer)}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, s)
		close(s.ch)
		b.mu.Unlock()
	}()
	return s.ch
}

// Publish sends e to every matching subscriber without waiting.
func (b *Broker) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.leadID != "" && s.leadID != e.Lead.ID {
			continue
		}
		select {
		case s.ch <- e:
		default:
			b.dropped++
		}
	}
}

// Subscribers is the number of live subscriptions.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// Dropped is the number of events not delivered to full subscribers.
func (b *Broker) Dropped() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}
