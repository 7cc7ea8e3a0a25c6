package web

import "testing"

func TestSafeNextKeepsRedirectsOnThisSite(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/dashboard":                       "/dashboard",
		"/bonuses?week=2026-W47&state=new": "/bonuses?week=2026-W47&state=new",
		"/creators/12#history":             "/creators/12#history",
		"/search?q=%E6%95%B0%E7%A0%81":     "/search?q=%E6%95%B0%E7%A0%81",
		"/creators?q=Alice%20Reviews":      "/creators?q=Alice%20Reviews",
		"":                                 "",
		"dashboard":                        "",
		"//evil.example":                   "",
		"///evil.example":                  "",
		"/\\evil.example":                  "",
		"/\t/evil.example":                 "",
		"/%09/evil.example":                "",
		"/\n/evil.example":                 "",
		"/\r\n/evil.example":               "",
		"/ /evil.example":                  "",
		"/%20/evil.example":                "",
		"/%2F/evil.example":                "",
		"/%2f%2fevil.example":              "",
		"/%5C/evil.example":                "",
		"/\x00/evil.example":               "",
		"/%00":                             "",
		"/%zz":                             "",
		"https://evil.example/":            "",
		"https:evil.example":               "",
		"javascript:alert(1)":              "",
		"/\u00a0/evil.example":             "",
		"/\u3000/evil.example":             "",
		"\\/evil.example":                  "",
		" /dashboard":                      "",
	}
	for in, want := range cases {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
