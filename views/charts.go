package views

import "strconv"

// Point is one column of a column chart.
type Point struct {
	Label   string
	Value   int64
	Display string // the value as shown in the table, such as ¥1,200.00; Count(Value) when empty
	Short   string // the value above the column when Display is too long, such as ¥1.2k
	Good    bool   // drawn in the "met" colour
}

// ColumnChart is a server-drawn SVG column chart with its numbers as a table.
type ColumnChart struct {
	ID     string
	Title  string
	Unit   string
	Points []Point
	Target int64 // a dashed line across the chart, when above 0
	// Line is a second series drawn as a line over the columns (one value
	// per point), such as a plan against what was done; LineLabel names it.
	Line      []int64
	LineLabel string
	// Sparse charts have many columns: they label every few and leave the
	// values to the table.
	Sparse  bool
	NoTable bool // the caller shows the numbers in its own table
}

const (
	colWidth    = 48
	chartHeight = 180
	plotTop     = 22
	plotBottom  = 150
)

func (c ColumnChart) max() int64 {
	m := c.Target
	for _, p := range c.Points {
		m = max(m, p.Value)
	}
	for _, v := range c.Line {
		m = max(m, v)
	}
	return max(m, 1)
}

// Width is the SVG width in user units.
func (c ColumnChart) Width() string { return strconv.Itoa(max(len(c.Points), 1) * c.colWidth()) }

// sparseColWidth is a sparse chart's column width: a year of weeks drawn at
// the full column width would shrink to a hairline with unreadable labels in
// a half-width panel.
const sparseColWidth = 12

// colWidth is the width of one column in user units; gap is the space on
// either side of its bar.
func (c ColumnChart) colWidth() int {
	if c.Sparse {
		return sparseColWidth
	}
	return colWidth
}

func (c ColumnChart) gap() int { return c.colWidth() / 6 }

// ViewBox is the SVG viewBox.
func (c ColumnChart) ViewBox() string { return "0 0 " + c.Width() + " " + strconv.Itoa(chartHeight) }

// Column is the drawn geometry of one point.
type Column struct {
	X, Y, W, H     string
	LabelX, ValueY string
	Label, Value   string
	Short          string
	Good           bool
	Tick           bool // the label is drawn under the column
}

// Columns lays the points out.
func (c ColumnChart) Columns() []Column {
	out := make([]Column, len(c.Points))
	span := float64(plotBottom - plotTop)
	cw := c.colWidth()
	for i, p := range c.Points {
		h := float64(p.Value) / float64(c.max()) * span
		if p.Value > 0 && h < 1 {
			h = 1
		}
		y := float64(plotBottom) - h
		display := p.Display
		if display == "" {
			display = Count(p.Value)
		}
		short := p.Short
		if short == "" {
			short = display
		}
		out[i] = Column{
			X: ftoa(float64(i*cw + c.gap())), Y: ftoa(y), W: strconv.Itoa(cw - 2*c.gap()), H: ftoa(h),
			LabelX: strconv.Itoa(i*cw + cw/2), ValueY: ftoa(y - 4),
			Label: p.Label, Value: display, Short: short, Good: p.Good, Tick: !c.Sparse || i%c.tickEvery() == 0,
		}
		if c.Sparse {
			out[i].Short = ""
		}
	}
	return out
}

// tickEvery is how many columns a sparse chart's labels are apart (about eight labels).
func (c ColumnChart) tickEvery() int { return max(1, (len(c.Points)+7)/8) }

// LinePoints is the Line series as an SVG polyline's points, through the columns' centres.
func (c ColumnChart) LinePoints() string {
	span := float64(plotBottom - plotTop)
	out := make([]byte, 0, len(c.Line)*12)
	for i, v := range c.Line {
		if i > 0 {
			out = append(out, ' ')
		}
		x := float64(i*c.colWidth() + c.colWidth()/2)
		y := float64(plotBottom) - float64(v)/float64(c.max())*span
		out = append(out, ftoa(x)+","+ftoa(y)...)
	}
	return string(out)
}

// TargetY is the height of the target line.
func (c ColumnChart) TargetY() string {
	return ftoa(float64(plotBottom) - float64(c.Target)/float64(c.max())*float64(plotBottom-plotTop))
}

// Progress is a horizontal progress bar towards a goal.
type Progress struct {
	Label string
	Value int64
	Goal  int64
}

// Percent is how far along the bar is, 0–100.
func (p Progress) Percent() int {
	if p.Goal <= 0 {
		return 100
	}
	return int(min(100, p.Value*100/p.Goal))
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// ShortYuan renders fen compactly for chart labels: ¥950, ¥12.3k, ¥4.5M.
func ShortYuan(fen int64) string {
	yuan := fen / 100
	switch {
	case yuan >= 1_000_000:
		return "¥" + strconv.FormatFloat(float64(yuan)/1_000_000, 'f', 1, 64) + "M"
	case yuan >= 1_000:
		return "¥" + strconv.FormatFloat(float64(yuan)/1_000, 'f', 1, 64) + "k"
	}
	return "¥" + strconv.FormatInt(yuan, 10)
}
