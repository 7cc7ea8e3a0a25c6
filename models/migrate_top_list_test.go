package models_test

import (
	"testing"
)

// Upgrading a database with published lists keeps every line and fills in its
// creator (when the display name names exactly one) and whether that creator
// was featured on the publication day; the rest stay empty rather than guessed.
func TestTopListUpgradeBackfillsCreatorAndFeatured(t *testing.T) {
	_, s, f := buildAtStep(t, 13) // the last step before the top-list columns
	at := f.tick()
	f.insert("", "features", stepRow{"creator_id": f.ids["c4"], "from_day": at.Format("2006-01-02"), "to_day": at.Format("2006-01-02"),
		"note": "", "created_by_id": f.ids["admin"], "created_at": at})
	f.insert("", "top_list_entries", stepRow{"year": 2026, "rank": 1, "display_name": "Quota Quinn", "subject": "Electronic devices",
		"agency": "Agency Two", "published_at": at})
	f.insert("", "top_list_entries", stepRow{"year": 2026, "rank": 2, "display_name": "Pending Person", "subject": "Electronic devices",
		"agency": "Agency Two", "published_at": at})
	f.creator("twin1", "Twin Tao", "jd_old_0101", "qualified", nil)
	f.creator("twin2", "Twin Tao", "jd_old_0102", "qualified", nil)
	f.insert("", "top_list_entries", stepRow{"year": 2026, "rank": 3, "display_name": "Twin Tao", "subject": "Electronic devices",
		"agency": "Independent", "published_at": at})
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	type line struct {
		Rank      int
		CreatorID *uint
		Featured  bool
	}
	var got []line
	if err := f.db.Raw("SELECT rank, creator_id, featured FROM top_list_entries WHERE year = 2026 ORDER BY rank").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	var before int64
	f.db.Raw("SELECT COUNT(*) FROM top_list_entries").Scan(&before)
	if len(got) != 3 || before != 4 {
		t.Fatalf("lines after the upgrade: %+v (%d in all)", got, before)
	}
	if got[0].CreatorID == nil || *got[0].CreatorID != f.ids["c4"] || !got[0].Featured {
		t.Errorf("featured Quinn: %+v", got[0])
	}
	if got[1].CreatorID == nil || *got[1].CreatorID != f.ids["c2"] || got[1].Featured {
		t.Errorf("Pending Person: %+v", got[1])
	}
	if got[2].CreatorID != nil || got[2].Featured {
		t.Errorf("an ambiguous name was guessed: %+v", got[2])
	}
}
