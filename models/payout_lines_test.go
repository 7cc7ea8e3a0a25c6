package models_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// linesOf reads a batch's lines as the batch page shows them.
func (w *world) linesOf(t *testing.T, id uint) []models.PayoutLine {
	t.Helper()
	_, lines, err := w.s.GetPayoutBatch(ctx, w.rev1, id)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// An agency that settles for its creators is paid their bonuses on one line
// (listed beside it); other creators are paid directly; the choice applies
// to the next batch only.
func TestPayoutLinesFollowTheAgencysSettlement(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 4) // all four of Agency A: ¥100, ¥200, ¥300, ¥400
	// The fourth creator is independent.
	w.raw.Exec("UPDATE creators SET agency_id = NULL WHERE account_id = 'jd_cr_pay003'")
	w.raw.Exec("UPDATE bonuses SET agency_id = NULL WHERE id = ?", ids[3])

	w.payable(t)
	first, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids[:1])
	if err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetAgencySettlement(ctx, w.rev1, models.SettleThroughAgency); err == nil {
		t.Fatal("a reviewer chose the agency's settlement")
	}
	if err := w.s.SetAgencySettlement(ctx, w.mcnA, "cash"); err == nil {
		t.Fatal("an unknown settlement mode was taken")
	}
	if err := w.s.SetAgencySettlement(ctx, w.mcnA, models.SettleThroughAgency); err != nil {
		t.Fatal(err)
	}
	if n := w.auditCount(t, "agency.settlement", w.agencyA.ID); n != 1 {
		t.Fatalf("%d audit entries for the settlement choice", n)
	}
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids[1:])
	if err != nil {
		t.Fatal(err)
	}
	lines := w.linesOf(t, batch.ID)
	if len(lines) != 2 || batch.Count != 2 || batch.TotalFen != 90_000 || batch.NetFen != 90_000 || batch.TaxFen != 0 {
		t.Fatalf("batch %+v lines %+v", batch, lines)
	}
	agencyLine, direct := lines[0], lines[1]
	if agencyLine.Payee != (models.PayeeRef{Kind: models.PayeeAgency, ID: w.agencyA.ID}) || agencyLine.GrossFen != 50_000 ||
		len(agencyLine.Bonuses) != 2 || agencyLine.Bonuses[0].AccountID != "jd_cr_pay001" || agencyLine.Pay.Name != "Agency A" {
		t.Fatalf("agency line %+v", agencyLine)
	}
	if direct.Payee.Kind != models.PayeeCreator || direct.AccountID != "jd_cr_pay003" || direct.NetFen != 40_000 ||
		direct.Purpose != "京东创作者激励 "+lastWeek.String() || !strings.HasPrefix(direct.Ref, "JD") {
		t.Fatalf("direct line %+v", direct)
	}
	// The batch made before the choice still pays the creator directly.
	if old := w.linesOf(t, first.ID); len(old) != 1 || old[0].Payee.Kind != models.PayeeCreator {
		t.Fatalf("the earlier batch changed: %+v", old)
	}
}

// MCN monthly bonuses are paid to the agency, one line each, nothing withheld.
func TestMCNPayoutLinesPayTheAgency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.monthWithMCNBonuses(t, 2)
	if rep, err := w.s.ApproveMCNBonuses(ctx, w.rev1, ids); err != nil || rep.Approved != 2 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayAgencies, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range w.linesOf(t, batch.ID) {
		if l.Payee.Kind != models.PayeeAgency || l.TaxFen != 0 || l.NetFen != l.GrossFen || !strings.HasPrefix(l.Purpose, "京东MCN机构月度奖励 ") {
			t.Fatalf("line %+v", l)
		}
	}
}

// Lines whose net is below the minimum payout stay out of the batch, listed
// as held with the reason, and wait for a later batch.
func TestPayoutHoldsBelowTheMinimum(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 3) // ¥100, ¥200, ¥300
	if err := w.s.SetMinPayout(ctx, w.rev1, 15_000); err == nil {
		t.Fatal("a reviewer set the minimum payout")
	}
	if err := w.s.SetMinPayout(ctx, w.admin, -1); err == nil {
		t.Fatal("a negative minimum was taken")
	}
	if err := w.s.SetMinPayout(ctx, w.admin, 15_000); err != nil {
		t.Fatal(err)
	}
	w.payable(t)
	batch, skipped, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 0 || batch.Count != 2 || batch.NetFen != 50_000 || len(batch.Held) != 1 {
		t.Fatalf("batch %+v skipped %d", batch, skipped)
	}
	h := batch.Held[0]
	if h.Reason != models.HoldBelowMinimum || h.GrossFen != 10_000 || !slices.Equal(h.BonusIDs, ids[:1]) || english(h.Msg()) == "" {
		t.Fatalf("held %+v", h)
	}
	sum, err := w.s.HeldPayouts(ctx, w.rev1, 10)
	if err != nil || len(sum.Reasons) != 1 || sum.Reasons[0].Reason != models.HoldBelowMinimum || sum.Reasons[0].GrossFen != 10_000 ||
		sum.Reasons[0].Lines != 1 || len(sum.Lines) != 1 || sum.Lines[0].Name != "Creator jd_cr_pay000" {
		t.Fatalf("held summary %+v %v", sum, err)
	}
	// All held: no empty batch.
	w.payable(t)
	if _, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids[:1]); errText(err) == "" || err == nil {
		t.Fatalf("a batch of held lines only: %v", err)
	}
	// With the minimum back at ¥0 the held bonus is paid in the next batch.
	if err := w.s.SetMinPayout(ctx, w.admin, 0); err != nil {
		t.Fatal(err)
	}
	w.payable(t)
	next, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids[:1])
	if err != nil || next.Count != 1 || next.NetFen != 10_000 {
		t.Fatalf("next batch %+v %v", next, err)
	}
}

