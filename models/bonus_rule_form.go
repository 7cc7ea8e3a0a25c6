package models

import (
	"context"
	"strconv"
	"strings"
)

// RuleForm is the bonus rule as typed on the settings page: money in yuan,
// one tier per line as "threshold = amount".
type RuleForm struct {
	GMVTiers  string // "10000 = 500": GMV in yuan = bonus in yuan
	ViewTiers string // "100000 = 300": views = bonus in yuan
	PerVideo  string
	PerLive   string
	WeeklyCap string
	FourEyes  string
}

// FormOf renders a rule for editing.
func FormOf(r BonusRule) RuleForm {
	tiers := func(ts []Tier, money bool) string {
		var lines []string
		for _, t := range ts {
			min := strconv.FormatInt(t.Min, 10)
			if money {
				min = YuanDecimal(t.Min)
			}
			lines = append(lines, min+" = "+YuanDecimal(t.AmountFen))
		}
		return strings.Join(lines, "\n")
	}
	return RuleForm{GMVTiers: tiers(r.GMVTiers, true), ViewTiers: tiers(r.ViewTiers, false),
		PerVideo: YuanDecimal(r.PerVideoFen), PerLive: YuanDecimal(r.PerLiveFen),
		WeeklyCap: YuanDecimal(r.WeeklyCapFen), FourEyes: YuanDecimal(r.FourEyesFen)}
}

// Parse reads the form into a rule and validates it; every problem is named.
func (f RuleForm) Parse() (BonusRule, FieldErrors) {
	fe := FieldErrors{}
	var r BonusRule
	parseTiers := func(field, text string, money bool) []Tier {
		var out []Tier
		for i, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			left, right, ok := strings.Cut(line, "=")
			if !ok {
				fe[field] = M("err_tier_line_format", "N", i+1)
				return nil
			}
			var min int64
			var err error
			if money {
				min, err = ParseYuan(left)
			} else {
				min, err = strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(left), ",", ""), 10, 64)
			}
			if err != nil {
				fe[field] = M("err_tier_threshold_not_number", "N", i+1, "Value", strings.TrimSpace(left))
				return nil
			}
			amount, err := ParseYuan(right)
			if err != nil {
				fe[field] = M("err_tier_line", "N", i+1, "Problem", msgOf(err))
				return nil
			}
			out = append(out, Tier{Min: min, AmountFen: amount})
		}
		return out
	}
	r.GMVTiers = parseTiers("gmv_tiers", f.GMVTiers, true)
	r.ViewTiers = parseTiers("view_tiers", f.ViewTiers, false)
	for field, p := range map[string]struct {
		in  string
		dst *int64
	}{"per_video": {f.PerVideo, &r.PerVideoFen}, "per_live": {f.PerLive, &r.PerLiveFen}, "weekly_cap": {f.WeeklyCap, &r.WeeklyCapFen}, "four_eyes": {f.FourEyes, &r.FourEyesFen}} {
		v, err := ParseYuan(p.in)
		if err != nil {
			fe[field] = msgOf(err)
			continue
		}
		*p.dst = v
	}
	if len(fe) > 0 {
		return r, fe
	}
	return r, r.Validate()
}

// RuleImpact is what a rule does to one computed week.
type RuleImpact struct {
	Week       string
	Creators   int
	TotalFen   int64
	LargestFen int64
	Capped     int
	FourEyes   int
}

// WhatIfResult is a proposed bonus rule's effect on the last computed week:
// both rules' totals, the creators whose amount moves most either way, and
// what it means for the creator pool's remaining money.
type WhatIfResult struct {
	Current, Proposed RuleImpact
	Up, Down          []RuleMover   // the largest rises and falls, largest first (at most MoversShown each)
	PoolLeftFen       int64         // the creator pool's money not yet committed, now
	ChangeFen         int64         // proposed minus current total for the week
	LeftAfterFen      int64         // PoolLeftFen − ChangeFen: what a week like it would leave under the proposed rule
	Overspends        bool          // LeftAfterFen < 0
	Budget            *WhatIfBudget // the week's budget against both totals, and when the pool runs out (issue 17)
}

// RuleMover is one creator whose amount the proposed rule changes.
type RuleMover struct {
	CreatorID uint
	Name      string
	OldFen    int64
	NewFen    int64
}

