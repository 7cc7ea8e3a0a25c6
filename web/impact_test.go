package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// impactApp is the small test programme with a few weeks reported: Alice
// (electronics, agency A), Bob (fashion, agency B) and Carol (skincare,
// agency A, qualified, with an approved bonus for last week).
func impactApp(t *testing.T) (*app, url.Values) {
	t.Helper()
	a := newApp(t)
	w2 := lastWeek.Prev()
	a.perf(w2, "jd_cr_alice1", 2, 0, 200, 80_000)
	a.perf(lastWeek, "jd_cr_alice1", 4, 0, 300, 120_000)
	a.perf(lastWeek, "jd_cr_bob001", 0, 2, 100, 50_000)
	a.perf(w2, "jd_cr_carol1", 1, 1, 50, 10_000)
	a.store.ForgetCaches()
	return a, url.Values{"from": {w2.Prev().String()}, "to": {lastWeek.String()}}
}

// subjectID is a default subject area's ID.
func (a *app) subjectID(code string) uint {
	a.t.Helper()
	areas, err := a.store.SubjectAreas(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, s := range areas {
		if s.Code == code {
			return s.ID
		}
	}
	a.t.Fatalf("no subject area %s", code)
	return 0
}

// impactOf is the models' report for a filter, as who.
func (a *app) impactOf(who string, q url.Values) *models.ImpactReport {
	a.t.Helper()
	f := models.ImpactFilter{From: q.Get("from"), To: q.Get("to")}
	if id := q.Get("subject"); id != "" {
		f.SubjectID = a.idOf(id)
	}
	if id := q.Get("agency"); id != "" {
		f.AgencyID = a.idOf(id)
	}
	rep, err := a.store.Impact(ctx, a.actor(who), f)
	if err != nil {
		a.t.Fatal(err)
	}
	return rep
}

// idOf reads an ID from a query value.
func (a *app) idOf(s string) uint {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		a.t.Fatalf("not an id: %s", s)
	}
	return uint(n)
}

func cellsOf(s *goquery.Selection) []string {
	var out []string
	s.Find("td").Each(func(_ int, td *goquery.Selection) { out = append(out, strings.TrimSpace(td.Text())) })
	return out
}

// wantTotals is the page's total row as it must read for figures f:
// videos, live, views, orders, refunds, net GMV, bonus, then the ratios.
func wantTotals(f models.ImpactFigures) []string {
	ratio := func(n int64, ok bool, fmt func(int64) string) string {
		if !ok {
			return "–"
		}
		return fmt(n)
	}
	pv, okV := f.BonusPerVideoFen()
	pk, okK := f.BonusPerThousandFen()
	ps, okS := f.PostedShare()
	return []string{views.Count(f.Videos), views.Count(f.LiveSessions), views.Count(f.Views), views.Count(f.Orders),
		models.FormatYuan(f.RefundedGMVFen), models.FormatYuan(f.NetGMVFen()), models.FormatYuan(f.BonusFen),
		ratio(pv, okV, models.FormatYuan), ratio(pk, okK, models.FormatYuan),
		ratio(ps, okS, func(n int64) string { return itoa(uint(n/10)) + "." + itoa(uint(n%10)) + "%" })}
}

