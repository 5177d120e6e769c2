package analytics

import (
	"fmt"
	"strings"
)

// The import SQL is generated from the Kind specs: every identifier comes from
// the specs (never from a file), and every value from a file is data in a
// staging table, so no file content ever becomes SQL text.

// fullWidth and halfWidth fold full-width ASCII (U+FF01–U+FF5E) and the
// ideographic space to their ASCII forms for identifiers, numbers, dates and enums.
var fullWidth, halfWidth = func() (string, string) {
	var a, b strings.Builder
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		a.WriteRune(r)
		b.WriteRune(r - 0xFF01 + 0x21)
	}
	a.WriteRune(0x3000)
	b.WriteRune(' ')
	return a.String(), b.String()
}()

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

var dateFormats = []string{"%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d",
	"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
	"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M"}

var dateTimeFormats = append(append([]string{}, dateFormats[5:]...), dateFormats[:5]...)

func fmtList(fs []string) string {
	q := make([]string, len(fs))
	for i, s := range fs {
		q[i] = lit(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// normExpr trims a raw cell (and folds full-width forms unless it is free text).
func normExpr(c Column, raw string) string {
	if c.Type == Text {
		return fmt.Sprintf("NULLIF(trim(%s, ' \t\r\n\u3000'), '')", raw)
	}
	// translate() with this map is slow, and almost no cell holds a full-width
	// form: ASCII cells (byte length = character length) skip the test, the
	// others are translated only when a regular expression finds one.
	return fmt.Sprintf("NULLIF(trim(CASE WHEN strlen(%[1]s) = length(%[1]s) OR NOT regexp_matches(%[1]s, '[\\x{FF01}-\\x{FF5E}\\x{3000}]') THEN %[1]s "+
		"ELSE translate(%[1]s, %[2]s, %[3]s) END, ' \t\r\n'), '')",
		raw, lit(fullWidth), lit(halfWidth))
}

// cellExpr is normExpr, or the raw cell itself when the file is clean
// (cleanScan): no cell of such a file changes under normExpr.
func cellExpr(c Column, raw string, clean bool) string {
	if clean {
		return raw
	}
	return normExpr(c, raw)
}

// convExpr converts a normalised cell v to its typed value, NULL when it does not parse.
func convExpr(c Column, v string) string {
	switch c.Type {
	case Int:
		d := fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", v)
		return fmt.Sprintf("CASE WHEN %s = round(%s) THEN TRY_CAST(%s AS INTEGER) END", d, d, d)
	case Number:
		d := fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", v)
		return fmt.Sprintf("CASE WHEN isfinite(%s) THEN %s END", d, d)
	// try_strptime with a list returns the first format that parses, so
	// trying the usual first format alone before the list gives the same
	// value, and costs one parse instead of a list's on most cells.
	case Date:
		return fmt.Sprintf("CAST(coalesce(try_strptime(%s, %s), try_strptime(%s, %s)) AS DATE)", v, lit(dateFormats[0]), v, fmtList(dateFormats))
	case DateTime:
		return fmt.Sprintf("coalesce(try_strptime(%s, %s), try_strptime(%s, %s))", v, lit(dateTimeFormats[0]), v, fmtList(dateTimeFormats))
	case Enum:
		var b strings.Builder
		fmt.Fprintf(&b, "CASE lower(replace(%s, ' ', ''))", v)
		for _, ev := range c.Values {
			for _, a := range append([]string{ev.Canonical}, ev.Aliases...) {
				fmt.Fprintf(&b, " WHEN %s THEN %s", lit(foldEnum(a)), lit(ev.Canonical))
			}
		}
		return b.String() + " END"
	case Bool:
		return fmt.Sprintf("CASE lower(%s) WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true WHEN '1' THEN true WHEN '是' THEN true "+
			"WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '0' THEN false WHEN '否' THEN false END", v)
	case List:
		return fmt.Sprintf("list_filter(string_split_regex(trim(%s, '[]'), '\\s*[;、,]\\s*'), lambda x: x <> '')", v)
	case Month:
		return fmt.Sprintf("strftime(try_strptime(%s, ['%%Y-%%m', '%%Y/%%m', '%%Y年%%m月', '%%Y%%m', '%%Y-%%m-%%d']), '%%Y-%%m')", v)
	case Round:
		return fmt.Sprintf("CASE WHEN regexp_full_match(upper(%s), '\\d{4}-B[1-6]') THEN upper(%s) END", v, v)
	}
	return v
}

var typeWords = map[ColType]string{Int: "a whole number", Number: "a number", Date: "a date", DateTime: "a date",
	Bool: "yes or no", Month: "a month (YYYY-MM)", Round: "a round (YYYY-B1 … YYYY-B6)"}

var refInfo = map[string]struct{ table, key, noun string }{
	"units":       {"units", "unit_id", "unit"},
	"counties":    {"units", "unit_id", "unit"},
	"evaluators":  {"evaluators", "evaluator_id", "evaluator"},
	"work_groups": {"work_groups", "group_id", "group"},
}

// shown is the raw cell as quoted in a message, cut to keep messages short.
func shown(raw string) string {
	return fmt.Sprintf("(CASE WHEN length(%s) > 60 THEN left(%s, 60) || '…' ELSE %s END)", raw, raw, raw)
}

// MaxCellChars is the most characters a cell may hold: Excel's own limit,
// so no real export exceeds it.
const MaxCellChars = 32767

// bidiControls are the Unicode text-direction marks, embeddings, overrides
// and isolates: invisible, and able to make a name read backwards (U+202E)
// or to reverse the text around it.
const bidiControls = `\x{061C}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}`

// forbiddenChars is the RE2 class of characters refused in a text-like
// column: C0 and C1 controls and DEL (free text keeps tab and line breaks,
// which a cell of comments may hold; identifiers keep none) and the
// direction controls. Other columns need no test: their values parse or fail.
func forbiddenChars(t ColType) string {
	switch t {
	case Text:
		return `[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x{9F}` + bidiControls + `]`
	case ID, List:
		return `[\x00-\x1F\x7F-\x{9F}` + bidiControls + `]`
	}
	return ""
}

// rowLevelMark starts the condition of a per-column character check whose
// bad rows are found by forbiddenCharsRow, one test per row: four regular
// expressions a row (a cases file) cost a third of the import, one costs
// little, and the per-column ones then run on the bad rows only, for messages.
const rowLevelMark = "/* per row */ "

// forbiddenCharsRow is true for a row where some text-like cell holds a
// character that forbiddenChars refuses: one regular expression over the
// row's text-like cells joined by spaces, and the tab and line breaks that
// identifiers and lists refuse besides.
func forbiddenCharsRow(k *Kind) string {
	var all, ids []string
	for _, c := range k.Columns {
		raw := "s." + ident(c.Name+"__raw")
		switch c.Type {
		case Text:
			all = append(all, raw)
		case ID, List:
			all, ids = append(all, raw), append(ids, raw)
		}
	}
	if len(all) == 0 {
		return ""
	}
	cond := fmt.Sprintf("regexp_matches(concat_ws(' ', %s), %s)", strings.Join(all, ", "), lit(forbiddenChars(Text)))
	if len(ids) > 0 {
		j := fmt.Sprintf("concat_ws(' ', %s)", strings.Join(ids, ", "))
		cond += fmt.Sprintf(" OR contains(%[1]s, chr(9)) OR contains(%[1]s, chr(10)) OR contains(%[1]s, chr(13))", j)
	}
	return cond
}

// check is one rule as SQL: cond is true for a bad row, msg the reason text.
type check struct{ cond, msg string }

// columnChecks returns the rules of one column (messages read
// "column: reason") and the joins they need.
func columnChecks(c Column) (checks []check, joins []string) {
	s, raw := "s."+ident(c.Name), "s."+ident(c.Name+"__raw")
	say := func(cond, msg string) {
		checks = append(checks, check{cond, lit(c.Name+": ") + " || " + msg})
	}
	if c.Required && c.Default == "" {
		say(raw+" IS NULL", lit("missing value"))
	}
	// A cell longer than Excel's own limit is no value of any column; the
	// check costs nothing (DuckDB strings carry their byte length).
	say(fmt.Sprintf("strlen(%s) > %d AND length(%s) > %d", raw, MaxCellChars, raw, MaxCellChars),
		fmt.Sprintf("'holds ' || length(%s) || %s", raw, lit(fmt.Sprintf(" characters, more than the %d a cell may hold", MaxCellChars))))
	if pat := forbiddenChars(c.Type); pat != "" {
		// The message names the character by its code point and never
		// quotes the cell: a direction override would reverse the message.
		say(rowLevelMark+fmt.Sprintf("regexp_matches(%s, %s)", raw, lit(pat)),
			fmt.Sprintf("'contains the invisible character U+' || printf('%%04X', unicode(regexp_extract(%s, %s))) || %s", raw, lit(pat),
				lit(" (a control character or text-direction mark); remove it")))
	}
	if idRuled(c) {
		checks = append(checks, idChecks(c, s, raw)...)
	}
	switch c.Type {
	case Enum:
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = v.Canonical
		}
		say(raw+" IS NOT NULL AND "+s+" IS NULL", shown(raw)+" || "+lit(" is not one of "+strings.Join(vals, ", ")))
	case Text, ID, List:
	default:
		say(raw+" IS NOT NULL AND "+s+" IS NULL", shown(raw)+" || "+lit(" is not "+typeWords[c.Type]))
	}
	switch {
	case c.Min != nil && c.Max != nil:
		say(fmt.Sprintf("%s < %g OR %s > %g", s, *c.Min, s, *c.Max), shown(raw)+" || "+lit(fmt.Sprintf(" is outside %g–%g", *c.Min, *c.Max)))
	case c.Min != nil && *c.Min == 0:
		say(s+" < 0", shown(raw)+" || ' is negative'")
	case c.Min != nil:
		say(fmt.Sprintf("%s < %g", s, *c.Min), shown(raw)+" || "+lit(fmt.Sprintf(" is below %g", *c.Min)))
	}
	if c.Positive {
		say(s+" <= 0", shown(raw)+" || ' must be greater than 0'")
	}
	if c.Type == List && c.Required {
		say(raw+" IS NOT NULL AND len("+s+") = 0", lit("missing value"))
	}
	if c.Ref == "" {
		return checks, joins
	}
	ri := refInfo[c.Ref]
	alias := "r_" + c.Name
	if c.Type == List {
		joins = append(joins, fmt.Sprintf("CROSS JOIN (SELECT coalesce(list(%s), []) AS ids FROM %s) %s", ident(ri.key), ident(ri.table), alias))
		bad := fmt.Sprintf("list_filter(%s, lambda x: NOT list_contains(%s.ids, x))", s, alias)
		say("len("+bad+") > 0", lit("unknown "+ri.noun+" ")+" || array_to_string("+bad+", ', ')")
		return checks, joins
	}
	joins = append(joins, fmt.Sprintf("LEFT JOIN %s %s ON %s.%s = %s", ident(ri.table), alias, alias, ident(ri.key), s))
	say(fmt.Sprintf("%s IS NOT NULL AND %s.%s IS NULL", s, alias, ident(ri.key)), lit("unknown "+ri.noun+" ")+" || "+s)
	if c.Ref == "counties" {
		say(fmt.Sprintf("%s.kind <> 'county'", alias), s+" || ' is not a county'")
	}
	return checks, joins
}

// typedQuery is the typing and checking of a staging table (line plus one
// VARCHAR per present column), shared by typedSQL and insertSQL.
type typedQuery struct {
	final []string // the typed columns, in the kind's order, over s
	exprs []string // the same without their names
	conds []string // one condition per rule, true on a bad row
	msgs  []string // the reason of each rule, NULL when it holds
	from  string   // the typed rows as s, with the joins the rules need
}

// buildTyped builds the typing and checking of stg; plain leaves out the
// per-row character test, for a file the scan proved holds no such character.
func buildTyped(k *Kind, stg string, present map[string]bool, clean, plain bool) typedQuery {
	var l1, l2, joins []string
	var q typedQuery
	var checks []check
	for _, c := range k.Columns {
		id := ident(c.Name)
		src := "NULL::VARCHAR"
		if present[c.Name] {
			src = id
		}
		l1 = append(l1, cellExpr(c, src, clean)+" AS "+id)
		l2 = append(l2, id+" AS "+ident(c.Name+"__raw"), convExpr(c, id)+" AS "+id)
		e := "s." + id
		if c.Default != "" {
			e = fmt.Sprintf("coalesce(s.%s, %s)", id, c.Default)
		}
		q.exprs = append(q.exprs, e)
		q.final = append(q.final, e+" AS "+id)
		cc, jj := columnChecks(c)
		checks = append(checks, cc...)
		joins = append(joins, jj...)
	}
	for _, ch := range k.Checks {
		checks = append(checks, check{ch.Bad, lit(ch.Column+": ") + " || " + ch.Msg})
	}
	for _, ch := range checks {
		if !strings.HasPrefix(ch.cond, rowLevelMark) {
			q.conds = append(q.conds, "("+ch.cond+")")
		}
		q.msgs = append(q.msgs, fmt.Sprintf("CASE WHEN %s THEN %s END", ch.cond, ch.msg))
	}
	if rc := forbiddenCharsRow(k); rc != "" && !plain {
		q.conds = append(q.conds, "("+rc+")")
	}
	// The identifier rule holds on every path: no scan vouches for it.
	if rc := idRow(k); rc != "" {
		q.conds = append(q.conds, "("+rc+")")
	}
	if k.ExtraJoin != "" {
		joins = append(joins, k.ExtraJoin)
	}
	q.from = fmt.Sprintf("(SELECT line, %s FROM (SELECT line, %s FROM %s)) s\n%s",
		strings.Join(l2, ", "), strings.Join(l1, ", "), stg, strings.Join(joins, "\n"))
	return q
}

// typedSQL builds the statement that turns the staging table (line plus one
// VARCHAR per present column) into the typed table; errs lists a bad row's
// problems and is NULL on a good row.
func typedSQL(k *Kind, stg, typed string, present map[string]bool, clean bool) string {
	q := buildTyped(k, ident(stg), present, clean, false)
	// The messages list is built only for rows where some rule fails: building
	// a list on every row of a ten-million-row file costs more than the rest.
	return fmt.Sprintf(`CREATE TEMP TABLE %s AS
SELECT s.line, %s,
  CASE WHEN %s THEN list_filter([%s], lambda x: x IS NOT NULL) END AS errs
FROM %s`, ident(typed), strings.Join(q.final, ", "), strings.Join(q.conds, " OR "), strings.Join(q.msgs, ",\n    "), q.from)
}

// insertSQL builds the statement that types the rows of src (a staging
// relation like typedSQL's) and appends them to the kind's table in one
// pass, failing at the first row a rule refuses: that file then goes down
// the typed-table path for its messages. (The rules are a CASE in the
// projection, as in typedSQL: as a WHERE clause DuckDB would push them below
// the projections and type every cell twice.)
func insertSQL(k *Kind, src string, present map[string]bool, clean, plain bool, importID int64) string {
	q := buildTyped(k, src, present, clean, plain)
	sel := append([]string{fmt.Sprintf("CASE WHEN %s THEN error('analytics: a row breaks a rule') ELSE %s END",
		strings.Join(q.conds, " OR "), q.exprs[0])}, q.exprs[1:]...)
	sel = append(sel, fmt.Sprint(importID))
	return fmt.Sprintf(`INSERT INTO %s (%s, import_id)
SELECT %s
FROM %s`, ident(k.Name), columnList(k, ""), strings.Join(sel, ", "), q.from)
}

// keysSQL builds the query that reads only the key columns of src (typed as
// the import types them) and returns the smallest and largest first key, the
// number of rows and the number of distinct keys.
func keysSQL(k *Kind, src string, present map[string]bool, clean bool) string {
	var sel []string
	for _, name := range k.Key {
		c, _ := k.Column(name)
		raw := "NULL::VARCHAR"
		if present[name] {
			raw = ident(name)
		}
		sel = append(sel, convExpr(c, cellExpr(c, raw, clean))+" AS "+ident(name))
	}
	k0 := ident(k.Key[0])
	if len(k.Key) == 1 {
		// count(DISTINCT) costs under half of a GROUP BY here; a NULL key
		// is not counted, so it too makes the counts differ.
		return fmt.Sprintf(`SELECT min(%[1]s), max(%[1]s), count(*), count(DISTINCT %[1]s) FROM (SELECT %[2]s FROM %[3]s)`, k0, sel[0], src)
	}
	return fmt.Sprintf(`SELECT min(%[1]s), max(%[1]s), coalesce(sum(n), 0), count(*) FROM (
  SELECT %[2]s, count(*) AS n FROM (SELECT %[3]s FROM %[4]s) GROUP BY ALL)`, k0, keyList(k, ""), strings.Join(sel, ", "), src)
}

// keyList joins the kind's key columns with a prefix, e.g. "s.a, s.b".
func keyList(k *Kind, prefix string) string {
	q := make([]string, len(k.Key))
	for i, c := range k.Key {
		q[i] = prefix + ident(c)
	}
	return strings.Join(q, ", ")
}

func keyMatch(k *Kind, a, b string) string {
	q := make([]string, len(k.Key))
	for i, c := range k.Key {
		q[i] = fmt.Sprintf("%s.%s = %s.%s", a, ident(c), b, ident(c))
	}
	return strings.Join(q, " AND ")
}

func sameRow(k *Kind, a, b string) string {
	q := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		q[i] = fmt.Sprintf("%s.%s IS NOT DISTINCT FROM %s.%s", a, ident(c.Name), b, ident(c.Name))
	}
	return "(" + strings.Join(q, " AND ") + ")"
}

func columnList(k *Kind, prefix string) string {
	q := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		q[i] = prefix + ident(c.Name)
	}
	return strings.Join(q, ", ")
}
