package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models"
)

func TestPageWindowReadsBackPagesFromTheEnd(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		number, size  int
		total         int64
		offset, limit int
		fromEnd       bool
	}{
		{"first page", 1, 50, 100_000, 0, 50, false},
		{"front half", 900, 50, 100_000, 44_950, 50, false},
		{"back half", 1500, 50, 100_000, 25_000, 50, true},
		{"last full page", 2000, 50, 100_000, 0, 50, true},
		{"short last page", 3, 50, 105, 0, 5, true},
		{"past the end", 9, 50, 105, 400, 50, false},
		{"empty list", 1, 50, 0, 0, 50, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			off, lim, back := models.NewPage(tc.number, tc.size).Window(tc.total)
			if off != tc.offset || lim != tc.limit || back != tc.fromEnd {
				t.Fatalf("Window = (%d, %d, %v), want (%d, %d, %v)", off, lim, back, tc.offset, tc.limit, tc.fromEnd)
			}
		})
	}
}
