package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// idParam reads a numeric path parameter; a malformed one is a 404 like an unknown id.
func idParam(c echo.Context, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || n == 0 {
		return 0, echo.ErrNotFound
	}
	return uint(n), nil
}

// optionalID reads a numeric form or query value; "" and junk give nil.
func optionalID(s string) *uint {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return nil
	}
	id := uint(n)
	return &id
}

const pageSize = 50

// pageParam reads the page number and, from a "next" or "previous" link, the
// cursor of the row the page follows or precedes (models/keyset.go).
func pageParam(c echo.Context) models.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	p := models.NewPage(n, pageSize)
	p.After, p.Before = c.QueryParam("after"), c.QueryParam("before")
	return p
}

// pager builds the view's pager, keeping the filter query without the page
// number and cursor.
func pager(c echo.Context, p models.Page, total int64) views.Pager {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if !pagingParams[k] && len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	return views.Pager{Page: p.Number, Size: p.Size, Total: total, BaseURL: c.Request().URL.Path, Query: q}
}

// pagingParams are the query parameters that say which page, not which rows.
var pagingParams = map[string]bool{"page": true, "after": true, "before": true}

// seekPager is pager for a list read by keyset: its next and previous links
// carry the cursors of the page's last and first rows, made by cursor.
func seekPager[T any](c echo.Context, p models.Page, total int64, rows []T, cursor func(T) string) views.Pager {
	v := pager(c, p, total)
	if len(rows) > 0 {
		v.Before, v.After = cursor(rows[0]), cursor(rows[len(rows)-1])
	}
	return v
}

// formIDs reads the ticked "ids" of a bulk form; junk values are ignored.
func formIDs(c echo.Context) ([]uint, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	var ids []uint
	for _, v := range form["ids"] {
		if id := optionalID(v); id != nil {
			ids = append(ids, *id)
		}
	}
	return ids, nil
}
