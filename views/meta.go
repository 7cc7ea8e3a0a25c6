// Package views holds the templ components. Components take the small view
// structs declared here, never database rows.
package views

import (
	"context"

	"github.com/jd/creator-portal/views/i18n"
	"net/url"
	"strconv"
)

// PageMeta is what the layout needs on every page, built once per request.
type PageMeta struct {
	Title  string
	User   *UserView // nil when signed out
	CSRF   string
	Flash  []Flash
	Active string    // the nav item to highlight
	Nav    []NavItem // the main navigation of the signed-in user's role (web derives it from the route table)
	Unread int64     // unread notifications
	Lang   string    // the page's language (BCP 47)
	Path   string    // this page's path and query, where the language switch comes back to
}

// UserView is the signed-in user as the header shows them.
type UserView struct {
	Email     string
	Role      string
	RoleLabel string
	Agency    string
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "success", "error" or "info"
	Message string
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Key   string
	Label string // a message ID (views/i18n)
	Href  string
}

// Audience is whom a navigation link is meant for. Who may follow it is not
// written here: web shows a link to a role only when the route table lets
// that role GET its path, so no role ever sees a link it cannot use.
type Audience int

// Audiences of navigation links.
const (
	ForAll    Audience = iota // everyone the route table lets in
	ForStaff                  // JD staff: work queues over every agency
	ForTenant                 // an agency's manager or a creator: their own records
)

// NavLink is a link the main navigation may show.
type NavLink struct {
	NavItem
	For Audience
	// Replaces is the key of a link this one stands in for where both would
	// show: a creator's dashboard is /me (GET /dashboard sends them there).
	Replaces string
}

// NavLinks is the main navigation, in order, before the route table picks
// each role's links (web.navFor).
var NavLinks = []NavLink{
	{NavItem{"dashboard", "nav_dashboard", "/dashboard"}, ForAll, ""},
	{NavItem{"me", "nav_my_status", "/me"}, ForAll, "dashboard"},
	{NavItem{"creators", "nav_creators", "/creators"}, ForStaff, ""},
	{NavItem{"creators", "nav_our_creators", "/creators"}, ForTenant, ""},
	{NavItem{"review", "nav_review_queue", "/creators?state=pending&sort=enrolled&dir=asc"}, ForStaff, ""},
	{NavItem{"enrol", "nav_enrol", "/creators/new"}, ForTenant, ""},
	{NavItem{"import", "nav_import", "/creators/import"}, ForTenant, ""},
	{NavItem{"bonuses", "nav_bonuses", "/bonuses?state=proposed"}, ForStaff, ""},
	{NavItem{"bonuses", "nav_weekly_bonuses", "/bonuses"}, ForTenant, ""},
	{NavItem{"mcn", "nav_mcn_bonuses", "/mcn-bonuses"}, ForAll, ""},
	{NavItem{"payouts", "nav_payouts", "/payouts"}, ForAll, ""},
	{NavItem{"invoices", "nav_invoices", "/invoices"}, ForAll, ""},
	{NavItem{"payees", "nav_payees", "/payees"}, ForStaff, ""},
	{NavItem{"payee", "payee_title", "/me/payee"}, ForTenant, ""},
	{NavItem{"payee", "payee_title", "/agency/payee"}, ForTenant, ""},
	{NavItem{"leaderboard", "nav_leaderboard", "/leaderboard"}, ForAll, ""},
	{NavItem{"impact", "nav_impact", "/impact"}, ForAll, ""},
	{NavItem{"performance", "nav_performance", "/performance/import"}, ForAll, ""},
	{NavItem{"agencies", "nav_agencies", "/agencies"}, ForAll, ""},
	{NavItem{"audit", "nav_audit", "/audit"}, ForAll, ""},
	{NavItem{"settings", "nav_settings", "/settings/bonus-rule"}, ForAll, ""},
}

// FieldErrors maps a form field to its error message, already in the page's language.
type FieldErrors map[string]string

// Option is one choice of a select or checkbox group.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// AgencyFilter is the agency filter of a staff list. Thousands of agencies in
// a select would outweigh the rest of the page, so past a few dozen it is a
// text box (Options nil, Typed its value).
type AgencyFilter struct {
	Options []Option
	Typed   string
}

