package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// An agency is paid only against its invoice: a top-up of a creator the
// agency settles for must not ride on the agency's line beyond what the
// week's invoice covers.
func TestTopUpOnAnAgencyLineNeedsItsInvoice(t *testing.T) {
	t.Parallel()
	// Known gap found in review (not fixed: which invoice covers an adjustment,
	// and a red-letter invoice for a clawback, is a design decision). Remove
	// the skip to see it: agency A is paid ¥6,000 for a week invoiced at ¥5,000.
	t.Skip("review of issue 16: adjustments on agency lines are not covered by invoices")
	w := invoiceWorld(t) // W40: ¥3,000 approved + ¥2,000 paid, agency A settles for its creators
	w.payable(t)         // confirmed invoice for W40: ¥5,000
	var paid, approved models.Bonus
	if err := w.raw.Where("week = ? AND state = ?", "2026-W40", models.BonusPaid).First(&paid).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Where("week = ? AND state = ?", "2026-W40", models.BonusApproved).First(&approved).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	// A late upload raised the paid week by ¥1,000 and a reviewer approved the top-up.
	j := models.BonusAdjustment{BonusID: paid.ID, RevisionID: 1, CreatorID: paid.CreatorID, AgencyID: paid.AgencyID, Week: "2026-W40",
		AmountFen: 100_000, BaseFen: paid.AmountFen, NewAmountFen: paid.AmountFen + 100_000, FromFigures: "{}", ToFigures: "{}",
		Reason: models.AdjustTopUp, State: models.BonusApproved, CreatedAt: now, UpdatedAt: now}
	if err := w.raw.Create(&j).Error; err != nil {
		t.Fatal(err)
	}
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, []uint{approved.ID})
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	var invoiced int64
	w.raw.Table("agency_invoices").Where("agency_id = ? AND period = ? AND state = ?", w.agencyA.ID, "2026-W40", models.InvoiceConfirmed).
		Select("COALESCE(SUM(amount_fen), 0)").Scan(&invoiced)
	for _, l := range w.linesOf(t, batch.ID) {
		if l.Payee.Kind == models.PayeeAgency && l.Payee.ID == w.agencyA.ID && paid.AmountFen+l.GrossFen > invoiced {
			t.Fatalf("agency A is paid ¥%d for 2026-W40 (¥%d before, ¥%d on this line) against an invoice of ¥%d",
				(paid.AmountFen+l.GrossFen)/100, paid.AmountFen/100, l.GrossFen/100, invoiced/100)
		}
	}
}
