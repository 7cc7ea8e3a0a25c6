package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Settings that move money (the bonus rule, the tax rule, the pools, the MCN rule, the
// default quota and the programme's budget) change by maker-checker: one
// admin proposes a change, which saves nothing live, and a second, different
// admin approves it, which applies it in the same transaction after checking
// it again against the settings as they are then. A proposal remembers the
// value it replaces; when that value has changed since (another proposal was
// approved first), the proposal is stale: approving it is refused and it is
// marked superseded, so nothing is ever applied blindly over a newer value.

// ChangeKind names what a proposal changes.
type ChangeKind string

// The kinds of settings change. A pool's kind is "pool:<name>" (PoolChange).
const (
	ChangeBonusRule       ChangeKind = "bonus_rule"
	ChangeMCNRule         ChangeKind = "mcn_rule"
	ChangeQuotaDefault    ChangeKind = "quota_default"
	ChangeProgrammeBudget ChangeKind = "programme_budget"
	ChangeTaxRule         ChangeKind = "tax_rule"
	ChangeRiskThresholds  ChangeKind = "risk_thresholds"
	ChangePacing          ChangeKind = "pacing" // the programme's period, weights and over-subscription policy
)

// PoolChange is the kind of a change to a pool's total.
func PoolChange(pool string) ChangeKind { return ChangeKind("pool:" + pool) }

// Pool names the pool a pool change is about ("" for other kinds).
func (k ChangeKind) Pool() string {
	if name, ok := strings.CutPrefix(string(k), "pool:"); ok && (name == PoolCreators || name == PoolMCN) {
		return name
	}
	return ""
}

// ChangeState is where a proposal stands.
type ChangeState string

// The states of a proposal. Only a pending one can be decided.
const (
	ChangePending    ChangeState = "pending"
	ChangeApproved   ChangeState = "approved"
	ChangeRejected   ChangeState = "rejected"
	ChangeWithdrawn  ChangeState = "withdrawn"
	ChangeSuperseded ChangeState = "superseded" // the value it replaced changed before anyone approved it
)

// SettingsChange is one proposed change to a setting that moves money.
type SettingsChange struct {
	ID              uint        `gorm:"primaryKey"`
	Kind            ChangeKind  `gorm:"size:32;not null"`
	State           ChangeState `gorm:"size:16;not null;index"`
	Proposed        string      `gorm:"type:text;not null"` // the new value, JSON
	Replaces        string      `gorm:"type:text;not null"` // the value in force when it was proposed, JSON
	ProposedByID    uint        `gorm:"not null"`
	ProposedByEmail string      `gorm:"size:254;not null"`
	DecidedByID     *uint
	DecidedByEmail  string `gorm:"size:254;not null;default:''"`
	Reason          string `gorm:"size:500;not null;default:''"`
	CreatedAt       time.Time
	DecidedAt       *time.Time
}

// PoolValue is the value of a pool change.
type PoolValue struct {
	TotalFen int64 `json:"total_fen"`
}

// QuotaDefaultValue is the value of a default quota change.
type QuotaDefaultValue struct {
	DefaultQuota int `json:"default_quota"`
}

// Errors of the proposal flow; handlers turn them into messages.
var (
	// ErrOwnChange means an admin tried to approve or reject their own proposal.
	ErrOwnChange = sentinel("change_own", "a second admin must decide this change: you proposed it")
	// ErrChangeDecided means the proposal is no longer pending (decided, withdrawn or superseded).
	ErrChangeDecided = sentinel("change_not_pending", "this change is no longer pending")
	// ErrChangeStale means the value the proposal replaces has changed since; it is now superseded.
	ErrChangeStale = sentinel("change_stale", "the setting changed after this was proposed; the proposal is superseded, propose again")
	// ErrNoChange means the proposal would set the value already in force.
	ErrNoChange = sentinel("err_no_change", "this is already the value in force")
	// ErrNotProposer means someone other than the proposer tried to withdraw a proposal.
	ErrNotProposer = sentinel("change_not_proposer", "only the admin who proposed a change can withdraw it")
)

// isSystem reports whether the actor is the command line or a seed rather
// than a signed-in user: only they may set money settings directly.
func (a *Actor) isSystem() bool { return a != nil && a.UserID == 0 && a.Role == RoleAdmin }

// isAdminUser reports whether the actor is a signed-in admin.
func (a *Actor) isAdminUser() bool { return a != nil && a.UserID != 0 && a.Role == RoleAdmin }

// errOr returns err when there is one, else the field errors (nil when empty).
func errOr(err error, fe FieldErrors) error {
	if err != nil {
		return err
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// currentValue is the value of a kind of setting in force, as JSON.
func currentValue(tx *gorm.DB, kind ChangeKind) (string, error) {
	switch {
	case kind == ChangeBonusRule:
		r, _, err := currentRule(tx)
		return toJSON(r), err
	case kind == ChangeMCNRule:
		r, err := mcnRule(tx)
		return toJSON(r), err
	case kind == ChangeTaxRule:
		return currentTaxRuleValue(tx)
	case kind == ChangeRiskThresholds:
		return currentRiskThresholdsValue(tx)
	case kind == ChangePacing:
		return currentPacingPlanValue(tx)
	case kind == ChangeQuotaDefault:
		r, err := mcnRule(tx)
		return toJSON(QuotaDefaultValue{DefaultQuota: r.DefaultQuota}), err
	case kind == ChangeProgrammeBudget:
		b, err := programmeBudget(tx)
		return toJSON(b), err
	case kind.Pool() != "":
		var p Pool
		if err := tx.Where("name = ?", kind.Pool()).First(&p).Error; err != nil {
			return "", notFound(err)
		}
		return toJSON(PoolValue{TotalFen: p.TotalFen}), nil
	}
	return "", fmt.Errorf("unknown settings change kind %q", kind)
}

// decodeStrict reads a proposal's JSON value, refusing unknown fields.
func decodeStrict(value string, into any) error {
	dec := json.NewDecoder(strings.NewReader(value))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}

// checkChange validates a proposed value against the settings as they stand
// in tx: everything an approval will rely on. It returns the canonical JSON
// of the value.
func checkChange(tx *gorm.DB, kind ChangeKind, value string) (string, FieldErrors, error) {
	switch {
	case kind == ChangeBonusRule:
		var r BonusRule
		if err := decodeStrict(value, &r); err != nil {
			return "", nil, err
		}
		return toJSON(r), r.Validate(), nil
	case kind == ChangeTaxRule:
		return checkTaxRuleChange(value)
	case kind == ChangeRiskThresholds:
		return checkRiskThresholdsChange(value)
	case kind == ChangePacing:
		return checkPacingPlanChange(value)
	case kind == ChangeMCNRule:
		var r MCNRule
		if err := decodeStrict(value, &r); err != nil {
			return "", nil, err
		}
		return toJSON(r), r.Validate(), nil
	case kind == ChangeQuotaDefault:
		var q QuotaDefaultValue
		if err := decodeStrict(value, &q); err != nil {
			return "", nil, err
		}
		r, err := mcnRule(tx)
		if err != nil {
			return "", nil, err
		}
		r.DefaultQuota = q.DefaultQuota
		fe := FieldErrors{}
		if msg, bad := r.Validate()["default_quota"]; bad {
			fe["default_quota"] = msg
		}
		return toJSON(q), fe, nil
	case kind == ChangeProgrammeBudget:
		var b ProgrammeBudget
		if err := decodeStrict(value, &b); err != nil {
			return "", nil, err
		}
		fe, err := checkBudgetCoversPools(tx, b)
		return toJSON(b), fe, err
	case kind.Pool() != "":
		var p PoolValue
		if err := decodeStrict(value, &p); err != nil {
			return "", nil, err
		}
		fe, err := checkPoolTotal(tx, kind.Pool(), p.TotalFen)
		return toJSON(p), fe, err
	}
	return "", nil, fmt.Errorf("unknown settings change kind %q", kind)
}

// applyChange puts a checked value in force, audited as the approver's act.
func applyChange(tx *gorm.DB, a *Actor, ch *SettingsChange) error {
	switch {
	case ch.Kind == ChangeBonusRule:
		var r BonusRule
		if err := json.Unmarshal([]byte(ch.Proposed), &r); err != nil {
			return err
		}
		_, err := saveBonusRule(tx, a, r, ch.ID)
		return err
	case ch.Kind == ChangeTaxRule:
		return applyTaxRuleChange(tx, a, ch)
	case ch.Kind == ChangeRiskThresholds:
		return applyRiskThresholdsChange(tx, a, ch)
	case ch.Kind == ChangePacing:
		return applyPacingPlanChange(tx, a, ch)
	case ch.Kind == ChangeMCNRule:
		var r MCNRule
		if err := json.Unmarshal([]byte(ch.Proposed), &r); err != nil {
			return err
		}
		return saveMCNRule(tx, a, r, ch.ID)
	case ch.Kind == ChangeQuotaDefault:
		var q QuotaDefaultValue
		if err := json.Unmarshal([]byte(ch.Proposed), &q); err != nil {
			return err
		}
		r, err := mcnRule(tx)
		if err != nil {
			return err
		}
		r.DefaultQuota = q.DefaultQuota
		return saveMCNRule(tx, a, r, ch.ID)
	case ch.Kind == ChangeProgrammeBudget:
		var b ProgrammeBudget
		if err := json.Unmarshal([]byte(ch.Proposed), &b); err != nil {
			return err
		}
		return saveProgrammeBudget(tx, a, b, ch.ID)
	case ch.Kind.Pool() != "":
		var p PoolValue
		if err := json.Unmarshal([]byte(ch.Proposed), &p); err != nil {
			return err
		}
		return setPoolTotal(tx, a, ch.Kind.Pool(), p.TotalFen, ch.ID)
	}
	return fmt.Errorf("unknown settings change kind %q", ch.Kind)
}

// saveProgrammeBudget stores a checked budget and audits it.
func saveProgrammeBudget(tx *gorm.DB, a *Actor, b ProgrammeBudget, changeID uint) error {
	before, err := programmeBudget(tx)
	if err != nil {
		return err
	}
	res := tx.Model(&Setting{}).Where("key = ?", programmeBudgetKey).Update("value", toJSON(b))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if err := tx.Create(&Setting{Key: programmeBudgetKey, Value: toJSON(b)}).Error; err != nil {
			return err
		}
	}
	return appendAudit(tx, a, "settings.programme_budget", "programme_budget", 0, before, map[string]any{"budget": b, "change_id": changeID})
}

// lockSettingsChanges serialises decisions on proposals on PostgreSQL, so
// that two approvals checked against each other's old values (a pool total
// and the budget above it) cannot both pass. SQLite's write transactions
// already run one at a time.
func lockSettingsChanges(tx *gorm.DB) error {
	return advisoryLock(tx, lockKeySettingsChanges)
}

// changeAudit is a proposal as the audit log records it.
func changeAudit(ch *SettingsChange, value string) map[string]any {
	m := map[string]any{"kind": ch.Kind, "state": ch.State, "proposed_by": ch.ProposedByEmail}
	if value != "" {
		m["value"] = json.RawMessage(value)
	}
	if ch.Reason != "" {
		m["reason"] = ch.Reason
	}
	return m
}

// ProposeBonusRule proposes a new bonus rule; see propose.
func (s *Store) ProposeBonusRule(ctx context.Context, a *Actor, r BonusRule) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangeBonusRule, toJSON(r))
}

