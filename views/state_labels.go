package views

import (
	"context"
	"strings"

	"github.com/jd/creator-portal/views/i18n"
)

// TransferStateLabel is a transfer state (models.TransferStates) in the page's language.
func TransferStateLabel(ctx context.Context, state string) string {
	return labelOr(ctx, "transfer_state_"+state, state)
}

// AppealStateLabel is an appeal state (models.AppealStates) in the page's language.
func AppealStateLabel(ctx context.Context, state string) string {
	return labelOr(ctx, "appeal_state_"+state, state)
}

// labelOr translates id, or shows the value itself when the catalogue has no
// label for it (a state newer than the catalogue stays readable; a test
// keeps every known state labelled).
func labelOr(ctx context.Context, id, value string) string {
	if s := i18n.T(ctx, id); !strings.HasPrefix(s, i18n.Missing) {
		return s
	}
	return value
}