// DiffFen is the change (new − old).
func (m RuleMover) DiffFen() int64 { return m.NewFen - m.OldFen }

// MoversShown is how many rises and how many falls the what-if lists.
const MoversShown = 10

// WhatIf applies the current rule and a proposed one to the last computed
// week, without writing anything (Current.Week is "" when no week is
// computed yet). The work is bounded: one pass over the week's performance
// per rule, the movers kept in two lists of MoversShown as it goes, and one
// query for the names of those at most 2×MoversShown creators.
func (s *Store) WhatIf(ctx context.Context, proposed BonusRule) (*WhatIfResult, error) {
	out := &WhatIfResult{}
	weeks, err := s.ComputedWeeks(ctx, 1)
	if err != nil || len(weeks) == 0 {
		return out, err
	}
	week, err := ParseWeek(weeks[0])
	if err != nil {
		return nil, err
	}
	rule, version, err := s.CurrentBonusRule(ctx)
	if err != nil {
		return nil, err
	}
	db := s.r(ctx)
	rows, err := loadWeekPerformance(db, week.String())
	if err != nil {
		return nil, err
	}
	impact := func(r BonusRule) (RuleImpact, map[uint]int64) {
		out := RuleImpact{Week: week.String()}
		amounts := map[uint]int64{}
		bonuses, capped := proposalsCapped(r, version, week, rows, s.now())
		for i, b := range bonuses {
			out.Creators++
			out.TotalFen += b.AmountFen
			out.LargestFen = max(out.LargestFen, b.AmountFen)
			if capped[i] {
				out.Capped++
			}
			if b.AmountFen >= r.FourEyesFen {
				out.FourEyes++
			}
			amounts[b.CreatorID] = b.AmountFen
		}
		return out, amounts
	}
	var oldFen, newFen map[uint]int64
	out.Current, oldFen = impact(rule)
	out.Proposed, newFen = impact(proposed)
	for _, p := range rows { // every creator of the week once, in creator order
		m := RuleMover{CreatorID: p.CreatorID, OldFen: oldFen[p.CreatorID], NewFen: newFen[p.CreatorID]}
		switch d := m.DiffFen(); {
		case d > 0:
			out.Up = keepTop(out.Up, m, func(a, b RuleMover) bool { return a.DiffFen() > b.DiffFen() })
		case d < 0:
			out.Down = keepTop(out.Down, m, func(a, b RuleMover) bool { return a.DiffFen() < b.DiffFen() })
		}
	}
	ids := make([]uint, 0, len(out.Up)+len(out.Down))
	for _, m := range append(append([]RuleMover{}, out.Up...), out.Down...) {
		ids = append(ids, m.CreatorID)
	}
	if len(ids) > 0 {
		var names []struct {
			ID          uint
			DisplayName string
		}
		if err := db.Table("creators").Select("id, display_name").Where("id IN ?", ids).Scan(&names).Error; err != nil {
			return nil, err
		}
		byID := make(map[uint]string, len(names))
		for _, n := range names {
			byID[n.ID] = n.DisplayName
		}
		for _, list := range [][]RuleMover{out.Up, out.Down} {
			for i := range list {
				list[i].Name = byID[list[i].CreatorID]
			}
		}
	}
	var pool Pool
	if err := db.Where("name = ?", PoolCreators).First(&pool).Error; err != nil {
		return nil, err
	}
	out.PoolLeftFen = pool.LeftFen()
	out.ChangeFen = out.Proposed.TotalFen - out.Current.TotalFen
	out.LeftAfterFen = out.PoolLeftFen - out.ChangeFen
	out.Overspends = out.LeftAfterFen < 0
	if out.Budget, err = whatIfBudget(db, week, out.Current.TotalFen, out.Proposed.TotalFen); err != nil {
		return nil, err
	}
	return out, nil
}

// keepTop inserts m into list, kept sorted by before and at most MoversShown
// long; ties keep the earlier (lower creator ID) first.
func keepTop(list []RuleMover, m RuleMover, before func(a, b RuleMover) bool) []RuleMover {
	i := len(list)
	for i > 0 && before(m, list[i-1]) {
		i--
	}
	if i >= MoversShown {
		return list
	}
	list = append(list, RuleMover{})
	copy(list[i+1:], list[i:])
	list[i] = m
	if len(list) > MoversShown {
		list = list[:MoversShown]
	}
	return list
}
