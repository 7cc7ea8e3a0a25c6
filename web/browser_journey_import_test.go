package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// fetchDownload downloads what the link sel points to with the browser's own
// session (cookies and all), as the user's click would, and returns the bytes.
func fetchDownload(t *testing.T, ctx context.Context, sel string) []byte {
	t.Helper()
	js := `(async () => {
		const r = await fetch(document.querySelector('` + sel + `').href, {credentials: 'same-origin'});
		if (!r.ok) return 'status:' + r.status;
		const b = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (const x of b) s += String.fromCharCode(x);
		return btoa(s);
	})()`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download %s: %v", sel, err)
	}
	data, err := base64.StdEncoding.DecodeString(out)
	if err != nil {
		t.Fatalf("download %s: %s", sel, out)
	}
	return data
}

// excelGBK is a CSV as Excel on Chinese Windows saves it: GBK, CRLF, no BOM.
func excelGBK(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatalf("not GBK-encodable: %v\n%s", err, buf.String())
	}
	return gbk
}

// utf8CSV reads a downloaded UTF-8 CSV, which must start with a BOM for Excel.
func utf8CSV(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Fatalf("%s has no BOM (Excel on Chinese Windows would show mojibake): %q", name, data[:min(len(data), 40)])
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// A Chinese MCN manager enrols 30 creators from a file made in Excel from the
// portal's own sample (GBK, Chinese headers and values, four bad rows),
// downloads the refused rows, fixes them in place and imports them with no
// errors; then resubmits a rejected creator, and a reviewer sees it marked as
// a resubmission, decides it and goes on to the next pending creator.
func TestBrowserJourneyImportAndResubmit(t *testing.T) {
	a := newDemoApp(t)
	ctx := browser(t)
	loc := i18n.For(i18n.ZH)
	base := a.ts.URL
	signInAs(t, ctx, base, loc, "mcn1@demo.test", models.DemoPassword)

	// The Chinese sample: Chinese headers and values, with a BOM.
	goTo(t, ctx, base, "/creators/import")
	sample := utf8CSV(t, "the sample", fetchDownload(t, ctx, `[data-testid="sample"]`))
	header := sample[0]
	if header[0] != "昵称" || len(sample) < 3 {
		t.Fatalf("the Chinese sample: %q", sample)
	}
	video, live := sample[1][4], sample[2][4]
	if video != loc.T("content_video") || live != loc.T("content_live") {
		t.Fatalf("the sample's content types %q %q", video, live)
	}
	// An account another demo agency holds.
	var taken models.Creator
	if err := a.raw.Where("agency_id <> (SELECT agency_id FROM users WHERE email = 'mcn1@demo.test')").Order("id").First(&taken).Error; err != nil {
		t.Fatal(err)
	}
	subjects := []string{"数码电子", "家居日用", "服饰时尚", "护肤", "汽车用品"}
	rows := [][]string{header}
	bad := map[int]string{}
	for i := 1; i <= 30; i++ {
		row := []string{fmt.Sprintf("京东测评达人%02d", i), fmt.Sprintf("jd_cr_gbk%04d", i), subjects[i%len(subjects)], "", video, fmt.Sprint(1000 * i), "", ""}
		if i%2 == 0 {
			row[4] = live
		}
		switch i {
		case 5:
			row[2], bad[i] = "火星领域", "subject"
		case 12:
			row[5], bad[i] = "很多", "followers"
		case 20:
			row[0], bad[i] = "", "name"
		case 27:
			row[1], bad[i] = taken.AccountID, "account"
		}
		rows = append(rows, row)
	}
	goTo(t, ctx, base, "/creators/import")
	do(t, ctx, chromedp.SetUploadFiles(`#file`, []string{writeFile(t, "达人名单.csv", string(excelGBK(t, rows)))}))
	load(t, ctx, `form[action="/creators/import"] button[type=submit]`)
	if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_preview_summary", "OK", 26, "Skipped", 0, "Failed", 4); !strings.Contains(got, want) {
		t.Fatalf("preview %q, want %q", got, want)
	}
	shoot(t, ctx, "journey-import-gbk-preview-zh-CN")
	load(t, ctx, `[data-testid="confirm-import"]`)
	if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_done_summary", "OK", 26, "Skipped", 0, "Failed", 4); !strings.Contains(got, want) {
		t.Fatalf("report %q, want %q", got, want)
	}
	shoot(t, ctx, "journey-import-gbk-report-zh-CN")

	// The refused rows: the same columns and a 问题 column saying what is wrong, in Chinese.
	failed := utf8CSV(t, "the refused rows", fetchDownload(t, ctx, `[data-testid="download-failed"]`))
	if got := strings.Join(failed[0], ","); got != strings.Join(header, ",")+",问题" {
		t.Fatalf("refused rows' header %q", got)
	}
	if len(failed) != 5 {
		t.Fatalf("%d refused rows, want 4: %q", len(failed)-1, failed)
	}
	for _, r := range failed[1:] {
		problem := r[len(r)-1]
		if problem == "" || strings.ContainsAny(problem, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(problem, "jd_cr") {
			t.Errorf("row %q: the problem is not said in Chinese", r)
		}
		// Fix each row as the manager would, in the downloaded file, leaving the 问题 column.
		switch {
		case strings.Contains(problem, "火星领域"):
			r[2] = "家居日用"
		case r[5] == "很多":
			r[5] = "12000"
		case r[0] == "":
			r[0] = "京东测评达人20"
		case r[1] == taken.AccountID:
			r[1] = "jd_cr_gbk0099"
		default:
			t.Errorf("an unexpected refused row %q", r)
		}
	}
	goTo(t, ctx, base, "/creators/import")
	do(t, ctx, chromedp.SetUploadFiles(`#file`, []string{writeFile(t, "达人名单-已修改.csv", string(excelGBK(t, failed)))}))
	load(t, ctx, `form[action="/creators/import"] button[type=submit]`)
	if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_preview_summary", "OK", 4, "Skipped", 0, "Failed", 0); !strings.Contains(got, want) {
		t.Fatalf("the fixed file's preview %q, want %q", got, want)
	}
	load(t, ctx, `[data-testid="confirm-import"]`)
	if got, want := text(t, ctx, `[data-testid="import-summary"]`), loc.T("import_done_summary", "OK", 4, "Skipped", 0, "Failed", 0); !strings.Contains(got, want) {
		t.Fatalf("the fixed file's report %q, want %q", got, want)
	}
	shoot(t, ctx, "journey-import-fixed-zh-CN")

	// A rejected creator: the list says why; the manager resubmits it with a note.
	goTo(t, ctx, base, "/creators?state=rejected&sort=name")
	if reason := text(t, ctx, `[data-testid="rejection-reason"]`); reason == "" {
		t.Fatal("the rejected creator's reason is not in the list")
	}
	shoot(t, ctx, "journey-rejected-list-zh-CN")
	name := text(t, ctx, `[data-testid="creator-row"] td a`)
	load(t, ctx, `[data-testid="creator-row"] td a`)
	load(t, ctx, `[data-testid="resubmit"]`)
	do(t, ctx, chromedp.SetValue(`#followers`, "88000"), chromedp.SendKeys(`#note`, "已补充近 30 天的视频链接，粉丝数已更新"))
	shoot(t, ctx, "journey-resubmit-form-zh-CN")
	load(t, ctx, `[data-testid="resubmit-submit"]`)
	wantFlash(t, ctx, loc.T("flash_resubmitted", "Name", name))
	if got := text(t, ctx, `main h1`); !strings.Contains(got, loc.T("state_pending")) {
		t.Fatalf("after resubmitting, the creator is not pending: %q", got)
	}
	signOut(t, ctx)

	// The reviewer finds it marked in the pending list and on its page, with the earlier rejection.
	signInAs(t, ctx, base, loc, "reviewer1@demo.test", models.DemoPassword)
	goTo(t, ctx, base, "/creators?state=pending&q="+strings.ReplaceAll(name, " ", "+"))
	if got := text(t, ctx, `[data-testid="creator-row"]`); !strings.Contains(got, name) || !strings.Contains(got, loc.T("resubmission")) {
		t.Fatalf("the pending list does not mark the resubmission: %q", got)
	}
	shoot(t, ctx, "journey-resubmission-pending-zh-CN")
	load(t, ctx, `[data-testid="creator-row"] td a`)
	if got := text(t, ctx, `[data-testid="resubmission"]`); !strings.Contains(got, "已补充近 30 天的视频链接") || !strings.Contains(got, "上次拒绝原因") {
		t.Fatalf("the creator page: %q", got)
	}
	if got := text(t, ctx, `[data-testid="history"]`); !strings.Contains(got, "creator.reject") || !strings.Contains(got, "creator.resubmit") {
		t.Fatalf("history %q", got)
	}
	shoot(t, ctx, "journey-resubmission-page-zh-CN")
	load(t, ctx, `[data-testid="action-qualify"]`)
	load(t, ctx, `[data-testid="next-pending"]`)
	if got := text(t, ctx, `main h1`); !strings.Contains(got, loc.T("state_pending")) {
		t.Fatalf("next pending opened %q", got)
	}

	// From the pending list, two creators rejected at once with one reason.
	goTo(t, ctx, base, "/creators?state=pending")
	do(t, ctx, chromedp.Click(`[data-testid="creator-row"]:nth-child(1) [data-testid="select-creator"]`),
		chromedp.Click(`[data-testid="creator-row"]:nth-child(2) [data-testid="select-creator"]`),
		chromedp.SetValue(`#reason`, "incomplete_information"))
	shoot(t, ctx, "journey-bulk-creators-zh-CN")
	load(t, ctx, `[data-testid="bulk-reject"]`)
	wantFlash(t, ctx, loc.T("flash_bulk_creators", "State", loc.T("state_rejected"), "Decided", 2))
}
