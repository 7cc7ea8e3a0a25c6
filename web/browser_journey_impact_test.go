package web_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// A Chinese reviewer opens the impact page, narrows it to one subject area,
// sees that area's figures and downloads them; an MCN manager opens the same
// page and sees only their own agency's figures.
func TestBrowserJourneyImpact(t *testing.T) {
	a := newDemoApp(t)
	ctx := browser(t)
	loc := i18n.For(i18n.ZH)
	base := a.ts.URL
	rev := a.demoActor("reviewer1@demo.test")

	signInAs(t, ctx, base, loc, "reviewer1@demo.test", models.DemoPassword)
	goTo(t, ctx, base, "/impact")
	shoot(t, ctx, "journey-impact-zh-CN")
	from, err := chromedp.Run(ctx, chromedp.Value(`#from`))
	if err != nil {
		t.Fatal(err)
	}
	to, err := chromedp.Run(ctx, chromedp.Value(`#to`))
	if err != nil {
		t.Fatal(err)
	}
	all, err := a.store.Impact(ctx, rev, models.ImpactFilter{From: from, To: to})
	if err != nil || len(all.Subjects) < 2 {
		t.Fatalf("the demo's figures by subject area: %v %+v", err, all)
	}
	subject := all.Subjects[1] // not the largest: the filter must change the figures
	do(t, ctx, chromedp.SetValue(`#subject`, itoa(subject.SubjectID)))
	load(t, ctx, `form.filters button[type=submit]`)
	one, err := a.store.Impact(ctx, rev, models.ImpactFilter{From: from, To: to, SubjectID: subject.SubjectID})
	if err != nil || one.Total.Videos == 0 || one.Total.Videos == all.Total.Videos {
		t.Fatalf("one subject area's figures: %v %+v (all: %d videos)", err, one.Total, all.Total.Videos)
	}
	if got := text(t, ctx, `[data-testid="impact-scope"]`); !strings.Contains(got, loc.T("subject_"+subject.Code)) {
		t.Errorf("the scope %q does not name %s", got, loc.T("subject_"+subject.Code))
	}
	if got := text(t, ctx, `[data-testid="impact-videos"]`); got != views.Count(one.Total.Videos) {
		t.Errorf("videos %q, want %s", got, views.Count(one.Total.Videos))
	}
	shoot(t, ctx, "journey-impact-subject-zh-CN")
	rows := utf8CSV(t, "impact.csv", fetchDownload(t, ctx, `[data-testid="impact-csv"]`))
	head, total := rows[0], rows[len(rows)-1]
	videos, net := slices.Index(head, "视频数"), slices.Index(head, "净 GMV（分）")
	if head[0] != "周" || videos < 0 || net < 0 || total[0] != "合计" {
		t.Fatalf("the CSV's header %q, total %q", head, total)
	}
	if total[videos] != strconv.FormatInt(one.Total.Videos, 10) || total[net] != strconv.FormatInt(one.Total.NetGMVFen(), 10) || len(rows) < 3 {
		t.Errorf("the CSV's total %q, want %d videos and %d fen of net GMV", total, one.Total.Videos, one.Total.NetGMVFen())
	}
	signOut(t, ctx)

	mgr := a.demoActor("mcn1@demo.test")
	own, err := a.store.GetAgency(ctx, mgr, *mgr.AgencyID)
	if err != nil {
		t.Fatal(err)
	}
	league, _, err := a.store.AgencyLeague(ctx, rev, models.ImpactFilter{From: from, To: to}, "name", false, models.NewPage(1, 50))
	if err != nil || len(league) < 2 {
		t.Fatalf("the league: %v %d", err, len(league))
	}
	signInAs(t, ctx, base, loc, "mcn1@demo.test", models.DemoPassword)
	goTo(t, ctx, base, "/impact")
	shoot(t, ctx, "journey-impact-manager-zh-CN")
	if got := text(t, ctx, `[data-testid="agency-line"] h2`); !strings.Contains(got, own.Name) {
		t.Errorf("the manager's agency line %q does not name %s", got, own.Name)
	}
	body := text(t, ctx, `main`)
	for _, r := range league {
		if r.AgencyID != own.ID && strings.Contains(body, r.Name) {
			t.Errorf("the manager sees another agency: %s", r.Name)
		}
	}
	mine, err := a.store.Impact(ctx, mgr, models.ImpactFilter{From: from, To: to})
	if err != nil || mine.Total.Videos == 0 || mine.Total.Videos == all.Total.Videos {
		t.Fatalf("the agency's figures: %v %+v", err, mine.Total)
	}
	if got := text(t, ctx, `[data-testid="impact-videos"]`); got != views.Count(mine.Total.Videos) {
		t.Errorf("the manager's videos %q, want %s", got, views.Count(mine.Total.Videos))
	}
}

// demoActor is a demo user as the models see them.
func (a *app) demoActor(email string) *models.Actor {
	a.t.Helper()
	var u models.User
	if err := a.raw.Where("email = ?", email).First(&u).Error; err != nil {
		a.t.Fatal(err)
	}
	return models.ActorFor(&u, "127.0.0.1")
}
