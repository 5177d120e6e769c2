package main

import (
	"fmt"
	"os/user"

	"github.com/spf13/cobra"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func (a *app) backupCmd() *cobra.Command {
	var out, actor string
	c := &cobra.Command{
		Use:   "backup --out DIR",
		Short: "备份数据库 (consistent snapshot to Parquet with a checksummed manifest)",
		Long: `Writes a consistent snapshot of the whole database into DIR (new or empty):
every table as Parquet (DuckDB EXPORT DATABASE, taken in one transaction),
and manifest.json with the schema version, each table's row count and
checksum, and the sha256 of every file. While xiaoneng serve runs it holds
the database: back up through its 数据备份 page (/admin/backup) instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("backup: name the folder with --out")
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			m, err := st.Backup(cmd.Context(), out, analytics.BackupOptions{Actor: actor})
			if err != nil {
				return err
			}
			var rows, bytes int64
			for _, t := range m.Tables {
				rows += t.Rows
			}
			for _, f := range m.Files {
				bytes += f.Size
			}
			fmt.Fprintf(a.out, "已备份到 %s: %d 张表, %d 行, %d 个文件 (%d 字节), 结构版本 %d\n", out, len(m.Tables), rows, len(m.Files), bytes, m.SchemaVersion)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "backup folder (must not exist or be empty)")
	c.Flags().StringVar(&actor, "actor", defaultActor(), "who backs up, for the manifest and the audit log")
	return c
}

func (a *app) restoreCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "restore DIR --db NEW.duckdb",
		Short: "从备份恢复到新数据库文件 (verifies every checksum)",
		Long: `Restores the backup in DIR into a NEW database file named by --db (an
existing file is refused). Every file's sha256 is checked against the
manifest before anything is created; after the import every table's row
count and checksum must equal the manifest's, or the new file is removed.
Migrations newer than the backup are then applied.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := analytics.Restore(cmd.Context(), args[0], analytics.Options{Path: a.db, MemoryLimit: a.memory})
			if err != nil {
				return err
			}
			var rows int64
			for _, t := range m.Tables {
				rows += t.Rows
			}
			fmt.Fprintf(a.out, "已恢复到 %s: %d 张表, %d 行, 校验一致 (备份于 %s, 结构版本 %d)\n", a.db, len(m.Tables), rows, m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), m.SchemaVersion)
			return nil
		},
	}
	return c
}

// defaultActor is the operating-system user, for the audit log of CLI actions.
func defaultActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
