package web_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// A Chinese reviewer downloads the content-items sample from the
// performance upload page, adds a line with a wrong kind, saves it from
// Excel (GBK), checks it, reads the problem by line and imports the rest.
func TestBrowserJourneyContentItems(t *testing.T) {
	a := newDemoApp(t)
	ctx := browser(t)
	loc := i18n.For(i18n.ZH)
	base := a.ts.URL
	signInAs(t, ctx, base, loc, "reviewer1@demo.test", models.DemoPassword)

	goTo(t, ctx, base, "/performance/import")
	shoot(t, ctx, "journey-content-upload-zh-CN")
	data := bytes.TrimPrefix(fetchDownload(t, ctx, `a[href="/performance/contents/sample.csv"]`), []byte("\uFEFF"))
	sample, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(sample) < 3 || strings.Join(sample[0], ",") != "京东创作者账号,周,内容ID,类型,播放量,订单数,GMV（分）" {
		t.Fatalf("the Chinese sample: %q %v", sample, err)
	}
	bad := append([]string(nil), sample[1]...)
	bad[2], bad[3] = "v-0000001", "图文"
	rows := append(sample, bad)
	do(t, ctx, chromedp.SetUploadFiles(`#contents_file`, []string{writeFile(t, "内容明细.csv", string(excelGBK(t, rows)))}))
	load(t, ctx, `[data-testid="check-contents"]`)
	ok := len(sample) - 1
	if got, want := text(t, ctx, `[data-testid="contents-summary"]`), loc.T("perf_preview_summary", "OK", ok, "Rows", ok+1, "Failed", 1); !strings.Contains(got, want) {
		t.Fatalf("preview %q, want %q", got, want)
	}
	if got := text(t, ctx, `[data-testid="contents-problems"]`); !strings.Contains(got, "第 "+itoa(uint(len(rows)))+" 行") || !strings.Contains(got, "图文") {
		t.Fatalf("problems %q", got)
	}
	shoot(t, ctx, "journey-content-preview-zh-CN")
	load(t, ctx, `[data-testid="confirm-contents"]`)
	if got := text(t, ctx, `[data-testid="contents-summary"]`); !strings.Contains(got, "已导入 "+itoa(uint(ok))+" 条内容") {
		t.Fatalf("report %q", got)
	}
	shoot(t, ctx, "journey-content-report-zh-CN")
}