// The month sums handed to withholdingFen are the payee's earlier lines of
// the same CST month only: not another payee's, not another month's, not an
// agency with the same id.
func TestMonthSumsForWithholding(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	line := func(ref, kind string, id uint, month string, gross, tax int64) {
		t.Helper()
		if err := w.raw.Create(&models.PayoutLineRecord{BatchID: 1, Ref: ref, PayeeKind: kind, PayeeID: id, Month: month, GrossFen: gross,
			TaxFen: tax, NetFen: gross - tax, Purpose: "p", CreatedAt: time.Now()}).Error; err != nil {
			t.Fatal(err)
		}
	}
	line("A1", models.PayeeCreator, 5, "2026-11", 300_000, 44_000)
	line("A2", models.PayeeCreator, 5, "2026-11", 100_000, 20_000)
	line("A3", models.PayeeCreator, 5, "2026-10", 900_000, 1) // last month
	line("A4", models.PayeeCreator, 6, "2026-11", 900_000, 2) // another creator
	line("A5", models.PayeeAgency, 5, "2026-11", 900_000, 3)  // an agency with the same id
	for _, tc := range []struct {
		at         time.Time
		gross, tax int64
	}{
		{time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC), 400_000, 64_000}, // 23:59 CST on 30 November
		{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), 0, 0},             // already December in CST
		{time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC), 400_000, 64_000},  // 1 November 00:00 CST
	} {
		gross, tax, err := models.MonthPaidBefore(w.raw, models.PayeeRef{Kind: models.PayeeCreator, ID: 5}, models.Month(tc.at))
		if err != nil || gross != tc.gross || tax != tc.tax {
			t.Errorf("%s: gross %d tax %d, want %d %d (%v)", tc.at, gross, tax, tc.gross, tc.tax, err)
		}
	}
}

// The bank file of a frozen batch carries what a bulk transfer needs; an
// open batch has none; every download is audited with how many payees.
func TestFrozenPayoutFileColumns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 2)
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.PayoutBatchFile(ctx, w.rev1, batch.ID, "csv"); err != models.ErrBatchNotFrozen {
		t.Fatalf("file of an open batch: %v", err)
	}
	if _, _, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID); err != nil {
		t.Fatal(err)
	}
	b, lines, err := w.s.PayoutBatchFile(ctx, w.rev1, batch.ID, "csv")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := models.WritePayoutCSV(&out, b, lines, models.PayoutHeader); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out.Bytes(), []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "batch_id,batch_checksum,line_ref,payee_name,account_number,bank,branch,purpose,gross_fen,tax_fen,net_yuan,net_fen"
	if strings.Join(rows[0], ",") != want || len(rows) != 3 {
		t.Fatalf("file %q", out.String())
	}
	r := rows[2]
	if r[0] != fmt.Sprint(b.ID) || r[1] != b.Checksum || r[2] != lines[1].Ref || r[3] != "Creator jd_cr_pay001" ||
		r[7] != "京东创作者激励 "+lastWeek.String() || r[8] != "20000" || r[9] != "0" || r[10] != "200.00" || r[11] != "20000" {
		t.Fatalf("row %q", r)
	}
	var after []string
	w.raw.Model(&models.AuditEntry{}).Where("action = ? AND object_id = ?", "payout.download", b.ID).Pluck("after", &after)
	if len(after) != 1 || !strings.Contains(after[0], `"payees":2`) || !strings.Contains(after[0], `"format":"csv"`) {
		t.Fatalf("download audit %v", after)
	}
}

