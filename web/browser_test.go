package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/views/i18n"
)

// browser starts headless Chromium for one test. Without Chromium the test
// is skipped locally and fails in CI (CI=true), where a skip would hide a gap.
func browser(t *testing.T) context.Context { return browserFor(t, 4*time.Minute) }

// browserFor is browser with a budget of its own, for a test that walks every
// page (the whole suite runs in parallel on two cores, on PostgreSQL with -race).
func browserFor(t *testing.T, budget time.Duration) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM_PATH")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed; CI must install it (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	bctx, cancelTimeout := context.WithTimeout(bctx, budget)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	return bctx
}

// shoot saves a JPEG of the page's top (at most 1,800 CSS pixels of it) when
// SCREENSHOT_DIR is set (make screenshots): what a reader sees first, at a
// size that keeps docs/screenshots a few megabytes.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" || strings.HasSuffix(name, "-en") {
		// Journeys are documented by their Chinese run; the English run of
		// the same steps would double the folder for no new page.
		return
	}
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`))
	if err != nil || len(size) != 2 {
		t.Fatalf("screenshot %s: page size %v %v", name, size, err)
	}
	quality := int64(60)
	buf, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, target *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, target, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatJpeg, Quality: &quality, CaptureBeyondViewport: ptrTo(true), FromSurface: ptrTo(true),
			Clip: &page.Viewport{Width: size[0], Height: min(size[1], 1800), Scale: 1},
		})
		return r.Data, err
	}))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".jpg"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// do runs browser steps and fails the test on the first error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// text reads the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestBrowserScreenshots signs in as each demo role and saves the main pages
// at desktop and phone width, in Chinese and in English, for the README. It
// runs only for `make screenshots` (Chinese needs a CJK font: fonts-noto-cjk).
func TestBrowserScreenshots(t *testing.T) {
	if os.Getenv("SCREENSHOT_DIR") == "" {
		t.Skip("set SCREENSHOT_DIR to save screenshots")
	}
	a := newDemoApp(t)
	ctx := browser(t)
	pages := []struct {
		email string
		paths []string
	}{
		{"", []string{"/login", "/top-creators"}},
		{"reviewer1@demo.test", []string{"/dashboard", "/creators?state=pending", "/bonuses", "/bonuses/1", "/payouts", "/payouts/1", "/payees", "/invoices", "/leaderboard", "/mcn-bonuses", "/audit", "/impact", "/impact/agencies"}},
		{"mcn1@demo.test", []string{"/dashboard", "/creators", "/creators/new", "/creators/import", "/impact"}},
		{"mcn2@demo.test", []string{"/invoices", "/agency/payee"}},
		{"creator1@demo.test", []string{"/me", "/me/payee"}},
		{"admin@demo.test", []string{"/settings/bonus-rule", "/settings/tax-rule", "/settings/users"}},
		{"admin2@demo.test", []string{"/settings/changes"}},
	}
	for _, loc := range []*i18n.Localizer{i18n.For(i18n.EN), i18n.For(i18n.ZH)} {
		suffix := ""
		if loc.Lang == i18n.ZH {
			suffix = "-zh"
		}
		for _, u := range pages {
			who := "public"
			if u.email != "" {
				signInAs(t, ctx, a.ts.URL, loc, u.email, "demo-password")
				who = strings.TrimSuffix(u.email, "@demo.test")
			} else {
				signInPage(t, ctx, a.ts.URL, loc)
			}
			for _, p := range u.paths {
				goTo(t, ctx, a.ts.URL, p)
				name := who + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p) + suffix
				shoot(t, ctx, name)
				if loc.Lang == i18n.ZH || u.email == "creator1@demo.test" {
					// Phone shots in Chinese, and the creator's page in both: the folder stays small.
					do(t, ctx, chromedp.EmulateViewport(375, 812))
					shoot(t, ctx, name+"-phone")
					do(t, ctx, chromedp.EmulateViewport(1280, 900))
				}
			}
			if u.email != "" {
				signOut(t, ctx)
			}
		}
	}
}
