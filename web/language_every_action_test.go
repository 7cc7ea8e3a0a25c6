package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// sweepStep is one action of the every-action sweep: who does it, what it
// posts, how the portal answers, and where its message shows.
type sweepStep struct {
	name   string
	who    string                     // a client of the sweep: admin, admin2, reviewer, mcnA, mcnB, creator
	act    func(c *client) response   // the request (a form post, an upload)
	status int                        // the answer; a redirect is followed and the page it leads to checked
	page   string                     // checked instead of the answer when set (a notification's page)
	shows  string                     // a selector that must show the message (flash, form errors, a report)
	values []string                   // what the step typed itself, shown back as it was typed (data, not words)
	before func(t *testing.T, a *app) // setup the step needs (a small pool, a frozen batch)
}

// post is a step's form post.
func post(path func() string, form url.Values) func(c *client) response {
	return func(c *client) response { return c.postForm(path(), form) }
}

func at(p string) func() string { return func() string { return p } }

// Every action that answers with a flash, a form error, a decision report or
// a notification does so in Chinese for a reader who chose Chinese: each step
// is performed in Chinese, and the page that shows its message has no English
// beyond the programme's data and codes (the detector of the every-page sweep).
func TestEveryActionSpeaksChinese(t *testing.T) {
	a := newApp(t)
	sys := models.SystemActor()
	// Alice (the creator who signs in) is qualified and has a week to be
	// rejected and appealed; Big asks for a bonus over the four-eyes
	// threshold; Dan's would overspend a small pool.
	if _, err := a.store.DecideCreator(ctx, sys, models.Decision{CreatorID: a.creatorA.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if err := a.raw.Exec("UPDATE creators SET qualified_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, -3, 0), a.creatorA.ID).Error; err != nil {
		t.Fatal(err)
	}
	big := a.qualifiedCreator("jd_cr_bigone", &a.agencyA.ID)
	dan := a.qualifiedCreator("jd_cr_dan001", &a.agencyB.ID)
	a.perf(lastWeek, a.creatorA.AccountID, 2, 0, 0, 0)
	a.perf(lastWeek, big.AccountID, 10, 0, 10_000_000, 100_000_000)
	a.perf(lastWeek, dan.AccountID, 2, 0, 0, 0)
	mcnBonus := models.MCNBonus{AgencyID: a.agencyA.ID, Month: models.MonthOf(time.Now()).Prev().String(), Quota: 1, Delivered: 1,
		State: models.BonusApproved, AmountFen: 2_000_000, ProposedAt: time.Now(), UpdatedAt: time.Now()}
	if err := a.raw.Create(&mcnBonus).Error; err != nil {
		t.Fatal(err)
	}

	clients := map[string]*client{"admin2": a.adminLogin("admin2@t.test").inChinese()}
	for _, who := range []string{"admin", "reviewer", "mcnA", "mcnB", "creator"} {
		clients[who] = a.login(who).inChinese()
	}
	bonusOf := func(cr *models.Creator) func() string {
		return func() string { return itoa(a.bonusOf(cr.ID).ID) }
	}
	ids := func(cr *models.Creator) url.Values { return url.Values{"action": {"approve"}, "ids": {bonusOf(cr)()}} }
	var change string // the settings change under review
	var poolTotal int64
	var transfer string
	batch := "/payouts/" + itoa(a.batch.ID)
	year := strconv.Itoa(lastWeek.Year)
	today := time.Now().In(models.CST).Format("2006-01-02")
	nextMonth := models.MonthOf(time.Now()).Next().String()
	// The codes a file or the API gives for a content type, named in the message that lists them.
	contentTypeCodes := []string{"video（", "live（", "both（"}
	flash, formErrors := `[data-testid="flash"]`, `[data-testid="form-errors"]`

	steps := []sweepStep{
		{name: "language switch refused", who: "mcnA", act: post(at("/language"), url.Values{"lang": {"fr"}}), status: http.StatusBadRequest, shows: "main",
			values: []string{"zh-CN 或 en"}},
		{name: "enrol", who: "mcnA", act: post(at("/creators"), url.Values{"display_name": {"Dora Sweep"}, "account_id": {"jd_cr_dora01"},
			"subject1": {"1"}, "content_type": {"video"}, "followers": {"100"}}), status: http.StatusSeeOther, shows: flash},
		{name: "enrol refused", who: "mcnA", act: post(at("/creators"), url.Values{"display_name": {""}, "account_id": {"jd cr"}, "subject1": {"1"},
			"content_type": {"podcast"}, "followers": {"-5"}, "contact_email": {"x@"}}), status: http.StatusUnprocessableEntity, shows: formErrors,
			values: append([]string{"jd cr", "podcast", "x@"}, contentTypeCodes...)},
		{name: "enrol a creator another agency holds", who: "mcnA", act: post(at("/creators"), url.Values{"display_name": {"Bob Again"}, "account_id": {"jd_cr_bob001"},
			"subject1": {"1"}, "content_type": {"video"}, "followers": {"100"}}), status: http.StatusUnprocessableEntity, shows: formErrors, values: []string{"Bob Again"}},
		{name: "import with bad rows", who: "mcnA", act: func(c *client) response {
			return uploadTo(t, c, "/creators/import", "creators.csv", []byte("昵称,京东创作者账号,主领域,其他领域,内容类型,粉丝数,邮箱,电话\n"+
				"好行,jd_cr_csvzh1,skincare,,video,100,,\n坏行,jd_cr_csvzh2,skincare,,podcast,很多,,\n"))
		}, status: http.StatusSeeOther, shows: `[data-testid="import-rows"]`, values: append([]string{"podcast"}, contentTypeCodes...)},
		{name: "import a file that is not UTF-8", who: "mcnA", act: func(c *client) response {
			return uploadTo(t, c, "/creators/import", "u16.csv", []byte{0xFF, 0xFE, 'd', 0, 'i', 0, 's', 0})
		}, status: http.StatusUnprocessableEntity, shows: `[data-testid="error-file"]`},
		{name: "performance import with bad rows", who: "reviewer", act: func(c *client) response {
			return uploadTo(t, c, "/performance/import", "perf.csv", []byte("creator_account_id,week,videos,live_sessions,views,orders,gmv_fen\n"+
				"jd_cr_nobody,"+lastWeek.String()+",1,0,10,1,100\njd_cr_bob001,"+lastWeek.String()+",many,0,10,1,100\n"))
		}, status: http.StatusSeeOther, shows: "main", values: []string{"jd_cr_nobody", "many", "videos"}},
		{name: "qualify", who: "reviewer", act: post(func() string { return "/creators/" + itoa(a.creatorB.ID) + "/decision" }, url.Values{"action": {"qualify"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "reject a creator", who: "reviewer", act: func(c *client) response {
			var id uint
			a.raw.Raw("SELECT id FROM creators WHERE account_id = 'jd_cr_dora01'").Scan(&id)
			return c.postForm("/creators/"+itoa(id)+"/decision", url.Values{"action": {"reject"}, "reason-reject": {"content_policy"}, "note": {"see the guide"}})
		}, status: http.StatusSeeOther, shows: flash, values: []string{"see the guide"}},
		{name: "decision refused", who: "reviewer", act: post(func() string { return "/creators/" + itoa(a.creatorB.ID) + "/decision" }, url.Values{"action": {"qualify"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "compute the week", who: "reviewer", act: post(at("/bonuses/compute"), url.Values{"week": {lastWeek.String()}}), status: http.StatusSeeOther, shows: flash},
		{name: "compute refused", who: "reviewer", act: post(at("/bonuses/compute"), url.Values{"week": {"2026-W99"}}), status: http.StatusSeeOther, shows: flash},
		{name: "first of two approvals", who: "reviewer", act: func(c *client) response { return c.postForm("/bonuses/decide", ids(big)) }, status: http.StatusSeeOther, shows: flash},
		{name: "second approval by the same reviewer", who: "reviewer", act: func(c *client) response { return c.postForm("/bonuses/decide", ids(big)) }, status: http.StatusSeeOther, shows: flash},
		{name: "approval over the pool", who: "reviewer", before: func(t *testing.T, a *app) {
			if err := a.raw.Exec("UPDATE bonuses SET amount_fen = ? WHERE id = ?", 280_000, a.bonusOf(dan.ID).ID).Error; err != nil {
				t.Fatal(err)
			}
			if err := a.raw.Raw("SELECT total_fen FROM pools WHERE name = ?", models.PoolCreators).Scan(&poolTotal).Error; err != nil {
				t.Fatal(err)
			}
			if err := a.raw.Exec("UPDATE pools SET total_fen = committed_fen + ? WHERE name = ?", 130_000, models.PoolCreators).Error; err != nil {
				t.Fatal(err)
			}
		}, act: func(c *client) response {
			res := c.postForm("/bonuses/decide", ids(dan))
			if err := a.raw.Exec("UPDATE pools SET total_fen = ? WHERE name = ?", poolTotal, models.PoolCreators).Error; err != nil {
				t.Fatal(err)
			}
			return res
		}, status: http.StatusSeeOther, shows: flash},
		{name: "second approval", who: "admin", act: func(c *client) response { return c.postForm("/bonuses/decide", ids(big)) }, status: http.StatusSeeOther, shows: flash},
		{name: "reject a bonus", who: "reviewer", act: func(c *client) response {
			return c.postForm("/bonuses/decide", url.Values{"action": {"reject"}, "ids": {bonusOf(a.creatorA)()}, "reason": {"unverified_performance"}, "note": {"no links"}})
		}, status: http.StatusSeeOther, shows: flash, values: []string{"no links"}},
		{name: "reject without a reason", who: "reviewer", act: func(c *client) response {
			return c.postForm("/bonuses/decide", url.Values{"action": {"reject"}, "ids": {bonusOf(dan)()}})
		}, status: http.StatusSeeOther, shows: flash},
		{name: "the rejection on the creator's page", who: "creator", act: func(c *client) response { return c.get("/me") }, status: http.StatusOK, shows: "main", values: []string{"no links"}},
		{name: "appeal", who: "creator", act: post(func() string { return "/bonuses/" + bonusOf(a.creatorA)() + "/appeal" }, url.Values{"message": {"Here are my video links."}}),
			status: http.StatusSeeOther, shows: flash, values: []string{"Here are my video links.", "no links"}},
		{name: "appeal twice", who: "creator", act: post(func() string { return "/bonuses/" + bonusOf(a.creatorA)() + "/appeal" }, url.Values{"message": {"again"}}),
			status: http.StatusSeeOther, shows: flash, values: []string{"Here are my video links.", "no links"}},
		{name: "appeal decided by the rejecting reviewer", who: "reviewer", act: post(func() string { return "/bonuses/" + bonusOf(a.creatorA)() + "/appeal-decision" },
			url.Values{"decision": {"uphold"}}), status: http.StatusSeeOther, shows: flash, values: []string{"Here are my video links.", "no links"}},
		{name: "appeal decided", who: "admin", act: post(func() string { return "/bonuses/" + bonusOf(a.creatorA)() + "/appeal-decision" },
			url.Values{"decision": {"uphold"}, "note": {"still no links"}}), status: http.StatusSeeOther, shows: flash,
			values: []string{"Here are my video links.", "no links", "still no links"}},
		{name: "payout batch", who: "reviewer", act: func(c *client) response {
			return c.postForm("/payouts", url.Values{"ids": {bonusOf(big)()}})
		}, status: http.StatusSeeOther, shows: flash},
		{name: "payout batch of nothing", who: "reviewer", act: post(at("/payouts"), url.Values{}), status: http.StatusSeeOther, shows: flash},
		{name: "freeze", who: "reviewer", act: post(at(batch+"/freeze"), url.Values{"format": {"csv"}}), status: http.StatusSeeOther, page: batch, shows: "main"},
		{name: "bank result with mismatches", who: "reviewer", act: func(c *client) response {
			return uploadTo(t, c, batch+"/bank-result", "bank.csv", []byte("batch_id,account_id,amount_fen,status\n"+itoa(a.batch.ID)+",jd_cr_carol1,29000,paid\n"+
				itoa(a.batch.ID)+",jd_cr_nobody,100,paid\n"))
		}, status: http.StatusOK, shows: `[data-testid="mismatches"]`, values: []string{"jd_cr_nobody"}},
		{name: "mark paid", who: "reviewer", act: post(at(batch+"/paid"), url.Values{}), status: http.StatusSeeOther, shows: flash},
		{name: "mark paid again", who: "reviewer", act: post(at(batch+"/paid"), url.Values{}), status: http.StatusSeeOther, shows: flash},
		{name: "monthly bonus decided twice", who: "reviewer", act: post(at("/mcn-bonuses/decide"), url.Values{"action": {"reject"}, "ids": {itoa(mcnBonus.ID)}, "reason": {"mcn_duplicate_claim"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "transfer request", who: "mcnB", act: post(at("/transfers"), url.Values{"account_id": {a.creatorA.AccountID}}), status: http.StatusSeeOther, shows: flash},
		{name: "transfer request refused", who: "mcnB", act: post(at("/transfers"), url.Values{"account_id": {"jd_cr_nobody"}}), status: http.StatusSeeOther, shows: flash,
			values: []string{"jd_cr_nobody"}},
		{name: "transfer accepted", who: "creator", act: func(c *client) response {
			transfer, _ = c.get("/me").doc(t).Find(`form[action^="/transfers/"]`).Attr("action")
			return c.postForm(transfer, url.Values{"decision": {"accept"}})
		}, status: http.StatusSeeOther, shows: flash, values: []string{"Here are my video links.", "no links", "still no links"}},
		{name: "transfer answered twice", who: "creator", act: func(c *client) response { return c.postForm(transfer, url.Values{"decision": {"decline"}}) },
			status: http.StatusSeeOther, shows: flash, values: []string{"Here are my video links.", "no links", "still no links"}},
		{name: "settings proposal", who: "admin", act: post(at("/settings/pools/creators"), url.Values{"total": {"900000000"}, "confirm": {"1"}}), status: http.StatusSeeOther, shows: flash},
		{name: "settings proposal refused", who: "admin", act: post(at("/settings/pools/creators"), url.Values{"total": {"a lot"}}), status: http.StatusSeeOther, shows: flash,
			values: []string{"a lot"}},
		{name: "own proposal approved", who: "admin", act: func(c *client) response {
			change = "/settings/changes/" + itoa(a.pendingChange().ID)
			return c.postForm(change+"/approve", url.Values{})
		}, status: http.StatusSeeOther, shows: flash},
		{name: "settings approval", who: "admin2", act: func(c *client) response { return c.postForm(change+"/approve", url.Values{}) }, status: http.StatusSeeOther, shows: flash},
		{name: "settings change decided twice", who: "admin2", act: func(c *client) response { return c.postForm(change+"/reject", url.Values{"reason": {"no"}}) },
			status: http.StatusSeeOther, shows: flash},
		{name: "another proposal", who: "admin", act: post(at("/settings/programme-budget"), url.Values{"creators_budget": {"900000000"}, "mcn_budget": {"5000000"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "rejection without a reason", who: "admin2", act: func(c *client) response {
			change = "/settings/changes/" + itoa(a.pendingChange().ID)
			return c.postForm(change+"/reject", url.Values{"reason": {" "}})
		}, status: http.StatusUnprocessableEntity, shows: "main"},
		{name: "settings rejection", who: "admin2", act: func(c *client) response {
			return c.postForm(change+"/reject", url.Values{"reason": {"The pool stays as announced."}})
		}, status: http.StatusSeeOther, shows: flash, values: []string{"The pool stays as announced."}},
		{name: "bonus rule refused", who: "admin", act: post(at("/settings/bonus-rule"), url.Values{"gmv_tiers": {"10000 = 500\nfifty = 2000"}, "view_tiers": {"100000 = -3"},
			"per_video": {"50"}, "per_live": {"300"}, "weekly_cap": {"40000"}, "four_eyes": {"20000.001"}, "action": {"propose"}}),
			status: http.StatusUnprocessableEntity, shows: formErrors, values: []string{"fifty", "20000.001"}},
		{name: "tax rule refused", who: "admin", act: post(at("/settings/tax-rule"), url.Values{"deduction": {"800"}, "threshold": {"4000"}, "taxable_rate": {"80"},
			"upto_1": {"20000"}, "rate_1": {"25"}, "quick_1": {"0"}, "upto_2": {"50000"}, "rate_2": {"30"}, "quick_2": {"2000"}, "rate_3": {"40"}, "quick_3": {"7000"}}),
			status: http.StatusUnprocessableEntity, shows: formErrors},
		{name: "reason code added", who: "admin", act: post(at("/settings/reasons"), url.Values{"kind": {"creator"}, "code": {"low_engagement"}, "label": {"Low engagement"}}),
			status: http.StatusSeeOther, shows: flash, values: []string{"Low engagement"}},
		{name: "reason code refused", who: "admin", act: post(at("/settings/reasons"), url.Values{"kind": {"creator"}, "code": {"Bad Code"}, "label": {""}}),
			status: http.StatusUnprocessableEntity, shows: formErrors, values: []string{"Low engagement", "Bad Code"}},
		{name: "invite a user", who: "admin", act: post(at("/settings/users"), url.Values{"email": {"rev9@jd.example"}, "role": {"reviewer"}}), status: http.StatusSeeOther, shows: flash},
		{name: "invite refused", who: "admin", act: post(at("/settings/users"), url.Values{"email": {"reviewer@t.test"}, "role": {"reviewer"}}),
			status: http.StatusUnprocessableEntity, shows: formErrors},
		{name: "reset link", who: "admin", act: post(func() string { return "/settings/users/" + itoa(a.spare) + "/reset" }, url.Values{}), status: http.StatusSeeOther, shows: flash},
		{name: "user disabled", who: "admin", act: post(func() string { return "/settings/users/" + itoa(a.spare) + "/disabled" }, url.Values{"disabled": {"1"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "user enabled", who: "admin", act: post(func() string { return "/settings/users/" + itoa(a.spare) + "/disabled" }, url.Values{"disabled": {"0"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "API token", who: "admin", act: post(at("/settings/api-tokens"), url.Values{"name": {"Data warehouse"}}), status: http.StatusOK, shows: "main",
			values: []string{"Data warehouse"}},
		{name: "API token refused", who: "admin", act: post(at("/settings/api-tokens"), url.Values{"name": {""}}), status: http.StatusUnprocessableEntity, shows: formErrors,
			values: []string{"Data warehouse"}},
		{name: "reauth with a wrong password", who: "admin", act: post(at("/reauth"), url.Values{"password": {"not-my-password"}, "next": {"/settings"}}),
			status: http.StatusUnauthorized, shows: "main"},
		{name: "reauth", who: "admin", act: post(at("/reauth"), url.Values{"password": {testPassword}, "next": {"/settings"}}), status: http.StatusSeeOther, shows: flash,
			values: []string{"Low engagement"}},
		{name: "quota", who: "reviewer", act: post(func() string { return "/agencies/" + itoa(a.agencyA.ID) + "/quota" }, url.Values{"quota": {"5"}, "from_month": {nextMonth}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "quota refused", who: "reviewer", act: post(func() string { return "/agencies/" + itoa(a.agencyA.ID) + "/quota" }, url.Values{"quota": {"five"}, "from_month": {nextMonth}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "quota for a month gone", who: "reviewer", act: post(func() string { return "/agencies/" + itoa(a.agencyA.ID) + "/quota" }, url.Values{"quota": {"5"}, "from_month": {"2001-01"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "agency added", who: "reviewer", act: post(at("/agencies"), url.Values{"name": {"Lotus Media"}, "contact_email": {"ops@lotus.example"}}), status: http.StatusSeeOther, shows: flash},
		{name: "agency refused", who: "reviewer", act: post(at("/agencies"), url.Values{"name": {"Agency A"}}), status: http.StatusUnprocessableEntity, shows: formErrors},
		{name: "feature", who: "reviewer", act: post(func() string { return "/creators/" + itoa(a.creatorC.ID) + "/feature" },
			url.Values{"from": {today}, "to": {time.Now().In(models.CST).AddDate(0, 0, 7).Format("2006-01-02")}}), status: http.StatusSeeOther, shows: flash},
		{name: "feature refused", who: "reviewer", act: post(func() string { return "/creators/" + itoa(a.creatorB.ID) + "/feature" }, url.Values{"from": {today}, "to": {"2001-01-01"}}),
			status: http.StatusSeeOther, shows: flash},
		{name: "leaderboard published", who: "reviewer", act: post(at("/leaderboard/publish"), url.Values{"year": {year}, "confirm": {"1"}}), status: http.StatusSeeOther, shows: flash},
		{name: "leaderboard refused", who: "reviewer", act: post(at("/leaderboard/publish"), url.Values{"year": {"next"}}), status: http.StatusSeeOther, shows: flash},
		{name: "password change refused", who: "mcnA", act: post(at("/account/password"), url.Values{"current": {testPassword}, "password": {"a-new-long-password"},
			"password_confirm": {"another-password"}}), status: http.StatusUnprocessableEntity, shows: formErrors},
		{name: "password change with a wrong password", who: "mcnA", act: post(at("/account/password"), url.Values{"current": {"wrong-password"}, "password": {"a-new-long-password"},
			"password_confirm": {"a-new-long-password"}}), status: http.StatusUnprocessableEntity, shows: formErrors},
		{name: "the creator's notifications", who: "creator", act: func(c *client) response { return c.get("/notifications") }, status: http.StatusOK,
			shows: `[data-testid="notification"]`},
		{name: "agency A's notifications", who: "mcnA", act: func(c *client) response { return c.get("/notifications") }, status: http.StatusOK,
			shows: `[data-testid="notification"]`},
		{name: "agency B's notifications", who: "mcnB", act: func(c *client) response { return c.get("/notifications") }, status: http.StatusOK,
			shows: `[data-testid="notification"]`},
		{name: "password changed", who: "mcnB", act: post(at("/account/password"), url.Values{"current": {testPassword}, "password": {"a-brand-new-secret"},
			"password_confirm": {"a-brand-new-secret"}}), status: http.StatusSeeOther, shows: flash},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before(t, a)
		}
		c := clients[st.who]
		res := st.act(c)
		if res.StatusCode != st.status {
			t.Errorf("%s: status %d, want %d: %.300s", st.name, res.StatusCode, st.status, res.body)
			continue
		}
		if st.page != "" {
			res = c.get(st.page)
		} else if res.StatusCode == http.StatusSeeOther {
			res = c.follow(res)
		}
		doc := res.doc(t)
		if strings.TrimSpace(doc.Find(st.shows).Text()) == "" {
			t.Errorf("%s: nothing shows in %s", st.name, st.shows)
		}
		if testing.Verbose() {
			t.Logf("%s: %s", st.name, strings.Join(strings.Fields(doc.Find(st.shows).Text()), " "))
		}
		if strings.Contains(res.body, i18n.Missing) {
			t.Errorf("%s: an untranslated message ID leaks: %.80s", st.name, res.body[strings.Index(res.body, i18n.Missing):])
		}
		if words := englishLeaks(doc, programmeData(t, a, st.values...)); len(words) > 0 {
			t.Errorf("%s: English on the Chinese page: %s\n%s", st.name, strings.Join(words, " "), strings.Join(strings.Fields(doc.Find(st.shows).Text()), " "))
		}
	}
}
