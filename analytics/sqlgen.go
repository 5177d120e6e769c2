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

// convExpr converts a normalised cell v to its typed value, NULL when it does not parse.
func convExpr(c Column, v string) string {
	switch c.Type {
	case Int:
		d := fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", v)
		return fmt.Sprintf("CASE WHEN %s = round(%s) THEN TRY_CAST(%s AS INTEGER) END", d, d, d)
	case Number:
		d := fmt.Sprintf("TRY_CAST(%s AS DOUBLE)", v)
		return fmt.Sprintf("CASE WHEN isfinite(%s) THEN %s END", d, d)
	case Date:
		return fmt.Sprintf("CAST(try_strptime(%s, %s) AS DATE)", v, fmtList(dateFormats))
	case DateTime:
		return fmt.Sprintf("try_strptime(%s, %s)", v, fmtList(dateTimeFormats))
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
		return fmt.Sprintf("list_filter(string_split_regex(trim(%s, '[]'), '\\s*[;、,]\\s*'), x -> x <> '')", v)
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
		bad := fmt.Sprintf("list_filter(%s, x -> NOT list_contains(%s.ids, x))", s, alias)
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

// typedSQL builds the statement that turns the staging table (line plus one
// VARCHAR per present column) into the typed table; errs lists a bad row's
// problems and is NULL on a good row.
func typedSQL(k *Kind, stg, typed string, present map[string]bool) string {
	var l1, l2, final, joins []string
	var checks []check
	for _, c := range k.Columns {
		id := ident(c.Name)
		src := "NULL::VARCHAR"
		if present[c.Name] {
			src = id
		}
		l1 = append(l1, normExpr(c, src)+" AS "+id)
		l2 = append(l2, id+" AS "+ident(c.Name+"__raw"), convExpr(c, id)+" AS "+id)
		if c.Default != "" {
			final = append(final, fmt.Sprintf("coalesce(s.%s, %s) AS %s", id, c.Default, id))
		} else {
			final = append(final, "s."+id)
		}
		cc, jj := columnChecks(c)
		checks = append(checks, cc...)
		joins = append(joins, jj...)
	}
	for _, ch := range k.Checks {
		checks = append(checks, check{ch.Bad, lit(ch.Column+": ") + " || " + ch.Msg})
	}
	// The messages list is built only for rows where some rule fails: building
	// a list on every row of a ten-million-row file costs more than the rest.
	conds := make([]string, len(checks))
	msgs := make([]string, len(checks))
	for i, ch := range checks {
		conds[i] = "(" + ch.cond + ")"
		msgs[i] = fmt.Sprintf("CASE WHEN %s THEN %s END", ch.cond, ch.msg)
	}
	if k.ExtraJoin != "" {
		joins = append(joins, k.ExtraJoin)
	}
	return fmt.Sprintf(`CREATE TEMP TABLE %s AS
SELECT s.line, %s,
  CASE WHEN %s THEN list_filter([%s], x -> x IS NOT NULL) END AS errs
FROM (SELECT line, %s FROM (SELECT line, %s FROM %s)) s
%s`, ident(typed), strings.Join(final, ", "), strings.Join(conds, " OR "), strings.Join(msgs, ",\n    "),
		strings.Join(l2, ", "), strings.Join(l1, ", "), ident(stg), strings.Join(joins, "\n"))
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
