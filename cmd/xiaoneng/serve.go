package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/web"
)

// serveOptions are the flags of serve (and of demo, which ends by serving).
type serveOptions struct {
	addr, schemeFile, office, city, reportDir string
	backupDir                                 string
	tls, trustProxy                           bool
}

func (o *serveOptions) flags(c *cobra.Command) {
	c.Flags().StringVar(&o.addr, "addr", ":8080", "listen address")
	c.Flags().StringVar(&o.schemeFile, "scheme", "", "scheme for rounds computed through the web and for what-if (default: xiaoneng scheme show)")
	c.Flags().BoolVar(&o.tls, "secure-cookies", false, "mark cookies Secure and send HSTS (set when users reach the service over HTTPS, e.g. behind a TLS proxy)")
	c.Flags().BoolVar(&o.trustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a reverse proxy that sets it)")
	c.Flags().StringVar(&o.office, "office", "", "issuing office printed on the bulletins of the 报告 page")
	c.Flags().StringVar(&o.city, "city", "", "city name shown on the bulletins")
	c.Flags().StringVar(&o.reportDir, "report-dir", "", "folder for the bulletins generated on the 报告 page (default: reports beside the database)")
	c.Flags().StringVar(&o.backupDir, "backup-dir", "", "folder for the backups taken on the 数据备份 page (default: backups beside the database)")
}

func (a *app) serveCmd() *cobra.Command {
	var o serveOptions
	c := &cobra.Command{
		Use:   "serve",
		Short: "网页服务 (dashboard, evaluator portal, admin console and JSON API)",
		Long: `Serves the leadership dashboard, the evaluators' scoring portal, the
efficiency office's admin console and the JSON API (/api/v1) on one port.
Everything is embedded in the binary; no request leaves the intranet. While
it runs, the server holds the database: import through its 数据导入 page.
Create accounts first with xiaoneng user add.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			return a.serve(cmd.Context(), st, o)
		},
	}
	o.flags(c)
	return c
}

// serve runs the web service on an open store until ctx ends.
func (a *app) serve(ctx context.Context, st *analytics.Store, o serveOptions) error {
	sc, err := loadScheme(o.schemeFile)
	if err != nil {
		return err
	}
	cfg := web.DefaultConfig()
	cfg.Addr, cfg.Scheme, cfg.TLS, cfg.TrustProxy = o.addr, sc, o.tls, o.trustProxy
	if o.office != "" {
		cfg.Office = o.office
	}
	if o.city != "" {
		cfg.City = o.city
	}
	if o.reportDir != "" {
		cfg.ReportDir = o.reportDir
	}
	if o.backupDir != "" {
		cfg.BackupDir = o.backupDir
	}
	srv, err := web.NewServer(st, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "网页服务已启动: %s (Ctrl+C 停止)\n", listenURL(o.addr))
	return srv.ListenAndServe(ctx)
}

// listenURL turns a listen address into a URL to open in a browser.
func listenURL(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "http://localhost" + addr + "/"
	}
	return "http://" + addr + "/"
}
