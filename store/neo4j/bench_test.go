package neo4j

import (
	"context"
	"fmt"
	"testing"

	"github.com/guigen/guigen/store"
)

// benchGazetteer: 100 villages in 10 counties, 20 units, 10 cemeteries.
func benchGazetteer() *store.Batch {
	b := &store.Batch{Places: []store.Place{{ID: "bp", Name: "山东省", Level: store.LevelProvince}}}
	for c := range 10 {
		cid := fmt.Sprintf("bc%d", c)
		b.Places = append(b.Places, store.Place{ID: cid, Name: fmt.Sprintf("县%d", c), Level: store.LevelCounty, ParentID: "bp"})
		for v := range 10 {
			b.Places = append(b.Places, store.Place{ID: fmt.Sprintf("%s-v%d", cid, v), Name: fmt.Sprintf("村%d%d", c, v),
				Level: store.LevelVillage, ParentID: cid})
		}
	}
	for u := range 20 {
		b.Units = append(b.Units, store.Unit{ID: fmt.Sprintf("bu%d", u), Name: fmt.Sprintf("第%d团", u+1)})
	}
	for c := range 10 {
		b.Cemeteries = append(b.Cemeteries, store.Cemetery{ID: fmt.Sprintf("bcem%d", c), Name: fmt.Sprintf("第%d陵园", c+1)})
	}
	return b
}

// benchMartyrs makes n martyrs from index from; with relatives, each has
// a person and a kinship too (three entities per martyr).
func benchMartyrs(from, n int, relatives bool) *store.Batch {
	b := &store.Batch{}
	for i := from; i < from+n; i++ {
		m := store.Martyr{
			ID: fmt.Sprintf("bm%08d", i), RegistryNo: fmt.Sprintf("370%07d", i), Name: fmt.Sprintf("张%d", i%997),
			Sex: store.SexMale, Born: store.Date{Year: 1920 + i%15}, Died: store.Date{Year: 1940 + i%14, Month: 1 + i%12},
			HometownID: fmt.Sprintf("bc%d-v%d", i%10, (i/10)%10), HometownText: "山东省某县某村",
			UnitID: fmt.Sprintf("bu%d", i%20), CemeteryID: fmt.Sprintf("bcem%d", i%10),
			Grave: store.Grave{Row: fmt.Sprint(i % 30), Number: fmt.Sprint(i % 60)},
		}
		b.Martyrs = append(b.Martyrs, m)
		if relatives {
			pid := fmt.Sprintf("bpe%08d", i)
			b.People = append(b.People, store.Person{ID: pid, Name: "张某", HometownID: m.HometownID, Living: i%2 == 0})
			b.Kinships = append(b.Kinships, store.Kinship{PersonID: pid, MartyrID: m.ID, Relation: store.RelNephew,
				Line: store.LinePaternal, Status: store.KinClaimed})
		}
	}
	return b
}

// BenchmarkApply10k writes batches of 10,000 new martyrs and reports
// martyrs per second:
//
//	NEO4J_URI=bolt://127.0.0.1:7687 go test -run '^$' -bench Apply10k -benchtime 5x ./store/neo4j/
func BenchmarkApply10k(b *testing.B) {
	for _, relatives := range []bool{false, true} {
		b.Run(fmt.Sprintf("relatives=%v", relatives), func(b *testing.B) {
			s := openEmpty(b, envConfig(b))
			ctx := context.Background()
			if err := s.Apply(ctx, benchGazetteer()); err != nil {
				b.Fatal(err)
			}
			const size = 10000
			batches := make([]*store.Batch, b.N)
			for i := range batches {
				batches[i] = benchMartyrs(i*size, size, relatives)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Apply(ctx, batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "martyrs/s")
			// The idempotent path: the first batch again changes nothing.
			const q = `MATCH (c:Change) RETURN count(c) AS n`
			before := count(b, s, q, nil)
			if err := s.Apply(ctx, batches[0]); err != nil {
				b.Fatal(err)
			}
			if after := count(b, s, q, nil); after != before {
				b.Fatalf("re-applying a batch logged %d changes", after-before)
			}
		})
	}
}
