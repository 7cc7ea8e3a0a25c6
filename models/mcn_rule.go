package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MCNRule is the monthly agency bonus: agencies that deliver their quota of
// newly qualified creators in a month earn MeetFen plus PerExtraFen for each
// creator above the quota, never more than MaxFen.
type MCNRule struct {
	DefaultQuota int   `json:"default_quota"`
	MeetFen      int64 `json:"meet_fen"`
	PerExtraFen  int64 `json:"per_extra_fen"`
	MaxFen       int64 `json:"max_fen"`
	FourEyesFen  int64 `json:"four_eyes_fen"`
}

// DefaultMCNRule is what a new programme starts with.
var DefaultMCNRule = MCNRule{DefaultQuota: 10, MeetFen: 2_000_000, PerExtraFen: 100_000, MaxFen: 5_000_000, FourEyesFen: 3_000_000}

// Validate names every problem with the rule.
func (r MCNRule) Validate() FieldErrors {
	fe := FieldErrors{}
	if r.DefaultQuota < 1 || r.DefaultQuota > 100_000 {
		fe["default_quota"] = Msg{ID: "err_quota_range"}
	}
	if r.MeetFen < 0 || r.PerExtraFen < 0 {
		fe["meet"] = Msg{ID: "err_amounts_negative"}
	}
	if r.MaxFen <= 0 || r.MaxFen > DefaultMCNPoolFen {
		fe["max"] = Msg{ID: "err_mcn_max_range"}
	}
	if r.MeetFen > r.MaxFen {
		fe["meet"] = Msg{ID: "err_meet_above_max"}
	}
	switch {
	case r.FourEyesFen <= 0:
		fe["four_eyes"] = Msg{ID: "err_four_eyes_positive"}
	case r.FourEyesFen > r.MaxFen && r.MaxFen > 0:
		// Above the maximum no agency bonus could reach it: four eyes would be off.
		fe["four_eyes"] = M("err_four_eyes_above_mcn_max", "Threshold", FormatYuan(r.FourEyesFen), "Max", FormatYuan(r.MaxFen))
	}
	return fe
}

// Amount is what an agency earns for a month, and whether it met its quota.
func (r MCNRule) Amount(quota, delivered int) (int64, bool) {
	if quota <= 0 || delivered < quota {
		return 0, false
	}
	extra := int64(delivered - quota)
	amount := r.MeetFen
	if r.PerExtraFen > 0 && extra > (r.MaxFen-amount)/r.PerExtraFen {
		return r.MaxFen, true
	}
	return min(amount+extra*r.PerExtraFen, r.MaxFen), true
}

const mcnRuleKey = "mcn_rule"

// MCNRuleNow returns the MCN rule in force.
func (s *Store) MCNRuleNow(ctx context.Context) (MCNRule, error) { return mcnRule(s.r(ctx)) }

func mcnRule(tx *gorm.DB) (MCNRule, error) {
	var st Setting
	err := tx.Where("key = ?", mcnRuleKey).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultMCNRule, nil
	}
	if err != nil {
		return MCNRule{}, err
	}
	var r MCNRule
	return r, json.Unmarshal([]byte(st.Value), &r)
}

// SaveMCNRule changes the MCN rule directly, for seeding and the command line
// only (an actor without a user): a signed-in admin proposes the change and a
// second admin approves it (ProposeMCNRule, ApproveChange).
func (s *Store) SaveMCNRule(ctx context.Context, a *Actor, r MCNRule) error {
	if !a.isSystem() {
		return ErrForbidden
	}
	if fe := r.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return saveMCNRule(tx, a, r, 0) })
}

// saveMCNRule stores a validated rule and audits it; changeID names the
// approved proposal behind it (0: set directly).
func saveMCNRule(tx *gorm.DB, a *Actor, r MCNRule, changeID uint) error {
	before, err := mcnRule(tx)
	if err != nil {
		return err
	}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
		Create(&Setting{Key: mcnRuleKey, Value: toJSON(r)}).Error; err != nil {
		return err
	}
	var after any = r
	if changeID != 0 {
		after = map[string]any{"rule": r, "change_id": changeID}
	}
	return appendAudit(tx, a, "settings.mcn_rule", "mcn_rule", 0, before, after)
}

// AgencyQuota overrides the default quota for one agency from a month on.
// Rows are never changed: a new override from a later month replaces it then.
type AgencyQuota struct {
	ID          uint   `gorm:"primaryKey"`
	AgencyID    uint   `gorm:"not null;uniqueIndex:idx_agency_quota_from,priority:1"`
	FromMonth   string `gorm:"size:7;not null;uniqueIndex:idx_agency_quota_from,priority:2"`
	Quota       int    `gorm:"not null"`
	CreatedByID *uint
	CreatedAt   time.Time
}

// SetAgencyQuota sets an agency's quota from a month on (staff, audited).
// The month may not be in the past: closed months keep the quota they had.
func (s *Store) SetAgencyQuota(ctx context.Context, a *Actor, agencyID uint, from string, quota int, now time.Time) error {
	if !a.IsStaff() {
		return ErrForbidden
	}
	m, err := ParseMonth(from)
	if err != nil {
		return FieldErrors{"from_month": msgOf(err)}
	}
	if m.String() < MonthOf(now).String() {
		return FieldErrors{"from_month": M("err_month_passed", "Month", m.String())}
	}
	if quota < 1 || quota > 100_000 {
		return FieldErrors{"quota": Msg{ID: "err_quota_range"}}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").First(&Agency{}, agencyID).Error; err != nil {
			return notFound(err)
		}
		q := AgencyQuota{AgencyID: agencyID, FromMonth: m.String(), Quota: quota}
		if a.UserID != 0 {
			id := a.UserID
			q.CreatedByID = &id
		}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "agency_id"}, {Name: "from_month"}},
			DoUpdates: clause.AssignmentColumns([]string{"quota"})}).Create(&q).Error
		if err != nil {
			return err
		}
		return appendAudit(tx, a, "agency.quota", "agency", agencyID, nil, map[string]any{"from_month": m.String(), "quota": quota})
	})
}

// quotaBook answers an agency's quota for any month from its overrides.
type quotaBook struct {
	def       int
	overrides map[uint][]AgencyQuota // by agency, ascending FromMonth
}

func loadQuotaBook(tx *gorm.DB, agencyIDs []uint) (*quotaBook, error) {
	rule, err := mcnRule(tx)
	if err != nil {
		return nil, err
	}
	q := tx.Order("agency_id, from_month")
	if agencyIDs != nil {
		q = q.Where("agency_id IN ?", agencyIDs)
	}
	var rows []AgencyQuota
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	b := &quotaBook{def: rule.DefaultQuota, overrides: map[uint][]AgencyQuota{}}
	for _, r := range rows {
		b.overrides[r.AgencyID] = append(b.overrides[r.AgencyID], r)
	}
	return b, nil
}

// For returns the quota of an agency in a month: the latest override that
// started on or before it, else the programme default.
func (b *quotaBook) For(agencyID uint, m MonthLabel) int {
	quota := b.def
	for _, o := range b.overrides[agencyID] {
		if o.FromMonth <= m.String() {
			quota = o.Quota
		}
	}
	return quota
}

// QuotaHistory lists an agency's overrides, newest first.
func (s *Store) QuotaHistory(ctx context.Context, a *Actor, agencyID uint) ([]AgencyQuota, error) {
	if _, err := s.GetAgency(ctx, a, agencyID); err != nil {
		return nil, err
	}
	var out []AgencyQuota
	return out, s.r(ctx).Where("agency_id = ?", agencyID).Order("from_month DESC").Find(&out).Error
}
