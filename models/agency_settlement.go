package models

import (
	"context"

	"gorm.io/gorm"
)

// SetAgencySettlement records how an agency's creators are paid (issue 15):
// SettleDirect (each creator) or SettleThroughAgency (one line to the agency
// per batch, which invoices). Only the agency's own manager chooses it.
// Batches made before keep their lines: it applies to the next batch.
func (s *Store) SetAgencySettlement(ctx context.Context, a *Actor, mode string) error {
	if a == nil || a.Role != RoleMCNManager || a.AgencyID == nil || a.UserID == 0 {
		return ErrForbidden
	}
	if mode != SettleDirect && mode != SettleThroughAgency {
		return FieldErrors{"settlement": Msg{ID: "err_settlement_mode"}}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var ag Agency
		if err := tx.First(&ag, *a.AgencyID).Error; err != nil {
			return notFound(err)
		}
		if ag.Settlement == mode {
			return nil
		}
		if err := tx.Model(&Agency{}).Where("id = ?", ag.ID).Update("settlement", mode).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "agency.settlement", "agency", ag.ID, map[string]any{"settlement": ag.Settlement}, map[string]any{"settlement": mode})
	})
}
