package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ProgrammeMaxWeeklyFen is the programme's promise: never more than ¥30,000
// for one creator in one week, whatever a rule says. The database enforces it too.
const ProgrammeMaxWeeklyFen = 3_000_000

// Tier pays AmountFen once a measure reaches Min (fen for GMV, a count for views).
type Tier struct {
	Min       int64 `json:"min"`
	AmountFen int64 `json:"amount_fen"`
}

// BonusRule decides a creator's weekly bonus: the highest GMV tier reached,
// plus the highest views tier reached, plus an amount per video and per live
// session, capped at WeeklyCapFen.
type BonusRule struct {
	GMVTiers     []Tier `json:"gmv_tiers"`
	ViewTiers    []Tier `json:"view_tiers"`
	PerVideoFen  int64  `json:"per_video_fen"`
	PerLiveFen   int64  `json:"per_live_fen"`
	WeeklyCapFen int64  `json:"weekly_cap_fen"`
	FourEyesFen  int64  `json:"four_eyes_fen"` // at or above this, two different reviewers must approve
}

// DefaultBonusRule is the rule a new programme starts with.
var DefaultBonusRule = BonusRule{
	GMVTiers:     []Tier{{1_000_000, 50_000}, {5_000_000, 200_000}, {20_000_000, 800_000}, {100_000_000, 2_000_000}},
	ViewTiers:    []Tier{{100_000, 30_000}, {1_000_000, 150_000}, {10_000_000, 500_000}},
	PerVideoFen:  10_000,
	PerLiveFen:   30_000,
	WeeklyCapFen: 3_000_000,
	FourEyesFen:  2_000_000,
}

// Validate names every problem with a rule.
func (r BonusRule) Validate() FieldErrors {
	fe := FieldErrors{}
	checkTiers := func(field string, tiers []Tier) {
		for i, t := range tiers {
			switch {
			case t.Min <= 0 || t.AmountFen < 0:
				fe[field] = M("err_tier_not_positive", "N", i+1)
			case i > 0 && t.Min <= tiers[i-1].Min:
				fe[field] = M("err_tier_not_rising", "N", i+1)
			case t.AmountFen > ProgrammeMaxWeeklyFen:
				fe[field] = M("err_tier_above_max", "N", i+1, "Max", FormatYuan(ProgrammeMaxWeeklyFen))
			}
		}
		if len(tiers) > 10 {
			fe[field] = M("err_tiers_too_many", "N", 10)
		}
	}
	checkTiers("gmv_tiers", r.GMVTiers)
	checkTiers("view_tiers", r.ViewTiers)
	if r.PerVideoFen < 0 || r.PerVideoFen > ProgrammeMaxWeeklyFen {
		fe["per_video"] = Msg{ID: "err_per_video_range"}
	}
	if r.PerLiveFen < 0 || r.PerLiveFen > ProgrammeMaxWeeklyFen {
		fe["per_live"] = Msg{ID: "err_per_live_range"}
	}
	if r.WeeklyCapFen <= 0 || r.WeeklyCapFen > ProgrammeMaxWeeklyFen {
		fe["weekly_cap"] = M("err_weekly_cap_range", "Max", FormatYuan(ProgrammeMaxWeeklyFen))
	}
	switch {
	case r.FourEyesFen <= 0:
		fe["four_eyes"] = Msg{ID: "err_four_eyes_positive"}
	case r.FourEyesFen > r.WeeklyCapFen && r.WeeklyCapFen > 0:
		// Above the cap no bonus could reach it: one admin would switch four eyes off.
		fe["four_eyes"] = M("err_four_eyes_above_cap", "Threshold", FormatYuan(r.FourEyesFen), "Cap", FormatYuan(r.WeeklyCapFen))
	}
	return fe
}

// Breakdown explains how a bonus amount was reached; the bonus page shows it.
type Breakdown struct {
	RuleVersion uint  `json:"rule_version"`
	GMVFen      int64 `json:"gmv_fen"` // net of refunds: what the GMV tiers measure
	// RefundedGMVFen is what was taken off the week's GMV for refunds.
	RefundedGMVFen int64 `json:"refunded_gmv_fen,omitempty"`
	// Figures are the week's figures the bonus was computed from (issue 16);
	// absent in bonuses computed before.
	Figures     *Figures `json:"figures,omitempty"`
	GMVTier     int      `json:"gmv_tier"` // 1-based; 0 = none reached
	GMVPartFen  int64    `json:"gmv_part_fen"`
	Views       int64    `json:"views"`
	ViewTier    int      `json:"view_tier"`
	ViewPartFen int64    `json:"view_part_fen"`
	Videos      int64    `json:"videos"`
	VideoFen    int64    `json:"video_part_fen"`
	Live        int64    `json:"live_sessions"`
	LiveFen     int64    `json:"live_part_fen"`
	UncappedFen int64    `json:"uncapped_fen"`
	Capped      bool     `json:"capped"`
	AmountFen   int64    `json:"amount_fen"`
	// Pacing is what the week's budget did to the rule's amount (issue 17);
	// absent when the week was not paced.
	Pacing *Pacing `json:"pacing,omitempty"`
}