// ProposePoolTotal proposes a new total for a pool; see propose.
func (s *Store) ProposePoolTotal(ctx context.Context, a *Actor, pool string, totalFen int64) (*SettingsChange, error) {
	if pool != PoolCreators && pool != PoolMCN {
		return nil, ErrNotFound
	}
	return s.propose(ctx, a, PoolChange(pool), toJSON(PoolValue{TotalFen: totalFen}))
}

// ProposeMCNRule proposes a new MCN rule; see propose. When only the default
// quota differs from the rule in force, the proposal is a default quota
// change, so it does not stand in the way of a change to the amounts.
func (s *Store) ProposeMCNRule(ctx context.Context, a *Actor, r MCNRule) (*SettingsChange, error) {
	if !a.isAdminUser() {
		return nil, ErrForbidden
	}
	cur, err := s.MCNRuleNow(ctx)
	if err != nil {
		return nil, err
	}
	if fe := r.Validate(); len(fe) > 0 {
		return nil, fe
	}
	quotaOnly := cur
	quotaOnly.DefaultQuota = r.DefaultQuota
	if quotaOnly == r && cur.DefaultQuota != r.DefaultQuota {
		return s.ProposeQuotaDefault(ctx, a, r.DefaultQuota)
	}
	return s.propose(ctx, a, ChangeMCNRule, toJSON(r))
}

