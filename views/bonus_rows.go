package views

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"

	"github.com/jd/creator-portal/views/i18n"
)

// bonusRows writes the queue's rows. It is the templ component
// bonusRowsTempl (views/bonuses.templ) written out by hand, because the queue
// is the busiest page at programme scale and templ's generated code passes
// every expression through fmt.Sprint: measured on 50 rows, the generated
// component took 2-3 times as long with about 23 allocations a row against
// about one (docs/PERFORMANCE.md, BenchmarkQueueRows), far past the 10 %
// that issue 13 allowed. Text and attributes go through templ's own escaper
// (templ.EscapeString), and TestBonusRowsMatchTheTemplComponent keeps the
// output byte for byte the same as the templ component's.
func bonusRows(rows []BonusRowView, canDecide bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		sw, ok := w.(io.StringWriter)
		if !ok {
			sw = stringWriter{w}
		}
		var num [20]byte
		var err error
		put := func(s string) {
			if err == nil {
				_, err = sw.WriteString(s)
			}
		}
		text := func(s string) { put(templ.EscapeString(s)) } // allocates only when s holds a character to escape
		for i := range rows {
			r := &rows[i]
			id := string(strconv.AppendUint(num[:0], uint64(r.ID), 10))
			put(`<tr data-testid="bonus-row">`)
			if canDecide {
				put(`<td><input type="checkbox" name="ids" value="`)
				put(id)
				put(`" aria-label="`)
				text(i18n.T(ctx, "select"))
				put(` `)
				text(r.Creator)
				put(` `)
				text(r.Week)
				put(`"></td>`)
			}
			put(`<td><a href="/bonuses/`)
			put(id)
			put(`">`)
			text(r.Creator)
			put(`</a> <code class="small">`)
			text(r.AccountID)
			put(`</code></td><td>`)
			text(r.Agency)
			put(`</td><td>`)
			text(r.Week)
			put(`</td><td class="num">`)
			text(r.GMV)
			put(`</td><td class="num" data-testid="amount">`)
			text(r.Amount)
			put(`</td><td><span class="badge" data-state="`)
			text(r.State)
			put(`" data-testid="bonus-state">`)
			text(BonusStateLabel(ctx, r.State))
			put(`</span>`)
			if r.Appeal != "" {
				put(` <span class="badge badge-appeal">`)
				text(i18n.T(ctx, "appeal_badge"))
				put(` `)
				text(AppealStateLabel(ctx, r.Appeal))
				put(`</span>`)
			}
			writeRiskBadges(put, text, r.Flags)
			put(`</td><td>`)
			text(r.Waiting)
			put(`</td></tr>`)
		}
		return err
	})
}

type stringWriter struct{ w io.Writer }

func (s stringWriter) WriteString(str string) (int, error) { return io.WriteString(s.w, str) }
