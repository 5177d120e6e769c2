package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/calendar"
)

func (a *app) calendarCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "calendar",
		Short: "工作日日历 (working-day calendar: due dates and working days)",
		Long: `Answers working-day questions with the official calendar (2018–2026) and the
imported holidays.csv: the day of receipt does not count, N = 0 is the same day.`,
	}
	var calDays bool
	due := &cobra.Command{
		Use:     "due DATE N",
		Short:   "到期日 (the due date N working days, or --calendar-days, after DATE)",
		Example: "  xiaoneng calendar due 2026-02-13 5   # 2026-02-27",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cal, d, err := a.calAndDate(cmd, args[0])
			if err != nil {
				return err
			}
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 0 {
				return fmt.Errorf("N must be a whole number ≥ 0, not %q", args[1])
			}
			unit := calendar.Working
			if calDays {
				unit = calendar.CalendarDays
			}
			r, err := cal.Due(d, n, unit)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%s %s\n", r.Format("2006-01-02"), weekday(r))
			return nil
		},
	}
	due.Flags().BoolVar(&calDays, "calendar-days", false, "N counts calendar days (信访), moved to the next working day")
	between := &cobra.Command{
		Use:   "between FROM TO",
		Short: "工作日数 (working days d with FROM < d ≤ TO)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cal, from, err := a.calAndDate(cmd, args[0])
			if err != nil {
				return err
			}
			to, err := parseDay(args[1])
			if err != nil {
				return err
			}
			n, err := cal.WorkingDaysBetween(from, to)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, n)
			return nil
		},
	}
	is := &cobra.Command{
		Use:   "is-working DATE",
		Short: "是否工作日 (whether DATE is a working day)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cal, d, err := a.calAndDate(cmd, args[0])
			if err != nil {
				return err
			}
			w, err := cal.IsWorkingDay(d)
			if err != nil {
				return err
			}
			word := "休息日 (day off)"
			if w {
				word = "工作日 (working day)"
			}
			fmt.Fprintf(a.out, "%s %s %s\n", d.Format("2006-01-02"), weekday(d), word)
			return nil
		},
	}
	c.AddCommand(due, between, is)
	return c
}

// calAndDate loads the calendar from the database (official data plus
// imported holidays) and parses a date argument.
func (a *app) calAndDate(cmd *cobra.Command, s string) (*calendar.Calendar, time.Time, error) {
	d, err := parseDay(s)
	if err != nil {
		return nil, d, err
	}
	st, err := a.open(cmd.Context())
	if err != nil {
		return nil, d, err
	}
	defer st.Close()
	cal, err := st.Calendar(cmd.Context())
	return cal, d, err
}

func parseDay(s string) (time.Time, error) {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return d, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return d, nil
}

func weekday(d time.Time) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d.Weekday()]
}
