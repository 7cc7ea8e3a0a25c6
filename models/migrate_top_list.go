package models

import (
	"time"

	"gorm.io/gorm"
)

// Migration step (issue 14, point 9): published top-100 lines keep which
// creator they name and whether that creator was featured on the day the list
// was published, so the public page can mark them with a ★.

type topListEntryV13 struct {
	ID          uint   `gorm:"primaryKey"`
	Year        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:1"`
	Rank        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:2"`
	DisplayName string `gorm:"size:80;not null"`
	Subject     string `gorm:"size:80;not null"`
	Agency      string `gorm:"size:120;not null"`
	CreatorID   *uint  `gorm:"index"`
	Featured    bool   `gorm:"not null;default:false"`
	PublishedAt time.Time
}

func (topListEntryV13) TableName() string { return "top_list_entries" }

// migrateTopListCreators adds creator_id and featured to the published lists
// and fills them where the old rows allow: a line whose display name belongs to
// exactly one creator names that creator, and that creator counts as featured
// when a feature ran on the list's publication day (CST).
func migrateTopListCreators(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&topListEntryV13{}); err != nil {
		return err
	}
	var lines []topListEntryV13
	if err := tx.Where("creator_id IS NULL").Order("id").Find(&lines).Error; err != nil {
		return err
	}
	for _, l := range lines {
		var ids []uint
		if err := tx.Table("creators").Where("display_name = ?", l.DisplayName).Limit(2).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) != 1 {
			continue // unknown or ambiguous: left empty rather than guessed
		}
		published := l.PublishedAt.In(CST).Format("2006-01-02")
		var featured int64
		if err := tx.Table("features").Where("creator_id = ? AND from_day <= ? AND to_day >= ?", ids[0], published, published).
			Count(&featured).Error; err != nil {
			return err
		}
		if err := tx.Model(&topListEntryV13{}).Where("id = ?", l.ID).
			Updates(map[string]any{"creator_id": ids[0], "featured": featured > 0}).Error; err != nil {
			return err
		}
	}
	return nil
}
