package web_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A Chinese manager's file: GBK, the Chinese headers of the portal's own
// sample, subject areas as the pages name them (and in full-width or other
// case), content types in the words people use.
func TestChineseEnrolmentFileWithChineseValuesImports(t *testing.T) {
	a := newApp(t)
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	file := strings.Join([]string{
		"昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话",
		"王测评,jd_cr_zh0001,数码电子,家居日用;护肤,视频测评,12000,,",
		"李直播,jd_cr_zh0002,ＥＬＥＣＴＲＯＮＩＣＳ,Fashion,直播,8000,,",
		"赵两者,jd_cr_zh0003,electronic devices,,两者,3000,,",
		"钱视频,jd_cr_zh0004,mobile_phones,,视频,3000,,",
		"孙未知,jd_cr_zh0005,火星领域,,播客,3000,,",
	}, "\r\n") + "\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	preview := mcn.follow(upload(t, mcn, "达人.csv", []byte(gbk))).doc(t)
	rows := preview.Find(`[data-testid="import-rows"] tbody tr`)
	if rows.Length() != 5 {
		t.Fatalf("%d rows in the preview: %s", rows.Length(), preview.Find("main").Text())
	}
	for i := 0; i < 4; i++ {
		if row := rows.Eq(i); row.Find(".badge-import-error").Length() != 0 {
			t.Errorf("row %d refused: %s", i+2, strings.Join(strings.Fields(row.Text()), " "))
		}
	}
	last := strings.Join(strings.Fields(rows.Eq(4).Text()), " ")
	if rows.Eq(4).Find(".badge-import-error").Length() != 1 || !strings.Contains(last, "火星领域") {
		t.Errorf("the unknown subject area is not named: %s", last)
	}
	// The page lists what the columns accept, in the reader's language.
	page := mcn.get("/creators/import").doc(t).Find(`[data-testid="accepted-values"]`).Text()
	for _, want := range []string{"electronics", "数码电子", "视频测评", "两者"} {
		if !strings.Contains(page, want) {
			t.Errorf("the accepted values do not list %q", want)
		}
	}
}

// The Chinese sample is in Chinese, starts with a BOM for Excel, and imports as downloaded.
func TestChineseSampleIsChineseAndImportsAsDownloaded(t *testing.T) {
	a := newApp(t)
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	sample := mcn.get("/creators/import/sample.csv").body
	if !strings.HasPrefix(sample, "\uFEFF") {
		t.Fatal("the Chinese sample has no BOM")
	}
	for _, want := range []string{"数码电子", "视频测评", "直播带货", "jd_cr_900001"} {
		if !strings.Contains(sample, want) {
			t.Errorf("the Chinese sample lacks %q:\n%s", want, sample)
		}
	}
	preview := mcn.follow(upload(t, mcn, "sample.csv", []byte(sample))).doc(t)
	if rows, bad := preview.Find(`[data-testid="import-rows"] tbody tr`).Length(), preview.Find(".badge-import-error").Length(); rows != 2 || bad != 0 {
		t.Fatalf("the Chinese sample did not import cleanly: %d rows, %d errors: %s", rows, bad, preview.Find("main").Text())
	}
	if english := a.login("mcnB").get("/creators/import/sample.csv").body; strings.HasPrefix(english, "\uFEFF") || !strings.Contains(english, "Electronic devices") {
		t.Errorf("the English sample: %q", english)
	}
}
