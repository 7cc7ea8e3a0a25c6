package models

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Individual income tax withheld on payments to individuals (issue 15,
// point 5). The rule is a versioned setting changed by maker-checker like the
// bonus rule (ProposeTaxRule, ApproveChange); every version records when it
// came into force, and a payment is taxed by the version in force when it is
// made. Payments to one payee in one CST month (TaxMonth) count as one income.

// TaxMaxBrackets is the most brackets a tax rule may have.
const TaxMaxBrackets = 6

// basisPoints is 100 %: rates are kept in hundredths of a percent (2000 = 20 %).
const basisPoints = 10_000

// TaxBracket taxes the part of the taxable income up to UpToFen at RateBP,
// less QuickDeductionFen: tax = taxable × rate − quick deduction, with the
// bracket chosen by the whole taxable income (China's "速算扣除数" method).
type TaxBracket struct {
	UpToFen           int64 `json:"up_to_fen"` // taxable income up to and including this; 0 on the last bracket: no upper bound
	RateBP            int64 `json:"rate_bp"`   // hundredths of a percent: 2000 = 20 %
	QuickDeductionFen int64 `json:"quick_deduction_fen"`
}

// TaxRule says how much individual income tax to withhold from one payee's
// income of one month: at most ThresholdFen, the taxable income is the
// income less DeductionFen (never below zero); above it, TaxableBP of the
// income. The tax is the bracket's rate on the taxable income less its quick
// deduction, computed exactly and rounded half up to the fen once, at the end.
type TaxRule struct {
	DeductionFen int64        `json:"deduction_fen"`
	ThresholdFen int64        `json:"threshold_fen"`
	TaxableBP    int64        `json:"taxable_bp"` // share of an income above the threshold that is taxable: 8000 = 80 %
	Brackets     []TaxBracket `json:"brackets"`
}

// DefaultTaxRule is China's withholding for labour remuneration (劳务报酬):
// income − ¥800 up to ¥4,000, else income × 80 %; 20 % up to ¥20,000 of
// taxable income, 30 % − ¥2,000 up to ¥50,000, 40 % − ¥7,000 above.
var DefaultTaxRule = TaxRule{
	DeductionFen: 80_000,
	ThresholdFen: 400_000,
	TaxableBP:    8_000,
	Brackets: []TaxBracket{
		{UpToFen: 2_000_000, RateBP: 2_000, QuickDeductionFen: 0},
		{UpToFen: 5_000_000, RateBP: 3_000, QuickDeductionFen: 200_000},
		{UpToFen: 0, RateBP: 4_000, QuickDeductionFen: 700_000},
	},
}

// TaxMonth is the CST month a payment made at t belongs to for withholding,
// such as "2026-11": the payments to one payee in one TaxMonth are one income.
func TaxMonth(t time.Time) string { return Month(t) }

// TaxMonthBounds is the CST month containing t, as [start, end).
func TaxMonthBounds(t time.Time) (start, end time.Time) {
	m := MonthOf(t)
	return m.Start(), m.End()
}

// maxTaxIncomeFen bounds the incomes a rule is asked about (¥100 billion,
// ParseYuan's limit), so that the arithmetic stays far from overflow.
const maxTaxIncomeFen = 10_000_000_000_000

// Validate names every problem with a rule: amounts not negative, the
// deduction not above the threshold, rates from 0 to 100 %, brackets rising
// with only the last one open-ended, rates not falling, and each quick
// deduction the one that makes the tax continuous (the first one 0).
func (r TaxRule) Validate() FieldErrors {
	fe := FieldErrors{}
	switch {
	case r.DeductionFen < 0:
		fe["deduction"] = M("err_amount_negative", "Value", YuanDecimal(r.DeductionFen))
	case r.DeductionFen > r.ThresholdFen && r.ThresholdFen >= 0:
		fe["deduction"] = M("err_tax_deduction_above_threshold", "Threshold", Fen(r.ThresholdFen))
	}
	if r.ThresholdFen < 0 {
		fe["threshold"] = M("err_amount_negative", "Value", YuanDecimal(r.ThresholdFen))
	}
	if r.TaxableBP < 0 || r.TaxableBP > basisPoints {
		fe["taxable_rate"] = M("err_tax_rate_range", "Value", FormatPercentBP(r.TaxableBP))
	}
	if msg, bad := r.bracketProblem(); bad {
		fe["brackets"] = msg
	}
	return fe
}

// bracketProblem is the first problem with the brackets, if any.
func (r TaxRule) bracketProblem() (Msg, bool) {
	bs := r.Brackets
	switch {
	case len(bs) == 0:
		return M("err_tax_brackets_none"), true
	case len(bs) > TaxMaxBrackets:
		return M("err_tax_brackets_too_many", "Max", TaxMaxBrackets), true
	}
	for i, b := range bs {
		n, last := i+1, i == len(bs)-1
		switch {
		case b.RateBP < 0 || b.RateBP > basisPoints:
			return M("err_tax_bracket_rate", "N", n, "Value", FormatPercentBP(b.RateBP)), true
		case b.QuickDeductionFen < 0:
			return M("err_tax_bracket_quick_negative", "N", n), true
		case last && b.UpToFen != 0:
			return M("err_tax_bracket_last_open", "N", n), true
		case !last && b.UpToFen <= 0:
			return M("err_tax_bracket_bound_missing", "N", n), true
		case !last && b.UpToFen > maxTaxIncomeFen:
			return M("err_amount_not_number", "Value", YuanDecimal(b.UpToFen)), true
		case i > 0 && !last && b.UpToFen <= bs[i-1].UpToFen:
			return M("err_tax_bracket_not_rising", "N", n, "Previous", Fen(bs[i-1].UpToFen)), true
		case i > 0 && b.RateBP < bs[i-1].RateBP:
			return M("err_tax_bracket_rate_falls", "N", n), true
		}
		want := int64(0)
		if i > 0 {
			prev := bs[i-1]
			step := prev.UpToFen * (b.RateBP - prev.RateBP) // ≤ 10^13 × 10^4: no overflow
			if step%basisPoints != 0 {
				return M("err_tax_bracket_quick_fraction", "N", n), true
			}
			want = prev.QuickDeductionFen + step/basisPoints
		}
		if b.QuickDeductionFen != want {
			return M("err_tax_bracket_quick", "N", n, "Want", Fen(want)), true
		}
	}
	return Msg{}, false
}

// TaxWorking shows how a month's tax follows from the rule, for people.
type TaxWorking struct {
	IncomeFen  int64
	TaxableFen int64 // rounded half up to the fen, for display; the tax uses the exact value
	AboveLine  bool  // the income is above the threshold: a share of it is taxable, not income − deduction
	BracketNum int   // 1-based; 0 when there is no income
	Bracket    TaxBracket
	TaxFen     int64
	NetFen     int64
}

// Work computes the tax on one month's income in fen and how it was found.
// Every step is exact (rational arithmetic); only the tax is rounded, half up
// to the fen. A negative income has no tax.
func (r TaxRule) Work(incomeFen int64) TaxWorking {
	w := TaxWorking{IncomeFen: incomeFen}
	if incomeFen <= 0 || len(r.Brackets) == 0 {
		w.NetFen = incomeFen
		return w
	}
	taxable := new(big.Rat)
	if incomeFen <= r.ThresholdFen {
		taxable.SetInt64(max(incomeFen-r.DeductionFen, 0))
	} else {
		w.AboveLine = true
		taxable.SetInt64(incomeFen).Mul(taxable, big.NewRat(r.TaxableBP, basisPoints))
	}
	w.TaxableFen = roundHalfUp(taxable)
	w.BracketNum = len(r.Brackets)
	for i, b := range r.Brackets {
		if b.UpToFen == 0 || taxable.Cmp(new(big.Rat).SetInt64(b.UpToFen)) <= 0 {
			w.BracketNum = i + 1
			break
		}
	}
	w.Bracket = r.Brackets[w.BracketNum-1]
	tax := new(big.Rat).Mul(taxable, big.NewRat(w.Bracket.RateBP, basisPoints))
	tax.Sub(tax, new(big.Rat).SetInt64(w.Bracket.QuickDeductionFen))
	if tax.Sign() > 0 {
		w.TaxFen = roundHalfUp(tax)
	}
	w.NetFen = incomeFen - w.TaxFen
	return w
}

// MonthTaxFen is the tax on one month's income (see Work).
func (r TaxRule) MonthTaxFen(incomeFen int64) int64 { return r.Work(incomeFen).TaxFen }

// WithholdFen is what to withhold from a payment of grossFen to a payee who
// was already paid monthGrossBeforeFen, with monthWithheldBeforeFen withheld,
// in the same CST month: the tax on the month's whole income less what was
// already withheld, never negative.
func (r TaxRule) WithholdFen(monthGrossBeforeFen, monthWithheldBeforeFen, grossFen int64) int64 {
	return max(r.MonthTaxFen(monthGrossBeforeFen+grossFen)-monthWithheldBeforeFen, 0)
}

// roundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func roundHalfUp(x *big.Rat) int64 {
	// floor((2·num + den) / (2·den))
	num := new(big.Int).Mul(x.Num(), big.NewInt(2))
	num.Add(num, x.Denom())
	den := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return new(big.Int).Quo(num, den).Int64()
}

