package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Pacing (issue 17): the programme's period, the weights of its weeks and
// months, and what happens when a week's proposals add up to more than its
// budget. One setting, changed under the two-admin rule (ChangePacing). Until
// an admin sets the period, weeks and months have no budget and nothing is
// paced (databases from before issue 17 keep working as they did).

// OverSubscriptionPolicy is what computing a week does when its proposals
// add up to more than the week's budget.
type OverSubscriptionPolicy string

// The policies.
const (
	// PolicyProRata scales every waiting proposal by budget ÷ total (integer
	// fen, largest remainder), so the week's total equals its budget.
	PolicyProRata OverSubscriptionPolicy = "pro_rata"
	// PolicyByRank funds proposals in order of GMV until the budget is used;
	// the rest are proposed at ¥0 with the reason.
	PolicyByRank OverSubscriptionPolicy = "by_rank"
	// PolicyWarn leaves proposals as the rule gives them; the queue says by
	// how much the week is over its budget (approvals still stop at it).
	PolicyWarn OverSubscriptionPolicy = "warn"
)

// Policies lists the policies in form order.
var Policies = []OverSubscriptionPolicy{PolicyProRata, PolicyByRank, PolicyWarn}

// Word is the catalogue ID of the policy's name (policy_pro_rata, ...).
func (p OverSubscriptionPolicy) Word() Word { return Word("policy_" + string(p)) }

// PeriodWeight weighs one week ("2026-W24") or month ("2026-06") of the
// programme against the others, in percent: 150 gives it 1.5 times the
// share of an ordinary one. Periods without a weight weigh 100.
type PeriodWeight struct {
	Period  string `json:"period"`
	Percent int64  `json:"percent"`
}

// Bounds of the plan.
const (
	MinWeightPercent = 10
	MaxWeightPercent = 1000
	MaxPlanWeights   = 60
	MaxPlanWeeks     = 157 // three years of weeks
	MaxPlanMonths    = 36
	// DefaultWeightPercent is the weight of a period the table does not name.
	DefaultWeightPercent = 100
)

// PacingPlan is the programme's period and pacing. An empty CreatorsStart
// means no period is set: nothing is budgeted or paced.
type PacingPlan struct {
	CreatorsStart string                 `json:"creators_start"` // ISO week, CST: "2026-W01"
	CreatorsEnd   string                 `json:"creators_end"`   // last week, inclusive
	MCNStart      string                 `json:"mcn_start"`      // month: "2026-01"
	MCNEnd        string                 `json:"mcn_end"`        // last month, inclusive
	Policy        OverSubscriptionPolicy `json:"policy"`
	Weights       []PeriodWeight         `json:"weights"`
}

// DefaultPacingPlan is the plan before an admin sets one: no period, pro rata.
var DefaultPacingPlan = PacingPlan{Policy: PolicyProRata, Weights: []PeriodWeight{}}

// IsSet reports whether the programme's period is set (pacing is on).
func (p PacingPlan) IsSet() bool { return p.CreatorsStart != "" }

// Validate names every problem with the plan on its own field.
func (p PacingPlan) Validate() FieldErrors {
	fe := FieldErrors{}
	if !slices.Contains(Policies, p.Policy) {
		fe["policy"] = Msg{ID: "err_policy_unknown"}
	}
	ws, we, weekErr := p.creatorWeeks()
	if weekErr != nil {
		fe["creators_period"] = *weekErr
	}
	ms, me, monthErr := p.mcnMonths()
	if monthErr != nil {
		fe["mcn_period"] = *monthErr
	}
	if len(p.Weights) > MaxPlanWeights {
		fe["weights"] = M("err_weights_too_many", "N", MaxPlanWeights)
		return fe
	}
	seen := map[string]bool{}
	for i, w := range p.Weights {
		row := i + 1
		switch {
		case seen[w.Period]:
			fe["weights"] = M("err_weight_duplicate", "N", row, "Period", w.Period)
		case w.Percent < MinWeightPercent || w.Percent > MaxWeightPercent:
			fe["weights"] = M("err_weight_percent_range", "N", row, "Min", MinWeightPercent, "Max", MaxWeightPercent)
		default:
			if week, err := ParseWeek(w.Period); err == nil {
				if weekErr == nil && (week.Start().Before(ws.Start()) || week.Start().After(we.Start())) {
					fe["weights"] = M("err_weight_outside_period", "N", row, "Period", w.Period)
				}
			} else if month, err := ParseMonth(w.Period); err == nil {
				if monthErr == nil && (month.Start().Before(ms.Start()) || month.Start().After(me.Start())) {
					fe["weights"] = M("err_weight_outside_period", "N", row, "Period", w.Period)
				}
			} else {
				fe["weights"] = M("err_weight_period", "N", row, "Period", w.Period)
			}
		}
		seen[w.Period] = true
	}
	return fe
}

