package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// A creator enters bank details (refused with field errors first), sees them
// masked and waiting; a reviewer verifies them with a note; the creator
// changes the card and is told in the app and by email, and waits again.
func TestPayeeDetailsEnteredVerifiedAndChanged(t *testing.T) {
	a := newApp(t)
	me := a.login("creator")
	bad := me.postForm("/me/payee", url.Values{"name": {"张三"}, "id_number": {"110105194912310021"}, "method": {"bank"},
		"card": {"6222020200112233449"}, "bank": {"中国工商银行"}, "branch": {""}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad details: %d", bad.StatusCode)
	}
	doc := bad.doc(t)
	for _, f := range []string{"id_number", "card", "branch"} {
		if doc.Find(`[data-testid="error-`+f+`"]`).Length() != 1 {
			t.Errorf("no error on %s", f)
		}
	}
	good := url.Values{"name": {"张三"}, "id_number": {"11010519491231002X"}, "method": {"bank"},
		"card": {"6222 0202 0011 2233 446"}, "bank": {"中国工商银行"}, "branch": {"北京朝阳支行"}}
	page := me.follow(me.postForm("/me/payee", good))
	if page.StatusCode != http.StatusOK || strings.Contains(page.body, "6222020200112233446") || strings.Contains(page.body, "11010519491231002X") {
		t.Fatalf("saved page shows a full number or failed: %d", page.StatusCode)
	}
	doc = page.doc(t)
	if got := doc.Find(`[data-testid="payee-account"]`).Text(); got != "6222 **** **** 3446" {
		t.Errorf("account shown as %q", got)
	}
	if got := doc.Find(`[data-testid="payee-id"]`).Text(); got != "1101**********002X" {
		t.Errorf("ID shown as %q", got)
	}
	if doc.Find(`[data-testid="payee-state"].badge-pending`).Length() != 1 {
		t.Error("new details are not shown waiting for verification")
	}

	rev := a.login("reviewer")
	list := rev.get("/payees")
	if !strings.Contains(list.body, "Alice Reviews") || !strings.Contains(list.body, "6222 **** **** 3446") || strings.Contains(list.body, "6222020200112233446") {
		t.Fatalf("staff list: %s", list.body)
	}
	p, err := a.store.GetPayee(ctx, a.actor("reviewer"), models.PayeeCreator, a.creatorA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res := rev.postForm("/payees/"+itoa(p.ID)+"/verify", url.Values{"revision": {"1"}, "note": {""}}); !strings.Contains(rev.follow(res).body, "flash-error") {
		t.Error("verified without a note")
	}
	rev.follow(rev.postForm("/payees/"+itoa(p.ID)+"/verify", url.Values{"revision": {"1"}, "note": {"核对了身份证和银行卡照片"}}))
	if rev.get("/payees").doc(t).Find(`[data-testid="payee-row"]`).Length() != 0 {
		t.Error("verified details still listed as waiting")
	}
	if me.get("/me/payee").doc(t).Find(`[data-testid="payee-state"].badge-qualified`).Length() != 1 {
		t.Error("the creator does not see the details verified")
	}
	if me.get("/me").doc(t).Find(`[data-testid="me-payee"] .badge-qualified`).Length() != 1 {
		t.Error("/me does not say the payee is verified")
	}

	changed := url.Values{"name": {"张三"}, "id_number": {""}, "method": {"bank"}, "card": {"4111111111111111"}, "bank": {"招商银行"}, "branch": {"北京分行"}}
	doc = me.follow(me.postForm("/me/payee", changed)).doc(t)
	if doc.Find(`[data-testid="payee-state"].badge-pending`).Length() != 1 || doc.Find(`[data-testid="payee-account"]`).Text() != "4111 **** **** 1111" {
		t.Fatal("the changed account is not shown waiting again")
	}
	if doc.Find(`[data-testid="payee-history-row"]`).Length() != 3 {
		t.Errorf("history rows: %d", doc.Find(`[data-testid="payee-history-row"]`).Length())
	}
	mails := a.mailsTo(testUsers["creator"])
	if len(mails) != 1 || !strings.Contains(mails[0].Text, "4111 **** **** 1111") || strings.Contains(mails[0].Text, "4111111111111111") {
		t.Fatalf("mails: %+v", mails)
	}
	notes := me.get("/notifications")
	if !strings.Contains(notes.body, "4111 **** **** 1111") || !strings.Contains(notes.body, `href="/me/payee"`) {
		t.Fatalf("no notification of the changed account: %s", notes.body)
	}
}

// A manager keeps the agency's details; a creator or another role may not
// use the manager's page, and the credit code is checked.
func TestAgencyPayeeDetails(t *testing.T) {
	a := newApp(t)
	m := a.login("mcnA")
	bad := m.postForm("/agency/payee", url.Values{"name": {"福州星光传媒有限公司"}, "id_number": {"91350100M000100Y44"}, "account": {"350200001234567890"},
		"bank": {"招商银行"}, "branch": {"福州分行"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || bad.doc(t).Find(`[data-testid="error-id_number"]`).Length() != 1 {
		t.Fatalf("a wrong credit code: %d", bad.StatusCode)
	}
	page := m.follow(m.postForm("/agency/payee", url.Values{"name": {"福州星光传媒有限公司"}, "id_number": {"91350100M000100Y43"},
		"account": {"350200001234567890"}, "bank": {"招商银行"}, "branch": {"福州分行"}}))
	if got := page.doc(t).Find(`[data-testid="payee-id"]`).Text(); got != "9135**********0Y43" {
		t.Fatalf("credit code shown as %q", got)
	}
	if got := a.login("mcnB").get("/agency/payee").doc(t).Find(`[data-testid="payee-none"]`).Length(); got != 1 {
		t.Error("another agency's manager sees details")
	}
	if res := a.login("creator").get("/agency/payee"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a creator opened the agency payee page: %d", res.StatusCode)
	}
}
