package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// Agency B tries to take agency A's creator by writing the account ID in
// another case or with spaces around it: every path refuses, and the lookups
// that should find the creator (transfer, search) do.
func TestAccountIDInAnotherCaseIsTheSameCreator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	held := w.enrol(t, w.mcnA, "jd_cr_100049")

	for _, variant := range []string{"JD_CR_100049", " jd_cr_100049 ", "Jd_Cr_100049"} {
		_, err := w.s.EnrolCreator(ctx, w.mcnB, nil, enrolment(variant))
		if msg := fieldError(t, err, "account_id"); msg.ID != "err_creator_taken" {
			t.Errorf("agency B enrolling %q: %s, want err_creator_taken", variant, msg)
		}
		if taken := (models.CreatorTakenError{}); !errors.As(err, &taken) || taken.AccountID != strings.TrimSpace(variant) {
			t.Errorf("agency B enrolling %q: the error does not name the account: %v", variant, err)
		}
		if !errors.Is(err, models.ErrCreatorTaken) {
			t.Errorf("agency B enrolling %q: errors.Is(ErrCreatorTaken) is false for %v", variant, err)
		}
		_, err = w.s.EnrolCreator(ctx, w.mcnA, nil, enrolment(variant))
		if !errors.Is(err, models.ErrAlreadyEnrolled) {
			t.Errorf("agency A enrolling %q again: %v, want already enrolled by your agency", variant, err)
		}
	}

	// The CSV import refuses the variants too (and a file cannot hold one account twice in two spellings).
	csv := "display_name,account_id,primary_subject,content_type,followers\n" +
		"Copy One,JD_CR_100049,electronics,video,10\n" +
		"New One,jd_cr_200001,electronics,video,10\n" +
		"New Again,JD_CR_200001,electronics,video,10\n"
	p, err := w.s.UploadCreatorCSV(ctx, w.mcnB, nil, "case.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if p.OK != 1 || p.Errors != 2 {
		t.Fatalf("preview: %d ok, %d errors: %+v", p.OK, p.Errors, p.Rows)
	}
	if r := p.Rows[0]; r.Status != models.RowError || problemIDs(r.Problems) != "account_id:err_creator_taken" {
		t.Errorf("line 2: %s %q", r.Status, problemIDs(r.Problems))
	}
	if r := p.Rows[2]; r.Status != models.RowError || problemIDs(r.Problems) != "account_id:err_repeats_line" || r.Problems[0].Msg.Args["N"] != 3 {
		t.Errorf("line 4: %s %v", r.Status, r.Problems)
	}
	if _, err := w.s.ConfirmCreatorImport(ctx, w.mcnB, p.ImportID); err != nil {
		t.Fatal(err)
	}
	_, totalAll, _ := w.s.ListCreators(ctx, w.admin, models.CreatorFilter{}, models.NewPage(1, 50))
	if totalAll != 2 {
		t.Fatalf("%d creators after the import, want 2 (the held one and jd_cr_200001)", totalAll)
	}
	var dup int64
	w.raw.Model(&models.Creator{}).Where("LOWER(account_id) = ?", "jd_cr_100049").Count(&dup)
	if dup != 1 {
		t.Fatalf("%d creators hold jd_cr_100049 in some case", dup)
	}

	// Search finds the creator by the ID in any case.
	list, _, err := w.s.ListCreators(ctx, w.admin, models.CreatorFilter{Search: "JD_CR_100049"}, models.NewPage(1, 10))
	if err != nil || len(list) != 1 || list[0].ID != held.ID {
		t.Fatalf("search by JD_CR_100049: %v %v", list, err)
	}
	// What people see is the ID as it was enrolled.
	if list[0].AccountID != "jd_cr_100049" {
		t.Errorf("shown as %q", list[0].AccountID)
	}

	// Agency B may ask for a transfer instead, naming the account in any case.
	tr, err := w.s.RequestTransfer(ctx, w.mcnB, " JD_CR_100049")
	if err != nil || tr.CreatorID != held.ID {
		t.Fatalf("transfer request: %v %v", tr, err)
	}
}

// A store's raw database constraint holds even if a path forgot the lookup:
// a second creator with the same key is refused by the unique index.
func TestAccountKeyIsUniqueInTheDatabase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_300001")
	c := models.Creator{DisplayName: "Sneaky", AccountID: "JD_CR_300001", PrimarySubjectID: 1, ContentType: models.ContentVideo,
		AgencyID: &w.agenB.ID, State: models.StatePending, EnrolledAt: time.Now(), StateChangedAt: time.Now()}
	if err := w.raw.Create(&c).Error; err == nil {
		t.Fatal("the database accepted JD_CR_300001 beside jd_cr_300001")
	}
}

