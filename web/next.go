package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeNext keeps a post-login redirect on this site: n must be a path of
// this server (optionally with query and fragment), with no scheme, host or
// user, not starting with // or /\ (browsers read both as another host),
// and with no whitespace, control or format (bidi, zero-width) character
// anywhere, raw or percent-encoded. Anything else gives "" (the role's home).
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || !utf8.ValidString(n) {
		return ""
	}
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	query, err := url.PathUnescape(u.RawQuery)
	if err != nil {
		return ""
	}
	for _, part := range []string{n, u.Path, query, u.Fragment} {
		if !nextCharsOK(part) {
			return ""
		}
	}
	for _, p := range []string{n, u.Path} {
		if strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
			return ""
		}
	}
	return n
}

// nextCharsOK reports whether s is valid UTF-8 without whitespace, control
// or format characters.
func nextCharsOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
