package models_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// The check characters, with real numbers: the well-known sample ID and
// credit code, test cards, and each with one character changed.
func TestPayeeCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"ID sample with X", models.ValidResidentID, "11010519491231002X", true},
		{"ID sample lower-case x", models.ValidResidentID, "11010519491231002x", true},
		{"ID digit check", models.ValidResidentID, "110101199003070011", true},
		{"ID Shenzhen", models.ValidResidentID, "44030419900307123X", true},
		{"ID Shanghai", models.ValidResidentID, "310115198511205673", true},
		{"ID wrong check", models.ValidResidentID, "110105194912310021", false},
		{"ID one digit changed", models.ValidResidentID, "11010519491231003X", false},
		{"ID 17 characters", models.ValidResidentID, "11010519491231002", false},
		{"ID 15-digit old card", models.ValidResidentID, "110105491231002", false},
		{"ID letter inside", models.ValidResidentID, "1101051949123100AX", false},
		{"ID impossible birthday 19491331", models.ValidResidentID, "110105194913310029", false},
		{"USCC sample", models.ValidUSCC, "91350100M000100Y43", true},
		{"USCC Beijing", models.ValidUSCC, "91110000100000001W", true},
		{"USCC Shenzhen", models.ValidUSCC, "91440300MA5ABCDE1H", true},
		{"USCC lower case", models.ValidUSCC, "91350100m000100y43", true},
		{"USCC wrong check", models.ValidUSCC, "91350100M000100Y44", false},
		{"USCC swapped characters", models.ValidUSCC, "91350100M000010Y43", false},
		{"USCC letter I not used", models.ValidUSCC, "91350100I000100Y43", false},
		{"USCC 17 characters", models.ValidUSCC, "91350100M000100Y4", false},
		{"Luhn Visa test card", models.ValidLuhn, "4111111111111111", true},
		{"Luhn 19-digit UnionPay", models.ValidLuhn, "6222020200112233446", true},
		{"Luhn 19-digit wrong", models.ValidLuhn, "6222020200112233449", false},
		{"Luhn one digit changed", models.ValidLuhn, "4111111111111112", false},
		{"Luhn letters", models.ValidLuhn, "41111111111111a1", false},
		{"Luhn empty", models.ValidLuhn, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.check(tc.in); got != tc.want {
				t.Fatalf("%s: got %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPayeeMasking(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{models.MaskIDNumber("11010519491231002X"), "1101**********002X"},
		{models.MaskIDNumber("91350100M000100Y43"), "9135**********0Y43"},
		{models.MaskAccount(models.PayByBank, "6222020200112233446"), "6222 **** **** 3446"},
		{models.MaskAccount(models.PayByBank, "4111111111111111"), "4111 **** **** 1111"},
		{models.MaskAccount(models.PayByBank, "350200123"), "**** **** 0123"},
		{models.MaskAccount(models.PayByAlipay, "13812345678"), "138****5678"},
		{models.MaskAccount(models.PayByAlipay, "zhang.san@example.com"), "z***@example.com"},
	} {
		if tc.got != tc.want {
			t.Errorf("masked %q, want %q", tc.got, tc.want)
		}
	}
}

// payeeWorld is a creator with an account and two agencies with managers.
type payeeWorld struct {
	*world
	creator *models.Creator
	me      *models.Actor
	other   *models.Actor // another creator
}

func newPayeeWorld(t *testing.T) *payeeWorld {
	t.Helper()
	w := &payeeWorld{world: newWorld(t)}
	w.creator = w.enrol(t, w.rev1, "payee_c1")
	second := w.enrol(t, w.rev1, "payee_c2")
	for i, c := range []*models.Creator{w.creator, second} {
		id := c.ID
		u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: []string{"c1@t.test", "c2@t.test"}[i], Password: "long-enough-password",
			Role: models.RoleCreator, CreatorID: &id})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.me = models.ActorFor(u, "")
		} else {
			w.other = models.ActorFor(u, "")
		}
	}
	return w
}

