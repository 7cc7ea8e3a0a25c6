package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// content is one content item of last week.
func content(account, id, kind string) models.ContentInput {
	return models.ContentInput{AccountID: account, Week: lastWeek.String(), ContentID: id, Kind: kind, Views: "100", Orders: "2", GMVFen: "5000"}
}

func TestDetectSharedContent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		items    []models.ContentInput
		proposed []string
		want     map[string]map[string]any // account -> Args of its one flag
	}{
		{"one creator alone with a content id: no flag",
			[]models.ContentInput{content("jd_cr_sc_a", "v-1", "video"), content("jd_cr_sc_b", "v-2", "video")},
			[]string{"jd_cr_sc_a", "jd_cr_sc_b"}, nil},
		{"two creators claim one video: both flagged",
			[]models.ContentInput{content("jd_cr_sc_a", "v-1", "video"), content("jd_cr_sc_b", "v-1", "视频"), content("jd_cr_sc_c", "v-3", "live")},
			[]string{"jd_cr_sc_a", "jd_cr_sc_b", "jd_cr_sc_c"},
			map[string]map[string]any{
				"jd_cr_sc_a": {"ContentID": "v-1", "Others": "jd_cr_sc_b", "Creators": int64(2), "Items": int64(1)},
				"jd_cr_sc_b": {"ContentID": "v-1", "Others": "jd_cr_sc_a", "Creators": int64(2), "Items": int64(1)},
			}},
		{"three claim one, two claim another: the widest share is named, both counted; unproposed creators count but are not returned",
			[]models.ContentInput{content("jd_cr_sc_a", "v-1", "video"), content("jd_cr_sc_b", "v-1", "video"), content("jd_cr_sc_c", "v-1", "video"),
				content("jd_cr_sc_a", "live-9", "live"), content("jd_cr_sc_b", "live-9", "live")},
			[]string{"jd_cr_sc_a", "jd_cr_sc_b"},
			map[string]map[string]any{
				"jd_cr_sc_a": {"ContentID": "v-1", "Others": "jd_cr_sc_b、jd_cr_sc_c", "Creators": int64(3), "Items": int64(2)},
				"jd_cr_sc_b": {"ContentID": "v-1", "Others": "jd_cr_sc_a、jd_cr_sc_c", "Creators": int64(3), "Items": int64(2)},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ids := map[string]uint{}
			for _, acct := range []string{"jd_cr_sc_a", "jd_cr_sc_b", "jd_cr_sc_c"} {
				ids[acct] = w.enrol(t, w.mcnA, acct).ID
			}
			if _, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", nil, tc.items...); err != nil || len(probs) > 0 {
				t.Fatalf("ingest: %v %v", probs, err)
			}
			var proposed []uint
			for _, acct := range tc.proposed {
				proposed = append(proposed, ids[acct])
			}
			flags, err := w.s.DetectRiskForTest(ctx, models.RiskSharedContent, lastWeek, proposed, models.DefaultRiskThresholds)
			if err != nil {
				t.Fatal(err)
			}
			checkFlags(t, flags, ids, models.RiskSharedContent, tc.want)
		})
	}
}

func checkFlags(t *testing.T, flags map[uint][]models.RiskFlag, ids map[string]uint, kind models.RiskKind, want map[string]map[string]any) {
	t.Helper()
	if len(flags) != len(want) {
		t.Errorf("flagged %d creators %v, want %d", len(flags), flags, len(want))
	}
	for acct, args := range want {
		fs := flags[ids[acct]]
		if len(fs) != 1 || fs[0].Kind != kind {
			t.Errorf("%s: flags %v, want one %s", acct, fs, kind)
			continue
		}
		for k, v := range args {
			if fs[0].Args[k] != v {
				t.Errorf("%s: %s = %#v, want %#v", acct, k, fs[0].Args[k], v)
			}
		}
		if m := english(fs[0].Msg()); m == "" || m == fs[0].Msg().ID {
			t.Errorf("%s: the flag has no words: %q", acct, m)
		}
	}
}