func TestPerformanceForAccountInAnotherCaseUpdatesTheCreator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.enrol(t, w.mcnA, "jd_cr_x001")
	week := models.WeekOf(time.Now()).Prev().String()
	row := func(account, videos string) models.PerformanceInput {
		return models.PerformanceInput{AccountID: account, Week: week, Videos: videos, LiveSessions: "0", Views: "10", Orders: "1", GMVFen: "100"}
	}
	res, probs, err := w.s.IngestPerformance(ctx, models.SystemActor(), "api", []models.PerformanceInput{row("JD_CR_X001", "4")})
	if err != nil || len(probs) > 0 || res.Inserted != 1 {
		t.Fatalf("ingest JD_CR_X001: %+v %v %v", res, probs, err)
	}
	weeks, err := w.s.PerformanceOf(ctx, c.ID, 5)
	if err != nil || len(weeks) != 1 || weeks[0].Videos != 4 {
		t.Fatalf("jd_cr_x001's weeks: %+v %v", weeks, err)
	}
	// Two spellings of one account in one batch are one row given twice.
	_, probs, err = w.s.IngestPerformance(ctx, models.SystemActor(), "api", []models.PerformanceInput{row("jd_cr_x001", "5"), row(" Jd_Cr_X001 ", "6")})
	if err != nil || len(probs) != 1 || !strings.Contains(english(probs[0].Msg), "repeats row 0") {
		t.Fatalf("two spellings in one batch: %v %v", probs, err)
	}
	// The CSV import resolves the same way.
	csv := "account_id,week,videos,live_sessions,views,orders,gmv_fen\nJD_CR_X001," + week + ",7,0,10,1,100\n"
	p, err := w.s.UploadPerformanceCSV(ctx, w.admin, "perf.csv", []byte(csv))
	if err != nil || len(p.Problems) != 0 || p.OK != 1 {
		t.Fatalf("CSV preview: %+v %v", p, err)
	}
	if _, err := w.s.ConfirmPerformanceImport(ctx, w.admin, p.ImportID); err != nil {
		t.Fatal(err)
	}
	weeks, _ = w.s.PerformanceOf(ctx, c.ID, 5)
	if len(weeks) != 1 || weeks[0].Videos != 7 {
		t.Fatalf("after the CSV: %+v", weeks)
	}
}

