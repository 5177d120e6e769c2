package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// County key projects, the 约谈 list and alerts in the JSON API; the
// meeting-room screen shows the same values.

// lastQuarterBefore names the newest quarter that ended before now (in
// January 2020: 2019-Q4), the period the county pages default to.
func lastQuarterBefore(now time.Time) string {
	q := (int(now.Month())-1)/3 + 1 // the current quarter
	y := now.Year()
	q--
	if q == 0 {
		y, q = y-1, 4
	}
	return fmt.Sprintf("%04d-Q%d", y, q)
}

// apiProjects ranks the counties on the four key-project rates for a
// quarter or month (?period=2019-Q2 or 2019-06; the last ended quarter by
// default).
func (s *Server) apiProjects(c echo.Context) error {
	period := strings.TrimSpace(c.QueryParam("period"))
	if period == "" {
		period = lastQuarterBefore(s.now())
	}
	if _, _, err := analytics.ProjectPeriod(period); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, msgBadPeriod)
	}
	b, err := s.cachedJSON("projects:"+period, func() (any, error) {
		q, err := s.store.ProjectRanking(c.Request().Context(), period, s.cfg.Scheme.Interviews.MinProjects)
		if q.Counties == nil {
			q.Counties = []scoring.CountyRates{}
		}
		return q, err
	})
	if err != nil {
		return err
	}
	return blobJSON(c, b)
}

// apiInterviewRule is the scheme's 约谈 rule as the API shows it.
type apiInterviewRule struct {
	Period      string `json:"period"`
	Consecutive int    `json:"consecutive"`
	Bottom      int    `json:"bottom"`
	MinProjects int    `json:"min_projects"`
}

// interviewsBody is the 约谈 list of a year and the counties at risk of it.
type interviewsBody struct {
	Year       int                 `json:"year"`
	Rule       apiInterviewRule    `json:"rule"`
	Latest     string              `json:"latest_period"`
	Interviews []scoring.Interview `json:"interviews"`
	AtRisk     []scoring.Interview `json:"at_risk"`
}

// interviewRule is the scheme's rule with its zero values filled in as
// analytics.YearInterviews fills them.
func (s *Server) interviewRule() apiInterviewRule {
	r := s.cfg.Scheme.Interviews
	out := apiInterviewRule{Period: r.Period, Consecutive: r.Consecutive, Bottom: r.Bottom, MinProjects: r.MinProjects}
	if out.Period == "" {
		out.Period = scoring.PeriodQuarter
	}
	if out.Consecutive <= 0 {
		out.Consecutive = 2
	}
	if out.Bottom <= 0 {
		out.Bottom = 1
	}
	return out
}

// yearInterviews computes the 约谈 list of a year over its periods that
// have ended by now (the list never judges a quarter still under way), and
// the counties at risk: in the bottom places of a rate in the newest ended
// period, in a run still shorter than the rule's, so that more such periods
// would list them (the counties page words the same rule).
func (s *Server) yearInterviews(c echo.Context, year int) (interviewsBody, error) {
	rule := s.interviewRule()
	_, periods, err := s.store.YearInterviews(c.Request().Context(), year, s.cfg.Scheme.Interviews)
	if err != nil {
		return interviewsBody{}, err
	}
	body := interviewsBody{Year: year, Rule: rule, Interviews: []scoring.Interview{}, AtRisk: []scoring.Interview{}}
	today := s.now().Format(time.DateOnly)
	var ended []scoring.QuarterRates
	for _, p := range periods {
		if p.AsOf < today {
			ended = append(ended, p)
		}
	}
	if len(ended) == 0 {
		return body, nil
	}
	body.Latest = ended[len(ended)-1].Period
	body.Interviews = append(body.Interviews, scoring.Interviews(ended, rule.Consecutive, rule.Bottom)...)
	for _, run := range scoring.Interviews(ended, 1, rule.Bottom) {
		if run.Periods[len(run.Periods)-1] == body.Latest && len(run.Periods) < rule.Consecutive {
			body.AtRisk = append(body.AtRisk, run)
		}
	}
	return body, nil
}

