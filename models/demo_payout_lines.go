package models

import (
	"context"
	"fmt"
)

// seedDemoSettlement makes the second demo agency settle for its creators
// (issue 15), chosen by its own manager as in the portal, so the demo's
// payout batches show one agency line with its creators' bonuses beside it.
func (s *Store) seedDemoSettlement(ctx context.Context, agencies []*Agency) error {
	if len(agencies) < 2 {
		return nil
	}
	var u User
	if err := s.r(ctx).Where("email = ?", fmt.Sprintf("mcn%d@demo.test", 2)).First(&u).Error; err != nil {
		return err
	}
	return s.SetAgencySettlement(ctx, ActorFor(&u, ""), SettleThroughAgency)
}
