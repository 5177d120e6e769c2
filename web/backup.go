package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// bkpMu lets one backup run at a time: a second click waits for the first
// instead of exporting the same snapshot twice.
var bkpMu sync.Mutex

// bkpBody is what admin_backup.html shows.
type bkpBody struct {
	Dir, Message, Error string
	Backups             []bkpRow
}

// bkpRow is one backup folder as listed.
type bkpRow struct {
	Name, Actor, Size, Problem string
	Created                    string
	Schema, Tables             int
	Rows                       int64
}

// backupDir is where the 数据备份 page writes: cfg.BackupDir, else a
// backups folder beside the database.
func (s *Server) backupDir() string {
	if s.cfg.BackupDir != "" {
		return s.cfg.BackupDir
	}
	return filepath.Join(filepath.Dir(s.store.Path()), "backups")
}

// adminBackupPage lists the backups and offers the button.
func (s *Server) adminBackupPage(c echo.Context) error {
	return s.bkpRender(c, http.StatusOK, bkpBody{})
}

// adminBackupRun backs up the open database into a new folder named by the
// time (the CLI cannot while the server holds the file); the store audits it.
func (s *Server) adminBackupRun(c echo.Context) error {
	if s.store.Path() == ":memory:" {
		return s.bkpRender(c, http.StatusConflict, bkpBody{Error: "内存数据库无法备份到文件夹"})
	}
	bkpMu.Lock()
	defer bkpMu.Unlock()
	now := s.now()
	name := "xiaoneng-" + now.Format("20060102-150405")
	dir := filepath.Join(s.backupDir(), name)
	for i := 2; dirExists(dir); i++ {
		dir = filepath.Join(s.backupDir(), fmt.Sprintf("%s-%d", name, i))
	}
	m, err := s.store.Backup(c.Request().Context(), dir, analytics.BackupOptions{Actor: currentUser(c).Username, Now: s.now})
	if err != nil {
		c.Logger().Error(err)
		return s.bkpRender(c, http.StatusInternalServerError, bkpBody{Error: "备份失败,未写入任何备份:" + err.Error()})
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	return s.bkpRender(c, http.StatusOK, bkpBody{Message: fmt.Sprintf("已备份到 %s:%d 张表,共 %d 行,文件均已记录校验值。", filepath.Base(dir), len(m.Tables), rows)})
}

func (s *Server) bkpRender(c echo.Context, status int, b bkpBody) error {
	b.Dir = s.backupDir()
	list, err := analytics.ListBackups(b.Dir)
	if err != nil {
		return err
	}
	for _, l := range list {
		r := bkpRow{Name: l.Name, Problem: l.Err}
		if l.Err == "" {
			r.Actor, r.Schema, r.Tables = l.Manifest.Actor, l.Manifest.SchemaVersion, len(l.Manifest.Tables)
			r.Created = l.Manifest.CreatedAt.In(s.now().Location()).Format("2006-01-02 15:04:05")
			r.Size = rptSize(l.Bytes)
			for _, t := range l.Manifest.Tables {
				r.Rows += t.Rows
			}
		}
		b.Backups = append(b.Backups, r)
	}
	return s.render(c, status, "admin_backup", "数据备份", b)
}

func dirExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
