package models

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// notificationMessageV1 is the notifications table's new columns as this
// step adds them: the message as a kind (its catalogue ID) with JSON
// arguments, what it links to, and the text of a sentence it could not read.
type notificationMessageV1 struct {
	Args       string `gorm:"type:text;not null;default:''"`
	TargetType string `gorm:"size:24;not null;default:''"`
	TargetID   uint   `gorm:"not null;default:0"`
	LegacyText string `gorm:"size:500;not null;default:''"`
}

func (notificationMessageV1) TableName() string { return "notifications" }

// legacyNotification is a notification as the portal stored it before this step.
type legacyNotification struct {
	ID      uint
	Kind    string
	Message string
	Link    string
}

// migrateNotificationMessages stores notifications as data instead of an
// English sentence and a URL: it adds the columns kind + args + target +
// legacy_text, reads every stored sentence back into its kind and arguments
// (the formats the portal wrote them in, frozen below), turns the links into
// targets, keeps what it cannot read in legacy_text (shown as it is), and
// drops the columns message and link. Plain SQL and a frozen struct, valid on
// SQLite and PostgreSQL; a database whose notifications already have the new
// shape (the first steps migrate today's Notification struct) only gets the
// columns it lacks.
func migrateNotificationMessages(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, field := range []string{"Args", "TargetType", "TargetID", "LegacyText"} {
		if !m.HasColumn(&notificationMessageV1{}, field) {
			if err := m.AddColumn(&notificationMessageV1{}, field); err != nil {
				return err
			}
		}
	}
	if !m.HasColumn("notifications", "message") {
		return nil
	}
	var reasons []struct{ Code, Label string }
	if err := tx.Raw(`SELECT code, label FROM reason_codes ORDER BY id`).Scan(&reasons).Error; err != nil {
		return err
	}
	codeOf := map[string]string{}
	for _, r := range reasons {
		if _, seen := codeOf[r.Label]; !seen {
			codeOf[r.Label] = r.Code
		}
	}
	var last uint
	for {
		var batch []legacyNotification
		if err := tx.Raw(`SELECT id, kind, message, COALESCE(link, '') AS link FROM notifications WHERE id > ? ORDER BY id LIMIT 500`, last).
			Scan(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, n := range batch {
			last = n.ID
			kind, args, ok := readLegacyNotification(n.Message, codeOf)
			targetType, targetID := legacyTarget(n.Link)
			var err error
			if ok {
				err = tx.Exec(`UPDATE notifications SET kind = ?, args = ?, target_type = ?, target_id = ?, legacy_text = '' WHERE id = ?`,
					kind, args, targetType, targetID, n.ID).Error
			} else {
				text := n.Message
				if text == "" {
					text = n.Kind // never an empty line on the page
				}
				err = tx.Exec(`UPDATE notifications SET args = '', target_type = ?, target_id = ?, legacy_text = ? WHERE id = ?`,
					targetType, targetID, text, n.ID).Error
			}
			if err != nil {
				return err
			}
		}
	}
	for _, col := range []string{"message", "link"} {
		if m.HasColumn("notifications", col) {
			if err := tx.Exec(`ALTER TABLE notifications DROP COLUMN ` + col).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// legacyNotificationFormats are the sentences the portal stored before this
// step (the fmt.Sprintf formats of its notifications), with the kind each
// becomes and the names of its arguments. Frozen: they describe data already
// written, not what the portal writes today.
var legacyNotificationFormats = []struct {
	re   *regexp.Regexp
	kind string
	args []string // one per group; a name ending in ":fen" is money, ":word_creator" a creator state, ":reason" a reason label
}{
	{regexp.MustCompile(`^Your bonus of (¥[0-9,]+\.[0-9]{2}) for (\S+) is approved\.$`), "notify_bonus_approved", []string{"Amount:fen", "Period"}},
	{regexp.MustCompile(`^Your bonus for (\S+) was rejected: (.+)\.$`), "notify_bonus_rejected", []string{"Period", "Reason:reason"}},
	{regexp.MustCompile(`^(.+) is now (pending|qualified|rejected|suspended): (.+)\.$`), "notify_creator_state_reason", []string{"Name", "State:word_creator", "Reason:reason"}},
	{regexp.MustCompile(`^(.+) is now (pending|qualified|rejected|suspended)\.$`), "notify_creator_state", []string{"Name", "State:word_creator"}},
	{regexp.MustCompile(`^Your agency met its quota of ([0-9]+) creators for ([0-9]{4}-[0-9]{2})\.$`), "notify_quota_met", []string{"Quota:int", "Month"}},
	{regexp.MustCompile(`^Your appeal for (\S+) was upheld: the rejection stands\.$`), "notify_appeal_upheld", []string{"Period"}},
	{regexp.MustCompile(`^Your appeal for (\S+) succeeded: the bonus goes back for approval\.$`), "notify_appeal_overturned", []string{"Period"}},
	{regexp.MustCompile(`^(.+) asks you to move to their agency\. Accept or decline on your page\.$`), "notify_transfer_requested", []string{"Agency"}},
	{regexp.MustCompile(`^The creator declined your transfer request\.$`), "notify_transfer_declined", nil},
	{regexp.MustCompile(`^The creator accepted your transfer request; they join your agency on ([0-9]{4}-[0-9]{2})-01\.$`), "notify_transfer_accepted", []string{"Month"}},
	{regexp.MustCompile(`^A creator of yours accepted a transfer to another agency from ([0-9]{4}-[0-9]{2})-01\.$`), "notify_transfer_leaving", []string{"Month"}},
	{regexp.MustCompile(`^You are number ([0-9]+) in JD's top ([0-9]+) creators of ([0-9]{4})!$`), "notify_top_creator", []string{"Rank:int", "Top:int", "Year:int"}},
	{regexp.MustCompile(`^(.+) is number ([0-9]+) in the top ([0-9]+) of ([0-9]{4})\.$`), "notify_top_creator_agency", []string{"Name", "Rank:int", "Top:int", "Year:int"}},
}

// readLegacyNotification reads a stored sentence into its kind and JSON
// arguments (as encodeArgs writes them); ok is false when it matches no
// format, or names a reason label no reason code has.
func readLegacyNotification(text string, codeOf map[string]string) (kind, args string, ok bool) {
	for _, f := range legacyNotificationFormats {
		g := f.re.FindStringSubmatch(text)
		if g == nil {
			continue
		}
		out := map[string]any{}
		for i, spec := range f.args {
			name, typ, _ := strings.Cut(spec, ":")
			v := g[i+1]
			switch typ {
			case "fen":
				fen, ok := legacyYuan(v)
				if !ok {
					return "", "", false
				}
				out[name] = map[string]int64{"fen": fen}
			case "int":
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return "", "", false
				}
				out[name] = n
			case "word_creator":
				out[name] = map[string]string{"word": "word_creator_" + v}
			case "reason":
				code, known := codeOf[v]
				if !known {
					return "", "", false
				}
				out[name] = map[string]string{"reason": code}
			default:
				out[name] = v
			}
		}
		if len(out) == 0 {
			return f.kind, "", true
		}
		b, err := json.Marshal(out)
		if err != nil {
			return "", "", false
		}
		return f.kind, string(b), true
	}
	return "", "", false
}

// legacyYuan reads an amount as the portal wrote it (¥12,345.67) into fen.
func legacyYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimPrefix(s, "¥"), ",", "")
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		return 0, false
	}
	y, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return y*100 + f, true
}

var legacyCreatorLink = regexp.MustCompile(`^/creators/([0-9]+)$`)

// legacyTarget turns a stored link into a target (none for a link the portal did not write).
func legacyTarget(link string) (string, uint) {
	switch link {
	case "/me":
		return "me", 0
	case "/dashboard":
		return "dashboard", 0
	case "/top-creators":
		return "top_creators", 0
	}
	if g := legacyCreatorLink.FindStringSubmatch(link); g != nil {
		if id, err := strconv.ParseUint(g[1], 10, 64); err == nil {
			return "creator", uint(id)
		}
	}
	return "", 0
}

// NotificationMessagesStep is the migration version of
// migrateNotificationMessages, found by value: tests rebuild a database as it
// was before it (with notifications stored as sentences) without depending on
// the step's number.
func NotificationMessagesStep() int {
	want := reflect.ValueOf(migrateNotificationMessages).Pointer()
	for i, step := range migrations {
		if reflect.ValueOf(step).Pointer() == want {
			return i + 1
		}
	}
	panic("migrateNotificationMessages is not a migration step")
}
