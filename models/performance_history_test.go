package models_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Refunds are optional and checked like the other counts, and never above
// what they refund.
func TestPerformanceRefundChecks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_ref001")
	row := func(orders, gmv, refOrders, refGMV string) models.PerformanceInput {
		return models.PerformanceInput{AccountID: "jd_cr_ref001", Week: lastWeek.String(), Videos: "1", LiveSessions: "0", Views: "10",
			Orders: orders, GMVFen: gmv, RefundedOrders: refOrders, RefundedGMVFen: refGMV}
	}
	cases := []struct {
		name   string
		in     models.PerformanceInput
		field  string // "" when the row is good
		msgID  string
		words  []string // what the English message names
		refOrd int64
		refGMV int64
	}{
		{"absent refunds mean none", row("5", "1000", "", ""), "", "", nil, 0, 0},
		{"refunds up to the whole", row("5", "1000", "5", "1000"), "", "", nil, 5, 1000},
		{"more refunded orders than orders", row("5", "1000", "6", "0"), "refunded_orders", "err_refunded_orders_exceed", []string{"6", "5"}, 0, 0},
		{"more refunded GMV than GMV", row("5", "1000", "0", "1001"), "refunded_gmv_fen", "err_refunded_gmv_exceed", []string{"¥10.01", "¥10.00"}, 0, 0},
		{"negative refunds", row("5", "1000", "-1", "0"), "refunded_orders", "err_column_count", []string{"refunded_orders"}, 0, 0},
		{"fractional refunded GMV", row("5", "1000", "0", "1.5"), "refunded_gmv_fen", "err_column_count", []string{"refunded_gmv_fen"}, 0, 0},
	}
	for _, tc := range cases {
		_, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", []models.PerformanceInput{tc.in})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.field == "" {
			if len(probs) > 0 {
				t.Errorf("%s: refused: %v", tc.name, probs)
				continue
			}
			var p models.WeeklyPerformance
			w.raw.Where("week = ?", lastWeek.String()).First(&p)
			if p.RefundedOrders != tc.refOrd || p.RefundedGMVFen != tc.refGMV {
				t.Errorf("%s: stored refunds %d / %d, want %d / %d", tc.name, p.RefundedOrders, p.RefundedGMVFen, tc.refOrd, tc.refGMV)
			}
			continue
		}
		if len(probs) != 1 || probs[0].Field != tc.field || probs[0].Msg.ID != tc.msgID {
			t.Errorf("%s: problems %+v, want %s on %s", tc.name, probs, tc.msgID, tc.field)
			continue
		}
		for _, word := range tc.words {
			if msg := english(probs[0].Msg); !strings.Contains(msg, word) {
				t.Errorf("%s: %q does not name %s", tc.name, msg, word)
			}
		}
	}
}

// Files without the refund columns still import; the refund columns may be
// named in Chinese.
func TestPerformanceCSVRefundColumns(t *testing.T) {
	t.Parallel()
	wk := lastWeek.String()
	cases := []struct {
		name    string
		file    string
		refunds string
	}{
		{"old file", "account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_1," + wk + ",1,0,10,5,1000\n", "|"},
		{"english columns", "account_id,week,videos,live_sessions,views,orders,gmv_fen,refunded_orders,refunded_gmv_fen\njd_cr_1," + wk + ",1,0,10,5,1000,2,300\n", "2|300"},
		{"chinese columns", "账号,周,视频数,直播场次,播放量,订单数,GMV（分）,退款订单数,退款GMV（分）\njd_cr_1," + wk + ",1,0,10,5,1000,2,300\n", "2|300"},
	}
	for _, tc := range cases {
		rows, err := models.ParsePerformanceCSV([]byte(tc.file))
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := rows[0].Input.RefundedOrders + "|" + rows[0].Input.RefundedGMVFen; got != tc.refunds {
			t.Errorf("%s: refunds %q, want %q", tc.name, got, tc.refunds)
		}
	}
	sample, err := models.ParsePerformanceCSV(models.SamplePerformanceCSV(time.Now(), models.PerformanceCSVHeader))
	if err != nil || sample[0].Input.RefundedGMVFen == "" {
		t.Fatalf("the sample file has no refunds: %v", err)
	}
}

