package analytics

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"os"
)

// physicalLines rewrites the lines of a CSV file's problems from record
// numbers (the header is record 1; what DuckDB's rowid gives) to the file line
// on which each record starts. They differ after a blank line, which is
// skipped, or a quoted cell holding a line break. Only a refused file pays for
// this second scan, and only up to its last listed problem.
func (st *staged) physicalLines(ie *ImportError) error {
	want := map[int]int{}
	last := 0
	for _, p := range ie.Problems {
		for _, n := range []int{p.Line, p.Ref} {
			if n > 0 {
				want[n] = n
				last = max(last, n)
			}
		}
	}
	if last == 0 {
		return nil
	}
	f, err := os.Open(st.csvSrc)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = true, -1, true
	for rec := 1; rec <= last; rec++ {
		if _, err := r.Read(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
		}
		if _, ok := want[rec]; ok {
			line, _ := r.FieldPos(0)
			want[rec] = line
		}
	}
	for i, p := range ie.Problems {
		ie.Problems[i].Line = want[p.Line]
		if p.Ref > 0 {
			ie.Problems[i].Ref = want[p.Ref]
		}
	}
	return nil
}
