package main

import (
	"strings"
	"testing"
)

// The key file's comment may hold commas; PAYEE_KEY separates keys by commas;
// a key of the wrong length is refused.
func TestPayeeKeysParse(t *testing.T) {
	a, b := strings.Repeat("ab", 32), strings.Repeat("01", 32)
	for _, tc := range []struct {
		text string
		n    int
		ok   bool
	}{
		{"# payee keys: the first encrypts, every one decrypts\n" + a + "\n" + b + "\n", 2, true},
		{a + "," + b, 2, true},
		{" " + a + " ", 1, true},
		{"# nothing\n", 0, false},
		{strings.Repeat("ab", 16), 0, false},
		{"not hex", 0, false},
	} {
		keys, err := parsePayeeKeys(tc.text, "test")
		if (err == nil) != tc.ok || len(keys) != tc.n {
			t.Errorf("%q: %d keys, %v", tc.text, len(keys), err)
		}
	}
}
