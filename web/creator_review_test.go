package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/jd/creator-portal/models"
)

func readCSVRows14(t *testing.T, body string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not a CSV: %v\n%s", err, body)
	}
	return rows
}

func reviewFlash(t *testing.T, res response) string {
	t.Helper()
	return strings.Join(strings.Fields(res.doc(t).Find(`[data-testid="flash"]`).Text()), " ")
}

// The refused rows of an import come back as a CSV with the columns as
// uploaded and a Problem column in the reader's language; fixed, the file
// imports, and only the uploader can download it.
func TestFailedImportRowsDownloadFixAndUploadAgain(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	file := strings.Join([]string{
		"昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话",
		"王测评,jd_cr_fx0001,数码电子,,视频测评,12000,,",
		"孙未知,jd_cr_fx0002,火星领域,,视频,3000,,",
		"周负数,jd_cr_fx0003,家居日用,,直播,-5,,",
		"吴重复,jd_cr_bob001,家居日用,,直播,100,,",
	}, "\r\n") + "\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	preview := mcn.follow(upload(t, mcn, "达人.csv", []byte(gbk)))
	link, ok := preview.doc(t).Find(`[data-testid="download-failed"]`).Attr("href")
	if !ok || !strings.HasSuffix(link, "/failed.csv") {
		t.Fatalf("no download of the refused rows on the preview: %s", preview.doc(t).Find("main").Text())
	}
	res := mcn.get(link)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.body, "\uFEFF") || !strings.Contains(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.body)
	}
	rows := readCSVRows14(t, res.body)
	wantHeader := "昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话,问题"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Fatalf("header %q, want %q", got, wantHeader)
	}
	if len(rows) != 4 {
		t.Fatalf("%d refused rows, want 3 (the good row is not given back): %q", len(rows)-1, rows)
	}
	for i, want := range []struct{ account, problem string }{
		{"jd_cr_fx0002", "火星领域"}, {"jd_cr_fx0003", "粉丝数"}, {"jd_cr_bob001", "其他机构"},
	} {
		row := rows[i+1]
		if row[1] != want.account || !strings.Contains(row[8], want.problem) || !strings.Contains(row[8], "原文件第") {
			t.Errorf("row %d: %q; want account %s and a Chinese problem naming %q", i+1, row, want.account, want.problem)
		}
	}
	// In English, the same rows say what is wrong in English under "Problem".
	mcn.postForm("/language", url.Values{"lang": {"en"}, "back": {"/creators/import"}})
	en := readCSVRows14(t, mcn.get(link).body)
	if en[0][8] != "Problem" || !strings.Contains(en[1][8], "unknown subject area") {
		t.Errorf("English download: %q", en)
	}
	// Nobody else can download it: not another manager, not staff.
	for _, who := range []string{"mcnB", "reviewer", "admin"} {
		if res := a.login(who).get(link); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s downloaded another user's refused rows: %d", who, res.StatusCode)
		}
	}
	// Fixed in place (the Problem column left in) and uploaded again: the two fixable rows import.
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	rows[1][2], rows[2][5] = "数码电子", "5000"
	fixed := [][]string{rows[0], rows[1], rows[2]}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(fixed)
	again := mcn.follow(upload(t, mcn, "达人-修改.csv", append([]byte("\uFEFF"), buf.Bytes()...))).doc(t)
	if bad := again.Find(".badge-import-error").Length(); bad != 0 || again.Find(`[data-testid="import-row"]`).Length() != 2 {
		t.Fatalf("the fixed file: %s", again.Find("main").Text())
	}
	if again.Find(`[data-testid="download-failed"]`).Length() != 0 {
		t.Error("a file without refused rows offers a download of them")
	}
	// A file that still fails keeps one Problem column, not two.
	rows[1][2] = "火星领域"
	buf.Reset()
	w = csv.NewWriter(&buf)
	_ = w.WriteAll(rows[:2])
	still := mcn.follow(upload(t, mcn, "again.csv", buf.Bytes()))
	link2, _ := still.doc(t).Find(`[data-testid="download-failed"]`).Attr("href")
	if h := readCSVRows14(t, mcn.get(link2).body)[0]; strings.Count(strings.Join(h, ","), "问题") != 1 {
		t.Errorf("the problem column repeated: %q", h)
	}
}