// The page's totals are the models' figures for the same filter, and a
// subject area narrows them: fewer rows count, the breakdown by subject goes.
func TestImpactPageShowsTheModelsFiguresAndFiltersBySubject(t *testing.T) {
	t.Parallel()
	a, q := impactApp(t)
	rev := a.login("reviewer")
	all := a.impactOf("reviewer", q)
	if all.Total.Videos != 10 || all.Total.LiveSessions != 3 {
		t.Fatalf("the models' figures: %+v (want 10 videos, 3 live sessions)", all.Total)
	}
	res := rev.get("/impact?" + q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := res.doc(t)
	if got, want := cellsOf(doc.Find(`[data-testid="impact-weeks-total"]`)), wantTotals(all.Total); !slices.Equal(got, want) {
		t.Errorf("total row %q, want %q", got, want)
	}
	// Three weeks asked for; the first had no figures and is left out, and said so.
	if got := doc.Find(`[data-testid="impact-weeks-row"]`).Length(); len(all.Weeks) != 3 || got != 2 || doc.Find(`[data-testid="impact-trimmed"]`).Length() != 1 {
		t.Errorf("%d weekly rows of %d weeks, want the 2 with figures and a note", got, len(all.Weeks))
	}
	if doc.Find(`[data-testid="impact-subjects-row"]`).Length() != 3 {
		t.Errorf("want a row for each of the 3 subject areas with figures")
	}
	if doc.Find(`[data-testid="chart-impact-content"] svg`).Length() != 1 || doc.Find(`[data-testid="uplift-caveat"]`).Length() != 1 {
		t.Errorf("the content chart and the uplift caveat belong on the page")
	}
	if got := doc.Find(`[data-testid="impact-videos"]`).Text(); got != "10" {
		t.Errorf("videos card %q", got)
	}
	// The form keeps what was chosen.
	if got := doc.Find(`#from option[selected]`).AttrOr("value", ""); got != q.Get("from") {
		t.Errorf("first week kept as %q, want %q", got, q.Get("from"))
	}

	q.Set("subject", itoa(a.subjectID("electronics")))
	one := a.impactOf("reviewer", q)
	if one.Total.Videos != 6 || one.Total.LiveSessions != 0 {
		t.Fatalf("electronics alone: %+v", one.Total)
	}
	doc = rev.get("/impact?" + q.Encode()).doc(t)
	if got, want := cellsOf(doc.Find(`[data-testid="impact-weeks-total"]`)), wantTotals(one.Total); !slices.Equal(got, want) {
		t.Errorf("electronics total row %q, want %q", got, want)
	}
	if doc.Find(`[data-testid="impact-subjects"]`).Length() != 0 {
		t.Error("a chosen subject area shows no breakdown by subject area")
	}
	if got := doc.Find(`#subject option[selected]`).AttrOr("value", ""); got != q.Get("subject") {
		t.Errorf("subject kept as %q", got)
	}
}

// The downloads carry the page's figures: the same total row, amounts in
// yuan, headers in the reader's language, a file name with the range.
func TestImpactDownloadsMatchThePage(t *testing.T) {
	t.Parallel()
	a, q := impactApp(t)
	rev := a.login("reviewer")
	rep := a.impactOf("reviewer", q)
	if rep.Total.Videos == 0 {
		t.Fatal("no figures to download")
	}
	res := rev.get("/impact.csv?" + q.Encode())
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "impact-"+q.Get("from")+"-"+q.Get("to")+".csv") {
		t.Fatalf("status %d, disposition %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(header []string, name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, header)
		}
		return i
	}
	head, total := recs[0], recs[len(recs)-1]
	if len(recs) != 4 || recs[1][0] != lastWeek.Prev().String() || total[0] != "Total" {
		t.Fatalf("want a header, the 2 weeks with figures (as on the page) and a total: %q", recs)
	}
	// Money in CSV is whole fen, as everywhere in the portal's CSV.
	if total[col(head, "Videos")] != "10" || total[col(head, "Net GMV (fen)")] != strconv.FormatInt(rep.Total.NetGMVFen(), 10) ||
		total[col(head, "Bonus approved (fen)")] != strconv.FormatInt(rep.Total.BonusFen, 10) {
		t.Errorf("CSV total %q", total)
	}
	zh := rev.chinese("/impact.csv?" + q.Encode())
	if !strings.HasPrefix(strings.TrimPrefix(zh.body, "\ufeff"), "周,上报人次,视频数") {
		t.Errorf("Chinese CSV header: %q", strings.SplitN(zh.body, "\n", 2)[0])
	}

	x := rev.get("/impact.xlsx?" + q.Encode())
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	xh, xt := rows[0], rows[len(rows)-1]
	inYuan := make([]string, len(head)) // the same columns; the spreadsheet's money in yuan
	for i, h := range head {
		inYuan[i] = strings.ReplaceAll(h, "(fen)", "(¥)")
	}
	if !slices.Equal(xh, inYuan) || xt[0] != "Total" || xt[col(xh, "Videos")] != "10" {
		t.Errorf("xlsx header %q total %q", xh, xt)
	}
	if got, want := xt[col(xh, "Net GMV (¥)")], strings.TrimRight(strings.TrimRight(models.YuanDecimal(rep.Total.NetGMVFen()), "0"), "."); got != want {
		t.Errorf("xlsx net GMV %q, want %q (yuan, a number)", got, want)
	}
}

