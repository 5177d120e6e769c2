// Package calendar is a working-day calendar for Chinese government deadlines.
//
// A working day (工作日) is Monday–Friday, minus the State Council's public
// holidays (法定节假日), plus the make-up working days (调休上班日) of that
// year. The package ships the official calendar for 2018–2026 (Default) and
// accepts more years or local changes (ParseCSV, With). A computation that
// touches a year without a calendar fails with *UnknownYearError; it never
// guesses Monday–Friday.
//
// All dates are civil dates. The package represents them as time.Time at
// 00:00 UTC (see Day); every argument is reduced to the year, month and day
// it shows in its own location (see Truncate), so a timestamp in
// Asia/Shanghai is taken on its Shanghai date.
package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Kind says whether an Entry is a day off or a make-up working day.
type Kind int

const (
	// Holiday is an official day off (法定节假日 or a weekend day inside a holiday block).
	Holiday Kind = iota + 1
	// Workday is a make-up working day (调休上班日) that falls on a weekend.
	Workday
)

// String returns "holiday" or "workday".
func (k Kind) String() string {
	switch k {
	case Holiday:
		return "holiday"
	case Workday:
		return "workday"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Unit is the unit of a deadline.
type Unit int

const (
	// Working counts working days (工作日).
	Working Unit = iota + 1
	// CalendarDays counts calendar days (自然日), moving a due date that falls
	// on a day off to the next working day.
	CalendarDays
)

// String returns "working" or "calendar".
func (u Unit) String() string {
	switch u {
	case Working:
		return "working"
	case CalendarDays:
		return "calendar"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// Entry is one row of a holiday calendar: a date that deviates from the
// Monday–Friday rule, or a named day inside a holiday block.
type Entry struct {
	// Date is the civil date (00:00 UTC).
	Date time.Time
	// Kind is Holiday or Workday.
	Kind Kind
	// Name is the festival, e.g. 春节 or 春节调休上班.
	Name string
}

// DayInfo describes one day of the calendar, as returned by Days.
type DayInfo struct {
	// Date is the civil date (00:00 UTC).
	Date time.Time
	// Working reports whether Date is a working day.
	Working bool
	// Seq is the number of working days from January 1 of the first covered
	// year up to and including Date. For n >= 1, the due date of n working
	// days after Date is the first working day whose Seq is Seq(Date)+n.
	Seq int
	// Name is the holiday or make-up day name, empty on an ordinary day.
	Name string
}

// UnknownYearError reports a computation that needs a year the calendar does
// not cover.
type UnknownYearError struct {
	// Year is the first uncovered year the computation reached.
	Year int
}

// Error returns an English and Chinese message naming the year.
func (e *UnknownYearError) Error() string {
	return fmt.Sprintf("calendar: no official holiday calendar for %d (import holidays.csv for that year); 缺少 %d 年法定节假日安排，请导入该年度 holidays.csv",
		e.Year, e.Year)
}

// errNegative is returned for a negative number of days.
var errNegative = errors.New("calendar: negative number of days")

// Day returns the civil date y-m-d as a time.Time at 00:00 UTC. Out-of-range
// values are normalised as by time.Date.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Truncate returns the civil date of t: the year, month and day t shows in
// its own location, at 00:00 UTC.
func Truncate(t time.Time) time.Time {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// dayNum returns the number of days since 1970-01-01 of t's civil date.
func dayNum(t time.Time) int64 {
	_, off := t.Zone()
	s := t.Unix() + int64(off)
	n := s / 86400
	if s%86400 < 0 {
		n--
	}
	return n
}

// fromDayNum is the inverse of dayNum.
func fromDayNum(n int64) time.Time {
	return time.Unix(n*86400, 0).UTC()
}

// yearOf returns the year of day number n.
func yearOf(n int64) int {
	return fromDayNum(n).Year()
}

// index returns the array index of t and the last index of the run of
// covered years that contains it, or an *UnknownYearError.
func (c *Calendar) index(t time.Time) (i, end int, err error) {
	n := dayNum(t)
	i64 := n - c.base
	if i64 < 0 || i64 >= int64(len(c.seq)) || c.runEnd[i64] < 0 {
		return 0, 0, &UnknownYearError{Year: yearOf(n)}
	}
	return int(i64), int(c.runEnd[i64]), nil
}

// beyond returns the error for a computation that passes index end, the last
// day of a run of covered years.
func (c *Calendar) beyond(end int) error {
	return &UnknownYearError{Year: yearOf(c.base + int64(end) + 1)}
}

// date returns the civil date at array index i.
func (c *Calendar) date(i int) time.Time {
	return fromDayNum(c.base + int64(i))
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d time.Time) (bool, error) {
	i, _, err := c.index(d)
	if err != nil {
		return false, err
	}
	return c.work[i], nil
}

// AddWorkingDays returns the due date of a deadline of n working days for a
// matter received on the given date: the day of receipt does not count
// (期间开始之日不计算在内) and the due date is the n-th working day after
// it. n = 0 returns the day of receipt itself (即办件), even on a day off.
func (c *Calendar) AddWorkingDays(received time.Time, n int) (time.Time, error) {
	i, end, err := c.index(received)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case n < 0:
		return time.Time{}, errNegative
	case n == 0:
		return c.date(i), nil
	}
	k := int(c.seq[i]) + n - 1 // index into bySeq of the n-th working day after i
	if k >= len(c.bySeq) || int(c.bySeq[k]) > end {
		return time.Time{}, c.beyond(end)
	}
	return c.date(int(c.bySeq[k])), nil
}

// AddCalendarDays returns the due date of a deadline of n calendar days: the
// n-th day after the day of receipt, moved forward to the next working day
// when it falls on a day off. n = 0 returns the day of receipt itself.
func (c *Calendar) AddCalendarDays(received time.Time, n int) (time.Time, error) {
	i, end, err := c.index(received)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case n < 0:
		return time.Time{}, errNegative
	case n == 0:
		return c.date(i), nil
	case n > end-i:
		return time.Time{}, c.beyond(end)
	}
	j := i + n
	if !c.work[j] {
		k := int(c.seq[j]) // index into bySeq of the first working day after j
		if k >= len(c.bySeq) || int(c.bySeq[k]) > end {
			return time.Time{}, c.beyond(end)
		}
		j = int(c.bySeq[k])
	}
	return c.date(j), nil
}

// Due returns the due date of a deadline of n days in the given unit; see
// AddWorkingDays and AddCalendarDays.
func (c *Calendar) Due(received time.Time, n int, unit Unit) (time.Time, error) {
	switch unit {
	case Working:
		return c.AddWorkingDays(received, n)
	case CalendarDays:
		return c.AddCalendarDays(received, n)
	}
	return time.Time{}, fmt.Errorf("calendar: unknown deadline unit %v", unit)
}

// span checks that every day from a to b (a <= b) is covered and returns
// their indexes.
func (c *Calendar) span(a, b time.Time) (i, j int, err error) {
	i, end, err := c.index(a)
	if err != nil {
		return 0, 0, err
	}
	n := dayNum(b) - c.base
	if n > int64(end) {
		return 0, 0, c.beyond(end)
	}
	return i, int(n), nil
}

// WorkingDaysBetween returns the number of working days d with a < d <= b:
// the day a does not count and the day b does, so that
// WorkingDaysBetween(r, AddWorkingDays(r, n)) == n for every n >= 0. When b
// is before a the result is the negated count of working days d with
// b < d <= a.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) (int, error) {
	sign := 1
	if dayNum(b) < dayNum(a) {
		a, b, sign = b, a, -1
	}
	i, j, err := c.span(a, b)
	if err != nil {
		return 0, err
	}
	return sign * int(c.seq[j]-c.seq[i]), nil
}

// Days returns one DayInfo for every day from from to to, both included.
// It returns an error when to is before from or a day is not covered.
func (c *Calendar) Days(from, to time.Time) ([]DayInfo, error) {
	if dayNum(to) < dayNum(from) {
		return nil, fmt.Errorf("calendar: range ends %s before it starts %s",
			Truncate(to).Format(time.DateOnly), Truncate(from).Format(time.DateOnly))
	}
	i, j, err := c.span(from, to)
	if err != nil {
		return nil, err
	}
	out := make([]DayInfo, 0, j-i+1)
	for k := i; k <= j; k++ {
		n := c.base + int64(k)
		out = append(out, DayInfo{Date: fromDayNum(n), Working: c.work[k], Seq: int(c.seq[k]), Name: c.entries[n].Name})
	}
	return out, nil
}
