package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// payoutBatchV18 is the payout_batches table once a batch keeps tax withheld
// and net beside its gross total (issue 15).
type payoutBatchV18 struct {
	ID             uint   `gorm:"primaryKey"`
	Kind           string `gorm:"size:8;not null;default:creator"`
	CreatedByID    uint   `gorm:"not null"`
	State          string `gorm:"size:10;not null;index"`
	Count          int    `gorm:"not null"`
	TotalFen       int64  `gorm:"not null"`
	TaxFen         int64  `gorm:"not null;default:0"`
	NetFen         int64  `gorm:"not null;default:0"`
	Checksum       string `gorm:"size:64;not null"`
	OpenMismatches int    `gorm:"not null;default:0"`
	CreatedAt      time.Time
	ExportedAt     *time.Time
	PaidAt         *time.Time
}

func (payoutBatchV18) TableName() string { return "payout_batches" }

// payoutLineV18 is a payout line as first made.
type payoutLineV18 struct {
	ID        uint   `gorm:"primaryKey"`
	BatchID   uint   `gorm:"not null;index"`
	Ref       string `gorm:"size:24;not null;uniqueIndex"`
	PayeeKind string `gorm:"size:8;not null;index:idx_payout_line_payee_month,priority:1"`
	PayeeID   uint   `gorm:"not null;index:idx_payout_line_payee_month,priority:2"`
	Month     string `gorm:"size:7;not null;index:idx_payout_line_payee_month,priority:3"`
	GrossFen  int64  `gorm:"not null"`
	TaxFen    int64  `gorm:"not null"`
	NetFen    int64  `gorm:"not null"`
	Purpose   string `gorm:"size:120;not null"`
	PaidAt    *time.Time
	CreatedAt time.Time
}

func (payoutLineV18) TableName() string { return "payout_lines" }

// payoutLineBonusV18 puts a bonus on a payout line, at most one.
type payoutLineBonusV18 struct {
	Kind     string `gorm:"primaryKey;size:8"`
	BonusID  uint   `gorm:"primaryKey;autoIncrement:false"`
	LineID   uint   `gorm:"not null;index"`
	GrossFen int64  `gorm:"not null"`
	TaxFen   int64  `gorm:"not null"`
}

func (payoutLineBonusV18) TableName() string { return "payout_line_bonuses" }

// migratePayoutLines makes payout lines (one payee, gross, tax withheld, net,
// a reference for the bank) and gives every batch made before them one line
// per bonus, paid directly with nothing withheld, as those batches were, so
// they still show and download.
func migratePayoutLines(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&payoutBatchV18{}, &payoutLineV18{}, &payoutLineBonusV18{}); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE payout_batches SET net_fen = total_fen, tax_fen = 0").Error; err != nil {
		return err
	}
	var batches []payoutBatchV18
	if err := tx.Order("id").Find(&batches).Error; err != nil {
		return err
	}
	cst := time.FixedZone("CST", 8*3600) // China has kept UTC+8 without summer time since 1991
	for _, b := range batches {
		var rows []struct {
			ID        uint
			PayeeID   uint
			Period    string
			AmountFen int64
			PaidAt    *time.Time
		}
		q := tx.Table("bonuses").Select("id, creator_id AS payee_id, week AS period, amount_fen, paid_at")
		kind, payee, purpose := "creator", "creator", "京东创作者激励 "
		if b.Kind == "mcn" {
			q = tx.Table("mcn_bonuses").Select("id, agency_id AS payee_id, month AS period, amount_fen, paid_at")
			kind, payee, purpose = "mcn", "agency", "京东MCN机构月度奖励 "
		}
		if err := q.Where("payout_batch_id = ?", b.ID).Order("id").Scan(&rows).Error; err != nil {
			return err
		}
		for i, r := range rows {
			line := payoutLineV18{BatchID: b.ID, Ref: fmt.Sprintf("JD%06d%04d", b.ID, i+1), PayeeKind: payee, PayeeID: r.PayeeID,
				Month: b.CreatedAt.In(cst).Format("2006-01"), GrossFen: r.AmountFen, NetFen: r.AmountFen, Purpose: purpose + r.Period,
				PaidAt: r.PaidAt, CreatedAt: b.CreatedAt}
			if err := tx.Create(&line).Error; err != nil {
				return err
			}
			if err := tx.Create(&payoutLineBonusV18{Kind: kind, BonusID: r.ID, LineID: line.ID, GrossFen: r.AmountFen}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