func highestTier(tiers []Tier, v int64) (int, int64) {
	tier, amount := 0, int64(0)
	for i, t := range tiers {
		if v >= t.Min {
			tier, amount = i+1, t.AmountFen
		}
	}
	return tier, amount
}

// Compute applies the rule to one week's performance. It does not decide
// eligibility (see Eligible); it always respects the cap.
func (r BonusRule) Compute(p WeeklyPerformance) Breakdown {
	fig := p.Figures()
	b := Breakdown{GMVFen: fig.NetGMVFen(), RefundedGMVFen: p.RefundedGMVFen, Figures: &fig, Views: p.Views, Videos: p.Videos, Live: p.LiveSessions}
	b.GMVTier, b.GMVPartFen = highestTier(r.GMVTiers, b.GMVFen)
	b.ViewTier, b.ViewPartFen = highestTier(r.ViewTiers, p.Views)
	b.VideoFen = satMul(p.Videos, r.PerVideoFen)
	b.LiveFen = satMul(p.LiveSessions, r.PerLiveFen)
	b.UncappedFen = b.GMVPartFen + b.ViewPartFen + b.VideoFen + b.LiveFen
	capFen := min(r.WeeklyCapFen, ProgrammeMaxWeeklyFen)
	b.AmountFen = b.UncappedFen
	if b.AmountFen > capFen {
		b.AmountFen, b.Capped = capFen, true
	}
	return b
}

// satMul multiplies without overflowing: anything past the cap is capped anyway.
func satMul(n, fen int64) int64 {
	if n <= 0 || fen <= 0 {
		return 0
	}
	if n > ProgrammeMaxWeeklyFen/fen+1 {
		return ProgrammeMaxWeeklyFen + 1
	}
	return n * fen
}

// Eligible says whether a creator earns anything for a week: qualified now,
// qualified before the week ended (a creator qualified mid-week counts for
// that week), and at least one video or live session in it. The message
// says why not.
func Eligible(c Creator, p WeeklyPerformance, week WeekLabel) (bool, Msg) {
	switch {
	case c.State != StateQualified:
		return false, Msg{ID: "ineligible_not_qualified"}
	case c.QualifiedAt == nil || !c.QualifiedAt.Before(week.End()):
		return false, Msg{ID: "ineligible_qualified_late"}
	case p.Videos+p.LiveSessions <= 0:
		return false, Msg{ID: "ineligible_no_content"}
	}
	return true, Msg{}
}

// BonusRuleVersion is one saved version of the rule; the newest is in force.
type BonusRuleVersion struct {
	Version     uint   `gorm:"primaryKey"`
	Rule        string `gorm:"type:text;not null"`
	CreatedByID *uint
	CreatedAt   time.Time
}

// CurrentBonusRule returns the rule in force and its version.
func (s *Store) CurrentBonusRule(ctx context.Context) (BonusRule, uint, error) {
	return currentRule(s.r(ctx))
}

func currentRule(tx *gorm.DB) (BonusRule, uint, error) {
	var v BonusRuleVersion
	if err := tx.Order("version DESC").First(&v).Error; err != nil {
		return BonusRule{}, 0, err
	}
	var r BonusRule
	if err := json.Unmarshal([]byte(v.Rule), &r); err != nil {
		return BonusRule{}, 0, fmt.Errorf("bonus rule version %d: %w", v.Version, err)
	}
	return r, v.Version, nil
}

// SaveBonusRule stores a new version of the rule directly, for seeding and
// the command line only (an actor without a user): a signed-in admin proposes
// a rule and a second admin approves it (ProposeBonusRule, ApproveChange).
func (s *Store) SaveBonusRule(ctx context.Context, a *Actor, r BonusRule) (uint, error) {
	if !a.isSystem() {
		return 0, ErrForbidden
	}
	if fe := r.Validate(); len(fe) > 0 {
		return 0, fe
	}
	var version uint
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		version, err = saveBonusRule(tx, a, r, 0)
		return err
	})
	return version, err
}

// saveBonusRule stores a validated rule as the next version and audits it;
// changeID names the approved proposal behind it (0: set directly).
func saveBonusRule(tx *gorm.DB, a *Actor, r BonusRule, changeID uint) (uint, error) {
	before, oldVersion, err := currentRule(tx)
	if err != nil {
		return 0, err
	}
	v := BonusRuleVersion{Version: oldVersion + 1, Rule: toJSON(r)}
	if a.UserID != 0 {
		id := a.UserID
		v.CreatedByID = &id
	}
	if err := tx.Create(&v).Error; err != nil {
		return 0, err
	}
	var after any = r
	if changeID != 0 {
		after = map[string]any{"rule": r, "change_id": changeID}
	}
	return v.Version, appendAudit(tx, a, "settings.bonus_rule", "bonus_rule", v.Version, before, after)
}