// Every change of a week is a revision naming its source; staff, the
// creator's agency and the creator read the week's history, nobody else.
func TestWeekHistory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_hist01")
	other := w.qualified(t, "jd_cr_hist02")
	row := func(gmv, refund string) []models.PerformanceInput {
		return []models.PerformanceInput{{AccountID: c.AccountID, Week: lastWeek.String(), Videos: "2", LiveSessions: "1", Views: "500",
			Orders: "9", GMVFen: gmv, RefundedOrders: "1", RefundedGMVFen: refund}}
	}
	for _, step := range []struct {
		source, gmv, refund string
	}{{"file:week.csv", "90000", "0"}, {"file:week.csv", "90000", "0"}, {"api:jd-feed", "90000", "30000"}, {"cli:fix.csv", "80000", "30000"}} {
		if _, probs, err := w.s.IngestPerformance(ctx, w.admin, step.source, row(step.gmv, step.refund)); err != nil || len(probs) > 0 {
			t.Fatalf("%s: %v %v", step.source, err, probs)
		}
	}
	creatorUser, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "hist@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	otherUser, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "hist2@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &other.ID})
	if err != nil {
		t.Fatal(err)
	}
	access := []struct {
		who  string
		a    *models.Actor
		week string
		ok   bool
	}{
		{"reviewer", w.rev1, lastWeek.String(), true},
		{"admin", w.admin, lastWeek.String(), true},
		{"the creator's agency", w.mcnA, lastWeek.String(), true},
		{"the creator", models.ActorFor(creatorUser, ""), lastWeek.String(), true},
		{"another agency", w.mcnB, lastWeek.String(), false},
		{"another creator", models.ActorFor(otherUser, ""), lastWeek.String(), false},
		{"no such week", w.rev1, "2026-W99", false},
	}
	for _, tc := range access {
		h, err := w.s.WeekHistory(ctx, tc.a, c.ID, tc.week, models.NewPage(1, 20))
		if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, models.ErrNotFound)) {
			t.Errorf("%s: %v", tc.who, err)
			continue
		}
		if !tc.ok {
			continue
		}
		// Four ingests, one without a change: three revisions, newest first.
		if h.Total != 3 || len(h.Revisions) != 3 || h.Current == nil || h.Current.NetGMVFen() != 50_000 {
			t.Fatalf("%s: %d revisions, current %+v", tc.who, h.Total, h.Current)
		}
		var sources []string
		for _, r := range h.Revisions {
			sources = append(sources, r.Source)
		}
		if got := strings.Join(sources, " "); got != "cli:fix.csv api:jd-feed file:week.csv" {
			t.Errorf("%s: sources %s", tc.who, got)
		}
		before, had, after := h.Revisions[1].Figures()
		if !had || before.RefundedGMVFen != 0 || after.RefundedGMVFen != 30_000 || after.NetGMVFen() != 60_000 {
			t.Errorf("%s: the API correction reads %+v -> %+v", tc.who, before, after)
		}
		if _, had, _ := h.Revisions[2].Figures(); had {
			t.Errorf("%s: the first upload has figures before it", tc.who)
		}
	}
	page2, err := w.s.WeekHistory(ctx, w.rev1, c.ID, lastWeek.String(), models.NewPage(2, 2))
	if err != nil || len(page2.Revisions) != 1 || page2.Revisions[0].Source != "file:week.csv" {
		t.Fatalf("page 2: %+v %v", page2, err)
	}

	// The ingest's audit entry holds the changed week before and after, and the revision ids.
	var entry models.AuditEntry
	w.raw.Where("action = ?", "performance.ingest").Order("id DESC").First(&entry)
	var before struct {
		Weeks []struct {
			CreatorID uint            `json:"creator_id"`
			Figures   *models.Figures `json:"figures"`
		} `json:"changed_weeks"`
	}
	var after struct {
		Source      string `json:"source"`
		Revisions   int    `json:"revisions"`
		RevisionIDs []uint `json:"revision_ids"`
		Weeks       []struct {
			Figures *models.Figures `json:"figures"`
		} `json:"changed_weeks"`
	}
	if err := json.Unmarshal([]byte(entry.Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(entry.After), &after); err != nil {
		t.Fatal(err)
	}
	if len(before.Weeks) != 1 || before.Weeks[0].Figures == nil || before.Weeks[0].Figures.GMVFen != 90_000 ||
		len(after.Weeks) != 1 || after.Weeks[0].Figures.GMVFen != 80_000 || after.Source != "cli:fix.csv" || after.Revisions != 1 ||
		len(after.RevisionIDs) != 2 || after.RevisionIDs[0] != h0(t, w, c.ID) {
		t.Errorf("audit entry: before %s after %s", entry.Before, entry.After)
	}
}

