package neo4j

import (
	"testing"

	"github.com/guigen/guigen/store/storetest"
)

// TestContract runs the contract suite against Neo4j; every case must pass
// (the backend declares no missing capability). Each case gets the one
// database emptied.
func TestContract(t *testing.T) {
	envConfig(t)
	storetest.Run(t, newStore)
}
