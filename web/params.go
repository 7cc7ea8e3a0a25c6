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

func pageParam(c echo.Context) models.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	return models.NewPage(n, pageSize)
}

// pager builds the view's pager, keeping the filter query without the page number.
func pager(c echo.Context, p models.Page, total int64) views.Pager {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "page" && len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	return views.Pager{Page: p.Number, Size: p.Size, Total: total, BaseURL: c.Request().URL.Path, Query: q}
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
