package main

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// writeKillCases writes n cases rows in the contract's cases format with
// the keys CK0000000…, spread over units. Every row has the given visits:
// two files that differ only in it replace every row of each other.
func writeKillCases(path string, n int, units []string, visits int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("case_id,unit_id,item_code,item_name,channel,received_at,completed_at,promised_days,visits,status\n")
	channels := []string{"online", "window", "mobile", "self_service"}
	start := time.Date(2019, 1, 7, 9, 0, 0, 0, time.UTC)
	v := strconv.Itoa(visits)
	var b []byte
	for i := range n {
		recv := start.Add(time.Duration(i%200_000) * 137 * time.Second)
		b = fmt.Appendf(b[:0], "CK%07d,%s,0001010000%02d,证明材料开具,%s,%s,%s,5,%s,completed\n",
			i, units[i%len(units)], i%97, channels[i%len(channels)],
			recv.Format(time.DateTime), recv.Add(time.Hour).Format(time.DateTime), v)
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// unitIDs reads the unit_id column of a units CSV file.
func unitIDs(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		return nil, err
	}
	var ids []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return ids, nil
		}
		if err != nil {
			return nil, err
		}
		ids = append(ids, rec[0])
	}
}

// killState is what a database holds that an import changes: cases, distinct
// case_ids, cases with visits = 1 (the column the replacing file changes),
// import log rows and audit rows of imports.
type killState struct {
	cases, distinct, changed, importLog, auditImports int64
}

func (s killState) String() string {
	return fmt.Sprintf("cases %d, distinct %d, visits=1 %d, import_log %d, audit imports %d",
		s.cases, s.distinct, s.changed, s.importLog, s.auditImports)
}

// readKillState opens the database with the DuckDB driver alone (replaying
// its WAL, as the next xiaoneng command would) and reads its state.
func readKillState(path string) (killState, error) {
	var s killState
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return s, err
	}
	defer db.Close()
	err = db.QueryRow(`SELECT (SELECT count(*) FROM cases), (SELECT count(DISTINCT case_id) FROM cases),
		(SELECT count(*) FROM cases WHERE visits = 1), (SELECT count(*) FROM import_log),
		(SELECT count(*) FROM audit_log WHERE action = 'import')`).
		Scan(&s.cases, &s.distinct, &s.changed, &s.importLog, &s.auditImports)
	if err != nil {
		return s, err
	}
	return s, db.Close()
}

// copyKillDB copies a closed database file (it has no WAL) to dst, removing
// what an earlier run left at dst.
func copyKillDB(src, dst string) error {
	removeKillDB(dst)
	if _, err := os.Stat(src + ".wal"); err == nil {
		return fmt.Errorf("%s has a WAL; the base must be closed cleanly", src)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// removeKillDB removes a database file, its WAL and its temporary folder.
func removeKillDB(p string) {
	os.Remove(p)
	os.Remove(p + ".wal")
	os.RemoveAll(p + ".tmp")
}

// joinNotes joins notes with "; ".
func joinNotes(notes []string) string { return strings.Join(notes, "; ") }
