package views

import (
	"context"
	"strings"
	"testing"

	"github.com/jd/creator-portal/views/i18n"
)

// The queue's hand-written rows write risk badges exactly as the templ component does.
func TestBonusRowsWithRiskBadgesMatchTheTemplComponent(t *testing.T) {
	rows := []BonusRowView{
		{ID: 7, Creator: "达人", Week: "2026-W47", State: "proposed", Appeal: "pending",
			Flags: []RiskBadge{{Kind: "spike", Label: "数据突增", Why: `净成交额 ¥50,000.00 "6.1" <倍>`}, {Kind: "identical", Label: "数据雷同", Why: "a & b"}}},
		{ID: 8, Creator: "x", State: "approved"},
	}
	ctx := i18n.With(context.Background(), i18n.For(i18n.Langs[0]))
	var got, want strings.Builder
	if err := bonusRows(rows, true).Render(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if err := bonusRowsTempl(rows, true).Render(ctx, &want); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("hand-written %s\ntempl        %s", got.String(), want.String())
	}
	if strings.Count(got.String(), `data-testid="risk-badge"`) != 2 || strings.Contains(got.String(), "<倍>") {
		t.Errorf("badges: %s", got.String())
	}
}
