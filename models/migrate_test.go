package models_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// The migration tests build databases as earlier versions of the portal left
// them (migrating to step k only, then writing rows with SQL as the schema of
// step k allowed), upgrade them to the head and compare the result with a
// fresh database: the schema must be the same and every row must survive.

// stepRow is one row to insert, column by column.
type stepRow map[string]any

// stepFixture writes the rows of one database, step by step, behind the
// application's back (the application's code knows only today's schema).
type stepFixture struct {
	t    *testing.T
	db   *gorm.DB
	step int // the schema's step while the fixture of that step runs
	ids  map[string]uint
	now  time.Time
	hash string // bcrypt hash of stepFixturePassword
}

const stepFixturePassword = "an-old-password-kept"

// tick is a new moment, a minute after the last (UTC, in microseconds as the
// database keeps them).
func (f *stepFixture) tick() time.Time {
	f.now = f.now.Add(time.Minute)
	return f.now
}

func stepRowColumns(r stepRow) []string {
	cols := make([]string, 0, len(r))
	for c := range r {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	return cols
}

func stepInsertSQL(table string, r stepRow) (string, []any) {
	cols := stepRowColumns(r)
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = r[c]
	}
	// A space after "(": GORM expands a slice argument (a []byte too) that directly follows a parenthesis, as for IN (?).
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES ( %s)", table, strings.Join(cols, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")), args
}

// insert adds a row to a table with an id column, names it, and returns its id.
func (f *stepFixture) insert(name, table string, r stepRow) uint {
	f.t.Helper()
	sql, args := stepInsertSQL(table, r)
	var id uint
	if err := f.db.Raw(sql+" RETURNING id", args...).Scan(&id).Error; err != nil || id == 0 {
		f.t.Fatalf("step %d: insert into %s: %v", f.step, table, err)
	}
	if name != "" {
		f.ids[name] = id
	}
	return id
}

// put adds a row to a table keyed otherwise.
func (f *stepFixture) put(table string, r stepRow) {
	f.t.Helper()
	sql, args := stepInsertSQL(table, r)
	if err := f.db.Exec(sql, args...).Error; err != nil {
		f.t.Fatalf("step %d: insert into %s: %v", f.step, table, err)
	}
}

// audit appends an entry to the audit log as the portal of this step did:
// unchained before step 4, by SHA-256 until step 8, then by HMAC with a
// sequence number.
func (f *stepFixture) audit(action string, objectID uint) {
	f.t.Helper()
	admin := f.ids["admin"]
	e := models.AuditEntry{At: f.tick(), ActorID: &admin, ActorEmail: "admin@old.test", Action: action, ObjectType: "test",
		ObjectID: objectID, After: fmt.Sprintf(`{"object":%d}`, objectID), IP: "192.0.2.1"}
	r := stepRow{"at": e.At, "actor_id": admin, "actor_email": e.ActorEmail, "action": e.Action, "object_type": e.ObjectType,
		"object_id": e.ObjectID, "before": e.Before, "after": e.After, "ip": e.IP}
	switch {
	case f.step >= 8:
		var last models.AuditEntry
		f.db.Raw("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").Scan(&last)
		e.Seq, e.PrevHash = last.Seq+1, last.Hash
		e.Hash = e.MACWithKey(modeltest.AuditKey)
		r["seq"], r["prev_hash"], r["hash"] = e.Seq, e.PrevHash, e.Hash
	case f.step >= 4:
		var last models.AuditEntry
		f.db.Raw("SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1").Scan(&last)
		e.PrevHash = last.Hash
		e.Hash = e.LegacySHA256()
		r["prev_hash"], r["hash"] = e.PrevHash, e.Hash
	}
	f.insert("", "audit_entries", r)
}

// creator adds a creator with the columns of this step's schema.
func (f *stepFixture) creator(name, display, account, state string, agency *uint) uint {
	at := f.tick()
	r := stepRow{"display_name": display, "account_id": account, "primary_subject_id": 1, "content_type": "video", "followers": 1200,
		"contact_email": name + "@creators.test", "agency_id": agency, "state": state, "enrolled_at": at, "state_changed_at": at}
	if state == "qualified" {
		r["qualified_at"] = at
		if f.step >= 3 {
			r["qualified_agency_id"] = agency
		}
	}
	if f.step >= 6 {
		r["search_name"] = strings.ToLower(strings.TrimSpace(display))
	}
	if f.step >= 11 {
		r["account_key"] = strings.ToLower(strings.TrimSpace(account))
	}
	return f.insert(name, "creators", r)
}

// performance adds a creator's week; from step 6 on it keeps the year totals
// as ingest does.
func (f *stepFixture) performance(creator uint, week string, views, gmv int64) {
	at := f.tick()
	f.insert("", "weekly_performances", stepRow{"creator_id": creator, "week": week, "videos": 2, "live_sessions": 1, "views": views,
		"orders": 3, "gmv_fen": gmv, "created_at": at, "updated_at": at})
	if f.step >= 6 {
		year := week[:4]
		f.db.Exec("DELETE FROM creator_year_totals WHERE creator_id = ? AND year = ?", creator, year)
		f.db.Exec(`INSERT INTO creator_year_totals (creator_id, year, gmv_fen, views, weeks)
			SELECT creator_id, ?, SUM(gmv_fen), SUM(views), COUNT(*) FROM weekly_performances
			WHERE creator_id = ? AND week LIKE ? GROUP BY creator_id`, year, creator, year+"-%")
	}
}