// apiInterviews is the 约谈 list of ?year= (the year of the last ended
// quarter by default).
func (s *Server) apiInterviews(c echo.Context) error {
	year, err := yearParam(c.QueryParam("year"), s.now())
	if err != nil {
		return err
	}
	// Which periods have ended depends on the day: cache per year and day.
	b, err := s.cachedJSON(fmt.Sprintf("interviews:%d:%s", year, s.now().Format(time.DateOnly)), func() (any, error) {
		return s.yearInterviews(c, year)
	})
	if err != nil {
		return err
	}
	return blobJSON(c, b)
}

// yearParam reads a four-digit year; empty means the year of the last
// ended quarter.
func yearParam(v string, now time.Time) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		y, _ := strconv.Atoi(lastQuarterBefore(now)[:4])
		return y, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || y < 1900 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, msgBadYear)
	}
	return y, nil
}

// apiAlert is one open alert.
type apiAlert struct {
	Kind     string  `json:"kind"`
	ID       string  `json:"id"`
	UnitID   string  `json:"unit_id"`
	UnitName string  `json:"unit_name"`
	Level    string  `json:"level"`
	Due      *string `json:"due"`
	Days     int     `json:"days"`
	Detail   string  `json:"detail"`
}

// alertsBody is the open alerts as of a date with their counts.
type alertsBody struct {
	Date    string         `json:"date"`
	Total   int            `json:"total"`
	ByLevel map[string]int `json:"by_level"`
	ByKind  map[string]int `json:"by_kind"`
	Alerts  []apiAlert     `json:"alerts"`
}

// alertsAsOf reads the open alerts as of a day (shared with the alerts
// page's cache), with unit names and counts. A day outside the working-day
// calendar is a 400.
func (s *Server) alertsAsOf(c echo.Context, day time.Time) (alertsBody, error) {
	ctx := c.Request().Context()
	as, err := s.alertsAll(ctx, day) // cached per day; a day outside the calendar is a 400
	if err != nil {
		return alertsBody{}, err
	}
	units, err := s.dashUnits(ctx)
	if err != nil {
		return alertsBody{}, err
	}
	body := alertsBody{Date: day.Format(time.DateOnly), Total: len(as), Alerts: make([]apiAlert, 0, len(as)),
		ByLevel: map[string]int{analytics.LevelOverdue: 0, analytics.LevelAlarm: 0, analytics.LevelDueSoon: 0},
		ByKind: map[string]int{analytics.AlertCase: 0, analytics.AlertComplaint: 0,
			analytics.AlertDocumentStep: 0, analytics.AlertDocumentUnresolved: 0}}
	for _, a := range as {
		body.ByLevel[a.Level]++
		body.ByKind[a.Kind]++
		x := apiAlert{Kind: a.Kind, ID: a.ID, UnitID: a.UnitID, UnitName: units[a.UnitID].Name, Level: a.Level, Days: a.Days, Detail: a.Detail}
		if !a.Due.IsZero() {
			d := a.Due.Format(time.DateOnly)
			x.Due = &d
		}
		body.Alerts = append(body.Alerts, x)
	}
	return body, nil
}

// apiAlerts lists the open alerts as of ?date= (by default the earlier of
// today and the last day of imported data).
func (s *Server) apiAlerts(c echo.Context) error {
	day, err := dateParam(c.QueryParam("date"), s.now())
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.QueryParam("date")) == "" {
		if day, err = s.store.DefaultAsOf(c.Request().Context(), s.now()); err != nil {
			return err
		}
	}
	body, err := s.alertsAsOf(c, day)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, body)
}

// dateParam reads a YYYY-MM-DD date; empty means today.
func dateParam(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 1900 {
		return time.Time{}, echo.NewHTTPError(http.StatusBadRequest, msgBadDate)
	}
	return d, nil
}
