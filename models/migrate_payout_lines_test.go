package models_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Batches made before payout lines still show and download after the
// upgrade: one line per bonus, paid directly, nothing withheld; and an old
// bank result file (by account and week) still matches them.
func TestPayoutLinesBackfillOldBatches(t *testing.T) {
	t.Parallel()
	_, s, f := buildAtStep(t, 17) // the last step before payout lines
	at := f.tick()
	batch := f.insert("", "payout_batches", stepRow{"kind": "creator", "created_by_id": f.ids["admin"], "state": "exported", "count": 2,
		"total_fen": 500_000, "checksum": strings.Repeat("f7", 8), "open_mismatches": 0, "created_at": at, "exported_at": at})
	b1 := f.bonus(f.ids["c1"], uintPtr(f.ids["agency1"]), "2026-W03", "approved", 200_000, &batch)
	f.bonus(f.ids["c4"], nil, "2026-W03", "approved", 300_000, &batch)
	f.db.Exec("UPDATE bonuses SET paid_at = NULL WHERE payout_batch_id = ?", batch)
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var u models.User
	f.db.Where("email = ?", "admin@old.test").First(&u)
	staff := models.ActorFor(&u, "")
	b, lines, err := s.GetPayoutBatch(ctx, staff, batch)
	if err != nil || len(lines) != 2 || b.NetFen != 500_000 || b.TaxFen != 0 || b.Checksum != strings.Repeat("f7", 8) {
		t.Fatalf("batch %+v lines %+v %v", b, lines, err)
	}
	l := lines[0]
	if l.Payee != (models.PayeeRef{Kind: models.PayeeCreator, ID: f.ids["c1"]}) || l.GrossFen != 200_000 || l.NetFen != 200_000 ||
		l.Purpose != "京东创作者激励 2026-W03" || len(l.Bonuses) != 1 || l.Bonuses[0].BonusID != b1 || l.State != models.BonusApproved {
		t.Fatalf("line %+v", l)
	}
	fb, flines, err := s.PayoutBatchFile(ctx, staff, batch, "csv")
	var out bytes.Buffer
	if err != nil || models.WritePayoutCSV(&out, fb, flines, models.PayoutHeader) != nil || !strings.Contains(out.String(), ",200000,0,2000.00,200000") {
		t.Fatalf("file %q %v", out.String(), err)
	}
	// An old-style result file (account and week) pays the line.
	rep, err := s.ApplyBankResult(ctx, staff, batch, []byte("batch_id,account_id,week,amount_fen,status\n"+fmt.Sprint(batch)+",JD_Old_0001,2026-W03,200000,paid\n"))
	if err != nil || rep.Paid != 1 || len(rep.Mismatches) != 0 {
		t.Fatalf("old result file: %+v %v", rep, err)
	}
	// The paid batch of step 2 has its line, paid.
	var paid int64
	f.db.Table("payout_lines").Where("batch_id = ? AND paid_at IS NOT NULL", f.ids["batch"]).Count(&paid)
	if paid != 1 {
		t.Fatalf("%d paid lines for the step-2 batch", paid)
	}
}
