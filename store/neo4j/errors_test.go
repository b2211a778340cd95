package neo4j

import (
	"errors"
	"fmt"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
)

// The mapping of server errors to the store's sentinels decides whether
// the API says "try later" or "fix your input"; it needs no server.
func TestFailMapsServerErrors(t *testing.T) {
	s := &Store{uri: "bolt://example:7687"}
	tests := []struct {
		name string
		err  error
		want error
		not  error
	}{
		{"memory limit is the batch's fault, not an outage",
			&driver.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError", Msg: "tx memory"},
			store.ErrInvalid, store.ErrUnavailable},
		{"memory limit after the driver's retries",
			&driver.TransactionExecutionLimit{Cause: "timeout", Errors: []error{
				&driver.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError"}}},
			store.ErrInvalid, store.ErrUnavailable},
		{"other transient errors are an outage",
			&driver.Neo4jError{Code: "Neo.TransientError.Transaction.LockClientStopped"},
			store.ErrUnavailable, store.ErrInvalid},
		{"constraint violation is a conflict",
			&driver.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed"},
			store.ErrConflict, store.ErrUnavailable},
		{"sentinels pass through",
			fmt.Errorf("x: %w", store.ErrNotFound), store.ErrNotFound, store.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.fail("op", tt.err)
			if !errors.Is(got, tt.want) || errors.Is(got, tt.not) {
				t.Errorf("fail(%v) = %v; want %v and not %v", tt.err, got, tt.want, tt.not)
			}
		})
	}
}
