package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

// What the programme's money buys (issue 19): content, GMV and bonuses per
// week, per subject area and per agency, the uplift after qualifying, and the
// agencies' league. The figures are read from aggregates that ingest and
// decisions keep in step in their own transactions, never by summing the
// weekly rows (5 million a year) per request.

// ImpactFilter narrows the impact figures: a range of CST weeks (inclusive),
// one subject area, one agency. Zero values mean "all"; an empty range means
// the last half year of the programme (DefaultImpactWeeks).
type ImpactFilter struct {
	From, To  string // week labels such as 2026-W36; empty: see resolveImpactFilter
	SubjectID uint
	AgencyID  uint // staff only; a manager's is always their own
}

// MaxImpactWeeks bounds a range: two years of weeks. A filter without a
// first week shows the last DefaultImpactWeeks.
const (
	MaxImpactWeeks     = 104
	DefaultImpactWeeks = 26
)

// ImpactFigures are one week's (or a range's) figures for a set of creators.
// Content and GMV come from the weekly rows, attributed to the agency and
// subject area the creator had when the week was first reported; untrusted
// weeks (issue 16) are left out. BonusFen is the weekly bonuses approved for
// those weeks, with approved adjustments (top-ups and clawbacks) netted in.
type ImpactFigures struct {
	Creators        int64 // creators with a reported week
	Posted          int64 // of those, creators with at least one video or live session
	Qualified       int64 // creators with a reported week who were qualified by the week's end
	QualifiedPosted int64 // of those, creators who posted
	Videos          int64
	LiveSessions    int64
	Views           int64
	Orders          int64
	GMVFen          int64 // gross
	RefundedGMVFen  int64
	BonusFen        int64
	Bonuses         int64 // weekly bonuses approved (or paid)
}

// NetGMVFen is GMV less refunds: what the programme really sold.
func (f ImpactFigures) NetGMVFen() int64 { return f.GMVFen - f.RefundedGMVFen }

// BonusPerVideoFen is the bonus approved per video posted; ok is false with no videos.
func (f ImpactFigures) BonusPerVideoFen() (fen int64, ok bool) {
	if f.Videos <= 0 {
		return 0, false
	}
	return divRound64(f.BonusFen, f.Videos), true
}

// BonusPerThousandFen is the bonus approved per ¥1,000 of net GMV; ok is false
// when there is no net GMV.
func (f ImpactFigures) BonusPerThousandFen() (fen int64, ok bool) {
	net := f.NetGMVFen()
	if net <= 0 {
		return 0, false
	}
	return divRound64(f.BonusFen*100_000, net), true
}

// PostedShare is the share of qualified creators who posted, in per mille;
// ok is false when no qualified creator reported the week.
func (f ImpactFigures) PostedShare() (permille int64, ok bool) {
	if f.Qualified <= 0 {
		return 0, false
	}
	return divRound64(f.QualifiedPosted*1000, f.Qualified), true
}

// add sums figures (a range's total from its weeks).
func (f *ImpactFigures) add(o ImpactFigures) {
	f.Creators += o.Creators
	f.Posted += o.Posted
	f.Qualified += o.Qualified
	f.QualifiedPosted += o.QualifiedPosted
	f.Videos += o.Videos
	f.LiveSessions += o.LiveSessions
	f.Views += o.Views
	f.Orders += o.Orders
	f.GMVFen += o.GMVFen
	f.RefundedGMVFen += o.RefundedGMVFen
	f.BonusFen += o.BonusFen
	f.Bonuses += o.Bonuses
}

