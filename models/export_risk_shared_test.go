package models

import (
	"context"

	"gorm.io/gorm"
)

// DetectRiskForTest runs the detector of one kind on a week whose proposals
// are the given creators' (one fen each), with the thresholds given, and
// keeps the flags of proposed creators as flagProposals does.
func (s *Store) DetectRiskForTest(ctx context.Context, kind RiskKind, week WeekLabel, proposed []uint, t RiskThresholds) (map[uint][]RiskFlag, error) {
	detect := map[RiskKind]riskDetector{RiskSharedContent: detectSharedContent, RiskSharedContact: detectSharedContact}[kind]
	w := &riskWeek{Week: week, T: t, Capped: map[uint]bool{}}
	for _, id := range proposed {
		w.Proposals = append(w.Proposals, Bonus{CreatorID: id, AmountFen: 1})
	}
	var out map[uint][]RiskFlag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		found, err := detect(tx, w)
		if err != nil {
			return err
		}
		out = map[uint][]RiskFlag{}
		for _, id := range proposed {
			if fs := found[id]; len(fs) > 0 {
				out[id] = fs
			}
		}
		return nil
	})
	return out, err
}
