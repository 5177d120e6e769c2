package analytics

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fuzzColumns are one real column of every parsed type.
func fuzzColumns(tb testing.TB) map[ColType]Column {
	pick := func(kind, col string) Column {
		k, ok := KindByName(kind)
		if !ok {
			tb.Fatalf("no kind %s", kind)
		}
		c, ok := k.Column(col)
		if !ok {
			tb.Fatalf("no column %s.%s", kind, col)
		}
		return c
	}
	return map[ColType]Column{
		Int:      pick("cases", "promised_days"),
		Number:   pick("peer_scores", "score"),
		Date:     pick("deductions", "date"),
		DateTime: pick("cases", "received_at"),
		Enum:     pick("cases", "channel"),
		Bool:     pick("complaints", "resolved"),
		List:     pick("work_groups", "member_unit_ids"),
		Month:    pick("project_progress", "month"),
		Round:    pick("peer_scores", "round"),
	}
}

// convStmt is the importer's cell conversion of c, as text, with the raw cell
// bound as the one parameter: the same normExpr → convExpr nesting as typedSQL.
func convStmt(c Column) string {
	out := "CAST(v AS VARCHAR)"
	switch c.Type {
	case Date:
		out = "strftime(v, '%Y-%m-%d')"
	case DateTime:
		out = "strftime(v, '%Y-%m-%d %H:%M:%S.%f')"
	}
	return "SELECT " + out + " FROM (SELECT " + convExpr(c, "n") + " AS v FROM (SELECT " + normExpr(c, "raw") + " AS n FROM (SELECT CAST(? AS VARCHAR) AS raw)))"
}

var (
	monthRe = regexp.MustCompile(`^\d{4}-\d{2}$`)
	roundRe = regexp.MustCompile(`^\d{4}-B[1-6]$`)
)

var fuzzSeeds = []string{
	"", " ", "0", "1", "-1", "101", "99.5", "1e308", "1e400", "-0", "NaN", "inf", "-Infinity", "0x10", "1_000", "2.0", "2.5",
	"2019-02-28", "2019-02-30", "２０１９－０２－３０", "２０１９－０３－０１", "2019/3/1", "2019.03.01", "2019年3月1日", "20190301",
	"2019-03-01 09:15", "2019-03-01T09:15:00", "2019-03-01 09:15:00.123456", "2019年03月01日 09:15:00", "0001-01-01", "9999-12-31 23:59:59",
	"2019-03", "2019/03", "2019年3月", "201903", "2019-B1", "2019-b6", "2019-B7", "２０１９－Ｂ３",
	"online", "网上", "窗口", "ＯＮＬＩＮＥ", "self-service", "Self Service", "\u3000网办\u3000", "app",
	"yes", "否", "Y", "true", "1", "D01;D02", "D01；D02、D03,D04", "[D01, D02]", ";;", "、",
	"=cmd|' /C calc'!A0", "+SUM(A1:A9)", "@import", "'; DROP TABLE cases; --", "\u202e10-30-9102\u202c", "\u200f2019-03-01",
	"a\x00b", "\x00", "2019-03-01\x00", "\t\r\n", "\ufeff2019-03-01", "ｃａｓｅ＿ｉｄ", "单位 编码", "办件-2019-03.xlsx", "cases.CSV",
	strings.Repeat("9", 10000), strings.Repeat("网", 10000), strings.Repeat("2019-03-01 ", 1000),
}

func FuzzCellParsing(f *testing.F) {
	s, err := Open(context.Background(), Options{Path: ":memory:", Threads: 1, MemoryLimit: "512MB", TempDir: filepath.Join(f.TempDir(), "tmp")})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	cols := fuzzColumns(f)
	stmts := map[ColType]*sql.Stmt{}
	for typ, c := range cols {
		st, err := s.DB().Prepare(convStmt(c))
		if err != nil {
			f.Fatalf("prepare %v: %v", typ, err)
		}
		stmts[typ] = st
	}
	var canon []string
	for _, v := range cols[Enum].Values {
		canon = append(canon, v.Canonical)
	}
	for _, seed := range fuzzSeeds {
		f.Add(seed)
	}
	conv := func(t *testing.T, typ ColType, in string) (string, bool) {
		var out sql.NullString
		if err := stmts[typ].QueryRow(in).Scan(&out); err != nil {
			t.Fatalf("type %d, input %q: the conversion SQL failed: %v", typ, in, err)
		}
		return out.String, out.Valid
	}
	f.Fuzz(func(t *testing.T, in string) {
		// Cells reach the converter as UTF-8 text (CSV is transcoded, XLSX is XML).
		in = strings.ToValidUTF8(in, "\uFFFD")
		for typ := range stmts {
			got, ok := conv(t, typ, in)
			if !ok {
				continue
			}
			switch typ {
			case Int, Number:
				x, err := strconv.ParseFloat(got, 64)
				if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
					t.Errorf("type %d, input %q: got %q, want a finite number", typ, in, got)
				}
			case Date, DateTime:
				if again, ok := conv(t, typ, got); !ok || again != got {
					t.Errorf("type %d, input %q: parsed to %q, which parses back to %q (valid %v)", typ, in, got, again, ok)
				}
			case Enum:
				if !slices.Contains(canon, got) {
					t.Errorf("enum input %q: got %q, want one of %v", in, got, canon)
				}
			case Month:
				if !monthRe.MatchString(got) {
					t.Errorf("month input %q: got %q, want YYYY-MM", in, got)
				}
			case Round:
				if !roundRe.MatchString(got) {
					t.Errorf("round input %q: got %q, want YYYY-Bn", in, got)
				}
			}
		}
	})
}

func FuzzHeaderAndKind(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add(seed)
	}
	for _, k := range Kinds() {
		for _, name := range k.Files {
			f.Add(name + ".csv")
			f.Add(name + "-2019-03.xlsx")
		}
		for _, c := range k.Columns {
			f.Add(c.Name)
			f.Add(strings.Join(c.Aliases, " "))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		once := foldHeader(in)
		if got, want := foldHeader(once), once; got != want {
			t.Errorf("foldHeader not idempotent on %q: fold once %q, twice %q", in, want, got)
		}
		k := KindForFile(in)
		if strings.ContainsAny(in+once, `/\`) {
			return // a separator that appears by folding changes the folder, not the name
		}
		if got, want := kindName(KindForFile(once)), kindName(k); got != want {
			t.Errorf("KindForFile(%q) = %s but KindForFile(folded %q) = %s", in, want, once, got)
		}
		if got, want := kindName(KindForFile(filepath.Join("some", "dir", in))), kindName(k); got != want {
			t.Errorf("KindForFile in a folder: got %s, want %s", got, want)
		}
	})
}

func kindName(k *Kind) string {
	if k == nil {
		return "<none>"
	}
	return k.Name
}