// ProposeQuotaDefault proposes a new default monthly quota; see propose.
func (s *Store) ProposeQuotaDefault(ctx context.Context, a *Actor, quota int) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangeQuotaDefault, toJSON(QuotaDefaultValue{DefaultQuota: quota}))
}

// ProposeProgrammeBudget proposes new programme budgets; see propose.
func (s *Store) ProposeProgrammeBudget(ctx context.Context, a *Actor, b ProgrammeBudget) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangeProgrammeBudget, toJSON(b))
}

// propose records a pending change by a signed-in admin. It checks the value
// fully first, so an approval never meets an invalid value, and saves
// nothing live. Audited.
func (s *Store) propose(ctx context.Context, a *Actor, kind ChangeKind, value string) (*SettingsChange, error) {
	if !a.isAdminUser() {
		return nil, ErrForbidden
	}
	var ch *SettingsChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		canonical, fe, err := checkChange(tx, kind, value)
		if err != nil || len(fe) > 0 {
			return errOr(err, fe)
		}
		current, err := currentValue(tx, kind)
		if err != nil {
			return err
		}
		if canonical == current {
			return ErrNoChange
		}
		ch = &SettingsChange{Kind: kind, State: ChangePending, Proposed: canonical, Replaces: current,
			ProposedByID: a.UserID, ProposedByEmail: a.Email}
		if err := tx.Create(ch).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "settings_change.proposed", "settings_change", ch.ID, changeAudit(ch, current), changeAudit(ch, canonical))
	})
	return ch, err
}

