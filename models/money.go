package models

import (
	"fmt"
	"strconv"
	"strings"
)

// FormatYuan renders fen as ¥12,345.67.
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	yuan, cents := fen/100, fen%100
	s := strconv.FormatInt(yuan, 10)
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return fmt.Sprintf("%s¥%s.%02d", sign, b.String(), cents)
}

// YuanDecimal renders fen as a plain decimal such as 12345.67, for files.
func YuanDecimal(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// ParseYuan reads an amount typed in yuan ("12,345.67", "¥300", "0.5") into
// fen, refusing negatives, more than two decimals and absurd sizes.
func ParseYuan(s string) (int64, error) {
	orig := strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(orig, "¥"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, errMsg("err_amount_empty")
	}
	if strings.HasPrefix(s, "-") {
		return 0, errMsg("err_amount_negative", "Value", orig)
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasFrac && (len(frac) == 0 || len(frac) > 2) {
		return 0, errMsg("err_amount_decimals", "Value", orig)
	}
	if !allDigits(whole) || (hasFrac && !allDigits(frac)) {
		// strconv takes a sign, so "1000000000.-5" would be 5 fen short and ".+5" 5 fen.
		return 0, errMsg("err_amount_not_number", "Value", orig)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	y, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || y > 100_000_000_000 {
		return 0, errMsg("err_amount_not_number", "Value", orig)
	}
	return y*100 + f, nil
}

// allDigits reports whether s is ASCII digits only (and not empty).
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
