package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// inLanguage switches a signed-in client's language.
func (c *client) inLanguage(lang string) *client {
	c.t.Helper()
	if res := c.postForm("/language", url.Values{"lang": {lang}, "back": {"/"}}); res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("switch to %s: %d", lang, res.StatusCode)
	}
	return c
}

// The models' refusals read in the reader's language, Chinese and English,
// on the forms and reports where they show: each case must show its words
// and none of the other language's.
func TestModelMessagesReadInTheReadersLanguage(t *testing.T) {
	a := newApp(t)
	type shown struct{ zh, en []string }
	enrolTwice := func(c *client) response {
		return c.postForm("/creators", url.Values{"display_name": {"Twice Skincare"}, "account_id": {"jd_cr_twice1"},
			"subject1": {"4"}, "subject2": {"4"}, "content_type": {"video"}, "followers": {"10"}})
	}
	enrolBad := func(c *client) response {
		return c.postForm("/creators", url.Values{"display_name": {""}, "account_id": {"jd cr"}, "subject1": {"1"},
			"content_type": {"podcast"}, "followers": {"-5"}, "contact_email": {"x@"}})
	}
	ruleBad := func(c *client) response {
		return c.postForm("/settings/bonus-rule", url.Values{"gmv_tiers": {"10000 = 500\nfifty = 2000"}, "view_tiers": {"100000 = -3"},
			"per_video": {"50"}, "per_live": {"300"}, "weekly_cap": {"40000"}, "four_eyes": {"20000.001"}, "action": {"propose"}})
	}
	// A file made in Chinese names its columns in Chinese; the report uses them.
	creatorsCSV := "昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话\n" +
		"好行,jd_cr_csvzh1,skincare,,video,100,,\n" +
		"坏行,jd_cr_csvzh2,skincare,,podcast,很多,,\n" +
		"重复,jd_cr_csvzh3,skincare,Skincare,video,100,,\n"
	perfCSV := "京东创作者账号,周,视频数,直播场次,播放量,订单数,GMV（分）\n" +
		"jd_cr_carol1," + lastWeek.String() + ",x,0,10,1,100\n" +
		"jd_cr_nobody9," + lastWeek.String() + ",1,0,10,1,100\n"
	cases := []struct {
		name string
		who  string
		do   func(c *client) response
		want shown
	}{
		{"subject listed twice", "mcnA", enrolTwice, shown{
			zh: []string{"领域“护肤”重复填写"},
			en: []string{`subject area "Skincare" is listed twice`},
		}},
		{"enrolment form", "mcnA", enrolBad, shown{
			zh: []string{"请填写显示名称", "京东创作者账号 ID 须为", "内容类型须为 video", "粉丝数须为", "邮箱地址无效"},
			en: []string{"display name is required", "JD creator account ID must be 4-40", "content type must be video, live or both",
				"follower count must be a whole number", "not a valid email address"},
		}},
		{"bonus rule form", "admin", ruleBad, shown{
			zh: []string{"第 2 行：门槛“fifty”不是数字", "第 1 行：金额“-3”为负数", "金额“20000.001”：最多两位小数"},
			en: []string{`line 2: threshold "fifty" is not a number`, `line 1: amount "-3" is negative`, `amount "20000.001": at most two decimals`},
		}},
		{"creator import report", "mcnA", func(c *client) response {
			return c.follow(upload(t, c, "creators.csv", []byte(creatorsCSV)))
		}, shown{
			zh: []string{"内容类型：内容类型须为", "粉丝数：粉丝数须为", "主领域/其他领域：领域“护肤”重复填写"},
			en: []string{"内容类型: content type must be video, live or both", "粉丝数: follower count must be a whole number",
				`主领域/其他领域: subject area "Skincare" is listed twice`},
		}},
		{"performance import report", "reviewer", func(c *client) response {
			return c.follow(uploadTo(t, c, "/performance/import", "perf.csv", []byte(perfCSV)))
		}, shown{
			zh: []string{"第 2 行：视频数 须为 0 到", "第 3 行：没有已登记的创作者使用账号 ID“jd_cr_nobody9”"},
			en: []string{`Line 2: 视频数 must be a whole number from 0 to 1000000000000, not "x"`,
				`Line 3: no enrolled creator has account ID "jd_cr_nobody9"`},
		}},
	}
	for _, tc := range cases {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				c := a.login(tc.who).inLanguage(lang)
				res := tc.do(c)
				text := res.doc(t).Find("main").Text()
				want, other := tc.want.zh, tc.want.en
				if lang == "en" {
					want, other = tc.want.en, tc.want.zh
				}
				for _, s := range want {
					if !strings.Contains(text, s) {
						t.Errorf("does not say %q: %s", s, text)
					}
				}
				for _, s := range other {
					if strings.Contains(text, s) {
						t.Errorf("says %q in the other language", s)
					}
				}
				for _, leak := range []string{"err_", "⟦missing", "<no value>", "content_type:", "followers:", "subjects:"} {
					if strings.Contains(text, leak) {
						t.Errorf("a message ID or field name leaks: %q", leak)
					}
				}
			})
		}
	}
}

// A refusal the handler tells apart from others (the account is another
// agency's) is recognised by errors.Is, not by its words: in Chinese too it
// offers the transfer.
func TestCreatorTakenIsRecognisedInEveryLanguage(t *testing.T) {
	a := newApp(t)
	for lang, want := range map[string]string{"zh-CN": "该京东创作者账号已由其他机构登记", "en": "already enrolled by another agency; you can request a transfer"} {
		c := a.login("mcnA").inLanguage(lang)
		form := enrolForm(a.creatorB.AccountID)
		form.Del("contact_email")
		res := c.postForm("/creators", form)
		got := res.doc(t).Find(`[data-testid="error-account_id"]`).Text()
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, want) {
			t.Errorf("%s: %d %q, want %q", lang, res.StatusCode, got, want)
		}
	}
}
