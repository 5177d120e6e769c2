package reports

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scheme"
)

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// sampleStore opens a database holding the small sample city (青川市 2019)
// imported through the real importers with every round scored. The database
// is built once per test run and opened fresh by each caller.
func sampleStore(t *testing.T) *analytics.Store {
	t.Helper()
	ctx := context.Background()
	sampleOnce.Do(func() {
		sampleDir, sampleErr = os.MkdirTemp("", "xiaoneng-reports-")
		if sampleErr != nil {
			return
		}
		data := filepath.Join(sampleDir, "data")
		if _, sampleErr = fixtures.Generate(fixtures.Options{Scale: fixtures.Small, Out: data}); sampleErr != nil {
			return
		}
		var st *analytics.Store
		st, sampleErr = analytics.Open(ctx, analytics.Options{Path: filepath.Join(sampleDir, "x.duckdb")})
		if sampleErr != nil {
			return
		}
		defer st.Close()
		files, _, err := analytics.ExpandPaths([]string{data}, "")
		if err != nil {
			sampleErr = err
			return
		}
		for _, f := range files {
			if _, sampleErr = st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "test"}); sampleErr != nil {
				return
			}
		}
		now := time.Date(2020, 1, 5, 9, 0, 0, 0, time.UTC)
		for _, r := range []string{"2019-B1", "2019-B2", "2019-B3", "2019-B4", "2019-B5", "2019-B6"} {
			if _, sampleErr = st.ScoreRound(ctx, r, scheme.Default(), "test", now); sampleErr != nil {
				return
			}
			// published (the sample city's complaint coverage fails the gate in
			// most rounds, so with a reason): the year composite counts
			// published versions only
			if _, sampleErr = st.Publish(ctx, r, analytics.PublishOptions{Reason: "示例城市诉求件数偏少"}, "test", now); sampleErr != nil {
				return
			}
		}
	})
	if sampleErr != nil {
		t.Fatalf("sample city: %v", sampleErr)
	}
	st, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(sampleDir, "x.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sampleBuilder is a Builder on the sample city with a fixed cover.
func sampleBuilder(t *testing.T) *Builder {
	t.Helper()
	b, err := New(sampleStore(t), Meta{City: "青川市", Date: "2020年1月6日"}, scheme.Default())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}
