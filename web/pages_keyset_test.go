package web_test

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jd/creator-portal/models"
)

// seedManyCreators adds n creators to agency in groups of five that share
// their enrolment time and follower count, so every page boundary of a list
// sorted by either falls among equal values (only the id tells them apart).
func (a *app) seedManyCreators(prefix string, n int, agency uint) {
	a.t.Helper()
	base := time.Now().UTC().AddDate(0, -1, 0).Truncate(time.Second)
	states := []models.CreatorState{models.StateQualified, models.StateQualified, models.StatePending}
	cs := make([]models.Creator, n)
	for i := range cs {
		ag := agency
		cs[i] = models.Creator{DisplayName: fmt.Sprintf("%s %04d", prefix, i), AccountID: fmt.Sprintf("jd_%s_%04d", strings.ToLower(prefix), i),
			PrimarySubjectID: 1, ContentType: models.ContentBoth, Followers: int64(1000 * (i / 5)), AgencyID: &ag,
			State: states[i%len(states)], EnrolledAt: base.Add(time.Duration(i/5) * time.Minute), StateChangedAt: base}
	}
	if err := a.raw.CreateInBatches(&cs, 200).Error; err != nil {
		a.t.Fatal(err)
	}
}

var rowLink = regexp.MustCompile(`^/(?:creators|bonuses)/(\d+)$`)

// creatorPage is the ids of a list page's rows (creators or bonuses) and its
// next and previous links.
func creatorPage(t *testing.T, c *client, path string) (ids []string, next, prev string) {
	t.Helper()
	res := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", path, res.StatusCode)
	}
	d := res.doc(t)
	d.Find(`[data-testid=creator-row] a, [data-testid=bonus-row] a`).Each(func(_ int, s *goquery.Selection) {
		if m := rowLink.FindStringSubmatch(s.AttrOr("href", "")); m != nil {
			ids = append(ids, m[1])
		}
	})
	next = d.Find(`[data-testid=pager] a[rel=next]`).AttrOr("href", "")
	prev = d.Find(`[data-testid=pager] a[rel=prev]`).AttrOr("href", "")
	return ids, next, prev
}

// walk follows the rel link (next or prev) from start to the end of the
// list, checking each link after the first page seeks by cursor and keeps the
// filter, and returns every row's id in the order the pages showed them.
func walk(t *testing.T, c *client, start, rel string, keep ...string) []string {
	t.Helper()
	var all []string
	path := start
	for pages := 0; path != ""; pages++ {
		if pages > 50 {
			t.Fatal("no end to the pages")
		}
		ids, next, prev := creatorPage(t, c, path)
		if rel == "prev" {
			all = append(ids, all...)
			path = prev
		} else {
			all = append(all, ids...)
			path = next
		}
		if path == "" {
			break
		}
		u, err := url.Parse(path)
		if err != nil {
			t.Fatal(err)
		}
		cursor := map[string]string{"next": "after", "prev": "before"}[rel]
		if u.Query().Get(cursor) == "" && u.Query().Get("page") != "1" {
			t.Fatalf("%s link %q reads by page number, not from a cursor", rel, path)
		}
		for _, k := range keep {
			if !strings.Contains(path, k) {
				t.Fatalf("%s link %q lost %q", rel, path, k)
			}
		}
	}
	return all
}

// expectedIDs is what the database lists for a WHERE and ORDER BY.
func (a *app) expectedIDs(where, order string, args ...any) []string {
	a.t.Helper()
	return a.expectedRows("creators", where, order, args...)
}

func (a *app) expectedRows(table, where, order string, args ...any) []string {
	a.t.Helper()
	var ids []uint
	if err := a.raw.Table(table).Where(where, args...).Order(order).Pluck("id", &ids).Error; err != nil {
		a.t.Fatal(err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = itoa(id)
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("%s: row %s shown twice", what, id)
		}
		seen[id] = true
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: pages showed %d rows %v\nwant %d rows %v", what, len(got), got, len(want), want)
	}
}

// TestCreatorsNextLinksSeekWithoutGapsOrRepeats follows "next" and "previous"
// across the creators list: every row once, in order, ties broken by id, the
// filter kept, an MCN manager's pages only their agency's.
func TestCreatorsNextLinksSeekWithoutGapsOrRepeats(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.seedManyCreators("Seek", 137, a.agencyA.ID)
	a.seedManyCreators("Other", 44, a.agencyB.ID)
	rev := a.login("reviewer")

	t.Run("newest first, next from page 1", func(t *testing.T) {
		sameIDs(t, "next", walk(t, rev, "/creators", "next"), a.expectedIDs("1 = 1", "enrolled_at DESC, id DESC"))
	})
	t.Run("previous from the last page", func(t *testing.T) {
		sameIDs(t, "prev", walk(t, rev, "/creators?page=4", "prev"), a.expectedIDs("1 = 1", "enrolled_at DESC, id DESC"))
	})
	t.Run("a filter and a sort with equal values survive", func(t *testing.T) {
		got := walk(t, rev, "/creators?state=qualified&sort=followers&dir=asc", "next", "state=qualified", "sort=followers", "dir=asc")
		sameIDs(t, "qualified by followers", got, a.expectedIDs("state = ?", "followers ASC, id ASC", models.StateQualified))
	})
	t.Run("by name, descending, and back", func(t *testing.T) {
		want := a.expectedIDs("1 = 1", "display_name DESC, id DESC")
		sameIDs(t, "next", walk(t, rev, "/creators?sort=name&dir=desc", "next", "sort=name"), want)
		sameIDs(t, "prev", walk(t, rev, "/creators?sort=name&dir=desc&page=4", "prev", "sort=name"), want)
	})
	t.Run("an MCN manager's pages hold only their agency, even from staff's cursor", func(t *testing.T) {
		mcn := a.login("mcnA")
		sameIDs(t, "agency A", walk(t, mcn, "/creators", "next"), a.expectedIDs("agency_id = ?", "enrolled_at DESC, id DESC", a.agencyA.ID))
		// A cursor taken from the staff list at an agency B creator.
		_, next, _ := creatorPage(t, rev, "/creators?agency="+itoa(a.agencyB.ID))
		u, _ := url.Parse(next)
		ids, _, _ := creatorPage(t, mcn, "/creators?page=2&after="+url.QueryEscape(u.Query().Get("after")))
		agencyA := a.expectedIDs("agency_id = ?", "id", a.agencyA.ID)
		for _, id := range ids {
			if !slices.Contains(agencyA, id) {
				t.Fatalf("manager of agency A shown creator %s of another agency", id)
			}
		}
	})
}

