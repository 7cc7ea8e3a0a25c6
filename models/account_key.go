package models

import (
	"fmt"
	"strings"
)

// AccountKey is the form of a JD creator account ID that identifies the
// creator: surrounding space and letter case do not matter, so "JD_CR_1" and
// " jd_cr_1 " are one creator. Creators keep the ID as it was typed for
// display (Creator.AccountID); every lookup and the unique index use this key
// (Creator.AccountKey), so one agency per creator cannot be dodged by case.
func AccountKey(accountID string) string { return strings.ToLower(strings.TrimSpace(accountID)) }

// AccountKeyHolder is one creator whose account ID collides with another's.
type AccountKeyHolder struct {
	CreatorID  uint
	AccountID  string
	AgencyID   *uint
	AgencyName string
}

// AccountKeyCollisionError stops the upgrade that makes account IDs unique
// regardless of case: it lists, key by key, the creators that hold one ID
// written differently, so an operator can merge or correct them first.
type AccountKeyCollisionError struct {
	Keys    []string                      // in order
	Holders map[string][]AccountKeyHolder // by key
}

// maxCollisionsListed bounds the message; the count says how many more there are.
const maxCollisionsListed = 100

func (e *AccountKeyCollisionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot upgrade: %d JD creator account ID(s) are held by more than one creator when letter case and surrounding spaces are ignored; "+
		"one agency per creator requires them to be unique. Merge or correct these creators, then start the portal again:", len(e.Keys))
	for i, k := range e.Keys {
		if i == maxCollisionsListed {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Keys)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s:", k)
		for j, h := range e.Holders[k] {
			if j > 0 {
				b.WriteString(",")
			}
			agency := "no agency"
			if h.AgencyID != nil {
				agency = fmt.Sprintf("agency %d %q", *h.AgencyID, h.AgencyName)
			}
			fmt.Fprintf(&b, " %q (creator %d, %s)", h.AccountID, h.CreatorID, agency)
		}
	}
	return b.String()
}
