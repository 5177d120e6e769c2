package analytics

import (
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldHeader normalises a header cell: NFKC (full-width to half-width), BOM and
// surrounding spaces (including U+3000) removed, lower case, inner spaces removed.
func foldHeader(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = norm.NFKC.String(s)
	s = strings.ToLower(strings.TrimSpace(s))
	// NFKC again: removing a space that NFKC put before a combining mark
	// (U+00AF → " ̄") lets the mark compose, so folding stays idempotent.
	return norm.NFKC.String(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

// foldEnum normalises an enum spelling the same way the SQL side does.
func foldEnum(s string) string { return foldHeader(s) }

// headerIndex maps folded header names (canonical and aliases) to column names.
func headerIndex(k *Kind) map[string]string {
	m := make(map[string]string)
	for _, c := range k.Columns {
		m[foldHeader(c.Name)] = c.Name
		for _, a := range c.Aliases {
			if _, taken := m[foldHeader(a)]; !taken {
				m[foldHeader(a)] = c.Name
			}
		}
	}
	return m
}

// stem is the file name without folder and known extensions, folded.
func stem(path string) string {
	base := filepath.Base(path)
	for {
		ext := strings.ToLower(filepath.Ext(base))
		if ext == "" || !knownExt[ext] {
			break
		}
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return foldHeader(base)
}

var knownExt = map[string]bool{".csv": true, ".xlsx": true, ".parquet": true, ".xls": true, ".gz": true, ".txt": true}

// KindForFile infers the kind from a file name such as cases.csv,
// cases-2019-03.xlsx or 办件.xlsx; nil when nothing matches.
func KindForFile(path string) *Kind {
	st := stem(path)
	var best *Kind
	bestLen := 0
	consider := func(k *Kind, alias string) {
		if n := len(alias); n > bestLen {
			best, bestLen = k, n
		}
	}
	for _, k := range Kinds() {
		for _, a := range k.Files {
			a = foldHeader(a)
			switch {
			case st == a:
				consider(k, a)
			case strings.HasPrefix(st, a) && isSep(st[len(a):]):
				consider(k, a)
			case !isASCII(a) && strings.Contains(st, a):
				consider(k, a)
			}
		}
	}
	return best
}

func isSep(rest string) bool {
	if rest == "" {
		return true
	}
	r := []rune(rest)[0]
	return strings.ContainsRune("-_. (", r) || unicode.IsDigit(r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
