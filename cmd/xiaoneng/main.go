// Command xiaoneng imports a city's efficiency-evaluation data, scores and
// ranks its units, writes bulletins and serves the dashboard.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	if err != nil {
		var ie *analytics.ImportError
		if errors.As(err, &ie) {
			fmt.Fprintln(os.Stderr, ie.Error())
			fmt.Fprintln(os.Stderr, "xiaoneng: "+ie.Summary())
		} else {
			fmt.Fprintln(os.Stderr, "xiaoneng: "+err.Error())
		}
		os.Exit(1)
	}
}

// app carries the global flags and output streams to every command.
type app struct {
	db     string
	memory string
	out    io.Writer
	errOut io.Writer
}

func newRoot(out, errOut io.Writer) *cobra.Command {
	a := &app{out: out, errOut: errOut}
	root := &cobra.Command{
		Use:   "xiaoneng",
		Short: "机关效能评议与重点项目考评 (efficiency evaluation and key-project rankings)",
		Long: `xiaoneng runs a city's bimonthly efficiency evaluation (机关效能评议):
it imports the month's data, computes and ranks the units, writes the bulletins
(通报) and serves the dashboard. Every command works on one DuckDB file.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	def := os.Getenv("XIAONENG_DB")
	if def == "" {
		def = "xiaoneng.duckdb"
	}
	root.PersistentFlags().StringVar(&a.db, "db", def, "database file (default from XIAONENG_DB, else xiaoneng.duckdb)")
	root.PersistentFlags().StringVar(&a.memory, "memory-limit", "", "DuckDB memory limit, e.g. 4GB (default: DuckDB's)")
	root.SetOut(out)
	root.SetErr(errOut)
	root.AddCommand(a.importCmd(), a.importsCmd(), a.scoreCmd(), a.reportCmd(), a.rankingCmd(), a.annualCmd(), a.schemeCmd(), a.alertsCmd(), a.tasksCmd(), a.targetsCmd(), a.projectsCmd(), a.interviewsCmd(), a.explainCmd(), a.qaCmd(), a.fixturesCmd(), a.calendarCmd(), a.demoCmd(), a.serveCmd(), a.userCmd(), a.backupCmd(), a.restoreCmd(), a.checkCmd(), a.publishCmd())
	return root
}

// open opens the database named by --db.
func (a *app) open(ctx context.Context) (*analytics.Store, error) {
	return analytics.Open(ctx, analytics.Options{Path: a.db, MemoryLimit: a.memory})
}

// writeJSON writes v as indented JSON, the --format json output of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
