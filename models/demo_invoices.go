package models

import (
	"bytes"
	"context"
	"fmt"
	"sort"
)

// seedDemoInvoices makes the second demo agency (mcn2@demo.test) settle for
// its creators, unless another part of the demo already chose how it is
// paid, and records its invoices: the oldest payable's confirmed, the next
// one's waiting for a reviewer, so the invoices pages and the payout holds
// show every state.
func (s *Store) seedDemoInvoices(ctx context.Context) error {
	var mgr, rev User
	if err := s.r(ctx).Where("email = ?", "mcn2@demo.test").First(&mgr).Error; err != nil {
		return err
	}
	if err := s.r(ctx).Where("email = ?", "reviewer2@demo.test").First(&rev).Error; err != nil {
		return err
	}
	if mgr.AgencyID == nil {
		return fmt.Errorf("demo invoices: mcn2@demo.test has no agency")
	}
	if err := s.db.WithContext(ctx).Model(&Agency{}).Where("id = ? AND settlement = ?", *mgr.AgencyID, SettleDirect).
		Update("settlement", SettleThroughAgency).Error; err != nil {
		return err
	}
	rows, err := s.AgencyPayables(ctx, ActorFor(&mgr, ""))
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Kind == PayableSettlement && rows[j].Kind != PayableSettlement })
	today := day(s.now())
	for i, p := range rows {
		if i > 1 {
			break
		}
		number := fmt.Sprintf("2644200000%010d", 1000+i)
		inv, err := s.RecordInvoice(ctx, ActorFor(&mgr, ""), InvoiceInput{Kind: p.Kind, Period: p.Period, Number: number, IssuedOn: today,
			Amount: YuanDecimal(p.GrossFen), Filename: "fapiao-" + p.Period + ".pdf", PDF: demoInvoicePDF(number, p.GrossFen)})
		if err != nil {
			return fmt.Errorf("demo invoice %s %s: %w", p.Kind, p.Period, err)
		}
		if i == 0 {
			if _, err := s.ConfirmInvoice(ctx, ActorFor(&rev, ""), inv.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoInvoicePDF is a small one-page PDF naming the invoice, so the demo's
// "Open PDF" opens something real.
func demoInvoicePDF(number string, fen int64) []byte {
	content := fmt.Sprintf("BT /F1 14 Tf 40 120 Td (VAT e-invoice %s) Tj 0 -24 Td (Buyer: JD.com   Amount: CNY %s) Tj ET", number, YuanDecimal(fen))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
