package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// faultsMinLoad is the least time the API load runs around the writers.
const faultsMinLoad = 10 * time.Second

// benchFaults puts the rankings API under the load of benchWeb (webClients
// clients on /api/v1/rankings/:round) and, on the server's own store and at
// the same time, re-imports one month of cases (data, cases-2019-05.csv) and
// scores the round again. It requires that no request fails, that every
// answer is the published ranking as it was before, that the stored result
// of every earlier version is byte-identical afterwards, and that the new
// version is complete; it reports the p99 latency under these writers.
func benchFaults(ctx context.Context, st *analytics.Store, data, round string) ([]row, error) {
	now := time.Now()
	if rs, err := st.Round(ctx, round); err != nil {
		return nil, err
	} else if rs.PublishedVersion == 0 {
		if _, err := st.Publish(ctx, round, analytics.PublishOptions{Reason: "bench: sample data"}, "bench", now); err != nil {
			return nil, err
		}
	}
	casesFile := filepath.Join(data, "cases-2019-05.csv")
	before, err := st.Ranking(ctx, round)
	if err != nil {
		return nil, err
	}
	stored := map[int][]byte{}
	for v := 1; v <= before.Version; v++ {
		r, err := st.RankingVersion(ctx, round, v)
		if err != nil {
			return nil, fmt.Errorf("version %d of %s before the run: %w", v, round, err)
		}
		if stored[v], err = json.Marshal(r); err != nil {
			return nil, err
		}
	}

	bs, err := startBenchServer(ctx, st, "bench-faults", now)
	if err != nil {
		return nil, err
	}
	defer bs.close()
	tr, token := bs.tr, bs.token
	url := bs.base + "/api/v1/rankings/" + round
	req := func() *http.Request {
		r, _ := http.NewRequest(http.MethodGet, url, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		return r
	}
	// The published ranking as the API serves it before the writers start.
	want, err := fetch(tr, req)
	if err != nil {
		return nil, err
	}

	// The writers: one import and one scoring run, started together once
	// the load is running, on the store the server reads.
	stop := make(chan struct{})
	load := make(chan faultLoad, 1)
	go func() { load <- loadWhile(tr, req, webClients, stop, sha256.Sum256(want)) }()
	time.Sleep(time.Second)
	var wg sync.WaitGroup
	var imp analytics.ImportResult
	var impErr, scoreErr error
	var impTook, scoreTook time.Duration
	var scored analytics.Ranking
	wg.Add(2)
	go func() {
		defer wg.Done()
		t := time.Now()
		imp, impErr = st.ImportFile(ctx, casesFile, analytics.ImportOptions{Actor: "bench-faults"})
		impTook = time.Since(t)
	}()
	go func() {
		defer wg.Done()
		t := time.Now()
		scored, scoreErr = st.ScoreRound(ctx, round, scoring.DefaultScheme(), "bench-faults", time.Now())
		scoreTook = time.Since(t)
	}()
	started := time.Now()
	wg.Wait()
	if rest := faultsMinLoad - time.Since(started); rest > 0 {
		time.Sleep(rest)
	}
	close(stop)
	res := <-load
	if err := errors.Join(impErr, scoreErr); err != nil {
		return nil, err
	}

	// No score lost: every earlier version reads back byte for byte, the
	// published ranking is unchanged, and the new version is complete (and,
	// on unchanged inputs under the same scheme, equal to the newest before).
	var problems []error
	for v, b := range stored {
		r, err := st.RankingVersion(ctx, round, v)
		if err != nil {
			problems = append(problems, fmt.Errorf("version %d: %w", v, err))
			continue
		}
		if got, _ := json.Marshal(r); string(got) != string(b) {
			problems = append(problems, fmt.Errorf("version %d of %s changed under load", v, round))
		}
	}
	if after, err := fetch(tr, req); err != nil || string(after) != string(want) {
		problems = append(problems, fmt.Errorf("the published ranking changed (%v)", err))
	}
	newest, err := st.RankingVersion(ctx, round, scored.Version)
	if err != nil {
		return nil, err
	}
	same := "inputs or scheme differ from the newest earlier version"
	if len(newest.Units) != len(before.Units) || len(newest.Units) == 0 {
		problems = append(problems, fmt.Errorf("new version %d holds %d units, version %d held %d", scored.Version, len(newest.Units), before.Version, len(before.Units)))
	} else if newest.InputsFingerprint == before.InputsFingerprint && newest.SchemeHash == before.SchemeHash {
		a, _ := json.Marshal(newest.Units)
		b, _ := json.Marshal(before.Units)
		if string(a) != string(b) {
			problems = append(problems, fmt.Errorf("new version %d differs from version %d on the same inputs", scored.Version, before.Version))
		}
		same = fmt.Sprintf("every unit's line equal to version %d (same inputs, same scheme)", before.Version)
	}
	if res.failed > 0 || res.wrong > 0 {
		problems = append(problems, fmt.Errorf("%d requests failed and %d answered something else than the published ranking (first: %v)", res.failed, res.wrong, res.firstErr))
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("load with faults: %w", err)
	}
	return []row{
		{fmt.Sprintf("rankings API under load (%d clients) while a cases file imports and %s is scored", webClients, round),
			fmt.Sprintf("%s requests/s (%d requests, %d failed, %d not the published ranking); p50 %.1f ms, p99 %.1f ms, max %.0f ms",
				thousands(int64(res.rps)), res.n, res.failed, res.wrong, ms(res.p50), ms(res.p99), ms(res.max)),
			"no failure; p99 < 200 ms", fmt.Sprintf("load for %.1f s in all; same process, one store", res.took.Seconds())},
		{"… the import during the load", fmt.Sprintf("%s: %s rows in %.1f s (%d new, %d replaced, %d unchanged)",
			filepath.Base(casesFile), thousands(imp.Rows), impTook.Seconds(), imp.New, imp.Replaced, imp.Unchanged), "succeeds", "through the importer on the server's store"},
		{"… the scoring run during the load", fmt.Sprintf("version %d of %s in %.1f s, %d units", scored.Version, round, scoreTook.Seconds(), len(newest.Units)),
			"no score lost", fmt.Sprintf("versions 1–%d byte-identical after; published ranking unchanged; %s", before.Version, same)},
	}, nil
}

// fetch gets one answer and requires a 200.
func fetch(tr http.RoundTripper, req func() *http.Request) ([]byte, error) {
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Do(req())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return b, err
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

type faultLoad struct {
	n, failed, wrong int
	firstErr         error
	rps              float64
	p50, p99, max    time.Duration
	took             time.Duration
}

// loadWhile runs clients goroutines sending requests back to back until stop
// is closed; an answer whose body differs from want counts as wrong.
func loadWhile(tr http.RoundTripper, req func() *http.Request, clients int, stop <-chan struct{}, want [32]byte) faultLoad {
	var mu sync.Mutex
	var res faultLoad
	var lat []time.Duration
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			failed, wrong := 0, 0
			var first error
			for {
				select {
				case <-stop:
					mu.Lock()
					lat = append(lat, mine...)
					res.failed += failed
					res.wrong += wrong
					if res.firstErr == nil {
						res.firstErr = first
					}
					mu.Unlock()
					return
				default:
				}
				t := time.Now()
				b, err := fetch(tr, req)
				if err != nil {
					failed++
					if first == nil {
						first = err
					}
					continue
				}
				mine = append(mine, time.Since(t))
				if sha256.Sum256(b) != want {
					wrong++
				}
			}
		}()
	}
	wg.Wait()
	res.took = time.Since(start)
	res.n = len(lat)
	if res.n == 0 {
		return res
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	res.rps = float64(res.n) / res.took.Seconds()
	res.p50, res.p99, res.max = pct(0.50), pct(0.99), lat[len(lat)-1]
	return res
}

// faultsOnlyRun runs the load-with-faults phase alone on the city database
// of an earlier full run and prints its rows.
func faultsOnlyRun(ctx context.Context, out, data, mem string) error {
	st, err := analytics.Open(ctx, analytics.Options{Path: filepath.Join(out, "bench.duckdb"), MemoryLimit: mem})
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := benchFaults(ctx, st, data, "2019-B3")
	if err != nil {
		return err
	}
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.value, r.target, r.note)
	}
	return nil
}
