package models

import "gorm.io/gorm"

// The queue's risk filter (issue 16, point 8). BonusFilter.Risk is "" (every
// bonus), RiskAny (carrying at least one flag), RiskNone (carrying none) or a
// RiskKind. Within a week both use indexes: (week, risk count, amount, id) on
// bonuses and (week, kind, bonus id) on the flags.

// The risk filter's values besides the kinds.
const (
	RiskAny  = "any"
	RiskNone = "none"
)

// riskNothing is the risk filter that matches no bonus: what is left of a
// filter for flagged proposals once the flagged ones are taken out. It is
// not a value a request can ask for (ValidRiskFilter refuses it).
const riskNothing = "-"

// ValidRiskFilter reports whether v is a value of BonusFilter.Risk.
func ValidRiskFilter(v string) bool {
	return v == "" || v == RiskAny || v == RiskNone || RiskKind(v).Valid()
}

// filterRisk narrows a bonus query (alias b) by f.Risk.
func filterRisk(q *gorm.DB, f BonusFilter) *gorm.DB {
	switch {
	case f.Risk == riskNothing:
		return q.Where("1 = 0")
	case f.Risk == RiskAny:
		return q.Where("b.risk_count > 0")
	case f.Risk == RiskNone:
		return q.Where("b.risk_count = 0")
	case RiskKind(f.Risk).Valid() && f.Week != "":
		return q.Where("b.risk_count > 0 AND b.id IN (SELECT bonus_id FROM bonus_risk_flags WHERE week = ? AND kind = ?)", f.Week, f.Risk)
	case RiskKind(f.Risk).Valid():
		return q.Where("b.risk_count > 0 AND b.id IN (SELECT bonus_id FROM bonus_risk_flags WHERE kind = ?)", f.Risk)
	}
	return q
}

// WithoutFlagged splits a filter for "approve everything matching" without
// flagged proposals: what is decided (the filter and no flag) and what is
// left out (the filter and any flag; nothing when the filter already wants
// unflagged ones only). A filter that wants flagged ones only (any flag or
// one kind) keeps nothing: every bonus it matches is flagged, and the
// unflagged ones are not what the reviewer asked for.
func (f BonusFilter) WithoutFlagged() (kept BonusFilter, leftOut *BonusFilter) {
	kept = f
	switch f.Risk {
	case RiskNone, riskNothing:
		return kept, nil
	case "":
		left := f
		left.Risk = RiskAny
		kept.Risk = RiskNone
		return kept, &left
	}
	left := f
	kept.Risk = riskNothing
	return kept, &left
}
