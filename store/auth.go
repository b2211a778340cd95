package store

import "time"

// Token is an API token as stored: never the token itself, only the
// SHA-256 of it (hex), so a copy of the database gives no access.
type Token struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"` // who holds it, e.g. "王志愿者"
	Role    string    `json:"role"`
	Hash    string    `json:"hash"` // hex SHA-256 of the secret
	Created time.Time `json:"created"`
	// Revoked is zero while the token is valid.
	Revoked time.Time `json:"revoked,omitzero"`
	// Expires is when the token stops working; zero for never. A token
	// lent to a volunteer for a campaign should not outlive it.
	Expires time.Time `json:"expires,omitzero"`
}

// Expired reports whether the token has expired at now.
func (t Token) Expired(now time.Time) bool {
	return !t.Expires.IsZero() && !now.Before(t.Expires)
}

// AuditEntry is one line of the append-only audit log: who read or did
// what to whom. Entries are never edited or deleted.
type AuditEntry struct {
	Seq     int64     `json:"seq"` // set by the store, increasing
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	Action  string    `json:"action"` // "read_personal", "lead_transition", ...
	Subject []string  `json:"subject,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

// AuditFilter narrows a read of the audit log. Zero fields do not filter.
type AuditFilter struct {
	Actor   string
	Action  string
	Subject string // entries whose Subject contains this id
	After   int64  // Seq > After
	Limit   int    // 0 for 1000
}
