package models_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// replicaPair is a store reading from a "replica" whose rows differ visibly
// from its primary's: a second schema on the same server, migrated alike. A
// real streaming replica is too heavy for CI; what is tested is where each
// query goes, which a differing copy shows.
type replicaPair struct {
	store        *models.Store // primary, reading from the replica
	primary, rep *gorm.DB      // raw handles
	replicaStore *models.Store // writes the replica's own rows
}

func newReplicaPair(t *testing.T, opts ...models.Option) replicaPair {
	t.Helper()
	if !models.IsPostgresURL(os.Getenv("DATABASE_URL")) {
		t.Skip("read replicas are PostgreSQL only")
	}
	primaryURL, replicaURL := modeltest.DatabaseURL(t), modeltest.DatabaseURL(t)
	replicaStore := modeltest.Open(t, replicaURL)
	store := modeltest.Open(t, primaryURL, append(opts, models.WithReadReplicas(replicaURL))...)
	return replicaPair{store: store, primary: modeltest.OpenRaw(t, primaryURL), rep: modeltest.OpenRaw(t, replicaURL), replicaStore: replicaStore}
}

func agencyNames(t *testing.T, ctx context.Context, s *models.Store) []string {
	t.Helper()
	rows, _, err := s.ListAgencies(ctx, models.SystemActor(), "", models.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
	}
	return names
}

// where says which database a handle's read reached: replica sessions are read-only.
func where(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var ro string
	if err := db.Raw("SELECT current_setting('default_transaction_read_only')").Scan(&ro).Error; err != nil {
		t.Fatal(err)
	}
	if ro == "on" {
		return "replica"
	}
	return "primary"
}

