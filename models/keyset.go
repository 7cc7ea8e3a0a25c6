package models

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Keyset ("seek") pagination: the next and previous links of a list carry a
// cursor naming the last (or first) row of the page shown, and the page they
// open reads the rows after (or before) it straight from the sort's index:
// WHERE (sort, id) > (…) ORDER BY sort, id LIMIT n. Unlike OFFSET, its cost
// does not grow with the page number (issue 18, point 4). A page number typed
// in by hand, with no cursor, still reads by offset (Page.Window).

// ErrBadCursor is a page link whose cursor is malformed or belongs to another
// sort order of the list; the handler answers 400 and offers the first page.
var ErrBadCursor = sentinel("err_bad_cursor", "malformed page cursor")

// Cursor is the position of one row in a sorted list: the sort the list had,
// that row's values of the sort columns, and its id (the tie-break).
type Cursor struct {
	Sort   string   `json:"s"` // the columns and direction, so a cursor never seeks in another order
	Values []string `json:"v"` // one per sort column, as text (see keyText)
	ID     uint     `json:"i"`
}

// Encode gives the cursor as an opaque URL-safe token.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a token made by Encode; anything else is ErrBadCursor.
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 2048 || json.Unmarshal(b, &c) != nil || c.ID == 0 || uint64(c.ID) > math.MaxInt64 || c.Sort == "" {
		return Cursor{}, ErrBadCursor
	}
	// What the databases cannot take as an argument would be a 500, not a
	// 400: an id beyond a bigint, text with a NUL byte (PostgreSQL refuses it;
	// JSON has already replaced invalid UTF-8).
	for _, v := range c.Values {
		if strings.ContainsRune(v, 0) {
			return Cursor{}, ErrBadCursor
		}
	}
	return c, nil
}

// keyKind is how a sort column's value is written in a cursor and read back
// as a query argument of the column's own type (SQLite compares times as the
// text the driver writes, so a time must go back as a time).
type keyKind int

const (
	keyText keyKind = iota
	keyInt
	keyTime
)

// keyKinds are the sort columns that are not text.
var keyKinds = map[string]keyKind{
	"enrolled_at": keyTime, "followers": keyInt,
	"b.amount_fen": keyInt, "b.gmv_fen": keyInt, "b.proposed_at": keyTime, "b.risk_count": keyInt,
}

// seekSort is one list's order: its sort columns (without the id), the id
// column that breaks ties, and the direction of all of them.
type seekSort struct {
	Cols []string
	ID   string
	Desc bool
}

// name identifies the order inside a cursor.
func (o seekSort) name() string {
	dir := "a"
	if o.Desc {
		dir = "d"
	}
	return strings.Join(o.Cols, ",") + ":" + dir
}

// cursor is the cursor of a row whose sort values are vals (in Cols order).
func (o seekSort) cursor(id uint, vals ...any) string {
	c := Cursor{Sort: o.name(), ID: id}
	for _, v := range vals {
		switch v := v.(type) {
		case time.Time:
			c.Values = append(c.Values, v.Format(time.RFC3339Nano))
		case string:
			c.Values = append(c.Values, v)
		default:
			c.Values = append(c.Values, fmt.Sprint(v))
		}
	}
	return c.Encode()
}

// args turns a cursor's values back into query arguments, checking it was
// made for this order.
func (o seekSort) args(c Cursor) ([]any, error) {
	if c.Sort != o.name() || len(c.Values) != len(o.Cols) {
		return nil, ErrBadCursor
	}
	out := make([]any, 0, len(o.Cols)+1)
	for i, col := range o.Cols {
		switch keyKinds[col] {
		case keyInt:
			n, err := strconv.ParseInt(c.Values[i], 10, 64)
			if err != nil {
				return nil, ErrBadCursor
			}
			out = append(out, n)
		case keyTime:
			t, err := time.Parse(time.RFC3339Nano, c.Values[i])
			if err != nil {
				return nil, ErrBadCursor
			}
			out = append(out, t)
		default:
			out = append(out, c.Values[i])
		}
	}
	return append(out, c.ID), nil
}

// seekCondition is the WHERE clause and arguments that keep the rows after
// the cursor in this order (before it when back): a row-value comparison,
// which SQLite (3.15+) and PostgreSQL both answer from an index on the same
// columns.
func (o seekSort) seekCondition(c Cursor, back bool) (string, []any, error) {
	args, err := o.args(c)
	if err != nil {
		return "", nil, err
	}
	op := ">"
	if o.Desc != back {
		op = "<"
	}
	cols := append(slices.Clone(o.Cols), o.ID)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	return "(" + strings.Join(cols, ", ") + ") " + op + " (" + marks + ")", args, nil
}

// read applies the page to q in this order: a seek after or before the
// page's cursor when it has one, else the offset window of its number (the
// first and last pages are cheap; a middle page typed in by hand skips rows).
// reversed says the rows come back in reverse and must be flipped.
func (o seekSort) read(q *gorm.DB, page Page, total int64) (_ *gorm.DB, reversed bool, err error) {
	cols := append(slices.Clone(o.Cols), o.ID)
	if cur, back, ok, err := page.cursor(); err != nil {
		return nil, false, err
	} else if ok {
		cond, args, err := o.seekCondition(cur, back)
		if err != nil {
			return nil, false, err
		}
		return q.Where(cond, args...).Order(orderBy(o.Desc, back, cols...)).Limit(page.Size), back, nil
	}
	offset, limit, fromEnd := page.Window(total)
	return q.Order(orderBy(o.Desc, fromEnd, cols...)).Limit(limit).Offset(offset), fromEnd, nil
}

// cursor is the page's cursor, if its link carried one; back says it is a
// "previous" link (rows before the cursor).
func (p Page) cursor() (c Cursor, back, ok bool, err error) {
	switch {
	case p.After != "":
		c, err = DecodeCursor(p.After)
		return c, false, err == nil, err
	case p.Before != "":
		c, err = DecodeCursor(p.Before)
		return c, true, err == nil, err
	}
	return Cursor{}, false, false, nil
}