// creatorWeeks parses the creator pool's first and last week.
func (p PacingPlan) creatorWeeks() (WeekLabel, WeekLabel, *Msg) {
	start, err1 := ParseWeek(p.CreatorsStart)
	end, err2 := ParseWeek(p.CreatorsEnd)
	switch {
	case err1 != nil || err2 != nil:
		m := M("err_period_weeks", "Start", p.CreatorsStart, "End", p.CreatorsEnd)
		return start, end, &m
	case end.Start().Before(start.Start()):
		m := M("err_period_end_before_start", "Start", p.CreatorsStart, "End", p.CreatorsEnd)
		return start, end, &m
	case int(end.Start().Sub(start.Start()).Hours()/24/7)+1 > MaxPlanWeeks:
		m := M("err_period_too_long", "N", MaxPlanWeeks)
		return start, end, &m
	}
	return start, end, nil
}

// mcnMonths parses the MCN pool's first and last month.
func (p PacingPlan) mcnMonths() (MonthLabel, MonthLabel, *Msg) {
	start, err1 := ParseMonth(p.MCNStart)
	end, err2 := ParseMonth(p.MCNEnd)
	switch {
	case err1 != nil || err2 != nil:
		m := M("err_period_months", "Start", p.MCNStart, "End", p.MCNEnd)
		return start, end, &m
	case end.Start().Before(start.Start()):
		m := M("err_period_end_before_start", "Start", p.MCNStart, "End", p.MCNEnd)
		return start, end, &m
	case (end.Year-start.Year)*12+int(end.Month-start.Month)+1 > MaxPlanMonths:
		m := M("err_period_too_long", "N", MaxPlanMonths)
		return start, end, &m
	}
	return start, end, nil
}

// Periods lists every week (PoolCreators) or month (PoolMCN) of the plan's
// period in order, each with its weight in percent; nil when the plan is not set.
func (p PacingPlan) Periods(pool string) []PeriodWeight {
	if !p.IsSet() {
		return nil
	}
	weight := map[string]int64{}
	for _, w := range p.Weights {
		weight[w.Period] = w.Percent
	}
	of := func(label string) PeriodWeight {
		if pc, ok := weight[label]; ok {
			return PeriodWeight{Period: label, Percent: pc}
		}
		return PeriodWeight{Period: label, Percent: DefaultWeightPercent}
	}
	var out []PeriodWeight
	if pool == PoolMCN {
		start, end, bad := p.mcnMonths()
		if bad != nil {
			return nil
		}
		for m := start; !m.Start().After(end.Start()); m = m.Next() {
			out = append(out, of(m.String()))
		}
		return out
	}
	start, end, bad := p.creatorWeeks()
	if bad != nil {
		return nil
	}
	for w := start; !w.Start().After(end.Start()); w = WeekOf(w.End()) {
		out = append(out, of(w.String()))
	}
	return out
}

// Contains reports whether a week (PoolCreators) or month (PoolMCN) lies in
// the plan's period; always true when the plan is not set.
func (p PacingPlan) Contains(pool, period string) bool {
	if !p.IsSet() {
		return true
	}
	for _, pw := range p.Periods(pool) {
		if pw.Period == period {
			return true
		}
	}
	return false
}

// pacingPlanKey names the settings row holding the plan as JSON.
const pacingPlanKey = "pacing_plan"

// PacingPlanNow returns the plan in force.
func (s *Store) PacingPlanNow(ctx context.Context) (PacingPlan, error) { return pacingPlan(s.r(ctx)) }

func pacingPlan(tx *gorm.DB) (PacingPlan, error) {
	var st Setting
	err := tx.Where("key = ?", pacingPlanKey).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultPacingPlan, nil
	}
	if err != nil {
		return PacingPlan{}, err
	}
	p := DefaultPacingPlan
	if err := json.Unmarshal([]byte(st.Value), &p); err != nil {
		return PacingPlan{}, fmt.Errorf("setting %s: %w", pacingPlanKey, err)
	}
	if p.Weights == nil {
		p.Weights = []PeriodWeight{}
	}
	return p, nil
}

