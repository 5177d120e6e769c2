package analytics

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xiaoneng/xiaoneng/scoring"
)

// faultLoop is the fault helper's side of the operation kill tests: it
// repeats one operation, printing "op" after each, until it is killed.
//   - publish|DB: publishes 2019-B1, reopens it, closes it, publishes again…
//   - confirm|DB: confirms the next suggested task deduction as of 2019-12-20;
//   - backup|DB|DIR: backs the database up into DIR/b-<pid>-<n>;
//   - restore|DB|BACKUP|DIR: restores BACKUP into DIR/r-<pid>-<n>.duckdb.
func faultLoop(ctx context.Context, s *Store, parts []string) {
	at := time.Date(2019, 3, 5, 9, 0, 0, 0, time.UTC)
	for i := 0; ; i++ {
		var err error
		switch parts[0] {
		case "publish":
			var r RoundState
			if r, err = s.Round(ctx, "2019-B1"); err != nil {
				break
			}
			switch r.Status {
			case RoundPublished:
				_, err = s.ReopenRound(ctx, "2019-B1", "更正", at.AddDate(1, 0, 0), "child", at)
			case RoundOpen:
				_, err = s.CloseRound(ctx, "2019-B1", "child", at)
			default:
				_, err = s.Publish(ctx, "2019-B1", PublishOptions{Reason: "F04 无政务服务事项"}, "child", at)
			}
		case "confirm":
			var sg []TaskDeductionSuggestion
			if sg, err = s.SuggestedTaskDeductions(ctx, d("2019-12-20"), DefaultTaskDeductionPoints); err == nil && len(sg) > 0 {
				_, err = s.ConfirmTaskDeduction(ctx, "child", d("2019-12-20"), sg[0].TaskID, DefaultTaskDeductionPoints)
			}
		case "backup":
			_, err = s.Backup(ctx, filepath.Join(parts[2], fmt.Sprintf("b-%d-%d", os.Getpid(), i)), BackupOptions{Actor: "child"})
		case "restore":
			_, err = Restore(ctx, parts[2], Options{Path: filepath.Join(parts[3], fmt.Sprintf("r-%d-%d.duckdb", os.Getpid(), i)), Threads: 2})
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("op")
	}
}

// overdueTasks is a ledger of n tasks of D01, all overdue by 2019-12-20.
func overdueTasks(n int) string {
	var b strings.Builder
	b.WriteString("事项编号,事项名称,来源,牵头单位,配合单位,交办日期,办结时限,办理时限,时限单位,状态,办结日期\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "X%04d,督办事项%d,重点工作,D01,,2019-01-02,2019-02-28,,,在办,\n", i, i)
	}
	return b.String()
}

// killLoop kills the helper running spec at 20 moments spread over its
// operations (delays of 0 … span after its first "op"), each in a fresh
// process on the same database, and calls check after each kill.
func killLoop(t *testing.T, spec string, span time.Duration, check func(i int)) {
	t.Helper()
	for i := 0; i < 20; i++ {
		runUntilKilled(t, spec, "op", 1, span*time.Duration(i)/19)
		check(i)
	}
}

// openAfterKill reopens the database after a kill: the integrity check runs
// (the WAL is there) and must find nothing.
func openAfterKill(t *testing.T, db string, i int) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatalf("kill %d: reopen: %v", i, err)
	}
	return s
}