// Pager describes a paged list: where we are and how to link elsewhere.
type Pager struct {
	Page    int
	Size    int
	Total   int64
	BaseURL string     // path without query
	Query   url.Values // the current filter, without "page", "after" and "before"
	// Before and After are the cursors of the page's first and last rows, for
	// lists read by keyset: the previous and next links seek from them instead
	// of skipping rows (models/keyset.go). Empty: those links use page numbers.
	Before, After string
}

// Pages is the number of pages.
func (p Pager) Pages() int {
	if p.Size <= 0 {
		return 1
	}
	n := int((p.Total + int64(p.Size) - 1) / int64(p.Size))
	if n < 1 {
		n = 1
	}
	return n
}

// URL links to page n with the same filter.
func (p Pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return p.BaseURL + "?" + q.Encode()
}

// NextURL links to the page after this one: by cursor when the list has one.
func (p Pager) NextURL() string {
	if p.After == "" {
		return p.URL(p.Page + 1)
	}
	return p.cursorURL(p.Page+1, "after", p.After)
}

// PrevURL links to the page before this one: by cursor when the list has
// one, except to the first page, which is read from the start.
func (p Pager) PrevURL() string {
	if p.Before == "" || p.Page <= 2 {
		return p.URL(p.Page - 1)
	}
	return p.cursorURL(p.Page-1, "before", p.Before)
}

func (p Pager) cursorURL(n int, key, cursor string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	q.Set(key, cursor)
	return p.BaseURL + "?" + q.Encode()
}

// Range describes which rows are shown, such as "51–100 of 230".
func (p Pager) Range(ctx context.Context) string {
	if p.Total == 0 {
		return i18n.T(ctx, "pager_none")
	}
	first := int64((p.Page-1)*p.Size + 1)
	last := first + int64(p.Size) - 1
	if last > p.Total {
		last = p.Total
	}
	return i18n.T(ctx, "pager_range", "First", Count(first), "Last", Count(last), "Total", Count(p.Total))
}

// SortLink is a column header link that sorts by key, flipping direction when already sorted by it.
type SortLink struct {
	Label   string
	Key     string
	Current string
	Desc    bool
	BaseURL string
	Query   url.Values
}

// URL links to the list sorted by this column.
func (s SortLink) URL() string {
	q := url.Values{}
	for k, v := range s.Query {
		q[k] = v
	}
	q.Del("page")
	q.Del("after") // a cursor belongs to the order it was made in
	q.Del("before")
	q.Set("sort", s.Key)
	if s.Current == s.Key && !s.Desc {
		q.Set("dir", "desc")
	} else {
		q.Set("dir", "asc")
	}
	return s.BaseURL + "?" + q.Encode()
}

// Arrow shows the current sort direction on the sorted column.
func (s SortLink) Arrow() string {
	if s.Current != s.Key {
		return ""
	}
	if s.Desc {
		return " ↓"
	}
	return " ↑"
}

// Count formats an integer with thousands separators.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// State labels. The lists of states are the models' (models.CreatorStates,
// BonusStates, BatchStates); a state's label is the catalogue message named
// by a prefix and the state, and a test (views/state_labels_test.go) fails
// when a state of those lists has no label in every language.

// StateLabel is the human label of a creator state ("state_<state>").
func StateLabel(ctx context.Context, state string) string {
	return i18n.From(ctx).Label("state_", state)
}

// BonusStateLabel is the human label of a weekly bonus state ("bonus_<state>").
func BonusStateLabel(ctx context.Context, state string) string {
	return i18n.From(ctx).Label("bonus_", state)
}

// BatchStateLabel is the human label of a payout batch state ("batch_<state>").
func BatchStateLabel(ctx context.Context, state string) string {
	return i18n.From(ctx).Label("batch_", state)
}

// Bar is one labelled value of a bar chart.
type Bar struct {
	Label string
	Value int64
	Href  string
}

// BarChart is a horizontal bar chart, drawn as SVG with the numbers also in a table.
type BarChart struct {
	ID    string
	Title string
	Unit  string
	Bars  []Bar
}

// Max is the largest value, at least 1 so widths stay defined.
func (c BarChart) Max() int64 {
	var m int64 = 1
	for _, b := range c.Bars {
		if b.Value > m {
			m = b.Value
		}
	}
	return m
}

// Width is the bar's length in SVG units out of 100.
func (c BarChart) Width(b Bar) string {
	return strconv.FormatFloat(float64(b.Value)*100/float64(c.Max()), 'f', 1, 64)
}

// langOr is the page language, English when none was set.
func langOr(lang string) string {
	if lang == "" {
		return "en"
	}
	return lang
}