// normalise trims labels so the same plan always has the same JSON.
func (p PacingPlan) normalise() PacingPlan {
	p.CreatorsStart, p.CreatorsEnd = strings.TrimSpace(p.CreatorsStart), strings.TrimSpace(p.CreatorsEnd)
	p.MCNStart, p.MCNEnd = strings.TrimSpace(p.MCNStart), strings.TrimSpace(p.MCNEnd)
	if p.Weights == nil {
		p.Weights = []PeriodWeight{}
	}
	for i := range p.Weights {
		p.Weights[i].Period = strings.TrimSpace(p.Weights[i].Period)
	}
	return p
}

// ProposePacingPlan proposes a new period, weights and policy; a second admin approves it.
func (s *Store) ProposePacingPlan(ctx context.Context, a *Actor, p PacingPlan) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangePacing, toJSON(p.normalise()))
}

// SetPacingPlan puts a plan in force directly: the command line and seeds
// only, never a signed-in admin. Audited.
func (s *Store) SetPacingPlan(ctx context.Context, a *Actor, p PacingPlan) error {
	if !a.isSystem() {
		return ErrForbidden
	}
	p = p.normalise()
	if fe := p.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return savePacingPlan(tx, a, p, 0) })
}

// checkPacingPlanChange reads and validates a proposed plan (for checkChange).
func checkPacingPlanChange(value string) (string, FieldErrors, error) {
	var p PacingPlan
	if err := decodeStrict(value, &p); err != nil {
		return "", nil, err
	}
	p = p.normalise()
	return toJSON(p), p.Validate(), nil
}

// applyPacingPlanChange puts an approved plan in force (for applyChange).
func applyPacingPlanChange(tx *gorm.DB, a *Actor, ch *SettingsChange) error {
	var p PacingPlan
	if err := json.Unmarshal([]byte(ch.Proposed), &p); err != nil {
		return err
	}
	return savePacingPlan(tx, a, p, ch.ID)
}

// currentPacingPlanValue is the plan in force as JSON (for currentValue).
func currentPacingPlanValue(tx *gorm.DB) (string, error) {
	p, err := pacingPlan(tx)
	return toJSON(p.normalise()), err
}

func savePacingPlan(tx *gorm.DB, a *Actor, p PacingPlan, changeID uint) error {
	before, err := pacingPlan(tx)
	if err != nil {
		return err
	}
	value := toJSON(p.normalise())
	res := tx.Model(&Setting{}).Where("key = ?", pacingPlanKey).Update("value", value)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if err := tx.Create(&Setting{Key: pacingPlanKey, Value: value}).Error; err != nil {
			return err
		}
	}
	return appendAudit(tx, a, "settings.pacing", "pacing", 0, before, map[string]any{"plan": p, "change_id": changeID})
}

// pacingPlanLines lists a plan change field by field (for SettingsChange.Lines).
func pacingPlanLines(cur, next PacingPlan, add func(field, cur, next string)) {
	add("pacing_creators_period", PeriodText(cur.CreatorsStart, cur.CreatorsEnd), PeriodText(next.CreatorsStart, next.CreatorsEnd))
	add("pacing_mcn_period", PeriodText(cur.MCNStart, cur.MCNEnd), PeriodText(next.MCNStart, next.MCNEnd))
	add("pacing_policy", string(cur.Policy), string(next.Policy))
	add("pacing_weights", WeightsText(cur.Weights), WeightsText(next.Weights))
}

// PeriodText writes a period "2026-W01 – 2026-W52" ("–" when not set).
func PeriodText(first, last string) string {
	if first == "" {
		return "–"
	}
	return first + " – " + last
}

// WeightText writes a weight in percent as a multiplier: 150 → "×1.50".
func WeightText(percent int64) string { return fmt.Sprintf("×%d.%02d", percent/100, percent%100) }

// WeightsText writes a plan's weights: "2026-W24 ×1.50; 2026-W46 ×1.50" ("–" for none).
func WeightsText(ws []PeriodWeight) string {
	if len(ws) == 0 {
		return "–"
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Period + " " + WeightText(w.Percent)
	}
	return strings.Join(parts, "; ")
}
