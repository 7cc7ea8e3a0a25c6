package views

import "net/url"

// FigureTable is a table of figures: a label column and numbers already
// formatted in the reader's language, with an optional total row.
type FigureTable struct {
	First   string // the label column's heading
	Columns []string
	Rows    []FigureRow
	Total   *FigureRow
}

// FigureRow is one line of a FigureTable; Href links its label.
type FigureRow struct {
	Label string
	Href  string
	Cells []string
}

// ImpactFiltersView is the impact pages' GET form: its choices and the values it keeps.
type ImpactFiltersView struct {
	Action   string
	From, To []Option // the programme's weeks
	Subjects []Option
	Agency   *AgencyFilter // staff on /impact only
	Hidden   url.Values    // values the form carries along (the league's sort)
	Errors   FieldErrors
	Matches  []AgencyMatch // agencies a typed name matched, to choose from
}

// AgencyMatch is one agency a typed name matched, linking to the page filtered by it.
type AgencyMatch struct {
	Name string
	Href string
}

// AgencyLineView is one agency's league line over the range, as cards.
type AgencyLineView struct {
	Name       string
	Delivered  string
	MCNBonus   string
	QuotaMet   string // "2 of 3 months"
	Growth     string // "+12.5%" or a sentence when there is no figure
	GrowthRank string // "3rd of 2,000 agencies by content growth", or ""
}

// UpliftView is the before/after comparison of qualified creators.
type UpliftView struct {
	Creators string
	Basis    string // how many creators, and how many are too new
	Empty    string // said instead of the figures when no creator counts
	Overall  []UpliftMetricView
	Subjects []UpliftRowView
	Agencies []UpliftRowView
}

// UpliftMetricView is one measure before and after qualifying.
type UpliftMetricView struct {
	Label, Before, After, Change string
}

// UpliftRowView is one subject area's or agency's uplift; each figure reads "before → after".
type UpliftRowView struct {
	Name, Creators, Videos, Live, GMV string
}

// ProgrammeImpactView is the programme-impact page.
type ProgrammeImpactView struct {
	Filters    ImpactFiltersView
	Scope      string // what the figures cover, in a sentence
	Manager    bool   // an agency's manager: their own agency only
	HasFigures bool
	Empty      string // said instead of the figures when nothing was reported
	Trimmed    string // says that the range's first weeks had no figures and are left out
	Cards      []ImpactCard
	Charts     []ColumnChart
	Weeks      FigureTable
	Subjects   *FigureTable // per subject area, when none is chosen
	Agency     *AgencyLineView
	Uplift     UpliftView
	CSV, XLSX  string
	League     string // the link to the agency league (staff)
}

// ImpactCard is one headline figure over the range.
type ImpactCard struct {
	ID, Value, Label string
}

// LeagueRowView is one agency's line in the league.
type LeagueRowView struct {
	Rank      int
	AgencyID  uint
	Name      string
	Delivered string
	Videos    string
	Live      string
	NetGMV    string
	Bonus     string
	MCNBonus  string
	QuotaMet  string
	Growth    string
}

// LeagueView is the agency league.
type LeagueView struct {
	Filters   ImpactFiltersView
	Scope     string
	Sorts     []SortLink
	Rows      []LeagueRowView
	Pager     Pager
	CSV, XLSX string
	Impact    string // back to the impact page with the same filter
}

// AgainstSubjectView is a creator's last weeks next to their subject area's median.
type AgainstSubjectView struct {
	Rows        []AgainstSubjectRow
	Chart       ColumnChart
	Withheld    bool // some week's median is not shown: too few creators reported it
	MinCreators int  // how many must report a week for its median to show
}

// AgainstSubjectRow is one week: the creator's figures and the median's.
type AgainstSubjectRow struct {
	Week, Dates                string
	Reported                   bool
	Videos, Live, GMV          string
	MedVideos, MedLive, MedGMV string
	Creators                   string
}
