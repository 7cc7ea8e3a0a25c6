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

// WhatIf applies the current rule and a proposed one to the last computed
// week, without writing anything.
func (s *Store) WhatIf(ctx context.Context, proposed BonusRule) (current, next RuleImpact, err error) {
	weeks, err := s.ComputedWeeks(ctx, 1)
	if err != nil || len(weeks) == 0 {
		return current, next, err
	}
	week, err := ParseWeek(weeks[0])
	if err != nil {
		return current, next, err
	}
	rule, version, err := s.CurrentBonusRule(ctx)
	if err != nil {
		return current, next, err
	}
	rows, err := loadWeekPerformance(s.r(ctx), week.String())
	if err != nil {
		return current, next, err
	}
	impact := func(r BonusRule) RuleImpact {
		out := RuleImpact{Week: week.String()}
		for _, b := range proposalsFor(r, version, week, rows, s.now()) {
			out.Creators++
			out.TotalFen += b.AmountFen
			out.LargestFen = max(out.LargestFen, b.AmountFen)
			if b.Explain().Capped {
				out.Capped++
			}
			if b.AmountFen >= r.FourEyesFen {
				out.FourEyes++
			}
		}
		return out
	}
	return impact(rule), impact(proposed), nil
}
