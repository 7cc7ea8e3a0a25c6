package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, pinned in web/testdata/axe/package.json (npm ci there).
// Without it the test is skipped locally and fails in CI.
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed; CI must run npm ci in web/testdata/axe: %v", err)
		}
		t.Skip("axe-core is not installed (cd web/testdata/axe && npm ci)")
	}
	return string(src)
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page shown and returns its serious and critical violations.
func axeCheck(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	await := func(p *runtime.EvaluateParams) { yes := true; p.AwaitPromise = &yes }
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any]("if (!window.axe) { "+axe+" }; true")); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	all, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))})))`, await))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	var bad []axeViolation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v)
		}
	}
	return bad
}

// Every page of every role, in both languages, at desktop and phone width:
// no serious or critical accessibility violation (axe-core).
func TestBrowserAccessibilityOfEveryPage(t *testing.T) {
	axe := axeSource(t)
	a := newDemoApp(t)
	ctx := browserFor(t, 10*time.Minute)
	// Pages people use on a phone (the creator's, sign-in, the public list, the MCN dashboard)
	// are checked at 375 px too.
	phone := map[string]bool{"/login": true, "/top-creators": true, "/me": true, "/dashboard": true, "/invite": true, "/me/payee": true}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, u := range everyPage {
			do(t, ctx, chromedp.Navigate(a.ts.URL+"/login"), chromedp.WaitVisible(`main h1`))
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang"))
			if err != nil {
				t.Fatal(err)
			}
			if shown != lang {
				do(t, ctx, chromedp.Click(`[data-testid="language-switch"] button[value="`+lang+`"]`), chromedp.WaitVisible(`html[lang="`+lang+`"]`))
			}
			if u.email != "" {
				do(t, ctx, chromedp.SendKeys(`#email`, u.email), chromedp.SendKeys(`#password`, "demo-password"),
					chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`[data-testid="who"]`))
			}
			for _, p := range u.paths {
				for _, width := range []int64{1280, 375} {
					if width == 375 && !phone[p] {
						continue
					}
					do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(`main`))
					for _, v := range axeCheck(t, ctx, axe) {
						var where []string
						for _, n := range v.Nodes[:min(3, len(v.Nodes))] {
							where = append(where, fmt.Sprint(n.Target))
						}
						t.Errorf("%s %s %s at %d px: %s (%s): %s", lang, u.email, p, width, v.ID, v.Impact, v.Help+" "+strings.Join(where, " "))
					}
				}
			}
			if u.email != "" {
				do(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`#email`))
			}
		}
	}
}
