package views

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/jd/creator-portal/views/i18n"
)

// The hand-written rows are the templ component's output, byte for byte,
// hostile names and all.
func TestBonusRowsMatchTheTemplComponent(t *testing.T) {
	rows := []BonusRowView{
		{ID: 12, Creator: `<script>alert("x")</script> & 'Co'`, AccountID: `jd_"1"`, Agency: "A&B <MCN>", Week: "2026-W47",
			GMV: "¥1,234.00", Amount: "¥2,600.00", State: "proposed", Waiting: "2 days"},
		{ID: 4294967296, Creator: "测试 创作者", AccountID: "jd_2", Week: "2026-W47", GMV: "¥0.00", Amount: "¥0.00",
			State: "rejected", Appeal: "pending", Waiting: ""},
		{ID: 1, Creator: "x", State: "no_such_state\"><b>"},
	}
	render := func(c templ.Component, ctx context.Context) string {
		var b strings.Builder
		if err := c.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, lang := range i18n.Langs {
		ctx := i18n.With(context.Background(), i18n.For(lang))
		for _, canDecide := range []bool{true, false} {
			got, want := render(bonusRows(rows, canDecide), ctx), render(bonusRowsTempl(rows, canDecide), ctx)
			if got != want {
				t.Errorf("%s, canDecide %v:\nhand-written %s\ntempl        %s", lang, canDecide, got, want)
			}
			if strings.Contains(got, "<script>") || strings.Contains(got, "<b>") {
				t.Errorf("unescaped: %s", got)
			}
		}
	}
}

func queueRows() []BonusRowView {
	var rows []BonusRowView
	for i := 0; i < 50; i++ {
		rows = append(rows, BonusRowView{ID: uint(i + 1), Creator: fmt.Sprintf("Creator %06d", i), AccountID: "jd_sc_0000001",
			Agency: "Scale MCN 00001", Week: "2026-W47", GMV: "¥123,456.78", Amount: "¥2,600.00", State: "proposed", Waiting: "2 days"})
	}
	return rows
}

// BenchmarkQueueRows compares the queue's 50 rows written by hand (what the
// page uses) with the templ component they stand in for.
func BenchmarkQueueRows(b *testing.B) {
	rows := queueRows()
	for name, c := range map[string]templ.Component{"handwritten": bonusRows(rows, true), "templ": bonusRowsTempl(rows, true)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Render(context.Background(), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
