package analytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

var loginNow = time.Date(2020, 1, 10, 9, 0, 0, 0, time.UTC)

// openWithUser opens a database with the admin account "boss".
func openWithUser(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	if err := s.AddUser(context.Background(), User{Username: "boss", Role: RoleAdmin}, "password-123", "test", loginNow); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoginConcurrentFailuresCountedExactly(t *testing.T) {
	s := openWithUser(t)
	ctx := context.Background()
	errs := make([]error, 59)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Authenticate(ctx, "boss", "wrong-password", fmt.Sprintf("203.0.113.%d", i+1), loginNow)
		}()
	}
	wg.Wait()
	bad, throttled := 0, 0
	for _, err := range errs {
		switch {
		case errors.Is(err, ErrBadPassword):
			bad++
		case errors.Is(err, ErrLockedOut):
			throttled++
		default:
			t.Fatal(err)
		}
	}
	u, _ := s.GetUser(ctx, "boss")
	if got := s.logins.evaluated.Load(); got != AccountFreeFailures {
		t.Errorf("%d attempts evaluated, want %d", got, AccountFreeFailures)
	}
	if bad != AccountFreeFailures-1 || throttled != 59-bad || u.FailedLogins != AccountFreeFailures {
		t.Errorf("%d wrong, %d throttled, failed_logins %d: want %d, %d, %d", bad, throttled, u.FailedLogins,
			AccountFreeFailures-1, 59-AccountFreeFailures+1, AccountFreeFailures)
	}
	_, err := s.Authenticate(ctx, "boss", "password-123", "203.0.113.60", loginNow)
	if got := LockoutWait(err); got != AccountBaseDelay {
		t.Errorf("right password during the account throttle: %v, want a wait of %s", err, AccountBaseDelay)
	}
	if got := s.logins.evaluated.Load(); got != AccountFreeFailures {
		t.Errorf("%d attempts evaluated after a throttled one, want %d", got, AccountFreeFailures)
	}
	if _, err := s.Authenticate(ctx, "boss", "password-123", "203.0.113.60", loginNow.Add(AccountBaseDelay)); err != nil {
		t.Errorf("right password after the delay: %v", err)
	}
}

// tryFrom authenticates at now and returns the error and whether the
// attempt was evaluated.
func tryFrom(t *testing.T, s *Store, name, pw, addr string, now time.Time) (error, bool) {
	t.Helper()
	before := s.logins.evaluated.Load()
	_, err := s.Authenticate(context.Background(), name, pw, addr, now)
	return err, s.logins.evaluated.Load() > before
}

func TestLoginAddressDelayGrowsWithoutEvaluation(t *testing.T) {
	for _, name := range []string{"boss", "nobody"} { // an unknown name is throttled alike
		t.Run(name, func(t *testing.T) {
			s := openWithUser(t)
			at := loginNow
			for i := 1; i < AddressFreeFailures; i++ {
				if err, _ := tryFrom(t, s, name, "wrong-password", "198.51.100.7", at); !errors.Is(err, ErrBadPassword) {
					t.Fatalf("failure %d: %v", i, err)
				}
			}
			for i, want := range []time.Duration{1, 2, 4, 8, 15, 15} {
				want *= time.Minute
				err, evaluated := tryFrom(t, s, name, "wrong-password", "198.51.100.7", at)
				if got := LockoutWait(err); got != want || !evaluated {
					t.Fatalf("failure %d: wait %s (evaluated %v), want %s", AddressFreeFailures+i, got, evaluated, want)
				}
				err, evaluated = tryFrom(t, s, name, "password-123", "198.51.100.7", at.Add(want-time.Second))
				if got := LockoutWait(err); got != time.Second || evaluated {
					t.Fatalf("inside the delay: wait %s, evaluated %v: want 1s, not evaluated", got, evaluated)
				}
				at = at.Add(want)
			}
			// After the delay the attempt is evaluated: the owner gets in; for an
			// unknown name it is one more failure, throttled like a wrong password.
			err, evaluated := tryFrom(t, s, name, "password-123", "198.51.100.7", at)
			if !evaluated || name == "boss" && err != nil || name == "nobody" && LockoutWait(err) != AddressMaxDelay {
				t.Fatalf("right password after the delay: %v (evaluated %v)", err, evaluated)
			}
		})
	}
}

