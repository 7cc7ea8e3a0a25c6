package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jd/creator-portal/views/i18n"
)

// Issue 13: the error page showed echo's English ("Method Not Allowed") to a
// Chinese reader. Title and message now come from the catalogue by status.
func TestErrorPagesSpeakChinese(t *testing.T) {
	a := newApp(t)
	zh := i18n.For(i18n.ZH)
	request := func(c *client, method, path string, form url.Values) response {
		c.t = t
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, err := http.NewRequest(method, a.ts.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return c.do(req)
	}
	cases := []struct {
		name          string
		do            func() response
		status        int
		title, reason string
		english       []string // what the page used to show
	}{
		{"405, signed out", func() response { return request(a.anon(), http.MethodGet, "/logout", nil) },
			http.StatusMethodNotAllowed, "status_405", "error_405", []string{"Method Not Allowed"}},
		{"405, signed in", func() response { return request(a.login("reviewer"), http.MethodGet, "/mcn-bonuses/decide", nil) },
			http.StatusMethodNotAllowed, "status_405", "error_405", []string{"Method Not Allowed"}},
		{"404, signed out", func() response { return request(a.anon(), http.MethodGet, "/no-such-page", nil) },
			http.StatusNotFound, "status_404", "error_404", []string{"Not Found", "This page does not exist"}},
		{"404, another tenant's record", func() response {
			return request(a.login("mcnA"), http.MethodGet, "/creators/"+itoa(a.creatorB.ID), nil)
		}, http.StatusNotFound, "status_404", "error_404", []string{"This page does not exist"}},
		{"403, a form without its CSRF token", func() response {
			return request(a.login("mcnA"), http.MethodPost, "/creators", url.Values{"display_name": {"x"}})
		}, http.StatusForbidden, "status_403", "error_csrf", []string{"security token", "Forbidden"}},
		{"400, an unknown language", func() response {
			c := a.anon()
			return request(c, http.MethodPost, "/language", url.Values{"lang": {"fr"}, "_csrf": {c.csrf()}})
		}, http.StatusBadRequest, "status_400", "error_language_unknown", []string{"Choose one of the languages", "Bad Request"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.do()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, res.body)
			}
			doc := res.doc(t)
			if got, want := strings.TrimSpace(doc.Find("main h1").Text()), zh.T(tc.title); got != want {
				t.Errorf("title %q, want %q", got, want)
			}
			if got, want := strings.TrimSpace(doc.Find(`[data-testid="error-message"]`).Text()), zh.T(tc.reason); got != want {
				t.Errorf("message %q, want %q", got, want)
			}
			if lang, _ := doc.Find("html").Attr("lang"); lang != "zh-CN" {
				t.Errorf("page language %q", lang)
			}
			for _, en := range tc.english {
				if strings.Contains(res.body, en) {
					t.Errorf("the Chinese page shows %q", en)
				}
			}
		})
	}
}

// The API answers programs in English JSON, whatever the error.
func TestAPIErrorsStayJSON(t *testing.T) {
	a := newApp(t)
	req, err := http.NewRequest(http.MethodPost, a.ts.URL+"/api/v1/no-such-endpoint", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Accept-Language", "zh-CN")
	c := a.anon()
	res := c.do(req)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.body, `"error":"This page does not exist."`) {
		t.Fatalf("unknown API path: %d %s", res.StatusCode, res.body)
	}
}
