package models

import (
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Two risk detectors about identity (issue 16, point 7): the same content
// claimed by several creators in one week (borrowed content), and several
// creators behind one phone, email or payee account (one person behind
// many accounts).

func init() {
	riskDetectors = append(riskDetectors, detectSharedContent, detectSharedContact)
}

// maxNamedOthers bounds how many other creators a flag names.
const maxNamedOthers = 3

// detectSharedContent flags every creator who claims, in the week, a
// content ID another creator claims too. A creator gets one flag: the
// content shared with the most creators (then the lowest ID), the other
// creators' account IDs, and how many of their items are shared.
func detectSharedContent(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	week := w.Week.String()
	var shared []string
	if err := tx.Model(&PerformanceContent{}).Where("week = ?", week).Group("content_id").
		Having("COUNT(*) >= 2").Order("content_id").Pluck("content_id", &shared).Error; err != nil {
		return nil, err
	}
	if len(shared) == 0 {
		return nil, nil
	}
	claims := map[string][]uint{} // content id -> creators, by id
	for _, part := range chunks(shared, 500) {
		var items []PerformanceContent
		if err := tx.Select("creator_id, content_id").Where("week = ? AND content_id IN ?", week, part).
			Order("content_id, creator_id").Find(&items).Error; err != nil {
			return nil, err
		}
		for _, it := range items {
			claims[it.ContentID] = append(claims[it.ContentID], it.CreatorID)
		}
	}
	var ids []uint
	mine := map[uint][]string{} // creator -> shared content ids, sorted
	for _, cid := range shared {
		for _, id := range claims[cid] {
			if mine[id] == nil {
				ids = append(ids, id)
			}
			mine[id] = append(mine[id], cid)
		}
	}
	accounts, err := creatorAccounts(tx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uint][]RiskFlag, len(mine))
	for id, cids := range mine {
		best := cids[0]
		for _, cid := range cids[1:] {
			if len(claims[cid]) > len(claims[best]) {
				best = cid
			}
		}
		var others []string
		for _, o := range claims[best] {
			if o != id {
				others = append(others, accounts[o])
			}
		}
		out[id] = []RiskFlag{{Kind: RiskSharedContent, Args: map[string]any{
			"ContentID": best, "Others": nameSome(others), "Creators": int64(len(claims[best])), "Items": int64(len(cids)),
		}}}
	}
	return out, nil
}

// creatorAccounts reads creators' account IDs.
func creatorAccounts(tx *gorm.DB, ids []uint) (map[uint]string, error) {
	out := make(map[uint]string, len(ids))
	for _, part := range chunks(ids, 500) {
		var cs []Creator
		if err := tx.Select("id, account_id").Where("id IN ?", part).Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, c := range cs {
			out[c.ID] = c.AccountID
		}
	}
	return out, nil
}

// nameSome lists a few names, sorted, with "…" when there are more.
func nameSome(names []string) string {
	sort.Strings(names)
	if len(names) > maxNamedOthers {
		return strings.Join(names[:maxNamedOthers], "、") + "…"
	}
	return strings.Join(names, "、")
}

// What a shared-contact flag says is shared (message words "risk_shared_<what>").
const (
	sharedPhone   Word = "risk_shared_phone"
	sharedEmail   Word = "risk_shared_email"
	sharedAccount Word = "risk_shared_account"
)

// contactShare is one identity several creators share.
type contactShare struct {
	what     Word
	masked   string
	creators []uint
}