// FormatPercentBP writes hundredths of a percent as a percentage: 8000 →
// "80%", 2050 → "20.5%", 1234 → "12.34%".
func FormatPercentBP(bp int64) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	s := strconv.FormatInt(bp/100, 10)
	if frac := bp % 100; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", frac), "0")
	}
	return sign + s + "%"
}

// ParsePercentBP reads a percentage typed as "20", "20%" or "12.5 %" into
// hundredths of a percent.
func ParsePercentBP(s string) (int64, error) {
	orig := strings.TrimSpace(s)
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(orig, "%"), "％"))
	if t == "" {
		return 0, errMsg("err_percent_empty")
	}
	if strings.Contains(t, ",") || strings.Contains(t, "¥") {
		return 0, errMsg("err_percent_not_number", "Value", orig)
	}
	bp, err := ParseYuan(t) // the same shape: digits with at most two decimals, hundredths out
	if err != nil {
		return 0, errMsg("err_percent_not_number", "Value", orig)
	}
	return bp, nil
}

// TaxRuleVersion is one saved version of the tax rule, in force from
// InForceFrom until the next version's.
type TaxRuleVersion struct {
	Version     uint      `gorm:"primaryKey"`
	Rule        string    `gorm:"type:text;not null"`
	InForceFrom time.Time `gorm:"not null"`
	ChangeID    *uint     // the approved proposal behind it; nil for the default and the command line
	CreatedByID *uint
	CreatedAt   time.Time
}