// ApproveChange applies a pending proposal, approved by an admin other than
// the one who proposed it. In one transaction it checks the proposal still
// replaces the value in force (else marks it superseded and answers
// ErrChangeStale), checks the value again against the settings as they are
// now (a pool total below what has been committed since, or above the
// budget, is refused and the proposal stays pending), claims the proposal
// with a conditional update (two admins approving at once apply it once),
// applies it, and supersedes other pending proposals it made stale. Audited.
func (s *Store) ApproveChange(ctx context.Context, a *Actor, id uint) (*SettingsChange, error) {
	if !a.isAdminUser() {
		return nil, ErrForbidden
	}
	var ch SettingsChange
	var refusal error
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if ch, err = pendingChange(tx, a, id, false); err != nil {
			return err
		}
		if ch.Kind.Pool() != "" {
			if err := lockPool(tx, ch.Kind.Pool()); err != nil {
				return err
			}
		}
		current, err := currentValue(tx, ch.Kind)
		if err != nil {
			return err
		}
		if current != ch.Replaces {
			refusal = ErrChangeStale
			_, err := supersede(tx, a, &ch, current)
			return err
		}
		if _, fe, err := checkChange(tx, ch.Kind, ch.Proposed); err != nil || len(fe) > 0 {
			return errOr(err, fe)
		}
		before := changeAudit(&ch, current)
		ok, err := decide(tx, a, &ch, ChangeApproved, "")
		if err != nil {
			return err
		}
		if !ok {
			return ErrChangeDecided
		}
		if err := applyChange(tx, a, &ch); err != nil {
			return err
		}
		if err := appendAudit(tx, a, "settings_change.approved", "settings_change", ch.ID, before, changeAudit(&ch, ch.Proposed)); err != nil {
			return err
		}
		return supersedeStale(tx, a)
	})
	if err == nil {
		err = refusal
	}
	return &ch, err
}

// decide moves a pending proposal to state, if it is still pending.
func decide(tx *gorm.DB, a *Actor, ch *SettingsChange, state ChangeState, reason string) (bool, error) {
	now := nowOf(tx).UTC()
	values := map[string]any{"state": state, "decided_at": now, "decided_by_email": a.Email, "reason": reason}
	if a.UserID != 0 {
		values["decided_by_id"] = a.UserID
	}
	res := tx.Model(&SettingsChange{}).Where("id = ? AND state = ?", ch.ID, ChangePending).Updates(values)
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	ch.State, ch.DecidedAt, ch.DecidedByEmail, ch.Reason = state, &now, a.Email, reason
	if a.UserID != 0 {
		id := a.UserID
		ch.DecidedByID = &id
	}
	return true, nil
}

// supersede marks a pending proposal whose replaced value is no longer in force.
func supersede(tx *gorm.DB, a *Actor, ch *SettingsChange, current string) (bool, error) {
	before := changeAudit(ch, ch.Replaces)
	ok, err := decide(tx, a, ch, ChangeSuperseded, "")
	if err != nil || !ok {
		return ok, err
	}
	return true, appendAudit(tx, a, "settings_change.superseded", "settings_change", ch.ID, before, changeAudit(ch, current))
}

