package analytics

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Login throttling. Two counts of failed logins, each reset by a successful
// login it covers:
//
//   - per (account, client address): from the AddressFreeFailures-th
//     consecutive failure of a pair on, that pair is refused until the last
//     failure + AddressBaseDelay, doubled for each further failure, at most
//     AddressMaxDelay (1, 2, 4, 8, 15, 15 … minutes). It stops a guesser at
//     one address without touching the account's owner elsewhere.
//   - per account, over every address: from the AccountFreeFailures-th failure
//     since the account's last successful login on, every attempt on the
//     account is refused until the last failure + AccountBaseDelay, doubled for
//     each further failure, at most AccountMaxDelay (5, 10, 20, 40, 60, 60 …
//     seconds). It stops a guesser spread over many addresses at about one
//     guess a minute, while a stranger can keep the owner out only for a
//     minute after each failure that is actually evaluated.
//
// A refused attempt is not evaluated (no bcrypt) and counts nothing. The
// account count lives in users.failed_logins / users.locked_until; the pair
// counts live in memory (a restart clears them), and so does the account count
// of names that do not exist, so that such names are throttled exactly like
// real ones.
const (
	AddressFreeFailures = 5
	AddressBaseDelay    = time.Minute
	AddressMaxDelay     = 15 * time.Minute
	AccountFreeFailures = 20
	AccountBaseDelay    = 5 * time.Second
	AccountMaxDelay     = time.Minute
	// addressForget is how long a pair's count is kept after its last failure.
	addressForget = 24 * time.Hour
)

// LockoutError is a login refused by the throttle; it matches ErrLockedOut.
type LockoutError struct {
	Until time.Time // when the next attempt will be evaluated
	Wait  time.Duration
}

func (e *LockoutError) Error() string {
	return fmt.Sprintf("%v; retry in %s", ErrLockedOut, e.Wait)
}

// Is makes errors.Is(err, ErrLockedOut) hold.
func (e *LockoutError) Is(target error) bool { return target == ErrLockedOut }

// LockoutWait is how long a throttled login has to wait, 0 for other errors.
func LockoutWait(err error) time.Duration {
	var le *LockoutError
	if errors.As(err, &le) {
		return le.Wait
	}
	return 0
}

func lockedOut(until, now time.Time) error {
	return &LockoutError{Until: until, Wait: until.Sub(now)}
}

// throttleDelay is the delay after the failures-th failure: 0 below free,
// then base doubled for each failure beyond free, at most max.
func throttleDelay(failures, free int, base, max time.Duration) time.Duration {
	if failures < free {
		return 0
	}
	d := base
	for i := free; i < failures && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// failures is one in-memory count.
type failures struct {
	n     int
	last  time.Time // of the latest failure
	until time.Time // refused before this
}

// loginGuard holds what throttling keeps in memory; its zero value is ready.
type loginGuard struct {
	mu        sync.Mutex
	accounts  map[string]*accountLock // one per user name with an attempt under way
	pairs     map[string]*failures    // "name\x00address"
	phantoms  map[string]*failures    // account counts of names with no account
	sweepAt   int
	evaluated atomic.Int64 // password comparisons made, for tests
}

type accountLock struct {
	sync.Mutex
	users int // attempts holding or waiting for it
}

// lock serialises attempts on one user name: the throttle check, the bcrypt
// comparison and the count's update happen as one step.
func (g *loginGuard) lock(name string) (unlock func()) {
	g.mu.Lock()
	if g.accounts == nil {
		g.accounts = map[string]*accountLock{}
	}
	l := g.accounts[name]
	if l == nil {
		l = &accountLock{}
		g.accounts[name] = l
	}
	l.users++
	g.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		g.mu.Lock()
		if l.users--; l.users == 0 {
			delete(g.accounts, name)
		}
		g.mu.Unlock()
	}
}

func pairKey(name, addr string) string { return name + "\x00" + addr }

// table names one of the in-memory counts.
type table int

const (
	pairTable    table = iota // per (name, address)
	phantomTable              // per name that has no account
)

// table returns the map of t, made if needed; g.mu is held.
func (g *loginGuard) table(t table) map[string]*failures {
	p := &g.pairs
	if t == phantomTable {
		p = &g.phantoms
	}
	if *p == nil {
		*p = map[string]*failures{}
	}
	return *p
}

// until is when an in-memory count stops refusing (zero when it does not).
func (g *loginGuard) until(t table, key string) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f := g.table(t)[key]; f != nil {
		return f.until
	}
	return time.Time{}
}

// fail counts one failure of key in t and returns the new count and the time
// until which the key is refused.
func (g *loginGuard) fail(t table, key string, now time.Time, free int, base, max time.Duration) (int, time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(now)
	m := g.table(t)
	f := m[key]
	if f == nil {
		f = &failures{}
		m[key] = f
	}
	f.n++
	f.last = now
	if d := throttleDelay(f.n, free, base, max); d > 0 {
		f.until = now.Add(d)
	}
	return f.n, f.until
}

// sweep forgets counts whose last failure is older than addressForget, each
// time the maps have doubled since the last sweep.
func (g *loginGuard) sweep(now time.Time) {
	if len(g.pairs)+len(g.phantoms) < g.sweepAt {
		return
	}
	for _, m := range []map[string]*failures{g.pairs, g.phantoms} {
		for k, f := range m {
			if now.Sub(f.last) > addressForget {
				delete(m, k)
			}
		}
	}
	g.sweepAt = max(1024, 2*(len(g.pairs)+len(g.phantoms)))
}

// forget drops a count (after a successful login).
func (g *loginGuard) forget(t table, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.table(t), key)
}

// forgetName drops every in-memory count of a user name (a reset or an
// enabling by an administrator).
func (g *loginGuard) forgetName(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.phantoms, name)
	for k := range g.pairs {
		if len(k) > len(name) && k[:len(name)+1] == name+"\x00" {
			delete(g.pairs, k)
		}
	}
}
