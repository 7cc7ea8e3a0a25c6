package models

import (
	"context"
	"encoding/json"
	"slices"

	"gorm.io/gorm"
)

// BonusRiskFlag is one risk flag a weekly bonus carries, with the figures
// that raised it (JSON message arguments, typed as in notifications).
type BonusRiskFlag struct {
	ID      uint     `gorm:"primaryKey"`
	BonusID uint     `gorm:"not null;index:idx_risk_flag_week_kind,priority:3;index:idx_risk_flag_bonus"`
	Week    string   `gorm:"size:8;not null;index:idx_risk_flag_week_kind,priority:1"`
	Kind    RiskKind `gorm:"size:24;not null;index:idx_risk_flag_week_kind,priority:2"`
	Args    string   `gorm:"type:text;not null"`
}

// Flag reads the stored flag back.
func (f BonusRiskFlag) Flag() RiskFlag {
	args, err := decodeArgs(f.Args)
	if err != nil {
		args = nil // written by encodeArgs: only a hand-edited row fails, and then the words without figures
	}
	return RiskFlag{Kind: f.Kind, Args: args}
}

// Bit is the kind's bit in Bonus.RiskMask (0 for an unknown kind).
func (k RiskKind) Bit() int64 {
	if i := slices.Index(RiskKinds, k); i >= 0 {
		return 1 << i
	}
	return 0
}

// Valid reports whether k is a known kind.
func (k RiskKind) Valid() bool { return k.Bit() != 0 }

// KindsOf lists the kinds a mask holds, in RiskKinds order.
func KindsOf(mask int64) []RiskKind {
	var out []RiskKind
	for _, k := range RiskKinds {
		if mask&k.Bit() != 0 {
			out = append(out, k)
		}
	}
	return out
}

// saveRiskFlags replaces the flags of the week's proposals still waiting
// (state proposed) with flags, by creator id; the flags of decided bonuses
// stay as they were when decided. Proposals flagged before and clean now are
// cleared; flags of withdrawn proposals go.
func saveRiskFlags(tx *gorm.DB, week string, flags map[uint][]RiskFlag) error {
	if err := tx.Exec(`DELETE FROM bonus_risk_flags WHERE week = ? AND NOT EXISTS
		(SELECT 1 FROM bonuses b WHERE b.id = bonus_risk_flags.bonus_id AND b.state <> ?)`, week, BonusProposed).Error; err != nil {
		return err
	}
	if err := tx.Model(&Bonus{}).Where("week = ? AND state = ? AND risk_count > 0", week, BonusProposed).
		Updates(map[string]any{"risk_count": 0, "risk_mask": 0}).Error; err != nil {
		return err
	}
	creators := make([]uint, 0, len(flags))
	for id := range flags {
		creators = append(creators, id)
	}
	slices.Sort(creators)
	type summary struct {
		count int
		mask  int64
	}
	groups := map[summary][]uint{}
	for _, part := range chunks(creators, 500) {
		var bonuses []Bonus
		if err := tx.Select("id, creator_id").Where("week = ? AND state = ? AND creator_id IN ?", week, BonusProposed, part).
			Order("id").Find(&bonuses).Error; err != nil {
			return err
		}
		rows := make([]BonusRiskFlag, 0, len(bonuses))
		for _, b := range bonuses {
			var sum summary
			for _, f := range flags[b.CreatorID] {
				args, err := encodeArgs(f.Args)
				if err != nil {
					return err
				}
				rows = append(rows, BonusRiskFlag{BonusID: b.ID, Week: week, Kind: f.Kind, Args: args})
				sum.count++
				sum.mask |= f.Kind.Bit()
			}
			if sum.count > 0 {
				groups[sum] = append(groups[sum], b.ID)
			}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
				return err
			}
		}
	}
	for sum, ids := range groups {
		for _, part := range chunks(ids, 500) {
			if err := tx.Model(&Bonus{}).Where("id IN ?", part).
				Updates(map[string]any{"risk_count": sum.count, "risk_mask": sum.mask}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// BonusRiskFlags lists the flags of one bonus the actor may see, in RiskKinds order.
func (s *Store) BonusRiskFlags(ctx context.Context, a *Actor, bonusID uint) ([]RiskFlag, error) {
	if !a.IsStaff() {
		return nil, nil // flags are for reviewers
	}
	var rows []BonusRiskFlag
	if err := s.r(ctx).Where("bonus_id = ?", bonusID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]RiskFlag, len(rows))
	for i, r := range rows {
		out[i] = r.Flag()
	}
	slices.SortStableFunc(out, func(a, b RiskFlag) int { return slices.Index(RiskKinds, a.Kind) - slices.Index(RiskKinds, b.Kind) })
	return out, nil
}

// RiskFlagsOf loads the flags of several bonuses (a queue page), by bonus id.
func (s *Store) RiskFlagsOf(ctx context.Context, a *Actor, bonusIDs []uint) (map[uint][]RiskFlag, error) {
	out := map[uint][]RiskFlag{}
	if !a.IsStaff() {
		return out, nil
	}
	for _, part := range chunks(bonusIDs, 500) {
		var rows []BonusRiskFlag
		if err := s.r(ctx).Where("bonus_id IN ?", part).Order("id").Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.BonusID] = append(out[r.BonusID], r.Flag())
		}
	}
	for id := range out {
		slices.SortStableFunc(out[id], func(a, b RiskFlag) int { return slices.Index(RiskKinds, a.Kind) - slices.Index(RiskKinds, b.Kind) })
	}
	return out, nil
}

// FlaggedKind is how many waiting proposals carry one kind of flag, and their amount.
type FlaggedKind struct {
	Kind     RiskKind
	Count    int64
	TotalFen int64
}

// FlaggedWaiting counts the proposals waiting for a decision (proposed or
// awaiting a second approval) by flag kind, in RiskKinds order, every kind
// listed. A proposal with two kinds counts under both.
func (s *Store) FlaggedWaiting(ctx context.Context) ([]FlaggedKind, error) {
	var rows []FlaggedKind
	if err := s.r(ctx).Table("bonus_risk_flags AS f").Joins("JOIN bonuses b ON b.id = f.bonus_id").
		Where("b.state IN ? AND b.risk_count > 0", []BonusState{BonusProposed, BonusAwaitingSecond}).
		Group("f.kind").Select("f.kind AS kind, COUNT(*) AS count, COALESCE(SUM(b.amount_fen), 0) AS total_fen").Scan(&rows).Error; err != nil {
		return nil, err
	}
	by := map[RiskKind]FlaggedKind{}
	for _, r := range rows {
		by[r.Kind] = r
	}
	out := make([]FlaggedKind, len(RiskKinds))
	for i, k := range RiskKinds {
		out[i] = by[k]
		out[i].Kind = k
	}
	return out, nil
}

// riskThresholdsKey is where the thresholds in force are kept (settings).
const riskThresholdsKey = "risk_thresholds"

// loadRiskThresholds reads the thresholds in force: the defaults until two
// admins change them. Fields a stored value lacks keep their defaults.
func loadRiskThresholds(tx *gorm.DB) (RiskThresholds, error) {
	t := DefaultRiskThresholds
	var st []Setting
	if err := tx.Where("key = ?", riskThresholdsKey).Limit(1).Find(&st).Error; err != nil {
		return t, err
	}
	if len(st) == 0 {
		return t, nil
	}
	return t, json.Unmarshal([]byte(st[0].Value), &t)
}
