package models_test

import (
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Content items come with the performance rows: checked item by item (the
// field named as the API's body does), written in the same transaction, all
// or nothing; a (creator, week)'s new list replaces its earlier one.
func TestIngestContentsWithPerformance(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_ci_a")
	w.enrol(t, w.mcnA, "jd_cr_ci_b")
	wk := lastWeek.String()
	row := models.PerformanceInput{AccountID: "jd_cr_ci_a", Week: wk, Videos: "2", LiveSessions: "1", Views: "300", Orders: "6", GMVFen: "15000"}
	bad := []models.ContentInput{
		content("jd_cr_ci_a", "v-1", "video"),
		content("jd_cr_ci_a", "v 1!", "video"),
		content("jd_cr_ci_a", "v-2", "podcast"),
		content("jd_cr_nobody", "v-3", "video"),
		content("jd_cr_ci_a", "v-1", "live"),
		{AccountID: "jd_cr_ci_b", Week: wk, ContentID: strings.Repeat("x", 65), Kind: "直播", Views: "-1", Orders: "1", GMVFen: "1"},
	}
	_, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", []models.PerformanceInput{row}, bad...)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range probs {
		got[p.Field] = english(p.Msg)
	}
	for field, want := range map[string]string{
		"contents[1].content_id":         "letters, digits",
		"contents[2].kind":               "video or live",
		"contents[3].creator_account_id": "no enrolled creator",
		"contents[4].content_id":         "repeats row 0",
		"contents[5].content_id":         "letters, digits",
		"contents[5].views":              "whole number",
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("%s: %q, want %q (all: %v)", field, got[field], want, got)
		}
	}
	if len(probs) != 6 {
		t.Errorf("%d problems, want 6: %v", len(probs), got)
	}
	var n, items int64
	w.raw.Model(&models.WeeklyPerformance{}).Count(&n)
	w.raw.Model(&models.PerformanceContent{}).Count(&items)
	if n != 0 || items != 0 {
		t.Fatalf("a refused batch wrote %d rows and %d items", n, items)
	}

	first := []models.ContentInput{content("jd_cr_ci_a", "v-1", "video"), content("jd_cr_ci_a", "v-2", "视频"), content("jd_cr_ci_a", "live-1", "直播"),
		content("jd_cr_ci_b", "v-9", "video")}
	res, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", []models.PerformanceInput{row}, first...)
	if err != nil || len(probs) > 0 || res.Inserted != 1 || res.Contents != 4 {
		t.Fatalf("good batch: %+v %v %v", res, probs, err)
	}
	// The feed sends creator a's full list again, shorter: b's list stays.
	again := []models.ContentInput{content("jd_cr_ci_a", "live-1", "live")}
	if _, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", nil, again...); err != nil || len(probs) > 0 {
		t.Fatalf("second batch: %v %v", probs, err)
	}
	var all []models.PerformanceContent
	w.raw.Order("content_id").Find(&all)
	var ids []string
	for _, it := range all {
		ids = append(ids, it.ContentID+":"+it.Kind)
	}
	if got := strings.Join(ids, ","); got != "live-1:live,v-9:video" {
		t.Fatalf("items after the replacement: %s", got)
	}
	var audit models.AuditEntry
	w.raw.Where("action = ?", "performance.ingest").Order("id DESC").First(&audit)
	for _, want := range []string{`"content_items":1`, `"content_live":1`, `"content_videos":0`} {
		if !strings.Contains(audit.After, want) {
			t.Errorf("audit %s lacks %s", audit.After, want)
		}
	}
}

// A content-items file is previewed with its problems by line and column
// (as the file spells it), and confirming writes the good lines once.
func TestContentFilePreviewAndConfirm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_cf_a")
	wk := lastWeek.String()
	file := "京东创作者账号,周,内容ID,类型,播放量,订单数,GMV（分）\n" +
		"jd_cr_cf_a," + wk + ",v-1,视频,100,2,5000\n" +
		"jd_cr_cf_a," + wk + ",v-2,直播,abc,2,5000\n" +
		"jd_cr_cf_a," + wk + ",v-1,video,1,1,1\n" +
		"jd_cr_cf_a," + wk + ",live-7,live,50,1,900\n"
	if _, err := w.s.UploadContentCSV(ctx, w.mcnA, "c.csv", []byte(file)); err == nil {
		t.Fatal("an agency manager uploaded a content file")
	}
	p, err := w.s.UploadContentCSV(ctx, w.admin, "c.csv", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != models.ImportKindContents || p.Rows != 4 || p.OK != 2 || len(p.Problems) != 2 {
		t.Fatalf("preview: %+v", p)
	}
	if p.Problems[0].Row != 3 || !strings.Contains(english(p.Problems[0].Msg), "播放量 must be a whole number") {
		t.Errorf("line 3: %d %q", p.Problems[0].Row, english(p.Problems[0].Msg))
	}
	if p.Problems[1].Row != 4 || !strings.Contains(english(p.Problems[1].Msg), "repeats row 2") {
		t.Errorf("line 4: %d %q", p.Problems[1].Row, english(p.Problems[1].Msg))
	}
	var items int64
	w.raw.Model(&models.PerformanceContent{}).Count(&items)
	if items != 0 {
		t.Fatal("the preview wrote items")
	}
	done, err := w.s.ConfirmPerformanceImport(ctx, w.admin, p.ImportID)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Confirmed || done.Result.Inserted != 2 || done.Result.Updated != 1 {
		t.Fatalf("report: %+v", done)
	}
	w.raw.Model(&models.PerformanceContent{}).Count(&items)
	if items != 2 {
		t.Fatalf("%d items stored, want 2", items)
	}
	if _, err := w.s.ConfirmPerformanceImport(ctx, w.admin, p.ImportID); err == nil {
		t.Fatal("confirmed twice")
	}
	var audit models.AuditEntry
	if err := w.raw.Where("action = ?", "performance.contents_import").First(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(audit.After, `"content_videos":1`) || !strings.Contains(audit.After, `"content_live":1`) {
		t.Errorf("audit: %s", audit.After)
	}
	// A performance upload is still a performance upload.
	perf, err := w.s.UploadPerformanceCSV(ctx, w.admin, "p.csv", []byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_cf_a,"+wk+",1,0,1,1,1\n"))
	if err != nil || perf.Kind != "" || perf.OK != 1 {
		t.Fatalf("performance upload: %+v %v", perf, err)
	}
}