func TestReadReplicaServesListsAndDashboardsAndThePrimaryTakesWrites(t *testing.T) {
	p := newReplicaPair(t, models.WithReplicaLag(0)) // memos read the replica even right after a write
	sys := models.SystemActor()
	if _, err := p.replicaStore.CreateAgency(ctx, sys, models.AgencyInput{Name: "Replica Agency"}); err != nil {
		t.Fatal(err)
	}
	rag, _ := p.replicaStore.AgencyOptions(ctx)
	if _, err := p.replicaStore.EnrolCreator(ctx, sys, &rag[0].ID, models.Enrolment{DisplayName: "Only On Replica", AccountID: "jd_cr_replica1",
		Subjects: []string{"electronics"}, ContentType: "video", Followers: "100"}); err != nil {
		t.Fatal(err)
	}

	// A write goes to the primary, and the replica never sees it.
	written, err := p.store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Primary Agency"})
	if err != nil {
		t.Fatal(err)
	}
	var onPrimary, onReplica int64
	p.primary.Table("agencies").Where("name = ?", "Primary Agency").Count(&onPrimary)
	p.rep.Table("agencies").Where("name = ?", "Primary Agency").Count(&onReplica)
	if onPrimary != 1 || onReplica != 0 {
		t.Fatalf("the write reached primary %d times, replica %d times; want 1 and 0", onPrimary, onReplica)
	}

	// The list and the dashboard read the replica.
	if got := agencyNames(t, ctx, p.store); !slices.Equal(got, []string{"Replica Agency"}) {
		t.Fatalf("the agency list read %v, want the replica's [Replica Agency]", got)
	}
	byState, err := p.store.CountByState(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	if byState[models.StatePending] != 1 {
		t.Fatalf("the dashboard counted %d pending creators, want the replica's 1", byState[models.StatePending])
	}

	// A read inside a transaction reads the primary: the agency to edit is only there.
	if _, err := p.store.UpdateAgency(ctx, sys, written.ID, models.AgencyInput{Name: "Primary Agency Renamed"}); err != nil {
		t.Fatalf("an update reading its row inside the transaction: %v (did it read the replica?)", err)
	}

	// Marked for primary reads (the page after a person's own POST): the primary's rows.
	if got := agencyNames(t, models.WithPrimaryReads(ctx), p.store); !slices.Equal(got, []string{"Primary Agency Renamed"}) {
		t.Fatalf("a read marked for the primary read %v, want [Primary Agency Renamed]", got)
	}
	// Scheduled work reads the primary too.
	if _, err := p.store.RunOnce(ctx, "replica-test", models.SlotOf(time.Now(), time.Minute), func(ctx context.Context) error {
		if got := agencyNames(t, ctx, p.store); !slices.Equal(got, []string{"Primary Agency Renamed"}) {
			t.Errorf("a scheduled job read %v, want the primary's [Primary Agency Renamed]", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Which statements of the read handle the resolver sends where: only plain
// SELECTs outside transactions go to a replica.
func TestReadReplicaRoutesStatements(t *testing.T) {
	p := newReplicaPair(t)
	s := p.store
	for name, got := range map[string]func() string{
		"a plain read":          func() string { return where(t, s.ReadsForTest(ctx)) },
		"a read marked primary": func() string { return where(t, s.ReadsForTest(models.WithPrimaryReads(ctx))) },
		"a read in s.tx": func() string {
			var w string
			_ = s.TxForTest(ctx, func(tx *gorm.DB) error { w = where(t, tx); return nil })
			return w
		},
		"a read in a transaction begun on the read handle": func() string {
			var w string
			if err := s.ReadsForTest(ctx).Transaction(func(tx *gorm.DB) error { w = where(t, tx); return nil }); err != nil {
				t.Fatal(err)
			}
			return w
		},
	} {
		want := "primary"
		if name == "a plain read" {
			want = "replica"
		}
		if w := got(); w != want {
			t.Errorf("%s went to the %s, want the %s", name, w, want)
		}
	}
	// Statements that lock or write cannot run on a (read-only) replica: the resolver sends them to the primary.
	var names []string
	if err := s.ReadsForTest(ctx).Raw("SELECT name FROM pools ORDER BY name FOR UPDATE").Scan(&names).Error; err != nil {
		t.Errorf("SELECT ... FOR UPDATE through the read handle: %v", err)
	}
	if err := s.ReadsForTest(ctx).Exec("UPDATE pools SET name = name").Error; err != nil {
		t.Errorf("an Exec through the read handle: %v", err)
	}
	// The health check asks the primary: with every replica down it still answers.
	s.CloseReplicasForTest()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping with the replicas down: %v", err)
	}
	if _, _, err := s.ListAgencies(ctx, models.SystemActor(), "", models.Page{Number: 1, Size: 10}); err == nil {
		t.Fatal("a list read with the replicas down succeeded: it did not read a replica")
	}
}

func TestReadReplicasAreRefusedOnSQLiteAndReadOnlyStores(t *testing.T) {
	dir := t.TempDir()
	s, err := models.Open(ctx, dir+"/portal.db", modeltest.Options(models.WithReadReplicas("postgres://u:secret@127.0.0.1:5432/x"))...)
	if err == nil {
		s.Close()
		t.Fatal("a SQLite store accepted a read replica")
	}
	if !models.IsPostgresURL(os.Getenv("DATABASE_URL")) {
		return
	}
	u := modeltest.DatabaseURL(t)
	modeltest.Open(t, u)
	for name, opts := range map[string][]models.Option{
		"not postgres://": {models.WithReadReplicas("mysql://u:secret@127.0.0.1/x")},
		"read-only store": {models.ReadOnly(), models.WithReadReplicas(u)},
	} {
		s, err := models.Open(ctx, u, modeltest.Options(opts...)...)
		if err == nil {
			s.Close()
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the refusal shows the password: %v", name, err)
		}
	}
}

// TestMemoRightAfterAChangeReadsThePrimary: a total memoised from a replica
// that has not caught up yet would be served for the memo's whole lifetime,
// so within the replica lag of a change the memos compute from the primary.
func TestMemoRightAfterAChangeReadsThePrimary(t *testing.T) {
	p := newReplicaPair(t) // the default lag
	sys := models.SystemActor()
	ag, err := p.store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Primary Agency"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.EnrolCreator(ctx, sys, &ag.ID, models.Enrolment{DisplayName: "Only On Primary", AccountID: "jd_cr_primary1",
		Subjects: []string{"electronics"}, ContentType: "video", Followers: "100"}); err != nil {
		t.Fatal(err)
	}
	byState, err := p.store.CountByState(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	if byState[models.StatePending] != 1 {
		t.Fatalf("right after the enrolment the dashboard counted %d pending creators, want the primary's 1 (the replica has none)", byState[models.StatePending])
	}
}

// The decision report's pool figure, read after the commit, is the primary's:
// a replica not yet caught up would tell the reviewer the pool still holds
// what they have just committed.
func TestApprovalReportsThePoolLeftOnThePrimary(t *testing.T) {
	p := newReplicaPair(t)
	sys := models.SystemActor()
	ag, err := p.store.CreateAgency(ctx, sys, models.AgencyInput{Name: "Primary Agency"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.store.EnrolCreator(ctx, sys, &ag.ID, models.Enrolment{DisplayName: "Paid On Primary", AccountID: "jd_cr_primary2",
		Subjects: []string{"electronics"}, ContentType: "video", Followers: "100"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.store.CreateUser(ctx, sys, models.NewUser{Email: "rev@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := p.primary.Exec(`INSERT INTO bonuses (creator_id, week, agency_id, subject_id, state, amount_fen, gmv_fen, rule_version, breakdown, proposed_at, updated_at)
		VALUES (?, ?, ?, 1, 'proposed', 100000, 0, 1, '{}', ?, ?)`, c.Creator.ID, models.WeekOf(now).Prev().String(), ag.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	var id uint
	p.primary.Table("bonuses").Select("id").Where("creator_id = ?", c.Creator.ID).Scan(&id)
	rep, err := p.store.ApproveBonuses(ctx, models.ActorFor(u, "127.0.0.1"), []uint{id}) // a context not marked for the primary
	if err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	var left int64
	p.primary.Table("pools").Select("total_fen - committed_fen").Where("name = ?", models.PoolCreators).Scan(&left)
	if rep.PoolLeftFen != left {
		t.Fatalf("the report says %s left, the primary's pool %s", models.FormatYuan(rep.PoolLeftFen), models.FormatYuan(left))
	}
}
