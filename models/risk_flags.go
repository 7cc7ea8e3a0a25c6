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
// stay as they were when decided, and flags of withdrawn proposals go. Only
// what changed is written: recomputing a week whose figures did not move
// (a rule change) rewrites no flag.
func saveRiskFlags(tx *gorm.DB, week string, flags map[uint][]RiskFlag) error {
	if err := tx.Exec(`DELETE FROM bonus_risk_flags WHERE week = ? AND NOT EXISTS
		(SELECT 1 FROM bonuses b WHERE b.id = bonus_risk_flags.bonus_id)`, week).Error; err != nil {
		return err
	}
	type stored struct {
		ID        uint
		BonusID   uint
		CreatorID uint
		Kind      RiskKind
		Args      string
	}
	var old []stored
	if err := tx.Table("bonus_risk_flags AS f").Joins("JOIN bonuses b ON b.id = f.bonus_id").
		Where("f.week = ? AND b.state = ?", week, BonusProposed).Order("f.id").
		Select("f.id, f.bonus_id, b.creator_id, f.kind, f.args").Scan(&old).Error; err != nil {
		return err
	}
	oldOf := map[uint][]stored{}
	bonusOf := map[uint]uint{}
	for _, f := range old {
		oldOf[f.CreatorID] = append(oldOf[f.CreatorID], f)
		bonusOf[f.CreatorID] = f.BonusID
	}
	// The new flags as they would be stored, and the creators whose flags change.
	type encoded struct {
		kind RiskKind
		args string
	}
	newOf := make(map[uint][]encoded, len(flags))
	var changed []uint
	for id, fs := range flags {
		for _, f := range fs {
			args, err := encodeArgs(f.Args)
			if err != nil {
				return err
			}
			newOf[id] = append(newOf[id], encoded{f.Kind, args})
		}
	}
	for id := range oldOf {
		if _, ok := newOf[id]; !ok {
			changed = append(changed, id)
		}
	}
	for id, fs := range newOf {
		was := oldOf[id]
		same := len(was) == len(fs)
		for i := 0; same && i < len(fs); i++ {
			same = was[i].Kind == fs[i].kind && was[i].Args == fs[i].args
		}
		if !same {
			changed = append(changed, id)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	slices.Sort(changed)
	// Bonus ids of creators flagged for the first time.
	var missing []uint
	for _, id := range changed {
		if _, ok := bonusOf[id]; !ok && len(newOf[id]) > 0 {
			missing = append(missing, id)
		}
	}
	for _, part := range chunks(missing, 500) {
		var bonuses []Bonus
		if err := tx.Select("id, creator_id").Where("week = ? AND state = ? AND creator_id IN ?", week, BonusProposed, part).
			Find(&bonuses).Error; err != nil {
			return err
		}
		for _, b := range bonuses {
			bonusOf[b.CreatorID] = b.ID
		}
	}
	type summary struct {
		count int
		mask  int64
	}
	groups := map[summary][]uint{}
	var drop []uint
	var rows []BonusRiskFlag
	for _, id := range changed {
		for _, f := range oldOf[id] {
			drop = append(drop, f.ID)
		}
		bonus, ok := bonusOf[id]
		if !ok {
			continue // no waiting proposal (flagProposals keeps only those; a race-free tx makes this rare)
		}
		var sum summary
		for _, f := range newOf[id] {
			rows = append(rows, BonusRiskFlag{BonusID: bonus, Week: week, Kind: f.kind, Args: f.args})
			sum.count++
			sum.mask |= f.kind.Bit()
		}
		groups[sum] = append(groups[sum], bonus)
	}
	for _, part := range chunks(drop, 500) {
		if err := tx.Where("id IN ?", part).Delete(&BonusRiskFlag{}).Error; err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
			return err
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
// Memoised like the dashboard's other counts: on PostgreSQL it costs 10–50 ms
// at programme scale, which every dashboard request paid.
func (s *Store) FlaggedWaiting(ctx context.Context) ([]FlaggedKind, error) {
	return counted(ctx, s, "flagged_waiting", s.flaggedWaiting)
}

func (s *Store) flaggedWaiting(ctx context.Context) ([]FlaggedKind, error) {
	var rows []FlaggedKind
	// From the flagged waiting bonuses (idx_bonus_state_risk) to their flags (idx_risk_flag_bonus).
	if err := s.r(ctx).Table("bonuses AS b").Joins("JOIN bonus_risk_flags f ON f.bonus_id = b.id").
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
