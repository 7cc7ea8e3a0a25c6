package web

import (
	"net/url"
	"strings"
	"unicode"
)

// safeNext keeps a redirect after sign-in, a language switch or a password
// confirmation on this site: only a path that starts with a single "/", has
// no control characters, whitespace or backslashes (browsers drop tabs and
// read "\" as "/", turning "/\t/evil.example" into "//evil.example"), and
// that url.Parse sees without scheme or host. The same holds once
// percent-decoded (the path), so "/%2F/evil.example" and "/%09/..." are refused too.
// Anything else gives "", which callers replace with their default page.
func safeNext(next string) string {
	if !isLocalPath(next) {
		return ""
	}
	// Only the path could reach the authority once decoded; a query may hold encoded spaces.
	path := next
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if decoded, err := url.PathUnescape(path); err != nil || !isLocalPath(decoded) {
		return ""
	}
	return next
}

func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for _, r := range p {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff' {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && !strings.HasPrefix(u.Path, "//")
}