func (f *stepFixture) bonus(creator uint, agency *uint, week, state string, amount int64, batch *uint) uint {
	at := f.tick()
	r := stepRow{"creator_id": creator, "week": week, "agency_id": agency, "subject_id": 1, "state": state, "amount_fen": amount,
		"gmv_fen": amount * 20, "rule_version": 1, "breakdown": `{"gmv":0}`, "proposed_at": at, "updated_at": at}
	if batch != nil {
		r["payout_batch_id"], r["paid_at"], r["decided_at"], r["decided_by_id"] = *batch, at, at, f.ids["admin"]
	}
	return f.insert("", "bonuses", r)
}

func uintPtr(id uint) *uint { return &id }

// stepFixtures writes, right after step k has run, rows in the tables that
// step made or changed. A new step needs a fixture here: the test fails
// until every table holds rows.
var stepFixtures = map[int]func(f *stepFixture){
	1: func(f *stepFixture) {
		at := f.tick()
		a1 := f.insert("agency1", "agencies", stepRow{"name": "Agency One", "contact_name": "Ann", "contact_email": "ann@one.test",
			"contact_phone": "+86 10 5555 0101", "created_at": at, "updated_at": at})
		a2 := f.insert("agency2", "agencies", stepRow{"name": "Agency Two", "created_at": at, "updated_at": at})
		f.insert("admin", "users", stepRow{"email": "admin@old.test", "password_hash": f.hash, "role": "admin", "session_version": 3,
			"disabled": false, "created_at": at, "updated_at": at})
		mgr := f.insert("manager", "users", stepRow{"email": "mcn@old.test", "password_hash": f.hash, "role": "mcn_manager",
			"agency_id": a1, "session_version": 1, "disabled": false, "last_login_at": at, "created_at": at, "updated_at": at})
		// Names a search key folds (spaces, capitals beyond ASCII), account IDs in mixed case.
		c1 := f.creator("c1", "  Ünïcode Star ", "JD_Old_0001", "qualified", &a1)
		c2 := f.creator("c2", "Pending Person", "jd_old_0002", "pending", &a2)
		f.creator("c3", "Rejected Rita", "jd-old-0003", "rejected", nil)
		f.insert("", "users", stepRow{"email": "c1@creators.test", "password_hash": f.hash, "role": "creator", "creator_id": c1,
			"session_version": 1, "disabled": true, "created_at": at, "updated_at": at})
		f.insert("", "creator_invitations", stepRow{"creator_id": c2, "email": "c2@creators.test", "token_hash": strings.Repeat("a1", 32),
			"expires_at": at.Add(72 * time.Hour), "created_by_id": mgr, "created_at": at})
		f.insert("", "creator_imports", stepRow{"user_id": mgr, "agency_id": a1, "filename": "creators.csv",
			"content": []byte("display_name,account_id\nA,jd_x_1\n"), "created_at": at, "confirmed_at": at, "created": 1, "skipped": 0, "failed": 0})
		f.put("settings", stepRow{"key": "programme_start_week", "value": "2025-W40"})
		f.audit("creator.enrol", c1)
		f.audit("creator.qualify", c1)
	},
	2: func(f *stepFixture) {
		at := f.tick()
		c1, c2, a1 := f.ids["c1"], f.ids["c2"], f.ids["agency1"]
		f.performance(c1, "2025-W52", 150_000, 2_000_000)
		f.performance(c1, "2026-W02", 90_000, 6_000_000)
		f.performance(c2, "2026-W02", 10, 0)
		f.insert("", "performance_imports", stepRow{"user_id": f.ids["admin"], "filename": "weeks.csv", "content": []byte("week\n2026-W02\n"),
			"created_at": at, "confirmed_at": at, "inserted": 3, "updated": 0, "failed": 0})
		f.insert("", "api_tokens", stepRow{"name": "feed", "hint": "pt_abcd", "token_hash": strings.Repeat("b2", 32),
			"created_by_id": f.ids["admin"], "created_at": at, "last_used_at": at})
		f.put("bonus_rule_versions", stepRow{"version": 2, "rule": `{"gmv_tiers":[{"min":1000000,"amount_fen":60000}],"view_tiers":[],` +
			`"per_video_fen":10000,"per_live_fen":30000,"weekly_cap_fen":3000000,"four_eyes_fen":2000000}`, "created_by_id": f.ids["admin"], "created_at": at})
		f.db.Exec("UPDATE pools SET committed_fen = 250000 WHERE name = 'creators'")
		batch := f.insert("batch", "payout_batches", stepRow{"created_by_id": f.ids["admin"], "state": "paid", "count": 1,
			"total_fen": 250_000, "checksum": strings.Repeat("c3", 32), "created_at": at, "exported_at": at, "paid_at": at})
		f.bonus(c1, &a1, "2025-W52", "paid", 250_000, &batch)
		f.bonus(c1, &a1, "2026-W02", "proposed", 1_230_000, nil)
		f.audit("bonus.approve", 1)
	},
	3: func(f *stepFixture) {
		at := f.tick()
		a1, a2 := f.ids["agency1"], f.ids["agency2"]
		c4 := f.creator("c4", "Quota Quinn", "jd_old_0004", "qualified", &a2)
		f.insert("", "agency_quota", stepRow{"agency_id": a1, "from_month": "2026-01", "quota": 7, "created_by_id": f.ids["admin"], "created_at": at})
		f.insert("", "mcn_bonuses", stepRow{"agency_id": a1, "month": "2025-12", "quota": 5, "delivered": 6, "state": "approved",
			"amount_fen": 1_000_000, "proposed_at": at, "decided_by_id": f.ids["admin"], "decided_at": at, "updated_at": at})
		f.insert("", "payout_batches", stepRow{"kind": "agency", "created_by_id": f.ids["admin"], "state": "exported", "count": 0,
			"total_fen": 0, "checksum": strings.Repeat("d4", 32), "created_at": at, "exported_at": at})
		f.insert("", "top_list_entries", stepRow{"year": 2025, "rank": 1, "display_name": "Ünïcode Star", "subject": "Electronic devices",
			"agency": "Agency One", "published_at": at})
		f.insert("", "features", stepRow{"creator_id": f.ids["c1"], "from_day": "2026-01-05", "to_day": "2026-01-18", "note": "launch",
			"created_by_id": f.ids["admin"], "created_at": at})
		f.insert("", "notifications", stepRow{"user_id": f.ids["manager"], "kind": "creator_qualified", "message": "Quota Quinn is now qualified",
			"link": fmt.Sprintf("/creators/%d", c4), "created_at": at})
		f.insert("", "transfers", stepRow{"creator_id": f.ids["c2"], "from_agency_id": a2, "to_agency_id": a1, "requested_by_id": f.ids["manager"],
			"state": "requested", "created_at": at})
		f.audit("transfer.request", c4)
	},
	4: func(f *stepFixture) {
		at := f.tick()
		f.insert("", "password_resets", stepRow{"user_id": f.ids["manager"], "token_hash": strings.Repeat("e5", 32), "expires_at": at.Add(time.Hour),
			"created_by_id": f.ids["admin"], "created_at": at})
		f.audit("user.reset_link", f.ids["manager"])
		f.audit("creator.update", f.ids["c2"])
	},
	5: func(f *stepFixture) {
		f.bonus(f.ids["c4"], uintPtr(f.ids["agency2"]), "2026-W02", "rejected", 40_000, nil)
		f.audit("bonus.reject", f.ids["c4"])
	},
	6: func(f *stepFixture) {
		c5 := f.creator("c5", "Scale Sam", "jd_old_0005", "pending", uintPtr(f.ids["agency1"]))
		f.performance(c5, "2026-W03", 5_000, 70_000)
		f.performance(f.ids["c1"], "2026-W03", 1_000, 10_000)
		f.audit("performance.ingest", 0)
	},
	7: func(f *stepFixture) {
		at := f.tick()
		f.insert("", "users", stepRow{"email": "reviewer@old.test", "password_hash": f.hash, "role": "reviewer", "session_version": 1,
			"disabled": false, "language": "zh-CN", "created_at": at, "updated_at": at})
		f.db.Exec("UPDATE users SET language = 'en' WHERE email = 'mcn@old.test'")
		f.audit("user.language", f.ids["manager"])
	},
	8: func(f *stepFixture) {
		at := f.tick()
		f.audit("access.refused", 0)
		var seq int64
		f.db.Raw("SELECT MAX(seq) FROM audit_entries").Scan(&seq)
		f.put("audit_tallies", stepRow{"actor_key": fmt.Sprintf("user:%d", f.ids["manager"]), "action": "access.refused",
			"minute": at.Unix() / 60, "count": 4, "entry_seq": seq})
		f.put("sign_in_throttles", stepRow{"key": "account:mcn@old.test", "failures": 2, "window_start": at.Unix(), "locked_until": 0, "updated_at": at.Unix()})
	},
	9: func(f *stepFixture) {
		at := f.tick()
		f.insert("", "settings_changes", stepRow{"kind": "pools", "state": "pending", "proposed": `{"creators_fen":100000000000,"mcn_fen":600000000}`,
			"replaces": `{"creators_fen":100000000000,"mcn_fen":500000000}`, "proposed_by_id": f.ids["admin"], "proposed_by_email": "admin@old.test",
			"created_at": at})
		f.audit("settings_change.proposed", 1)
	},
	10: func(f *stepFixture) {
		at := f.tick()
		f.insert("", "user_invitations", stepRow{"email": "new.reviewer@old.test", "role": "reviewer", "token_hash": strings.Repeat("f6", 32),
			"expires_at": at.Add(72 * time.Hour), "created_by_id": f.ids["admin"], "created_at": at})
		f.audit("user.invite", 0)
	},
	11: func(f *stepFixture) {
		f.creator("c6", "Keyed Kim", "JD_Old_0006", "pending", uintPtr(f.ids["agency2"]))
		f.audit("creator.enrol", f.ids["c6"])
	},
	12: func(f *stepFixture) {
		f.insert("", "notifications", stepRow{"user_id": f.ids["manager"], "kind": "notify_quota_met", "args": `{"Month":"2026-01","Quota":{"fen":0}}`,
			"target_type": "dashboard", "target_id": 0, "legacy_text": "", "created_at": f.tick()})
	},
	13: func(f *stepFixture) {
		if err := f.db.Exec("UPDATE creators SET state = 'pending', resubmitted_at = ?, resubmit_note = 'new links', resubmitted_reason = 'low_followers' WHERE id = ?",
			f.tick(), f.ids["c3"]).Error; err != nil {
			f.t.Fatal(err)
		}
		f.audit("creator.resubmit", f.ids["c3"])
	},
	14: func(f *stepFixture) {
		f.insert("", "top_list_entries", stepRow{"year": 2026, "rank": 1, "display_name": "Keyed Kim", "subject": "Electronic devices",
			"agency": "Agency Two", "creator_id": f.ids["c6"], "featured": true, "published_at": f.tick()})
	},
	15: func(f *stepFixture) {
		// payout_batches.open_mismatches: a batch whose bank result left two lines unresolved.
		f.insert("", "payout_batches", stepRow{"kind": "creator", "created_by_id": f.ids["admin"], "state": "partial", "count": 2,
			"total_fen": 300000, "checksum": strings.Repeat("c1", 32), "open_mismatches": 2, "created_at": f.tick()})
	},
	16: func(f *stepFixture) {
		f.insert("", "reason_codes", stepRow{"kind": "mcn_bonus", "code": "mcn_invoice_missing", "label": "Invoice missing", "active": true})
	},
	17: func(f *stepFixture) {
		if err := f.db.Exec("UPDATE agencies SET settlement = 'agency' WHERE id = ?", f.ids["agency1"]).Error; err != nil {
			f.t.Fatal(err)
		}
	},
	18: func(f *stepFixture) {
		// agency_invoices: a confirmed invoice for agency1's settlement week, the PDF as a blob.
		at := f.tick()
		f.insert("", "agency_invoices", stepRow{"agency_id": f.ids["agency1"], "kind": "settlement", "period": "2026-W02", "code": "",
			"number": "26442000000123456789", "issued_on": "2026-01-20", "amount_fen": 300000, "filename": "invoice.pdf",
			"pdf": []byte("%PDF-1.4\n%%EOF\n"), "pdf_size": 15, "state": "confirmed", "reject_reason": "", "recorded_by_id": f.ids["manager"],
			"created_at": at, "decided_by_id": f.ids["admin"], "decided_at": at})
	},
	19: func(f *stepFixture) {
		// tax_rule_versions: a second version (20 % flat above ¥4,000 of income) approved after the default.
		f.put("tax_rule_versions", stepRow{"version": 2, "rule": `{"deduction_fen":80000,"threshold_fen":400000,"taxable_bp":8000,` +
			`"brackets":[{"up_to_fen":0,"rate_bp":2000,"quick_deduction_fen":0}]}`, "in_force_from": f.tick(), "created_by_id": f.ids["admin"], "created_at": f.tick()})
	},
	20: func(f *stepFixture) {
		// A batch paying Agency One for its creators: one line, ¥3,000 gross, nothing withheld.
		at := f.tick()
		batch := f.insert("", "payout_batches", stepRow{"kind": "creator", "created_by_id": f.ids["admin"], "state": "open", "count": 1,
			"total_fen": 300_000, "tax_fen": 0, "net_fen": 300_000, "checksum": strings.Repeat("e5", 8), "open_mismatches": 0, "created_at": at})
		bonus := f.bonus(f.ids["c1"], uintPtr(f.ids["agency1"]), "2026-W01", "approved", 300_000, &batch)
		line := f.insert("", "payout_lines", stepRow{"batch_id": batch, "ref": fmt.Sprintf("JD%06d0001", batch), "payee_kind": "agency",
			"payee_id": f.ids["agency1"], "month": "2026-01", "gross_fen": 300_000, "tax_fen": 0, "net_fen": 300_000,
			"purpose": "京东创作者激励 2026-W01", "created_at": at})
		f.put("payout_line_bonuses", stepRow{"kind": "creator", "bonus_id": bonus, "line_id": line, "gross_fen": 300_000, "tax_fen": 0})
	},
	21: func(f *stepFixture) {
		at := f.tick()
		f.insert("", "payees", stepRow{"kind": "creator", "owner_id": f.ids["c3"], "name": "张三", "method": "bank",
			"id_number_enc": "v1:00000000:AAAA", "id_number_masked": "1101**********002X", "account_enc": "v1:00000000:BBBB",
			"account_masked": "6222 **** **** 3446", "bank": "工商银行", "branch": "北京分行", "revision": 1, "verified": false,
			"verify_note": "", "created_at": at, "updated_at": at})
	},
	22: func(f *stepFixture) {
		if err := f.db.Exec("UPDATE payout_lines SET payee_name = 'Agency One Ltd', payee_method = 'bank', payee_bank = 'CCB', payee_branch = 'Beijing', " +
			"account_enc = 'v1:00000000:CCCC', account_masked = '6217 **** **** 0012'").Error; err != nil {
			f.t.Fatal(err)
		}
	},
	23: func(f *stepFixture) {
		// A refund reported on a week, its revision, one content item, and a reason that distrusts performance.
		if err := f.db.Exec("UPDATE weekly_performances SET refunded_orders = 2, refunded_gmv_fen = 15000").Error; err != nil {
			f.t.Fatal(err)
		}
		if err := f.db.Exec("UPDATE reason_codes SET distrusts_performance = ? WHERE code = 'suspected_fraud'", true).Error; err != nil {
			f.t.Fatal(err)
		}
		at := f.tick()
		f.insert("", "performance_revisions", stepRow{"creator_id": f.ids["c1"], "week": "2026-W01", "source": "api:feed", "actor_email": "feed@jd.test",
			"before": `{"videos":1,"gmv_fen":100}`, "after": `{"videos":1,"gmv_fen":100,"refunded_gmv_fen":50}`, "created_at": at})
		f.insert("", "performance_contents", stepRow{"creator_id": f.ids["c1"], "week": "2026-W01", "content_id": "v123", "kind": "video",
			"views": 1000, "orders": 3, "gmv_fen": 30000, "created_at": at, "updated_at": at})
	},
	24: func(f *stepFixture) {
		// A clawback of ¥500 on the paid bonus of step 20, approved, half netted on its line.
		at := f.tick()
		var bonus uint
		if err := f.db.Raw("SELECT id FROM bonuses WHERE state = 'approved' ORDER BY id LIMIT 1").Scan(&bonus).Error; err != nil || bonus == 0 {
			f.t.Fatalf("no bonus to adjust: %v", err)
		}
		var line uint
		if err := f.db.Raw("SELECT id FROM payout_lines ORDER BY id LIMIT 1").Scan(&line).Error; err != nil || line == 0 {
			f.t.Fatalf("no line: %v", err)
		}
		adj := f.insert("", "bonus_adjustments", stepRow{"bonus_id": bonus, "revision_id": 1, "creator_id": f.ids["c1"], "agency_id": f.ids["agency1"],
			"week": "2026-W01", "amount_fen": -50_000, "base_fen": 300_000, "new_amount_fen": 250_000, "from_figures": `{"gmv_fen":100}`,
			"to_figures": `{"gmv_fen":100,"refunded_gmv_fen":50}`, "reason": "adjust_reason_refunds", "state": "approved",
			"decided_by_id": f.ids["admin"], "decided_at": at, "reject_reason": "", "note": "", "settled_fen": -25_000, "created_at": at, "updated_at": at})
		f.put("payout_line_adjustments", stepRow{"line_id": line, "adjustment_id": adj, "amount_fen": -25_000})
	},
	25: func(f *stepFixture) {
		// An admin's own weekly-bonus reason that distrusts performance, next to the defaults the step marked.
		f.insert("", "reason_codes", stepRow{"kind": "bonus", "code": "brushed_orders", "label": "Brushed orders", "active": true,
			"distrusts_performance": true})
	},
	26: func(f *stepFixture) {
		// An uploaded content-items file waiting to be confirmed.
		f.insert("", "performance_imports", stepRow{"user_id": f.ids["admin"], "filename": "contents.csv", "kind": "contents",
			"content": []byte("account_id,week,content_id,kind,views,orders,gmv_fen\njd_cr_1,2026-W02,v1,video,1,0,0\n"), "created_at": f.tick()})
	},
	27: func(f *stepFixture) {
		// A bonus flagged for a high refund rate.
		var id uint
		if err := f.db.Raw("SELECT MIN(id) FROM bonuses").Scan(&id).Error; err != nil || id == 0 {
			f.t.Fatalf("no bonus to flag: %v", err)
		}
		if err := f.db.Exec("UPDATE bonuses SET risk_count = 1, risk_mask = 2 WHERE id = ?", id).Error; err != nil {
			f.t.Fatal(err)
		}
		f.insert("", "bonus_risk_flags", stepRow{"bonus_id": id, "week": "2026-W01", "kind": "refund_rate",
			"args": `{"Limit":30,"Orders":10,"Rate":40,"Refunded":4}`})
	},
	28: func(f *stepFixture) {
		// A week's budget, part of it committed, and a bonus scaled pro rata.
		at := f.tick()
		f.insert("", "period_budgets", stepRow{"pool": "creators", "period": "2026-W01", "budget_fen": 10_000_000, "weight_percent": 150,
			"committed_fen": 300_000, "rule_fen": 12_000_000, "proposed_fen": 10_000_000, "policy": "pro_rata", "factor_ppm": 833_333,
			"fixed_at": at, "updated_at": at})
		if err := f.db.Exec("UPDATE bonuses SET rule_fen = amount_fen + 1 WHERE id = (SELECT MIN(id) FROM bonuses)").Error; err != nil {
			f.t.Fatal(err)
		}
	},
	29: func(f *stepFixture) {
		// The transfer job's last slot, claimed by one server.
		f.put("job_runs", stepRow{"job": "transfers", "slot": f.tick(), "ran_at": f.tick(), "host": "portal-1"})
	},
	30: func(f *stepFixture) {}, // an index: the rows before it are checked as they are
	31: func(f *stepFixture) {
		// An index only (an MCN manager's creators list): a creator enrolled after it is made, in agency one.
		at := f.tick()
		f.insert("", "creators", stepRow{"display_name": "Late Enrolled", "search_name": "late enrolled", "account_id": "jd_cr_late30",
			"account_key": "jd_cr_late30", "primary_subject_id": 1, "content_type": "video", "followers": 10, "agency_id": f.ids["agency1"],
			"state": "pending", "enrolled_at": at, "state_changed_at": at})
	},
	32: func(f *stepFixture) {
		// One API token's bucket, a few requests into its burst.
		f.put("api_rate_limits", stepRow{"key": "5f2b9c0e4a7d", "tat": int64(1796400000000000)})
	},
	33: func(f *stepFixture) {
		// A week reported after the impact aggregates came (issue 19): credited to agency one and subject 1, with its aggregates.
		at := f.tick()
		f.insert("", "weekly_performances", stepRow{"creator_id": f.ids["c1"], "week": "2026-W05", "videos": 1, "live_sessions": 0, "views": 70,
			"orders": 2, "gmv_fen": 9_000, "created_at": at, "updated_at": at,
			"credit_agency_id": f.ids["agency1"], "credit_subject_id": 1, "credit_qualified": true})
		f.db.Exec("DELETE FROM creator_year_totals WHERE creator_id = ? AND year = 2026", f.ids["c1"])
		f.db.Exec(`INSERT INTO creator_year_totals (creator_id, year, gmv_fen, views, weeks)
			SELECT creator_id, 2026, SUM(gmv_fen), SUM(views), COUNT(*) FROM weekly_performances
			WHERE creator_id = ? AND week LIKE '2026-%' AND untrusted = ? GROUP BY creator_id`, f.ids["c1"], false)
		figures := stepRow{"week": "2026-W05", "creators": 1, "posted": 1, "qualified": 1, "qualified_posted": 1, "videos": 1,
			"live_sessions": 0, "views": 70, "orders": 2, "gmv_fen": 9_000, "refunded_gmv_fen": 0, "bonus_fen": 0, "bonuses": 0}
		bySubject, byAgency := stepRow{"subject_id": 1}, stepRow{"agency_id": f.ids["agency1"]}
		for k, v := range figures {
			bySubject[k], byAgency[k] = v, v
		}
		f.put("impact_weeks", bySubject)
		f.put("impact_agency_weeks", byAgency)
	},
	34: func(f *stepFixture) {
		// The step filled the uplift from the qualified creators before it; a
		// subject area's week whose medians were read once, then changed.
		f.put("subject_week_medians", stepRow{"subject_id": 1, "week": "2026-W01", "version": 2, "computed_version": 1, "creators": 3,
			"median_videos": 2, "median_live_sessions": 1, "median_gmv_fen": 120_000, "computed_at": f.tick()})
	},
}

