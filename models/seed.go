package models

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
)

// DemoPassword is the password of every demo login.
const DemoPassword = "demo-password"

// ErrNotEmpty means the demo seed was asked to run on a database with data.
var ErrNotEmpty = errors.New("the database already has users; the demo programme is only loaded into an empty database")

// DemoLogin is one printed demo account.
type DemoLogin struct {
	Email string
	Role  Role
	Note  string
}

var demoAgencies = []string{"Starlight MCN", "Jade River Media", "Pearl Bay Talent", "Great Wall Creators", "Summit Live Studio"}

var demoFamilyNames = []string{"Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin"}
var demoGivenNames = []string{"Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yan", "Tao", "Hui", "Qiang", "Xin", "Ping", "Yun", "Bo", "Jie", "Lan"}
var demoSuffixes = []string{"Reviews", "Live", "Picks", "Lab", "Daily", "Unboxed", "Studio", "Tips"}

// SeedDemo loads the demo programme: five agencies with a manager each, staff
// logins, and about 200 creators across every subject area and state. It
// refuses to touch a database that already has users.
func (s *Store) SeedDemo(ctx context.Context) ([]DemoLogin, error) {
	empty, err := s.IsEmpty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, ErrNotEmpty
	}
	sys := SystemActor()
	logins := []DemoLogin{}
	addUser := func(n NewUser, note string) error {
		n.Password = DemoPassword
		if _, err := s.CreateUser(ctx, sys, n); err != nil {
			return fmt.Errorf("demo user %s: %w", n.Email, err)
		}
		logins = append(logins, DemoLogin{Email: n.Email, Role: n.Role, Note: note})
		return nil
	}
	for _, u := range []struct {
		email, note string
		role        Role
	}{
		{"admin@demo.test", "programme owner", RoleAdmin},
		{"admin2@demo.test", "second admin: approves settings changes", RoleAdmin},
		{"reviewer1@demo.test", "JD reviewer", RoleReviewer},
		{"reviewer2@demo.test", "JD reviewer", RoleReviewer},
	} {
		if err := addUser(NewUser{Email: u.email, Role: u.role}, u.note); err != nil {
			return nil, err
		}
	}
	var agencies []*Agency
	for i, name := range demoAgencies {
		ag, err := s.CreateAgency(ctx, sys, AgencyInput{Name: name, ContactName: "Manager " + name, ContactEmail: fmt.Sprintf("contact%d@demo.test", i+1)})
		if err != nil {
			return nil, err
		}
		agencies = append(agencies, ag)
		if err := addUser(NewUser{Email: fmt.Sprintf("mcn%d@demo.test", i+1), Role: RoleMCNManager, AgencyID: &ag.ID}, "manager of "+name); err != nil {
			return nil, err
		}
	}
	if err := s.seedDemoSettlement(ctx, agencies); err != nil {
		return nil, err
	}
	areas, err := s.SubjectAreas(ctx)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(20261124, 48))
	contentTypes := []ContentType{ContentVideo, ContentLive, ContentBoth}
	const total = 200
	for i := 0; i < total; i++ {
		name := fmt.Sprintf("%s %s %s", demoFamilyNames[rng.IntN(len(demoFamilyNames))], demoGivenNames[rng.IntN(len(demoGivenNames))], demoSuffixes[rng.IntN(len(demoSuffixes))])
		// The first 20 creators cover every subject area; the rest lean towards the big ones.
		primary := i % len(areas)
		if i >= len(areas) {
			primary = min(rng.IntN(len(areas)), rng.IntN(len(areas)))
		}
		subjects := []string{areas[primary].Code}
		if rng.IntN(2) == 0 {
			subjects = append(subjects, areas[(primary+1+rng.IntN(len(areas)-1))%len(areas)].Code)
		}
		e := Enrolment{
			DisplayName: name, AccountID: fmt.Sprintf("jd_cr_%06d", 100000+i), Subjects: subjects,
			ContentType: string(contentTypes[rng.IntN(3)]), Followers: fmt.Sprint(2000 + rng.IntN(2_000_000)),
		}
		if i < 8 {
			e.ContactEmail = fmt.Sprintf("creator%d.contact@demo.test", i+1)
		}
		var agency *uint
		if rng.IntN(20) != 0 { // about one in twenty is independent
			agency = &agencies[rng.IntN(len(agencies))].ID
		}
		res, err := s.EnrolCreator(ctx, sys, agency, e)
		if err != nil {
			return nil, fmt.Errorf("demo creator %d: %w", i, err)
		}
		c := res.Creator
		// Spread the states: most qualified, some pending, some rejected, a few suspended.
		var decisions []Decision
		switch r := rng.IntN(10); {
		case i < 5 || r < 5:
			decisions = []Decision{{Action: ActionQualify}}
		case r < 7:
			// stays pending
		case r < 9:
			decisions = []Decision{{Action: ActionReject, Reason: DefaultReasonCodes[rng.IntN(len(DefaultReasonCodes))].Code, Note: "Demo decision"}}
		default:
			decisions = []Decision{{Action: ActionQualify}, {Action: ActionSuspend, Reason: "content_policy", Note: "Demo suspension"}}
		}
		for _, d := range decisions {
			d.CreatorID = c.ID
			if _, err := s.DecideCreator(ctx, &Actor{Email: "reviewer1@demo.test", Role: RoleReviewer}, d); err != nil {
				return nil, err
			}
		}
		ago := time.Duration(rng.IntN(90*24)) * time.Hour
		if i == 0 {
			// creator1 qualified before the demo's eight weeks, so /me shows an
			// older ended week nobody computed ("not computed") beside the decided ones.
			ago = 2 * (DemoWeeks + 2) * 7 * 24 * time.Hour // qualified ago/2 before now
		}
		if err := backdateDemoCreator(s.db.WithContext(ctx), c.ID, ago); err != nil {
			return nil, err
		}
		if i < 5 {
			cid := c.ID
			if err := addUser(NewUser{Email: fmt.Sprintf("creator%d@demo.test", i+1), Role: RoleCreator, CreatorID: &cid}, "creator "+name); err != nil {
				return nil, err
			}
		}
	}
	if err := s.seedDemoQualifiedEarlier(ctx, s.now()); err != nil { // issue 19: before any week or month counts them
		return nil, err
	}
	// The showcase payees first (some waiting for a reviewer, so batches show
	// holds); everyone else owed money gets verified details as it is owed.
	if err := s.seedDemoPayees(ctx); err != nil {
		return nil, err
	}
	if err := s.seedDemoPacing(ctx, s.now()); err != nil { // issue 17: the period, before any week is computed
		return nil, err
	}
	if err := s.seedDemoWeeks(ctx, rng, s.now()); err != nil {
		return nil, err
	}
	if err := s.seedDemoHistory(ctx); err != nil { // issue 16: refunds and corrected weeks
		return nil, err
	}
	if err := s.seedDemoContent(ctx); err != nil { // content items and shared identities: last week's flags
		return nil, err
	}
	if err := s.seedDemoRisk(ctx); err != nil { // issue 16: flagged proposals of every risk kind
		return nil, err
	}
	if err := s.seedDemoProposal(ctx); err != nil {
		return nil, err
	}
	if err := s.seedDemoInvoices(ctx); err != nil {
		return nil, err
	}
	if err := s.seedDemoAdjustments(ctx); err != nil {
		return nil, err
	}
	if err := s.seedDemoPacedStar(ctx, s.now()); err != nil { // issue 17: creator1 sees the factor on /me
		return nil, err
	}
	if _, err := s.SeedPayees(ctx, sys); err != nil {
		return nil, err
	}
	// The seed backdates qualifications with raw SQL (backdateDemoCreator,
	// the risk demo), which no hook sees: credit the impact figures afresh.
	if err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := rebuildImpactWeeks(tx); err != nil {
			return err
		}
		return rebuildUplift(tx)
	}); err != nil {
		return nil, err
	}
	return logins, nil
}

