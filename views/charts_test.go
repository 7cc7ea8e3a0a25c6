package views

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestColumnChart(t *testing.T) {
	cases := map[string]struct {
		points  []Point
		target  int64
		columns int
		empty   bool
	}{
		"empty":                         {nil, 0, 0, true},
		"one point":                     {[]Point{{Label: "2026-11", Value: 7}}, 10, 1, false},
		"many points, zeros and a peak": {[]Point{{Label: "a", Value: 0}, {Label: "b", Value: 1}, {Label: "c", Value: 1_000_000}, {Label: "d", Value: 3}}, 0, 4, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			c := ColumnChart{ID: "x", Title: "Delivered", Unit: "Creators", Points: tc.points, Target: tc.target}
			if err := ColumnChartView(c).Render(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if got := doc.Find("rect.col").Length(); got != tc.columns {
				t.Fatalf("%d columns, want %d", got, tc.columns)
			}
			if (doc.Find(`[data-testid="chart-empty"]`).Length() == 1) != tc.empty {
				t.Fatal("empty state wrong")
			}
			if got := doc.Find("details tbody tr").Length(); got != tc.columns {
				t.Fatalf("%d table rows, want %d", got, tc.columns)
			}
			doc.Find("rect.col").Each(func(_ int, s *goquery.Selection) {
				h, _ := s.Attr("height")
				y, _ := s.Attr("y")
				if strings.HasPrefix(h, "-") || strings.Contains(h, "NaN") || strings.Contains(y, "NaN") {
					t.Fatalf("bad geometry h=%s y=%s", h, y)
				}
			})
			if tc.target > 0 && doc.Find("line.target").Length() != 1 {
				t.Fatal("no target line")
			}
		})
	}
	// The tallest column fills the plot; a value of 1 next to a million is still visible.
	cols := ColumnChart{Points: []Point{{Value: 1}, {Value: 1_000_000}}}.Columns()
	if cols[1].H != "128.0" || cols[0].H != "1.0" {
		t.Fatalf("heights %s and %s", cols[0].H, cols[1].H)
	}
}

func TestProgressPercent(t *testing.T) {
	for _, c := range []struct {
		v, g int64
		want int
	}{{0, 10, 0}, {7, 10, 70}, {15, 10, 100}, {3, 0, 100}} {
		if got := (Progress{Value: c.v, Goal: c.g}).Percent(); got != c.want {
			t.Errorf("%d of %d = %d%%, want %d", c.v, c.g, got, c.want)
		}
	}
}

func TestBonusRowsEscapeEverything(t *testing.T) {
	var b strings.Builder
	rows := []BonusRowView{{ID: 7, Creator: `<script>alert("x")</script>`, AccountID: `a"b`, Agency: "M&M", Week: "2026-W47", GMV: "¥1.00", Amount: "¥2.00", State: "proposed", Appeal: "pending"}}
	if err := bonusRows(rows, true).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "M&amp;M") || !strings.Contains(html, `a&#34;b`) {
		t.Fatalf("not escaped: %s", html)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + html + "</tbody></table>"))
	if v, _ := doc.Find(`input[name="ids"]`).Attr("value"); v != "7" {
		t.Fatalf("checkbox value %q", v)
	}
	if href, _ := doc.Find("a").Attr("href"); href != "/bonuses/7" {
		t.Fatalf("link %q", href)
	}
}
