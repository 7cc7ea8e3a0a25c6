package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// auditFormat shows audit entries (the audit page, and the history of a
// creator, a bonus, an agency) as people read them: the one place that knows
// which recorded fields are money (…_fen: ¥1,234.00), times (…_at: CST),
// states, reasons, roles, content types and subject areas, and names fields
// and actions through the catalogue. A field it does not know shows under a
// readable form of its name ("left out"), and a nested value as
// "(label: value, …)", never as a Go map dump.
type auditFormat struct {
	ctx      context.Context
	reasons  []models.ReasonCode
	subjects map[uint]string
}

// auditFormatter loads what the format needs once per page.
func (s *Server) auditFormatter(c echo.Context) (*auditFormat, error) {
	ctx := c.Request().Context()
	reasons, err := s.store.ReasonCodes(ctx, "", false)
	if err != nil {
		return nil, err
	}
	subjects, err := s.subjectNames(c)
	if err != nil {
		return nil, err
	}
	return &auditFormat{ctx: ctx, reasons: reasons, subjects: subjects}, nil
}

// Action is an audit action's label in the reader's language; the code
// itself stays beside it (the filter takes codes).
func (f *auditFormat) Action(code string) string {
	id := "audit_action_" + strings.NewReplacer(".", "_").Replace(code)
	return labelIn(f.ctx, id, readableKey(code))
}

// field is a recorded field's label.
func (f *auditFormat) field(key string) string {
	return labelIn(f.ctx, "audit_field_"+key, readableKey(key))
}

// Detail summarises an entry's change as "field: before → after", listing
// only what changed, in the reader's language.
func (f *auditFormat) Detail(e models.AuditEntry) string {
	before, after := decodeAuditJSON(e.Before), decodeAuditJSON(e.After)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var parts []string
	for _, k := range sorted {
		b, inBefore := before[k]
		a, inAfter := after[k]
		key := snakeKey(k)
		switch {
		case !inBefore:
			parts = append(parts, i18n.T(f.ctx, "audit_field_set", "Field", f.field(key), "Value", f.value(e.ObjectType, key, a)))
		case !inAfter:
			parts = append(parts, i18n.T(f.ctx, "audit_field_change", "Field", f.field(key), "Before", f.value(e.ObjectType, key, b), "After", i18n.T(f.ctx, "audit_none")))
		case fmt.Sprint(a) != fmt.Sprint(b):
			parts = append(parts, i18n.T(f.ctx, "audit_field_change", "Field", f.field(key), "Before", f.value(e.ObjectType, key, b), "After", f.value(e.ObjectType, key, a)))
		}
	}
	return strings.Join(parts, i18n.T(f.ctx, "audit_separator"))
}

// value shows one recorded value of field key of an object type.
func (f *auditFormat) value(objectType, key string, v any) string {
	switch v := v.(type) {
	case nil:
		return i18n.T(f.ctx, "audit_none")
	case bool:
		if v {
			return i18n.T(f.ctx, "audit_yes")
		}
		return i18n.T(f.ctx, "audit_no")
	case json.Number:
		n, err := v.Int64()
		switch {
		case err != nil:
			return v.String()
		case isMoneyKey(key):
			return models.FormatYuan(n)
		case key == "subject_id" || key == "primary_subject_id":
			return f.subject(n)
		}
		return v.String()
	case string:
		return f.text(objectType, key, v)
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			if n, ok := x.(json.Number); ok && key == "subjects" {
				id, _ := n.Int64()
				out[i] = f.subject(id)
				continue
			}
			out[i] = f.value(objectType, singular(key), x)
		}
		return strings.Join(out, i18n.T(f.ctx, "audit_list_separator"))
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]string, len(keys))
		for i, k := range keys {
			sub := snakeKey(k)
			if key == "gmv_tiers" || key == "gmv_tier" {
				if sub == "min" { // a GMV threshold is money
					sub = "min_gmv_fen"
				}
			}
			out[i] = i18n.T(f.ctx, "audit_field_set", "Field", f.field(sub), "Value", f.value(objectType, sub, v[k]))
		}
		return "(" + strings.Join(out, i18n.T(f.ctx, "audit_list_separator")) + ")"
	}
	return fmt.Sprint(v)
}

// text shows a recorded string: a time in CST, a state, reason, role,
// content type or kind by its label, anything else as written.
func (f *auditFormat) text(objectType, key, s string) string {
	if strings.HasSuffix(key, "_at") || key == "until" || key == "locked_until" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return models.FormatCST(t) + " " + i18n.T(f.ctx, "audit_cst")
		}
	}
	switch key {
	case "state":
		switch objectType {
		case "creator":
			return views.StateLabel(f.ctx, s)
		case "bonus", "mcn_bonus", "adjustment":
			return views.BonusStateLabel(f.ctx, s)
		case "payout", "payout_batch":
			return views.BatchStateLabel(f.ctx, s)
		case "transfer":
			return views.TransferStateLabel(f.ctx, s)
		case "settings_change":
			return labelIn(f.ctx, "change_state_"+s, s)
		case "agency_invoice":
			return labelIn(f.ctx, "invoice_state_"+s, s)
		}
	case "appeal_state":
		return views.AppealStateLabel(f.ctx, s)
	case "reason":
		for _, r := range f.reasons {
			if r.Code == s {
				return reasonLabel(f.ctx, f.reasons, s)
			}
		}
	case "content_type":
		return labelIn(f.ctx, contentTypeLabel(models.ContentType(s)), s)
	case "role":
		return labelIn(f.ctx, "role_"+s, s)
	case "kind":
		if objectType == "settings_change" {
			return labelIn(f.ctx, "change_kind_"+strings.ReplaceAll(s, ":", "_"), s)
		}
		if objectType == "agency_invoice" {
			return labelIn(f.ctx, "payable_kind_"+s, s)
		}
		if objectType == "payee" {
			return labelIn(f.ctx, "payee_kind_"+s, s)
		}
	case "method":
		if objectType == "payee" {
			return labelIn(f.ctx, "payee_method_"+s, s)
		}
	case "language":
		return labelIn(f.ctx, "language_"+s, s)
	}
	return s
}

func (f *auditFormat) subject(id int64) string {
	if name, ok := f.subjects[uint(id)]; ok {
		return name
	}
	return strconv.FormatInt(id, 10)
}

// isMoneyKey reports whether a recorded number is an amount of fen.
func isMoneyKey(key string) bool {
	return strings.HasSuffix(key, "_fen") || key == "fen" || key == "gmv" || key == "pool_total"
}

// snakeKey writes a Go field name as a recorded key ("TotalFen" → "total_fen").
func snakeKey(k string) string {
	var b strings.Builder
	for i, r := range k {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// singular is the key of one element of a list ("gmv_tiers" → "gmv_tier").
func singular(key string) string { return strings.TrimSuffix(key, "s") }

// readableKey is a code as words, for codes the catalogue has no label for.
func readableKey(code string) string {
	return strings.TrimSpace(strings.NewReplacer("_", " ", ".", " · ").Replace(code))
}

// labelIn is id's message, or fallback when the catalogue has none.
func labelIn(ctx context.Context, id, fallback string) string {
	if s := i18n.T(ctx, id); !strings.HasPrefix(s, i18n.Missing) {
		return s
	}
	return fallback
}