// TaxRuleVersionOf is a stored version with its rule read.
type TaxRuleVersionOf struct {
	TaxRuleVersion
	TaxRule TaxRule
}

func (v TaxRuleVersion) read() (TaxRuleVersionOf, error) {
	var r TaxRule
	if err := json.Unmarshal([]byte(v.Rule), &r); err != nil {
		return TaxRuleVersionOf{}, fmt.Errorf("tax rule version %d: %w", v.Version, err)
	}
	return TaxRuleVersionOf{TaxRuleVersion: v, TaxRule: r}, nil
}

// currentTaxRule is the newest version of the tax rule.
func currentTaxRule(tx *gorm.DB) (TaxRuleVersionOf, error) {
	var v TaxRuleVersion
	if err := tx.Order("version DESC").First(&v).Error; err != nil {
		return TaxRuleVersionOf{}, err
	}
	return v.read()
}

// taxRuleAt is the version in force at `at`: the newest version in force by
// then, or the first version for a time before any (it is the programme's
// default, and its time is only when the database got it).
func taxRuleAt(tx *gorm.DB, at time.Time) (TaxRuleVersionOf, error) {
	var v TaxRuleVersion
	err := tx.Where("in_force_from <= ?", at.UTC()).Order("version DESC").Limit(1).Find(&v).Error
	if err != nil {
		return TaxRuleVersionOf{}, err
	}
	if v.Version == 0 {
		if err := tx.Order("version").First(&v).Error; err != nil {
			return TaxRuleVersionOf{}, err
		}
	}
	return v.read()
}

