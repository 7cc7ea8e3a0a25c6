package models

import (
	"cmp"
	"slices"

	"gorm.io/gorm"
)

// NotifyWeekDecisions tells an agency's managers where the decisions on its
// creators' bonuses for one week stand: Week, Approved (a count), Amount (Fen,
// approved and paid), Rejected (a count). There is one per manager, week and
// agency: later decisions update the unread one instead of adding another.
const NotifyWeekDecisions = "notify_week_decisions"

// TargetBonusWeek is the bonus list of one week; its ID is the week as
// year×100+number (2026-W47 is 202647), see WeekTarget.
const TargetBonusWeek = "bonus_week"

// WeekTarget is the target of a week's bonus list.
func WeekTarget(w WeekLabel) Target {
	return Target{Type: TargetBonusWeek, ID: uint(w.Year*100 + w.Num)}
}

// Week is the week a TargetBonusWeek target names (ok false for any other target).
func (t Target) Week() (w WeekLabel, ok bool) {
	if t.Type != TargetBonusWeek || t.ID == 0 {
		return w, false
	}
	w, err := ParseWeek(WeekLabel{Year: int(t.ID / 100), Num: int(t.ID % 100)}.String())
	return w, err == nil
}

// agencyWeek is one agency's week touched by a decision.
type agencyWeek struct {
	AgencyID uint
	Week     string
}

// notifyWeekDecisions brings each touched agency week's notification up to
// date for the agency's managers, in the decision's transaction. Its work is
// per agency week — one read of the week's totals, one update, one insert —
// whatever the number of bonuses decided, so a bulk approval of thousands of
// bonuses across two agencies writes two agencies' notifications, not
// thousands. The figures are the week's totals read back from the bonuses, so
// the notification is right however many decisions fed it.
func notifyWeekDecisions(tx *gorm.DB, touched map[agencyWeek]bool) error {
	keys := make([]agencyWeek, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b agencyWeek) int {
		return cmp.Or(cmp.Compare(a.AgencyID, b.AgencyID), cmp.Compare(a.Week, b.Week))
	})
	now := nowOf(tx).UTC()
	for _, k := range keys {
		week, err := ParseWeek(k.Week)
		if err != nil {
			return err
		}
		var totals []struct {
			State BonusState
			N     int
			Fen   int64
		}
		if err := tx.Table("bonuses").Select("state, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS fen").
			Where("agency_id = ? AND week = ? AND state IN ?", k.AgencyID, k.Week, []BonusState{BonusApproved, BonusPaid, BonusRejected}).
			Group("state").Scan(&totals).Error; err != nil {
			return err
		}
		var approved, rejected int
		var fen int64
		for _, t := range totals {
			if t.State == BonusRejected {
				rejected += t.N
			} else {
				approved, fen = approved+t.N, fen+t.Fen
			}
		}
		args, err := encodeArgs(M(NotifyWeekDecisions, "Week", k.Week, "Approved", approved, "Amount", Fen(fen), "Rejected", rejected).Args)
		if err != nil {
			return err
		}
		to := WeekTarget(week)
		if err := tx.Exec(`UPDATE notifications SET args = ?, created_at = ?
			WHERE kind = ? AND target_type = ? AND target_id = ? AND read_at IS NULL
			AND user_id IN (SELECT id FROM users WHERE agency_id = ? AND role = ? AND disabled = ?)`,
			args, now, NotifyWeekDecisions, to.Type, to.ID, k.AgencyID, RoleMCNManager, false).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
			SELECT u.id, ?, ?, ?, ?, '', ? FROM users u
			WHERE u.agency_id = ? AND u.role = ? AND u.disabled = ?
			AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.kind = ? AND n.target_type = ? AND n.target_id = ? AND n.read_at IS NULL)`,
			NotifyWeekDecisions, args, to.Type, to.ID, now, k.AgencyID, RoleMCNManager, false,
			NotifyWeekDecisions, to.Type, to.ID).Error; err != nil {
			return err
		}
	}
	return nil
}
