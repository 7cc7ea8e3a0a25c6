package models_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// approvedWeek makes n approved bonuses of ¥100×(i+1) and returns their ids.
func (w *world) approvedWeek(t *testing.T, n int) []uint {
	t.Helper()
	for i := 0; i < n; i++ {
		c := w.qualified(t, fmt.Sprintf("jd_cr_pay%03d", i))
		w.perf(t, lastWeek, c.AccountID, int64(i+1), 0, 0, 0)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	var ids []uint
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("id", &ids)
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, ids); err != nil || rep.Approved != n {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	return ids
}

func TestPayoutBatchTakesExactlyTheSelection(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 4)
	// A proposed bonus in the selection is left out, not swept in.
	extra := w.qualified(t, "jd_cr_payx01")
	w.perf(t, lastWeek, extra.AccountID, 1, 0, 0, 0)
	w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	proposed := w.bonusOf(t, extra.ID, lastWeek).ID

	w.payable(t)
	batch, skipped, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, []uint{ids[0], ids[2], proposed})
	if err != nil {
		t.Fatal(err)
	}
	if batch.Count != 2 || skipped != 1 || batch.TotalFen != 10_000+30_000 {
		t.Fatalf("batch %+v skipped %d", batch, skipped)
	}
	// The same bonuses cannot go into a second batch.
	w.payable(t)
	if _, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, []uint{ids[0], ids[2]}); err == nil {
		t.Fatal("bonuses were put into two batches")
	}
	if _, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID); err == nil {
		t.Fatal("a batch was paid before it was exported")
	}
	b, lines, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	if err != nil || b.State != models.BatchExported || len(lines) != 2 {
		t.Fatalf("export: %+v %d %v", b, len(lines), err)
	}
	var csv bytes.Buffer
	if err := models.WritePayoutCSV(&csv, b, lines, models.PayoutHeader); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csv.Bytes(), []byte{0xEF, 0xBB, 0xBF}) || !strings.Contains(csv.String(), ",100.00,10000") {
		t.Fatalf("csv: %q", csv.String())
	}
	var xlsx bytes.Buffer
	if err := models.WritePayoutXLSX(&xlsx, b, lines, models.PayoutHeader, "Total"); err != nil || xlsx.Len() < 100 {
		t.Fatalf("xlsx: %d bytes, %v", xlsx.Len(), err)
	}
	paid, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID)
	if err != nil || paid != 2 {
		t.Fatalf("paid %d %v", paid, err)
	}
	if _, err := w.s.MarkBatchPaid(ctx, w.rev1, batch.ID); err == nil {
		t.Fatal("a batch was paid twice")
	}
	var states []string
	w.raw.Model(&models.Bonus{}).Order("id").Pluck("state", &states)
	if strings.Join(states, ",") != "paid,approved,paid,approved,proposed" {
		t.Fatalf("states after payment: %v", states)
	}
	pool, _ := w.s.GetPool(ctx, models.PoolCreators)
	if pool.CommittedFen != 100_000 {
		t.Fatalf("paying changed the committed total: %d", pool.CommittedFen)
	}
}

func TestBankResultFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 3)
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	id := fmt.Sprint(batch.ID)
	file := "batch_id,account_id,amount_fen,status\n" +
		id + ",jd_cr_pay000,10000,paid\n" + // ok
		id + ",jd_cr_pay001,99999,paid\n" + // amount differs
		id + ",jd_cr_nobody,100,paid\n" + // unknown line
		id + ",jd_cr_pay002,30000,failed\n" + // bank failed
		"999," + "jd_cr_pay000,10000,paid\n" // another batch
	rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Paid != 1 || len(rep.Mismatches) != 4 {
		t.Fatalf("report %+v", rep)
	}
	wantLines := map[int]string{
		3: models.M(models.BankAmountDiffers, "Account", "jd_cr_pay001", "Expected", models.Fen(20000), "Amount", models.Fen(99999)).String(),
		4: models.M(models.BankNotInBatch, "Account", "jd_cr_nobody", "N", batch.ID).String(),
		5: models.M(models.BankFailed, "Account", "jd_cr_pay002", "Status", "failed").String(),
		6: models.M(models.BankOtherBatch, "Value", "999", "N", batch.ID).String(),
	}
	for _, m := range rep.Mismatches {
		if got := m.Msg().String(); got != wantLines[m.Line] {
			t.Errorf("line %d: %s, want %s", m.Line, got, wantLines[m.Line])
		}
	}
	// The same file again pays nothing twice.
	rep, _ = w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(file))
	if rep.Paid != 0 || rep.Mismatches[0].Reason != models.BankAlreadyPaid || rep.Mismatches[0].Week == "" {
		t.Fatalf("second application: %+v", rep)
	}
}

// A bank that adds a status column to the export in Chinese can send it back as it is.
func TestBankResultFileInChinese(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 2)
	w.payable(t)
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil {
		t.Fatal(err)
	}
	_, lines, err := w.s.FreezePayoutBatch(ctx, w.rev1, batch.ID)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"批次号", "批次校验和", "付款参考号", "收款人户名", "收款账号", "开户银行", "开户支行", "用途", "应发金额（分）", "代扣个税（分）", "实付金额（元）", "实付金额（分）"}
	var export bytes.Buffer
	if err := models.WritePayoutCSV(&export, batch, lines, header); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(export.String()), "\n")
	rows[0] += ",支付状态"
	for i := 1; i < len(rows); i++ {
		rows[i] += ",已支付"
	}
	rep, err := w.s.ApplyBankResult(ctx, w.rev1, batch.ID, []byte(strings.Join(rows, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Paid != 2 || len(rep.Mismatches) != 0 {
		t.Fatalf("report %+v", rep)
	}
}

func TestAppealOnceAndOverturn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_app001")
	w.perf(t, lastWeek, c.AccountID, 2, 0, 0, 0)
	w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	id := w.bonusOf(t, c.ID, lastWeek).ID
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "app@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	me := models.ActorFor(u, "")
	if err := w.s.AppealBonus(ctx, me, id, "please"); !errors.Is(err, models.ErrAppealNotAllowed) {
		t.Fatalf("appeal of a proposed bonus: %v", err)
	}
	w.s.RejectBonuses(ctx, w.rev1, []uint{id}, "unverified_performance", "")
	other := &models.Actor{UserID: 999, Role: models.RoleCreator, CreatorID: new(uint)}
	if err := w.s.AppealBonus(ctx, other, id, "mine!"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another creator appealed: %v", err)
	}
	if err := w.s.AppealBonus(ctx, me, id, "My videos are real; see the links."); err != nil {
		t.Fatal(err)
	}
	if err := w.s.AppealBonus(ctx, me, id, "again"); !errors.Is(err, models.ErrAppealNotAllowed) {
		t.Fatalf("second appeal: %v", err)
	}
	if err := w.s.DecideAppeal(ctx, w.rev2, id, true, "links check out"); err != nil {
		t.Fatal(err)
	}
	b := w.bonusOf(t, c.ID, lastWeek)
	if b.State != models.BonusProposed || b.AppealState != models.AppealOverturned {
		t.Fatalf("after overturn: %s %s", b.State, b.AppealState)
	}
	if rep, _ := w.s.ApproveBonuses(ctx, w.rev1, []uint{id}); rep.Approved != 1 {
		t.Fatal("an overturned bonus could not be approved")
	}
}