// CurrentTaxRule returns the tax rule in force now, with its version.
func (s *Store) CurrentTaxRule(ctx context.Context) (TaxRuleVersionOf, error) {
	return taxRuleAt(s.r(ctx), s.now())
}

// TaxRuleAt returns the tax rule in force at `at`.
func (s *Store) TaxRuleAt(ctx context.Context, at time.Time) (TaxRuleVersionOf, error) {
	return taxRuleAt(s.r(ctx), at)
}

// TaxRuleHistory lists the tax rule's versions, newest first.
func (s *Store) TaxRuleHistory(ctx context.Context) ([]TaxRuleVersionOf, error) {
	var rows []TaxRuleVersion
	if err := s.r(ctx).Order("version DESC").Limit(100).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]TaxRuleVersionOf, 0, len(rows))
	for _, v := range rows {
		r, err := v.read()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ProposeTaxRule proposes a new tax rule; a second admin approves it on the
// pending changes page, and it is in force from that moment.
func (s *Store) ProposeTaxRule(ctx context.Context, a *Actor, r TaxRule) (*SettingsChange, error) {
	return s.propose(ctx, a, ChangeTaxRule, toJSON(r))
}

// SaveTaxRule stores a new version directly, for seeding and the command
// line only (an actor without a user); a signed-in admin proposes instead.
func (s *Store) SaveTaxRule(ctx context.Context, a *Actor, r TaxRule) (uint, error) {
	if !a.isSystem() {
		return 0, ErrForbidden
	}
	if fe := r.Validate(); len(fe) > 0 {
		return 0, fe
	}
	var version uint
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		version, err = saveTaxRule(tx, a, r, 0)
		return err
	})
	return version, err
}

// saveTaxRule stores a validated rule as the next version, in force from
// now, and audits it; changeID names the approved proposal (0: set directly).
func saveTaxRule(tx *gorm.DB, a *Actor, r TaxRule, changeID uint) (uint, error) {
	before, err := currentTaxRule(tx)
	if err != nil {
		return 0, err
	}
	v := TaxRuleVersion{Version: before.Version + 1, Rule: toJSON(r), InForceFrom: nowOf(tx).UTC().Truncate(time.Microsecond)}
	if a.UserID != 0 {
		id := a.UserID
		v.CreatedByID = &id
	}
	if changeID != 0 {
		v.ChangeID = &changeID
	}
	if err := tx.Create(&v).Error; err != nil {
		return 0, err
	}
	after := map[string]any{"rule": r, "version": v.Version}
	if changeID != 0 {
		after["change_id"] = changeID
	}
	return v.Version, appendAudit(tx, a, "settings.tax_rule", "tax_rule", v.Version, map[string]any{"rule": before.TaxRule, "version": before.Version}, after)
}

// checkTaxRuleChange reads and validates a proposed tax rule (for checkChange).
func checkTaxRuleChange(value string) (string, FieldErrors, error) {
	var r TaxRule
	if err := decodeStrict(value, &r); err != nil {
		return "", nil, err
	}
	return toJSON(r), r.Validate(), nil
}

// applyTaxRuleChange puts an approved tax rule in force (for applyChange).
func applyTaxRuleChange(tx *gorm.DB, a *Actor, ch *SettingsChange) error {
	var r TaxRule
	if err := json.Unmarshal([]byte(ch.Proposed), &r); err != nil {
		return err
	}
	_, err := saveTaxRule(tx, a, r, ch.ID)
	return err
}

// currentTaxRuleValue is the newest tax rule as JSON (for currentValue):
// a proposal replaces the newest version, whatever its time.
func currentTaxRuleValue(tx *gorm.DB) (string, error) {
	v, err := currentTaxRule(tx)
	return toJSON(v.TaxRule), err
}

// taxRuleLines lists a tax rule proposal field by field (for Lines).
func taxRuleLines(cur, next TaxRule, add func(field, cur, next string)) {
	add("tax_deduction", FormatYuan(cur.DeductionFen), FormatYuan(next.DeductionFen))
	add("tax_threshold", FormatYuan(cur.ThresholdFen), FormatYuan(next.ThresholdFen))
	add("tax_taxable_rate", FormatPercentBP(cur.TaxableBP), FormatPercentBP(next.TaxableBP))
	add("tax_brackets", TaxBracketsText(cur.Brackets), TaxBracketsText(next.Brackets))
}