// The league lists every agency, sorts both ways and pages by 50; its
// downloads hold every agency, not one page.
func TestImpactLeagueSortsPagesAndDownloadsAll(t *testing.T) {
	t.Parallel()
	a, q := impactApp(t)
	for i := range 55 {
		if _, err := a.store.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Zeta " + itoa(uint(100+i))}); err != nil {
			t.Fatal(err)
		}
	}
	rev := a.login("reviewer")
	names := func(path string) []string {
		var out []string
		rev.get(path).doc(t).Find(`[data-testid="league-agency"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	q.Set("sort", "name")
	q.Set("dir", "asc")
	asc := names("/impact/agencies?" + q.Encode())
	if len(asc) != 50 || asc[0] != "Agency A" || asc[1] != "Agency B" {
		t.Fatalf("by name A–Z, page 1: %q", asc)
	}
	q.Set("page", "2")
	if p2 := names("/impact/agencies?" + q.Encode()); len(p2) != 7 || p2[6] != "Zeta 154" {
		t.Errorf("page 2: %q", p2)
	}
	q.Del("page")
	q.Set("dir", "desc")
	if desc := names("/impact/agencies?" + q.Encode()); len(desc) != 50 || desc[0] != "Zeta 154" {
		t.Errorf("by name Z–A: %q", desc)
	}
	q.Set("sort", "videos")
	if byVideos := names("/impact/agencies?" + q.Encode()); len(byVideos) == 0 || byVideos[0] != "Agency A" {
		t.Errorf("most videos first: %q", byVideos)
	}
	res := rev.get("/impact/agencies.csv?" + q.Encode())
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 58 || recs[1][0] != "Agency A" || recs[1][slices.Index(recs[0], "Videos")] != "10" {
		t.Fatalf("league CSV: %d lines %v; first %q", len(recs), err, recs[min(1, len(recs)-1)])
	}
	x := rev.get("/impact/agencies.xlsx?" + q.Encode())
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, _ := f.GetRows("Sheet1"); len(rows) != 58 {
		t.Errorf("league XLSX: %d rows, want 58", len(rows))
	}
}

// A manager sees their own agency's figures and nothing of another's;
// asking for another agency, or the league, answers 404; creators get 404.
func TestImpactIsTenantScoped(t *testing.T) {
	t.Parallel()
	a, q := impactApp(t)
	mgr := a.login("mcnA")
	own := a.impactOf("mcnA", q)
	if own.Total.Videos != 10 || own.Total.LiveSessions != 1 {
		t.Fatalf("agency A's figures: %+v", own.Total)
	}
	res := mgr.get("/impact?" + q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := res.doc(t)
	if got, want := cellsOf(doc.Find(`[data-testid="impact-weeks-total"]`)), wantTotals(own.Total); !slices.Equal(got, want) {
		t.Errorf("manager's total row %q, want %q", got, want)
	}
	if strings.Contains(res.body, "Agency B") || strings.Contains(res.body, "Bob Live") || doc.Find(`#agency`).Length() != 0 {
		t.Error("a manager's impact page shows another agency or offers an agency filter")
	}
	if doc.Find(`[data-testid="agency-line"]`).Length() != 1 || !strings.Contains(doc.Find(`[data-testid="agency-line"] h2`).Text(), "Agency A") {
		t.Error("the manager's own league line is missing")
	}
	if doc.Find(`[data-testid="impact-league-link"]`).Length() != 0 {
		t.Error("a manager is offered the league")
	}
	csvRes := mgr.get("/impact.csv?" + q.Encode())
	recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.body, "\ufeff"))).ReadAll()
	if len(recs) < 2 || recs[len(recs)-1][slices.Index(recs[0], "Videos")] != "10" {
		t.Errorf("manager's CSV: %q", recs)
	}
	other := url.Values{"agency": {itoa(a.agencyB.ID)}}
	for _, path := range []string{"/impact?" + other.Encode(), "/impact.csv?" + other.Encode(), "/impact.xlsx?" + other.Encode(), "/impact/agencies", "/impact/agencies.csv"} {
		if res := mgr.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("manager GET %s: status %d, want 404", path, res.StatusCode)
		}
	}
	cr := a.login("creator")
	for _, path := range []string{"/impact", "/impact.csv", "/impact/agencies"} {
		if res := cr.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("creator GET %s: status %d, want 404", path, res.StatusCode)
		}
	}
}

