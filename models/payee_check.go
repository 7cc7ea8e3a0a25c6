package models

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The check characters of the numbers a payee gives. Each function takes the
// number as typed (spaces and dashes are the caller's to remove: see
// compactNumber) and reports whether it is well formed and its check
// character is right.

// residentIDWeights are ISO 7064 MOD 11-2's weights for the first 17 digits
// of a resident identity card number (GB 11643-1999).
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheck maps the weighted sum mod 11 to the check character.
const residentIDCheck = "10X98765432"

// ValidResidentID reports whether id is an 18-character resident identity
// card number: 17 digits, a real date of birth (YYYYMMDD in characters 7-14),
// and the ISO 7064 MOD 11-2 check character (0-9 or X).
func ValidResidentID(id string) bool {
	if len(id) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * residentIDWeights[i]
	}
	if residentIDCheck[sum%11] != upperASCII(id[17]) {
		return false
	}
	born, err := time.Parse("20060102", id[6:14])
	return err == nil && born.Year() >= 1900
}

// usccChars are the characters of a unified social credit code, in the order
// that gives each its value (GB 32100-2015: no I, O, S, V or Z).
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether code is an 18-character unified social credit
// code whose last character is the GB 32100-2015 check character
// (31 − Σ value×weight mod 31, as a code character).
func ValidUSCC(code string) bool {
	if len(code) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, upperASCII(code[i]))
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	check := (31 - sum%31) % 31
	return usccChars[check] == upperASCII(code[17])
}

// ValidLuhn reports whether number is all digits and passes the Luhn check.
func ValidLuhn(number string) bool {
	if number == "" {
		return false
	}
	sum, double := 0, false
	for i := len(number) - 1; i >= 0; i-- {
		c := number[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// compactNumber removes the spaces and dashes people type inside long
// numbers, and upper-cases the letters (an ID's X, a credit code's letters).
func compactNumber(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\u3000', '\t':
			return -1
		}
		return r
	}, s))
}

// MaskIDNumber shows an ID number or credit code as pages do: the first four
// and the last four characters, the rest starred (1101**********002X).
func MaskIDNumber(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

// MaskAccount shows a bank account as pages do: its first and last four
// digits (6222 **** **** 1234), only the last four below 16 digits; an Alipay account keeps the start and end of
// a phone number (138****5678) or the first letter and domain of an email.
func MaskAccount(method, account string) string {
	if method == PayByAlipay {
		if local, domain, ok := strings.Cut(account, "@"); ok {
			r, _ := utf8.DecodeRuneInString(local)
			return string(r) + "***@" + domain
		}
		if len(account) > 7 {
			return account[:3] + strings.Repeat("*", len(account)-7) + account[len(account)-4:]
		}
		return strings.Repeat("*", len(account))
	}
	if len(account) <= 8 {
		return strings.Repeat("*", len(account))
	}
	if len(account) < 16 {
		// A short corporate account would keep too few digits hidden
		// behind its first four: show the last four only.
		return "**** **** " + account[len(account)-4:]
	}
	return account[:4] + " **** **** " + account[len(account)-4:]
}
