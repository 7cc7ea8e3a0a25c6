package models

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 0, 123456000, CST)
	cases := map[string]struct {
		order seekSort
		vals  []any
		want  []any
	}{
		"time":                 {seekSort{Cols: []string{"enrolled_at"}, ID: "creators.id", Desc: true}, []any{at}, []any{at, uint(7)}},
		"int":                  {seekSort{Cols: []string{"followers"}, ID: "creators.id"}, []any{int64(1200)}, []any{int64(1200), uint(7)}},
		"text with separators": {seekSort{Cols: []string{"display_name"}, ID: "creators.id"}, []any{"Lǐ.Wei|\"x\" 李"}, []any{"Lǐ.Wei|\"x\" 李", uint(7)}},
		"two columns":          {seekSort{Cols: []string{"b.risk_count", "b.amount_fen"}, ID: "b.id", Desc: true}, []any{2, int64(500)}, []any{int64(2), int64(500), uint(7)}},
		"id only":              {seekSort{ID: "id", Desc: true}, nil, []any{uint(7)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeCursor(tc.order.cursor(7, tc.vals...))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.order.args(c)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got { // times compare by instant, not by location pointer
				if g, ok := got[i].(time.Time); ok {
					if !g.Equal(tc.want[i].(time.Time)) {
						t.Fatalf("time %v, want %v", g, tc.want[i])
					}
					got[i] = tc.want[i]
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("args %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestCursorRefusesForgedOrForeign(t *testing.T) {
	byEnrolled := seekSort{Cols: []string{"enrolled_at"}, ID: "creators.id", Desc: true}
	byFollowers := seekSort{Cols: []string{"followers"}, ID: "creators.id", Desc: true}
	cases := map[string]struct {
		token string
		order seekSort
	}{
		"not base64":        {"%%%", byEnrolled},
		"not json":          {"bm90IGpzb24", byEnrolled},
		"no id":             {Cursor{Sort: byEnrolled.name(), Values: []string{"2026-11-24T09:30:00+08:00"}}.Encode(), byEnrolled},
		"another sort":      {byFollowers.cursor(3, int64(10)), byEnrolled},
		"another direction": {seekSort{Cols: []string{"enrolled_at"}, ID: "creators.id"}.cursor(3, time.Now()), byEnrolled},
		"not a time":        {Cursor{Sort: byEnrolled.name(), Values: []string{"yesterday"}, ID: 3}.Encode(), byEnrolled},
		"not a number":      {Cursor{Sort: byFollowers.name(), Values: []string{"1e3; DROP"}, ID: 3}.Encode(), byFollowers},
		"too many values":   {Cursor{Sort: byFollowers.name(), Values: []string{"1", "2"}, ID: 3}.Encode(), byFollowers},
		"empty":             {"", byEnrolled},
		"id beyond bigint":  {Cursor{Sort: byFollowers.name(), Values: []string{"1"}, ID: 1 << 63}.Encode(), byFollowers},
		"NUL byte":          {Cursor{Sort: "display_name:a", Values: []string{"A\x00"}, ID: 3}.Encode(), seekSort{Cols: []string{"display_name"}, ID: "creators.id"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeCursor(tc.token)
			if err == nil {
				_, _, err = tc.order.seekCondition(c, false)
			}
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("err %v, want ErrBadCursor", err)
			}
		})
	}
}

func TestSeekCondition(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 0, 0, CST)
	cases := map[string]struct {
		order seekSort
		vals  []any
		back  bool
		want  string
	}{
		"ascending, next":      {seekSort{Cols: []string{"display_name"}, ID: "creators.id"}, []any{"A"}, false, "(display_name, creators.id) > (?, ?)"},
		"ascending, previous":  {seekSort{Cols: []string{"display_name"}, ID: "creators.id"}, []any{"A"}, true, "(display_name, creators.id) < (?, ?)"},
		"descending, next":     {seekSort{Cols: []string{"enrolled_at"}, ID: "creators.id", Desc: true}, []any{at}, false, "(enrolled_at, creators.id) < (?, ?)"},
		"descending, previous": {seekSort{Cols: []string{"enrolled_at"}, ID: "creators.id", Desc: true}, []any{at}, true, "(enrolled_at, creators.id) > (?, ?)"},
		"two columns":          {seekSort{Cols: []string{"b.risk_count", "b.amount_fen"}, ID: "b.id", Desc: true}, []any{1, 2}, false, "(b.risk_count, b.amount_fen, b.id) < (?, ?, ?)"},
		"id only":              {seekSort{ID: "id", Desc: true}, nil, false, "(id) < (?)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := DecodeCursor(tc.order.cursor(9, tc.vals...))
			if err != nil {
				t.Fatal(err)
			}
			got, args, err := tc.order.seekCondition(c, tc.back)
			if err != nil || got != tc.want || len(args) != len(tc.order.Cols)+1 {
				t.Fatalf("%q %v %v, want %q", got, args, err, tc.want)
			}
		})
	}
}
