package web

import "testing"

// A statement's file name keeps only header-safe characters of the account ID.
func TestStatementFileNameIsHeaderSafe(t *testing.T) {
	for account, want := range map[string]string{
		"jd_cr_dan001":     "statement-jd_cr_dan001-2026-12-01.csv",
		`a"b;c\n`:          "statement-a_b_c_n-2026-12-01.csv",
		"达人 01":            "statement-___01-2026-12-01.csv",
		"":                 "statement-account-2026-12-01.csv",
		"../../etc/passwd": "statement-.._.._etc_passwd-2026-12-01.csv",
	} {
		if got := statementFileName(account, "2026-12-01"); got != want {
			t.Errorf("%q: %q, want %q", account, got, want)
		}
	}
}
