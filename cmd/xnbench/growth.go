package main

// The growth section: how scoring one round grows from the small to the city to
// the province scale. Each scale is measured in a child process of its own (the
// same binary, run with -growth-child), so that its peak RSS is its own and one
// scale's DuckDB buffers and Go heap never weigh on the next.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/fixtures"
	"github.com/xiaoneng/xiaoneng/scoring"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// growthRound is the round the growth section scores: the same as the city figure.
const growthRound = "2019-B3"

// warmBudget is the wall time after which no further warm run is started
// (beyond the first two).
const warmBudget = 15.0 // seconds

// growthResult is one scale's measurement, handed from the child to the parent as JSON.
type growthResult struct {
	Scale     string  `json:"scale"`
	Months    int     `json:"months"`     // months 1..Months imported; 0 = the whole year
	Generated float64 `json:"generated"`  // seconds generating the files in this run; 0 = cached
	Filtered  float64 `json:"filtered"`   // seconds writing the month subset in this run; 0 = cached or none
	Import    float64 `json:"import"`     // seconds importing every file
	ImportCPU float64 `json:"import_cpu"` // CPU seconds of the import (user + system, every thread)
	Imported  int64   `json:"imported"`   // rows of every imported file
	ImportRSS int64   `json:"import_rss"` // peak RSS while importing (VmHWM reset before); 0 = unknown
	Stored    int64   `json:"stored"`     // cases + complaints rows in the database
	RoundRows int64   `json:"round_rows"` // cases + complaints received in the round's months
	Cold      float64 `json:"cold"`       // first scoring run, seconds
	Warm      float64 `json:"warm"`       // best of the warm runs, seconds
	WarmCPU   float64 `json:"warm_cpu"`   // CPU seconds (user + system, every thread) of that run
	WarmRuns  int     `json:"warm_runs"`
	PeakRSS   int64   `json:"peak_rss"` // bytes while scoring (VmHWM reset before); 0 = unknown
	Inputs    string  `json:"inputs"`   // the round's inputs fingerprint: equal with and without sampling
}

// parseScales reads the -growth flag: a comma-separated list of scales, or "none".
func parseScales(s string) ([]fixtures.Scale, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "none" {
		return nil, nil
	}
	var out []fixtures.Scale
	for _, f := range strings.Split(s, ",") {
		switch sc := fixtures.Scale(strings.TrimSpace(f)); sc {
		case fixtures.Small, fixtures.City, fixtures.Province:
			out = append(out, sc)
		default:
			return nil, fmt.Errorf("-growth: unknown scale %q (want small, city, province or none)", f)
		}
	}
	return out, nil
}

// benchGrowth measures each scale in a child process and returns one row per
// scale and one per consecutive pair.
func benchGrowth(ctx context.Context, out, mem string, scales []fixtures.Scale, months int) ([]row, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var rows []row
	var prev *growthResult
	for _, sc := range scales {
		fmt.Fprintf(os.Stderr, "growth: %s scale …\n", sc)
		cmd := exec.CommandContext(ctx, self, "-growth-child", string(sc), "-out", out, "-memory-limit", mem,
			"-growth-months", strconv.Itoa(months))
		cmd.Stderr = os.Stderr
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("growth %s: %w", sc, err)
		}
		var r growthResult
		if err := json.Unmarshal(lastLine(stdout.Bytes()), &r); err != nil {
			return nil, fmt.Errorf("growth %s: reading the child's result: %w", sc, err)
		}
		rssNote := "peak RSS while scoring"
		if r.PeakRSS == 0 {
			// No VmHWM: the child's whole peak, import included.
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				r.PeakRSS = int64(ru.Maxrss) << 10
				rssNote = "peak RSS of the whole child process (import included)"
			}
		}
		rows = append(rows, growthRow(r, rssNote+", DuckDB memory_limit "+mem), importGrowthRow(r, mem))
		if prev != nil {
			rows = append(rows, ratioRow(*prev, r), importRatioRow(*prev, r))
		}
		prev = &r
	}
	return rows, nil
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

