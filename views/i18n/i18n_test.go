package i18n_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/views/i18n"
)

// Every message must exist in every language, and say something.
func TestEveryMessageIsTranslatedInEveryLanguage(t *testing.T) {
	ids := map[i18n.Lang][]string{}
	for _, l := range i18n.Langs {
		got, err := i18n.MessageIDs(l)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		ids[l] = got
	}
	for _, l := range i18n.Langs {
		for _, other := range i18n.Langs {
			for _, id := range ids[other] {
				if !slices.Contains(ids[l], id) {
					t.Errorf("%s has no %q (%s has it)", l, id, other)
				}
			}
		}
		for _, id := range ids[l] {
			if got := i18n.For(l).T(id, "Name", "x", "Year", "2026", "Date", "x", "Period", "x", "Minutes", 3); strings.HasPrefix(got, i18n.Missing) || strings.TrimSpace(got) == "" {
				t.Errorf("%s %q translates to %q", l, id, got)
			}
		}
	}
}

func TestAnUnknownMessageIsMarkedNotHidden(t *testing.T) {
	if got := i18n.For(i18n.ZH).T("no_such_message"); !strings.HasPrefix(got, i18n.Missing) {
		t.Fatalf("an unknown message rendered as %q", got)
	}
}

func TestNegotiatePrefersTheUserThenTheCookieThenTheBrowser(t *testing.T) {
	cases := []struct {
		name, pref, cookie, accept string
		want                       i18n.Lang
	}{
		{"nothing known", "", "", "", i18n.EN},
		{"browser in Chinese", "", "", "zh-CN,zh;q=0.9,en;q=0.8", i18n.ZH},
		{"browser says zh only", "", "", "zh", i18n.ZH},
		{"browser in Taiwan Chinese still reads Simplified best of what we have", "", "", "zh-TW", i18n.ZH},
		{"browser in English", "", "", "en-GB,en;q=0.9", i18n.EN},
		{"browser in French", "", "", "fr-FR", i18n.EN},
		{"cookie beats the browser", "", "en", "zh-CN", i18n.EN},
		{"user beats the cookie", "zh-CN", "en", "en", i18n.ZH},
		{"a forged cookie is ignored", "", "xx", "zh-CN", i18n.ZH},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := i18n.Negotiate(tc.pref, tc.cookie, tc.accept); got != tc.want {
				t.Fatalf("Negotiate = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestDatesAndWeeksFollowTheLanguage(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	mon, sun := time.Date(2026, 11, 16, 0, 0, 0, 0, cst), time.Date(2026, 11, 22, 0, 0, 0, 0, cst)
	cases := []struct {
		lang       i18n.Lang
		date, week string
	}{
		{i18n.ZH, "2026年11月24日", "11月16日–11月22日"},
		{i18n.EN, "24 Nov 2026", "16–22 Nov 2026"},
	}
	for _, tc := range cases {
		l := i18n.For(tc.lang)
		if got := l.Date(time.Date(2026, 11, 24, 9, 0, 0, 0, cst)); got != tc.date {
			t.Errorf("%s date %q, want %q", tc.lang, got, tc.date)
		}
		if got := l.Week(mon, sun); got != tc.week {
			t.Errorf("%s week %q, want %q", tc.lang, got, tc.week)
		}
	}
}

// A translation keeps every placeholder of its message: a value dropped in one
// language would silently hide a number or a name.
func TestTranslationsKeepEveryPlaceholder(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\{\.\w+\}\}`)
	raw := map[i18n.Lang]map[string]any{}
	for _, l := range i18n.Langs {
		m, err := i18n.Messages(l)
		if err != nil {
			t.Fatal(err)
		}
		raw[l] = m
	}
	texts := func(v any) string { return fmt.Sprint(v) }
	for id, en := range raw[i18n.EN] {
		want := placeholder.FindAllString(texts(en), -1)
		slices.Sort(want)
		got := placeholder.FindAllString(texts(raw[i18n.ZH][id]), -1)
		slices.Sort(got)
		if !slices.Equal(slices.Compact(want), slices.Compact(got)) {
			t.Errorf("%s: English has %v, Chinese %v", id, want, got)
		}
	}
}

// Every message has an ID, never an English sentence for a key: the words
// are the catalogue's, chosen where they are shown (a sentence used as its
// own key would be changed in the code and silently lose its translation).
func TestMessageIDsAreIdentifiers(t *testing.T) {
	id := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, l := range i18n.Langs {
		ids, err := i18n.MessageIDs(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ids {
			if !id.MatchString(m) {
				t.Errorf("%s: %q is not a message ID", l, m)
			}
		}
	}
}