// TaxBracketsText writes brackets in symbols every language reads:
// "≤ ¥20,000.00: 20% − ¥0.00; ≤ ¥50,000.00: 30% − ¥2,000.00; > ¥50,000.00: 40% − ¥7,000.00".
func TaxBracketsText(bs []TaxBracket) string {
	parts := make([]string, 0, len(bs))
	for i, b := range bs {
		bound := "≤ " + FormatYuan(b.UpToFen)
		if b.UpToFen == 0 {
			bound = "> ¥0.00"
			if i > 0 {
				bound = "> " + FormatYuan(bs[i-1].UpToFen)
			}
		}
		parts = append(parts, bound+": "+FormatPercentBP(b.RateBP)+" − "+FormatYuan(b.QuickDeductionFen))
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, "; ")
}

// TaxRuleForm is the tax rule as typed on the settings page: money in yuan,
// rates in percent, one bracket per row (the last row's upper bound empty).
type TaxRuleForm struct {
	Deduction   string
	Threshold   string
	TaxableRate string
	Brackets    []TaxBracketForm
}

// TaxBracketForm is one bracket row of the form; an all-empty row is ignored.
type TaxBracketForm struct {
	UpTo, Rate, Quick string
}

// TaxFormOf renders a rule for editing, with empty rows up to TaxMaxBrackets.
func TaxFormOf(r TaxRule) TaxRuleForm {
	f := TaxRuleForm{Deduction: YuanDecimal(r.DeductionFen), Threshold: YuanDecimal(r.ThresholdFen), TaxableRate: strings.TrimSuffix(FormatPercentBP(r.TaxableBP), "%")}
	for _, b := range r.Brackets {
		row := TaxBracketForm{Rate: strings.TrimSuffix(FormatPercentBP(b.RateBP), "%"), Quick: YuanDecimal(b.QuickDeductionFen)}
		if b.UpToFen != 0 {
			row.UpTo = YuanDecimal(b.UpToFen)
		}
		f.Brackets = append(f.Brackets, row)
	}
	for len(f.Brackets) < TaxMaxBrackets {
		f.Brackets = append(f.Brackets, TaxBracketForm{})
	}
	return f
}

// Parse reads the form into a rule and validates it; every problem is named.
func (f TaxRuleForm) Parse() (TaxRule, FieldErrors) {
	fe := FieldErrors{}
	var r TaxRule
	money := func(field, in string) int64 {
		v, err := ParseYuan(in)
		if err != nil {
			fe[field] = msgOf(err)
		}
		return v
	}
	r.DeductionFen = money("deduction", f.Deduction)
	r.ThresholdFen = money("threshold", f.Threshold)
	if bp, err := ParsePercentBP(f.TaxableRate); err != nil {
		fe["taxable_rate"] = msgOf(err)
	} else {
		r.TaxableBP = bp
	}
	for i, row := range f.Brackets {
		if strings.TrimSpace(row.UpTo+row.Rate+row.Quick) == "" {
			continue
		}
		var b TaxBracket
		var err error
		if strings.TrimSpace(row.UpTo) != "" {
			if b.UpToFen, err = ParseYuan(row.UpTo); err != nil {
				fe["brackets"] = M("err_tax_bracket_row", "N", i+1, "Problem", msgOf(err))
				break
			}
		}
		if b.RateBP, err = ParsePercentBP(row.Rate); err != nil {
			fe["brackets"] = M("err_tax_bracket_row", "N", i+1, "Problem", msgOf(err))
			break
		}
		if strings.TrimSpace(row.Quick) != "" {
			if b.QuickDeductionFen, err = ParseYuan(row.Quick); err != nil {
				fe["brackets"] = M("err_tax_bracket_row", "N", i+1, "Problem", msgOf(err))
				break
			}
		}
		r.Brackets = append(r.Brackets, b)
	}
	if len(fe) > 0 {
		return r, fe
	}
	return r, r.Validate()
}
