package views_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// Issue 13, point 4: the models hold the one list of each kind of state; every
// state in those lists has a label in every language. A state added to the
// models without its catalogue entries fails here.
func TestEveryStateHasALabelInEveryLanguage(t *testing.T) {
	kinds := map[string]struct {
		states []string
		label  func(context.Context, string) string
	}{
		"creator": {strs(models.CreatorStates), views.StateLabel},
		"bonus":   {strs(models.BonusStates), views.BonusStateLabel},
		"batch":   {models.BatchStates, views.BatchStateLabel},
	}
	for kind, k := range kinds {
		if len(k.states) == 0 {
			t.Fatalf("%s: no states", kind)
		}
		for _, lang := range i18n.Langs {
			ctx := i18n.With(context.Background(), i18n.For(lang))
			seen := map[string]string{}
			for _, st := range k.states {
				got := k.label(ctx, st)
				if got == "" || got == st || strings.Contains(got, i18n.Missing) {
					t.Errorf("%s state %q has no label in %s (got %q)", kind, st, lang, got)
				}
				if other, dup := seen[got]; dup {
					t.Errorf("%s states %q and %q share the label %q in %s", kind, other, st, got, lang)
				}
				seen[got] = st
			}
		}
	}
	// A value that is not a state is shown as it is, not as a missing message.
	if got := views.BonusStateLabel(context.Background(), "no_such_state"); got != "no_such_state" {
		t.Errorf("unknown state shown as %q", got)
	}
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// Labelling a row allocates nothing: the queue labels 50 rows a page.
func TestStateLabelsDoNotAllocate(t *testing.T) {
	ctx := i18n.With(context.Background(), i18n.For(i18n.ZH))
	if n := testing.AllocsPerRun(100, func() { _ = views.BonusStateLabel(ctx, "awaiting_second") }); n != 0 {
		t.Fatalf("%v allocations per label", n)
	}
}
