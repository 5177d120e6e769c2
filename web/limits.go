package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// authorize refuses a request whose account may not use its route, from
// the headers alone: it runs before the CSRF check and before anything reads
// the body, so an anonymous or unprivileged client cannot make the server
// parse, buffer or spill to disk a body it would refuse anyway. roles maps
// "METHOD path" of the route table to the roles allowed (nil: public); a
// request matching no route goes on to echo's 404 or 405.
func (s *Server) authorize(roles map[string][]string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			allowed, ok := roles[c.Request().Method+" "+c.Path()]
			if !ok {
				return next(c)
			}
			// Marked for closing until the check passes: a refusal leaves
			// the body unread and must not wait for it to arrive.
			closeUnread(c)
			return s.require(allowed, func(c echo.Context) error {
				c.Response().Header().Del(echo.HeaderConnection)
				return next(c)
			})(c)
		}
	}
}

// closeUnread asks for the connection to be closed after the response when
// the request has a body: answering without reading it, the server would
// otherwise try to drain it first, as long as a slow client likes.
func closeUnread(c echo.Context) {
	if c.Request().ContentLength != 0 {
		c.Response().Header().Set(echo.HeaderConnection, "close")
	}
}

// readDeadline gives a request's body until cfg.BodyReadTimeout to arrive;
// a client sending it slowly or not at all is cut off instead of holding a
// connection and its buffers. The deadline is lifted once the body has been
// read to its end, so work after the read (a long report, an import) is not
// cut short. Requests without a body are left alone.
func (s *Server) readDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength == 0 || req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		rc := http.NewResponseController(c.Response())
		if err := rc.SetReadDeadline(time.Now().Add(s.cfg.BodyReadTimeout)); err != nil {
			return next(c) // not a network connection (a test recorder)
		}
		req.Body = &deadlineBody{ReadCloser: req.Body, rc: rc}
		return next(c)
	}
}

// deadlineBody lifts the connection's read deadline when the body ends.
type deadlineBody struct {
	io.ReadCloser
	rc *http.ResponseController
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) {
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// isReadTimeout tells the error of a body that did not arrive before its
// read deadline.
func isReadTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// uploadGuard runs before the upload handler, once the account is known to
// be an admin and the CSRF header checked: it takes one of the account's
// cfg.UploadsPerAccount upload slots (429 beyond them) and gives the body
// until cfg.UploadReadTimeout to arrive.
func (s *Server) uploadGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return echo.NewHTTPError(http.StatusUnauthorized, "请先登录")
		}
		if !s.uploads.acquire(u.Username) {
			closeUnread(c)
			msg := fmt.Sprintf("同时进行的上传过多:每个账户最多同时上传 %d 个,请等当前上传完成后再试", s.cfg.UploadsPerAccount)
			if impWantsJSON(c) {
				return c.JSON(http.StatusTooManyRequests, impReport{Error: msg, Files: []impOutcome{}})
			}
			return echo.NewHTTPError(http.StatusTooManyRequests, msg)
		}
		defer s.uploads.release(u.Username)
		// Not supported only off the network (a test recorder); nothing
		// then waits on a connection.
		_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(s.cfg.UploadReadTimeout))
		return next(c)
	}
}

// uploadSlots counts the uploads in progress per account.
type uploadSlots struct {
	mu  sync.Mutex
	max int
	n   map[string]int
}

func newUploadSlots(max int) *uploadSlots { return &uploadSlots{max: max, n: map[string]int{}} }

// acquire takes a slot for user, or reports that all of its slots are taken.
func (u *uploadSlots) acquire(user string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.n[user] >= u.max {
		return false
	}
	u.n[user]++
	return true
}

func (u *uploadSlots) release(user string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.n[user]--; u.n[user] <= 0 {
		delete(u.n, user)
	}
}

// active is the number of uploads in progress, all accounts together.
func (u *uploadSlots) active() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	total := 0
	for _, n := range u.n {
		total += n
	}
	return total
}
