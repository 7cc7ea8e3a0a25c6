// Package i18n translates the portal's pages. Messages live in one place,
// locales/<lang>.toml, one file per language, keyed by message ID, so a
// translator edits plain text beside the English; go-i18n handles plurals
// and {{.Placeholders}}. Pages get a Localizer through the request context.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var files embed.FS

// Lang is a language the portal speaks, as a BCP 47 tag.
type Lang string

// The portal's languages. English is the fallback when nothing else is known.
const (
	EN Lang = "en"
	ZH Lang = "zh-CN"
)

// Langs lists the languages in the order the switch offers them.
var Langs = []Lang{ZH, EN}

// Valid reports whether l is one of the portal's languages.
func (l Lang) Valid() bool { return l == EN || l == ZH }

// Name is the language's name in itself, for the switch.
func (l Lang) Name() string {
	if l == ZH {
		return "中文"
	}
	return "English"
}

var (
	bundle     *goi18n.Bundle
	localizers = map[Lang]*Localizer{}
	matcher    = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})
)

func init() {
	bundle = goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Langs {
		if _, err := bundle.LoadMessageFileFS(files, "locales/"+string(l)+".toml"); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", l, err))
		}
		loc := &Localizer{Lang: l, loc: goi18n.NewLocalizer(bundle, string(l)), plain: map[string]string{}}
		ids, err := MessageIDs(l)
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", l, err))
		}
		// Messages without placeholders are looked up in a plain map: pages show
		// hundreds of them, and a lookup must not cost an allocation.
		for _, id := range ids {
			if s, err := loc.loc.Localize(&goi18n.LocalizeConfig{MessageID: id}); err == nil && !strings.Contains(s, "<no value>") {
				loc.plain[id] = s
			}
		}
		localizers[l] = loc
	}
}

// Messages returns a language's file as written: ID to text, or to a table of plural forms.
func Messages(l Lang) (map[string]any, error) {
	data, err := files.ReadFile("locales/" + string(l) + ".toml")
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// MessageIDs lists the IDs a language's file defines (for completeness tests).
func MessageIDs(l Lang) ([]string, error) {
	raw, err := Messages(l)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	return ids, nil
}

// Localizer translates into one language.
type Localizer struct {
	Lang  Lang
	loc   *goi18n.Localizer
	plain map[string]string // message ID -> translation, for messages without placeholders; read-only
}

// For returns the localizer of a language (English for an unknown one).
func For(l Lang) *Localizer {
	if loc, ok := localizers[l]; ok {
		return loc
	}
	return localizers[EN]
}

// Missing marks a message ID without a translation; tests look for it.
const Missing = "⟦missing:"

// T translates a message; pairs are placeholder names and values:
// T("me_paid_in", "Year", "2026").
func (l *Localizer) T(id string, pairs ...any) string {
	if len(pairs) == 0 {
		if s, ok := l.plain[id]; ok {
			return s
		}
	}
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := l.loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message without plural forms ("one", "other") reads the same for any count.
		cfg.PluralCount = nil
		s, err = l.loc.Localize(cfg)
	}
	if err != nil || s == "" {
		return Missing + id + "⟧"
	}
	return s
}

// Date formats a calendar date: 2026年11月24日 or 24 Nov 2026.
func (l *Localizer) Date(t time.Time) string {
	if l.Lang == ZH {
		return t.Format("2006年1月2日")
	}
	return t.Format("2 Jan 2006")
}

// DayMonth formats a day without its year: 11月24日 or 24 Nov.
func (l *Localizer) DayMonth(t time.Time) string {
	if l.Lang == ZH {
		return t.Format("1月2日")
	}
	return t.Format("2 Jan")
}

// Week describes a week's Monday–Sunday dates: 11月17日–11月23日 or 17–23 Nov 2026.
func (l *Localizer) Week(monday, sunday time.Time) string {
	if l.Lang == ZH {
		return l.DayMonth(monday) + "–" + l.DayMonth(sunday)
	}
	if monday.Month() == sunday.Month() {
		return monday.Format("2") + "–" + sunday.Format("2 Jan 2006")
	}
	return monday.Format("2 Jan") + "–" + sunday.Format("2 Jan 2006")
}

type ctxKey struct{}

// With returns ctx carrying the localizer.
func With(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the localizer in ctx, or English.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return localizers[EN]
}

// Label is the catalogue message prefix+key, such as a state's label
// ("bonus_" + "approved"), or key itself when the catalogue has none. It
// allocates nothing: queue pages label every row.
func (l *Localizer) Label(prefix, key string) string {
	if s, ok := l.plain[prefix+key]; ok {
		return s
	}
	return key
}

// InContext reports whether ctx carries a localizer (set by With).
func InContext(ctx context.Context) bool {
	_, ok := ctx.Value(ctxKey{}).(*Localizer)
	return ok
}

// T translates a message in ctx's language (see Localizer.T).
func T(ctx context.Context, id string, pairs ...any) string { return From(ctx).T(id, pairs...) }

// Negotiate picks the language: the signed-in user's preference, else the
// language cookie, else the browser's Accept-Language, else English.
func Negotiate(preference, cookie, acceptLanguage string) Lang {
	for _, l := range []string{preference, cookie} {
		if Lang(l).Valid() {
			return Lang(l)
		}
	}
	if strings.TrimSpace(acceptLanguage) == "" {
		return EN
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return EN
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return EN
	}
	return []Lang{EN, ZH}[i]
}