// DemoWeeks is how many recent weeks of performance the demo has, ending
// last week: the weeks it computes and decides (DemoImpactWeeks older weeks
// come before them).
const DemoWeeks = 8

// seedDemoWeeks records eight weeks of performance for every demo creator,
// decides and pays the older computed weeks, and leaves last week computed
// and waiting for approval.
func (s *Store) seedDemoWeeks(ctx context.Context, rng *rand.Rand, now time.Time) error {
	var creators []Creator
	if err := s.r(ctx).Order("id").Find(&creators).Error; err != nil {
		return err
	}
	last := WeekOf(now).Prev()
	weeks := make([]WeekLabel, DemoWeeks)
	for i := range weeks {
		weeks[DemoWeeks-1-i] = WeekOf(last.Start().AddDate(0, 0, -7*i))
	}
	sys := &Actor{Email: "demo-feed"}
	for _, w := range weeks {
		var rows []PerformanceInput
		for i, c := range creators {
			if rng.IntN(10) == 0 {
				continue // some weeks a creator posts nothing at all
			}
			videos, live := int64(rng.IntN(5)), int64(0)
			if c.ContentType != ContentVideo {
				live = int64(rng.IntN(3))
			}
			if c.ContentType == ContentLive {
				videos = 0
			}
			views := int64(rng.IntN(400_000)) * int64(1+rng.IntN(3))
			gmv := int64(rng.IntN(3_000_000)) * int64(1+rng.IntN(4))
			if i%23 == 0 { // a few stars reach the top tiers, the cap and four eyes
				views, gmv, videos = 12_000_000+int64(rng.IntN(5_000_000)), 100_000_000+int64(rng.IntN(50_000_000)), videos+8
			}
			rows = append(rows, PerformanceInput{AccountID: c.AccountID, Week: w.String(), Videos: fmt.Sprint(videos),
				LiveSessions: fmt.Sprint(live), Views: fmt.Sprint(views), Orders: fmt.Sprint(gmv / 15_000), GMVFen: fmt.Sprint(gmv)})
		}
		if _, probs, err := s.IngestPerformance(ctx, sys, "demo", rows); err != nil || len(probs) > 0 {
			return fmt.Errorf("demo performance %s: %v %v", w, err, probs)
		}
	}
	var rev1, rev2 User
	if err := s.r(ctx).Where("email = ?", "reviewer1@demo.test").First(&rev1).Error; err != nil {
		return err
	}
	if err := s.r(ctx).Where("email = ?", "reviewer2@demo.test").First(&rev2).Error; err != nil {
		return err
	}
	r1, r2 := ActorFor(&rev1, ""), ActorFor(&rev2, "")
	// The four weeks before last: computed and decided; the oldest paid (its
	// holding period of DefaultHoldingDays has ended, as it has for the next,
	// which waits for a batch; the two after are still held).
	for i, w := range weeks[DemoWeeks-5 : DemoWeeks-1] {
		if _, err := s.ComputeWeek(ctx, r1, w.String()); err != nil {
			return err
		}
		ids, err := s.BonusIDs(ctx, r1, BonusFilter{Week: w.String()}, MaxBulk)
		if err != nil {
			return err
		}
		rejected := []uint{ids[len(ids)/3], ids[len(ids)/2]}
		if _, err := s.RejectBonuses(ctx, r1, rejected, "unverified_performance", "Demo: links to the videos were missing"); err != nil {
			return err
		}
		// Reviewer 1 approves everything else; reviewer 2 completes the large ones (four eyes).
		if _, err := s.ApproveBonuses(ctx, r1, ids); err != nil {
			return err
		}
		if _, err := s.ApproveBonuses(ctx, r2, ids); err != nil {
			return err
		}
		if i == 0 {
			if _, err := s.SeedPayees(ctx, SystemActor()); err != nil {
				return err
			}
			batch, _, err := s.CreatePayoutBatch(ctx, r1, PayCreators, ids)
			if err != nil {
				return err
			}
			if _, _, err := s.FreezePayoutBatch(ctx, r1, batch.ID); err != nil {
				return err
			}
			if _, err := s.MarkBatchPaid(ctx, r1, batch.ID); err != nil {
				return err
			}
		}
	}
	if _, err := s.ComputeWeek(ctx, r1, last.String()); err != nil {
		return err
	}
	// issue 19: the older weeks, in the year's totals before the top 100 is published from them.
	if err := s.seedDemoImpact(ctx, now); err != nil {
		return err
	}
	return s.seedDemoMonthly(ctx, r1, r2, creators, now)
}

