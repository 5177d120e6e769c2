package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The output of the listing commands: one check of --format and of a date
// flag, CSV with every cell neutralised for spreadsheets, and aligned tables
// under a title line.

// checkFormat refuses a --format other than the allowed ones.
func checkFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	return fmt.Errorf("unknown --format %q (%s or %s)", format, strings.Join(allowed[:len(allowed)-1], ", "), allowed[len(allowed)-1])
}

// parseDateFlag reads a YYYY-MM-DD date given as --flag.
func parseDateFlag(flag, value string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", value)
	if err != nil {
		return t, fmt.Errorf("--%s %q is not a date (YYYY-MM-DD)", flag, value)
	}
	return t, nil
}

// writeCSV writes the header and the rows; a cell starting like a formula
// is neutralised (names come from imported files).
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, r := range rows {
		cw.Write(neutralise(r))
	}
	cw.Flush()
	return cw.Error()
}

// writeTable writes the title line, then the header (columns separated by
// tabs) and the rows in aligned columns.
func writeTable(w io.Writer, title, header string, rows [][]string) error {
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// rowsOf turns each element of xs into a row.
func rowsOf[T any](xs []T, row func(T) []string) [][]string {
	out := make([][]string, len(xs))
	for i, x := range xs {
		out[i] = row(x)
	}
	return out
}

// cliActor names the operating-system user running a command in the audit
// log ("cli:NAME", or "cli" when the user cannot be looked up).
func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
