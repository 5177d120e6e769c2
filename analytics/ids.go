package analytics

import (
	"fmt"
	"regexp"
	"strings"
)

// The identifier rule: an id (unit, group, evaluator, case, complaint,
// project, task, target, deduction ids, every reference to one, each element
// of a list of them) holds ASCII letters, digits, '-', '_' and '.' only, and
// starts with a letter or digit. Ids name report files (unit-D07-2019-B6.html)
// and go into links, so none may hold a path separator, be "." or "..", start
// a hidden file, or carry markup or quotes. Chinese characters stay allowed in
// names and free text. A 文号 (doc_id) is a document number as issued, e.g.
// 青效督〔2019〕12号, and is exempt (Column.Freeform): it names no file and no link.

// idPattern is the rule as a regular expression (Go and RE2 alike).
const idPattern = `[A-Za-z0-9][A-Za-z0-9._-]*`

// idBadChar matches a character an id may not hold anywhere.
const idBadChar = `[^A-Za-z0-9._-]`

// idRuleText ends each message refusing an id.
const idRuleText = " (an id holds ASCII letters, digits, - _ and . only, and starts with a letter or digit)"

var idRE = regexp.MustCompile(`^` + idPattern + `$`)

// ValidID reports whether s is an identifier under the importer's rule: what
// reports and links may use as (part of) a file or path name.
func ValidID(s string) bool { return idRE.MatchString(s) }

// idRuled reports whether the identifier rule applies to column c.
func idRuled(c Column) bool { return (c.Type == ID || c.Type == List) && !c.Freeform }

// idMsg is the SQL reason for a bad id v (a SQL string expression).
func idMsg(v string) string {
	return fmt.Sprintf("%s || ' is not a valid id: ' || CASE WHEN regexp_matches(%[2]s, %[3]s) THEN '''' || regexp_extract(%[2]s, %[3]s) || ''' is not allowed' "+
		"ELSE 'it starts with ''' || left(%[2]s, 1) || '''' END || %[4]s", shown(v), v, lit(idBadChar), lit(idRuleText))
}

// idChecks are column c's identifier rules: they give the messages, on the
// rows idRow finds bad (so they carry rowLevelMark). A cell holding an
// invisible character has that message alone.
func idChecks(c Column, s, raw string) []check {
	visible := fmt.Sprintf("NOT regexp_matches(%s, %s)", raw, lit(forbiddenChars(c.Type)))
	if c.Type == List {
		bad := fmt.Sprintf("list_filter(%s, lambda x: NOT regexp_full_match(x, %s))", s, lit(idPattern))
		return []check{{rowLevelMark + fmt.Sprintf("len(%s) > 0 AND %s", bad, visible), lit(c.Name+": ") + " || " + idMsg(bad+"[1]")}}
	}
	return []check{{rowLevelMark + fmt.Sprintf("NOT regexp_full_match(%s, %s) AND %s", raw, lit(idPattern), visible), lit(c.Name+": ") + " || " + idMsg(raw)}}
}

// idRow is true for a row where some ruled id (or list element) breaks the
// rule: one regular expression over the ids joined by U+0001 (a character
// the invisible-character rule refuses in any id), finding a character out of
// the set or an id that starts with '.', '_' or '-'. "" when the kind has no
// ruled column.
func idRow(k *Kind) string {
	var ids []string
	for _, c := range k.Columns {
		if !idRuled(c) {
			continue
		}
		if c.Type == List {
			ids = append(ids, fmt.Sprintf("array_to_string(s.%s, chr(1))", ident(c.Name)))
		} else {
			ids = append(ids, "s."+ident(c.Name+"__raw"))
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf("regexp_matches(concat_ws(chr(1), %s), %s)", strings.Join(ids, ", "), lit(`[^A-Za-z0-9._\x01-]|(^|\x01)[._-]`))
}