// TestBadPageCursorIsAClearRefusal: an edited cursor, or one from another
// sort of the list, is a 400 saying the link is not valid, never a 500.
func TestBadPageCursorIsAClearRefusal(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.seedManyCreators("Seek", 60, a.agencyA.ID)
	rev := a.login("reviewer")
	_, byFollowers, _ := creatorPage(t, rev, "/creators?sort=followers")
	u, _ := url.Parse(byFollowers)
	foreign := u.Query().Get("after")
	for name, path := range map[string]string{
		"junk":             "/creators?page=2&after=not-a-cursor",
		"junk, previous":   "/creators?page=2&before=%25%25",
		"another sort":     "/creators?page=2&after=" + url.QueryEscape(foreign),
		"queue":            "/bonuses?page=2&after=eyJzIjoiIn0",
		"audit log":        "/audit?page=2&after=x",
		"audit, cut short": "/audit?page=2&before=" + url.QueryEscape(foreign[:len(foreign)/2]),
		// Well-formed, but values no database takes as an argument (a 500 before).
		"id beyond bigint": "/creators?page=2&after=" + url.QueryEscape(models.Cursor{Sort: "enrolled_at:d", Values: []string{"2026-11-24T09:30:00+08:00"}, ID: math.MaxUint64}.Encode()),
		"NUL in a name":    "/creators?sort=name&page=2&after=" + url.QueryEscape(models.Cursor{Sort: "display_name:a", Values: []string{"Seek\x00"}, ID: 1}.Encode()),
	} {
		t.Run(name, func(t *testing.T) {
			res := rev.get(path)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.body, "This page link is not valid") {
				t.Fatalf("%s: %d %s", path, res.StatusCode, res.body)
			}
		})
	}
}

// TestQueueNextLinksSeekWithoutGapsOrRepeats walks a week's bonus queue, the
// reviewers' long list, by its next and previous links, in the default order
// (largest amount first) with many equal amounts, and oldest first.
func TestQueueNextLinksSeekWithoutGapsOrRepeats(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.seedManyCreators("Queue", 131, a.agencyA.ID)
	var cs []models.Creator
	if err := a.raw.Where("account_id LIKE ?", "jd_queue_%").Order("id").Find(&cs).Error; err != nil {
		t.Fatal(err)
	}
	week := lastWeek.Prev().String() // a week of its own: the harness's bonus is in lastWeek
	proposed := time.Now().UTC().Truncate(time.Second)
	bs := make([]models.Bonus, len(cs))
	for i, c := range cs {
		bs[i] = models.Bonus{CreatorID: c.ID, Week: week, AgencyID: c.AgencyID, SubjectID: 1 + uint(i%2), State: models.BonusProposed,
			AmountFen: int64(100_000 * (i / 5 % 7)), GMVFen: int64(i), RuleVersion: 1, Breakdown: "{}", ProposedAt: proposed.Add(time.Duration(i/4) * time.Second)}
	}
	if err := a.raw.CreateInBatches(&bs, 200).Error; err != nil {
		t.Fatal(err)
	}
	rev := a.login("reviewer")
	q := "/bonuses?week=" + week
	byAmount := a.expectedRows("bonuses", "week = ?", "amount_fen DESC, id DESC", week)
	sameIDs(t, "by amount", walk(t, rev, q, "next", "week="+week), byAmount)
	sameIDs(t, "by amount, back", walk(t, rev, q+"&page=3", "prev", "week="+week), byAmount)
	sameIDs(t, "one subject", walk(t, rev, q+"&subject=2", "next", "subject=2"),
		a.expectedRows("bonuses", "week = ? AND subject_id = ?", "amount_fen DESC, id DESC", week, 2))
	sameIDs(t, "oldest first", walk(t, rev, q+"&sort=oldest", "next", "sort=oldest"),
		a.expectedRows("bonuses", "week = ?", "proposed_at ASC, id ASC", week))
	sameIDs(t, "agency B's manager sees none", walk(t, a.login("mcnB"), q, "next"), nil)
}
