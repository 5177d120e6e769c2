package analytics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lockHelperEnv names the database the helper process holds open.
const lockHelperEnv = "XIAONENG_TEST_HOLD_DB"

// TestLockHelperProcess is not a test: run by TestOpenLockedByAnotherProcess
// as a child process, it opens the database, says "ready" and holds the file
// until its stdin is closed.
func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv(lockHelperEnv)
	if path == "" {
		t.Skip("helper process for TestOpenLockedByAnotherProcess")
	}
	s, err := Open(context.Background(), Options{Path: path, Threads: 1, MemoryLimit: "256MB"})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	s.Close()
	os.Exit(0)
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper process: %v", err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if got, want := strings.TrimSpace(line), "ready"; err != nil || got != want {
		t.Fatalf("helper process said %q (%v), want %q", got, err, want)
	}

	s, err := Open(context.Background(), Options{Path: path, Threads: 1, MemoryLimit: "256MB"})
	if err == nil {
		s.Close()
		t.Fatal("Open of a file held by another process succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("error %q does not wrap ErrLocked", err)
	}
	want := fmt.Sprintf("database is locked by another process: %s is held by process %d (%s); stop it, or import through the web service's 数据导入 page while it runs",
		path, cmd.Process.Pid, filepath.Base(os.Args[0]))
	if got := err.Error(); got != want {
		t.Errorf("error:\ngot  %s\nwant %s", got, want)
	}
}

func TestOpenForeignFileIsRefused(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"text_file", "unit_id,name\nD01,市财政局\n"},
		{"short_file", "DUCK"},
		{"zip_file", "PK\x03\x04\x14\x00\x00\x00\x08\x00 not really a database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "units.duckdb", tt.body)
			s, err := Open(context.Background(), Options{Path: path})
			if err == nil {
				s.Close()
				t.Fatal("Open of a non-DuckDB file succeeded")
			}
			if got, want := err.Error(), "analytics: "+path+" is not a xiaoneng (DuckDB) database file"; got != want {
				t.Errorf("error:\ngot  %s\nwant %s", got, want)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.body {
				t.Errorf("the foreign file was changed")
			}
		})
	}
}