// Bad filters come back on the page with the field named; a typed agency
// name filters by the one agency it matches, or asks which of several.
func TestImpactFilterErrorsNameTheField(t *testing.T) {
	t.Parallel()
	a, q := impactApp(t)
	rev := a.login("reviewer")
	res := rev.get("/impact?from=2026-W99")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad week: status %d", res.StatusCode)
	}
	if got := res.doc(t).Find(`[data-testid="error-from"]`).Text(); !strings.Contains(got, "2026-W99") {
		t.Errorf("the first week's error %q", got)
	}
	res = rev.get("/impact?" + url.Values{"from": {q.Get("to")}, "to": {q.Get("from")}}.Encode())
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-testid="error-to"]`).Length() != 1 {
		t.Errorf("a range ending before it starts: status %d", res.StatusCode)
	}
	if res := rev.get("/impact.csv?from=2026-W99"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a download with a bad week goes back to the page: status %d", res.StatusCode)
	}
	res = rev.get("/impact?" + url.Values{"agency": {"Agency"}}.Encode())
	doc := res.doc(t)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="error-agency"]`).Length() != 1 || doc.Find(`[data-testid="agency-matches"] a`).Length() != 2 {
		t.Errorf("a name matching two agencies: status %d", res.StatusCode)
	}
	q.Set("agency", "agency b")
	doc = rev.get("/impact?" + q.Encode()).doc(t)
	b := a.impactOf("reviewer", url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}, "agency": {itoa(a.agencyB.ID)}})
	if got, want := cellsOf(doc.Find(`[data-testid="impact-weeks-total"]`)), wantTotals(b.Total); !slices.Equal(got, want) || b.Total.LiveSessions != 2 {
		t.Errorf("agency B by name: %q, want %q", got, want)
	}
}

// A creator's page sets their last weeks against their subject area's median.
func TestMeShowsWeeksAgainstTheSubjectMedian(t *testing.T) {
	t.Parallel()
	a, _ := impactApp(t)
	weeks, err := a.store.CreatorAgainstSubject(ctx, a.actor("creator"), a.creatorA.ID, 8)
	if err != nil || len(weeks) != 8 {
		t.Fatalf("the models' weeks: %d %v", len(weeks), err)
	}
	doc := a.login("creator").get("/me").doc(t)
	rows := doc.Find(`[data-testid="against-row"]`)
	if rows.Length() != 8 {
		t.Fatalf("%d weeks against the median, want 8", rows.Length())
	}
	last := weeks[len(weeks)-1]
	// Alice is the only creator of her subject area who reported: the median
	// would be her own week here, and another creator's with two.
	if got := cellsOf(rows.Last())[0]; got != views.Count(last.Videos)+" / –" || last.Videos != 4 || !last.MedianWithheld {
		t.Errorf("last week's videos %q (models: %+v)", got, last)
	}
	if doc.Find(`[data-testid="against-withheld"]`).Length() != 1 {
		t.Error("no word on why the median is not shown")
	}
}