// distrustReasonsStep is the step that marks the default weekly-bonus reasons
// distrusting performance (migrateDistrustReasons); renumber it with the step.
const distrustReasonsStep = 25

// buildAtStep makes a database that has applied the steps up to k, with the
// fixtures of those steps written after each. It returns the database's URL
// and the store, not migrated further.
func buildAtStep(t *testing.T, k int) (string, *models.Store, *stepFixture) {
	t.Helper()
	dsn := modeltest.DatabaseURL(t)
	s, err := models.Open(ctx, dsn, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	hash, _ := bcrypt.GenerateFromPassword([]byte(stepFixturePassword), bcrypt.MinCost)
	f := &stepFixture{t: t, db: modeltest.OpenRaw(t, dsn), ids: map[string]uint{}, now: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), hash: string(hash)}
	for j := 1; j <= k; j++ {
		if _, err := s.MigrateTo(ctx, j); err != nil {
			t.Fatalf("migrate to step %d: %v", j, err)
		}
		f.step = j
		stepFixtures[j](f)
	}
	return dsn, s, f
}

func TestMigrationsUpgradeEveryEarlierStep(t *testing.T) {
	head := models.MigrationSteps()
	for k := 1; k <= head; k++ {
		if stepFixtures[k] == nil {
			t.Fatalf("migration step %d has no fixture in stepFixtures: add rows for the tables it makes or changes", k)
		}
	}
	freshURL := modeltest.DatabaseURL(t)
	modeltest.Open(t, freshURL)
	fresh := schemaLines(t, modeltest.OpenRaw(t, freshURL))

	for k := 0; k < head; k++ {
		t.Run(fmt.Sprintf("from step %d", k), func(t *testing.T) {
			t.Parallel()
			dsn, s, f := buildAtStep(t, k)
			if err := s.CheckSchema(ctx); err == nil {
				t.Fatalf("step %d of %d: CheckSchema says the schema is current", k, head)
			}
			before := tableRows(t, f.db)
			for table, rows := range before {
				if len(rows) == 0 && table != "schema_migrations" {
					t.Errorf("table %s has no rows at step %d: add some to the fixture of the step that made it", table, k)
				}
			}
			var auditBefore int
			if k > 0 {
				auditBefore = len(before["audit_entries"])
			}

			n, err := s.Migrate(ctx)
			if err != nil || n != head-k {
				t.Fatalf("upgrade from step %d: %d steps applied, %v", k, n, err)
			}
			if err := s.CheckSchema(ctx); err != nil {
				t.Fatalf("after the upgrade: %v", err)
			}
			raw := modeltest.OpenRaw(t, dsn) // a new connection: PostgreSQL's cached plans knew the old columns
			if got := schemaLines(t, raw); !slices.Equal(got, fresh) {
				t.Errorf("schema upgraded from step %d differs from a fresh database's:\n%s", k, diffLines(fresh, got))
			}

			// Every row survives with the values it had; only the audit log's
			// links are rewritten, once, by step 8, and notifications' sentences
			// and links, by step 12, into a kind, arguments and a target
			// (checked in checkUpgradedData).
			after := tableRows(t, raw)
			for table, rows := range before {
				for key, old := range rows {
					now, ok := after[table][key]
					if !ok {
						t.Errorf("%s row %s lost", table, key)
						continue
					}
					for col, v := range old {
						if table == "audit_entries" && (col == "prev_hash" || col == "hash") && k < 8 {
							continue
						}
						if table == "notifications" && (col == "message" || col == "link" || col == "kind") && k < 12 {
							continue
						}
						if table == "reason_codes" && col == "distrusts_performance" && k < distrustReasonsStep {
							continue // the step marks the default reasons that distrust performance (checked below)
						}
						if now[col] != v {
							t.Errorf("%s row %s: %s was %q, is %q", table, key, col, v, now[col])
						}
					}
				}
			}
			var distrusting []string
			raw.Model(&models.ReasonCode{}).Where("distrusts_performance = ?", true).Order("code").Pluck("code", &distrusting)
			if k >= 2 && !slices.Contains(distrusting, "suspected_fake_traffic") || slices.Contains(distrusting, "duplicate_claim") {
				t.Errorf("reasons that distrust performance after the upgrade from step %d: %v", k, distrusting)
			}
			if k == 0 {
				return
			}
			checkUpgradedData(t, s, raw, f, k, auditBefore)
		})
	}
}

