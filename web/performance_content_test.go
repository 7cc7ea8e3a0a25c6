package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// The API's "contents" array: a good batch writes rows and items together;
// a bad item is named by its field path and nothing of the batch is written.
func TestAPIPerformanceContents(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wk := lastWeek.String()
	row := `{"creator_account_id":"jd_cr_alice1","videos":2,"live_sessions":1,"views":1200,"orders":31,"gmv_fen":459900}`
	item := func(account, id, kind string) string {
		return `{"creator_account_id":"` + account + `","content_id":"` + id + `","kind":"` + kind + `","views":600,"orders":10,"gmv_fen":150000}`
	}
	bad := `{"week":"` + wk + `","rows":[` + row + `],"contents":[` + item("jd_cr_alice1", "v-1", "video") + `,` +
		item("jd_cr_alice1", "v/2", "video") + `,` + item("jd_cr_bob001", "live-1", "radio") + `,` +
		`{"creator_account_id":"jd_cr_bob001","content_id":"v-3","kind":"live","views":1.5,"orders":1,"gmv_fen":1}]}`
	var rowsBefore int64
	a.raw.Model(&models.WeeklyPerformance{}).Where("week = ?", wk).Count(&rowsBefore)
	code, body := a.api(a.token, bad)
	if code != http.StatusBadRequest {
		t.Fatalf("bad batch: %d %v", code, body)
	}
	fields := map[string]string{}
	for _, e := range body["errors"].([]any) {
		m := e.(map[string]any)
		f, _ := m["field"].(string)
		fields[f], _ = m["error"].(string)
	}
	for f, want := range map[string]string{"contents[1].content_id": "letters, digits", "contents[2].kind": "video or live", "contents[3].views": "whole number"} {
		if !strings.Contains(fields[f], want) {
			t.Errorf("%s: %q, want %q (all: %v)", f, fields[f], want, fields)
		}
	}
	var rows, items int64
	a.raw.Model(&models.WeeklyPerformance{}).Where("week = ?", wk).Count(&rows)
	a.raw.Model(&models.PerformanceContent{}).Count(&items)
	if rows != rowsBefore || items != 0 {
		t.Fatalf("a refused batch wrote %d rows and %d items", rows, items)
	}

	good := `{"week":"` + wk + `","rows":[` + row + `],"contents":[` + item("jd_cr_alice1", "v-1", "video") + `,` +
		item("jd_cr_alice1", "live-1", "直播") + `,` + item("jd_cr_bob001", "v-1", "视频") + `]}`
	code, body = a.api(a.token, good)
	if code != http.StatusOK || body["inserted"].(float64)+body["updated"].(float64) != 1 || body["contents"] != float64(3) {
		t.Fatalf("good batch: %d %v", code, body)
	}
	var got []models.PerformanceContent
	a.raw.Where("creator_id = ?", a.creatorA.ID).Order("content_id").Find(&got)
	if len(got) != 2 || got[0].ContentID != "live-1" || got[0].Kind != "live" || got[0].GMVFen != 150000 || got[0].Week != wk {
		t.Fatalf("alice's items: %+v", got)
	}
}

// The content-items file on the performance upload page: the sample in
// Chinese, a preview that lists problems by line, and a confirm that writes.
func TestContentFileUpload(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	rev.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/performance/import"}})
	page := rev.get("/performance/import").doc(t)
	if page.Find(`[data-testid="content-upload"] form[action="/performance/contents"]`).Length() != 1 {
		t.Fatal("the upload page has no content-items form")
	}
	if got := firstLine(rev.get("/performance/contents/sample.csv").body); got != "京东创作者账号,周,内容ID,类型,播放量,订单数,GMV（分）" {
		t.Fatalf("Chinese sample header %q", got)
	}
	wk := lastWeek.String()
	file := "京东创作者账号,周,内容ID,类型,播放量,订单数,GMV（分）\n" +
		"jd_cr_alice1," + wk + ",v-1,视频,100,2,5000\n" +
		"jd_cr_alice1," + wk + ",v-2,广播,100,2,5000\n" +
		"jd_cr_bob001," + wk + ",live-1,直播,100,2,5000\n"
	res := uploadTo(t, rev, "/performance/contents", "内容.csv", []byte(file))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, res.body)
	}
	preview := rev.follow(res).doc(t)
	if got := preview.Find(`[data-testid="contents-summary"]`).Text(); !strings.Contains(got, "3 行中 2 行可以导入") {
		t.Fatalf("summary %q", got)
	}
	if got := preview.Find(`[data-testid="contents-problems"]`).Text(); !strings.Contains(got, "第 3 行") || !strings.Contains(got, "类型 须为 video（视频）或 live（直播）") {
		t.Fatalf("problems %q", got)
	}
	action, _ := preview.Find(`[data-testid="confirm-contents"]`).Closest("form").Attr("action")
	done := rev.postForm(action, url.Values{}).doc(t)
	if got := done.Find(`[data-testid="contents-summary"]`).Text(); !strings.Contains(got, "已导入 2 条内容，涉及 2 个创作者周") {
		t.Fatalf("report %q", got)
	}
	var items int64
	a.raw.Model(&models.PerformanceContent{}).Count(&items)
	if items != 2 {
		t.Fatalf("%d items stored, want 2", items)
	}
	// A bad file is refused on the content form, not the performance one.
	res = uploadTo(t, rev, "/performance/contents", "x.csv", []byte("account_id,week\n"))
	if got := res.doc(t).Find(`[data-testid="error-contents_file"]`).Text(); res.StatusCode != http.StatusUnprocessableEntity || got == "" {
		t.Fatalf("bad file: %d %q", res.StatusCode, got)
	}
}
