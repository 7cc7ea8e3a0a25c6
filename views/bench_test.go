package views

import (
	"context"
	"fmt"
	"io"
	"testing"
)

// BenchmarkQueueTable renders the 50-row bonus queue page's table.
func BenchmarkQueueTable(b *testing.B) {
	v := BonusQueueView{CanDecide: true, Count: 100_000, Total: "¥1,234,567.00", Filter: map[string]string{"week": "2026-W47"}}
	for i := 0; i < 50; i++ {
		v.Rows = append(v.Rows, BonusRowView{ID: uint(i + 1), Creator: fmt.Sprintf("Creator %06d", i), AccountID: "jd_sc_0000001",
			Agency: "Scale MCN 00001", Week: "2026-W47", GMV: "¥123,456.78", Amount: "¥2,600.00", State: "proposed", Waiting: "2 days"})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := bonusTable(v).Render(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