// supersedeStale marks every pending proposal that no longer replaces the
// value in force, so none can be applied over a newer value.
func supersedeStale(tx *gorm.DB, a *Actor) error {
	var pending []SettingsChange
	if err := tx.Where("state = ?", ChangePending).Order("id").Find(&pending).Error; err != nil {
		return err
	}
	current := map[ChangeKind]string{}
	for i := range pending {
		ch := &pending[i]
		cur, ok := current[ch.Kind]
		if !ok {
			var err error
			if cur, err = currentValue(tx, ch.Kind); err != nil {
				return err
			}
			current[ch.Kind] = cur
		}
		if cur != ch.Replaces {
			if _, err := supersede(tx, a, ch, cur); err != nil {
				return err
			}
		}
	}
	return nil
}

// RejectChange turns down a pending proposal with a reason; the admin who
// proposed it withdraws it instead. Audited.
func (s *Store) RejectChange(ctx context.Context, a *Actor, id uint, reason string) (*SettingsChange, error) {
	if !a.isAdminUser() {
		return nil, ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, FieldErrors{"reason": Msg{ID: "err_change_reason_required"}}
	case len([]rune(reason)) > 500:
		return nil, FieldErrors{"reason": M("err_reason_too_long", "N", 500)}
	}
	var ch SettingsChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if ch, err = pendingChange(tx, a, id, false); err != nil {
			return err
		}
		before := changeAudit(&ch, ch.Proposed)
		ok, err := decide(tx, a, &ch, ChangeRejected, reason)
		if err != nil {
			return err
		}
		if !ok {
			return ErrChangeDecided
		}
		return appendAudit(tx, a, "settings_change.rejected", "settings_change", ch.ID, before, changeAudit(&ch, ch.Proposed))
	})
	return &ch, err
}

// WithdrawChange lets the admin who proposed a change take it back. Audited.
func (s *Store) WithdrawChange(ctx context.Context, a *Actor, id uint) (*SettingsChange, error) {
	if !a.isAdminUser() {
		return nil, ErrForbidden
	}
	var ch SettingsChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if ch, err = pendingChange(tx, a, id, true); err != nil {
			return err
		}
		before := changeAudit(&ch, ch.Proposed)
		ok, err := decide(tx, a, &ch, ChangeWithdrawn, "")
		if err != nil {
			return err
		}
		if !ok {
			return ErrChangeDecided
		}
		return appendAudit(tx, a, "settings_change.withdrawn", "settings_change", ch.ID, before, changeAudit(&ch, ch.Proposed))
	})
	return &ch, err
}

// PendingChanges lists the proposals waiting for a second admin, oldest first.
func (s *Store) PendingChanges(ctx context.Context, a *Actor) ([]SettingsChange, error) {
	if a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	var out []SettingsChange
	return out, s.r(ctx).Where("state = ?", ChangePending).Order("id").Limit(100).Find(&out).Error
}

// RecentChanges lists the latest decided proposals, newest first.
func (s *Store) RecentChanges(ctx context.Context, a *Actor, limit int) ([]SettingsChange, error) {
	if a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	var out []SettingsChange
	return out, s.r(ctx).Where("state <> ?", ChangePending).Order("id DESC").Limit(limit).Find(&out).Error
}

// ChangeLine is one field of a proposal: the value it replaces and the value
// proposed, written for people (money as ¥1,234.00, counts grouped).
type ChangeLine struct {
	Field    string // a stable name: weekly_cap, gmv_tiers, pool_total, creators_budget, ...
	Current  string
	Proposed string
	Changed  bool
}

