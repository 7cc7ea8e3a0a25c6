package models_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func TestBackupWhileWritingRestoresConsistently(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.s.Driver() != "sqlite" {
		if err := w.s.Backup(ctx, filepath.Join(t.TempDir(), "x.db")); err != models.ErrBackupPostgres {
			t.Fatalf("postgres backup: %v", err)
		}
		return
	}
	for i := 0; i < 50; i++ {
		w.enrol(t, w.mcnA, fmt.Sprintf("jd_cr_bk%04d", i))
	}
	// Keep writing while the backup runs.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 50; i < 150; i++ {
			if _, err := w.s.EnrolCreator(context.Background(), w.mcnB, nil, enrolment(fmt.Sprintf("jd_cr_bk%04d", i))); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := w.s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := w.s.Backup(ctx, path); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
	restored, err := models.Open(ctx, path, modeltest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	_, total, err := restored.ListCreators(ctx, models.SystemActor(), models.CreatorFilter{}, models.NewPage(1, 1))
	if err != nil || total < 50 || total > 150 {
		t.Fatalf("restored %d creators (%v)", total, err)
	}
	// Every creator in the copy has its enrolment in the audit log, and the chain holds.
	check, err := restored.VerifyAudit(ctx, models.VerifyOptions{})
	if err != nil || !check.OK() {
		t.Fatalf("restored audit chain: %+v %v", check, err)
	}
	_, audited, _ := restored.ListAudit(ctx, models.SystemActor(), models.AuditFilter{Action: "creator.enrol"}, models.NewPage(1, 1))
	if audited != total {
		t.Fatalf("%d creators but %d enrolments audited: the copy is not one snapshot", total, audited)
	}
}

func TestSQLitePathsWithURICharacters(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a#b?c%d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "portal.db")
	s := modeltest.Open(t, path)
	if _, err := s.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Hash Agency"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked to be: %v", err)
	}
}