// checkUpgradedData checks what the steps after k computed from the rows,
// and that the portal works on the upgraded database.
func checkUpgradedData(t *testing.T, s *models.Store, raw *gorm.DB, f *stepFixture, k, auditBefore int) {
	t.Helper()
	check, err := s.VerifyAudit(ctx, models.VerifyOptions{})
	if err != nil || !check.OK() {
		t.Fatalf("audit chain after the upgrade from step %d: %+v %v", k, check, err)
	}
	if k < 8 {
		// Step 8 re-chained the log and said so, finding the old chain intact.
		var last models.AuditEntry
		raw.Order("seq DESC").First(&last)
		if last.Action != "audit.rechained" || !strings.Contains(last.After, `"previous_chain":"intact"`) ||
			!strings.Contains(last.After, fmt.Sprintf(`"entries":%d`, auditBefore)) || last.Seq != int64(auditBefore+1) {
			t.Errorf("last audit entry %+v, want the re-chaining of %d entries over an intact chain", last, auditBefore)
		}
	}
	if k >= 3 && k < 12 {
		// Step 12 kept the step-3 notification it could not read as a kind (it has no full stop) as its text.
		var legacy int64
		raw.Model(&models.Notification{}).Where("legacy_text = ?", "Quota Quinn is now qualified").Count(&legacy)
		if legacy != 1 {
			t.Errorf("the old notification's text is not kept after the upgrade from step %d", k)
		}
	}
	var creators []models.Creator
	raw.Order("id").Find(&creators)
	for _, c := range creators {
		if c.SearchName != strings.ToLower(strings.TrimSpace(c.DisplayName)) || c.AccountKey != strings.ToLower(c.AccountID) {
			t.Errorf("creator %d: search name %q for %q, account key %q for %q", c.ID, c.SearchName, c.DisplayName, c.AccountKey, c.AccountID)
		}
		if c.State == models.StateQualified && (c.QualifiedAgencyID == nil || *c.QualifiedAgencyID != *c.AgencyID) {
			t.Errorf("qualified creator %d credits agency %v, not its own %v", c.ID, c.QualifiedAgencyID, *c.AgencyID)
		}
	}
	var wrongTotals int64
	raw.Raw(`SELECT COUNT(*) FROM (SELECT creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER) AS year, SUM(gmv_fen) AS gmv, SUM(views) AS views, COUNT(*) AS weeks
		FROM weekly_performances GROUP BY creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER)) w
		LEFT JOIN creator_year_totals t ON t.creator_id = w.creator_id AND t.year = w.year
		WHERE t.creator_id IS NULL OR t.gmv_fen <> w.gmv OR t.views <> w.views OR t.weeks <> w.weeks`).Scan(&wrongTotals)
	if wrongTotals != 0 {
		t.Errorf("%d creator-years whose totals differ from their weeks", wrongTotals)
	}
	// Step 33 credited every weekly row and built the impact aggregates from them (issue 19).
	var uncredited, wrongImpact int64
	raw.Raw("SELECT COUNT(*) FROM weekly_performances WHERE credit_subject_id = 0").Scan(&uncredited)
	raw.Raw(`SELECT COUNT(*) FROM (SELECT week, COUNT(*) AS n, SUM(gmv_fen) AS gmv FROM weekly_performances WHERE untrusted = ? GROUP BY week) w
		LEFT JOIN (SELECT week, SUM(creators) AS n, SUM(gmv_fen) AS gmv FROM impact_agency_weeks GROUP BY week) i ON i.week = w.week
		WHERE i.week IS NULL OR i.n <> w.n OR i.gmv <> w.gmv`, false).Scan(&wrongImpact)
	if uncredited != 0 || wrongImpact != 0 {
		t.Errorf("after the upgrade from step %d: %d weekly rows without an impact credit, %d weeks whose aggregates differ from their rows", k, uncredited, wrongImpact)
	}

	// The portal works on it: the old users sign in, the lists and settings read.
	if _, err := s.Authenticate(ctx, "mcn@old.test", stepFixturePassword, "192.0.2.9"); err != nil {
		t.Errorf("an old user cannot sign in after the upgrade: %v", err)
	}
	_, total, err := s.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 1))
	if err != nil || int(total) != len(creators) {
		t.Errorf("%d creators listed (%v), %d in the table", total, err, len(creators))
	}
	if w, err := s.ProgrammeStartWeek(ctx); err != nil || w.String() != "2025-W40" {
		t.Errorf("programme start week %v %v", w, err)
	}
	if res, _, err := s.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{Search: "ÜNÏCODE"}, models.NewPage(1, 5)); err != nil || len(res) != 1 || res[0].ID != f.ids["c1"] {
		t.Errorf("search for a folded name: %+v %v", res, err)
	}
	if res, _, err := s.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{Search: "jd_OLD_0001"}, models.NewPage(1, 5)); err != nil || len(res) != 1 || res[0].ID != f.ids["c1"] {
		t.Errorf("search by account ID in another case: %+v %v", res, err)
	}
}