// divRound64 is a/b rounded half away from zero (b > 0).
func divRound64(a, b int64) int64 {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// ImpactWeek is one week of a series.
type ImpactWeek struct {
	Week string
	ImpactFigures
}

// SubjectImpact is one subject area's figures over the range.
type SubjectImpact struct {
	SubjectID uint
	Name      string // the subject area's name as stored (views translate by code)
	Code      string
	ImpactFigures
}

// ImpactReport is the impact page's figures for one filter.
type ImpactReport struct {
	Filter   ImpactFilter // as applied: range filled in, a manager's agency set
	Weeks    []ImpactWeek // every week of the range, oldest first, zeros included
	Total    ImpactFigures
	Subjects []SubjectImpact // per subject area over the range (when no subject is chosen), by net GMV
}

// UpliftFigures compare qualified creators' weeks before and after they
// qualified: sums over the four weeks before the qualifying week and the four
// weeks after it, for Creators creators. A before/after, not an experiment.
type UpliftFigures struct {
	Creators                                       int64
	BeforeVideos, BeforeLiveSessions, BeforeGMVFen int64
	AfterVideos, AfterLiveSessions, AfterGMVFen    int64
}

// UpliftWindow is how many weeks each side of qualifying the uplift compares,
// and UpliftMinAge how long ago a creator must have qualified to count (the
// four weeks after must have ended and been reported).
const (
	UpliftWindow = 4
	UpliftMinAge = 8
)

// perCreatorWeek is a sum as an average per creator and week.
func (u UpliftFigures) perCreatorWeek(sum int64) float64 {
	if u.Creators == 0 {
		return 0
	}
	return float64(sum) / float64(u.Creators*UpliftWindow)
}

// Averages per creator and week, before and after qualifying (GMV in fen).
func (u UpliftFigures) VideosBefore() float64 { return u.perCreatorWeek(u.BeforeVideos) }
func (u UpliftFigures) VideosAfter() float64  { return u.perCreatorWeek(u.AfterVideos) }
func (u UpliftFigures) LiveBefore() float64   { return u.perCreatorWeek(u.BeforeLiveSessions) }
func (u UpliftFigures) LiveAfter() float64    { return u.perCreatorWeek(u.AfterLiveSessions) }
func (u UpliftFigures) GMVBefore() float64    { return u.perCreatorWeek(u.BeforeGMVFen) }
func (u UpliftFigures) GMVAfter() float64     { return u.perCreatorWeek(u.AfterGMVFen) }

// UpliftRow is the uplift of one subject area or one agency.
type UpliftRow struct {
	ID   uint   // subject area or agency
	Name string // as stored
	Code string // subject areas: their code, for the label in the reader's language
	UpliftFigures
}

// UpliftReport is the before/after comparison for a filter.
type UpliftReport struct {
	Cutoff    string // the latest qualifying week that counts (UpliftMinAge weeks before the current week)
	Overall   UpliftFigures
	TooNew    int64       // creators in the filter qualified after Cutoff: left out, and said so
	BySubject []UpliftRow // every subject area with a counted creator, most creators first
	ByAgency  []UpliftRow // staff without an agency filter: the agencies with the most counted creators (at most 50)
}

// LeagueSorts are the agency league's sort keys (the first is the default).
var LeagueSorts = []string{"net_gmv", "creators", "videos", "live", "bonus", "mcn_bonus", "attainment", "growth", "name"}

// AgencyLeagueRow is one agency's line in the league over a range.
type AgencyLeagueRow struct {
	Rank              int // by the chosen sort
	AgencyID          uint
	Name              string
	CreatorsDelivered int64 // creators first qualified while in the agency (quota credit), within the range
	ImpactFigures           // its creators' weeks in the range
	MCNBonusFen       int64 // monthly agency bonuses approved for months overlapping the range
	QuotaMonths       int   // ended months in the range with a quota
	QuotaMet          int   // of those, months the quota was met
	// GrowthPermille is the change of videos plus live sessions in the last
	// four weeks of the range against the four before, in per mille; HasGrowth
	// is false when the four before had none.
	GrowthPermille int64
	HasGrowth      bool
}

// AgencyGrowthRank is where one agency stands among all by content growth.
type AgencyGrowthRank struct {
	Rank, Of       int // Rank 0: no growth figure (nothing posted in the earlier four weeks)
	GrowthPermille int64
	HasGrowth      bool
}

// CreatorWeekAgainstSubject is a creator's own week next to the median of
// their subject area's creators who reported that week.
type CreatorWeekAgainstSubject struct {
	Week                                           string
	Reported                                       bool // the creator has a row that week
	Videos, LiveSessions, GMVFen                   int64
	MedianVideos, MedianLiveSessions, MedianGMVFen int64
	SubjectCreators                                int64 // creators the median is over
	// MedianWithheld: fewer than MedianMinCreators reported the week, so the
	// medians are zero for anyone but staff (see MedianMinCreators).
	MedianWithheld bool
}

// MedianMinCreators is how many creators must have reported a week before
// its subject area's median is shown to a creator or a manager. Each median
// is a figure one creator really reported (the lower middle); over one or two
// creators it is another creator's own week, which only staff may see.
const MedianMinCreators = 5

// impactRange is a filter's weeks, resolved.
type impactRange struct {
	From, To WeekLabel
	Weeks    []WeekLabel // From..To, oldest first
}

// resolveImpactFilter checks a filter and fills in its range: an empty last
// week is the last ended one (the programme's first while none has ended), an
// empty first week DefaultImpactWeeks before it, not before the programme's first. A manager's filter is always their own agency; creators
// and anyone else are refused.
func resolveImpactFilter(tx *gorm.DB, a *Actor, f ImpactFilter, now time.Time) (ImpactFilter, impactRange, error) {
	switch {
	case a.IsStaff():
	case a != nil && a.Role == RoleMCNManager && a.AgencyID != nil:
		if f.AgencyID != 0 && f.AgencyID != *a.AgencyID {
			return f, impactRange{}, ErrForbidden
		}
		f.AgencyID = *a.AgencyID
	default:
		return f, impactRange{}, ErrForbidden
	}
	start, err := programmeStartWeek(tx)
	if err != nil {
		return f, impactRange{}, err
	}
	last := WeekOf(now).Prev()
	if last.Start().Before(start.Start()) {
		last = start
	}
	r := impactRange{To: last}
	fe := FieldErrors{}
	parse := func(field, s string, into *WeekLabel) {
		if s = strings.TrimSpace(s); s == "" {
			return
		}
		w, err := ParseWeek(s)
		if err != nil {
			fe[field] = msgOf(err)
			return
		}
		*into = w
	}
	parse("from", f.From, &r.From)
	parse("to", f.To, &r.To)
	if len(fe) > 0 {
		return f, r, fe
	}
	if r.From == (WeekLabel{}) {
		// The last DefaultImpactWeeks weeks, or the programme's weeks if fewer.
		r.From = r.To
		for i := 1; i < DefaultImpactWeeks && r.From.Start().After(start.Start()); i++ {
			r.From = r.From.Prev()
		}
	}
	if r.To.Start().Before(r.From.Start()) {
		return f, r, FieldErrors{"to": M("err_impact_range_order", "From", r.From.String(), "To", r.To.String())}
	}
	for w := r.From; !w.Start().After(r.To.Start()); w = WeekOf(w.End()) {
		if len(r.Weeks) == MaxImpactWeeks {
			return f, r, FieldErrors{"to": M("err_impact_range_too_long", "Max", MaxImpactWeeks)}
		}
		r.Weeks = append(r.Weeks, w)
	}
	f.From, f.To = r.From.String(), r.To.String()
	return f, r, nil
}
