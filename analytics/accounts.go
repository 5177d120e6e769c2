package analytics

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/xiaoneng/xiaoneng/queries"
)

// Roles of the web service's accounts.
const (
	RoleAdmin     = "admin"     // 效能办
	RoleLeader    = "leader"    // 领导
	RoleEvaluator = "evaluator" // 评议人, linked to an evaluator id
)

// Password rules: bcrypt reads at most 72 bytes, so a longer password would be
// silently cut; it is refused instead, before hashing.
const (
	MinPasswordLen   = 8  // characters
	MaxPasswordBytes = 72 // bytes, bcrypt's limit
	bcryptCost       = 10
)

// Errors of the account functions, for the web service to word for people.
var (
	ErrNoUser         = errors.New("no such account")
	ErrUserExists     = errors.New("account already exists")
	ErrBadPassword    = errors.New("wrong user name or password")
	ErrLockedOut      = errors.New("login throttled after repeated failed logins")
	ErrDisabled       = errors.New("account disabled")
	ErrWeakPassword   = fmt.Errorf("password must be at least %d characters and at most %d bytes", MinPasswordLen, MaxPasswordBytes)
	ErrBadRole        = errors.New("role must be admin, leader or evaluator")
	ErrNoSession      = errors.New("no valid session")
	ErrUnknownEvaluer = errors.New("unknown evaluator_id")
)

// User is an account of the web service (the password hash stays inside).
type User struct {
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         string    `json:"role"`
	EvaluatorID  string    `json:"evaluator_id,omitempty"`
	Disabled     bool      `json:"disabled"`
	FailedLogins int       `json:"failed_logins"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// CheckPassword applies the length rules before any hashing.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > MaxPasswordBytes {
		return ErrWeakPassword
	}
	return nil
}

func validRole(r string) bool {
	return r == RoleAdmin || r == RoleLeader || r == RoleEvaluator
}

// AddUser creates an account with a bcrypt-hashed password. An evaluator
// account must name an imported evaluator. The change is audited.
func (s *Store) AddUser(ctx context.Context, u User, password, actor string, now time.Time) error {
	u.Username = strings.TrimSpace(u.Username)
	if u.Username == "" || strings.ContainsAny(u.Username, " \t\r\n") {
		return errors.New("user name must be non-empty and without spaces")
	}
	if !validRole(u.Role) {
		return ErrBadRole
	}
	if err := CheckPassword(password); err != nil {
		return err
	}
	var evaluator any
	if u.Role == RoleEvaluator {
		if u.EvaluatorID == "" {
			return errors.New("an evaluator account needs --evaluator EVALUATOR_ID")
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM evaluators WHERE evaluator_id = ?`, u.EvaluatorID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w %q (import evaluators first)", ErrUnknownEvaluer, u.EvaluatorID)
		}
		evaluator = u.EvaluatorID
	} else if u.EvaluatorID != "" {
		return errors.New("only evaluator accounts are linked to an evaluator")
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost)
	if err != nil {
		return err
	}
	if _, err := s.getUser(ctx, u.Username); err == nil {
		return fmt.Errorf("%w: %s", ErrUserExists, u.Username)
	}
	return s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, queries.SQL("users_insert"), u.Username, u.DisplayName, u.Role, evaluator, string(hash), now); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, actor, "user.add", "user:"+u.Username, nil,
			map[string]any{"role": u.Role, "display_name": u.DisplayName, "evaluator_id": u.EvaluatorID})
	})
}

// SetPassword replaces an account's password, clears its login throttles and ends
// its sessions and API tokens. Audited (the hash itself never is).
func (s *Store) SetPassword(ctx context.Context, username, password, actor string, now time.Time) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	if _, err := s.getUser(ctx, username); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost)
	if err != nil {
		return err
	}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, queries.SQL("users_set_password"), string(hash), now, username); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("sessions_delete_user"), username, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, queries.SQL("api_tokens_revoke_user"), username); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, actor, "user.reset", "user:"+username, nil, map[string]any{"password": "changed"})
	})
	if err == nil {
		s.logins.forgetName(username)
	}
	return err
}