// Lines lists a proposal field by field, the value it replaces beside the one proposed.
func (ch *SettingsChange) Lines() ([]ChangeLine, error) {
	var lines []ChangeLine
	add := func(field, cur, next string) {
		lines = append(lines, ChangeLine{Field: field, Current: cur, Proposed: next, Changed: cur != next})
	}
	decode := func(into ...any) error {
		for i, raw := range []string{ch.Replaces, ch.Proposed} {
			if err := json.Unmarshal([]byte(raw), into[i]); err != nil {
				return fmt.Errorf("settings change %d: %w", ch.ID, err)
			}
		}
		return nil
	}
	switch {
	case ch.Kind == ChangeBonusRule:
		var cur, next BonusRule
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		add("gmv_tiers", tiersText(cur.GMVTiers, true), tiersText(next.GMVTiers, true))
		add("view_tiers", tiersText(cur.ViewTiers, false), tiersText(next.ViewTiers, false))
		add("per_video", FormatYuan(cur.PerVideoFen), FormatYuan(next.PerVideoFen))
		add("per_live", FormatYuan(cur.PerLiveFen), FormatYuan(next.PerLiveFen))
		add("weekly_cap", FormatYuan(cur.WeeklyCapFen), FormatYuan(next.WeeklyCapFen))
		add("four_eyes", FormatYuan(cur.FourEyesFen), FormatYuan(next.FourEyesFen))
	case ch.Kind == ChangeTaxRule:
		var cur, next TaxRule
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		taxRuleLines(cur, next, add)
	case ch.Kind == ChangeRiskThresholds:
		var cur, next RiskThresholds
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		riskThresholdsLines(cur, next, add)
	case ch.Kind == ChangePacing:
		var cur, next PacingPlan
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		pacingPlanLines(cur, next, add)
	case ch.Kind == ChangeMCNRule:
		var cur, next MCNRule
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		add("default_quota", groupDigits(int64(cur.DefaultQuota)), groupDigits(int64(next.DefaultQuota)))
		add("meet", FormatYuan(cur.MeetFen), FormatYuan(next.MeetFen))
		add("per_extra", FormatYuan(cur.PerExtraFen), FormatYuan(next.PerExtraFen))
		add("max", FormatYuan(cur.MaxFen), FormatYuan(next.MaxFen))
		add("four_eyes", FormatYuan(cur.FourEyesFen), FormatYuan(next.FourEyesFen))
	case ch.Kind == ChangeQuotaDefault:
		var cur, next QuotaDefaultValue
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		add("default_quota", groupDigits(int64(cur.DefaultQuota)), groupDigits(int64(next.DefaultQuota)))
	case ch.Kind == ChangeProgrammeBudget:
		var cur, next ProgrammeBudget
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		add("creators_budget", FormatYuan(cur.CreatorsFen), FormatYuan(next.CreatorsFen))
		add("mcn_budget", FormatYuan(cur.MCNFen), FormatYuan(next.MCNFen))
	case ch.Kind.Pool() != "":
		var cur, next PoolValue
		if err := decode(&cur, &next); err != nil {
			return nil, err
		}
		add("pool_total", FormatYuan(cur.TotalFen), FormatYuan(next.TotalFen))
	default:
		return nil, fmt.Errorf("unknown settings change kind %q", ch.Kind)
	}
	return lines, nil
}

// ProposedBonusRule is the rule a bonus rule proposal would put in force.
func (ch *SettingsChange) ProposedBonusRule() (BonusRule, error) {
	var r BonusRule
	if ch.Kind != ChangeBonusRule {
		return r, fmt.Errorf("settings change %d is not a bonus rule", ch.ID)
	}
	return r, json.Unmarshal([]byte(ch.Proposed), &r)
}

// tiersText writes tiers one after another: "¥10,000.00 → ¥500.00; …".
func tiersText(ts []Tier, money bool) string {
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		min := groupDigits(t.Min)
		if money {
			min = FormatYuan(t.Min)
		}
		parts = append(parts, min+" → "+FormatYuan(t.AmountFen))
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, "; ")
}

// groupDigits writes a count with thousands separators: 1,000,000.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return sign + b.String()
}

// pendingChange locks the proposals and loads one that still waits: for its
// proposer to withdraw (byProposer), or for a different admin to decide.
func pendingChange(tx *gorm.DB, a *Actor, id uint, byProposer bool) (SettingsChange, error) {
	var ch SettingsChange
	if err := lockSettingsChanges(tx); err != nil {
		return ch, err
	}
	if err := tx.First(&ch, id).Error; err != nil {
		return ch, notFound(err)
	}
	switch {
	case ch.State != ChangePending:
		return ch, ErrChangeDecided
	case byProposer && ch.ProposedByID != a.UserID:
		return ch, ErrNotProposer
	case !byProposer && ch.ProposedByID == a.UserID:
		return ch, ErrOwnChange
	}
	return ch, nil
}
