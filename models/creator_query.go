package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// CreatorFilter narrows and orders the creators list.
type CreatorFilter struct {
	Search     string // the start of the display name (any case), or the exact account ID
	State      CreatorState
	SubjectID  uint   // any of the creator's subject areas
	AgencyID   uint   // staff only; ignored for managers, who always see their own
	AgencyName string // staff only: agencies whose name starts with it, when no AgencyID
	Featured   bool   // only creators featured today
	Sort       string
	Desc       bool
}

// CreatorSorts maps the sort keys the list accepts to columns.
var CreatorSorts = map[string]string{
	"name":      "display_name",
	"enrolled":  "enrolled_at",
	"followers": "followers",
	"state":     "state",
}

// scopeCreators limits a query to the creators the actor may see. Tenancy is
// applied in SQL, never by filtering rows after loading.
func scopeCreators(q *gorm.DB, a *Actor) *gorm.DB {
	switch {
	case a.IsStaff():
		return q
	case a.Role == RoleMCNManager && a.AgencyID != nil:
		return q.Where("creators.agency_id = ?", *a.AgencyID)
	case a.Role == RoleCreator && a.CreatorID != nil:
		return q.Where("creators.id = ?", *a.CreatorID)
	default:
		return q.Where("1 = 0")
	}
}

func scopedCreator(tx *gorm.DB, a *Actor, id uint) (*Creator, error) {
	var c Creator
	if err := scopeCreators(tx.Model(&Creator{}), a).Where("creators.id = ?", id).First(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// ListCreators returns one page of the creators the actor may see, and how
// many match in all.
func (s *Store) ListCreators(ctx context.Context, a *Actor, f CreatorFilter, page Page) ([]Creator, int64, error) {
	q := scopeCreators(s.r(ctx).Model(&Creator{}), a)
	if f.Search = strings.TrimSpace(f.Search); f.Search != "" {
		q = searchCreators(q, "creators", f.Search)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.SubjectID != 0 {
		q = q.Where("(primary_subject_id = ? OR subject2_id = ? OR subject3_id = ?)", f.SubjectID, f.SubjectID, f.SubjectID)
	}
	if f.AgencyID != 0 && a.IsStaff() {
		q = q.Where("agency_id = ?", f.AgencyID)
	} else if f.AgencyName != "" && a.IsStaff() {
		q = q.Where("agency_id IN (?)", agenciesNamed(s.r(ctx), f.AgencyName))
	}
	if f.Featured {
		q = q.Where("creators.id IN (?)", featuredNow(s.read.WithContext(ctx), s.now()))
	}
	// The count's own copy of the query, taken now: a memo past its lifetime
	// refreshes in the background while this request goes on ordering q.
	countQuery := q.Session(&gorm.Session{Context: ctx})
	total, err := counted(ctx, s, fmt.Sprintf("creators %s %+v", a.scopeKey(), f), func(ctx context.Context) (int64, error) {
		var n int64
		return n, countQuery.WithContext(ctx).Count(&n).Error
	})
	if err != nil {
		return nil, 0, err
	}
	q, reversed, err := creatorOrder(f).read(q, page, total)
	if err != nil {
		return nil, total, err
	}
	var cs []Creator
	err = q.Preload("Agency").Find(&cs).Error
	if reversed {
		slices.Reverse(cs)
	}
	return cs, total, err
}

// creatorOrder is the order the creators list is read in (newest enrolled
// first unless a known sort is asked for), ties broken by id.
func creatorOrder(f CreatorFilter) seekSort {
	col, ok := CreatorSorts[f.Sort]
	if !ok {
		col, f.Desc = "enrolled_at", true
	}
	return seekSort{Cols: []string{col}, ID: "creators.id", Desc: f.Desc}
}

// CreatorCursor is the cursor of a row of the creators list in f's order,
// for the link to the page after (or before) it.
func CreatorCursor(c Creator, f CreatorFilter) string {
	o := creatorOrder(f)
	var v any
	switch o.Cols[0] {
	case "display_name":
		v = c.DisplayName
	case "followers":
		v = c.Followers
	case "state":
		v = string(c.State)
	default:
		v = c.EnrolledAt
	}
	return o.cursor(c.ID, v)
}

// GetCreator loads one creator the actor may see; others are ErrNotFound.
func (s *Store) GetCreator(ctx context.Context, a *Actor, id uint) (*Creator, error) {
	var c Creator
	err := scopeCreators(s.r(ctx).Model(&Creator{}), a).Preload("Agency").Where("creators.id = ?", id).First(&c).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CreatorHasAccount reports whether the creator has set a password.
func (s *Store) CreatorHasAccount(ctx context.Context, creatorID uint) (bool, error) {
	var n int64
	err := s.r(ctx).Model(&User{}).Where("creator_id = ?", creatorID).Count(&n).Error
	return n > 0, err
}

// CountByState counts the creators the actor may see, per state.
func (s *Store) CountByState(ctx context.Context, a *Actor) (map[CreatorState]int64, error) {
	return counted(ctx, s, "by state "+a.scopeKey(), func(ctx context.Context) (map[CreatorState]int64, error) { return s.countByState(ctx, a) })
}

func (s *Store) countByState(ctx context.Context, a *Actor) (map[CreatorState]int64, error) {
	var rows []struct {
		State CreatorState
		N     int64
	}
	err := scopeCreators(s.r(ctx).Model(&Creator{}), a).Select("state, COUNT(*) AS n").Group("state").Scan(&rows).Error
	out := map[CreatorState]int64{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, err
}

// CountBySubject counts the creators the actor may see, per primary subject area.
func (s *Store) CountBySubject(ctx context.Context, a *Actor) (map[uint]int64, error) {
	return counted(ctx, s, "by subject "+a.scopeKey(), func(ctx context.Context) (map[uint]int64, error) { return s.countBySubject(ctx, a) })
}

func (s *Store) countBySubject(ctx context.Context, a *Actor) (map[uint]int64, error) {
	var rows []struct {
		PrimarySubjectID uint
		N                int64
	}
	err := scopeCreators(s.r(ctx).Model(&Creator{}), a).Select("primary_subject_id, COUNT(*) AS n").Group("primary_subject_id").Scan(&rows).Error
	out := map[uint]int64{}
	for _, r := range rows {
		out[r.PrimarySubjectID] = r.N
	}
	return out, err
}

// CountAgencies counts all agencies.
func (s *Store) CountAgencies(ctx context.Context) (int64, error) {
	return counted(ctx, s, "agencies", func(ctx context.Context) (int64, error) {
		var n int64
		return n, s.r(ctx).Model(&Agency{}).Count(&n).Error
	})
}
