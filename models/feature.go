package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Feature gives a creator "more exposure" for a period of CST days.
type Feature struct {
	ID          uint   `gorm:"primaryKey"`
	CreatorID   uint   `gorm:"not null;index:idx_feature_creator_dates,priority:1"`
	FromDay     string `gorm:"size:10;not null;index:idx_feature_creator_dates,priority:2"` // 2026-11-24, CST
	ToDay       string `gorm:"size:10;not null;index:idx_feature_to"`                       // inclusive
	Note        string `gorm:"size:500"`
	CreatedByID uint
	CreatedAt   time.Time
	EndedAt     *time.Time
}

// ErrNotQualified means only a qualified creator can be featured (the error
// returned is a NotQualifiedError naming the creator and its state).
var ErrNotQualified = sentinel("err_feature_not_qualified", "only a qualified creator can be featured")

// NotQualifiedError is ErrNotQualified with the creator and the state it is in.
type NotQualifiedError struct {
	Name  string
	State CreatorState
}

func (e NotQualifiedError) Error() string {
	return ErrNotQualified.Error() + ": " + e.Name + " is " + string(e.State)
}

// Unwrap makes errors.Is(err, ErrNotQualified) hold.
func (e NotQualifiedError) Unwrap() error { return ErrNotQualified }

// Msg names the problem for a person.
func (e NotQualifiedError) Msg() Msg {
	return M("err_feature_not_qualified", "Name", e.Name, "State", Word(e.State))
}

// day is a CST calendar date as stored.
func day(t time.Time) string { return t.In(CST).Format("2006-01-02") }

// FeatureCreator features a creator from one CST day to another (staff, audited).
func (s *Store) FeatureCreator(ctx context.Context, a *Actor, creatorID uint, from, to, note string) error {
	if !a.IsStaff() {
		return ErrForbidden
	}
	fe := FieldErrors{}
	f, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(from), CST)
	t, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(to), CST)
	switch {
	case err1 != nil:
		fe["from"] = M("err_date_format", "Example", "2026-11-24")
	case err2 != nil:
		fe["to"] = M("err_date_format", "Example", "2026-12-24")
	case t.Before(f):
		fe["to"] = Msg{ID: "err_end_before_start"}
	case t.Sub(f) > 366*24*time.Hour:
		fe["to"] = Msg{ID: "err_feature_too_long"}
	}
	if note = strings.TrimSpace(note); len([]rune(note)) > MaxNoteLength {
		fe["note"] = M("err_note_too_long", "N", MaxNoteLength)
	} else if msg := CheckText(note, true); !msg.IsZero() {
		fe["note"] = msg
	}
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var c Creator
		if err := tx.Select("id, display_name, state").First(&c, creatorID).Error; err != nil {
			return notFound(err)
		}
		if c.State != StateQualified {
			return fieldErr("feature", NotQualifiedError{Name: c.DisplayName, State: c.State})
		}
		ft := Feature{CreatorID: creatorID, FromDay: day(f), ToDay: day(t), Note: note, CreatedByID: a.UserID}
		if err := tx.Create(&ft).Error; err != nil {
			return err
		}
		return appendAudit(tx, a, "creator.feature", "creator", creatorID, nil, map[string]any{"from": ft.FromDay, "to": ft.ToDay, "note": note})
	})
}

// EndFeature stops every current feature of a creator today (staff, audited).
func (s *Store) EndFeature(ctx context.Context, a *Actor, creatorID uint, now time.Time) error {
	if !a.IsStaff() {
		return ErrForbidden
	}
	today := day(now)
	yesterday := day(now.AddDate(0, 0, -1))
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Feature{}).Where("creator_id = ? AND from_day <= ? AND to_day >= ?", creatorID, today, today).
			Updates(map[string]any{"to_day": yesterday, "ended_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return FieldErrors{"feature": Msg{ID: "err_not_featured"}}
		}
		return appendAudit(tx, a, "creator.unfeature", "creator", creatorID, nil, map[string]any{"ended": today})
	})
}

// FeaturedAmong says which of the given creators are featured on now's CST day.
func (s *Store) FeaturedAmong(ctx context.Context, ids []uint, now time.Time) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	today := day(now)
	var hit []uint
	err := s.r(ctx).Model(&Feature{}).Where("creator_id IN ? AND from_day <= ? AND to_day >= ?", ids, today, today).Distinct("creator_id").Pluck("creator_id", &hit).Error
	for _, id := range hit {
		out[id] = true
	}
	return out, err
}

// CurrentFeature returns the feature running today for a creator, if any.
func (s *Store) CurrentFeature(ctx context.Context, creatorID uint, now time.Time) (*Feature, error) {
	var f Feature
	today := day(now)
	err := s.r(ctx).Where("creator_id = ? AND from_day <= ? AND to_day >= ?", creatorID, today, today).Order("to_day DESC").First(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// featuredNow is a subquery of creators featured on a day, for list filters.
func featuredNow(db *gorm.DB, now time.Time) *gorm.DB {
	today := day(now)
	return db.Model(&Feature{}).Select("creator_id").Where("from_day <= ? AND to_day >= ?", today, today)
}
