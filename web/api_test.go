package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

func (a *app) api(token, body string) (int, map[string]any) {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.ts.URL+"/api/v1/performance", strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		a.t.Fatalf("status %d: the answer is not JSON: %v", res.StatusCode, err)
	}
	for _, ck := range res.Cookies() {
		a.t.Errorf("the API set a cookie: %s", ck.Name)
	}
	return res.StatusCode, out
}

func TestAPIPerformance(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wk := lastWeek.String()
	good := `{"week":"` + wk + `","rows":[{"creator_account_id":"jd_cr_alice1","videos":3,"live_sessions":1,"views":120000,"orders":310,"gmv_fen":4599000}]}`

	if code, body := a.api("", good); code != http.StatusUnauthorized || body["error"] == nil {
		t.Fatalf("no token: %d %v", code, body)
	}
	if code, _ := a.api("cip_wrong", good); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	code, body := a.api(a.token, good)
	if code != http.StatusOK || body["inserted"] != float64(1) || body["updated"] != float64(0) {
		t.Fatalf("first push: %d %v", code, body)
	}
	code, body = a.api(a.token, good)
	if code != http.StatusOK || body["inserted"] != float64(0) || body["updated"] != float64(1) {
		t.Fatalf("same push again: %d %v", code, body)
	}

	bad := `{"week":"` + wk + `","rows":[` +
		`{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1},` +
		`{"creator_account_id":"jd_cr_nobody","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1},` +
		`{"creator_account_id":"jd_cr_bob001","videos":-2,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1},` +
		`{"creator_account_id":"jd_cr_bob001","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":12.5},` +
		`{"creator_account_id":"jd_cr_bob001","videos":1,"live_sessions":0,"views":1,"orders":1}]}`
	code, body = a.api(a.token, bad)
	if code != http.StatusBadRequest {
		t.Fatalf("bad batch: %d %v", code, body)
	}
	errs, _ := body["errors"].([]any)
	found := map[string]bool{}
	for _, e := range errs {
		m := e.(map[string]any)
		found[strings.TrimSuffix(strings.TrimSuffix(jsonKey(m["row"])+":"+jsonKey(m["field"]), ":"), ":")] = true
	}
	for _, want := range []string{"1:creator_account_id", "2:videos", "3:gmv_fen", "4:gmv_fen"} {
		if !found[want] {
			t.Errorf("missing error %s in %v", want, errs)
		}
	}
	var perf models.WeeklyPerformance
	a.raw.Where("creator_id = ? AND week = ?", a.creatorA.ID, wk).First(&perf)
	if perf.Videos != 3 {
		t.Fatalf("a refused batch changed stored data: videos = %d", perf.Videos)
	}
	if code, _ := a.api(a.token, `{"week":"2026-W99","rows":[{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1}]}`); code != http.StatusBadRequest {
		t.Fatalf("unknown week: %d", code)
	}
	if code, _ := a.api(a.token, `not json`); code != http.StatusBadRequest {
		t.Fatalf("not JSON: %d", code)
	}
	huge := `{"week":"` + wk + `","rows":[` + strings.Repeat(`{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1},`, 60_000) + `]}`
	if code, _ := a.api(a.token, huge); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}
	// Revoked through the settings page, the token stops working.
	admin := a.login("admin")
	tokens := admin.get("/settings/api-tokens")
	action, _ := tokens.doc(t).Find(`form[action$="/revoke"]`).Attr("action")
	admin.postForm(action, map[string][]string{})
	if code, _ := a.api(a.token, good); code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", code)
	}
}

func jsonKey(v any) string {
	switch x := v.(type) {
	case float64:
		return itoa(uint(x))
	case string:
		return x
	}
	return ""
}

func TestAPITokenShownOnceAndStoredHashed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	res := admin.postForm("/settings/api-tokens", map[string][]string{"name": {"Data warehouse"}})
	secret, _ := res.doc(t).Find(`[data-testid="new-token"] input`).Attr("value")
	if !strings.HasPrefix(secret, "cip_") {
		t.Fatalf("no token shown: %s", res.body)
	}
	if strings.Contains(admin.get("/settings/api-tokens").body, secret) {
		t.Fatal("the token is shown again")
	}
	var n int64
	a.raw.Model(&models.APIToken{}).Where("token_hash = ?", secret).Count(&n)
	if n != 0 {
		t.Fatal("the token is stored in clear")
	}
	if code, _ := a.api(secret, `{"week":"`+lastWeek.String()+`","rows":[{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1}]}`); code != http.StatusOK {
		t.Fatalf("new token refused: %d", code)
	}
}

func TestAPITokenIsRateLimited(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	body := `{"week":"` + lastWeek.String() + `","rows":[{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1}]}`
	limited := 0
	for i := 0; i < 40; i++ {
		if code, _ := a.api(a.token, body); code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("40 requests in a burst were never limited")
	}
}