// A manager resubmits a rejected creator; the reviewer sees it as a
// resubmission; the rejection stays in the history; another agency gets 404.
func TestResubmitRejectedCreatorPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	id := a.creatorA.ID
	if _, err := a.store.DecideCreator(ctx, a.actor("reviewer"), models.Decision{CreatorID: id, Action: models.ActionReject, Reason: "incomplete_information", Note: "Add the video links and reapply"}); err != nil {
		t.Fatal(err)
	}
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators"}})
	list := mcn.get("/creators?state=rejected").doc(t)
	if reason := list.Find(`[data-testid="rejection-reason"]`).Text(); reason == "" {
		t.Fatalf("the list shows no rejection reason: %s", list.Find("main").Text())
	}
	page := mcn.get("/creators/" + itoa(id)).doc(t)
	href, ok := page.Find(`[data-testid="resubmit"]`).Attr("href")
	if !ok {
		t.Fatal("no resubmit button for the agency's rejected creator")
	}
	form := mcn.get(href).doc(t)
	if v, _ := form.Find(`input[name="display_name"]`).Attr("value"); v != "Alice Reviews" {
		t.Fatalf("the form is not filled with the creator's details: %q", v)
	}
	// Another agency's manager: 404 for the form and the post.
	other := a.login("mcnB")
	if res := other.get(href); res.StatusCode != http.StatusNotFound {
		t.Errorf("another agency opened the form: %d", res.StatusCode)
	}
	values := url.Values{"display_name": {"Alice Reviews"}, "subject1": {"1"}, "content_type": {"both"}, "followers": {"8000"}, "note": {"已补充视频链接"}}
	if res := other.postForm(href, values); res.StatusCode != http.StatusNotFound {
		t.Errorf("another agency resubmitted: %d", res.StatusCode)
	}
	// Without a note: refused on the form.
	noNote := url.Values{"display_name": {"Alice Reviews"}, "subject1": {"1"}, "content_type": {"both"}, "followers": {"8000"}}
	if res := mcn.postForm(href, noNote); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "请说明") {
		t.Fatalf("resubmit without a note: %d", res.StatusCode)
	}
	done := mcn.follow(mcn.postForm(href, values))
	if f := reviewFlash(t, done); !strings.Contains(f, "已重新提交") {
		t.Fatalf("flash %q", f)
	}
	// Twice: only a rejected creator can be resubmitted.
	if f := reviewFlash(t, mcn.follow(mcn.postForm(href, values))); !strings.Contains(f, "只有已拒绝的创作者") {
		t.Errorf("second resubmission: %q", f)
	}
	rev := a.login("reviewer")
	pending := rev.get("/creators?state=pending").doc(t)
	marked := false
	pending.Find(`[data-testid="creator-row"]`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Alice Reviews") && s.Find(`[data-testid="resubmitted"]`).Length() == 1 {
			marked = true
		}
	})
	if !marked {
		t.Fatalf("the pending list does not mark the resubmission: %s", pending.Find("main").Text())
	}
	detail := rev.get("/creators/" + itoa(id)).doc(t)
	if note := detail.Find(`[data-testid="resubmission"]`).Text(); !strings.Contains(note, "已补充视频链接") || !strings.Contains(note, "Incomplete information") {
		t.Errorf("the creator page does not show the resubmission and the earlier reason: %q", note)
	}
	history := detail.Find(`[data-testid="history"]`).Text()
	if !strings.Contains(history, "creator.reject") || !strings.Contains(history, "creator.resubmit") {
		t.Errorf("history %q", history)
	}
}

