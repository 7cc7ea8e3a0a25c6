package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuditEntry is one append-only record of a change of state. The application
// only ever inserts these rows.
type AuditEntry struct {
	ID uint `gorm:"primaryKey"`
	// Seq numbers entries without gaps (1, 2, 3, ...), so a removed entry shows.
	// Its unique index is made by a migration step (older steps add the column to tables with rows).
	Seq        int64     `gorm:"not null;default:0"`
	At         time.Time `gorm:"not null;index"`
	ActorID    *uint     `gorm:"index:idx_audit_actor_at,priority:1"`
	ActorEmail string    `gorm:"size:254;not null"`
	Action     string    `gorm:"size:64;not null;index:idx_audit_action_at,priority:1"`
	ObjectType string    `gorm:"size:32;not null;index:idx_audit_object,priority:1"`
	ObjectID   uint      `gorm:"not null;index:idx_audit_object,priority:2"`
	Before     string    `gorm:"type:text"`
	After      string    `gorm:"type:text"`
	IP         string    `gorm:"size:64"`
	// Hash chains the log: HMAC-SHA256, under a key kept outside the database,
	// of the entry's content, its sequence number and the previous entry's
	// hash. Editing, removing or appending a row without the key breaks it.
	PrevHash string `gorm:"size:64;not null;default:''"`
	Hash     string `gorm:"size:64;not null;default:''"`
}

// maxAuditEmail bounds the email a failed sign-in stores (it is what the visitor typed).
const maxAuditEmail = 254

// auditKeyCtx carries the audit key to the transactions of a store.
type auditKeyCtx struct{}

func withAuditKey(ctx context.Context, key []byte) context.Context {
	return context.WithValue(ctx, auditKeyCtx{}, key)
}

// clockCtx carries the store's clock to its transactions, so helpers that take
// a tx read the same clock as the Store's methods (see WithClock).
type clockCtx struct{}

func withClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockCtx{}, now)
}

// nowOf is the time by the clock of the store that opened tx (time.Now for a
// handle opened without one, such as a test's raw handle).
func nowOf(tx *gorm.DB) time.Time {
	if now, ok := tx.Statement.Context.Value(clockCtx{}).(func() time.Time); ok && now != nil {
		return now()
	}
	return time.Now()
}

func auditKeyOf(tx *gorm.DB) ([]byte, error) {
	key, _ := tx.Statement.Context.Value(auditKeyCtx{}).([]byte)
	if len(key) == 0 {
		return nil, errors.New("audit: no audit key in this transaction (use Store.tx)")
	}
	return key, nil
}

// writeCanonical writes the parts of an entry that the hash covers, each ended by NUL.
// Migration step 8 chained the existing entries with its own copy of this
// function: a change here needs a step that re-chains the log.
func (e *AuditEntry) writeCanonical(h io.Writer) {
	actor := ""
	if e.ActorID != nil {
		actor = strconv.FormatUint(uint64(*e.ActorID), 10)
	}
	parts := []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), actor, e.ActorEmail, e.Action, e.ObjectType,
		strconv.FormatUint(uint64(e.ObjectID), 10), e.Before, e.After, e.IP}
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
}

// mac is the entry's HMAC-SHA256 under key.
func (e *AuditEntry) mac(key []byte) string {
	h := hmac.New(sha256.New, key)
	e.writeCanonical(h)
	return hex.EncodeToString(h.Sum(nil))
}

func appendAudit(tx *gorm.DB, a *Actor, action, objectType string, objectID uint, before, after any) error {
	e := newAuditEntry(nowOf(tx), a, action, objectType, objectID, before, after)
	return chainAudit(tx, &e)
}

func newAuditEntry(now time.Time, a *Actor, action, objectType string, objectID uint, before, after any) AuditEntry {
	e := AuditEntry{
		At:         now.UTC().Truncate(time.Microsecond),
		ActorEmail: "system",
		Action:     action,
		ObjectType: objectType,
		ObjectID:   objectID,
		Before:     toJSON(before),
		After:      toJSON(after),
	}
	if a != nil {
		if a.UserID != 0 {
			id := a.UserID
			e.ActorID = &id
		}
		if a.Email != "" {
			e.ActorEmail = truncateRunes(a.Email, maxAuditEmail)
		}
		e.IP = truncateRunes(a.IP, 64)
	}
	return e
}

// chainAudit gives e the next sequence number and its link, and inserts it.
func chainAudit(tx *gorm.DB, e *AuditEntry) error {
	key, err := auditKeyOf(tx)
	if err != nil {
		return err
	}
	// One writer at a time extends the chain; SQLite's IMMEDIATE transactions already ensure it.
	if err := advisoryLock(tx, lockKeyAuditChain); err != nil {
		return err
	}
	var last AuditEntry
	if err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	e.Seq, e.PrevHash = last.Seq+1, last.Hash
	e.Hash = e.mac(key)
	return tx.Create(e).Error
}