func TestLoginStrangerDoesNotBlockOwnerElsewhere(t *testing.T) {
	s := openWithUser(t)
	at := loginNow
	for i := 0; i < AccountFreeFailures-1; i++ {
		tryFrom(t, s, "boss", "wrong-password", "198.51.100.66", at)
		at = at.Add(AddressMaxDelay)
	}
	if err, _ := tryFrom(t, s, "boss", "password-123", "198.51.100.66", at.Add(-AddressMaxDelay)); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("stranger's address: %v, want throttled", err)
	}
	if err, _ := tryFrom(t, s, "boss", "password-123", "203.0.113.9", at.Add(-AddressMaxDelay)); err != nil {
		t.Fatalf("owner from another address with %d account failures: %v", AccountFreeFailures-1, err)
	}
}

func TestLoginResetAndEnableClearThrottles(t *testing.T) {
	ctx := context.Background()
	for _, clear := range []string{"reset", "enable"} {
		t.Run(clear, func(t *testing.T) {
			s := openWithUser(t)
			for i := 0; i < AddressFreeFailures; i++ {
				tryFrom(t, s, "boss", "wrong-password", "198.51.100.7", loginNow)
			}
			// The account-wide throttle as 30 failures would leave it.
			if _, err := s.db.Exec(`UPDATE users SET failed_logins = 30, locked_until = ? WHERE username = 'boss'`, loginNow.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			pw := "password-123"
			if clear == "reset" {
				pw = "password-456"
				if err := s.SetPassword(ctx, "boss", pw, "cli", loginNow); err != nil {
					t.Fatal(err)
				}
			} else if err := s.SetDisabled(ctx, "boss", false, "cli", loginNow); err != nil {
				t.Fatal(err)
			}
			if u, _ := s.GetUser(ctx, "boss"); u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
				t.Errorf("after %s: failed_logins %d, locked_until %s", clear, u.FailedLogins, u.LockedUntil)
			}
			if err, _ := tryFrom(t, s, "boss", pw, "198.51.100.7", loginNow); err != nil {
				t.Errorf("login from the throttled address after %s: %v", clear, err)
			}
		})
	}
}

func TestLoginThrottleAuditHasClient(t *testing.T) {
	s := openWithUser(t)
	for i := 0; i < AddressFreeFailures; i++ {
		tryFrom(t, s, "boss", "wrong-password", "198.51.100.23", loginNow)
	}
	log, err := s.AuditLog(context.Background(), AuditFilter{ActionPrefix: "user.lockout"})
	if err != nil || len(log) != 1 {
		t.Fatalf("audit: %v %v", log, err)
	}
	var v struct {
		Client string    `json:"client"`
		Scope  string    `json:"scope"`
		Until  time.Time `json:"locked_until"`
	}
	if err := json.Unmarshal(log[0].New, &v); err != nil {
		t.Fatal(err)
	}
	if v.Client != "198.51.100.23" || v.Scope != "address" || !v.Until.Equal(loginNow.Add(AddressBaseDelay)) {
		t.Errorf("audit entry %s", log[0].New)
	}
}

func TestThrottleDelay(t *testing.T) {
	for n, want := range map[int]time.Duration{19: 0, 20: 5 * time.Second, 21: 10 * time.Second, 23: 40 * time.Second, 24: time.Minute, 500: time.Minute} {
		if got := throttleDelay(n, AccountFreeFailures, AccountBaseDelay, AccountMaxDelay); got != want {
			t.Errorf("throttleDelay(%d) = %s, want %s", n, got, want)
		}
	}
}