func growthRow(r growthResult, rssNote string) row {
	perM := r.Warm / (float64(r.RoundRows) / 1e6)
	value := fmt.Sprintf("%s round rows: %.3f s warm (CPU %.2f s) = %.3f s per M rows", thousands(r.RoundRows), r.Warm, r.WarmCPU, perM)
	if r.PeakRSS > 0 {
		value += fmt.Sprintf("; peak RSS %.2f GiB", float64(r.PeakRSS)/(1<<30))
	}
	var note []string
	if r.Months > 0 {
		note = append(note, fmt.Sprintf("sampled: only cases and complaints received 2019-01 … 2019-%02d imported, other files whole "+
			"(what the database holds when %s is scored; the round reads nothing received later, so its inputs equal a whole-year import's)", r.Months, growthRound))
	} else {
		note = append(note, "the whole year imported")
	}
	note = append(note, fmt.Sprintf("%s cases + complaints stored", thousands(r.Stored)))
	if r.Generated > 0 {
		note = append(note, fmt.Sprintf("generated in %.0f s", r.Generated))
	}
	if r.Filtered > 0 {
		note = append(note, fmt.Sprintf("month subset written in %.1f s", r.Filtered))
	}
	note = append(note, fmt.Sprintf("import %.0f s", r.Import),
		fmt.Sprintf("cold run %.3f s, warm = best of %d runs", r.Cold, r.WarmRuns))
	if r.PeakRSS > 0 {
		note = append(note, rssNote)
	}
	return row{
		what:  fmt.Sprintf("growth: score %s, %s scale", growthRound, r.Scale),
		value: value,
		note:  strings.Join(note, "; "),
	}
}

// linearity is the verdict on a growth: ≤ linear when the ratio of a cost
// stays within the ratio of the rows × 1.1.
func linearity(cost, rows float64) string {
	if cost > rows*1.1 {
		return "worse than linear"
	}
	return "≤ linear"
}

func ratioRow(a, b growthResult) row {
	rowRatio := float64(b.RoundRows) / float64(a.RoundRows)
	timeRatio := b.Warm / a.Warm
	verdict := linearity(timeRatio, rowRatio)
	return row{
		what:   fmt.Sprintf("growth %s → %s", a.Scale, b.Scale),
		value:  fmt.Sprintf("time ×%.2f (CPU time ×%.2f) for rows ×%.2f: %s", timeRatio, b.WarmCPU/a.WarmCPU, rowRatio, verdict),
		target: "≤ linear",
		note: "≤ linear when the warm wall-time ratio ≤ the round-rows ratio × 1.1; " +
			"the CPU-time ratio is a cross-check that other load on the machine moves much less",
	}
}

// importGrowthRow is one scale's import: every file of the (sampled) city
// into a fresh database, one transaction per file.
func importGrowthRow(r growthResult, mem string) row {
	value := fmt.Sprintf("%s rows in %.1f s (CPU %.1f s) = %s rows/s", thousands(r.Imported), r.Import, r.ImportCPU,
		thousands(int64(float64(r.Imported)/r.Import)))
	if r.ImportRSS > 0 {
		value += fmt.Sprintf("; peak RSS %.2f GiB", float64(r.ImportRSS)/(1<<30))
	}
	note := "every file of the scale into a fresh database, one transaction per file"
	if r.Months > 0 {
		note += fmt.Sprintf("; sampled as the scoring row above (cases and complaints of 2019-01 … 2019-%02d)", r.Months)
	}
	return row{what: fmt.Sprintf("growth: import, %s scale", r.Scale), value: value,
		note: note + "; peak RSS while importing, DuckDB memory_limit " + mem}
}

// importRatioRow compares two scales' imports: time (and CPU time) against
// rows, and peak memory against rows.
func importRatioRow(a, b growthResult) row {
	rowRatio := float64(b.Imported) / float64(a.Imported)
	timeRatio := b.Import / a.Import
	value := fmt.Sprintf("time ×%.2f (CPU time ×%.2f) for rows ×%.2f: %s", timeRatio, b.ImportCPU/a.ImportCPU, rowRatio, linearity(timeRatio, rowRatio))
	if a.ImportRSS > 0 && b.ImportRSS > 0 {
		m := float64(b.ImportRSS) / float64(a.ImportRSS)
		value += fmt.Sprintf("; peak RSS ×%.2f: %s", m, linearity(m, rowRatio))
	}
	return row{what: fmt.Sprintf("growth of the import %s → %s", a.Scale, b.Scale), value: value, target: "≤ linear",
		note: "≤ linear when the wall-time (and the peak-RSS) ratio ≤ the rows ratio × 1.1"}
}