// seedDemoMonthly computes last month's agency bonuses and approves them,
// features three creators and publishes the top 100 so every page has something to show.
func (s *Store) seedDemoMonthly(ctx context.Context, r1, r2 *Actor, creators []Creator, now time.Time) error {
	lastMonth := MonthOf(now).Prev()
	if _, err := s.ComputeMonth(ctx, r1, lastMonth.String(), now); err != nil {
		return err
	}
	var ids []uint
	if err := s.r(ctx).Model(&MCNBonus{}).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) > 0 {
		if _, err := s.ApproveMCNBonuses(ctx, r1, ids); err != nil {
			return err
		}
		if _, err := s.ApproveMCNBonuses(ctx, r2, ids); err != nil {
			return err
		}
	}
	for _, c := range creators[:3] {
		if err := s.FeatureCreator(ctx, r1, c.ID, day(now), day(now.AddDate(0, 0, 30)), "Demo: featured for the season"); err != nil {
			return err
		}
	}
	_, err := s.PublishTopList(ctx, r1, WeekOf(now).Prev().Year, now)
	return err
}

// seedDemoProposal leaves one settings change waiting for a second admin:
// admin@demo.test proposes paying more per video, which admin2@demo.test can
// approve or reject after looking at its effect on last week.
func (s *Store) seedDemoProposal(ctx context.Context) error {
	var admin User
	if err := s.r(ctx).Where("email = ?", "admin@demo.test").First(&admin).Error; err != nil {
		return err
	}
	rule, _, err := s.CurrentBonusRule(ctx)
	if err != nil {
		return err
	}
	rule.PerVideoFen += 5_000
	_, err = s.ProposeBonusRule(ctx, ActorFor(&admin, ""), rule)
	return err
}

// backdateDemoCreator spreads demo enrolments over the last months so the
// lists and dashboards look like a running programme.
func backdateDemoCreator(db *gorm.DB, id uint, ago time.Duration) error {
	var c Creator
	if err := db.First(&c, id).Error; err != nil {
		return err
	}
	updates := map[string]any{"enrolled_at": c.EnrolledAt.Add(-ago), "state_changed_at": c.StateChangedAt.Add(-ago / 2)}
	if c.QualifiedAt != nil {
		updates["qualified_at"] = c.QualifiedAt.Add(-ago / 2)
	}
	return db.Model(&Creator{}).Where("id = ?", id).Updates(updates).Error
}
