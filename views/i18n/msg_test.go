package i18n_test

import (
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// A message of the models is rendered in the reader's language from its ID:
// its arguments keep their place, a Word argument (a subject area, a state)
// is translated too, and a message inside a message reads in one language.
func TestMsgRendersInTheReadersLanguage(t *testing.T) {
	twice := models.M("err_subject_twice", "Name", models.Word("subject_skincare"))
	line := models.M("err_tier_line", "N", 2, "Problem", models.M("err_amount_negative", "Value", "-5"))
	noCreator := models.M("err_no_creator_with_account", "Account", "jd_cr_x1")
	cases := []struct {
		m      models.Msg
		en, zh string
	}{
		{twice, `subject area "Skincare" is listed twice`, "领域“护肤”重复填写"},
		{line, `line 2: amount "-5" is negative`, "第 2 行：金额“-5”为负数"},
		{noCreator, `no enrolled creator has account ID "jd_cr_x1"`, `没有已登记的创作者使用账号 ID“jd_cr_x1”`},
		{models.Msg{ID: "err_display_name_required"}, "display name is required", "请填写显示名称"},
		{models.M("err_password_short", "N", 10), "password must be at least 10 characters", "密码至少 10 个字符"},
	}
	for _, c := range cases {
		if got := i18n.For(i18n.EN).Msg(c.m); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.m, got, c.en)
		}
		if got := i18n.For(i18n.ZH).Msg(c.m); got != c.zh {
			t.Errorf("%s in Chinese: %q, want %q", c.m, got, c.zh)
		}
	}
}

// Every message ID the models' sentinels carry is in the catalogue.
func TestSentinelMessagesAreCatalogued(t *testing.T) {
	for _, err := range []error{models.ErrNotFound, models.ErrForbidden, models.ErrCreatorTaken, models.ErrAlreadyEnrolled,
		models.ErrEmailTaken, models.ErrInvalidTransition, models.ErrBadCredentials, models.ErrInvitationInvalid,
		models.ErrAppealNotAllowed, models.ErrOwnRejection, models.ErrImportConfirmed, models.ErrBatchNotFrozen,
		models.ErrPoolExhausted, models.ErrOwnChange, models.ErrChangeDecided, models.ErrChangeStale, models.ErrNoChange,
		models.ErrNotProposer, models.ErrTransferOpen, models.ErrFileUTF16, models.ErrFileCROnly,
		models.CreatorTakenError{AccountID: "jd_cr_1"}, models.EmailTakenError{Email: "a@b.cn"},
		models.PoolExhaustedError{AskedFen: 100, LeftFen: 50}, models.TransitionError{Name: "Li", State: models.StatePending}} {
		m, ok := models.MsgOf(err)
		if !ok {
			t.Errorf("%v carries no message", err)
			continue
		}
		for _, l := range i18n.Langs {
			if got := i18n.For(l).Msg(m); got == "" || strings.Contains(got, i18n.Missing) || strings.Contains(got, "<no value>") {
				t.Errorf("%v in %s: %q", err, l, got)
			}
		}
	}
}
