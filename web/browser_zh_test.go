package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A Chinese-speaking manager enrols a creator with an email and passes on the
// invitation link; the creator opens it on a phone, sets a password, signs in
// and reads their status in Chinese, without scrolling the page sideways.
func TestBrowserChineseManagerInvitesACreatorWhoSignsInOnAPhone(t *testing.T) {
	a := newApp(t)
	ctx := browser(t)
	base := a.ts.URL
	do(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#email`),
		chromedp.Click(`[data-testid="language-switch"] button[value="zh-CN"]`), chromedp.WaitVisible(`html[lang="zh-CN"]`))
	if got := text(t, ctx, `main h1`); got != "登录" {
		t.Fatalf("sign-in title in Chinese: %q", got)
	}
	do(t, ctx,
		chromedp.SendKeys(`#email`, testUsers["mcnA"]), chromedp.SendKeys(`#password`, testPassword),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="quota"]`),
		chromedp.Navigate(base+"/creators/new"), chromedp.WaitVisible(`#display_name`),
		chromedp.SendKeys(`#display_name`, "小红测评"), chromedp.SendKeys(`#account_id`, "jd_cr_xhong1"),
		chromedp.SetValue(`#subject1`, "4"), chromedp.SetValue(`#content_type`, "video"),
		chromedp.SendKeys(`#followers`, "52000"), chromedp.SendKeys(`#contact_email`, "xiaohong@example.cn"),
		chromedp.Click(`form[action="/creators"] button[type=submit]`), chromedp.WaitVisible(`[data-testid="invite-link"]`),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "小红测评 已登记，等待京东审核") {
		t.Errorf("enrolment flash: %q", got)
	}
	if got := text(t, ctx, `[data-testid="invite-link"] p`); !strings.Contains(got, "邀请链接") {
		t.Errorf("invitation notice: %q", got)
	}
	link, err := chromedp.Run(ctx, chromedp.Value(`[data-testid="invite-link"] input`))
	if err != nil || !strings.Contains(link, "/invite/") {
		t.Fatalf("invitation link %q: %v", link, err)
	}
	do(t, ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`))

	// The creator, on a phone.
	do(t, ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(link), chromedp.WaitVisible(`#password`))
	if got := text(t, ctx, `main h1`); got != "欢迎，小红测评" {
		t.Fatalf("invitation page: %q", got)
	}
	do(t, ctx,
		chromedp.SendKeys(`#password`, "一个很长的密码-xiaohong-2026"), chromedp.SendKeys(`#password_confirm`, "一个很长的密码-xiaohong-2026"),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="flash"]`),
	)
	if got := text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "密码已设置") {
		t.Fatalf("after setting the password: %q", got)
	}
	do(t, ctx,
		chromedp.SendKeys(`#email`, "xiaohong@example.cn"), chromedp.SendKeys(`#password`, "一个很长的密码-xiaohong-2026"),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="my-status"]`),
	)
	status := text(t, ctx, `[data-testid="my-status"]`)
	if !strings.Contains(status, "您的登记状态") || !strings.Contains(status, "待审核") {
		t.Errorf("status in Chinese: %q", status)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || wide {
		t.Errorf("the creator's page scrolls sideways at 375 px (%v)", err)
	}
}
