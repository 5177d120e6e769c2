package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scheme"
)

// forcedIDBuilder is a Builder on a copy of the sample city where the unit
// from is renamed to, in the units table and in every stored result, by SQL:
// an id the importer refuses, as a database from before the rule may hold.
func forcedIDBuilder(t *testing.T, from, to string) *Builder {
	t.Helper()
	sampleStore(t).Close()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	in, err := os.Open(filepath.Join(sampleDir, "x.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
	st, err := analytics.Open(context.Background(), analytics.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	jf, _ := json.Marshal(from)
	jt, _ := json.Marshal(to)
	if _, err := st.DB().Exec(`UPDATE units SET unit_id = $2 WHERE unit_id = $1`, from, to); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE score_results SET unit_id = $2, result = replace(result, $3, $4) WHERE unit_id = $1`,
		from, to, `"unit_id":`+string(jf), `"unit_id":`+string(jt)); err != nil {
		t.Fatal(err)
	}
	b, err := New(st, Meta{City: "青川市", Date: "2020年1月6日"}, scheme.Default())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnsafeUnitIDRefusedByBuilder: a unit id that cannot name a file (a
// separator, "..", markup, a quote), forced into the database by SQL, is
// refused by the unit profile, the round's profiles and the month's set,
// with an error naming it; no document named by it is returned.
func TestUnsafeUnitIDRefusedByBuilder(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []string{"X/../../../pwned", "<b>", `a"b`, ".."} {
		t.Run(bad, func(t *testing.T) {
			b := forcedIDBuilder(t, fixtures.StrongUnit, bad)
			d, err := b.Unit(ctx, "2019-B6", bad)
			if !errors.Is(err, ErrUnsafeName) || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) || d.Name != "" {
				t.Errorf("Unit: got %q, %v; want ErrUnsafeName naming %q", d.Name, err, bad)
			}
			if docs, _, err := b.UnitSet(ctx, "2019-B6"); !errors.Is(err, ErrUnsafeName) || len(docs) != 0 {
				t.Errorf("UnitSet: %d documents, %v; want ErrUnsafeName", len(docs), err)
			}
			if docs, _, err := b.All(ctx, "2019-12", nil); !errors.Is(err, ErrUnsafeName) || len(docs) != 0 {
				t.Errorf("All: %d documents, %v; want ErrUnsafeName", len(docs), err)
			}
		})
	}
}

// TestFilePathStaysInFolder: a document name is a plain base name in its
// folder, or refused.
func TestFilePathStaysInFolder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"round-2019-B1.html", "unit-D-07_a.b-2019-B1.pdf"} {
		if p, err := FilePath(dir, name); err != nil || p != filepath.Join(dir, name) {
			t.Errorf("FilePath(%q) = %q, %v", name, p, err)
		}
	}
	for _, name := range []string{"", ".", "..", "unit-X/../../pwned-2019-B1.html", "../x.html", `a\b.html`, "/etc/x.html",
		".hidden.html", "a\x00b.html", "unit-<b>-2019-B1.html", `unit-a"b-2019-B1.html`} {
		if p, err := FilePath(dir, name); !errors.Is(err, ErrUnsafeName) {
			t.Errorf("FilePath(%q) = %q, %v; want ErrUnsafeName", name, p, err)
		}
	}
}