// h0 is the newest revision id of a creator.
func h0(t *testing.T, w *world, creatorID uint) uint {
	t.Helper()
	var id uint
	w.raw.Model(&models.PerformanceRevision{}).Where("creator_id = ?", creatorID).Select("MAX(id)").Scan(&id)
	return id
}

// A weekly bonus rejected for a reason that distrusts performance takes its
// week out of the year-to-date standings; an ordinary reason does not; an
// overturned appeal puts it back; a re-ingest of the untrusted week changes nothing.
func TestDistrustingRejectionLeavesTheStandings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		reason   string
		overturn bool
		reingest bool
		wantGMV  int64 // the creator's year-to-date GMV on the leaderboard
		wantRank int
	}{
		{"ordinary reason", "duplicate_claim", false, false, 91_000, 1},
		{"distrusting reason", "suspected_fake_traffic", false, false, 1_000, 2},
		{"distrusting reason, week re-ingested", "suspected_fake_traffic", false, true, 1_000, 2},
		{"distrusting reason overturned on appeal", "suspected_fake_traffic", true, false, 91_000, 1},
		{"re-ingested, then overturned", "suspected_fake_traffic", true, true, 121_000, 1},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			sfx := strconv.Itoa(i)
			a := w.qualified(t, "jd_cr_dis_a"+sfx)
			b := w.qualified(t, "jd_cr_dis_b"+sfx)
			w.perf(t, lastWeek.Prev(), a.AccountID, 1, 0, 100, 1_000)
			w.perf(t, lastWeek, a.AccountID, 1, 0, 100, 90_000)
			w.perf(t, lastWeek, b.AccountID, 1, 0, 100, 5_000)
			if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
				t.Fatal(err)
			}
			bonus := w.bonusOf(t, a.ID, lastWeek)
			if rep, err := w.s.RejectBonuses(ctx, w.rev1, []uint{bonus.ID}, tc.reason, ""); err != nil || rep.Rejected != 1 {
				t.Fatalf("reject: %+v %v", rep, err)
			}
			if tc.reingest {
				w.perf(t, lastWeek, a.AccountID, 1, 0, 100, 120_000)
			}
			if tc.overturn {
				u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "dis" + sfx + "@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &a.ID})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.s.AppealBonus(ctx, models.ActorFor(u, ""), bonus.ID, "The orders are real."); err != nil {
					t.Fatal(err)
				}
				if err := w.s.DecideAppeal(ctx, w.rev2, bonus.ID, true, ""); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := w.s.Leaderboard(ctx, w.rev1, lastWeek.Year, 0, 10, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var got models.LeaderRow
			for _, r := range rows {
				if r.CreatorID == a.ID {
					got = r
				}
			}
			if got.GMVFen != tc.wantGMV || got.Rank != tc.wantRank {
				t.Errorf("year to date %d, rank %d; want %d, rank %d", got.GMVFen, got.Rank, tc.wantGMV, tc.wantRank)
			}
			if st, err := w.s.CreatorStanding(ctx, a.ID, time.Now()); err != nil || st.Rank != tc.wantRank {
				t.Errorf("the creator's own standing: %+v %v", st, err)
			}
			var p models.WeeklyPerformance
			w.raw.Where("creator_id = ? AND week = ?", a.ID, lastWeek.String()).First(&p)
			wantUntrusted := tc.reason == "suspected_fake_traffic" && !tc.overturn
			if p.Untrusted != wantUntrusted {
				t.Errorf("week untrusted = %v, want %v", p.Untrusted, wantUntrusted)
			}
			if wantUntrusted && w.auditCount(t, "performance.distrust", a.ID) != 1 {
				t.Error("the distrust is not audited")
			}
		})
	}
}

