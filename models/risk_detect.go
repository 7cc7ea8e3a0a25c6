package models

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// The risk engineer's five detectors (issue 16, point 7): a sudden spike, a
// high refund rate, an odd average order value, identical figures across
// creators, and the cap reached in a creator's first week. Each flag carries
// the figures that raised it.

func init() {
	riskDetectors = append(riskDetectors, detectSpikes, detectRefundRate, detectOrderValue, detectIdentical, detectFirstWeekCap)
}

// spikeHistoryWeeks is how many weeks before the computed one the spike's median looks back.
const spikeHistoryWeeks = 8

// orderValueMinCreators is how many creators with orders a subject area needs
// that week before its median average order value means anything.
const orderValueMinCreators = 5

// ratioText writes a/b with one decimal ("6.2"), rounded down; b > 0.
func ratioText(a, b int64) string {
	x := a * 10 / b
	return fmt.Sprintf("%d.%d", x/10, x%10)
}

// median is the middle of xs (the lower of the two middles for an even count); xs is sorted in place.
func median(xs []int64) int64 {
	slices.Sort(xs)
	return xs[(len(xs)-1)/2]
}

// detectSpikes flags net GMV or views above k × the creator's median of the
// spikeHistoryWeeks weeks before this one, when the creator has at least
// SpikeMinWeeks of them. The history of the week's creators is read in one
// pass over the weeks' index, not a query per creator.
func detectSpikes(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	k := w.T.SpikeFactor
	if k <= 0 || len(w.Proposals) == 0 {
		return nil, nil
	}
	weeks := make([]string, 0, spikeHistoryWeeks)
	for wk := w.Week.Prev(); len(weeks) < spikeHistoryWeeks; wk = wk.Prev() {
		weeks = append(weeks, wk.String())
	}
	// One slot of history per proposed creator, filled as the rows stream by.
	type history struct {
		n          int
		gmv, views [spikeHistoryWeeks]int64
	}
	slot := newCreatorSlots(w.Proposals)
	hist := make([]history, len(w.Proposals))
	rows, err := tx.Raw("SELECT creator_id, gmv_fen - refunded_gmv_fen, views FROM weekly_performances WHERE week IN ?", weeks).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		var gmv, views int64
		if err := rows.Scan(&id, &gmv, &views); err != nil {
			return nil, err
		}
		i := slot.of(id)
		if i < 0 {
			continue
		}
		h := &hist[i]
		if h.n < spikeHistoryWeeks { // one row per (creator, week): never more
			h.gmv[h.n], h.views[h.n] = max(gmv, 0), views
			h.n++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[uint][]RiskFlag{}
	for _, r := range w.Rows {
		i := slot.of(r.CreatorID)
		if i < 0 || int64(hist[i].n) < max(w.T.SpikeMinWeeks, 1) {
			continue
		}
		h, n := &hist[i], int64(hist[i].n)
		if gmv, med := r.Figures().NetGMVFen(), median(h.gmv[:n]); med > 0 && gmv > k*med {
			out[r.CreatorID] = []RiskFlag{{Kind: RiskSpike, Args: map[string]any{"Measure": Word("risk_measure_gmv"),
				"Value": Fen(gmv), "Median": Fen(med), "Times": ratioText(gmv, med), "K": k, "Weeks": n}}}
			continue
		}
		if med := median(h.views[:n]); med > 0 && r.Views > k*med {
			out[r.CreatorID] = []RiskFlag{{Kind: RiskSpike, Args: map[string]any{"Measure": Word("risk_measure_views"),
				"Value": groupDigits(r.Views), "Median": groupDigits(med), "Times": ratioText(r.Views, med), "K": k, "Weeks": n}}}
		}
	}
	return out, nil
}

// detectRefundRate flags refunded orders above RefundRatePercent of orders.
func detectRefundRate(_ *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	limit := w.T.RefundRatePercent
	if limit <= 0 {
		return nil, nil
	}
	out := map[uint][]RiskFlag{}
	for _, r := range w.Rows {
		if r.Orders > 0 && r.RefundedOrders*100 > limit*r.Orders {
			out[r.CreatorID] = []RiskFlag{{Kind: RiskRefundRate, Args: map[string]any{"Refunded": r.RefundedOrders, "Orders": r.Orders,
				"Rate": r.RefundedOrders * 100 / r.Orders, "Limit": limit, "RefundedGMV": Fen(r.RefundedGMVFen)}}}
		}
	}
	return out, nil
}

// detectOrderValue flags an average order value (net GMV / orders) above k ×
// or below 1/k × the median of the creator's primary subject area that week,
// in areas with at least orderValueMinCreators creators with orders.
func detectOrderValue(_ *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	k := w.T.OrderValueFactor
	if k <= 1 {
		return nil, nil
	}
	aov := func(r *weekPerformance) int64 { return r.Figures().NetGMVFen() / r.Orders }
	byArea := map[uint][]int64{}
	for i := range w.Rows {
		if r := &w.Rows[i]; r.Orders > 0 {
			byArea[r.PrimarySubjectID] = append(byArea[r.PrimarySubjectID], aov(r))
		}
	}
	medians := map[uint]int64{}
	for area, xs := range byArea {
		if len(xs) >= orderValueMinCreators {
			medians[area] = median(xs)
		}
	}
	out := map[uint][]RiskFlag{}
	for i := range w.Rows {
		r := &w.Rows[i]
		med, ok := medians[r.PrimarySubjectID]
		if r.Orders <= 0 || !ok || med <= 0 {
			continue
		}
		v := aov(r)
		if v <= k*med && v*k >= med {
			continue
		}
		args := map[string]any{"Value": Fen(v), "Median": Fen(med), "K": k, "Creators": int64(len(byArea[r.PrimarySubjectID])), "Orders": r.Orders,
			"Direction": Word("risk_above"), "Times": ratioText(v, med)}
		if v*k < med {
			args["Direction"], args["Times"] = Word("risk_below"), ratioText(med, max(v, 1))
		}
		out[r.CreatorID] = []RiskFlag{{Kind: RiskOrderValue, Args: args}}
	}
	return out, nil
}

// detectIdentical flags creators whose week (videos, live sessions, views,
// orders and GMV, with GMV above zero) is exactly the same as that of at
// least IdenticalMinCreators - 1 others.
func detectIdentical(_ *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	need := max(w.T.IdenticalMinCreators, 2)
	type key struct{ videos, live, views, orders, gmv int64 }
	groups := map[key][]uint{}
	for _, r := range w.Rows {
		if r.GMVFen > 0 {
			k := key{r.Videos, r.LiveSessions, r.Views, r.Orders, r.GMVFen}
			groups[k] = append(groups[k], r.CreatorID)
		}
	}
	out := map[uint][]RiskFlag{}
	for k, ids := range groups {
		if int64(len(ids)) < need {
			continue
		}
		for _, id := range ids {
			out[id] = []RiskFlag{{Kind: RiskIdentical, Args: map[string]any{"Count": int64(len(ids)), "Videos": k.videos, "Live": k.live,
				"Views": groupDigits(k.views), "Orders": k.orders, "GMV": Fen(k.gmv)}}}
		}
	}
	return out, nil
}

// detectFirstWeekCap flags a proposal the weekly cap cut when the creator has
// no bonus of an earlier week: the cap reached in their first qualified week.
func detectFirstWeekCap(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	var capped []uint
	amount := map[uint]int64{}
	for _, p := range w.Proposals {
		if w.Capped[p.CreatorID] {
			capped = append(capped, p.CreatorID)
			amount[p.CreatorID] = p.AmountFen
		}
	}
	slices.Sort(capped)
	earlier := map[uint]bool{}
	for _, part := range chunks(capped, 500) {
		var ids []uint
		if err := tx.Model(&Bonus{}).Distinct("creator_id").Where("creator_id IN ? AND week < ?", part, w.Week.String()).
			Pluck("creator_id", &ids).Error; err != nil {
			return nil, err
		}
		for _, id := range ids {
			earlier[id] = true
		}
	}
	out := map[uint][]RiskFlag{}
	for _, id := range capped {
		if !earlier[id] {
			out[id] = []RiskFlag{{Kind: RiskFirstWeekCap, Args: map[string]any{"Amount": Fen(amount[id])}}}
		}
	}
	return out, nil
}

// creatorSlots numbers the creators with a proposal (0, 1, ...) for the rows
// streamed past them: a dense table by creator id when ids are compact (as
// they are: one sequence), else a map. A map lookup per history row was a
// fifth of the spike detector's time at 100,000 creators.
type creatorSlots struct {
	dense  []int32 // by creator id; -1 for none
	sparse map[uint]int32
}

func newCreatorSlots(ps []Bonus) creatorSlots {
	var top uint
	for _, p := range ps {
		top = max(top, p.CreatorID)
	}
	if top > uint(8*len(ps)+1024) {
		m := make(map[uint]int32, len(ps))
		for i, p := range ps {
			m[p.CreatorID] = int32(i)
		}
		return creatorSlots{sparse: m}
	}
	d := make([]int32, top+1)
	for i := range d {
		d[i] = -1
	}
	for i, p := range ps {
		d[p.CreatorID] = int32(i)
	}
	return creatorSlots{dense: d}
}

// of is the creator's slot, or -1.
func (s creatorSlots) of(id uint) int32 {
	if s.sparse != nil {
		if i, ok := s.sparse[id]; ok {
			return i
		}
		return -1
	}
	if id < uint(len(s.dense)) {
		return s.dense[id]
	}
	return -1
}
