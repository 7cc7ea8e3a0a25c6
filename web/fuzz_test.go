package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIPerformanceBody: whatever the body, the API answers one of its
// documented statuses, with a JSON error naming the problem when it refuses,
// and a refused batch writes nothing.
func FuzzAPIPerformanceBody(f *testing.F) {
	f.Add(`{"week":"2026-W47","rows":[{"creator_account_id":"jd_cr_alice1","videos":3,"live_sessions":1,"views":120000,"orders":310,"gmv_fen":4599000}]}`)
	f.Add(`{"week":"2026-W47","rows":[{"creator_account_id":"jd_cr_alice1","videos":1.5}]}`)
	f.Add(`{"week":"bad","rows":[]}`)
	f.Add(`{"rows":[{}],"extra":1}`)
	f.Add(`[1,2,3]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		a := newApp(t)
		var before int64
		a.raw.Table("weekly_performances").Count(&before)
		code, out := a.api(a.token, body)
		switch code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if msg, _ := out["error"].(string); strings.TrimSpace(msg) == "" {
				t.Fatalf("refusal without a message: %v", out)
			}
			var after int64
			a.raw.Table("weekly_performances").Count(&after)
			if after != before {
				t.Fatal("a refused batch wrote rows")
			}
		default:
			t.Fatalf("status %d for %q", code, body)
		}
	})
}
