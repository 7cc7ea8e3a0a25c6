package models

import (
	"fmt"
	"strings"
)

// Actor is who is doing something: the signed-in user (or the CLI, when
// UserID is 0) with the tenant they are bound to and where the request came from.
type Actor struct {
	UserID    uint
	Email     string
	Role      Role
	AgencyID  *uint
	CreatorID *uint
	IP        string
}

// ActorFor builds the actor for a signed-in user.
func ActorFor(u *User, ip string) *Actor {
	return &Actor{UserID: u.ID, Email: u.Email, Role: u.Role, AgencyID: u.AgencyID, CreatorID: u.CreatorID, IP: ip}
}

// SystemActor is the portal acting on its own: the command line, migrations
// and background jobs. Audited as "system". Models take it, never nil, for
// "nobody signed in did this".
func SystemActor() *Actor { return &Actor{Email: "system", Role: RoleAdmin} }

// scopeKey names what the actor may see, for memo keys: all staff see the same.
func (a *Actor) scopeKey() string {
	switch {
	case a.IsStaff():
		return "staff"
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		return fmt.Sprintf("agency %d", *a.AgencyID)
	case a.Role == RoleCreator && a.CreatorID != nil:
		return fmt.Sprintf("creator %d", *a.CreatorID)
	}
	return "nobody"
}

// IsStaff reports whether the actor is JD staff.
func (a *Actor) IsStaff() bool { return a != nil && a.Role.IsStaff() }

// Page is a 1-based page of a list. A page opened by a "next" or "previous"
// link also carries the cursor of the row it follows (After) or precedes
// (Before); lists that support it seek there instead of skipping rows (keyset.go).
type Page struct {
	Number int
	Size   int
	After  string
	Before string
}

// maxPageNumber bounds a requested page number, so the rows before it
// (number-1 times the size) cannot overflow: no list has that many pages.
const maxPageNumber = 1 << 24

// NewPage clamps a requested page to sane bounds.
func NewPage(number, size int) Page {
	if number < 1 {
		number = 1
	}
	number = min(number, maxPageNumber)
	if size < 1 || size > 200 {
		size = 50
	}
	return Page{Number: number, Size: size}
}

// Offset is the number of rows before this page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Window says how to read this page of a list of total rows: pages in the back
// half are read from the end in reverse order (then reversed), so the last page
// costs what the first does instead of skipping every row before it.
func (p Page) Window(total int64) (offset, limit int, fromEnd bool) {
	offset, limit = p.Offset(), p.Size
	if int64(offset) < total/2 || int64(offset) >= total {
		return offset, limit, false
	}
	back := int(total) - offset - p.Size
	if back < 0 {
		limit += back
		back = 0
	}
	return back, limit, true
}

// orderBy writes an ORDER BY list over cols, all in one direction; reverse flips it.
func orderBy(desc, reverse bool, cols ...string) string {
	dir := " ASC"
	if desc != reverse {
		dir = " DESC"
	}
	return strings.Join(cols, dir+", ") + dir
}