// SetDisabled disables (ending its sessions and tokens) or re-enables an
// account; either clears its login throttles. Audited.
func (s *Store) SetDisabled(ctx context.Context, username string, disabled bool, actor string, now time.Time) error {
	old, err := s.getUser(ctx, username)
	if err != nil {
		return err
	}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, queries.SQL("users_set_disabled"), disabled, now, username); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, queries.SQL("sessions_delete_user"), username, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, queries.SQL("api_tokens_revoke_user"), username); err != nil {
				return err
			}
		}
		return AuditTx(ctx, tx, now, actor, "user.disable", "user:"+username,
			map[string]any{"disabled": old.Disabled}, map[string]any{"disabled": disabled})
	})
	if err == nil {
		s.logins.forgetName(username)
	}
	return err
}

// GetUser reads one account.
func (s *Store) GetUser(ctx context.Context, username string) (User, error) {
	u, err := s.getUser(ctx, username)
	return u.User, err
}

type userRow struct {
	User
	hash string
}

func (s *Store) getUser(ctx context.Context, username string) (userRow, error) {
	var u userRow
	var ev sql.NullString
	var locked sql.NullTime
	err := s.db.QueryRowContext(ctx, queries.SQL("users_get"), username).Scan(&u.Username, &u.DisplayName, &u.Role, &ev,
		&u.hash, &u.Disabled, &u.FailedLogins, &locked, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("%w: %s", ErrNoUser, username)
	}
	u.EvaluatorID = ev.String
	if locked.Valid {
		u.LockedUntil = locked.Time
	}
	return u, err
}

// Users lists every account.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.eachRow(ctx, queries.SQL("users_list"), nil, func(r *sql.Rows) error {
		var u User
		var ev sql.NullString
		var locked sql.NullTime
		if err := r.Scan(&u.Username, &u.DisplayName, &u.Role, &ev, &u.Disabled, &u.FailedLogins, &locked, &u.CreatedAt, &u.UpdatedAt); err != nil {
			return err
		}
		u.EvaluatorID = ev.String
		if locked.Valid {
			u.LockedUntil = locked.Time
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// Authenticate checks a password tried from client (the client's address).
// Attempts on one user name are serialised, so the throttle check, the bcrypt
// comparison and the failure count are one step. A throttled attempt (see
// AddressFreeFailures) gets a *LockoutError without being evaluated, even with
// the right password; so does the failure that starts or extends a throttle.
// A disabled account is refused even with the right password. Unknown names
// and wrong passwords give the same errors, are throttled alike and both cost
// a bcrypt comparison, so neither the message nor the time tells which names
// exist.
func (s *Store) Authenticate(ctx context.Context, username, password, client string, now time.Time) (User, error) {
	unlock := s.logins.lock(username)
	defer unlock()
	u, err := s.getUser(ctx, username)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNoUser) {
		return User{}, err
	}
	pair := pairKey(username, client)
	until, account := s.logins.until(pairTable, pair), u.LockedUntil
	if !exists {
		account = s.logins.until(phantomTable, username)
	}
	if account.After(until) {
		until = account
	}
	if now.Before(until) {
		return User{}, lockedOut(until, now)
	}
	s.logins.evaluated.Add(1)
	hash := s.dummyHash()
	if exists {
		hash = []byte(u.hash)
	}
	if len(password) > MaxPasswordBytes || bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !exists {
		return User{}, s.loginFailed(ctx, username, client, exists, now)
	}
	if u.Disabled {
		return User{}, ErrDisabled
	}
	s.logins.forget(pairTable, pair)
	if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
		s.writeMu.Lock()
		_, err := s.db.ExecContext(ctx, queries.SQL("users_login_ok"), username)
		s.writeMu.Unlock()
		if err != nil {
			return User{}, err
		}
	}
	return u.User, nil
}