// AuditHead is the last entry of the log as "sequence:hash": published
// outside the database (the server's log, an operator's notes), it lets
// verification notice a log cut short or re-written before it.
type AuditHead struct {
	Seq  int64
	Hash string
}

func (h AuditHead) String() string { return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash }

// ParseAuditHead reads "SEQ:HASH" as printed by `portal audit anchor`.
func ParseAuditHead(s string) (AuditHead, error) {
	seqText, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 || len(hash) != 64 {
		return AuditHead{}, fmt.Errorf("anchor %q: write it as SEQUENCE:HASH, as `portal audit anchor` prints it", s)
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return AuditHead{}, fmt.Errorf("anchor %q: the hash is not hexadecimal", s)
	}
	return AuditHead{Seq: seq, Hash: strings.ToLower(hash)}, nil
}

// AuditHeadNow returns the log's current head (zero when the log is empty).
func (s *Store) AuditHeadNow(ctx context.Context) (AuditHead, error) {
	var last AuditEntry
	err := s.db.WithContext(ctx).Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error
	return AuditHead{Seq: last.Seq, Hash: last.Hash}, err
}

// AuditCheck is the outcome of verifying the audit chain.
type AuditCheck struct {
	Checked  int
	Head     AuditHead // the last entry checked
	BrokenAt int64     // the sequence number where the log stops being trustworthy; 0 when intact
	Problem  string    // what is wrong, when BrokenAt or Failed is set
	Failed   bool      // the log as a whole fails (empty, or not matching the anchor) even with no broken entry
}

// OK reports whether the log passed.
func (c AuditCheck) OK() bool { return c.BrokenAt == 0 && !c.Failed }

// VerifyOptions says what else the log must match.
type VerifyOptions struct {
	Anchor     *AuditHead // a head published earlier: the log must still contain it
	AllowEmpty bool       // an empty log passes only when this is set
}

// VerifyAudit walks the whole log in sequence order and reports the first
// entry whose number, link or HMAC is wrong; then whether the log as a whole
// is empty or no longer holds the anchor. It fails closed: only a log that
// the key chained, without gaps, passes.
func (s *Store) VerifyAudit(ctx context.Context, opt VerifyOptions) (AuditCheck, error) {
	var res AuditCheck
	var anchorHash string
	prev := ""
	var lastSeq int64
	for {
		var batch []AuditEntry
		if err := s.r(ctx).Where("seq > ?", lastSeq).Order("seq").Limit(5000).Find(&batch).Error; err != nil {
			return res, err
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			e := &batch[i]
			switch {
			case e.Seq != lastSeq+1:
				res.BrokenAt, res.Problem = lastSeq+1, fmt.Sprintf("entry %d is missing (the next one is %d): entries were removed", lastSeq+1, e.Seq)
				return res, nil
			case e.PrevHash != prev:
				res.BrokenAt, res.Problem = e.Seq, fmt.Sprintf("entry %d does not link to the entry before it (an entry was removed or replaced)", e.Seq)
				return res, nil
			case !hmac.Equal([]byte(e.mac(s.auditKey)), []byte(e.Hash)):
				res.BrokenAt, res.Problem = e.Seq, fmt.Sprintf("entry %d does not match its HMAC (it was edited, or written without the audit key)", e.Seq)
				return res, nil
			}
			res.Checked++
			if opt.Anchor != nil && e.Seq == opt.Anchor.Seq {
				anchorHash = e.Hash
			}
			prev, lastSeq = e.Hash, e.Seq
			res.Head = AuditHead{Seq: e.Seq, Hash: e.Hash}
		}
	}
	switch {
	case res.Checked == 0 && !opt.AllowEmpty:
		res.Failed, res.Problem = true, "the audit log is empty (every entry was removed?); pass --allow-empty only for a new installation"
	case opt.Anchor != nil && res.Head.Seq < opt.Anchor.Seq:
		res.Failed, res.Problem = true, fmt.Sprintf("the log ends at entry %d, before the anchor %d: entries were removed from its end", res.Head.Seq, opt.Anchor.Seq)
	case opt.Anchor != nil && anchorHash != opt.Anchor.Hash:
		res.Failed, res.Problem = true, fmt.Sprintf("entry %d differs from the anchor: the log was re-written up to it", opt.Anchor.Seq)
	}
	return res, nil
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Actor      string // email, exact or prefix
	Action     string // exact or prefix such as "creator."
	ObjectType string
	ObjectID   uint
	From, To   time.Time // To is exclusive
}