func TestDetectSharedContact(t *testing.T) {
	t.Parallel()
	type person struct {
		account, phone, email, card string
	}
	const cardA, cardB = "6222 0202 0011 2233 446", "6222020200112233453"
	for _, tc := range []struct {
		name     string
		people   []person
		min      int64
		proposed []string
		want     map[string]map[string]any
	}{
		{"two creators with different phones and emails: no flag",
			[]person{{"jd_cr_ct_a", "13800138000", "a@x.test", ""}, {"jd_cr_ct_b", "13800138001", "b@x.test", ""}},
			2, []string{"jd_cr_ct_a", "jd_cr_ct_b"}, nil},
		{"one phone written two ways: both flagged, masked",
			[]person{{"jd_cr_ct_a", "+86 138-0013-8000", "a@x.test", ""}, {"jd_cr_ct_b", "13800138000", "b@x.test", ""}},
			2, []string{"jd_cr_ct_a", "jd_cr_ct_b"},
			map[string]map[string]any{
				"jd_cr_ct_a": {"What": models.Word("risk_shared_phone"), "Value": "138****8000", "Creators": int64(2)},
				"jd_cr_ct_b": {"What": models.Word("risk_shared_phone"), "Value": "138****8000", "Creators": int64(2)},
			}},
		{"an email in two cases; only the proposed creator is returned, the group counts both",
			[]person{{"jd_cr_ct_a", "", "Ops@X.test", ""}, {"jd_cr_ct_b", "", "ops@x.test", ""}},
			2, []string{"jd_cr_ct_a"},
			map[string]map[string]any{"jd_cr_ct_a": {"What": models.Word("risk_shared_email"), "Value": "o***@x.test", "Creators": int64(2)}}},
		{"two share a phone but the threshold is three: no flag",
			[]person{{"jd_cr_ct_a", "13800138000", "", ""}, {"jd_cr_ct_b", "13800138000", "", ""}, {"jd_cr_ct_c", "13900139000", "", ""}},
			3, []string{"jd_cr_ct_a", "jd_cr_ct_b", "jd_cr_ct_c"}, nil},
		{"one bank card behind two creators (encrypted): both flagged",
			[]person{{"jd_cr_ct_a", "", "", cardA}, {"jd_cr_ct_b", "", "", "6222020200112233446"}, {"jd_cr_ct_c", "", "", cardB}},
			2, []string{"jd_cr_ct_a", "jd_cr_ct_b", "jd_cr_ct_c"},
			map[string]map[string]any{
				"jd_cr_ct_a": {"What": models.Word("risk_shared_account"), "Value": "6222 **** **** 3446", "Creators": int64(2)},
				"jd_cr_ct_b": {"What": models.Word("risk_shared_account"), "Value": "6222 **** **** 3446", "Creators": int64(2)},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ids := map[string]uint{}
			for _, p := range tc.people {
				e := enrolment(p.account)
				e.ContactPhone, e.ContactEmail = p.phone, p.email
				res, err := w.s.EnrolCreator(ctx, w.mcnA, nil, e)
				if err != nil {
					t.Fatal(err)
				}
				id := res.Creator.ID
				ids[p.account] = id
				if p.card != "" {
					in := cardIn
					in.Account = p.card
					me := &models.Actor{Role: models.RoleCreator, CreatorID: &id, Email: p.account + "@t.test"}
					if _, err := w.s.SavePayee(ctx, me, models.PayeeCreator, id, in); err != nil {
						t.Fatal(err)
					}
				}
			}
			var proposed []uint
			for _, acct := range tc.proposed {
				proposed = append(proposed, ids[acct])
			}
			th := models.DefaultRiskThresholds
			th.SharedMinCreators = tc.min
			flags, err := w.s.DetectRiskForTest(ctx, models.RiskSharedContact, lastWeek, proposed, th)
			if err != nil {
				t.Fatal(err)
			}
			checkFlags(t, flags, ids, models.RiskSharedContact, tc.want)
		})
	}
}

// The demo's last week shows both flags: a video claimed by two creators,
// and two creators behind one phone.
func TestDemoShowsSharedContentAndContact(t *testing.T) {
	t.Parallel()
	s, raw := modeltest.NewStoreWithDB(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	week := models.WeekOf(time.Now()).Prev()
	var proposed []uint
	raw.Model(&models.Bonus{}).Where("week = ? AND state = ?", week.String(), models.BonusProposed).Pluck("creator_id", &proposed)
	for _, kind := range []models.RiskKind{models.RiskSharedContent, models.RiskSharedContact} {
		flags, err := s.DetectRiskForTest(ctx, kind, week, proposed, models.DefaultRiskThresholds)
		if err != nil {
			t.Fatal(err)
		}
		if len(flags) < 2 {
			t.Errorf("%s: %d demo proposals flagged, want 2 or more", kind, len(flags))
		}
	}
}

// Computing a week runs both detectors (they are registered): a video
// claimed by two proposed creators and a phone shared by two others flag
// four proposals; a creator alone with their content and phone is not flagged.
func TestComputeWeekFlagsSharedContentAndContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i, acct := range []string{"jd_cr_rf_a", "jd_cr_rf_b", "jd_cr_rf_c", "jd_cr_rf_d", "jd_cr_rf_e"} {
		w.qualified(t, acct)
		w.perf(t, lastWeek, acct, 1, 0, int64(1000+i), 100_000) // different figures: no "identical" flag
	}
	if _, probs, err := w.s.IngestPerformance(ctx, w.admin, "test", nil, content("jd_cr_rf_a", "v-1", "video"),
		content("jd_cr_rf_b", "v-1", "video"), content("jd_cr_rf_e", "v-5", "video")); err != nil || len(probs) > 0 {
		t.Fatal(probs, err)
	}
	if err := w.raw.Exec("UPDATE creators SET contact_phone = '13912345678' WHERE account_id IN ('jd_cr_rf_c', 'jd_cr_rf_d')").Error; err != nil {
		t.Fatal(err)
	}
	if err := w.raw.Exec("UPDATE creators SET contact_phone = '13912345679' WHERE account_id = 'jd_cr_rf_e'").Error; err != nil {
		t.Fatal(err)
	}
	res, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String())
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 5 || res.Flagged != 4 {
		t.Fatalf("compute: %d proposals, %d flagged; want 5 and 4", res.Created, res.Flagged)
	}
}