// TestFaultKillPublishing kills a process that publishes, reopens and
// closes a round in turn, at 20 moments: after each, the round's stored
// state is the one its newest audit entry records, and a published round
// names a run that exists with its results.
func TestFaultKillPublishing(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "publish.duckdb")
	s, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	importFolder(t, s, "../fixtures/handcheck/full_round")
	if _, err := s.ScoreRound(ctx, "2019-B1", scoring.DefaultScheme(), "test", time.Date(2019, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	changes := map[int64]bool{}
	killLoop(t, "publish|"+db, 40*time.Millisecond, func(i int) {
		s := openAfterKill(t, db, i)
		defer s.Close()
		var status, audited string
		if err := s.db.QueryRow("SELECT status FROM rounds WHERE round = '2019-B1'").Scan(&status); err != nil {
			t.Fatalf("kill %d: %v", i, err)
		}
		if err := s.db.QueryRow(`SELECT json_extract_string(new_value, '$.status') FROM audit_log
			WHERE subject = 'round:2019-B1' ORDER BY id DESC LIMIT 1`).Scan(&audited); err != nil {
			t.Fatalf("kill %d: %v", i, err)
		}
		if status != audited {
			t.Errorf("kill %d: the round is %s, its newest audit entry says %s", i, status, audited)
		}
		if n := faultCount(t, s, `SELECT count(*) FROM rounds o WHERE published_run_id IS NOT NULL AND NOT EXISTS
			(SELECT 1 FROM score_results r WHERE r.run_id = o.published_run_id)`); n != 0 {
			t.Errorf("kill %d: the published run has no results", i)
		}
		changes[faultCount(t, s, "SELECT count(*) FROM audit_log WHERE subject = 'round:2019-B1'")] = true
	})
	if len(changes) < 5 {
		t.Errorf("the kills saw only %d different numbers of round changes: the helper hardly ran", len(changes))
	}
}

// TestFaultKillConfirmingDeductions kills a process that confirms one
// overdue task's deduction after another, at 20 moments: after each, every
// decision has its deduction row and its audit entry, and no deduction or
// entry exists without its decision.
func TestFaultKillConfirmingDeductions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "confirm.duckdb")
	s, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	importBase(t, s)
	if _, err := s.ImportFile(ctx, writeFile(t, dir, "督办事项.csv", overdueTasks(2000)), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var last int64
	killLoop(t, "confirm|"+db, 60*time.Millisecond, func(i int) {
		s := openAfterKill(t, db, i)
		defer s.Close()
		decisions := faultCount(t, s, "SELECT count(*) FROM task_deduction_decisions")
		deductions := faultCount(t, s, "SELECT count(*) FROM deductions")
		audited := faultCount(t, s, "SELECT count(*) FROM audit_log WHERE action = 'task.deduction.confirm'")
		joined := faultCount(t, s, `SELECT count(*) FROM task_deduction_decisions c JOIN deductions d USING (deduction_id)`)
		if decisions != deductions || decisions != audited || joined != decisions {
			t.Errorf("kill %d: %d decisions, %d deductions (%d matching), %d audit entries", i, decisions, deductions, joined, audited)
		}
		last = decisions
	})
	if last < 20 {
		t.Errorf("only %d deductions confirmed over 20 runs: the helper hardly ran", last)
	}
}

// TestFaultKillBackupAndRestore kills a process backing up, then one
// restoring, at 20 moments each: the source database opens clean; every
// backup folder either has a manifest whose every file checks or has none
// (and restore refuses it); every restored file that exists is whole
// (its tables equal the backup's), and a killed restore leaves no file
// under the name it was restoring to.
func TestFaultKillBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "src.duckdb")
	s, err := Open(ctx, Options{Path: db, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	importFolder(t, s, "../fixtures/handcheck/full_round")
	s.Close()
	backups := filepath.Join(dir, "backups")
	os.MkdirAll(backups, 0o755)
	killLoop(t, "backup|"+db+"|"+backups, 150*time.Millisecond, func(i int) {
		openAfterKill(t, db, i).Close()
	})
	entries, _ := os.ReadDir(backups)
	var whole, partial int
	var good string
	for _, e := range entries {
		p := filepath.Join(backups, e.Name())
		m, err := ReadBackupManifest(p)
		if err != nil {
			partial++
			if _, rerr := Restore(ctx, p, Options{Path: filepath.Join(dir, "from-partial.duckdb")}); rerr == nil {
				t.Errorf("restore accepted the unfinished backup %s", e.Name())
			}
			continue
		}
		if err := VerifyBackupFiles(p, m); err != nil {
			t.Errorf("backup %s has a manifest but %v", e.Name(), err)
		}
		whole++
		good = p
	}
	t.Logf("backups after 20 kills: %d whole, %d unfinished", whole, partial)
	if good == "" {
		t.Fatal("no backup finished")
	}
	m, _ := ReadBackupManifest(good)
	restored := filepath.Join(dir, "restored")
	os.MkdirAll(restored, 0o755)
	killLoop(t, "restore|"+db+"|"+good+"|"+restored, 200*time.Millisecond, func(i int) {})
	files, _ := filepath.Glob(filepath.Join(restored, "*.duckdb"))
	for _, f := range files {
		r, err := Open(ctx, Options{Path: f, Threads: 2})
		if err != nil {
			t.Errorf("restored %s does not open: %v", filepath.Base(f), err)
			continue
		}
		got, err := tableSums(ctx, r.db)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := compareTables(got, m.Tables); err != nil {
			t.Errorf("restored %s differs from the backup: %v", filepath.Base(f), err)
		}
	}
	staging, _ := filepath.Glob(filepath.Join(restored, "*.restoring"))
	t.Logf("restores after 20 kills: %d whole files, %d staging files left by killed restores", len(files), len(staging))
	if len(files) == 0 {
		t.Error("no restore finished")
	}
}
