package models

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// ReasonCode is an admin-kept reason for a decision: rejecting or suspending
// a creator, rejecting a weekly bonus, rejecting an agency's monthly bonus.
// Its kind is its scope: a decision takes only reasons of its own scope.
type ReasonCode struct {
	ID     uint   `gorm:"primaryKey"`
	Kind   string `gorm:"size:10;not null;default:creator;index"` // ReasonForCreator, ReasonForBonus or ReasonForMCNBonus
	Code   string `gorm:"size:40;not null;uniqueIndex"`
	Label  string `gorm:"size:120;not null"`
	Active bool   `gorm:"not null;default:true"`
	// DistrustsPerformance: a weekly bonus rejected for this reason was rejected
	// because its figures are not to be believed (brushed orders, borrowed content).
	DistrustsPerformance bool `gorm:"not null;default:false"`
}

// What a reason code explains.
const (
	ReasonForCreator  = "creator"   // rejecting or suspending a creator
	ReasonForBonus    = "bonus"     // rejecting a creator's weekly bonus
	ReasonForMCNBonus = "mcn_bonus" // rejecting an agency's monthly bonus (before issue 14 these took weekly-bonus reasons)
)

// ReasonKinds lists the scopes of reason codes in display order.
var ReasonKinds = []string{ReasonForCreator, ReasonForBonus, ReasonForMCNBonus}

// DefaultMCNBonusReasonCodes are the reasons for rejecting an agency's
// monthly bonus that a migration step creates from its own frozen copy
// (mcnBonusReasonCodesV13).
var DefaultMCNBonusReasonCodes = []ReasonCode{
	{Kind: ReasonForMCNBonus, Code: "mcn_quota_not_met", Label: "Quota not met as reported"},
	{Kind: ReasonForMCNBonus, Code: "mcn_data_disputed", Label: "Agency data disputed"},
	{Kind: ReasonForMCNBonus, Code: "mcn_creators_ineligible", Label: "Delivered creators found ineligible"},
	{Kind: ReasonForMCNBonus, Code: "mcn_duplicate_claim", Label: "Duplicate claim for the month"},
}

// ErrReasonWrongScope means a decision was given a reason of another scope
// (a creator's reason for an MCN bonus, say); the error returned is a
// ReasonScopeError naming the reason and both scopes.
var ErrReasonWrongScope = sentinel("err_reason_wrong_scope", "the reason is not one for this kind of decision")

// ReasonScopeError is a reason refused because its scope is not the decision's.
type ReasonScopeError struct {
	Code string // the reason given
	Kind string // its scope
	Want string // the decision's scope
}

func (e ReasonScopeError) Error() string {
	return "reason " + e.Code + " is for " + e.Kind + " decisions, not " + e.Want
}

// Unwrap makes errors.Is(err, ErrReasonWrongScope) true.
func (e ReasonScopeError) Unwrap() error { return ErrReasonWrongScope }

// Msg names the refused reason.
func (e ReasonScopeError) Msg() Msg { return M("err_reason_wrong_scope", "Reason", Reason(e.Code)) }

// DefaultBonusReasonCodes are the reasons for rejecting a bonus that
// migration step 2 creates from its own frozen copy (bonusReasonCodesV2);
// the one about fake figures distrusts performance (migrateDistrustReasons).
var DefaultBonusReasonCodes = []ReasonCode{
	{Kind: ReasonForBonus, Code: "unverified_performance", Label: "Performance could not be verified"},
	{Kind: ReasonForBonus, Code: "suspected_fake_traffic", Label: "Suspected fake views or orders", DistrustsPerformance: true},
	{Kind: ReasonForBonus, Code: "content_removed", Label: "Content removed for a policy breach"},
	{Kind: ReasonForBonus, Code: "duplicate_claim", Label: "Duplicate claim"},
}

// DefaultReasonCodes are the reasons for rejecting or suspending a creator
// that migration step 1 creates from its own frozen copy (reasonCodesV1).
var DefaultReasonCodes = []ReasonCode{
	{Code: "below_follower_threshold", Label: "Below follower threshold"},
	{Code: "duplicate_account", Label: "Duplicate account"},
	{Code: "content_policy", Label: "Content policy"},
	{Code: "incomplete_information", Label: "Incomplete information"},
	{Code: "suspected_fraud", Label: "Suspected fraud"},
}