// The admin marks which weekly-bonus reasons distrust performance; the
// default for fake traffic does from the start.
func TestReasonCodeDistrustMark(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	reasons, err := w.s.ReasonCodes(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]models.ReasonCode{}
	for _, r := range reasons {
		byCode[r.Code] = r
	}
	if !byCode["suspected_fake_traffic"].DistrustsPerformance || byCode["duplicate_claim"].DistrustsPerformance {
		t.Fatalf("defaults: fake traffic %v, duplicate claim %v", byCode["suspected_fake_traffic"].DistrustsPerformance, byCode["duplicate_claim"].DistrustsPerformance)
	}
	dup := byCode["duplicate_claim"]
	if err := w.s.UpdateReasonCodeDistrust(ctx, w.admin, dup.ID, dup.Label, true, true); err != nil {
		t.Fatal(err)
	}
	if err := w.s.UpdateReasonCodeDistrust(ctx, w.rev1, dup.ID, dup.Label, true, false); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a reviewer changed the mark: %v", err)
	}
	creatorReason := byCode["content_policy"]
	err = w.s.UpdateReasonCodeDistrust(ctx, w.admin, creatorReason.ID, creatorReason.Label, true, true)
	if msg := fieldError(t, err, "distrusts_performance"); msg.ID != "err_distrust_only_bonus_reasons" {
		t.Errorf("a creator reason took the mark: %v", msg)
	}
	var rc models.ReasonCode
	w.raw.First(&rc, dup.ID)
	if !rc.DistrustsPerformance || w.auditCount(t, "reason.update", dup.ID) != 1 {
		t.Errorf("mark %v, audited %d", rc.DistrustsPerformance, w.auditCount(t, "reason.update", dup.ID))
	}
}

// The demo has refunds and corrected weeks; creator1's latest week shows a
// correction from the order feed after the first upload.
func TestDemoHasRefundsAndCorrectedWeeks(t *testing.T) {
	t.Parallel()
	s, raw := modeltest.NewStoreWithDB(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var u models.User
	raw.Where("email = ?", "creator1@demo.test").First(&u)
	var p models.WeeklyPerformance
	raw.Where("creator_id = ? AND refunded_gmv_fen > 0", *u.CreatorID).Order("week DESC").First(&p)
	if p.ID == 0 {
		t.Fatal("creator1 has no week with refunds")
	}
	h, err := s.WeekHistory(ctx, models.ActorFor(&u, ""), *u.CreatorID, p.Week, models.NewPage(1, 20))
	if err != nil || h.Total != 2 || h.Revisions[0].Source != "api:jd-order-feed" || h.Revisions[1].Source != "demo" {
		t.Fatalf("creator1's %s: %+v %v", p.Week, h, err)
	}
	var withRefunds int64
	raw.Model(&models.WeeklyPerformance{}).Where("refunded_gmv_fen > 0").Count(&withRefunds)
	if withRefunds < 5 {
		t.Errorf("%d demo weeks with refunds", withRefunds)
	}
}
