package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPublishCommand: full_round's 2019-B1 lists 5 units and only F01–F03
// have cases (3/5 = 60% < 80%), so publishing is refused with that check
// in one Chinese line; --reason publishes it and prints the checks; a
// second computation is published as a correction only with a reason.
func TestPublishCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if _, _, err := run(t, "--db", db, "import", "../../fixtures/handcheck/full_round"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "publish", "--round", "2019-B1"); err == nil || !strings.Contains(err.Error(), "尚未计算") {
		t.Fatalf("publishing a round never computed: %v", err)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, "--db", db, "publish", "--round", "2019-B1")
	want := "轮次 2019-B1 第 1 版未满足发布条件:政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%);如确需发布,请用 --reason 填写理由"
	if err == nil || err.Error() != want {
		t.Fatalf("refusal %v\nwant %s", err, want)
	}
	out, _, err := run(t, "--db", db, "publish", "--round", "2019-B1", "--reason", "F04 不办理政务服务事项")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"✓ 效能评议:4/5 个单位有数据(80.0%,要求 ≥ 80%)", "✗ 政务服务:3/5 个单位有数据(60.0%,要求 ≥ 80%)",
		"✓ 效能评议:6 名评议人中 6 名提交(100.0%,要求 ≥ 66.7%)", "✓ 2019-01—2019-02 收到办件 30 件", "已发布 2019-B1 第 1 版,未满足的条件与理由已记录"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if _, _, err := run(t, "--db", db, "publish", "--round", "2019-B1", "--reason", "x"); err == nil || !strings.Contains(err.Error(), "没有更新的计算版本") {
		t.Fatalf("correction without a newer version: %v", err)
	}
	if _, _, err := run(t, "--db", db, "score", "--round", "2019-B1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "publish", "--round", "2019-B1"); err == nil || !strings.Contains(err.Error(), "须用 --reason 填写更正理由") {
		t.Fatalf("correction without a reason: %v", err)
	}
	out, _, err = run(t, "--db", db, "publish", "--round", "2019-B1", "--reason", "复核更正")
	if err != nil || !strings.Contains(out, "已发布更正版(取代第 1 版) 2019-B1 第 2 版") {
		t.Fatalf("correction: %q %v", out, err)
	}
	if _, _, err := run(t, "--db", db, "publish", "--round", "2019-B1", "--version", "7", "--reason", "x"); err == nil || !strings.Contains(err.Error(), "2019-B1") {
		t.Fatalf("unknown version: %v", err)
	}
}
