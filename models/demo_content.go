package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// seedDemoContent gives last week's proposed demo creators their content
// items, with one video claimed by two of them, and two others one contact
// phone (written two ways), then computes last week again so its proposals
// carry both flags (issue 16). It runs after seedDemoWeeks.
func (s *Store) seedDemoContent(ctx context.Context) error {
	last := WeekOf(s.now()).Prev()
	type proposed struct {
		CreatorID uint
		AccountID string
		Videos    int64
		Live      int64
		Views     int64
		Orders    int64
		GMVFen    int64
	}
	var ps []proposed
	if err := s.r(ctx).Table("bonuses b").
		Select("b.creator_id, c.account_id, p.videos, p.live_sessions AS live, p.views, p.orders, p.gmv_fen").
		Joins("JOIN creators c ON c.id = b.creator_id").
		Joins("JOIN weekly_performances p ON p.creator_id = b.creator_id AND p.week = b.week").
		Where("b.week = ? AND b.state = ? AND p.videos + p.live_sessions > 0", last.String(), BonusProposed).
		Order("b.creator_id").Limit(12).Scan(&ps).Error; err != nil {
		return err
	}
	if len(ps) < 4 {
		return nil // too few proposals to show anything
	}
	var items []ContentInput
	for _, p := range ps {
		n := p.Videos + p.Live
		for k := range n {
			kind, prefix := ItemVideo, "v"
			if k >= p.Videos {
				kind, prefix = ItemLive, "live"
			}
			share := func(total int64) string { // the week's figures spread over its items
				part := total / n
				if k == n-1 {
					part = total - part*(n-1)
				}
				return fmt.Sprint(part)
			}
			items = append(items, ContentInput{AccountID: p.AccountID, Week: last.String(), Kind: kind,
				ContentID: fmt.Sprintf("%s-%d%02d", prefix, 880000+p.CreatorID, k+1), Views: share(p.Views), Orders: share(p.Orders), GMVFen: share(p.GMVFen)})
		}
	}
	// The second proposed creator claims the first one's first item too.
	shared := items[0]
	shared.AccountID = ps[1].AccountID
	items = append(items, shared)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Written as the feed would, audited by the counts alone (a demo has no feed to name).
		good, probs, err := checkContents(tx, items, contentPositions(items), s.now())
		if err != nil || len(probs) > 0 {
			return fmt.Errorf("demo content items: %v %v", err, probs)
		}
		res, err := replaceContents(tx, good)
		if err != nil {
			return err
		}
		if err := appendAudit(tx, SystemActor(), "performance.contents", "performance", 0, nil, contentAudit(res)); err != nil {
			return err
		}
		// The third and fourth share a contact phone, written two ways.
		if err := tx.Model(&Creator{}).Where("id = ?", ps[2].CreatorID).Update("contact_phone", "138 0013 8000").Error; err != nil {
			return err
		}
		return tx.Model(&Creator{}).Where("id = ?", ps[3].CreatorID).Update("contact_phone", "+86 138-0013-8000").Error
	})
	if err != nil {
		return err
	}
	var rev User
	if err := s.r(ctx).Where("email = ?", "reviewer1@demo.test").First(&rev).Error; err != nil {
		return err
	}
	_, err = s.ComputeWeek(ctx, ActorFor(&rev, ""), last.String())
	return err
}