// oldDatabase builds a database as it was before account keys: every step
// applied but that one (its index and column dropped, its version forgotten),
// holding two agencies and their creators. It returns the database's URL and
// a raw handle on it; the store that built it is closed.
func oldDatabase(t *testing.T, accounts map[string]string) (string, *gorm.DB) {
	t.Helper()
	dsn := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, dsn)
	sys := models.SystemActor()
	agencies := map[string]*models.Agency{}
	var err error
	for _, name := range []string{"Agency A", "Agency B"} {
		if agencies[name], err = s.CreateAgency(ctx, sys, models.AgencyInput{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	// Enrolled through the application under placeholder IDs, renamed below
	// behind its back as the old schema allowed.
	ids := map[string]uint{}
	for account, agency := range accounts {
		res, err := s.EnrolCreator(ctx, sys, &agencies[agency].ID, enrolment("tmp_"+strings.ToLower(account)+"_"+agency[len(agency)-1:]))
		if err != nil {
			t.Fatal(err)
		}
		ids[account] = res.Creator.ID
	}
	s.Close()
	raw := modeltest.OpenRaw(t, dsn)
	for _, sql := range []string{
		"DROP INDEX IF EXISTS idx_creators_account_key",
		"ALTER TABLE creators DROP COLUMN account_key",
	} {
		if err := raw.Exec(sql).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := raw.Exec("DELETE FROM schema_migrations WHERE version = ?", models.AccountKeyStep()).Error; err != nil {
		t.Fatal(err)
	}
	for account, id := range ids {
		if err := raw.Exec("UPDATE creators SET account_id = ? WHERE id = ?", account, id).Error; err != nil {
			t.Fatal(err)
		}
	}
	return dsn, raw
}

func TestAccountKeyMigrationRefusesCollidingAccounts(t *testing.T) {
	t.Parallel()
	dsn, raw := oldDatabase(t, map[string]string{"jd_cr_100049": "Agency A", "JD_CR_100049": "Agency B", "jd_cr_100050": "Agency A"})

	_, err := upgrade(t, dsn)
	var ce *models.AccountKeyCollisionError
	if !errors.As(err, &ce) {
		t.Fatalf("migrate: %v, want an AccountKeyCollisionError", err)
	}
	msg := err.Error()
	for _, want := range []string{`"jd_cr_100049"`, `"JD_CR_100049"`, `"Agency A"`, `"Agency B"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message does not name %s:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "jd_cr_100050") {
		t.Errorf("the message lists an account that does not collide:\n%s", msg)
	}
	if len(ce.Keys) != 1 || ce.Keys[0] != "jd_cr_100049" || len(ce.Holders["jd_cr_100049"]) != 2 {
		t.Errorf("collisions %+v", ce)
	}
	// Nothing changed: the step is not recorded, the column not added, the rows as they were.
	var n int64
	raw.Table("schema_migrations").Where("version = ?", models.AccountKeyStep()).Count(&n)
	if n != 0 || raw.Migrator().HasColumn("creators", "account_key") {
		t.Fatalf("a refused upgrade left changes (step recorded %d, column %v)", n, raw.Migrator().HasColumn("creators", "account_key"))
	}
	raw.Table("creators").Count(&n)
	if n != 3 {
		t.Fatalf("%d creators left, want 3", n)
	}

	// Once the operator corrects the duplicate, the upgrade goes through.
	if err := raw.Exec("UPDATE creators SET account_id = 'jd_cr_100051' WHERE account_id = 'JD_CR_100049'").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := upgrade(t, dsn); err != nil {
		t.Fatalf("migrate after the fix: %v", err)
	}
}

// upgrade opens the database at dsn and migrates it; the store is closed after the test.
func upgrade(t *testing.T, dsn string) (*models.Store, error) {
	t.Helper()
	s, err := models.Open(ctx, dsn, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	_, err = s.Migrate(ctx)
	return s, err
}

func TestAccountKeyMigrationUpgradesAnOldDatabase(t *testing.T) {
	t.Parallel()
	dsn, raw := oldDatabase(t, map[string]string{"JD_CR_100049": "Agency A", "jd_cr_100050": "Agency B", "Mixed_Case-7": "Agency B"})
	var before []models.Creator
	raw.Order("id").Find(&before)

	s, err := upgrade(t, dsn)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	raw = modeltest.OpenRaw(t, dsn) // a new connection: PostgreSQL's cached plans knew the old columns
	var after []models.Creator
	if err := raw.Order("id").Find(&after).Error; err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d creators after the upgrade, %d before", len(after), len(before))
	}
	for i, c := range after {
		if c.AccountID != before[i].AccountID || c.DisplayName != before[i].DisplayName || *c.AgencyID != *before[i].AgencyID {
			t.Errorf("creator %d changed: %+v -> %+v", c.ID, before[i], c)
		}
		if c.AccountKey != strings.ToLower(c.AccountID) {
			t.Errorf("creator %d: key %q for %q", c.ID, c.AccountKey, c.AccountID)
		}
	}
	// The upgraded database enforces the rule: agency B cannot enrol agency A's creator in lower case.
	var b models.Agency
	raw.Where("name = ?", "Agency B").First(&b)
	_, err = s.EnrolCreator(ctx, models.SystemActor(), &b.ID, enrolment("jd_cr_100049"))
	if !errors.Is(err, models.ErrCreatorTaken) {
		t.Fatalf("enrol jd_cr_100049 beside JD_CR_100049: %v", err)
	}
	c := models.Creator{DisplayName: "Sneaky", AccountID: "mixed_case-7", PrimarySubjectID: 1, ContentType: models.ContentVideo,
		State: models.StatePending, EnrolledAt: time.Now(), StateChangedAt: time.Now()}
	if err := raw.Create(&c).Error; err == nil {
		t.Fatal("the upgraded database has no unique index on the account key")
	}
	// A later step that migrates Creator again finds the added column as it
	// would have made it: nothing is rebuilt, the key's index stays.
	if err := raw.AutoMigrate(&models.Creator{}); err != nil {
		t.Fatal(err)
	}
	if !raw.Migrator().HasIndex("creators", "idx_creators_account_key") {
		t.Fatal("migrating Creator again dropped the account key's index")
	}
}
