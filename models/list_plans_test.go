package models_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// bigTables are the tables that grow with the programme (100k creators, 63k
// proposals a week, the audit log): a list must never read them whole.
var bigTables = []string{"creators", "bonuses", "audit_entries"}

// planOf explains one captured statement: PostgreSQL's EXPLAIN, or SQLite's
// EXPLAIN QUERY PLAN, as text lines.
func planOf(t *testing.T, raw *gorm.DB, sql string, vars []any) string {
	t.Helper()
	db, err := raw.DB()
	if err != nil {
		t.Fatal(err)
	}
	explain, col := "EXPLAIN ", 0
	if raw.Dialector.Name() == "sqlite" {
		explain, col = "EXPLAIN QUERY PLAN ", 3
	}
	rows, err := db.QueryContext(context.Background(), explain+sql, vars...)
	if err != nil {
		t.Fatalf("explain %s: %v", sql, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[col]))
	}
	return strings.Join(lines, "\n")
}

// fullReads finds, in a plan, a whole-table read of a big table or a sort
// of one that no index orders: PostgreSQL's "Seq Scan on creators" or a Sort
// over one; SQLite's "USE TEMP B-TREE FOR ORDER BY", or "SCAN creators"
// without an index in a statement with no LIMIT (with one and no sort, it is
// a walk in rowid order that stops after the page).
func fullReads(sql, plan string) []string {
	var bad []string
	limited := regexp.MustCompile(`(?i)\bLIMIT\b`).MatchString(sql)
	for _, tbl := range bigTables {
		res := []*regexp.Regexp{regexp.MustCompile(`Seq Scan on ` + tbl + `\b`)}
		if !limited {
			res = append(res, regexp.MustCompile(`(?m)^SCAN `+tbl+`( AS \w+)?$`))
		}
		for _, re := range res {
			if re.MatchString(plan) {
				bad = append(bad, re.FindString(plan))
			}
		}
	}
	if regexp.MustCompile(`(?m)^\s*(->\s*)?Sort\b|TEMP B-TREE FOR ORDER BY`).MatchString(plan) {
		bad = append(bad, "a sort no index gives")
	}
	return bad
}

