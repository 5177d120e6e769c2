package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The as-of day of the date-dependent pages (督办台账, 督办扣分, 预警): ?as_of=
// (or the older ?date=) when given, otherwise the earlier of today and the
// last day of imported data (analytics.ResolveAsOf). Each page shows the day
// it used (asOfView) in a small form to pick another.

// asOfView is what the as-of form of a page shows.
type asOfView struct {
	Day    string // YYYY-MM-DD
	Chosen bool   // the user picked the day
	Note   string // e.g. 数据截至 2019-12-31,按此日期计算
	Action string // the page's path, the form's target
}

// asOfParam is the raw as-of value of a request: the form field or query
// parameter as_of, else date.
func asOfParam(c echo.Context) string {
	if v := strings.TrimSpace(c.FormValue("as_of")); v != "" {
		return v
	}
	return strings.TrimSpace(c.QueryParam("date"))
}

// resolveAsOf reads the request's as-of day; a malformed value is a 400.
func (s *Server) resolveAsOf(c echo.Context, action string) (analytics.AsOf, asOfView, error) {
	a, err := s.store.ResolveAsOf(c.Request().Context(), s.now(), asOfParam(c))
	if errors.Is(err, analytics.ErrBadAsOf) {
		return a, asOfView{}, echo.NewHTTPError(http.StatusBadRequest, msgBadDate)
	}
	if err != nil {
		return a, asOfView{}, err
	}
	return a, asOfView{Day: a.Day.Format("2006-01-02"), Chosen: a.Chosen, Note: a.Note, Action: action}, nil
}