var (
	cardIn   = models.PayeeInput{Name: "张三", IDNumber: "110105 19491231 002X", Method: models.PayByBank, Account: "6222 0202 0011 2233 446", Bank: "中国工商银行", Branch: "北京朝阳支行"}
	agencyIn = models.PayeeInput{Name: "福州星光传媒有限公司", IDNumber: "91350100M000100Y43", Account: "3502 0000 1234 5678 901", Bank: "招商银行", Branch: "福州分行"}
)

func TestPayeeFieldErrors(t *testing.T) {
	w := newPayeeWorld(t)
	for _, tc := range []struct {
		name         string
		kind         string
		edit         func(in *models.PayeeInput)
		field, msgID string
	}{
		{"no name", models.PayeeCreator, func(in *models.PayeeInput) { in.Name = " " }, "name", "err_payee_name_required"},
		{"no ID", models.PayeeCreator, func(in *models.PayeeInput) { in.IDNumber = "" }, "id_number", "err_payee_id_required"},
		{"ID check digit", models.PayeeCreator, func(in *models.PayeeInput) { in.IDNumber = "110105194912310021" }, "id_number", "err_payee_resident_id"},
		{"credit code as a person's ID", models.PayeeCreator, func(in *models.PayeeInput) { in.IDNumber = "91350100M000100Y43" }, "id_number", "err_payee_resident_id"},
		{"card fails Luhn", models.PayeeCreator, func(in *models.PayeeInput) { in.Account = "6222020200112233449" }, "account", "err_payee_card"},
		{"card too short", models.PayeeCreator, func(in *models.PayeeInput) { in.Account = "42" }, "account", "err_payee_card"},
		{"no bank", models.PayeeCreator, func(in *models.PayeeInput) { in.Bank = "" }, "bank", "err_payee_bank_required"},
		{"no branch", models.PayeeCreator, func(in *models.PayeeInput) { in.Branch = "" }, "branch", "err_payee_branch_required"},
		{"no method", models.PayeeCreator, func(in *models.PayeeInput) { in.Method = "cash" }, "method", "err_payee_method"},
		{"Alipay not phone or email", models.PayeeCreator, func(in *models.PayeeInput) { in.Method, in.Account = models.PayByAlipay, "12345" }, "account", "err_payee_alipay"},
		{"credit code check", models.PayeeAgency, func(in *models.PayeeInput) { in.IDNumber = "91350100M000100Y44" }, "id_number", "err_payee_uscc"},
		{"corporate account letters", models.PayeeAgency, func(in *models.PayeeInput) { in.Account = "ABC123456789" }, "account", "err_payee_corporate_account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, a, owner := cardIn, w.me, w.creator.ID
			if tc.kind == models.PayeeAgency {
				in, a, owner = agencyIn, w.mcnA, w.agencyA.ID
			}
			tc.edit(&in)
			_, err := w.s.SavePayee(ctx, a, tc.kind, owner, in)
			if got := fieldError(t, err, tc.field); got.ID != tc.msgID {
				t.Fatalf("%s: got %s, want %s", tc.field, got.ID, tc.msgID)
			}
		})
	}
}

func TestPayeeKeptOnlyByItsOwner(t *testing.T) {
	w := newPayeeWorld(t)
	for name, tc := range map[string]struct {
		a     *models.Actor
		kind  string
		owner uint
	}{
		"another creator":          {w.other, models.PayeeCreator, w.creator.ID},
		"a reviewer":               {w.rev1, models.PayeeCreator, w.creator.ID},
		"another agency's manager": {w.mcnB, models.PayeeAgency, w.agencyA.ID},
		"a manager for a creator":  {w.mcnA, models.PayeeCreator, w.creator.ID},
	} {
		in := cardIn
		if tc.kind == models.PayeeAgency {
			in = agencyIn
		}
		if _, err := w.s.SavePayee(ctx, tc.a, tc.kind, tc.owner, in); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s saved payee details: %v", name, err)
		}
	}
	if _, err := w.s.SavePayee(ctx, w.me, models.PayeeCreator, w.creator.ID, cardIn); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.GetPayee(ctx, w.other, models.PayeeCreator, w.creator.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another creator read the payee: %v", err)
	}
	if _, err := w.s.GetPayee(ctx, w.rev1, models.PayeeCreator, w.creator.ID); err != nil {
		t.Fatalf("a reviewer could not read the payee: %v", err)
	}
}

