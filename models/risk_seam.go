package models

import (
	"slices"

	"gorm.io/gorm"
)

// Risk triage (issue 16, point 7): at compute time every proposal gets zero
// or more flags, each with the figures that raised it. Detectors register
// themselves (init in their own files); flagProposals runs them all and
// storeRiskFlags keeps what they found with the week's bonuses.

// RiskKind names what raised a flag; "risk_<kind>" is its catalogue message
// (with the flag's Args) and "risk_kind_<kind>" its short badge label.
type RiskKind string

// The risk flags a proposal can carry.
const (
	RiskSpike         RiskKind = "spike"          // GMV or views above k × the trailing 8-week median
	RiskRefundRate    RiskKind = "refund_rate"    // refunded orders / orders above a threshold
	RiskOrderValue    RiskKind = "order_value"    // average order value far outside the subject area's that week
	RiskIdentical     RiskKind = "identical"      // the same weekly figures as several other creators
	RiskSharedContact RiskKind = "shared_contact" // a phone, email or payee account shared with other creators
	RiskSharedContent RiskKind = "shared_content" // a content item claimed by another creator the same week
	RiskFirstWeekCap  RiskKind = "first_week_cap" // the weekly cap reached in the creator's first qualified week
)

// RiskKinds lists the kinds in display order.
var RiskKinds = []RiskKind{RiskSpike, RiskRefundRate, RiskOrderValue, RiskIdentical, RiskSharedContact, RiskSharedContent, RiskFirstWeekCap}

// RiskFlag is one reason a proposal deserves a second look, with the figures
// that raised it as message arguments (fen as Fen, counts as int64, ratios as
// text such as "3.4").
type RiskFlag struct {
	Kind RiskKind       `json:"kind"`
	Args map[string]any `json:"args,omitempty"`
}

// Msg explains the flag in words and numbers.
func (f RiskFlag) Msg() Msg {
	kv := make([]any, 0, 2*len(f.Args))
	for _, k := range sortedKeys(f.Args) {
		kv = append(kv, k, f.Args[k])
	}
	return M("risk_"+string(f.Kind), kv...)
}

// RiskThresholds are the settings the detectors compare against.
type RiskThresholds struct {
	SpikeFactor          int64 `json:"spike_factor"`           // k: GMV or views above k × the trailing 8-week median
	SpikeMinWeeks        int64 `json:"spike_min_weeks"`        // weeks of history the median needs
	RefundRatePercent    int64 `json:"refund_rate_percent"`    // refunded orders above this share of orders
	OrderValueFactor     int64 `json:"order_value_factor"`     // AOV above k × or below 1/k × the subject area's median
	IdenticalMinCreators int64 `json:"identical_min_creators"` // this many creators or more with the same figures
	SharedMinCreators    int64 `json:"shared_min_creators"`    // this many creators or more behind one phone, email or account
}

// DefaultRiskThresholds are the thresholds a programme starts with.
var DefaultRiskThresholds = RiskThresholds{SpikeFactor: 5, SpikeMinWeeks: 4, RefundRatePercent: 30, OrderValueFactor: 10,
	IdenticalMinCreators: 3, SharedMinCreators: 2}

// riskWeek is what every detector sees of the week being computed.
type riskWeek struct {
	Week      WeekLabel
	Rows      []weekPerformance // every performance row of the week, by creator id
	Proposals []Bonus           // what the rule proposes this week (amount > 0, eligible)
	Capped    map[uint]bool     // creators whose proposal the cap cut
	T         RiskThresholds
}

// riskDetector finds flags for a week, by creator id.
type riskDetector func(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error)

// riskDetectors are every detector, registered by init functions.
var riskDetectors []riskDetector

// flagProposals runs every detector and keeps the flags of creators with a
// proposal this week, each creator's flags in RiskKinds order.
func flagProposals(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	proposed := make(map[uint]bool, len(w.Proposals))
	for _, p := range w.Proposals {
		proposed[p.CreatorID] = true
	}
	out := map[uint][]RiskFlag{}
	for _, d := range riskDetectors {
		found, err := d(tx, w)
		if err != nil {
			return nil, err
		}
		for id, fs := range found {
			if proposed[id] {
				out[id] = append(out[id], fs...)
			}
		}
	}
	for id := range out {
		slices.SortStableFunc(out[id], func(a, b RiskFlag) int {
			return slices.Index(RiskKinds, a.Kind) - slices.Index(RiskKinds, b.Kind)
		})
	}
	return out, nil
}

// riskThresholds reads the thresholds in force: a setting changed by two
// admins (ChangeRiskThresholds), the defaults until then.
func riskThresholds(tx *gorm.DB) (RiskThresholds, error) { return loadRiskThresholds(tx) }

// storeRiskFlags keeps the week's flags with its bonuses once they are
// written (replacing what an earlier compute of the week found for proposals
// still waiting); see saveRiskFlags.
func storeRiskFlags(tx *gorm.DB, week string, flags map[uint][]RiskFlag) error {
	return saveRiskFlags(tx, week, flags)
}
