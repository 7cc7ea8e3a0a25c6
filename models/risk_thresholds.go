package models

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The risk thresholds are a setting changed under the two-admin rule: an
// admin proposes (ProposeRiskThresholds), another approves on the changes
// page (ChangeRiskThresholds in settings_change.go). They take effect the
// next time a week is computed.

// riskThresholdRange is each threshold's allowed range, in form order.
var riskThresholdRange = []struct {
	Field    string
	Min, Max int64
	get      func(*RiskThresholds) *int64
}{
	{"spike_factor", 2, 100, func(t *RiskThresholds) *int64 { return &t.SpikeFactor }},
	{"spike_min_weeks", 1, spikeHistoryWeeks, func(t *RiskThresholds) *int64 { return &t.SpikeMinWeeks }},
	{"refund_rate_percent", 1, 100, func(t *RiskThresholds) *int64 { return &t.RefundRatePercent }},
	{"order_value_factor", 2, 1000, func(t *RiskThresholds) *int64 { return &t.OrderValueFactor }},
	{"identical_min_creators", 2, 1000, func(t *RiskThresholds) *int64 { return &t.IdenticalMinCreators }},
	{"shared_min_creators", 2, 1000, func(t *RiskThresholds) *int64 { return &t.SharedMinCreators }},
}

// RiskThresholdFields are the thresholds' field names, in form order.
func RiskThresholdFields() []string {
	out := make([]string, len(riskThresholdRange))
	for i, r := range riskThresholdRange {
		out[i] = r.Field
	}
	return out
}

// Validate names every threshold out of its range.
func (t RiskThresholds) Validate() FieldErrors {
	fe := FieldErrors{}
	for _, r := range riskThresholdRange {
		if v := *r.get(&t); v < r.Min || v > r.Max {
			fe[r.Field] = M("err_risk_threshold_range", "Min", r.Min, "Max", r.Max)
		}
	}
	return fe
}

// Values are the thresholds as form values, by field name.
func (t RiskThresholds) Values() map[string]string {
	out := map[string]string{}
	for _, r := range riskThresholdRange {
		out[r.Field] = strconv.FormatInt(*r.get(&t), 10)
	}
	return out
}

// ParseRiskThresholds reads the thresholds from form values, naming every
// field that is not a whole number in its range.
func ParseRiskThresholds(values map[string]string) (RiskThresholds, FieldErrors) {
	var t RiskThresholds
	fe := FieldErrors{}
	for _, r := range riskThresholdRange {
		v, err := strconv.ParseInt(strings.TrimSpace(values[r.Field]), 10, 64)
		if err != nil {
			fe[r.Field] = M("err_risk_threshold_range", "Min", r.Min, "Max", r.Max)
			continue
		}
		*r.get(&t) = v
	}
	for k, m := range t.Validate() {
		if _, bad := fe[k]; !bad {
			fe[k] = m
		}
	}
	return t, fe
}

// RiskThresholdsNow reads the thresholds in force.
func (s *Store) RiskThresholdsNow(ctx context.Context) (RiskThresholds, error) {
	return loadRiskThresholds(s.r(ctx))
}

// ProposeRiskThresholds proposes new risk thresholds; a second admin approves them.
func (s *Store) ProposeRiskThresholds(ctx context.Context, a *Actor, t RiskThresholds) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangeRiskThresholds, toJSON(t))
}

// SetRiskThresholds puts thresholds in force directly: only the command line
// or a seed (tests), never a signed-in admin. Audited.
func (s *Store) SetRiskThresholds(ctx context.Context, a *Actor, t RiskThresholds) error {
	if !a.isSystem() {
		return ErrForbidden
	}
	if fe := t.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return saveRiskThresholds(tx, a, t, 0) })
}

// checkRiskThresholdsChange reads and validates proposed thresholds (for checkChange).
func checkRiskThresholdsChange(value string) (string, FieldErrors, error) {
	var t RiskThresholds
	if err := decodeStrict(value, &t); err != nil {
		return "", nil, err
	}
	return toJSON(t), t.Validate(), nil
}

// applyRiskThresholdsChange puts approved thresholds in force (for applyChange).
func applyRiskThresholdsChange(tx *gorm.DB, a *Actor, ch *SettingsChange) error {
	var t RiskThresholds
	if err := json.Unmarshal([]byte(ch.Proposed), &t); err != nil {
		return err
	}
	return saveRiskThresholds(tx, a, t, ch.ID)
}

// currentRiskThresholdsValue is the thresholds in force as JSON (for currentValue).
func currentRiskThresholdsValue(tx *gorm.DB) (string, error) {
	t, err := loadRiskThresholds(tx)
	return toJSON(t), err
}

// saveRiskThresholds stores checked thresholds and audits the change.
func saveRiskThresholds(tx *gorm.DB, a *Actor, t RiskThresholds, changeID uint) error {
	before, err := loadRiskThresholds(tx)
	if err != nil {
		return err
	}
	res := tx.Model(&Setting{}).Where("key = ?", riskThresholdsKey).Update("value", toJSON(t))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if err := tx.Create(&Setting{Key: riskThresholdsKey, Value: toJSON(t)}).Error; err != nil {
			return err
		}
	}
	return appendAudit(tx, a, "settings.risk_thresholds", "risk_thresholds", 0, before, map[string]any{"thresholds": t, "change_id": changeID})
}

// riskThresholdsLines lists a thresholds proposal field by field (for Lines).
func riskThresholdsLines(cur, next RiskThresholds, add func(field, cur, next string)) {
	for _, r := range riskThresholdRange {
		add("risk_"+r.Field, groupDigits(*r.get(&cur)), groupDigits(*r.get(&next)))
	}
}
