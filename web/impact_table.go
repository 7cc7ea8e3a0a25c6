package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// The impact figures as one table that the page, the CSV and the XLSX all
// draw from, so a downloaded cell can never disagree with the page.

// cellKind is how a figure is written: a count, an amount of fen, or a share
// in per mille.
type cellKind int

const (
	cellText cellKind = iota
	cellCount
	cellFen
	cellPermille
)

// impactCell is one figure; Missing marks a ratio with nothing to divide by.
type impactCell struct {
	Kind    cellKind
	Text    string
	N       int64
	Missing bool
}

// impactColumn is one column of the weekly table: its catalogue key
// ("impact_col_<key>") and the figure it reads.
type impactColumn struct {
	Key    string
	OnPage bool // the files carry every column; the page leaves out what it shows elsewhere
	Value  func(models.ImpactFigures) impactCell
}

func figCount(n int64) impactCell { return impactCell{Kind: cellCount, N: n} }
func figFen(n int64) impactCell   { return impactCell{Kind: cellFen, N: n} }
func figRatio(kind cellKind, n int64, ok bool) impactCell {
	return impactCell{Kind: kind, N: n, Missing: !ok}
}

// impactColumns are the weekly figures, in the order every table shows them.
var impactColumns = []impactColumn{
	{"creators", false, func(f models.ImpactFigures) impactCell { return figCount(f.Creators) }},
	{"videos", true, func(f models.ImpactFigures) impactCell { return figCount(f.Videos) }},
	{"live", true, func(f models.ImpactFigures) impactCell { return figCount(f.LiveSessions) }},
	{"views", true, func(f models.ImpactFigures) impactCell { return figCount(f.Views) }},
	{"orders", true, func(f models.ImpactFigures) impactCell { return figCount(f.Orders) }},
	{"gmv", false, func(f models.ImpactFigures) impactCell { return figFen(f.GMVFen) }},
	{"refunds", true, func(f models.ImpactFigures) impactCell { return figFen(f.RefundedGMVFen) }},
	{"net_gmv", true, func(f models.ImpactFigures) impactCell { return figFen(f.NetGMVFen()) }},
	{"bonus", true, func(f models.ImpactFigures) impactCell { return figFen(f.BonusFen) }},
	{"bonus_per_video", true, func(f models.ImpactFigures) impactCell {
		n, ok := f.BonusPerVideoFen()
		return figRatio(cellFen, n, ok)
	}},
	{"bonus_per_thousand", true, func(f models.ImpactFigures) impactCell {
		n, ok := f.BonusPerThousandFen()
		return figRatio(cellFen, n, ok)
	}},
	{"qualified", false, func(f models.ImpactFigures) impactCell { return figCount(f.Qualified) }},
	{"posted_share", true, func(f models.ImpactFigures) impactCell {
		n, ok := f.PostedShare()
		return figRatio(cellPermille, n, ok)
	}},
}

// impactRow is one line of a table: its label and its figures.
type impactRow struct {
	Label string
	Cells []impactCell
}

// impactTable is a table of figures with its column keys.
type impactTable struct {
	First string   // the first column's catalogue key (week, subject area, agency)
	Keys  []string // the figures' catalogue keys
	Rows  []impactRow
	Total *impactRow
}

// figuresTable lays out labelled figures with the columns chosen.
func figuresTable(first string, onPageOnly bool, labels []string, figs []models.ImpactFigures, total *models.ImpactFigures, totalLabel string) impactTable {
	t := impactTable{First: first}
	var cols []impactColumn
	for _, col := range impactColumns {
		if !onPageOnly || col.OnPage {
			cols = append(cols, col)
			t.Keys = append(t.Keys, col.Key)
		}
	}
	row := func(label string, f models.ImpactFigures) impactRow {
		r := impactRow{Label: label}
		for _, col := range cols {
			r.Cells = append(r.Cells, col.Value(f))
		}
		return r
	}
	for i, f := range figs {
		t.Rows = append(t.Rows, row(labels[i], f))
	}
	if total != nil {
		tr := row(totalLabel, *total)
		t.Total = &tr
	}
	return t
}

// display is a cell as the page shows it.
func (c impactCell) display() string {
	switch {
	case c.Missing:
		return "–"
	case c.Kind == cellText:
		return c.Text
	case c.Kind == cellFen:
		return models.FormatYuan(c.N)
	case c.Kind == cellPermille:
		return permilleText(c.N)
	}
	return views.Count(c.N)
}

// file is a cell as a CSV writes it: plain numbers, money in whole fen,
// shares in percent with one decimal, and nothing for a missing ratio.
func (c impactCell) file() string {
	switch {
	case c.Missing:
		return ""
	case c.Kind == cellText:
		return models.SafeCell(c.Text)
	case c.Kind == cellPermille:
		return permilleDecimal(c.N)
	}
	return strconv.FormatInt(c.N, 10)
}

// permilleText is a share in per mille as "42.5%".
func permilleText(n int64) string { return permilleDecimal(n) + "%" }

// permilleDecimal is per mille as percent with one decimal: 425 is "42.5".
func permilleDecimal(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.FormatInt(n/10, 10) + "." + strconv.FormatInt(n%10, 10)
}

// viewTable is the table for the page, labelled in the reader's language.
func viewTable(c echo.Context, t impactTable) views.FigureTable {
	v := views.FigureTable{First: tr(c, "impact_col_"+t.First)}
	for _, k := range t.Keys {
		v.Columns = append(v.Columns, tr(c, "impact_col_"+k))
	}
	row := func(r impactRow) views.FigureRow {
		out := views.FigureRow{Label: r.Label}
		for _, cell := range r.Cells {
			out.Cells = append(out.Cells, cell.display())
		}
		return out
	}
	for _, r := range t.Rows {
		v.Rows = append(v.Rows, row(r))
	}
	if t.Total != nil {
		tot := row(*t.Total)
		v.Total = &tot
	}
	return v
}