// TestListPlansReadFromIndexes seeds a programme of a few thousand creators
// and two weeks of proposals, ANALYZEs it, and EXPLAINs the SQL the main lists
// send (captured as the store runs it): the first page and a deep page
// reached by a next link must each come from an index, with no scan of a
// whole big table, no sort of one and no OFFSET. The totals are counted once and
// memoised (counted), and counting all of a week's rows reads them all
// whatever the plan, so counts are left out.
func TestListPlansReadFromIndexes(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds a few thousand rows")
	}
	s, raw := modeltest.NewStoreWithDB(t)
	ctx := context.Background()
	now := time.Now()
	if err := s.SeedScale(ctx, models.ScaleOptions{Creators: 4000, Agencies: 5, Weeks: 2}, now); err != nil {
		t.Fatal(err)
	}
	var seq int64
	raw.Model(&models.AuditEntry{}).Select("COALESCE(MAX(seq), 0)").Scan(&seq)
	audit := make([]models.AuditEntry, 4000)
	for i := range audit {
		audit[i] = models.AuditEntry{Seq: seq + int64(i) + 1, At: now.UTC(), ActorEmail: "load@t.test", Action: "creator.enrol", ObjectType: "creator", ObjectID: uint(i + 1)}
	}
	if err := raw.CreateInBatches(&audit, 500).Error; err != nil {
		t.Fatal(err)
	}
	// Each of this test's own tables by name: a bare ANALYZE on PostgreSQL
	// walks every schema, and other tests drop theirs while it runs.
	tables, err := raw.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		if err := raw.Exec("ANALYZE " + tbl).Error; err != nil {
			t.Fatal(err)
		}
	}
	var agencyID uint
	raw.Model(&models.Creator{}).Select("agency_id").Group("agency_id").Order("COUNT(*) DESC").Limit(1).Scan(&agencyID)
	staff := &models.Actor{UserID: 1, Role: models.RoleReviewer}
	manager := &models.Actor{UserID: 2, Role: models.RoleMCNManager, AgencyID: &agencyID}
	week := models.WeekOf(now).Prev().String()

	var captured []string
	var capturedVars [][]any
	recording := false
	s.OnStatement(func(sql string, vars []any) {
		if recording {
			captured, capturedVars = append(captured, sql), append(capturedVars, vars)
		}
	})
	// check runs list once untimed (so the memoised totals are in) and once
	// recorded, and checks every statement of the recorded run but counts.
	check := func(name string, list func() error) {
		t.Run(name, func(t *testing.T) {
			if err := list(); err != nil {
				t.Fatal(err)
			}
			captured, capturedVars, recording = nil, nil, true
			err := list()
			recording = false
			if err != nil {
				t.Fatal(err)
			}
			if len(captured) == 0 {
				t.Fatal("no statements captured")
			}
			for i, sql := range captured {
				if regexp.MustCompile(`(?i)^SELECT count\(`).MatchString(sql) {
					continue
				}
				if regexp.MustCompile(`(?i)\bOFFSET\b`).MatchString(sql) {
					t.Errorf("%s skips rows with OFFSET: %s", name, sql)
				}
				plan := planOf(t, raw, sql, capturedVars[i])
				if bad := fullReads(sql, plan); len(bad) > 0 {
					t.Errorf("%s reads %v:\n%s\n%s", name, bad, sql, plan)
				} else {
					t.Logf("%s\n%s", sql, plan)
				}
			}
		})
	}
	// deep returns the page after page n of a list (n read by offset), as a
	// user reaches it by following "next".
	creatorsDeep := func(a *models.Actor, f models.CreatorFilter, n int) func() error {
		rows, _, err := s.ListCreators(ctx, a, f, models.NewPage(n, 50))
		if err != nil || len(rows) == 0 {
			t.Fatalf("page %d: %d rows, %v", n, len(rows), err)
		}
		p := models.NewPage(n+1, 50)
		p.After = models.CreatorCursor(rows[len(rows)-1], f)
		return func() error { _, _, err := s.ListCreators(ctx, a, f, p); return err }
	}
	queueDeep := func(f models.BonusFilter, n int, back bool) func() error {
		rows, _, err := s.ListBonuses(ctx, staff, f, models.NewPage(n, 50))
		if err != nil || len(rows) == 0 {
			t.Fatalf("page %d: %d rows, %v", n, len(rows), err)
		}
		p := models.NewPage(n+1, 50)
		if back {
			p.Number, p.Before = n-1, models.BonusCursor(rows[0], f)
		} else {
			p.After = models.BonusCursor(rows[len(rows)-1], f)
		}
		return func() error { _, _, err := s.ListBonuses(ctx, staff, f, p); return err }
	}
	byAmount := models.BonusFilter{Week: week, Sort: "amount", Desc: true}
	oneSubject := models.BonusFilter{Week: week, SubjectID: 3, Sort: "amount", Desc: true}

	check("creators, first page", func() error {
		_, _, err := s.ListCreators(ctx, staff, models.CreatorFilter{}, models.NewPage(1, 50))
		return err
	})
	check("creators, deep page by cursor", creatorsDeep(staff, models.CreatorFilter{}, 40))
	check("queue, one week by amount, first page", func() error { _, _, err := s.ListBonuses(ctx, staff, byAmount, models.NewPage(1, 50)); return err })
	check("queue, one week by amount, deep page by cursor", queueDeep(byAmount, 20, false))
	check("queue, one week by amount, previous page by cursor", queueDeep(byAmount, 20, true))
	check("queue, one subject area, first page", func() error { _, _, err := s.ListBonuses(ctx, staff, oneSubject, models.NewPage(1, 50)); return err })
	check("queue, one subject area, next page by cursor", queueDeep(oneSubject, 1, false))
	check("audit log, first page", func() error {
		_, _, err := s.ListAudit(ctx, staff, models.AuditFilter{}, models.NewPage(1, 50))
		return err
	})
	es, _, err := s.ListAudit(ctx, staff, models.AuditFilter{}, models.NewPage(40, 50))
	if err != nil || len(es) == 0 {
		t.Fatalf("audit page 40: %d rows, %v", len(es), err)
	}
	auditDeep := models.NewPage(41, 50)
	auditDeep.After = models.AuditCursor(es[len(es)-1])
	check("audit log, deep page by cursor", func() error { _, _, err := s.ListAudit(ctx, staff, models.AuditFilter{}, auditDeep); return err })
	check("MCN manager's creators, first page", func() error {
		_, _, err := s.ListCreators(ctx, manager, models.CreatorFilter{}, models.NewPage(1, 50))
		return err
	})
	check("MCN manager's creators, next page by cursor", creatorsDeep(manager, models.CreatorFilter{}, 1))
}
