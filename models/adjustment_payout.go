package models

import (
	"slices"

	"gorm.io/gorm"
)

// Netting approved adjustments against payout lines (issue 16, point 5).
//
// A payee's line in a weekly batch pays its bonuses plus its approved
// adjustments not yet settled: top-ups add to the line in full; clawbacks
// take off at most what the line then holds, oldest first, and what the line
// cannot absorb carries forward to the payee's later lines. A line never goes
// negative, and a payee who is owed nothing in the batch gets no line (an
// approved top-up of a payee with no bonus in the batch waits for their next
// line likewise). Each line records how much of which adjustment it settled
// (PayoutLineAdjustment), so statements and the carried balance are exact.

// lineAdjust is an adjustment (a part of one) a planned line settles.
type lineAdjust struct {
	ID         uint
	AmountFen  int64 // what this line settles: negative for a clawback
	SettledFen int64 // what earlier lines settled, for the conditional update
	TotalFen   int64 // the adjustment's whole amount
}

// openAdjustment is an approved adjustment with money still to net.
type openAdjustment struct {
	ID         uint
	CreatorID  uint
	AgencyID   *uint
	AmountFen  int64
	SettledFen int64
	Settlement string
}

// loadOpenAdjustments reads the approved adjustments not yet settled of the
// given creators, or of creators of the given agencies.
func loadOpenAdjustments(tx *gorm.DB, creators, agencies []uint) ([]openAdjustment, error) {
	seen := map[uint]bool{}
	var out []openAdjustment
	read := func(col string, ids []uint) error {
		for _, part := range chunks(dedupe(ids), 500) {
			var rows []openAdjustment
			if err := tx.Table("bonus_adjustments AS j").
				Select("j.id, j.creator_id, j.agency_id, j.amount_fen, j.settled_fen, COALESCE(a.settlement, '') AS settlement").
				Joins("LEFT JOIN agencies a ON a.id = j.agency_id").
				Where("j.state = ? AND j.amount_fen <> j.settled_fen AND j."+col+" IN ?", BonusApproved, part).Scan(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				if !seen[r.ID] {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
		}
		return nil
	}
	if err := read("creator_id", creators); err != nil {
		return nil, err
	}
	if err := read("agency_id", agencies); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b openAdjustment) int { return int(a.ID) - int(b.ID) })
	return out, nil
}

// netAdjustments adds each line's payee's open adjustments to the line (weekly batches only).
func netAdjustments(tx *gorm.DB, kind string, lines []plannedLine) error {
	if kind != PayCreators || len(lines) == 0 {
		return nil
	}
	var creators, agencies []uint
	at := map[PayeeRef]int{}
	for i, l := range lines {
		at[l.Payee] = i
		if l.Payee.Kind == PayeeAgency {
			agencies = append(agencies, l.Payee.ID)
		}
		for _, b := range l.Bonuses {
			creators = append(creators, b.CreatorID)
		}
	}
	open, err := loadOpenAdjustments(tx, creators, agencies)
	if err != nil {
		return err
	}
	byLine := map[int][]openAdjustment{}
	for _, j := range open {
		p := payeeOf(kind, payoutBonus{CreatorID: j.CreatorID, AgencyID: j.AgencyID, Settlement: j.Settlement})
		if i, ok := at[p]; ok {
			byLine[i] = append(byLine[i], j)
		}
	}
	for i, js := range byLine {
		lines[i] = netLine(lines[i], js)
	}
	return nil
}

// netLine settles a line's open adjustments: top-ups in full, then
// clawbacks, oldest first, up to what the line holds.
func netLine(l plannedLine, open []openAdjustment) plannedLine {
	for _, j := range open {
		if out := j.AmountFen - j.SettledFen; out > 0 {
			l.Adjustments = append(l.Adjustments, lineAdjust{ID: j.ID, AmountFen: out, SettledFen: j.SettledFen, TotalFen: j.AmountFen})
			l.GrossFen += out
			l.AdjustFen += out
		}
	}
	for _, j := range open {
		out := j.AmountFen - j.SettledFen
		if out >= 0 || l.GrossFen == 0 {
			continue
		}
		take := min(-out, l.GrossFen)
		l.Adjustments = append(l.Adjustments, lineAdjust{ID: j.ID, AmountFen: -take, SettledFen: j.SettledFen, TotalFen: j.AmountFen})
		l.GrossFen -= take
		l.AdjustFen -= take
	}
	return l
}

// writeLineAdjustments records what a written line settled and moves each
// adjustment's settled amount, conditionally: a batch made meanwhile that
// settled the same adjustment fails this one (ErrBatchConflict).
func writeLineAdjustments(tx *gorm.DB, lineID uint, adj []lineAdjust) error {
	for _, x := range adj {
		if err := tx.Create(&PayoutLineAdjustment{LineID: lineID, AdjustmentID: x.ID, AmountFen: x.AmountFen}).Error; err != nil {
			return err
		}
		values := map[string]any{"settled_fen": x.SettledFen + x.AmountFen}
		if x.SettledFen+x.AmountFen == x.TotalFen {
			values["settled_line_id"] = lineID
		}
		res := tx.Model(&BonusAdjustment{}).Where("id = ? AND state = ? AND settled_fen = ?", x.ID, BonusApproved, x.SettledFen).Updates(values)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrBatchConflict
		}
	}
	return nil
}

// bonusesFen is what a line's bonuses amount to (its gross before adjustments).
func bonusesFen(bonuses []payoutBonus) int64 {
	var n int64
	for _, b := range bonuses {
		n += b.AmountFen
	}
	return n
}