// loginFailed counts a failed login for the (name, client) pair and for the
// account, and returns ErrBadPassword, or a *LockoutError when either count
// now throttles; that event is audited with the client address.
func (s *Store) loginFailed(ctx context.Context, username, client string, exists bool, now time.Time) error {
	pairN, until := s.logins.fail(pairTable, pairKey(username, client), now, AddressFreeFailures, AddressBaseDelay, AddressMaxDelay)
	var accountN int
	var account time.Time
	if exists {
		var locked sql.NullTime
		s.writeMu.Lock()
		err := s.db.QueryRowContext(ctx, queries.SQL("users_login_failed"), now, AccountFreeFailures,
			AccountBaseDelay.Milliseconds(), AccountMaxDelay.Milliseconds(), username).Scan(&accountN, &locked)
		s.writeMu.Unlock()
		if err != nil {
			return fmt.Errorf("analytics: count failed login: %w", err)
		}
		account = locked.Time
	} else {
		accountN, account = s.logins.fail(phantomTable, username, now, AccountFreeFailures, AccountBaseDelay, AccountMaxDelay)
	}
	scope := "address"
	if account.After(until) {
		until, scope = account, "account"
	}
	if !now.Before(until) {
		return ErrBadPassword
	}
	if err := s.Audit(ctx, now, username, "user.lockout", "user:"+username, nil, map[string]any{
		"client": client, "scope": scope, "locked_until": until,
		"address_failures": pairN, "account_failures": accountN,
	}); err != nil {
		return err
	}
	return lockedOut(until, now)
}

// dummyHash is the hash an unknown user name is compared against, at the
// store's cost, so that it costs what a real comparison costs.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("xiaoneng-no-such-user"), s.passwordCost)
	})
	return s.dummy
}

// NewToken returns a random token (for a cookie or a bearer header) and the
// sha256 that the database keeps of it.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash is the stored form of a session or API token.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession stores a new session of ttl and returns its token.
func (s *Store) CreateSession(ctx context.Context, username string, now time.Time, ttl time.Duration) (string, time.Time, error) {
	token, hash := NewToken()
	exp := now.Add(ttl)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.db.ExecContext(ctx, queries.SQL("sessions_insert"), hash, username, now, exp)
	return token, exp, err
}

// Session resolves a session token to its account (ErrNoSession when the
// token is unknown or expired, or the account is disabled).
func (s *Store) Session(ctx context.Context, token string, now time.Time) (User, time.Time, error) {
	var name string
	var exp time.Time
	err := s.db.QueryRowContext(ctx, queries.SQL("sessions_get"), TokenHash(token), now).Scan(&name, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, exp, ErrNoSession
	}
	if err != nil {
		return User{}, exp, err
	}
	u, err := s.getUser(ctx, name)
	if err != nil || u.Disabled {
		return User{}, exp, ErrNoSession
	}
	return u.User, exp, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.db.ExecContext(ctx, queries.SQL("sessions_delete"), TokenHash(token))
	return err
}

// CreateAPIToken makes a bearer token for the JSON API; only its hash is
// stored, so it is shown once. Audited.
func (s *Store) CreateAPIToken(ctx context.Context, username, name, actor string, now time.Time) (string, error) {
	if _, err := s.getUser(ctx, username); err != nil {
		return "", err
	}
	token, hash := NewToken()
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, queries.SQL("api_tokens_insert"), hash, username, name, now); err != nil {
			return err
		}
		return AuditTx(ctx, tx, now, actor, "user.token", "user:"+username, nil, map[string]any{"token_name": name})
	})
	return token, err
}

// APIToken resolves a bearer token to its account.
func (s *Store) APIToken(ctx context.Context, token string) (User, error) {
	var name string
	err := s.db.QueryRowContext(ctx, queries.SQL("api_tokens_get"), TokenHash(token)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, err
	}
	u, err := s.getUser(ctx, name)
	if err != nil || u.Disabled {
		return User{}, ErrNoSession
	}
	return u.User, nil
}