// TestSchemaMatchesTheModels fails when a model gains a field (or an index,
// or a changed type) without a migration step that makes it: migrating the
// models over a database built by the steps must change nothing.
func TestSchemaMatchesTheModels(t *testing.T) {
	dsn := modeltest.DatabaseURL(t)
	modeltest.Open(t, dsn)
	raw := modeltest.OpenRaw(t, dsn)
	want := schemaLines(t, raw)
	if err := raw.AutoMigrate(models.TableModels()...); err != nil {
		t.Fatal(err)
	}
	if got := schemaLines(t, modeltest.OpenRaw(t, dsn)); !slices.Equal(got, want) {
		t.Fatalf("the models describe a schema the migration steps do not make; add a step:\n%s", diffLines(want, got))
	}
}

// TestMigrateIsExplicit: Open changes nothing; CheckSchema names the steps
// missing; Migrate applies them once.
func TestMigrateIsExplicit(t *testing.T) {
	dsn, s, _ := buildAtStep(t, 3)
	if _, err := s.MigrateTo(ctx, models.MigrationSteps()+1); err == nil {
		t.Fatal("migrated to a step that does not exist")
	}
	s.Close()
	s, err := models.Open(ctx, dsn, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.SchemaState(ctx)
	if err != nil || st.Current() || st.Applied() != 3 || st.Missing[0] != 4 || len(st.Missing) != models.MigrationSteps()-3 {
		t.Fatalf("schema state after Open of a step-3 database: %+v %v", st, err)
	}
	var behind *models.SchemaBehindError
	if err := s.CheckSchema(ctx); !asSchemaBehind(err, &behind) || behind.State.Applied() != 3 {
		t.Fatalf("CheckSchema: %v", err)
	}
	if n, err := s.Migrate(ctx); err != nil || n != models.MigrationSteps()-3 {
		t.Fatalf("migrate: %d %v", n, err)
	}
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("migrating again: %d %v", n, err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}

	// An empty database has applied nothing, and Open does not create the schema.
	empty := modeltest.DatabaseURL(t)
	e, err := models.Open(ctx, empty, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if st, err := e.SchemaState(ctx); err != nil || st.Applied() != 0 {
		t.Fatalf("empty database: %+v %v", st, err)
	}
	if modeltest.OpenRaw(t, empty).Migrator().HasTable("schema_migrations") {
		t.Fatal("Open created the schema")
	}
}

func asSchemaBehind(err error, target **models.SchemaBehindError) bool {
	e, ok := err.(*models.SchemaBehindError)
	if ok {
		*target = e
	}
	return ok
}

// demoFromMain is a SQLite database that `portal seed --demo` made on main at
// commit e719312 (schema step 11, audit key modeltest.AuditKey), vacuumed and
// compressed: an existing installation to upgrade.
const demoFromMain = "testdata/demo-main-e719312.db.gz"

func TestADemoDatabaseFromMainUpgradesWithoutLoss(t *testing.T) {
	if models.IsPostgresURL(os.Getenv("DATABASE_URL")) {
		t.Skip("the demo database from main is a SQLite file; TestMigrationsUpgradeEveryEarlierStep upgrades PostgreSQL")
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	gunzipFile(t, demoFromMain, path)
	raw := modeltest.OpenRaw(t, path)
	before := tableRows(t, raw)

	s, err := models.Open(ctx, path, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	raw = modeltest.OpenRaw(t, path)
	after := tableRows(t, raw)
	for table, rows := range before {
		if table == "notifications" {
			// Step 12 rewrites every notification as a kind and arguments: checked below, not column by column.
			if len(after[table]) != len(rows) {
				t.Errorf("notifications: %d before the upgrade, %d after", len(rows), len(after[table]))
			}
			continue
		}
		if len(after[table]) < len(rows) {
			t.Errorf("%s: %d rows before the upgrade, %d after", table, len(rows), len(after[table]))
		}
		for key, old := range rows {
			for col, v := range old {
				if after[table][key][col] != v {
					t.Errorf("%s row %s: %s was %q, is %q", table, key, col, v, after[table][key][col])
				}
			}
		}
	}
	var unread int64
	raw.Model(&models.Notification{}).Where("legacy_text <> ''").Count(&unread)
	if unread != 0 {
		t.Errorf("%d of the demo's notifications were not read back as a kind and arguments", unread)
	}
	if len(before["creators"]) != 200 || len(before["bonuses"]) == 0 {
		t.Fatalf("the demo has %d creators and %d bonuses", len(before["creators"]), len(before["bonuses"]))
	}
	// Its schema is a fresh one's, and the portal works on it.
	freshURL := filepath.Join(t.TempDir(), "fresh.db")
	modeltest.Open(t, freshURL)
	if got, want := schemaLines(t, raw), schemaLines(t, modeltest.OpenRaw(t, freshURL)); !slices.Equal(got, want) {
		t.Errorf("the upgraded demo's schema differs from a fresh database's:\n%s", diffLines(want, got))
	}
	if check, err := s.VerifyAudit(ctx, models.VerifyOptions{}); err != nil || !check.OK() {
		t.Fatalf("audit chain: %+v %v", check, err)
	}
	if _, err := s.Authenticate(ctx, "reviewer1@demo.test", models.DemoPassword, "192.0.2.9"); err != nil {
		t.Fatalf("demo reviewer cannot sign in: %v", err)
	}
	_, total, err := s.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 1))
	if err != nil || total != 200 {
		t.Fatalf("%d creators listed (%v)", total, err)
	}
}

func gunzipFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// A read-only store reads (audit verification, the schema's state) and
// refuses every write; on SQLite it does not create a missing database.
func TestReadOnlyStoreChangesNothing(t *testing.T) {
	dsn := modeltest.DatabaseURL(t)
	w := modeltest.Open(t, dsn)
	if _, err := w.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Before"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	ro, err := models.Open(ctx, dsn, modeltest.Options(models.ReadOnly())...)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if check, err := ro.VerifyAudit(ctx, models.VerifyOptions{}); err != nil || !check.OK() {
		t.Fatalf("verify read-only: %+v %v", check, err)
	}
	if _, err := ro.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "After"}); err == nil {
		t.Fatal("a read-only store wrote")
	}
	if _, err := ro.Migrate(ctx); err == nil {
		t.Fatal("a read-only store migrated")
	}
	var n int64
	modeltest.OpenRaw(t, dsn).Table("agencies").Count(&n)
	if n != 1 {
		t.Fatalf("%d agencies", n)
	}
	if !models.IsPostgresURL(dsn) {
		missing := filepath.Join(t.TempDir(), "missing.db")
		if s, err := models.Open(ctx, missing, modeltest.Options(models.ReadOnly())...); err == nil {
			s.Close()
			t.Fatal("opened a missing database read-only")
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("opening read-only created the file: %v", err)
		}
	}
}

// On PostgreSQL a performance ingest holds its own advisory lock, not the
// audit chain's: an import in progress does not hold back every audited write
// (the two shared one key until issue 13).
func TestIngestLockDoesNotHoldBackTheAuditLog(t *testing.T) {
	if !models.IsPostgresURL(os.Getenv("DATABASE_URL")) {
		t.Skip("advisory locks are PostgreSQL's; SQLite has one writer")
	}
	w := newWorld(t)
	ingest := w.raw.Begin()
	defer ingest.Rollback()
	if err := ingest.Exec(models.AdvisoryLockSQL, models.LockKeyPerformanceIngest).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := w.s.CreateAgency(ctx, w.admin, models.AgencyInput{Name: "While importing"})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an audited write waited for the ingest's lock")
	}
}
