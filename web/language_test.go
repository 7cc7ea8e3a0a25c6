package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/views/i18n"
)

// chinese fetches a page with a browser that asks for Chinese.
func (c *client) chinese(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	return c.do(req)
}

// The translated pages render fully in Chinese: no message ID leaks, none of
// the English it replaces shows, and the page says which language it is in.
func TestTranslatedPagesRenderInChinese(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rev := a.login("reviewer")
	if res := rev.follow(rev.postForm("/leaderboard/publish", url.Values{"year": {itoa(uint(lastWeek.Year))}, "confirm": {"1"}})); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	pages := []struct {
		who, path string
		chinese   []string // must show
		english   []string // must not show
	}{
		{"", "/login", []string{"登录", "邮箱", "密码", "百强创作者", "English"}, []string{"Sign in", "Email", "Password", "Top creators"}},
		{"", "/top-creators", []string{"年百强创作者", "登录"}, []string{"Top 100 creators of", "best-performing"}},
		{"creator", "/me", []string{"您的登记状态", "每周数据", "下载对账单", "退出登录", "通知", "创作者"}, []string{"Your weeks", "Sign out", "Notifications", "Download your statement", "My status"}},
		{"mcnA", "/dashboard", []string{"配额", "最近 12 个月", "按状态统计的创作者", "转会", "登记创作者", "MCN 经理"}, []string{"Quota for", "The last 12 months", "Transfers", "Enrol a creator", "days left"}},
		{"mcnA", "/creators", []string{"我们的创作者", "名称或京东账号 ID", "筛选", "全部状态", "全部领域"}, []string{"Our creators", "All states", "Filter", "Followers"}},
		{"mcnA", "/creators/new", []string{"显示名称", "京东创作者账号 ID", "主领域", "视频测评", "登记"}, []string{"Display name", "Follower count", "Video reviews", "Choose…"}},
		{"mcnA", "/creators/import", []string{"从 CSV 导入创作者", "下载示例文件", "检查文件"}, []string{"Import creators", "Download a sample file", "Check the file"}},
		{"mcnA", "/notifications", []string{"通知"}, []string{"Nothing yet"}},
		{"mcnA", "/bonuses", []string{"周奖金", "笔奖金符合条件", "全部周"}, []string{"Weekly bonuses", "bonuses match", "All weeks"}},
		{"mcnA", "/bonuses/" + itoa(a.bonusC.ID), []string{"金额的计算方式", "规则版本", "合计"}, []string{"How the amount was computed", "Rule version", "live sessions"}},
		{"mcnA", "/account/password", []string{"修改密码", "当前密码"}, []string{"Current password", "Change password"}},
	}
	for _, p := range pages {
		t.Run(p.who+p.path, func(t *testing.T) {
			c := a.anon()
			if p.who != "" {
				c = a.login(p.who)
			}
			res := c.chinese(p.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if strings.Contains(res.body, i18n.Missing) {
				t.Fatalf("an untranslated message ID leaks: %s", res.body[strings.Index(res.body, i18n.Missing):][:60])
			}
			if !strings.Contains(res.body, `<html lang="zh-CN">`) {
				t.Error(`the page does not say lang="zh-CN"`)
			}
			text := res.doc(t).Find("body").Text()
			for _, s := range p.chinese {
				if !strings.Contains(text, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range p.english {
				if strings.Contains(text, s) {
					t.Errorf("still in English: %q", s)
				}
			}
		})
	}
}

// The switch in the header changes the language; a signed-in user's choice is
// kept on their account and wins over the browser's wish.
func TestLanguageSwitchIsRememberedForTheUser(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	anon := a.anon()
	res := anon.follow(anon.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/top-creators"}}))
	if !strings.Contains(res.body, `lang="zh-CN"`) || !strings.Contains(res.body, "百强创作者") {
		t.Fatal("the anonymous switch to Chinese did not stick")
	}
	if bad := anon.postForm("/language", url.Values{"lang": {"fr"}}); bad.StatusCode != http.StatusBadRequest || !strings.Contains(bad.body, "请选择提供的语言之一：zh-CN 或 en") {
		t.Fatalf("an unknown language: %d %q", bad.StatusCode, bad.body)
	}
	if off := anon.postForm("/language", url.Values{"lang": {"en"}, "back": {"//evil.example/"}}); off.Header.Get("Location") != "/" {
		t.Fatalf("the switch redirected off the site: %q", off.Header.Get("Location"))
	}
	creator := a.login("creator")
	creator.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/me"}})
	// Another browser of the same creator, asking for English, still gets Chinese.
	other := a.login("creator")
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/me", nil)
	req.Header.Set("Accept-Language", "en")
	if page := other.do(req); !strings.Contains(page.body, `lang="zh-CN"`) {
		t.Fatal("the creator's language preference did not follow them")
	}
	if page := a.login("reviewer").get("/dashboard"); !strings.Contains(page.body, `lang="en"`) || !strings.Contains(page.body, "中文") {
		t.Fatal("another user's pages changed language, or the switch is missing")
	}
}

// A Chinese-speaking manager's mistakes are explained in Chinese, and what
// they enrol is confirmed in Chinese.
func TestEnrolmentSpeaksTheManagersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/new"}})
	bad := mcn.postForm("/creators", url.Values{"display_name": {""}, "account_id": {"jd_cr_bob001"}, "subject1": {"1"}, "content_type": {"video"}, "followers": {"-5"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", bad.StatusCode)
	}
	for _, want := range []string{"请修改标出的字段", "请填写显示名称", "粉丝数须为"} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("the refused form does not say %q", want)
		}
	}
	if strings.Contains(bad.body, "display name is required") {
		t.Error("an English field error leaks")
	}
	taken := mcn.postForm("/creators", url.Values{"display_name": {"Bob again"}, "account_id": {"jd_cr_bob001"}, "subject1": {"1"}, "content_type": {"video"}, "followers": {"5"}})
	if !strings.Contains(taken.body, "该京东创作者账号已由其他机构登记") {
		t.Error("enrolling another agency's creator is not refused in Chinese")
	}
	ok := mcn.follow(mcn.postForm("/creators", url.Values{"display_name": {"张三测评"}, "account_id": {"jd_cr_zhang3"}, "subject1": {"1"}, "content_type": {"video"}, "followers": {"5000"}}))
	if got := ok.doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "张三测评 已登记，等待京东审核") {
		t.Fatalf("enrolment confirmed as %q", got)
	}
}

// The import report explains bad rows in the manager's language; column names stay as in the file.
func TestImportReportSpeaksTheManagersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	csv := "display_name,account_id,primary_subject,other_subjects,content_type,followers,contact_email,contact_phone\n" +
		",jd_cr_csv001,electronics,,video,100,,\n" +
		"Good One,jd_cr_csv002,electronics,,video,100,,\n"
	res := mcn.follow(upload(t, mcn, "creators.csv", []byte(csv)))
	if !strings.Contains(res.body, "display_name：请填写显示名称") || strings.Contains(res.body, "display name is required") {
		t.Fatalf("the report does not explain the bad row in Chinese: %s", res.doc(t).Find(`[data-testid="import-rows"]`).Text())
	}
}

// Downloaded files head their columns in the reader's language, and a sample
// downloaded in Chinese imports as it is.
func TestDownloadedFilesSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	if got := firstLine(mcn.get("/creators/import/sample.csv").body); got != "display_name,account_id,primary_subject,other_subjects,content_type,followers,contact_email,contact_phone" {
		t.Fatalf("English sample header %q", got)
	}
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/import"}})
	sample := mcn.get("/creators/import/sample.csv").body
	if got := firstLine(strings.TrimPrefix(sample, "\uFEFF")); got != "昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话" {
		t.Fatalf("Chinese sample header %q", got)
	}
	preview := mcn.follow(upload(t, mcn, "sample.csv", []byte(sample))).doc(t)
	if rows, bad := preview.Find(`[data-testid="import-rows"] tbody tr`).Length(), preview.Find(".badge-import-error").Length(); rows != 2 || bad != 0 {
		t.Fatalf("the Chinese sample did not import cleanly: %d rows, %d errors: %s", rows, bad, preview.Find("main").Text())
	}

	rev := a.login("reviewer")
	rev.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/payouts"}})
	if got := firstLine(strings.TrimPrefix(rev.follow(rev.postForm("/payouts/"+itoa(a.batch.ID)+"/freeze", url.Values{"format": {"csv"}})).body, "\uFEFF")); got != "批次号,批次校验和,付款参考号,收款人户名,收款账号,开户银行,开户支行,用途,应发金额（分）,代扣个税（分）,实付金额（元）,实付金额（分）" {
		t.Fatalf("Chinese payout header %q", got)
	}
	if got := firstLine(rev.get("/performance/import/sample.csv").body); got != "京东创作者账号,周,视频数,直播场次,播放量,订单数,GMV（分）,退款订单数,退款GMV（分）" {
		t.Fatalf("Chinese performance sample header %q", got)
	}
	creator := a.login("creator")
	creator.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/me"}})
	if got := firstLine(strings.TrimPrefix(creator.get("/me/statement.csv").body, "\uFEFF")); !strings.HasPrefix(got, "周,开始日期（周一）,结束日期（周日）,视频数,直播场次,播放量") {
		t.Fatalf("Chinese statement header %q", got)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSuffix(line, "\r")
}