// ListAudit returns audit entries, newest first, for staff.
func (s *Store) ListAudit(ctx context.Context, a *Actor, f AuditFilter, page Page) ([]AuditEntry, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	q := s.r(ctx).Model(&AuditEntry{})
	if f.Actor != "" {
		q = q.Where("actor_email LIKE ?"+likeEscape, likePrefix(NormalizeEmail(f.Actor)))
	}
	if f.Action != "" {
		q = q.Where("action LIKE ?"+likeEscape, likePrefix(f.Action))
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != 0 {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	q, reversed, err := auditOrder.read(q, page, total)
	if err != nil {
		return nil, total, err
	}
	var es []AuditEntry
	err = q.Find(&es).Error
	if reversed {
		slices.Reverse(es)
	}
	return es, total, err
}

// auditOrder is the audit log's order: newest first.
var auditOrder = seekSort{ID: "id", Desc: true}

// AuditCursor is the cursor of an entry of the audit log, for the link to
// the page after (or before) it.
func AuditCursor(e AuditEntry) string { return auditOrder.cursor(e.ID) }

// AuditFor lists the history of one object, oldest first.
func (s *Store) AuditFor(ctx context.Context, objectType string, id uint) ([]AuditEntry, error) {
	var es []AuditEntry
	err := s.r(ctx).Where("object_type = ? AND object_id = ?", objectType, id).Order("id").Limit(500).Find(&es).Error
	return es, err
}

// AuditRefusal records a refused request: a role that may not use a route,
// or an id outside the actor's tenant. Both look like "not found" to the user.
func (s *Store) AuditRefusal(ctx context.Context, a *Actor, method, path string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return appendAuditTallied(tx, a, "access.refused", "request", 0, map[string]any{"method": method, "path": truncateRunes(path, 256)})
	})
}

// auditTally counts the repeats of a refused action by one actor within one
// minute: the first is an audit entry, the rest only raise its count, so a
// script hammering a refused URL cannot flood the log.
type auditTally struct {
	ActorKey string `gorm:"primaryKey;size:80"`
	Action   string `gorm:"primaryKey;size:64"`
	Minute   int64  `gorm:"primaryKey;autoIncrement:false"`
	Count    int64  `gorm:"not null"`
	EntrySeq int64  `gorm:"not null;index"`
}

func (auditTally) TableName() string { return "audit_tallies" }

// tallyKey names who a tally counts: the user, else the address.
func tallyKey(a *Actor) string {
	switch {
	case a == nil:
		return "system"
	case a.UserID != 0:
		return "user:" + strconv.FormatUint(uint64(a.UserID), 10)
	default:
		return "ip:" + truncateRunes(a.IP, 64)
	}
}

// appendAuditTallied audits a refusal once per actor, action and minute, and
// counts the repeats.
func appendAuditTallied(tx *gorm.DB, a *Actor, action, objectType string, objectID uint, after any) error {
	key := tallyKey(a)
	if objectID != 0 {
		// Per object: a refused approval keeps which bonus and why; only repeats of the same one are counted.
		key += "#" + objectType + ":" + strconv.FormatUint(uint64(objectID), 10)
	}
	t := auditTally{ActorKey: truncateRunes(key, 80), Action: action, Minute: nowOf(tx).Unix() / 60, Count: 1}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&t)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return tx.Model(&auditTally{}).Where("actor_key = ? AND action = ? AND minute = ?", t.ActorKey, t.Action, t.Minute).
			UpdateColumn("count", gorm.Expr("count + 1")).Error
	}
	e := newAuditEntry(nowOf(tx), a, action, objectType, objectID, nil, after)
	if err := chainAudit(tx, &e); err != nil {
		return err
	}
	return tx.Model(&auditTally{}).Where("actor_key = ? AND action = ? AND minute = ?", t.ActorKey, t.Action, t.Minute).
		UpdateColumn("entry_seq", e.Seq).Error
}

// AuditRepeats returns, for the given entries, how many times each refusal
// happened within its minute (only entries that were repeated are listed).
func (s *Store) AuditRepeats(ctx context.Context, entries []AuditEntry) (map[int64]int64, error) {
	seqs := make([]int64, 0, len(entries))
	for _, e := range entries {
		seqs = append(seqs, e.Seq)
	}
	out := map[int64]int64{}
	if len(seqs) == 0 {
		return out, nil
	}
	var ts []auditTally
	if err := s.r(ctx).Where("entry_seq IN ? AND count > 1", seqs).Find(&ts).Error; err != nil {
		return nil, err
	}
	for _, t := range ts {
		out[t.EntrySeq] = t.Count
	}
	return out, nil
}

// truncateRunes cuts s to at most n characters (not bytes), for columns of bounded size.
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