// DefaultReasonLabel is the label a default reason code was created with
// ("" for a code that is not a default one): while a reason keeps it, pages
// show the catalogue's wording in the reader's language instead.
func DefaultReasonLabel(code string) string {
	for _, list := range [][]ReasonCode{DefaultReasonCodes, DefaultBonusReasonCodes, DefaultMCNBonusReasonCodes} {
		for _, r := range list {
			if r.Code == code {
				return r.Label
			}
		}
	}
	return ""
}

var reasonCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ReasonCodes lists reason codes of a kind ("" for all); activeOnly hides retired ones.
func (s *Store) ReasonCodes(ctx context.Context, kind string, activeOnly bool) ([]ReasonCode, error) {
	q := s.r(ctx).Order("kind, label")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	if activeOnly {
		q = q.Where("active = ?", true)
	}
	var out []ReasonCode
	return out, q.Find(&out).Error
}

// CreateReasonCode adds a reason code of a kind (admin only).
func (s *Store) CreateReasonCode(ctx context.Context, a *Actor, kind, code, label string) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	code, label = strings.TrimSpace(code), strings.TrimSpace(label)
	fe := FieldErrors{}
	if !reasonCodePattern.MatchString(code) {
		fe["code"] = Msg{ID: "err_reason_code_format"}
	}
	if label == "" || len([]rune(label)) > 120 {
		fe["label"] = M("err_label_length", "N", 120)
	}
	checkTexts(fe, map[string]string{"label": label})
	if !slices.Contains(ReasonKinds, kind) {
		fe["kind"] = Msg{ID: "err_reason_kind"}
	}
	if len(fe) > 0 {
		return fe
	}
	rc := ReasonCode{Kind: kind, Code: code, Label: label, Active: true}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&rc).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"code": M("err_code_taken", "Code", code)}
			}
			return err
		}
		return appendAudit(tx, a, "reason.create", "reason_code", rc.ID, nil, map[string]any{"kind": kind, "code": code, "label": label})
	})
}

// UpdateReasonCode relabels or (de)activates a reason code (admin only),
// keeping whether it distrusts performance.
func (s *Store) UpdateReasonCode(ctx context.Context, a *Actor, id uint, label string, active bool) error {
	return s.updateReasonCode(ctx, a, id, label, active, nil)
}

// UpdateReasonCodeDistrust is UpdateReasonCode that also sets whether a
// weekly-bonus reason distrusts the week's performance (issue 16). Only
// weekly-bonus reasons may: for others the mark is refused.
func (s *Store) UpdateReasonCodeDistrust(ctx context.Context, a *Actor, id uint, label string, active, distrusts bool) error {
	return s.updateReasonCode(ctx, a, id, label, active, &distrusts)
}

// ErrDistrustOnlyBonusReasons refuses the "performance not trusted" mark on a
// reason that does not reject a weekly bonus.
var ErrDistrustOnlyBonusReasons = sentinel("err_distrust_only_bonus_reasons", "only weekly-bonus reasons can distrust performance")

func (s *Store) updateReasonCode(ctx context.Context, a *Actor, id uint, label string, active bool, distrusts *bool) error {
	if a.Role != RoleAdmin {
		return ErrForbidden
	}
	label = strings.TrimSpace(label)
	if label == "" || len([]rune(label)) > 120 {
		return FieldErrors{"label": M("err_label_length", "N", 120)}
	}
	if msg := CheckText(label, false); !msg.IsZero() {
		return FieldErrors{"label": msg}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var rc ReasonCode
		if err := tx.First(&rc, id).Error; err != nil {
			return notFound(err)
		}
		before := map[string]any{"label": rc.Label, "active": rc.Active}
		updates := map[string]any{"label": label, "active": active}
		after := map[string]any{"label": label, "active": active}
		if distrusts != nil && *distrusts != rc.DistrustsPerformance {
			if *distrusts && rc.Kind != ReasonForBonus {
				return fieldErr("distrusts_performance", ErrDistrustOnlyBonusReasons)
			}
			before["distrusts_performance"] = rc.DistrustsPerformance
			updates["distrusts_performance"], after["distrusts_performance"] = *distrusts, *distrusts
		}
		if err := tx.Model(&rc).Updates(updates).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "reason.update", "reason_code", id, before, after)
	})
}
