package models

import (
	"context"
	"fmt"
)

// demoRefundFeed is the name of the API token whose corrections the demo's history shows.
const demoRefundFeed = "jd-order-feed"

// seedDemoHistory gives the demo refunds and corrected weeks (issue 16): the
// order feed reports refunds after the first upload, so those weeks have a
// second revision whose history shows before → after. creator1@demo.test's
// latest week is one of them (corrected after it was computed, so its bonus
// page shows the figures computed from beside the ones now); a few other
// creators' older weeks carry refunds too.
func (s *Store) seedDemoHistory(ctx context.Context) error {
	var u, admin User
	if err := s.r(ctx).Where("email = ?", "creator1@demo.test").First(&u).Error; err != nil || u.CreatorID == nil {
		return fmt.Errorf("demo history: creator1: %v", err)
	}
	if err := s.r(ctx).Where("email = ?", "admin@demo.test").First(&admin).Error; err != nil {
		return err
	}
	// A real token (its secret is never shown), so the token list names the feed the history does.
	if _, _, err := s.CreateAPIToken(ctx, ActorFor(&admin, ""), demoRefundFeed); err != nil {
		return err
	}
	var weeks []WeeklyPerformance
	// creator1's latest week with orders.
	var own WeeklyPerformance
	if err := s.r(ctx).Where("creator_id = ? AND orders > 0", *u.CreatorID).Order("week DESC").Limit(1).Find(&own).Error; err != nil {
		return err
	}
	if own.ID != 0 {
		weeks = append(weeks, own)
	}
	// A few others: every 17th week with orders, oldest of the DemoWeeks first (not computed yet in the demo).
	first := WeekOf(s.now()).Prev()
	for range DemoWeeks - 1 {
		first = first.Prev()
	}
	var others []WeeklyPerformance
	if err := s.r(ctx).Where("creator_id <> ? AND orders > 0 AND id % 17 = 0 AND week >= ?", *u.CreatorID, first.String()).
		Order("week, creator_id").Limit(24).Find(&others).Error; err != nil {
		return err
	}
	weeks = append(weeks, others...)
	byWeek := map[string][]PerformanceInput{}
	var order []string
	for i, p := range weeks {
		share := int64(5 + i%4*5) // 5–20 % of the orders refunded
		refOrders, refGMV := max(p.Orders*share/100, 1), p.GMVFen*share/100
		if _, ok := byWeek[p.Week]; !ok {
			order = append(order, p.Week)
		}
		var c Creator
		if err := s.r(ctx).Select("account_id").First(&c, p.CreatorID).Error; err != nil {
			return err
		}
		byWeek[p.Week] = append(byWeek[p.Week], PerformanceInput{AccountID: c.AccountID, Week: p.Week, Videos: fmt.Sprint(p.Videos),
			LiveSessions: fmt.Sprint(p.LiveSessions), Views: fmt.Sprint(p.Views), Orders: fmt.Sprint(p.Orders), GMVFen: fmt.Sprint(p.GMVFen),
			RefundedOrders: fmt.Sprint(refOrders), RefundedGMVFen: fmt.Sprint(refGMV)})
	}
	feed := &Actor{Email: "api:" + demoRefundFeed} // as AuthenticateAPIToken names a token's actor
	for _, w := range order {
		if _, probs, err := s.IngestPerformance(ctx, feed, feed.Email, byWeek[w]); err != nil || len(probs) > 0 {
			return fmt.Errorf("demo refunds %s: %v %v", w, err, probs)
		}
	}
	return nil
}