// Reviewers qualify or reject the selected pending creators in one go; those
// decided meanwhile are skipped and counted; reject needs a reason.
func TestBulkCreatorDecisionsFromThePendingList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	sys := models.SystemActor()
	var ids []string
	for _, acc := range []string{"jd_cr_bulk01", "jd_cr_bulk02", "jd_cr_bulk03"} {
		res, err := a.store.EnrolCreator(ctx, sys, &a.agencyA.ID, models.Enrolment{DisplayName: "Bulk " + acc, AccountID: acc, Subjects: []string{"electronics"}, ContentType: "video", Followers: "100"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, itoa(res.Creator.ID))
	}
	rev := a.login("reviewer")
	rev.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators"}})
	page := rev.get("/creators?state=pending").doc(t)
	if page.Find(`form[action="/creators/decisions"] input[name="ids"]`).Length() < 3 || page.Find(`[data-testid="bulk-reject"]`).Length() != 1 {
		t.Fatalf("no bulk form on the pending list: %s", page.Find("main").Text())
	}
	if f := reviewFlash(t, rev.follow(rev.postForm("/creators/decisions", url.Values{"ids": ids, "action": {"reject"}}))); !strings.Contains(f, "原因") {
		t.Fatalf("reject without a reason: %q", f)
	}
	// One of them is qualified by someone else meanwhile.
	first, _ := a.store.GetCreator(ctx, sys, a.creatorB.ID)
	if _, err := a.store.DecideCreator(ctx, a.actor("reviewer"), models.Decision{CreatorID: first.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	sel := append([]string{itoa(first.ID)}, ids...)
	f := reviewFlash(t, rev.follow(rev.postForm("/creators/decisions", url.Values{"ids": sel, "action": {"reject"}, "reason": {"content_policy"}, "note": {"批量"}})))
	if !strings.Contains(f, "已拒绝：3 位") || !strings.Contains(f, "另有 1 位") {
		t.Fatalf("flash %q", f)
	}
	for _, id := range ids {
		es, _ := a.store.AuditFor(ctx, "creator", parseID(id))
		if es[len(es)-1].Action != "creator.reject" {
			t.Errorf("creator %s: last audit %s", id, es[len(es)-1].Action)
		}
	}
	// Managers cannot.
	if res := a.login("mcnA").postForm("/creators/decisions", url.Values{"ids": ids, "action": {"qualify"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a manager decided in bulk: %d", res.StatusCode)
	}
}

func parseID(s string) uint {
	var n uint
	for _, r := range s {
		n = n*10 + uint(r-'0')
	}
	return n
}

// After a decision the reviewer goes on to the next pending creator, and
// back to the list when none is left. Featuring is offered for qualified creators only.
func TestNextPendingAfterADecisionAndFeatureOnlyQualified(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	// Pending: Alice (A) and Bob (B); the list shows the newest first, so Bob comes before Alice.
	pendingPage := rev.get("/creators/" + itoa(a.creatorB.ID)).doc(t)
	if pendingPage.Find(`[data-testid="feature"]`).Length() != 0 {
		t.Error("featuring offered for a pending creator")
	}
	if pendingPage.Find(`[data-testid="next-pending"]`).Length() != 0 {
		t.Error("next pending offered before a decision")
	}
	if rev.get("/creators/"+itoa(a.creatorC.ID)).doc(t).Find(`[data-testid="feature-submit"]`).Length() != 1 {
		t.Error("featuring not offered for a qualified creator")
	}
	after := rev.follow(rev.postForm("/creators/"+itoa(a.creatorB.ID)+"/decision", url.Values{"action": {"qualify"}}))
	next, ok := after.doc(t).Find(`[data-testid="next-pending"]`).Attr("href")
	if !ok {
		t.Fatal("no next pending after a decision")
	}
	res := rev.get(next)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/creators/"+itoa(a.creatorA.ID) {
		t.Fatalf("next pending: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	rev.follow(rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/decision", url.Values{"action": {"qualify"}}))
	res = rev.get("/creators/next-pending?after=" + itoa(a.creatorA.ID))
	if res.Header.Get("Location") != "/creators?state=pending" {
		t.Fatalf("none left: %s", res.Header.Get("Location"))
	}
	if f := reviewFlash(t, rev.follow(res)); !strings.Contains(f, "No creators are waiting") {
		t.Errorf("flash %q", f)
	}
	// The model refuses featuring a creator that is not qualified, whatever the form.
	if _, err := a.store.DecideCreator(ctx, a.actor("reviewer"), models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionSuspend, Reason: "content_policy"}); err != nil {
		t.Fatal(err)
	}
	f := reviewFlash(t, rev.follow(rev.postForm("/creators/"+itoa(a.creatorA.ID)+"/feature", url.Values{"from": {"2026-11-24"}, "to": {"2026-12-24"}})))
	if !strings.Contains(f, "only a qualified creator") {
		t.Errorf("featuring a suspended creator: %q", f)
	}
}
