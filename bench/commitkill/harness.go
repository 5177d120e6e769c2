package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// harness runs children on fresh copies of the base database.
type harness struct {
	self, dir, base string
	n               int
	noOptimistic    bool
	runs            int
}

// trigger is a kill moment: when the WAL first exceeds walOver bytes, or
// delay after the "committing" marker, or (hold) once "committed" is printed.
type trigger struct {
	label   string
	walOver int64 // -1: not by WAL size
	delay   time.Duration
	hold    bool
}

// result is one child run (or one WAL cut) and what the reopened copy held.
type result struct {
	mode, label string
	phase       string // the last marker the child printed
	killed      bool
	walAtKill   int64
	sinceCommit time.Duration // kill moment after "committing" (-1: before it)
	outcome     string
	st          state
	err         error
}

// calibration is a child run killed right after COMMIT returned.
type calibration struct {
	walSize    int64
	commitTook time.Duration
	outcome    string
	db         string // the killed copy: database file and WAL as COMMIT left them
}

func (h *harness) calibrate() (calibration, error) {
	path := filepath.Join(h.dir, "committed.duckdb")
	r, took, err := h.run(path, trigger{label: "after COMMIT", walOver: -1, hold: true})
	if err != nil {
		return calibration{}, err
	}
	if r.phase != "committed" {
		return calibration{}, fmt.Errorf("child stopped at %q, not after COMMIT", r.phase)
	}
	if r.walAtKill <= 0 {
		return calibration{}, fmt.Errorf("no WAL after COMMIT (%s.wal absent or empty): the commit was checkpointed", path)
	}
	// The WAL-cut mode reads this copy; it is inspected on a copy of its own.
	s, err := inspectCopy(path, filepath.Join(h.dir, "calib.duckdb"), -1, h.n)
	out := s.outcome(h.n)
	if err != nil {
		out = "ERROR: " + err.Error()
	}
	return calibration{walSize: r.walAtKill, commitTook: took, outcome: out, db: path}, nil
}

// run copies the base to path, runs a child on it and kills it at the
// trigger. It returns how long COMMIT took when the child got through it.
func (h *harness) run(path string, tr trigger) (result, time.Duration, error) {
	r := result{label: tr.label, sinceCommit: -1}
	if err := copyDB(h.base, path, -1); err != nil {
		return r, 0, err
	}
	args := []string{"-child", "-db", path, "-n", strconv.Itoa(h.n)}
	if tr.hold {
		args = append(args, "-hold")
	}
	if h.noOptimistic {
		args = append(args, "-no-optimistic-write")
	}
	cmd := exec.Command(h.self, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return r, 0, err
	}
	if err := cmd.Start(); err != nil {
		return r, 0, err
	}
	markers := make(chan marker, 16)
	go readMarkers(stdout, markers)
	w := watcher{wal: path + ".wal", markers: markers}
	kill := func() {
		cmd.Process.Signal(syscall.SIGKILL)
		r.killed = true
		r.walAtKill = fileSize(path + ".wal")
		if !w.committing.IsZero() {
			r.sinceCommit = time.Since(w.committing)
		}
	}
	switch {
	case tr.hold:
		if w.waitFor("committed") {
			kill()
		}
	case tr.walOver >= 0:
		if w.waitWAL(tr.walOver) {
			kill()
		}
	default:
		if w.waitFor("committing") {
			if tr.delay > 0 {
				w.sleep(tr.delay)
			}
			if !w.done {
				kill()
			}
		}
	}
	w.drain()
	werr := cmd.Wait()
	if !r.killed && werr != nil {
		return r, 0, fmt.Errorf("child failed: %v: %s", werr, stderr.String())
	}
	r.phase = w.last
	if !r.killed {
		r.walAtKill = fileSize(path + ".wal")
	}
	var took time.Duration
	if !w.committed.IsZero() {
		took = w.committed.Sub(w.committing)
	}
	return r, took, nil
}

// marker is one line the child printed, with the moment it was read.
type marker struct {
	text string
	at   time.Time
}

func readMarkers(r io.Reader, out chan<- marker) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out <- marker{strings.TrimSpace(sc.Text()), time.Now()}
	}
	close(out)
}

// watcher follows a child's markers while the parent waits for a moment.
type watcher struct {
	wal                   string
	markers               <-chan marker
	last                  string
	committing, committed time.Time
	done                  bool // the child's output ended (it exited)
}

func (w *watcher) take(m marker, ok bool) {
	if !ok {
		w.done = true
		return
	}
	w.last = m.text
	switch m.text {
	case "committing":
		w.committing = m.at
	case "committed":
		w.committed = m.at
	}
}

// poll takes the markers already printed, without waiting.
func (w *watcher) poll() {
	for !w.done {
		select {
		case m, ok := <-w.markers:
			w.take(m, ok)
		default:
			return
		}
	}
}

// waitFor waits until the child prints text; false when it exits first.
func (w *watcher) waitFor(text string) bool {
	for !w.done && w.last != text {
		m, ok := <-w.markers
		w.take(m, ok)
	}
	return !w.done
}

// waitWAL polls the WAL size every ~100 µs until it exceeds limit; false
// when the child exits first.
func (w *watcher) waitWAL(limit int64) bool {
	for {
		w.poll()
		if fileSize(w.wal) > limit {
			return true
		}
		if w.done {
			return false
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// sleep waits d while taking markers, returning early if the child exits.
func (w *watcher) sleep(d time.Duration) {
	end := time.Now().Add(d)
	for !w.done && time.Now().Before(end) {
		w.poll()
		time.Sleep(min(100*time.Microsecond, time.Until(end)))
	}
}

// drain reads what the child printed before it died.
func (w *watcher) drain() {
	for !w.done {
		m, ok := <-w.markers
		w.take(m, ok)
	}
}

// fileSize is the size of a file, or -1 when it does not exist.
func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}