// New details are unverified (held); a reviewer verifies the revision they
// saw, with a note; a changed account notifies the payee, asks for an email,
// and holds again. payeesForPayout answers with one query per kind.
func TestPayeeVerificationAndTheChangedAccount(t *testing.T) {
	w := newPayeeWorld(t)
	cRef := models.PayeeRef{Kind: models.PayeeCreator, ID: w.creator.ID}
	aRef := models.PayeeRef{Kind: models.PayeeAgency, ID: w.agencyA.ID}
	bRef := models.PayeeRef{Kind: models.PayeeAgency, ID: w.agenB.ID}
	payees := func() map[models.PayeeRef]models.PayoutPayee {
		t.Helper()
		got, err := models.PayeesForPayout(ctx, w.s, []models.PayeeRef{cRef, aRef, bRef})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := payees(); got[cRef].Hold != models.HoldPayeeMissing || got[bRef].Hold != models.HoldPayeeMissing {
		t.Fatalf("no details yet: %+v", got)
	}
	saved, err := w.s.SavePayee(ctx, w.me, models.PayeeCreator, w.creator.ID, cardIn)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Payee.Verified || saved.AccountChanged || saved.Payee.AccountMasked != "6222 **** **** 3446" || saved.Payee.IDNumberMasked != "1101**********002X" {
		t.Fatalf("saved: %+v", saved)
	}
	if _, err := w.s.SavePayee(ctx, w.mcnA, models.PayeeAgency, w.agencyA.ID, agencyIn); err != nil {
		t.Fatal(err)
	}
	if got := payees(); got[cRef].Hold != models.HoldPayeeUnverified || got[cRef].Account != "" || got[aRef].Hold != models.HoldPayeeUnverified {
		t.Fatalf("unverified details must hold, account not given: %+v", got)
	}
	p := saved.Payee
	if _, err := w.s.VerifyPayee(ctx, w.rev1, p.ID, p.Revision, "  "); !errors.Is(err, models.ErrPayeeNoteRequired) {
		t.Fatalf("verified without a note: %v", err)
	}
	if _, err := w.s.VerifyPayee(ctx, w.mcnA, p.ID, p.Revision, "ok"); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a manager verified: %v", err)
	}
	if _, err := w.s.VerifyPayee(ctx, w.rev1, p.ID, p.Revision, "核对了身份证和银行卡照片"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.VerifyPayee(ctx, w.rev2, p.ID, p.Revision, "again"); !errors.Is(err, models.ErrPayeeAlreadyVerified) {
		t.Fatalf("verified twice: %v", err)
	}
	got := payees()
	if got[cRef].Hold != "" || got[cRef].Account != "6222020200112233446" || got[cRef].Name != "张三" || got[cRef].Bank != "中国工商银行" ||
		got[cRef].Masked != "6222 **** **** 3446" {
		t.Fatalf("verified payee: %+v", got[cRef])
	}
	// Saving the same details again changes nothing and stays verified.
	same := cardIn
	same.IDNumber, same.Account = "", ""
	if s, err := w.s.SavePayee(ctx, w.me, models.PayeeCreator, w.creator.ID, same); err != nil || !s.Unchanged || !s.Payee.Verified {
		t.Fatalf("unchanged save: %+v %v", s, err)
	}
	// The classic fraud path: the account changes.
	changed := same
	changed.Account = "4111111111111111"
	s2, err := w.s.SavePayee(ctx, w.me, models.PayeeCreator, w.creator.ID, changed)
	if err != nil {
		t.Fatal(err)
	}
	if !s2.AccountChanged || s2.Payee.Verified || len(s2.Mail) != 1 || s2.Mail[0].Email != "c1@t.test" {
		t.Fatalf("changed account: %+v", s2)
	}
	if got := payees(); got[cRef].Hold != models.HoldPayeeUnverified || got[cRef].Account != "" {
		t.Fatalf("changed account must hold: %+v", got[cRef])
	}
	// A reviewer who opened the old revision cannot verify the new one with it.
	if _, err := w.s.VerifyPayee(ctx, w.rev1, p.ID, p.Revision, "seen before"); !errors.Is(err, models.ErrPayeeChangedMeanwhile) {
		t.Fatalf("verified a revision that changed: %v", err)
	}
	notes, _, err := w.s.Notifications(ctx, w.me, models.NewPage(1, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[0].Kind != models.NotifyPayeeAccountChanged || !strings.Contains(notes[0].Args, "4111 **** **** 1111") {
		t.Fatalf("notifications: %+v", notes)
	}
	history, err := w.s.PayeeHistory(ctx, w.me, &s2.Payee, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 || history[0].Action != "payee.update" || history[0].Account != "4111 **** **** 1111" || history[1].Action != "payee.verify" ||
		history[1].Note != "核对了身份证和银行卡照片" || history[2].Account != "6222 **** **** 3446" {
		t.Fatalf("history: %+v", history)
	}
	list, total, err := w.s.Payees(ctx, w.rev1, false, models.NewPage(1, 10))
	if err != nil || total != 2 || len(list) != 2 || list[0].OwnerName != "Creator payee_c1" && list[0].OwnerName != "Agency A" {
		t.Fatalf("unverified list: %+v %d %v", list, total, err)
	}
	// One query per kind of payee, however many refs.
	var queries int
	w.s.OnQuery(func() { queries++ })
	if _, err := models.PayeesForPayout(ctx, w.s, []models.PayeeRef{cRef, aRef, bRef, {Kind: models.PayeeCreator, ID: 999}}); err != nil {
		t.Fatal(err)
	}
	if queries != 2 {
		t.Fatalf("%d queries for two kinds of payee", queries)
	}
}

// No ID or account number is stored in plain text: not in the payees table,
// not in the audit log, not anywhere in the SQLite file (and its WAL), nor in
// any PostgreSQL row.
func TestPayeeNumbersAreEncryptedAtRest(t *testing.T) {
	dsn := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, dsn)
	raw := modeltest.OpenRaw(t, dsn)
	w := &payeeWorld{world: &world{s: s, raw: raw}}
	sys := models.SystemActor()
	ag, err := s.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency A"})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := s.CreateUser(ctx, sys, models.NewUser{Email: "rev@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := s.CreateUser(ctx, sys, models.NewUser{Email: "m@t.test", Password: "long-enough-password", Role: models.RoleMCNManager, AgencyID: &ag.ID})
	if err != nil {
		t.Fatal(err)
	}
	c := w.enrol(t, models.ActorFor(rev, ""), "plain_c1")
	cu, err := s.CreateUser(ctx, sys, models.NewUser{Email: "c@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	me := models.ActorFor(cu, "")
	if _, err := s.SavePayee(ctx, me, models.PayeeCreator, c.ID, cardIn); err != nil {
		t.Fatal(err)
	}
	alipay := cardIn
	alipay.Method, alipay.Account, alipay.Bank, alipay.Branch = models.PayByAlipay, "13812345678", "", ""
	if _, err := s.SavePayee(ctx, me, models.PayeeCreator, c.ID, alipay); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePayee(ctx, models.ActorFor(mgr, ""), models.PayeeAgency, ag.ID, agencyIn); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"11010519491231002X", "6222020200112233446", "13812345678", "91350100M000100Y43", "3502000012345678901"}
	if models.IsPostgresURL(dsn) {
		for _, table := range []string{"payees", "audit_entries", "notifications"} {
			var rows []map[string]any
			if err := raw.Table(table).Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if table == "payees" && len(rows) != 2 {
				t.Fatalf("%d payees, want 2", len(rows))
			}
			for _, r := range rows {
				for col, v := range r {
					for _, sec := range secrets {
						if strings.Contains(strings.ToUpper(toString(v)), sec) {
							t.Errorf("%s.%s holds %s in plain text", table, col, sec)
						}
					}
				}
			}
		}
		return
	}
	s.Close()
	var all []byte
	for _, f := range []string{dsn, dsn + "-wal"} {
		if b, err := os.ReadFile(f); err == nil {
			all = append(all, b...)
		}
	}
	if len(all) == 0 {
		t.Fatalf("no database file at %s", filepath.Base(dsn))
	}
	for _, sec := range secrets {
		if bytes.Contains(bytes.ToUpper(all), []byte(sec)) {
			t.Errorf("the SQLite file holds %s in plain text", sec)
		}
	}
	if !bytes.Contains(all, []byte("1101**********002X")) {
		t.Error("the masked ID is not in the file: did the save happen?")
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// Rotation: values saved under the old key are re-encrypted under the new
// one; afterwards the new key alone opens them, and the old alone does not.
func TestRotatePayeeKeys(t *testing.T) {
	dsn := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, dsn)
	w := &payeeWorld{world: &world{s: s}}
	sys := models.SystemActor()
	rev, err := s.CreateUser(ctx, sys, models.NewUser{Email: "rev@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	c := w.enrol(t, models.ActorFor(rev, ""), "rot_c1")
	cu, err := s.CreateUser(ctx, sys, models.NewUser{Email: "c@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	saved, err := s.SavePayee(ctx, models.ActorFor(cu, ""), models.PayeeCreator, c.ID, cardIn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyPayee(ctx, models.ActorFor(rev, ""), saved.Payee.ID, saved.Payee.Revision, "checked"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	newKey := []byte("another-payee-key-0123456789abcd")
	both, err := models.Open(ctx, dsn, modeltest.Options(models.WithPayeeKeys(newKey, modeltest.PayeeKey))...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := both.RotatePayeeKeys(ctx, models.SystemActor())
	both.Close()
	if err != nil || r.Payees != 1 || r.Remaining != 0 || r.KeyID != models.PayeeKeyID(newKey) || len(r.OldKeyIDs) != 1 || r.OldKeyIDs[0] != models.PayeeKeyID(modeltest.PayeeKey) {
		t.Fatalf("rotation: %+v %v", r, err)
	}
	ref := models.PayeeRef{Kind: models.PayeeCreator, ID: c.ID}
	for _, tc := range []struct {
		key   []byte
		opens bool
	}{{newKey, true}, {modeltest.PayeeKey, false}} {
		st, err := models.Open(ctx, dsn, append(modeltest.Options(), models.WithPayeeKeys(tc.key))...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := models.PayeesForPayout(ctx, st, []models.PayeeRef{ref})
		st.Close()
		if tc.opens && (err != nil || got[ref].Account != "6222020200112233446" || got[ref].Hold != "") {
			t.Fatalf("the new key does not open the rotated value: %+v %v", got, err)
		}
		if !tc.opens && !errors.Is(err, models.ErrNoPayeeKey) {
			t.Fatalf("the old key alone still opens it: %+v %v", got, err)
		}
	}
}

// The demo shows payees of both kinds, verified and waiting.
func TestDemoHasPayeesOfBothKinds(t *testing.T) {
	t.Parallel()
	s := modeltest.NewStore(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	sys := &models.Actor{Role: models.RoleReviewer, Email: "r@t.test"}
	waiting, n, err := s.Payees(ctx, sys, false, models.NewPage(1, 10))
	if err != nil || n != 2 {
		t.Fatalf("unverified: %d %v", n, err)
	}
	// Everyone else owed money has verified details, so that batches pay
	// them and show what they hold back and why.
	verified, m, err := s.Payees(ctx, sys, true, models.NewPage(1, 10))
	if err != nil || m < 10 {
		t.Fatalf("verified: %d %v", m, err)
	}
	kinds := map[string]bool{}
	for _, p := range waiting {
		kinds[p.Kind+"/waiting"] = true
	}
	if len(kinds) != 2 || len(verified) == 0 {
		t.Fatalf("demo payees: %v", kinds)
	}
}