// detectSharedContact flags creators with a proposal this week who share a
// contact phone, a contact email or a payee account with at least
// T.SharedMinCreators-1 other creators (any creator of the programme
// counts, proposed or not). A creator gets one flag: the identity shared by
// the most creators (phone before email before account on a tie).
//
// Contacts are compared normalised (a phone's digits without +86, an email
// in lower case). Payee accounts are encrypted, so every creator payee's
// account is decrypted here, in bulk, with the store's payee keys (about
// 1 µs each: some 0.1 s, plus reading the rows, for 100,000 creators); a
// store without payee keys compares phones and emails only.
func detectSharedContact(tx *gorm.DB, w *riskWeek) (map[uint][]RiskFlag, error) {
	if len(w.Proposals) == 0 {
		return nil, nil
	}
	minCreators := max(w.T.SharedMinCreators, 2)
	proposed := make(map[uint]bool, len(w.Proposals))
	for _, p := range w.Proposals {
		proposed[p.CreatorID] = true
	}
	groups := map[string]*contactShare{} // "<what>|<normalised value>" -> creators
	add := func(what Word, value, masked string, id uint) {
		if value == "" {
			return
		}
		k := string(what) + "|" + value
		g := groups[k]
		if g == nil {
			g = &contactShare{what: what, masked: masked}
			groups[k] = g
		}
		g.creators = append(g.creators, id)
	}
	// Read as rows, not structs: 100,000 creators' contacts in one pass.
	rows, err := tx.Model(&Creator{}).Select("id, COALESCE(contact_phone, ''), COALESCE(contact_email, '')").
		Where("contact_phone <> '' OR contact_email <> ''").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		var phone, email string
		if err := rows.Scan(&id, &phone, &email); err != nil {
			return nil, err
		}
		phone = normalisePhone(phone)
		add(sharedPhone, phone, maskPhone(phone), id)
		email = NormalizeEmail(email)
		add(sharedEmail, email, maskEmail(email), id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := sharedPayeeAccounts(tx, add); err != nil {
		return nil, err
	}
	rank := map[Word]int{sharedPhone: 0, sharedEmail: 1, sharedAccount: 2}
	best := map[uint]*contactShare{}
	for _, g := range groups {
		if int64(len(g.creators)) < minCreators {
			continue
		}
		for _, id := range g.creators {
			if !proposed[id] {
				continue
			}
			b := best[id]
			if b == nil || len(g.creators) > len(b.creators) ||
				len(g.creators) == len(b.creators) && (rank[g.what] < rank[b.what] || rank[g.what] == rank[b.what] && g.masked < b.masked) {
				best[id] = g
			}
		}
	}
	out := make(map[uint][]RiskFlag, len(best))
	for id, g := range best {
		out[id] = []RiskFlag{{Kind: RiskSharedContact, Args: map[string]any{
			"What": g.what, "Value": g.masked, "Creators": int64(len(g.creators)),
		}}}
	}
	return out, nil
}

// sharedPayeeAccounts adds every creator payee's account (method and
// number) to the groups, decrypted with the payee keys; without keys it
// adds nothing.
func sharedPayeeAccounts(tx *gorm.DB, add func(what Word, value, masked string, id uint)) error {
	c, err := payeeCipherOf(tx)
	if errors.Is(err, ErrNoPayeeKey) {
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := tx.Model(&Payee{}).Select("owner_id, method, account_enc, account_masked").Where("kind = ?", PayeeCreator).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner uint
		var method, sealed, masked string
		if err := rows.Scan(&owner, &method, &sealed, &masked); err != nil {
			return err
		}
		account, err := c.open(sealed, payeeAAD(PayeeCreator, owner, "account"))
		if err != nil {
			return err
		}
		account = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '-' {
				return -1
			}
			return unicode.ToLower(r)
		}, account)
		if account != "" {
			add(sharedAccount, method+":"+account, masked, owner)
		}
	}
	return rows.Err()
}

// normalisePhone keeps a phone's digits, without China's country code
// (+86, 0086) in front of a mobile number; "" when it has no digits.
func normalisePhone(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	for _, cc := range []string{"0086", "86"} {
		if rest, ok := strings.CutPrefix(d, cc); ok && len(rest) == 11 && rest[0] == '1' {
			return rest
		}
	}
	return d
}

// maskPhone shows the first three and last four digits (138****5678).
func maskPhone(p string) string {
	if len(p) <= 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// maskEmail keeps the first letter and the domain (a***@example.com).
func maskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}