// growthChild measures one scale and prints its growthResult as JSON on stdout.
func growthChild(ctx context.Context, out, mem string, scale fixtures.Scale, months int) error {
	r := growthResult{Scale: string(scale), Months: months}
	data := filepath.Join(out, string(scale))
	cached := fileExists(filepath.Join(data, ".complete"))
	t := time.Now()
	if err := ensureFixtures(data, scale); err != nil {
		return err
	}
	if !cached {
		r.Generated = time.Since(t).Seconds()
	}
	files, filtered, err := growthFiles(out, data, scale, months)
	if err != nil {
		return err
	}
	r.Filtered = filtered
	path := filepath.Join(out, "growth-"+string(scale)+".duckdb")
	defer removeDB(path)
	st, err := freshStore(ctx, path, mem)
	if err != nil {
		return err
	}
	debug.FreeOSMemory()
	importHWM := resetPeakRSS()
	t, c0 := time.Now(), cpuSeconds()
	for _, f := range files {
		tf := time.Now()
		res, err := st.ImportFile(ctx, f, analytics.ImportOptions{Actor: "bench"})
		if err != nil {
			st.Close()
			return err
		}
		r.Imported += int64(res.Rows)
		if d := time.Since(tf); d > 5*time.Second {
			fmt.Fprintf(os.Stderr, "growth: %s %s: %s rows in %.1f s\n", scale, filepath.Base(f), thousands(res.Rows), d.Seconds())
		}
	}
	r.Import, r.ImportCPU = time.Since(t).Seconds(), cpuSeconds()-c0
	if importHWM {
		r.ImportRSS = peakRSS()
	}
	fmt.Fprintf(os.Stderr, "growth: %s imported in %.1f s\n", scale, r.Import)
	if err := st.Close(); err != nil {
		return err
	}
	// Score in a freshly opened database with the import's memory given back,
	// so the peak RSS is the scoring's own.
	debug.FreeOSMemory()
	st, err = analytics.Open(ctx, analytics.Options{Path: path, MemoryLimit: mem})
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := analytics.ParseRound(growthRound)
	if err != nil {
		return err
	}
	db := st.DB()
	if err := db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM complaints)").Scan(&r.Stored); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM cases WHERE CAST(received_at AS DATE) BETWEEN $1 AND $2) +
		(SELECT count(*) FROM complaints WHERE CAST(received_at AS DATE) BETWEEN $1 AND $2)`, p.Start, p.End).Scan(&r.RoundRows); err != nil {
		return err
	}
	hwm := resetPeakRSS()
	// One cold run, then warm runs: at least 2, more while they have taken
	// less than warmBudget in all (up to 10), so that the quick scales, which
	// other load on the machine disturbs most, get the most tries.
	var spent float64
	for i := 0; i == 0 || r.WarmRuns < 2 || (spent < warmBudget && r.WarmRuns < 10); i++ {
		t, c := time.Now(), cpuSeconds()
		rk, err := st.ScoreRound(ctx, growthRound, scoring.DefaultScheme(), "bench", time.Now())
		if err != nil {
			return err
		}
		r.Inputs = rk.InputsFingerprint
		d, cpu := time.Since(t).Seconds(), cpuSeconds()-c
		switch {
		case i == 0:
			r.Cold = d
			continue
		case i == 1 || d < r.Warm:
			r.Warm, r.WarmCPU = d, cpu
		}
		r.WarmRuns++
		spent += d
	}
	if hwm {
		r.PeakRSS = peakRSS()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}

// growthFiles lists the files to import for one scale in import order. With
// months > 0 only the cases files of 2019-01 … months are kept and complaints.csv
// is replaced by a copy holding the complaints received in those months
// (written once into out/<scale>-m01-NN and kept); it returns the seconds spent
// writing that copy in this run.
func growthFiles(out, data string, scale fixtures.Scale, months int) ([]string, float64, error) {
	all, _, err := analytics.ExpandPaths([]string{data}, "")
	if err != nil {
		return nil, 0, err
	}
	if months <= 0 {
		return all, 0, nil
	}
	var files []string
	var took float64
	for _, f := range all {
		k := analytics.KindForFile(f)
		if k == nil {
			continue
		}
		switch k.Name {
		case "cases":
			m := monthRE.FindStringSubmatch(filepath.Base(f))
			if m == nil {
				return nil, 0, fmt.Errorf("%s: no month in the cases file name", f)
			}
			if mo, _ := strconv.Atoi(m[1]); mo > months {
				continue
			}
		case "complaints":
			dir := filepath.Join(out, fmt.Sprintf("%s-m01-%02d", scale, months))
			dst := filepath.Join(dir, filepath.Base(f))
			// The marker names the source file's size and time, so a regenerated
			// city gets a new subset.
			marker := dst + ".complete"
			fi, err := os.Stat(f)
			if err != nil {
				return nil, 0, err
			}
			stamp := fmt.Sprintf("%s %d %d\n", filepath.Base(f), fi.Size(), fi.ModTime().UnixNano())
			if b, err := os.ReadFile(marker); err != nil || string(b) != stamp {
				t := time.Now()
				os.Remove(marker)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return nil, 0, err
				}
				n, err := monthsOnly(f, dst, months)
				if err != nil {
					return nil, 0, err
				}
				took += time.Since(t).Seconds()
				fmt.Fprintf(os.Stderr, "growth: %s complaints of months 1–%d: %s rows\n", scale, months, thousands(n))
				if err := os.WriteFile(marker, []byte(stamp), 0o644); err != nil {
					return nil, 0, err
				}
			}
			f = dst
		}
		files = append(files, f)
	}
	return files, took, nil
}

var monthRE = regexp.MustCompile(`\d{4}-(\d{2})`)

// monthsOnly copies the header and the rows of a complaints CSV file whose
// receipt time falls in months 1 … months, byte for byte (the encoding is kept:
// GB18030 never uses bytes below 0x40 inside a character, so commas, quotes and
// line ends are found on the raw bytes). Quoted cells are refused rather than
// parsed: the generated complaints have none.
func monthsOnly(src, dst string, months int) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	o, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer o.Close()
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(o, 1<<20)
	header, err := r.ReadBytes('\n')
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	col := -1
	if names, err := simplifiedchinese.GB18030.NewDecoder().Bytes(bytes.TrimRight(header, "\r\n")); err == nil {
		for i, n := range strings.Split(strings.TrimPrefix(string(names), "\ufeff"), ",") {
			if n = strings.TrimSpace(n); n == "受理时间" || n == "received_at" {
				col = i
			}
		}
	}
	if col < 0 {
		return 0, fmt.Errorf("%s: no receipt-time column (受理时间 or received_at) in the header", src)
	}
	w.Write(header)
	var n int64
	for line := 2; ; line++ {
		b, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return 0, fmt.Errorf("%s:%d: line longer than 1 MiB", src, line)
		}
		if len(b) > 0 {
			if bytes.IndexByte(b, '"') >= 0 {
				return 0, fmt.Errorf("%s:%d: quoted cell; cannot take a month subset line by line", src, line)
			}
			cell := field(b, col)
			if len(cell) < 7 {
				return 0, fmt.Errorf("%s:%d: receipt time %q is not YYYY-MM…", src, line, cell)
			}
			mo, perr := strconv.Atoi(string(cell[5:7]))
			if perr != nil {
				return 0, fmt.Errorf("%s:%d: receipt time %q is not YYYY-MM…", src, line, cell)
			}
			if mo <= months {
				w.Write(b)
				n++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return n, o.Close()
}

// field returns cell i of an unquoted CSV line.
func field(line []byte, i int) []byte {
	for ; i > 0; i-- {
		j := bytes.IndexByte(line, ',')
		if j < 0 {
			return nil
		}
		line = line[j+1:]
	}
	if j := bytes.IndexAny(line, ",\r\n"); j >= 0 {
		line = line[:j]
	}
	return line
}

// cpuSeconds is the CPU time this process has used so far, user and system.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// resetPeakRSS resets the kernel's peak-RSS mark (VmHWM) of this process; it
// reports whether that worked (Linux ≥ 4.0).
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil && peakRSS() > 0
}

// peakRSS reads VmHWM from /proc/self/status, in bytes; 0 when unavailable.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func removeDB(path string) {
	for _, p := range []string{path, path + ".wal"} {
		os.Remove(p)
	}
	os.RemoveAll(path + ".tmp")
}

// growthMonths is the default of -growth-months: January to the last month of
// the round (2019-B3 is May–June, so January–June), all that the round can read.
var growthMonths = func() int {
	p, err := analytics.ParseRound(growthRound)
	if err != nil {
		panic(err)
	}
	return int(p.End.Month())
}()
