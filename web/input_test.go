package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/jd/creator-portal/models"
)

// The API takes one JSON value per request: anything after it is refused
// with a clear 400, and nothing is written.
func TestAPIRefusesABodyWithAnythingAfterTheJSON(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	good := `{"week":"` + lastWeek.String() + `","rows":[{"creator_account_id":"jd_cr_alice1","videos":3,"live_sessions":1,"views":120000,"orders":310,"gmv_fen":4599000}]}`
	for name, body := range map[string]string{
		"a second object":   good + `{"week":"` + lastWeek.String() + `","rows":[]}`,
		"garbage":           good + `garbage`,
		"a stray brace":     good + `}`,
		"a second value":    good + "\n" + `[1]`,
		"a number glued on": good + `0`,
	} {
		code, out := a.api(a.token, body)
		if code != http.StatusBadRequest || !strings.Contains(jsonKey(out["error"]), "more after its JSON object") {
			t.Errorf("%s: %d %v", name, code, out)
		}
	}
	if n, _ := a.store.CountPerformanceRows(ctx); n != 1 { // Carol's week from the harness
		t.Fatalf("refused bodies wrote rows: %d", n)
	}
	if code, out := a.api(a.token, good+"\r\n\t "); code != http.StatusOK {
		t.Fatalf("trailing whitespace: %d %v", code, out)
	}
}

func TestAPIRefusesWeeksBeforeTheProgrammeStart(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code, out := a.api(a.token, `{"week":"2024-W13","rows":[{"creator_account_id":"jd_cr_alice1","videos":1,"live_sessions":0,"views":1,"orders":1,"gmv_fen":1}]}`)
	errs, _ := out["errors"].([]any)
	if code != http.StatusBadRequest || len(errs) != 1 {
		t.Fatalf("2024-W13: %d %v", code, out)
	}
	if e := errs[0].(map[string]any); e["field"] != "week" || e["error"] != "week 2024-W13 is before the programme's start (2024-W14)" {
		t.Fatalf("error %v", e)
	}
}

// A display name with a right-to-left override is refused on the form, with
// the problem named next to the field, in the manager's language too.
func TestEnrolFormRefusesHiddenCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	mcn := a.login("mcnA")
	form := enrolForm("jd_cr_rlo001")
	form.Set("display_name", "Cathy\u202Egnp.exe")
	res := mcn.postForm("/creators", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	if got := res.doc(t).Find(`[data-testid="error-display_name"]`).Text(); !strings.Contains(got, "changes the reading direction (U+202E)") {
		t.Fatalf("display name error %q", got)
	}
	mcn.postForm("/language", url.Values{"lang": {"zh-CN"}, "back": {"/creators/new"}})
	form.Set("display_name", "Cathy\u200B")
	res = mcn.postForm("/creators", form)
	if got := res.doc(t).Find(`[data-testid="error-display_name"]`).Text(); got != "文本包含不可见的零宽字符（U+200B）；请删除" {
		t.Fatalf("Chinese display name error %q", got)
	}
	var n int64
	a.raw.Model(&models.Creator{}).Where("account_id = ?", "jd_cr_rlo001").Count(&n)
	if n != 0 {
		t.Fatal("a refused form enrolled the creator")
	}
}

func uploadTo(t *testing.T, c *client, path, file string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf())
	fw, _ := w.CreateFormFile("file", file)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// Both upload pages say what is wrong with a UTF-16 or CR-only file.
func TestUploadsNameUTF16AndCROnlyFiles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var u16 []byte
	for _, u := range utf16.Encode([]rune("\uFEFFdisplay_name,account_id,primary_subject,content_type,followers\nLi,jd_cr_u16,electronics,video,1\n")) {
		u16 = append(u16, byte(u), byte(u>>8))
	}
	mcn := a.login("mcnA")
	res := uploadTo(t, mcn, "/creators/import", "u16.csv", u16)
	if got := res.doc(t).Find(`[data-testid="error-file"]`).Text(); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "the file is UTF-16") || strings.Contains(got, "lacks") {
		t.Fatalf("creator import: %d %q", res.StatusCode, got)
	}
	rev := a.login("reviewer")
	mac := "account_id,week,videos,live_sessions,views,orders,gmv_fen\rjd_cr_alice1," + lastWeek.String() + ",1,0,1,1,1\r"
	res = uploadTo(t, rev, "/performance/import", "mac.csv", []byte(mac))
	if got := res.doc(t).Find(`[data-testid="error-file"]`).Text(); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "CR line endings only") {
		t.Fatalf("performance import: %d %q", res.StatusCode, got)
	}
}
