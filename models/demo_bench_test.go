package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models/modeltest"
)

// BenchmarkSeedDemo times the demo seed that every demo web test runs once
// (`go test -run '^$' -bench SeedDemo -benchtime 3x ./models/`).
func BenchmarkSeedDemo(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := modeltest.NewStore(b)
		b.StartTimer()
		if _, err := s.SeedDemo(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