// The bank's result file is matched on the line reference and the net amount.
func TestBankResultByLineReference(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 3)
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	_, lines, _ := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	id := fmt.Sprint(batch.ID)
	file := "batch_id,line_ref,net_fen,status\n" +
		id + "," + lines[0].Ref + ",10000,paid\n" + // ok
		id + "," + strings.ToLower(lines[1].Ref) + ",99999,paid\n" + // amount differs
		id + ",JD9999990001,100,paid\n" + // not in the batch
		id + "," + lines[2].Ref + ",30000,失败\n" // the bank failed
	rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		3: models.M("bank_amount_differs_ref", "Ref", lines[1].Ref, "Expected", models.Fen(20000), "Amount", models.Fen(99999)).String(),
		4: models.M("bank_not_in_batch_ref", "Ref", "JD9999990001", "N", batch.ID).String(),
		5: models.M("bank_failed_ref", "Ref", lines[2].Ref, "Status", "失败").String(),
	}
	if rep.Paid != 1 || len(rep.Mismatches) != 3 {
		t.Fatalf("report %+v", rep)
	}
	for _, m := range rep.Mismatches {
		if got := m.Msg().String(); got != want[m.Line] {
			t.Errorf("line %d: %s, want %s", m.Line, got, want[m.Line])
		}
	}
	after := w.linesOf(t, batch.ID)
	if after[0].State != models.BonusPaid || after[1].State != models.BonusApproved || w.bonusState(t, ids[0]) != models.BonusPaid {
		t.Fatalf("after the result: %+v", after)
	}
	rep, _ = w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(file))
	if rep.Paid != 0 || rep.Mismatches[0].Msg().ID != "bank_already_paid_ref" {
		t.Fatalf("second application %+v", rep)
	}
}

func (w *world) bonusState(t *testing.T, id uint) models.BonusState {
	t.Helper()
	var b models.Bonus
	if err := w.raw.First(&b, id).Error; err != nil {
		t.Fatal(err)
	}
	return b.State
}

// Two reviewers making batches of the same bonuses at once never put one
// bonus on two lines.
func TestConcurrentBatchesNeverShareABonus(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 12)
	w.payable(t)
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sel := append(append([]uint(nil), ids[g*2:]...), ids[:g*2]...)
			w.s.CreatePayoutBatch(ctx, []*models.Actor{w.rev1, w.rev2}[g%2], models.PayCreators, sel)
		}()
	}
	wg.Wait()
	var links []models.PayoutLineBonus
	w.raw.Find(&links)
	if len(links) != 12 {
		t.Fatalf("%d bonus-line links for 12 bonuses", len(links))
	}
	var mismatched int64
	w.raw.Raw(`SELECT COUNT(*) FROM payout_line_bonuses lb JOIN payout_lines l ON l.id = lb.line_id JOIN bonuses b ON b.id = lb.bonus_id
		WHERE b.payout_batch_id IS NULL OR b.payout_batch_id <> l.batch_id`).Scan(&mismatched)
	if mismatched != 0 {
		t.Fatalf("%d bonuses in a batch other than their line's", mismatched)
	}
}

// Money waits for verified payee details: without them nothing is paid, and
// a payee whose details went back to unverified is held, named with why.
func TestPayoutHoldsPayeesWithoutVerifiedDetails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 3)
	if _, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids); err == nil {
		t.Fatal("a batch was made for payees with no details")
	}
	w.payable(t)
	var held models.Bonus
	if err := w.raw.First(&held, ids[0]).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE payees SET verified = ? WHERE kind = ? AND owner_id = ?", false, models.PayeeCreator, held.CreatorID).Error; err != nil {
		t.Fatal(err)
	}
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	if batch.Count != 2 || len(batch.Held) != 1 || batch.Held[0].Reason != models.HoldPayeeUnverified {
		t.Fatalf("batch of %d lines, held %+v", batch.Count, batch.Held)
	}
}

// A frozen batch's file pays the payee as verified when the batch was made:
// details that change afterwards (here: back to unverified, as after a new
// bank account) neither empty nor redirect its lines.
func TestBankFileKeepsThePayeeAsVerifiedWhenTheBatchWasMade(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 2)
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID); err != nil {
		t.Fatal(err)
	}
	_, before, err := w.s.PayoutBatchFile(ctx, w.rev1, batch.ID, "csv")
	if err != nil || len(before) != 2 || before[0].Pay.Account == "" {
		t.Fatalf("file: %+v %v", before, err)
	}
	if err := w.raw.Exec("UPDATE payees SET verified = ?, name = ?", false, "Someone Else").Error; err != nil {
		t.Fatal(err)
	}
	_, after, err := w.s.PayoutBatchFile(ctx, w.rev1, batch.ID, "csv")
	if err != nil {
		t.Fatal(err)
	}
	for i := range after {
		if after[i].Pay.Account != before[i].Pay.Account || after[i].Pay.Name != before[i].Pay.Name || after[i].Pay.Hold != "" {
			t.Errorf("line %s pays %+v after the payee changed, %+v before", after[i].Ref, after[i].Pay, before[i].Pay)
		}
	}
}
